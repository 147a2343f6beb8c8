"""``amoor revoke``: a new link for a dossier, the old one withdrawn at the next publish.

``acces.revision`` enters the dossier's token; raising it changes the link. The file
is edited where the key is (its position known from the YAML reader), so its
comments and layout stay as the consultant wrote them; the result is read again
and compared with what was meant before it is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..content.diagnostics import BuildError, InputError
from ..content.yamlio import YamlDocument, load_yaml, read_text


def _replace(lines: list[str], line: int, column: int, old: str, new: str) -> None:
    text = lines[line - 1]
    start = column - 1
    if text[start:start + len(old)] != old:
        raise BuildError(f"ligne {line} : « {old} » attendu à la colonne {column}")
    lines[line - 1] = text[:start] + new + text[start + len(old):]


def _insert(doc: YamlDocument, lines: list[str], text: str, revision: int) -> None:
    """``revision:`` added to an ``acces`` that has none, or an ``acces`` added."""
    if ("acces",) not in doc.key_marks:
        ending = "" if text.endswith("\n") or not text else "\n"
        lines.append(f"{ending}acces:\n  revision: {revision}  # nouveau lien (amoor revoke)\n")
        return
    key_line, key_column = doc.key_marks[("acces",)]
    value_line, value_column = doc.mark(("acces",))
    source = lines[value_line - 1]
    if source[value_column - 1:value_column] == "{":       # acces: {…} in flow style
        _replace(lines, value_line, value_column, "{", f"{{revision: {revision}, ")
        return
    children = [mark for path, mark in doc.key_marks.items()
                if len(path) == 2 and path[0] == "acces"]
    indent = " " * (min(c for _, c in children) - 1) if children else \
        " " * (key_column + 1)
    lines.insert(key_line, f"{indent}revision: {revision}  # nouveau lien (amoor revoke)\n")


def raise_revision(file: Path, display: str) -> int:
    """Raise ``acces.revision`` in ``file``; the new revision. The edited file must read
    as the same data with only that value changed, or nothing is written."""
    text = read_text(file, display)
    doc = load_yaml(text, display)
    data = doc.data if isinstance(doc.data, dict) else {}
    access = data.get("acces") if isinstance(data.get("acces"), dict) else {}
    current = access.get("revision", 1) if access else 1
    if not isinstance(current, int) or isinstance(current, bool):
        raise BuildError(f"{display} : acces.revision doit être un nombre entier")
    new = current + 1
    lines = text.splitlines(keepends=True)
    if ("acces", "revision") in doc.key_marks:
        line, column = doc.mark(("acces", "revision"))
        _replace(lines, line, column, str(current), str(new))
    else:
        _insert(doc, lines, text, new)
    result = "".join(lines)
    wanted = {**data, "acces": {**(access or {}), "revision": new}}
    try:
        same = load_yaml(result, display).data == wanted
    except InputError:  # pragma: no cover - a bug of this module
        same = False
    if not same:  # pragma: no cover - a bug of this module
        raise BuildError(f"{display} : modification impossible sans risquer le reste du "
                         f"fichier : ajoutez « revision: {new} » sous « acces: »")
    if re.search(r"\r\n", text):
        result = result.replace("\r\n", "\n").replace("\n", "\r\n")
    file.write_text(result, encoding="utf-8", newline="")
    return new
