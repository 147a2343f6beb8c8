"""What the CLI prints of a dossier: its link row and its computed figures, as data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..compute.invoicing import remaining
from ..protection.keys import Keys
from ..text.fmt import cents, money, number
from .access import client_revisions, expired
from .dossier import Dossier
from .portal import portal_path


def _amount(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _score(value: Fraction) -> float:
    return round(float(value), 6)


def link_rows(dossiers: list[Dossier], keys: Keys, day: dt.date) -> list[dict[str, Any]]:
    """``amoor links --json``: one row per dossier, as published on ``day``; URLs
    relative to the site root. An expired dossier has no URL; a client's portal is
    given while one of its dossiers is published."""
    live = {d.client for d in dossiers if not expired(d.source, day)}
    revisions = client_revisions(d.source for d in dossiers)
    rows = []
    for d in dossiers:
        files = [d.path + name for name in d.files]
        gone = expired(d.source, day)
        end = d.mission.access.expires
        rows.append({
            "slug": d.slug, "client": d.mission.client.name, "statut": str(d.mission.status),
            "url": None if gone else d.path, "fichiers": [] if gone else files,
            "pdfs": [] if gone else [f for f in files if f.endswith(".pdf")],  # older scripts
            "mot_de_passe": bool(d.password_env),
            "portail": portal_path(keys, d.client, revisions[d.client])
            if d.client in live else None,
            "expire_le": end.isoformat() if end else None, "expire": gone})
    return rows


def show_data(dossier: Dossier) -> dict[str, Any]:
    """The computed figures of one mission, as ``amoor show --json`` prints them."""
    q = dossier.quote
    data: dict[str, Any] = {
        "prix": {
            "forfait_ht": _amount(q.flat_fee_ht),
            "options": [{"ref": o.ref, "quantite": str(o.quantity),
                         "prix_unitaire_ht": _amount(o.unit_price_ht),
                         "montant_ht": _amount(o.amount_ht)} for o in q.options],
            "total_ht": _amount(q.total_ht), "tva": _amount(q.vat),
            "total_ttc": _amount(q.total_ttc),
        },
        "factures": [{"numero": b.number, "date": b.date.isoformat(), "type": b.kind.value,
                      "total_ht": _amount(b.total_ht), "tva": _amount(b.vat),
                      "total_ttc": _amount(b.total_ttc), "net_a_payer": _amount(b.due)}
                     for b in dossier.invoices],
        "reste_a_facturer_ttc": _amount(remaining(q, dossier.invoices)),
        "quadrants": {k: v.id for k, v in dossier.quadrants.items()},
        "roi": None,
    }
    if dossier.roi is not None:
        data["roi"] = {
            "classement": list(dossier.roi.ranking),
            "scenarios": {
                sid: {"score_min": _score(s.score_min), "score_moyen": _score(s.score_mean),
                      "publics": {p: {"score": _score(ps.score),
                                      "effectif": _score(ps.effective),
                                      "non_atteint": ps.not_reached}
                                  for p, ps in s.publics.items()}}
                for sid, s in dossier.roi.scenarios.items()},
            "scenario_retenu": dossier.roi.retained,
        }
    return data


def show_lines(dossier: Dossier) -> list[str]:
    """``amoor show``: the figures of :func:`show_data`, as lines for the terminal."""
    lines: list[str] = []
    q = dossier.quote
    lines.append(f"{dossier.mission.title} — {dossier.mission.client.name}")
    lines.append(f"  Forfait{' (arrêt avant atelier)' if q.stopped else ''} : "
                 f"{money(q.flat_fee_ht)} HT")
    for o in q.options:
        lines.append(f"  {o.label} : {number(o.quantity)} × {money(o.unit_price_ht)} = "
                     f"{money(o.amount_ht)} HT")
    lines.append(f"  Total : {money(q.total_ht)} HT, TVA {money(q.vat)}, "
                 f"{money(q.total_ttc)} TTC")
    for b in dossier.invoices:
        lines.append(f"  {b.number} du {b.date:%d/%m/%Y}, {b.kind.label.lower()} : "
                     f"{cents(b.total_ht)} HT, TVA {cents(b.vat)}, {cents(b.total_ttc)} TTC"
                     + (f", net à payer {cents(b.due)}" if b.prepaid else ""))
    if dossier.invoices:
        lines.append(f"  Reste à facturer : {cents(remaining(q, dossier.invoices))} TTC")
    for sid, quad in dossier.quadrants.items():
        lines.append(f"  {sid} : {quad.title}")
    return lines + ranking_lines(dossier)


def ranking_lines(dossier: Dossier) -> list[str]:
    """The R.O.I. citoyen ranking, one line a scenario (``amoor show``, ``amoor atelier``)."""
    if not dossier.roi:
        return []
    lines = []
    for sid, s in dossier.roi.scenarios.items():
        mark = " (retenu)" if sid == dossier.roi.retained else ""
        lines.append(f"  {s.rank}. scénario {sid}{mark} : min {number(s.score_min, 3)}, "
                     f"moyen {number(s.score_mean, 3)}")
    return lines
