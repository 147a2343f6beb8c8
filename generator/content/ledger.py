"""The invoices of every mission as one series, and ``factures.lock``, their fingerprints.

French law (CGI, annexe II, art. 242 nonies A, 7°) wants one number per invoice,
from a chronological and continuous sequence: ``F-2026-0001``, ``F-2026-0002``… across
every mission of the repository, the sequence starting again each year. An issued
invoice is never rewritten: ``amoor facture`` writes its fingerprint into
``factures.lock`` (committed with the missions); the build compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, InputError
from .models.provider import Invoicing
from .reader import MissionSource
from .yamlio import load_yaml, read_text

LOCK = "factures.lock"
_HEADER = ("# Empreintes des factures émises, écrites par « amoor facture ». Ne pas modifier :\n"
           "# une facture émise ne change plus ; pour la corriger, émettez un avoir.\n")


@dataclass(frozen=True)
class Numbered:
    """One invoice in the series, located in its mission file."""

    number: str
    year: int
    sequence: int
    source: MissionSource
    index: int

    def diagnostic(self, message: str) -> Diagnostic:
        line, column = self.source.invoice_marks[self.index]
        return Diagnostic(self.source.path, line, column, f"factures[{self.index}].numero",
                          message)


def number_pattern(invoicing: Invoicing) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(invoicing.prefix)}-(\d{{4}})-(\d{{{invoicing.digits}}})$")


def next_number(missions: list[MissionSource], invoicing: Invoicing, year: int) -> str:
    """The next free number of ``year``."""
    pattern = number_pattern(invoicing)
    used = [int(m.group(2)) for s in missions for i in s.mission.invoices
            if (m := pattern.match(i.number)) and int(m.group(1)) == year]
    return f"{invoicing.prefix}-{year}-{max(used, default=0) + 1:0{invoicing.digits}d}"


def check_numbering(missions: list[MissionSource], invoicing: Invoicing) -> list[Diagnostic]:
    """Each number well formed and of its date's year; no duplicate, no gap, no date
    going backwards as numbers go up; located in every file concerned."""
    pattern = number_pattern(invoicing)
    out: list[Diagnostic] = []
    series: list[Numbered] = []
    for source in missions:
        for i, invoice in enumerate(source.mission.invoices):
            match = pattern.match(invoice.number)
            here = Numbered(invoice.number, 0, 0, source, i)
            if match is None:
                example = f"{invoicing.prefix}-{invoice.date.year}-{1:0{invoicing.digits}d}"
                out.append(here.diagnostic(f"numéro « {invoice.number} » hors série : "
                                           f"attendu comme {example}"))
            elif int(match.group(1)) != invoice.date.year:
                out.append(here.diagnostic(f"le numéro « {invoice.number} » n'est pas de "
                                           f"l'année de sa date ({invoice.date})"))
            else:
                series.append(Numbered(invoice.number, int(match.group(1)),
                                       int(match.group(2)), source, i))
    series.sort(key=lambda n: (n.year, n.sequence))
    for before, after in zip(series, series[1:], strict=False):
        if before.number == after.number:
            for n, other in ((before, after), (after, before)):
                out.append(n.diagnostic(f"numéro « {n.number} » en double (aussi dans "
                                        f"{other.source.path}, facture {other.index + 1})"))
            continue
        if after.year == before.year and after.sequence != before.sequence + 1:
            out.append(after.diagnostic(
                f"trou dans la numérotation : {after.number} suit {before.number} "
                f"({before.source.path}) ; la série doit être continue"))
        date_before = before.source.mission.invoices[before.index].date
        date_after = after.source.mission.invoices[after.index].date
        if date_after < date_before:
            out.append(after.diagnostic(
                f"date {date_after} antérieure à celle de {before.number} ({date_before}, "
                f"{before.source.path}) : les numéros suivent l'ordre des dates"))
    firsts: dict[int, Numbered] = {}
    for n in series:
        firsts.setdefault(n.year, n)
    for n in firsts.values():
        if n.sequence != 1:
            out.append(n.diagnostic(f"trou dans la numérotation : la série de {n.year} "
                                    f"commence à {n.number}"))
    return out


@dataclass(frozen=True)
class Locked:
    fingerprint: str
    slug: str
    line: int


def read_lock(file: Path, display: str) -> tuple[dict[str, Locked], list[Diagnostic]]:
    """``factures.lock``: number → fingerprint and mission; absent, nothing issued yet."""
    if not file.is_file():
        return {}, []
    try:
        doc = load_yaml(read_text(file, display), display)
    except InputError as exc:
        return {}, exc.diagnostics
    found: dict[str, Locked] = {}
    data = doc.data if isinstance(doc.data, dict) else {}
    for number, value in data.items():
        line = doc.mark((number,), key=True)[0]
        parts = value.split() if isinstance(value, str) else []
        if len(parts) != 2:
            return {}, [Diagnostic(display, line, 0, str(number),
                                   "attendu : « empreinte mission » (fichier écrit par "
                                   "amoor facture)")]
        found[str(number)] = Locked(parts[0], parts[1], line)
    return found, []


def add_to_lock(file: Path, number: str, fingerprint: str, slug: str) -> None:
    """One more issued invoice (a number is never written twice)."""
    text = file.read_text(encoding="utf-8") if file.is_file() else _HEADER
    if not text.endswith("\n"):
        text += "\n"
    file.write_text(f"{text}{number}: {fingerprint} {slug}\n", encoding="utf-8")
