"""Errors a person can act on: file, line, column, key path, message."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the consultant's input, located as precisely as we can."""

    path: str
    line: int = 0
    column: int = 0
    key: str = ""
    message: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        return _visible(self._text())

    def _text(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        key = f" {self.key}:" if self.key else ""
        level = " attention :" if self.severity == "warning" else ""
        return f"{where}:{level}{key} {self.message}"


def _visible(text: str) -> str:
    """Control characters from the input shown as escapes: a value read from a file
    must not move the cursor or recolour the consultant's terminal."""
    return "".join(repr(c)[1:-1] if unicodedata.category(c) == "Cc" else c for c in text)


class InputError(Exception):
    """Bad input: carries every diagnostic found, so all are reported at once."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class BuildError(Exception):
    """A step failed for a reason other than bad input; the message is one line a
    person can act on (a missing tool, a full disk, a leak found by the check)."""


def shown(value: object, limit: int = 60) -> str:
    """``repr`` of a value read from a file, short and safe: a YAML 1.1 number of
    thousands of digits must not end in Python's limit on integer conversion."""
    try:
        text = repr(value)
    except ValueError:  # int too large to convert to text
        text = f"<nombre de plus de {limit} chiffres>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity == "error"]


def format_key(keypath: tuple) -> str:
    """``("tarif", "options", 1, "quantite")`` → ``tarif.options[1].quantite``."""
    out = ""
    for part in keypath:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
