"""The dossier's key dates as an iCalendar file (RFC 5545) the client adds to its agenda.

A calendar invitation is forwarded: nothing in it may lead to the dossier. The UID
is an opaque value derived from the secret, not the dossier's address.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..content.models.mission import Mission

AGENDA = "agenda.ics"
_BREAKS = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Event:
    kind: str           #: "atelier", "restitution"
    day: dt.date
    summary: str


def events(m: Mission) -> list[Event]:
    """The dated events of a mission."""
    found = []
    if m.dates.workshop:
        found.append(Event("atelier", m.dates.workshop,
                           f"Atelier « R.O.I. citoyen » — {m.title}"))
    if m.dates.restitution:
        found.append(Event("restitution", m.dates.restitution, f"Restitution — {m.title}"))
    return found


def text(value: str) -> str:
    """RFC 5545 TEXT: backslash, ``;`` and ``,`` escaped; every line break (CR, LF or
    both) becomes ``\\n``, so no character can start a property of its own."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _BREAKS.sub("\\\\n", escaped)


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1), never inside a character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    return "\r\n".join(out + [current])


def calendar(found: list[Event], *, uids: dict[str, str], description: str,
             stamp: dt.date) -> str:
    """All-day events; ``uids`` by event kind; DTSTAMP from the data, not the clock,
    so that builds stay reproducible."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//a.m.o.o.r.//amoor//FR",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for event in found:
        lines += ["BEGIN:VEVENT", f"UID:{uids[event.kind]}@amoor.fr",
                  f"DTSTAMP:{stamp:%Y%m%d}T000000Z", f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{event.day + dt.timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{text(event.summary)}", f"DESCRIPTION:{text(description)}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
