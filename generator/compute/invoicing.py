"""Invoices drawn from the devis, in Decimal, and the fingerprint that freezes each one.

An acompte is a share (or an amount) of the devis' total HT, its VAT rounded half-up
like the devis'. The solde states the whole devis (the same lines and totals as the
devis) and deducts the acomptes already invoiced, TTC, as paid (Factur-X BT-113): the
acomptes' and the solde's amounts due add up to the devis' TTC to the cent. An avoir
repeats the invoice it cancels; a cancelled acompte is not deducted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..content.diagnostics import Diagnostic
from ..content.ledger import LOCK, Locked
from ..content.models.mission import Mission
from ..content.models.offer import Offer
from ..content.models.provider import Provider
from ..content.models.vocab import InvoiceKind
from ..content.reader import MissionSource
from .pricing import CENT, Quote, quote


@dataclass(frozen=True)
class InvoiceLine:
    label: str
    quantity: Decimal
    unit: str
    unit_price_ht: Decimal
    amount_ht: Decimal


@dataclass(frozen=True)
class Billed:
    """One invoice, computed: what its PDF, its XML and ``amoor show`` all say."""

    kind: InvoiceKind
    number: str
    date: dt.date
    due_date: dt.date
    service: str | None
    lines: tuple[InvoiceLine, ...]
    total_ht: Decimal
    vat_rate: Decimal
    vat: Decimal
    total_ttc: Decimal
    prepaid: Decimal                        #: acomptes deducted (TTC), on the solde
    deducted: tuple[Billed, ...] = ()       #: those acomptes
    cancels: str | None = None

    @property
    def due(self) -> Decimal:
        """Net à payer (for an avoir: the amount credited)."""
        return self.total_ttc - self.prepaid

    @property
    def signed_due(self) -> Decimal:
        """What the invoice adds to what the client owes (an avoir takes away)."""
        return -self.due if self.kind is InvoiceKind.CREDIT else self.due


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def devis_lines(quote: Quote, offer: Offer) -> tuple[InvoiceLine, ...]:
    """The devis' lines: the forfait, then each option."""
    fee = InvoiceLine(f"Forfait « {offer.title} »", Decimal(1), "forfait", quote.flat_fee_ht,
                      quote.flat_fee_ht)
    return (fee, *(InvoiceLine(o.label, o.quantity, o.unit, o.unit_price_ht, o.amount_ht)
                   for o in quote.options))


def bill(mission: Mission, quote: Quote, offer: Offer, payment_days: int
         ) -> tuple[Billed, ...]:
    """Every invoice of the mission, in the order written. References (``annule``) are
    checked beforehand (content/validation.py)."""
    out: dict[str, Billed] = {}
    cancelled: set[str] = set()         #: by an avoir issued so far: an issued solde stays
    for invoice in mission.invoices:
        due = invoice.date + dt.timedelta(days=payment_days)
        if invoice.kind is InvoiceKind.DEPOSIT:
            ht = _cents(invoice.share * quote.total_ht) if invoice.share is not None \
                else Decimal(invoice.amount_ht or 0)
            share = f"{_percent(invoice.share)} " if invoice.share is not None else ""
            line = InvoiceLine(f"Acompte {share}: {offer.title} — {mission.title}",
                               Decimal(1), "acompte", ht, ht)
            vat = _cents(ht * quote.vat_rate)
            billed = Billed(invoice.kind, invoice.number, invoice.date, due, invoice.service,
                            (line,), ht, quote.vat_rate, vat, ht + vat, Decimal(0))
        elif invoice.kind is InvoiceKind.BALANCE:
            deposits = tuple(b for b in out.values() if b.kind is InvoiceKind.DEPOSIT
                             and b.number not in cancelled)
            billed = Billed(invoice.kind, invoice.number, invoice.date, due, invoice.service,
                            devis_lines(quote, offer), quote.total_ht, quote.vat_rate,
                            quote.vat, quote.total_ttc,
                            sum((d.total_ttc for d in deposits), Decimal(0)), deposits)
        else:
            cancelled.add(invoice.cancels or "")
            target = out[invoice.cancels or ""]
            billed = Billed(invoice.kind, invoice.number, invoice.date, due, invoice.service,
                            target.lines, target.total_ht, target.vat_rate, target.vat,
                            target.total_ttc, target.prepaid, target.deducted,
                            cancels=target.number)
        out[invoice.number] = billed
    return tuple(out.values())


def _percent(share: Decimal) -> str:
    value = (share * 100).normalize()
    return f"{value:f}".replace(".", ",") + "\u00a0%"


def remaining(quote: Quote, billed: tuple[Billed, ...]) -> Decimal:
    """TTC of the devis still to invoice."""
    return quote.total_ttc - sum((b.signed_due for b in billed), Decimal(0))


def fingerprint(slug: str, billed: Billed) -> str:
    """What an issued invoice says, hashed: its number, kind, dates, lines and amounts.
    Any change to one of them changes the fingerprint kept in ``factures.lock``."""
    said = {
        "mission": slug, "numero": billed.number, "type": billed.kind.value,
        "date": billed.date.isoformat(), "prestation": billed.service,
        "lignes": [[ln.label, str(ln.quantity), ln.unit, str(ln.unit_price_ht),
                    str(ln.amount_ht)] for ln in billed.lines],
        "totaux": [str(v) for v in (billed.total_ht, billed.vat_rate, billed.vat,
                                    billed.total_ttc, billed.prepaid)],
        "annule": billed.cancels,
    }
    text = json.dumps(said, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def check_lock(missions: list[MissionSource], offers: dict[str, Offer], provider: Provider,
               lock: dict[str, Locked], *, every: bool = True) -> list[Diagnostic]:
    """Each issued invoice as its fingerprint says; ``every``: all missions were read,
    so an invoice of the lock found in none had its number changed or was removed."""
    out: list[Diagnostic] = []
    seen: set[str] = set()
    credit = "une facture émise ne se modifie pas : émettez un avoir (amoor facture " \
             "{slug} --avoir {number}), puis une nouvelle facture"
    for source in missions:
        offer = offers.get(source.mission.offer)
        if offer is None:
            continue
        billed = bill(source.mission, quote(source.mission.pricing, offer), offer,
                      provider.terms.payment_days)
        for i, b in enumerate(billed):
            seen.add(b.number)
            line, column = source.invoice_marks[i]
            where = (source.path, line, column, f"factures[{i}]")
            locked = lock.get(b.number)
            if locked is None:
                out.append(Diagnostic(*where, f"facture {b.number} absente de {LOCK} : "
                                      "écrite à la main, elle n'est pas protégée (amoor "
                                      "facture l'y inscrit)", "warning"))
            elif locked.slug != source.slug or locked.fingerprint != fingerprint(source.slug, b):
                out.append(Diagnostic(*where, f"facture {b.number} déjà émise ({LOCK}, ligne "
                                      f"{locked.line}) : son montant, ses lignes, sa date ou "
                                      f"sa mission ont changé ; " +
                                      credit.format(slug=locked.slug, number=b.number)))
    if every:
        for number, locked in lock.items():
            if number not in seen:
                out.append(Diagnostic(LOCK, locked.line, 1, number,
                                      f"facture {number} émise ({locked.slug}) introuvable "
                                      "dans les missions : numéro changé ou facture "
                                      "supprimée ; " +
                                      credit.format(slug=locked.slug, number=number)))
    return out
