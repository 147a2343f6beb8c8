"""``amoor atelier importer``: the workshop page's export written into ``mission.yml``.

The export (JSON, which is YAML) names its mission and holds the ``roi_citoyen``
block as the page scored it. It is checked against the mission first (its mission,
its scenarios and publics, every pair scored, each score 0..4): any problem names the
file and nothing is written. Then only ``roi_citoyen.evaluations`` and
``scenario_retenu`` are rewritten, where they are in the file, so the consultant's
comments and layout elsewhere stay; the result is read again and compared with what
was meant before it is written (as ``amoor revoke`` does).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .diagnostics import BuildError, InputError
from .models.mission import Evaluation, Mission
from .yamlio import load_yaml, read_text

EXPORT_KEYS = {"mission", "date", "roi_citoyen", "classement", "paires"}


@dataclass(frozen=True)
class WorkshopResult:
    evaluations: tuple[dict[str, Any], ...]     #: as mission.yml writes them
    retained: str | None
    day: dt.date | None
    ranking: tuple[str, ...]                    #: as the page showed it


def read_result(file: Path, display: str, slug: str, mission: Mission) -> WorkshopResult:
    """The export, checked against the mission it must belong to."""
    data = load_yaml(read_text(file, display), display).data

    def refuse(why: str) -> BuildError:
        return BuildError(f"{display} : {why} ; rien n'a été écrit")

    if not isinstance(data, dict) or not isinstance(data.get("roi_citoyen"), dict):
        raise refuse("ce n'est pas un export de la page d'atelier (clé « roi_citoyen » absente)")
    if data.get("mission") != slug:
        raise refuse(f"export de la mission « {data.get('mission')} », pas de « {slug} »")
    if set(data) - EXPORT_KEYS:
        raise refuse(f"clé(s) inconnue(s) : {', '.join(sorted(map(str, set(data) - EXPORT_KEYS)))}")
    if mission.roi is None or not mission.scenarios:
        raise refuse(f"la mission « {slug} » n'a pas de scénarios ni de publics "
                     "(roi_citoyen.publics) à évaluer")
    block = data["roi_citoyen"]
    scenarios = [s.id for s in mission.scenarios]
    publics = [p.ref for p in mission.roi.publics]
    listed = [p.get("ref") if isinstance(p, dict) else p for p in block.get("publics") or []]
    unknown = [str(p) for p in listed if p not in publics]
    if unknown:
        raise refuse(f"public(s) inconnu(s) de la mission : {', '.join(unknown)}")
    raw = block.get("evaluations")
    if not isinstance(raw, list):
        raise refuse("roi_citoyen.evaluations doit être une liste")
    try:
        evaluations = [Evaluation.model_validate(e) for e in raw]
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(x) for x in first["loc"])
        raise refuse(f"évaluation invalide ({where} : {first['msg']})") from None
    seen: set[tuple[str, str]] = set()
    for e in evaluations:
        if e.scenario not in scenarios:
            raise refuse(f"scénario inconnu « {e.scenario} » (scénarios : {', '.join(scenarios)})")
        if e.public not in publics:
            raise refuse(f"public inconnu « {e.public} » (publics : {', '.join(publics)})")
        if (e.scenario, e.public) in seen:
            raise refuse(f"évaluation {e.scenario} × {e.public} en double")
        seen.add((e.scenario, e.public))
    missing = [f"{s} × {p}" for s in scenarios for p in publics if (s, p) not in seen]
    if missing:
        raise refuse(f"paire(s) pas encore notée(s) : {', '.join(missing)} (notez-les dans la "
                     "page d'atelier, puis exportez à nouveau)")
    retained = block.get("scenario_retenu")
    if retained is not None and retained not in scenarios:
        raise refuse(f"scénario retenu inconnu « {retained} »")
    day = data.get("date")
    order = {(s, p): i for i, (s, p) in enumerate((s, p) for s in scenarios for p in publics)}
    kept = sorted(evaluations, key=lambda e: order[e.scenario, e.public])
    return WorkshopResult(
        tuple(e.model_dump(by_alias=True) for e in kept), retained,
        day if isinstance(day, dt.date) else None,
        tuple(str(s) for s in data.get("classement") or ()))


def _scalar(value: object) -> str:
    """A value as YAML reads it back identically: plain when it can be, else quoted."""
    text = str(value)
    if isinstance(value, str) and yaml.safe_load(text) != text:
        return json.dumps(text, ensure_ascii=False)
    return text


def _flow(values: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in values.items()) + "}"


def _items(evaluations: tuple[dict[str, Any], ...], indent: str) -> list[str]:
    lines = []
    for e in evaluations:
        lines += [f"{indent}- scenario: {_scalar(e['scenario'])}",
                  f"{indent}  public: {_scalar(e['public'])}",
                  f"{indent}  couts: {_flow(e['couts'])}",
                  f"{indent}  benefices: {_flow(e['benefices'])}",
                  f"{indent}  mobilisation: {e['mobilisation']}"]
    return lines


def _child(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    return next(((k, v) for k, v in node.value if k.value == key), None)


def _end(node: yaml.Node) -> yaml.Mark:
    """Where a node's own text ends (a block collection's end mark is the next key's)."""
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _end(node.value[-1])
    return node.end_mark


