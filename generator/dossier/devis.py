"""The devis: the document a French public buyer expects before ordering.

Everything on it comes from the data: the provider's identity and terms
(``prestataire.yml``), the client, the lines and totals of the financial proposal
(the same :class:`~generator.compute.pricing.Quote` as the dossier and ``amoor show``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..compute.pricing import Quote
from ..content.models.mission import Mission
from ..content.models.offer import Offer
from ..content.models.provider import Provider


@dataclass(frozen=True)
class Devis:
    number: str
    date: dt.date
    valid_until: dt.date
    provider: Provider
    validity_days: int
    deposit_rate: Decimal
    deposit: Decimal            #: TTC, to the cent
    payment_days: int


def make_devis(slug: str, mission: Mission, quote: Quote, provider: Provider,
               created: dt.date) -> Devis:
    """Number and date from the mission (default: its start, else the dossier's date;
    the number from the date and the slug, short and stable), terms from the mission
    when it sets them, else from the provider."""
    given, terms = mission.quote, provider.terms
    day = given.date or mission.dates.start or created
    number = given.number or \
        f"DEV-{day:%Y%m%d}-{hashlib.sha256(slug.encode()).hexdigest()[:4].upper()}"
    validity = given.validity_days or terms.validity_days
    rate = given.deposit if given.deposit is not None else terms.deposit
    deposit = (quote.total_ttc * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Devis(number, day, day + dt.timedelta(days=validity), provider, validity, rate,
                 deposit, terms.payment_days)


def duration(offer: Offer) -> str:
    p = offer.price
    return f"{p.days} jours de mission, dont {p.workshops} atelier d'une demi-journée"
