"""``amoor new``: a mission folder that is valid at once, every key explained."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .models.offer import Offer
from .reader import SLUG
from .render import environment

PAGES = {"cartographie": "cartographie.md", "parametres": "parametres.md",
         "cahier-des-charges": "cahier-des-charges.md"}


class ScaffoldError(Exception):
    pass


def new_mission(missions_dir: Path, slug: str, *, client: str, title: str, kind: str,
                offer: Offer) -> list[Path]:
    """Create ``missions/<slug>/``; refuse an invalid slug or an existing folder."""
    if not SLUG.match(slug):
        raise ScaffoldError(f"« {slug} » : minuscules, chiffres et tirets seulement")
    folder = missions_dir / slug
    if folder.exists():
        raise ScaffoldError(f"{folder} existe déjà : rien n'a été modifié")
    env = environment()
    deliverables = [(d.id, PAGES.get(d.id)) for d in offer.deliverables]
    files = {"mission.yml": env.get_template("scaffold/mission.yml.j2").render(
        slug=slug, title=title, client=client, kind=kind, offer=offer.id,
        today=dt.date.today().isoformat(), steps=[s.id for s in offer.steps],
        deliverables=deliverables)}
    titles = {d.id: d.title for d in offer.deliverables}
    for ref, page in deliverables:
        if page:
            files[page] = env.get_template("scaffold/page.md.j2").render(title=titles[ref])
    folder.mkdir(parents=True)
    written = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written
