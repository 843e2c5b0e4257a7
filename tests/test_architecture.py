"""The package layout stays true: imports run down the pipeline only, and never in a cycle.

Every ``import`` of every module counts, including those inside functions and under
``TYPE_CHECKING``: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "fichegen"

# Lower rank = earlier in the pipeline. A module may import its own stage or a lower one.
STAGES: dict[str, int] = {
    "fichegen": 0,  # the root itself, imported for __version__ only
    "fichegen._lazy": 0,
    "fichegen.errors": 0,
    "fichegen.resources": 0,
    "fichegen.options": 0,
    "fichegen.disk_cache": 0,
    "fichegen.french": 1,
    "fichegen.reference": 2,
    "fichegen.inputs": 3,
    "fichegen.knowledge": 4,
    "fichegen.selection": 5,
    "fichegen.document": 6,
    "fichegen.renderers": 7,
    "fichegen.api": 8,
    "fichegen.batch": 9,
    "fichegen.download": 9,
    "fichegen.cli": 10,
    "fichegen.web": 10,
}
FACADES = {"fichegen", "fichegen.__main__"}  # the public API and ``python -m``: above all


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def stage_of(module: str) -> int:
    for prefix in sorted(STAGES, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return STAGES[prefix]
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("fichegen"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("fichegen"):
                found.add(node.module)
                # "from fichegen.cli import french" imports a submodule
                found.update(
                    f"{node.module}.{a.name}"
                    for a in node.names
                    if (PACKAGE.parent / f"{node.module}.{a.name}".replace(".", "/"))
                    .with_suffix(".py")
                    .exists()
                )
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import, write it absolute")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("fichegen.")
            and " " not in node.value
        ):
            found.add(node.value)  # importlib.import_module("fichegen.…") and lazy tables
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges[name] = {m for m in imports_of(path) if m in modules and m != name}
    return edges


def test_every_module_has_a_stage() -> None:
    for name in graph():
        stage_of(name)


@pytest.mark.parametrize("module", sorted(graph()))
def test_imports_run_down_the_pipeline(module: str) -> None:
    if module in FACADES or module.endswith(".__init__"):
        return
    own = stage_of(module)
    upward = sorted(m for m in graph()[module] if stage_of(m) > own and m not in FACADES)
    assert not upward, f"{module} (stage {own}) imports higher stages: {upward}"


def test_no_import_cycle() -> None:
    edges = graph()
    # Package __init__ files re-export their children: an edge from a child back to its
    # own package is not a dependency on siblings, so the facades are left out.
    for name in list(edges):
        edges[name] = {m for m in edges[name] if m not in FACADES and m not in _packages()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)


def _packages() -> set[str]:
    return {module_name(p) for p in PACKAGE.rglob("__init__.py")}


def test_modules_stay_small() -> None:
    long = {
        module_name(p): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long, f"modules over 400 lines, split the second job out: {long}"


def test_every_package_says_what_it_takes_and_gives() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()) >= 3, f"{init}: docstring missing or too short"
