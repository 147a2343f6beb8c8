"""The « R.O.I. citoyen » workshop page: one self-contained HTML file per dossier.

Opened from disk in a meeting room without network, it scores each scenario × public
pair live and computes the ranking with its own script (``templates/dossier/atelier/
roi.js``, tested against :mod:`generator.compute.roi`). Everything it shows of the
mission reaches it as JSON in a non-executed ``<script>``, read with ``textContent``:
no text of the consultant's YAML is ever parsed as HTML or code. Its policy allows its
one inline script by hash, so it runs the same from ``file://``, from the site and
once unsealed.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..content.models.mission import Mission
from ..protection.csp import script_hash
from ..text.render import environment, render
from .charts import HEAT_RAMP, NOT_REACHED_COLOURS

ATELIER = "atelier-roi-citoyen.html"
TITLE = "Atelier « R.O.I. citoyen », à projeter (fonctionne sans réseau)"

#: The ten criteria as ``mission.yml`` names them, with what the room reads on screen.
CRITERIA: tuple[tuple[str, str, str, str], ...] = (
    ("temps", "Temps", "peu de temps demandé", "cout"),
    ("deplacement", "Déplacement", "peu ou pas de déplacement", "cout"),
    ("effort", "Effort", "peu d'effort à fournir", "cout"),
    ("exposition", "Exposition", "peu d'exposition publique", "cout"),
    ("influence", "Influence", "pèse réellement sur la décision", "benefice"),
    ("information", "Information", "apprend ce qui se prépare", "benefice"),
    ("reconnaissance", "Reconnaissance", "sa parole est reconnue", "benefice"),
    ("convivialite", "Convivialité", "un moment agréable, des rencontres", "benefice"),
    ("suivi", "Suivi", "sait ce que devient sa contribution", "benefice"),
    ("mobilisation", "Mobilisation", "sera vraiment atteint (0, 1 : non)",
     "mobilisation"),
)
GROUPS = {"cout": "Coûts pour le citoyen (4 = le plus léger)",
          "benefice": "Bénéfices pour le citoyen", "mobilisation": "Mobilisation"}


def has_workshop(mission: Mission) -> bool:
    """A dossier gets the page once it has scenarios and the publics to evaluate."""
    return bool(mission.scenarios and mission.roi and mission.roi.publics)


def script_json(data: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``
    (no ``</script>``, no ``<!--``), no line separators."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)


def workshop_data(slug: str, mission: Mission, labels: dict[str, str]) -> dict[str, Any]:
    """What the page starts from: the mission's scenarios, publics, weights and any
    evaluation already written (a pair not in ``mission.yml`` stays blank)."""
    assert mission.roi is not None
    roi = mission.roi
    aliases = {name: f.alias or name for name, f in type(roi.weights).model_fields.items()}
    return {
        "mission": slug, "titre": mission.title, "client": mission.client.name,
        "scenarios": [{"id": s.id, "titre": s.title, "utilite": s.usefulness}
                      for s in mission.scenarios],
        "publics": [{"ref": p.ref, "libelle": labels.get(p.ref, p.ref),
                     "prioritaire": p.priority} for p in roi.publics],
        # Only the weights the mission gives: the export writes back no default.
        "poids": {aliases[name]: format(getattr(roi.weights, name), "f")
                  for name in sorted(roi.weights.model_fields_set)},
        "evaluations": {f"{e.scenario}\0{e.public}": {
            **e.costs.model_dump(by_alias=True), **e.benefits.model_dump(by_alias=True),
            "mobilisation": e.mobilisation} for e in roi.evaluations},
        "retenu": roi.retained,
        "criteres": [{"id": c, "libelle": label, "definition": text, "groupe": group}
                     for c, label, text, group in CRITERIA],
        "chaleur": list(HEAT_RAMP), "non_atteint": list(NOT_REACHED_COLOURS),
    }


def _source(name: str) -> str:
    """A script as it is written (not a template: its braces are JavaScript's)."""
    env = environment()
    assert env.loader is not None
    return env.loader.get_source(env, name)[0]


def workshop_page(slug: str, mission: Mission, labels: dict[str, str]) -> bytes:
    data = workshop_data(slug, mission, labels)
    script = "".join(_source(f"dossier/atelier/{name}") for name in ("roi.js", "atelier.js"))
    html = render("dossier/atelier/page.html", d=data, data_json=script_json(data),
                  script=Markup(script), script_hash=script_hash(script), groups=GROUPS)
    return html.encode("utf-8")
