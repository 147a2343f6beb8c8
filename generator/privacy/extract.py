"""Text of built files as a reader sees it: HTML and JSON unescaped, tags apart,
``.gz`` decompressed, PDFs as text with metadata, links and attachments."""

from __future__ import annotations

import gzip
import json
import re
import threading
from pathlib import Path
from urllib.parse import unquote

from ..content.diagnostics import BuildError

_TAGS = re.compile(r"<[^>]*>")
_LINKS = re.compile(r"""(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


#: PDFium is not thread-safe, not even across documents: one call at a time, all of them
#: (documents and pages are closed inside the lock, never left to the garbage collector).
_PDFIUM = threading.Lock()
#: What PDFium puts where a word was hyphenated by the layout (U+FFFE) or in its place
#: (U+0002): no reader sees them, and a name must not hide behind them.
_PDFIUM_MARKS = str.maketrans("", "", "\ufffe\x02")


def pdf_text(path: Path, data: bytes | None = None) -> str:
    """Everything a reader of a PDF can get: text, metadata, link targets, attachments.
    The text comes from PDFium (a PyPI wheel, so the check needs no system tool; it reads
    the same characters as poppler's ``pdftotext``, in its own order). A PDF that cannot
    be read is not a clean PDF: the check fails."""
    import pypdfium2

    pages = []
    with _PDFIUM:
        try:
            pdf = pypdfium2.PdfDocument(path if data is None else data)
        except pypdfium2.PdfiumError as exc:
            raise BuildError(f"{path.name} : PDF illisible ({exc}) : contrôle de "
                             "confidentialité impossible") from None
        try:
            for page in pdf:
                text = page.get_textpage()
                pages.append(text.get_text_range())
                text.close()
                page.close()
        finally:
            pdf.close()
    return "\n".join(pages).translate(_PDFIUM_MARKS) + "\n" + pdf_objects(path)


def pdf_objects(path: Path) -> str:
    """Metadata, link targets and names of attached files of a PDF, as text."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            parts = [str(v) for v in pdf.docinfo.values()]
            if "/Metadata" in pdf.Root:
                parts.append(pdf.Root.Metadata.read_bytes().decode("utf-8", "replace"))
            for page in pdf.pages:
                for annot in page.get("/Annots", []):
                    action = annot.get("/A")
                    if action is not None and "/URI" in action:
                        parts.append(str(action.URI))
            for name in pdf.attachments:
                parts.append(f"pièce jointe {name}")
                parts.append(pdf.attachments[name].get_file().read_bytes().decode(
                    "utf-8", "replace"))
    except pikepdf.PdfError as exc:
        raise BuildError(f"{path.name} : PDF illisible ({exc}) : contrôle de "
                         "confidentialité impossible") from None
    return "\n".join(parts)


#: Archives opened by the check: the download-all zip, an Office document's XML parts.
ARCHIVES = (".zip", ".pptx", ".docx", ".xlsx", ".odt", ".odp")
MAX_UNPACKED = 500 * 2**20


def file_texts(path: Path, data: bytes) -> tuple[str, ...]:
    """What a reader of the file can see, as texts to search."""
    if path.suffix == ".pdf":
        return (pdf_text(path, data),)
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise BuildError(f"{path.name} : archive illisible ({exc})") from None
    text = data.decode("utf-8", errors="replace")
    if path.name.endswith((".json", ".json.gz")):
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    # Markup as two texts: between the tags (a name split by tags is found whole) and
    # the tags themselves (attributes: titles, alternatives, links).
    texts = (_TAGS.sub("", text), " ".join(_TAGS.findall(text))) if "<" in text else (text,)
    # A link's target is read as its reader sees it: ``mailto:…?body=Mairie%20de…``.
    encoded = [a or b for a, b in _LINKS.findall(text) if "%" in a or "%" in b]
    return texts + (unquote(" ".join(encoded)),) if encoded else texts
