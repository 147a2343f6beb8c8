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


def today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise BuildError(f"SOURCE_DATE_EPOCH invalide : {epoch!r} (secondes depuis "
                             "1970, un entier)") from None
        return moment.astimezone(PARIS).date()
    return dt.datetime.now(PARIS).date()
