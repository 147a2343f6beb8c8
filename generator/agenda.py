"""The dossier's key dates as an iCalendar file the client adds to its agenda."""

from __future__ import annotations

import datetime as dt

from typing import TYPE_CHECKING

from .models.mission import Mission

if TYPE_CHECKING:
    from .dossier import Dossier

AGENDA = "agenda.ics"


def _text(value: str) -> str:
    """RFC 5545 TEXT escaping."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    return "\r\n".join(out + [current])


def events(m: Mission) -> list[tuple[str, dt.date, str]]:
    """The dated events of a mission: (kind, day, summary)."""
    found = []
    if m.dates.workshop:
        found.append(("atelier", m.dates.workshop,
                      f"Atelier « R.O.I. citoyen » — {m.title}"))
    if m.dates.restitution:
        found.append(("restitution", m.dates.restitution, f"Restitution — {m.title}"))
    return found


def ics(dossier: "Dossier") -> str | None:
    """All-day events for the workshop and the restitution, or None when undated.

    DTSTAMP comes from the mission's data, not the clock: builds stay reproducible.
    """
    found = events(dossier.mission)
    if not found:
        return None
    stamp = dossier.created.strftime("%Y%m%dT000000Z")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//a.m.o.o.r.//amoor//FR",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for kind, day, summary in found:
        lines += ["BEGIN:VEVENT", f"UID:{dossier.token}-{kind}@amoor.fr",
                  f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{_text(summary)}",
                  f"DESCRIPTION:{_text(dossier.mission.client.name + ' — a.m.o.o.r.')}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