def _offset(lines: list[str], mark: yaml.Mark) -> int:
    return sum(len(line) for line in lines[:mark.line]) + mark.column


def write_result(file: Path, display: str, result: WorkshopResult) -> None:
    """Write the evaluations (and the retained scenario, if chosen) into ``file``."""
    text = read_text(file, display)
    data = load_yaml(text, display).data
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found = _child(root, "roi_citoyen") if isinstance(root, yaml.MappingNode) else None
    if found is None or not isinstance(found[1], yaml.MappingNode) or found[1].flow_style:
        raise BuildError(f"{display} : « roi_citoyen » doit être écrit en bloc (une clé par "
                         "ligne) pour recevoir le résultat ; rien n'a été écrit")
    block = found[1]
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in text else "\n"
    indent = " " * block.value[0][0].start_mark.column
    edits: list[tuple[int, int, str]] = []
    evaluations = _child(block, "evaluations")
    if evaluations is not None and isinstance(evaluations[1], yaml.SequenceNode) \
            and evaluations[1].value and not evaluations[1].flow_style:
        value = evaluations[1]
        items = _items(result.evaluations, " " * value.start_mark.column)
        items[0] = items[0].lstrip()
        edits.append((_offset(lines, value.start_mark), _offset(lines, _end(value)),
                      newline.join(items)))
    elif evaluations is not None:       # evaluations: [] (before the workshop)
        end = _offset(lines, _end(evaluations[1]))
        rest = text[end:].split("\n", 1)[0].rstrip("\r")     # a comment stays on its key
        kept = rest if rest.strip().startswith("#") else ""
        edits.append((_offset(lines, evaluations[0].end_mark), end + len(kept),
                      ":" + kept + newline +
                      newline.join(_items(result.evaluations, indent + "  "))))
    else:
        at = _offset(lines, _end(block))
        edits.append((at, at, newline + f"{indent}evaluations:" + newline +
                      newline.join(_items(result.evaluations, indent + "  "))))
    if result.retained is not None:
        retained = _child(block, "scenario_retenu")
        if retained is not None:
            edits.append((_offset(lines, retained[1].start_mark),
                          _offset(lines, _end(retained[1])), _scalar(result.retained)))
        else:
            line = newline + f"{indent}scenario_retenu: {_scalar(result.retained)}"
            at = _offset(lines, _end(block))
            start, end, replacement = edits[0]
            if at <= end:       # the evaluations are the block's last key
                edits[0] = (start, end, replacement + line)
            else:
                edits.append((at, at, line))
    new = text
    for start, end, replacement in sorted(edits, reverse=True):
        new = new[:start] + replacement + new[end:]
    wanted = dict(data)
    wanted["roi_citoyen"] = {**data["roi_citoyen"], "evaluations": list(result.evaluations)}
    if result.retained is not None:
        wanted["roi_citoyen"]["scenario_retenu"] = result.retained
    try:
        same = load_yaml(new, display).data == wanted
    except InputError:  # pragma: no cover - a bug of this module
        same = False
    if not same:
        raise BuildError(f"{display} : écriture impossible sans risquer le reste du fichier "
                         "(roi_citoyen écrit d'une façon inattendue) ; rien n'a été écrit")
    file.write_text(new, encoding="utf-8", newline="")

