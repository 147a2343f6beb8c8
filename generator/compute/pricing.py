"""The financial proposal, in Decimal: never a float near money."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..content.models.mission import Pricing
from ..content.models.offer import Offer

CENT = Decimal("0.01")


@dataclass(frozen=True)
class OptionAmount:
    ref: str
    label: str
    unit: str
    quantity: Decimal
    unit_price_ht: Decimal
    amount_ht: Decimal


@dataclass(frozen=True)
class Quote:
    base_fee_ht: Decimal        #: the forfait as agreed, before any stop clause
    flat_fee_ht: Decimal        #: the forfait actually invoiced
    stopped: bool
    stop_coefficient: Decimal
    options: tuple[OptionAmount, ...]
    options_ht: Decimal
    total_ht: Decimal
    vat_rate: Decimal
    vat: Decimal
    total_ttc: Decimal


def _cents(amount: Decimal) -> Decimal:
    """Half-up to the cent, keeping whole amounts whole (``5000`` stays ``5000``)."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded != amount else amount


def quote(pricing: Pricing, offer: Offer) -> Quote:
    """Price a mission: forfait (halved by the stop clause) + options, VAT rounded half-up.

    Each line is rounded half-up to the cent, so the lines shown add up to the totals.
    References are checked beforehand (content/validation.py); an unknown option here is a bug.
    """
    base = pricing.flat_fee_ht if pricing.flat_fee_ht is not None else offer.price.floor_ht
    coefficient = offer.conditions.stop_coefficient
    fee = _cents(base * coefficient if pricing.stop_before_workshop else base)
    lines = []
    for line in pricing.options:
        option = offer.option(line.ref)
        assert option is not None, line.ref
        unit_price = line.unit_price_ht if line.unit_price_ht is not None \
            else option.unit_price_ht
        lines.append(OptionAmount(line.ref, option.label, option.unit, line.quantity,
                                  unit_price, _cents(line.quantity * unit_price)))
    options_ht = sum((o.amount_ht for o in lines), Decimal(0))
    total_ht = fee + options_ht
    vat = _cents(total_ht * offer.price.vat_rate)
    return Quote(base, fee, pricing.stop_before_workshop, coefficient, tuple(lines),
                 options_ht, total_ht, offer.price.vat_rate, vat, total_ht + vat)
