"""JSON Schemas of the consultant's files, from the pydantic models, for editors.

VS Code (YAML extension) reads the ``yaml-language-server`` comment at the top of a
mission and completes and checks keys as the consultant types.
"""

from __future__ import annotations

import json
from pathlib import Path

from .models.mission import Mission
from .models.offer import OfferPage
from .models.provider import Provider

SCHEMAS = {
    "mission.schema.json": (Mission, "Mission a.m.o.o.r.",
                            "Fichier missions/<slug>/mission.yml d'un dossier de mission."),
    "offre.schema.json": (OfferPage, "Page d'offre a.m.o.o.r.",
                          "En-tête YAML d'une page docs/offres/<id>.md."),
    "prestataire.schema.json": (Provider, "Prestataire a.m.o.o.r.",
                                "Fichier prestataire.yml : l'identité et les conditions "
                                "qui figurent sur chaque devis."),
}


def schema(model, title: str, description: str) -> dict:
    data = model.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title,
            "description": description, **{k: v for k, v in data.items()
                                            if k not in ("title", "description")}}


def write_schemas(dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (model, title, description) in SCHEMAS.items():
        path = dest / name
        path.write_text(json.dumps(schema(model, title, description), ensure_ascii=False,
                                   indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
