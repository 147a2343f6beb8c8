"""``amoor new``: a mission folder that is valid at once, every key explained."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..content.diagnostics import BuildError
from ..content.models.offer import Offer
from ..content.reader import SLUG
from ..dossier.contents import DELIVERABLE_PAGES
from ..text.render import environment


def new_mission(missions_dir: Path, slug: str, *, client: str, title: str, kind: str,
                offer: Offer, day: dt.date) -> list[Path]:
    """Create ``missions/<slug>/``, its devis dated ``day`` (the proposal is written
    now: a devis dated by default from a start not yet fixed would be stale at once);
    refuse an invalid slug or an existing folder."""
    if not SLUG.match(slug):
        raise BuildError(f"« {slug} » : minuscules, chiffres et tirets seulement")
    folder = missions_dir / slug
    if folder.exists():
        raise BuildError(f"{folder} existe déjà : rien n'a été modifié")
    env = environment()
    scaffolded = {ref: spec.src_uri for ref, spec in DELIVERABLE_PAGES.items() if spec.scaffold}
    deliverables = [(d.id, scaffolded.get(d.id)) for d in offer.deliverables]
    files = {"mission.yml": env.get_template("build/scaffold/mission.yml.j2").render(
        slug=slug, title=title, client=client, kind=kind, offer=offer.id,
        today=day.isoformat(), steps=[s.id for s in offer.steps],
        deliverables=deliverables)}
    titles = {d.id: d.title for d in offer.deliverables}
    for ref, page in deliverables:
        if page:
            files[page] = env.get_template("build/scaffold/page.md.j2").render(title=titles[ref])
    folder.mkdir(parents=True)
    written = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written
