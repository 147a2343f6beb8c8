"""``dossier-complet.zip``: every document of a dossier and its agenda, in one download.

The same bytes at every build: entries in a fixed order, with fixed times and
permissions; documents stored as they are (PDFs and PPTX are compressed already),
the short ``LISEZMOI.txt`` compressed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..dossier.dossier import Dossier
from ..text import fmt
from .archive import fixed_zip

README = "LISEZMOI.txt"


def readme(dossier: Dossier, site_url: str) -> str:
    m = dossier.mission
    lines = [f"Dossier de mission : {m.title}", f"Client : {m.client.name}",
             f"Offre : {dossier.offer.title}", f"Document du {fmt.date(dossier.created)}",
             f"Dossier en ligne : {(site_url or '/').rstrip('/')}/{dossier.path}", "",
             "Contenu :"]
    titles = {d.name: d.title for d in dossier.documents} | \
        {a.name: a.title for a in dossier.attachments}
    lines += [f"- {name} : {titles[name]}" for name in contents(dossier)]
    lines += ["", "Ce lien et ces documents vous sont personnels : merci de ne pas les "
                  "diffuser sans l'accord de votre interlocuteur.",
              f"{dossier.provider.name} — {dossier.provider.website}"]
    return "\r\n".join(lines) + "\r\n"


def contents(dossier: Dossier) -> list[str]:
    """The files in the archive, in the order of the downloads list."""
    return [name for name in dossier.files if not name.endswith(".zip")]


def zip_bytes(dossier: Dossier, folder: Path, site_url: str) -> bytes:
    entries = [(README, readme(dossier, site_url).encode(), zipfile.ZIP_DEFLATED)]
    entries += [(name, (folder / name).read_bytes(), zipfile.ZIP_STORED)
                for name in contents(dossier) if (folder / name).is_file()]
    return fixed_zip(entries)


def write_bundle(dossier: Dossier, folder: Path, site_url: str) -> Path:
    """The archive beside the documents it holds (written anew: never in place)."""
    target = folder / "dossier-complet.zip"
    target.unlink(missing_ok=True)
    target.write_bytes(zip_bytes(dossier, folder, site_url))
    return target
