"""What a screen reader needs from a PDF, read with pikepdf: the test's own checker.

Not a PDF/UA validator (veraPDF is Java, and not on the build machine): the checks
that matter for the documents we make, each one a line in :func:`problems`.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def elements(root) -> list:
    """Every structure element under ``root``, depth first."""
    found, seen, stack = [], set(), list(reversed(_kids(root)))
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or \
                element.get("/Type") in ("/MCR", "/OBJR"):
            continue
        if element.objgen != (0, 0):
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        found.append(element)
        stack.extend(reversed(_kids(element)))
    return found


def outline(path: Path) -> list[tuple[int, str]]:
    """The bookmarks: (depth, title), in order."""
    entries: list[tuple[int, str]] = []
    with pikepdf.open(path) as pdf, pdf.open_outline() as tree:
        def walk(items, depth: int) -> None:
            for item in items:
                entries.append((depth, " ".join(str(item.title).split())))
                walk(item.children, depth + 1)
        walk(tree.root, 0)
    return entries


def figures(path: Path) -> list[str]:
    """The alternative text of every Figure element."""
    with pikepdf.open(path) as pdf:
        return [str(e.get("/Alt", "")) for e in elements(pdf.Root.StructTreeRoot)
                if str(e.get("/S")) == "/Figure"]


def problems(path: Path) -> list[str]:
    """What keeps the PDF from the tagged structure a screen reader needs; [] if none."""
    found = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if "/StructTreeRoot" not in root:
            return ["pas d'arbre de structure (PDF non balisé)"]
        if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
            found.append("/MarkInfo /Marked n'est pas vrai")
        if not str(root.get("/Lang", "")).lower().startswith("fr"):
            found.append(f"/Lang {root.get('/Lang')!r} au lieu de fr")
        if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
            found.append("/DisplayDocTitle n'est pas vrai")
        if not str(pdf.docinfo.get("/Title", "")).strip():
            found.append("pas de titre de document")
        xmp = root.Metadata.read_bytes() if "/Metadata" in root else b""
        if b'pdfuaid:part="1"' not in xmp and b"<pdfuaid:part>1<" not in xmp:
            found.append("les métadonnées XMP ne déclarent pas PDF/UA-1")
        tree = elements(root.StructTreeRoot)
        reachable = {e.objgen for e in tree}
        for element in tree:
            tag = str(element.get("/S"))
            if tag == "/Figure" and not str(element.get("/Alt", "")).strip():
                found.append("Figure sans /Alt")
            if tag == "/Table":
                heads = [e for e in elements(element) if str(e.get("/S")) == "/TH"]
                if not heads:
                    found.append("tableau sans cellule d'en-tête")
                if any("/Scope" not in e.get("/A", {}) for e in heads):
                    found.append("cellule d'en-tête sans /Scope")
        # Marked content outside the tree would be read by nobody and counted as
        # untagged: the margin boxes must be artifacts.
        numbers = root.StructTreeRoot.ParentTree.get("/Nums", [])
        for i in range(1, len(numbers), 2):
            if isinstance(numbers[i], pikepdf.Array):
                for ref in numbers[i]:
                    if isinstance(ref, pikepdf.Dictionary) and ref.objgen not in reachable:
                        found.append("contenu balisé hors de l'arbre de structure")
                        break
        for number, page in enumerate(pdf.pages[1:], start=2):
            streams = page.Contents if isinstance(page.Contents, pikepdf.Array) \
                else [page.Contents]
            if b"/Artifact" not in b"".join(s.read_bytes() for s in streams):
                found.append(f"page {number} : en-têtes et pieds de page non marqués "
                             "comme artefacts")
                break
    return found
