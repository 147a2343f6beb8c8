"""``amoor facture``: the next invoice added to ``mission.yml``, and fingerprinted.

The new entry goes at the end of the ``factures`` list (created if absent), one line
in flow style, so the file's comments and layout stay as written; the edited file
must read back as the same data plus that entry, pass every check, or nothing is
written. Then its fingerprint goes into ``factures.lock``: from then on the build
refuses any change to it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import yaml

from ..compute.invoicing import Billed, bill, fingerprint
from ..compute.pricing import quote
from ..content.diagnostics import BuildError, InputError, errors
from ..content.ledger import LOCK, add_to_lock, next_number
from ..content.models.vocab import InvoiceKind
from ..content.project import Project
from ..content.yamlio import YamlDocument, load_yaml, read_text
from .pipeline import read_catalog


def _scalar(value: object) -> str:
    """A YAML flow scalar: numbers and dates as they are, text JSON-quoted (valid YAML)."""
    if isinstance(value, (Decimal, int, dt.date)):
        return str(value)
    text = str(value)
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", text) is not None and \
        yaml.safe_load(text) == text
    return text if plain else json.dumps(text, ensure_ascii=False)


def _flow(entry: dict[str, object]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in entry.items()) + "}"


def _append(text: str, doc: YamlDocument, entry: dict[str, object]) -> str:
    """``text`` with ``entry`` as the last item of ``factures``."""
    item = _flow(entry)
    data = doc.data if isinstance(doc.data, dict) else {}
    present = data.get("factures")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if ("factures",) not in doc.key_marks or present is None:
        if ("factures",) in doc.key_marks:           # ``factures:`` left empty
            line = doc.key_marks[("factures",)][0]
            lines[line - 1] = "factures:\n"
            lines.insert(line, f"  - {item}\n")
            return "".join(lines)
        return "".join(lines) + f"\nfactures:\n  - {item}\n"
    if not present:                                   # ``factures: []``
        line = doc.key_marks[("factures",)][0]
        lines[line - 1] = "factures:\n"
        lines.insert(line, f"  - {item}\n")
        return "".join(lines)
    start, column = doc.mark(("factures", len(present) - 1))
    source = lines[start - 1]
    dash = source.rfind("-", 0, column - 1)
    if dash < 0 or source[:dash].strip():
        raise BuildError("liste « factures » écrite d'une façon que amoor facture ne sait "
                         "pas compléter : écrivez-la en liste à tirets")
    end = start
    while end < len(lines):
        following = lines[end]
        if following.strip() and len(following) - len(following.lstrip()) <= dash:
            break
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    lines.insert(end, f"{' ' * dash}- {item}\n")
    return "".join(lines)


def add_invoice(project: Project, slug: str, kind: InvoiceKind, day: dt.date, *,
                share: Decimal | None = None, amount: Decimal | None = None,
                cancels: str | None = None, service: str | None = None) -> tuple[Billed, str]:
    """Add the next invoice of ``slug``; what was added and the file's display path."""
    catalog = read_catalog(project)
    if errors(catalog.diagnostics):
        raise InputError(catalog.diagnostics)
    source = next((m for m in catalog.missions if m.slug == slug), None)
    if source is None or catalog.provider is None:
        raise BuildError(f"mission inconnue : {slug} (voir amoor check)")
    mission, provider = source.mission, catalog.provider
    if kind is InvoiceKind.DEPOSIT and share is None and amount is None:
        share = mission.quote.deposit if mission.quote.deposit is not None \
            else provider.terms.deposit
        if not share:
            raise BuildError("acompte : donnez --part ou --montant (le devis n'en prévoit pas)")
    number = next_number(catalog.missions, provider.invoicing, day.year)
    entry: dict[str, object] = {"type": kind.value, "numero": number, "date": day}
    if service:
        entry["prestation"] = service
    if share is not None:
        entry["part"] = share
    if amount is not None:
        entry["montant_ht"] = amount
    if cancels:
        entry["annule"] = cancels
    file = project.root / source.path
    text = read_text(file, source.path)
    doc = load_yaml(text, source.path)
    result = _append(text, doc, entry)
    wanted = dict(doc.data) if isinstance(doc.data, dict) else {}
    wanted["factures"] = [*(wanted.get("factures") or []), entry]
    try:
        same = load_yaml(result, source.path).data == wanted
    except InputError:  # pragma: no cover - a bug of this module
        same = False
    if not same:  # pragma: no cover - a bug of this module
        raise BuildError(f"{source.path} : ajout impossible sans risquer le reste du fichier")
    old = file.read_bytes()
    file.write_text(result, encoding="utf-8", newline="")
    try:
        catalog = read_catalog(project)
        if errors(catalog.diagnostics):
            raise InputError(catalog.diagnostics)
    except BaseException:
        file.write_bytes(old)            # nothing issued: the file as it was
        raise
    source = next(m for m in catalog.missions if m.slug == slug)
    offer = catalog.offers[source.mission.offer].offer
    billed = bill(source.mission, quote(source.mission.pricing, offer), offer,
                  provider.terms.payment_days)[-1]
    add_to_lock(project.root / LOCK, billed.number, fingerprint(slug, billed), slug)
    return billed, source.path
