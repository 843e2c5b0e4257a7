"""Finishing touches to WeasyPrint's tagged PDF, applied before it is written (PDF/UA-1).

WeasyPrint (70) tags the document well but leaves two gaps that checkers report:

* header cells (/TH) carry an /ID, listed in the data cells' /Headers, but no /Scope;
* the page margin boxes (running header, page numbers) are marked as tagged content whose
  structure elements are never attached to the tree: neither real content nor artifacts.
  PDF/UA wants page headers and footers as pagination artifacts.

:func:`finish` is passed to WeasyPrint as its ``finisher``: it receives the pydyf objects
before they are serialized. It relies on how WeasyPrint 70 writes them (references as
``b"n 0 R"``, marked content as ``/Tag <</MCID n>> BDC`` items of each page's stream), and
does nothing where it finds something else.
"""

from __future__ import annotations

from typing import Any

__all__ = ["finish"]


def _number(reference: object) -> int | None:
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return int(reference.split()[0])
    return None


def _table_header_scope(pdf: Any) -> None:
    """Every /TH gets ``/Scope /Column``: the fiche's tables only have column headers
    (``<th scope="col">`` in ``blocks.html.j2``, checked by the HTML tests)."""
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("S") == "/TH":
            attributes = item.get("A")
            if isinstance(attributes, dict):
                attributes["Scope"] = "/Column"


def _reachable(pdf: Any, root: dict[str, Any]) -> set[int]:
    seen: set[int] = set()
    stack = [root]
    while stack:
        kids = stack.pop().get("K")
        for kid in kids if isinstance(kids, list) else [kids]:
            number = _number(kid)
            if number is not None and number not in seen:
                seen.add(number)
                child = pdf.objects[number]
                if isinstance(child, dict):
                    stack.append(child)
    return seen


def _pagination_artifacts(pdf: Any) -> None:
    """Turn the marked content of structure elements outside the tree (WeasyPrint's margin
    boxes) into ``/Artifact <</Type /Pagination>>`` sequences, and drop them from the
    parent tree."""
    import pydyf  # type: ignore[import-untyped]

    root_number = _number(pdf.catalog.get("StructTreeRoot"))
    if root_number is None:
        return
    root = pdf.objects[root_number]
    tree_number = _number(root.get("ParentTree"))
    if tree_number is None:
        return
    in_tree = _reachable(pdf, root)
    nums = pdf.objects[tree_number].get("Nums", [])
    pages = getattr(pdf, "page_references", [])
    for page_index, page_reference in enumerate(pages):
        position = 2 * page_index + 1
        if position >= len(nums) or nums[position - 1] != page_index:
            return  # not the layout this function knows
        by_mcid = nums[position]
        orphans = {mcid for mcid, ref in enumerate(by_mcid) if (_number(ref) or -1) not in in_tree}
        if not orphans:
            continue
        page = pdf.objects[_number(page_reference) or 0]
        content = pdf.objects[_number(page.get("Contents")) or 0]
        items = getattr(content, "stream", None)
        if not isinstance(items, list):
            continue
        for i in range(len(items) - 2):
            properties = items[i + 1]
            if (
                isinstance(items[i], str)
                and isinstance(properties, dict)
                and properties.get("MCID") in orphans
                and items[i + 2] == b"BDC"
            ):
                items[i] = "/Artifact"
                items[i + 1] = pydyf.Dictionary({"Type": "/Pagination"})
        for mcid in orphans:
            by_mcid[mcid] = b"null"


def finish(_document: Any, pdf: Any) -> None:
    """WeasyPrint ``finisher``: header cell scopes and pagination artifacts."""
    _table_header_scope(pdf)
    _pagination_artifacts(pdf)
