"""French formatting through Babel, and French typography for rendered HTML."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "fr_FR"
NBSP = "\u00a0"
NNBSP = "\u202f"


def money(amount: Decimal | int) -> str:
    """``7 675 €`` (U+202F thousands, U+00A0 before €); cents only when not zero."""
    value = Decimal(amount)
    if value == value.to_integral_value():
        return format_currency(value, "EUR", format="#,##0\xa0¤", currency_digits=False,
                               locale=LOCALE)
    return format_currency(value, "EUR", locale=LOCALE)


def cents(amount: Decimal | int) -> str:
    """``5 475,00 €``: a financial document (devis, invoice) shows every amount with
    its two decimals."""
    return format_currency(Decimal(amount), "EUR", locale=LOCALE)


def siren(siret: str | None) -> str:
    """The SIREN inside a SIRET: its first nine digits."""
    return re.sub(r"\D", "", siret or "")[:9]


def money_ht(amount: Decimal | int) -> str:
    return f"{money(amount)}{NBSP}HT"


def number(value: Decimal | Fraction | float | int, digits: int = 2) -> str:
    """A score or quantity: ``2,73``, ``3`` (trailing zeros dropped)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return format_decimal(Decimal(value), format=pattern, locale=LOCALE)


def percent(rate: Decimal) -> str:
    """``20 %`` with its no-break space."""
    return format_percent(rate, locale=LOCALE)


def date(value: dt.date | None, missing: str = "à définir") -> str:
    """``15 octobre 2026``, ``1er mars 2027`` (the first of the month is an ordinal in
    French)."""
    if value is None:
        return missing
    return ("1er " if value.day == 1 else "") + \
        format_date(value, "MMMM y" if value.day == 1 else "d MMMM y", locale="fr")


def slugify(name: str) -> str:
    """``Ville de Montclair-sur-Vienne`` → ``ville-de-montclair-sur-vienne``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "mission"


_SKIP = re.compile(r"<(code|pre|script|style|kbd|textarea)\b", re.I)
_TAG = re.compile(r"(<[^>]*>)")


def _typo_text(text: str) -> str:
    # ``: ; ! ?`` get a no-break space only where a space was typed (never in « 10:30 »
    # or a URL); guillemets always hold theirs.
    text = re.sub(r"[ \u00a0\u202f]+([:;!?])", NBSP + r"\1", text)
    text = re.sub(r"[ \u00a0\u202f]*»", NBSP + "»", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NBSP, text)
    return text


def typography(html: str) -> str:
    """No-break spaces before ``: ; ! ?`` and inside « » in text, never in code or tags."""
    out = []
    skipping: str | None = None
    for part in _TAG.split(html):
        if part.startswith("<"):
            if skipping is None:
                match = _SKIP.match(part)
                if match and not part.endswith("/>"):
                    skipping = match.group(1).lower()
            elif re.match(rf"</{skipping}\s*>", part, re.I):
                skipping = None
            out.append(part)
        elif skipping is None:
            out.append(_typo_text(part))
        else:
            out.append(part)
    return "".join(out)
