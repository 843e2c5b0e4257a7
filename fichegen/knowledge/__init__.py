"""Knowledge: the content of fiche n° 15 as data (levers, examples, resources, context).

Takes the built-in YAML of ``data/knowledge`` and an optional user folder (validated like
profiles) and gives a frozen :class:`~fichegen.knowledge.base.KnowledgeBase`.
``vocabulary`` is the set of signals and template fields the YAML may use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichegen._lazy import lazy_exports

_EXPORTS = {
    "KnowledgeBase": "fichegen.knowledge.types",
    "load_knowledge": "fichegen.knowledge.base",
    "Example": "fichegen.knowledge.types",
    "Lever": "fichegen.knowledge.types",
    "Resource": "fichegen.knowledge.types",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from fichegen.knowledge.base import load_knowledge
    from fichegen.knowledge.types import Example, KnowledgeBase, Lever, Resource

__all__ = ["Example", "KnowledgeBase", "Lever", "Resource", "load_knowledge"]
