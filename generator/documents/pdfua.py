"""Tagged PDF (PDF/UA-1) as public bodies must publish it: what WeasyPrint leaves to do.

WeasyPrint 70 writes the structure tree, the language, the title shown by the
viewer and the outline (``write_pdf(pdf_variant="pdf/ua-1")``). Three things are
finished here, on the PDF objects before they are written (WeasyPrint's public
``finisher`` hook), so that a screen reader reads the page as a sighted reader
does:

* running headers, footers and page numbers (page margin boxes) are marked
  content whose structure elements are left out of the tree: they become
  pagination artifacts (``/Artifact <</Type /Pagination>>``), not read aloud;
* every header cell says what it heads (``/Scope /Column`` in a table head,
  ``/Row`` elsewhere);
* links are printable annotations, and the outline panel opens with the document.
"""

from __future__ import annotations

from typing import Any

import pydyf

UA_VARIANT = "pdf/ua-1"


def _num(reference: bytes) -> int:
    """The object number of an indirect reference (``b"12 0 R"``)."""
    return int(bytes(reference).split()[0])


def _reachable(objects: list[Any], root: Any) -> set[int]:
    """Object numbers of the structure elements reachable from the tree's root, with
    the scope of each header cell set on the way."""
    found: set[int] = set()
    stack = [_num(ref) for ref in root["K"]]
    while stack:
        number = stack.pop()
        if number in found:
            continue
        found.add(number)
        element = objects[number]
        for kid in element.get("K", ()):
            if isinstance(kid, bytes) and kid.endswith(b" R"):
                child = objects[_num(kid)]
                if isinstance(child, dict) and child.get("Type") == "/StructElem":
                    stack.append(_num(kid))
        if element.get("S") == "/TH":
            row = objects[_num(element["P"])]
            group = objects[_num(row["P"])]
            element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
            element["A"]["Scope"] = "/Column" if group.get("S") == "/THead" else "/Row"
    return found


def finish_tagged(document: Any, pdf: Any) -> None:
    """WeasyPrint ``finisher``: margin boxes as artifacts, header scopes, printable
    links, outline shown."""
    catalog, objects = pdf.catalog, pdf.objects
    if "StructTreeRoot" not in catalog:
        return
    root = objects[_num(catalog["StructTreeRoot"])]
    reachable = _reachable(objects, root)
    numbers = objects[_num(root["ParentTree"])]["Nums"]
    pages = pdf.page_references
    for i in range(0, len(numbers), 2):
        key, marks = numbers[i], numbers[i + 1]
        if not isinstance(marks, pydyf.Array) or key >= len(pages):
            continue
        orphans = {mcid for mcid, ref in enumerate(marks)
                   if isinstance(ref, bytes) and _num(ref) not in reachable}
        if not orphans:
            continue
        for mcid in orphans:
            marks[mcid] = "null"
        stream = objects[_num(objects[_num(pages[key])]["Contents"])].stream
        for j, item in enumerate(stream):
            if isinstance(item, dict) and item.get("MCID") in orphans \
                    and j + 1 < len(stream) and stream[j + 1] == b"BDC":
                stream[j - 1] = "/Artifact"
                stream[j] = pydyf.Dictionary({"Type": "/Pagination"})
    for obj in objects:
        if isinstance(obj, dict) and obj.get("Type") == "/Annot":
            obj["F"] = 4          # printable
    catalog["PageMode"] = "/UseOutlines"
