"""The build's date, in Paris: when a dossier's access expires.

From ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds, tests), else from the
clock. Nothing else in a build depends on the date: the output of a given day is the
same at every build of that day.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from .diagnostics import BuildError

PARIS = ZoneInfo("Europe/Paris")
#: ``SOURCE_DATE_EPOCH`` accepted from 2000 to a year ahead: anything else (``-1``, ``0``,
#: a number of milliseconds) is a mistake that would freeze or skip every expiry.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
AHEAD = dt.timedelta(days=366)


def _epoch(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        moment = None
    if moment is None or not EARLIEST <= moment <= dt.datetime.now(dt.UTC) + AHEAD:
        raise BuildError(f"SOURCE_DATE_EPOCH invalide : {value!r} (secondes depuis 1970, "
                         "un entier, entre l'an 2000 et dans un an) : il fixe la date à "
                         "laquelle les accès expirent") from None
    return moment


def source_date() -> dt.date | None:
    """The date ``SOURCE_DATE_EPOCH`` sets, in Paris, when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return _epoch(epoch).astimezone(PARIS).date() if epoch else None


def today() -> dt.date:
    return source_date() or dt.datetime.now(PARIS).date()
