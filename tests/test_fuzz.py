"""Property-based tests (hypothesis) of the loader and the computations.

* Random *valid* missions, written as YAML and read back through the real loader,
  model and cross-checks: no error, the same model, and computations that keep their
  promises (price never negative, TTC = HT + TVA to the cent, VAT rounded half-up,
  scores within 0..4, the ranking a permutation of the scenarios, a public not reached
  counting 0).
* Random *mutations* of the reference mission (lines deleted or duplicated, characters
  swapped, tabs or arbitrary characters inserted, bytes that are not UTF-8, truncation):
  the reader returns a mission or diagnostics, never raises; and a mission it accepts
  can be priced and scored.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.compute.pricing import quote
from generator.compute.roi import evaluate
from generator.content.diagnostics import Diagnostic, errors
from generator.content.models.mission import Mission
from generator.content.models.offer import Offer
from generator.content.reader import read_mission, read_offers
from generator.content.validation import check_mission
from generator.content.yamlio import load_yaml

ROOT = Path(__file__).resolve().parent / "fixtures" / "project"
REFERENCE = ROOT / "missions" / "montclair-place-du-marche"
OFFER_ID = "concertation-pertinente"
CENT = Decimal("0.01")

_sources, _problems = read_offers(ROOT / "docs" / "offres", ROOT)
assert _problems == []
OFFERS: dict[str, Offer] = {k: v.offer for k, v in _sources.items()}
OFFER = OFFERS[OFFER_ID]

def budget(examples: int) -> settings:
    """Enough cases to find the odd one; the whole file stays well under a minute."""
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------ YAML with Decimal

class _Dumper(yaml.SafeDumper):
    """Money and weights written as YAML numbers (the loader reads them back as Decimal)."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


# ------------------------------------------------------------------ valid missions

texts = st.text(st.characters(categories=("L", "N", "P", "Zs")), min_size=1,
                max_size=24).filter(lambda s: s.strip())
slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True)
scores = st.integers(0, 4)


def amounts(high: int = 100_000, places: int = 2, low: Decimal = Decimal(0)) -> st.SearchStrategy:
    return st.decimals(low, high, places=places, allow_nan=False, allow_infinity=False)


@st.composite
def dates(draw) -> dict:
    days = sorted(draw(st.lists(st.integers(0, 3000), min_size=3, max_size=3)))
    start = dt.date(2025, 1, 1)
    chosen = {k: start + dt.timedelta(days=d)
              for k, d in zip(("debut", "atelier", "fin"), days, strict=True)}
    kept = draw(st.lists(st.sampled_from(sorted(chosen)), unique=True))
    out = {k: chosen[k] for k in ("debut", "atelier", "fin") if k in kept}
    if "atelier" in out and draw(st.booleans()):
        out["restitution"] = out["atelier"] + dt.timedelta(days=draw(st.integers(0, 90)))
    return out


@st.composite
def pricing(draw) -> dict:
    out: dict = {}
    if draw(st.booleans()):
        out["forfait_ht"] = draw(amounts(200_000))
    chosen = draw(st.lists(st.sampled_from([o.id for o in OFFER.options]), unique=True))
    out["options"] = []
    for ref in chosen:
        line: dict = {"ref": ref, "quantite": draw(amounts(1_000, low=CENT))}
        if draw(st.booleans()):
            line["prix_unitaire_ht"] = draw(amounts(50_000))
        out["options"].append(line)
    out["arret_avant_atelier"] = draw(st.booleans())
    return out


def costs(draw) -> dict:
    return {k: draw(scores) for k in ("temps", "deplacement", "effort", "exposition")}


def benefits(draw) -> dict:
    return {k: draw(scores) for k in ("influence", "information", "reconnaissance",
                                      "convivialite", "suivi")}


WEIGHT_KEYS = ("temps", "deplacement", "effort", "exposition", "influence", "information",
               "reconnaissance", "convivialite", "suivi")


@st.composite
def valid_missions(draw) -> dict:
    ids = draw(st.lists(slugs, min_size=1, max_size=8, unique=True))
    stakeholders = [{
        "id": i, "libelle": draw(texts), "categorie": draw(texts),
        "pouvoir": draw(st.integers(1, 4)), "interet": draw(st.integers(1, 4)),
        "posture": draw(st.sampled_from(["favorable", "neutre", "reservee", "opposee"])),
        "eloigne": draw(st.booleans())} for i in ids]
    scenario_ids = draw(st.lists(st.from_regex(r"[A-Z][A-Za-z0-9-]{0,3}", fullmatch=True),
                                 min_size=1, max_size=5, unique=True))
    publics = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    scenarios = []
    for sid in scenario_ids:
        scenario = {"id": sid, "titre": draw(texts),
                    "niveau": draw(st.sampled_from(["informer", "consulter", "impliquer",
                                                    "collaborer", "habiliter"])),
                    "techniques": draw(st.lists(texts, max_size=3)),
                    "cout_ht": draw(amounts()),
                    "utilite_acteur_public": draw(scores)}
        if draw(st.booleans()):
            scenario["publics"] = draw(st.lists(st.sampled_from(ids), unique=True))
        scenarios.append(scenario)
    grid = [(s, p) for s in scenario_ids for p in publics]
    grid = draw(st.permutations(grid))
    roi = {
        "publics": [{"ref": p, "prioritaire": draw(st.booleans())} for p in publics],
        "poids": {k: draw(amounts(10, places=3)) for k in
                  draw(st.lists(st.sampled_from(WEIGHT_KEYS), unique=True))},
        "evaluations": [{"scenario": s, "public": p, "couts": costs(draw),
                         "benefices": benefits(draw), "mobilisation": draw(scores)}
                        for s, p in grid],
    }
    if draw(st.booleans()):
        roi["scenario_retenu"] = draw(st.sampled_from(scenario_ids))
    steps = draw(st.lists(st.sampled_from([s.id for s in OFFER.steps]), unique=True))
    deliverables = draw(st.lists(st.sampled_from([d.id for d in OFFER.deliverables]),
                                 unique=True))
    return {
        "titre": draw(texts),
        "offre": OFFER_ID,
        "client": {"nom": draw(texts),
                   "type": draw(st.sampled_from(["commune", "intercommunalite",
                                                 "departement", "autre"]))},
        "statut": draw(st.sampled_from(["proposition", "en-cours", "terminee", "arretee"])),
        "dates": draw(dates()),
        "acces": {"mot_de_passe_env": draw(st.none() | st.from_regex(
            r"[A-Z_][A-Z0-9_]{0,15}", fullmatch=True))},
        "tarif": draw(pricing()),
        "etapes": [{"ref": s, "statut": draw(st.sampled_from(["a-venir", "en-cours", "fait"]))}
                   for s in steps],
        "parties_prenantes": stakeholders,
        "scenarios": scenarios,
        "roi_citoyen": roi,
        "livrables": [{"ref": d, "statut": draw(st.sampled_from(["a-venir", "en-cours",
                                                                 "livre"]))}
                      for d in deliverables],
    }


@budget(200)
@given(data=valid_missions())
def test_valid_missions_round_trip_and_compute(data: dict, tmp_path_factory):
    folder = tmp_path_factory.getbasetemp()
    text = dump(data)
    doc = load_yaml(text, "mission.yml")
    mission = Mission.model_validate(doc.data)
    assert mission == Mission.model_validate(data)       # YAML lost nothing
    assert errors(check_mission(mission, doc, OFFERS, folder)) == []

    # Price: Decimal all the way, never negative, TTC = HT + TVA to the cent.
    q = quote(mission.pricing, OFFER)
    assert q.total_ht >= 0 and q.vat >= 0 and q.total_ttc >= 0
    assert q.total_ttc == q.total_ht + q.vat
    assert q.vat == (q.total_ht * OFFER.price.vat_rate).quantize(CENT, ROUND_HALF_UP)
    assert q.total_ht == q.flat_fee_ht + sum((o.amount_ht for o in q.options), Decimal(0))
    for amount in (q.flat_fee_ht, q.total_ht, q.vat, q.total_ttc,
                   *(o.amount_ht for o in q.options)):
        assert amount == amount.quantize(CENT)              # whole cents
    base = mission.pricing.flat_fee_ht
    base = OFFER.price.floor_ht if base is None else base
    if mission.pricing.stop_before_workshop:
        assert q.flat_fee_ht == (base * OFFER.conditions.stop_coefficient).quantize(
            CENT, ROUND_HALF_UP)
    else:
        assert q.flat_fee_ht == base

    # R.O.I.: scores within 0..4, ranking a permutation of the scenarios.
    result = evaluate(mission.roi, mission.scenarios)
    ids = [s.id for s in mission.scenarios]
    assert sorted(result.ranking) == sorted(ids) and len(set(result.ranking)) == len(ids)
    assert [s.rank for s in result.scenarios.values()] == list(range(1, len(ids) + 1))
    for scored in result.scenarios.values():
        assert 0 <= scored.score_min <= 4 and 0 <= scored.score_mean <= 4
        assert set(scored.publics) == {p.ref for p in mission.roi.publics}
        for ps in scored.publics.values():
            for value in (ps.lightness, ps.returns, ps.score, ps.effective):
                assert isinstance(value, Fraction) and 0 <= value <= 4
            assert ps.not_reached == (ps.mobilisation <= 1)
            assert ps.effective == (0 if ps.not_reached else ps.score)
        priority = result.priority_publics
        assert scored.score_min == min(scored.publics[p].effective for p in priority)
    keys = [(-s.score_min, -s.score_mean, -s.usefulness, s.scenario)
            for s in result.scenarios.values()]
    assert keys == sorted(keys)


# ------------------------------------------------------------------ mutations

REFERENCE_TEXT = (REFERENCE / "mission.yml").read_text(encoding="utf-8")


@st.composite
def mutations(draw) -> bytes:
    """The reference mission, damaged 1 to 4 times."""
    text = REFERENCE_TEXT
    raw_bytes: list[tuple[int, bytes]] = []
    for _ in range(draw(st.integers(1, 4))):
        lines = text.splitlines(keepends=True)
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "tab", "unicode",
                                     "truncate", "digit", "indent", "byte", "move"]))
        event(f"mutation: {kind}")
        n = draw(st.integers(0, max(len(lines) - 1, 0)))
        pos = draw(st.integers(0, max(len(text) - 1, 0)))
        if kind == "delete" and lines:
            del lines[n]
            text = "".join(lines)
        elif kind == "duplicate" and lines:
            lines.insert(n, lines[n])
            text = "".join(lines)
        elif kind == "move" and lines:
            line = lines.pop(n)
            lines.insert(draw(st.integers(0, len(lines))), line)
            text = "".join(lines)
        elif kind == "swap" and len(text) > 1:
            pos = min(pos, len(text) - 2)
            text = text[:pos] + text[pos + 1] + text[pos] + text[pos + 2:]
        elif kind == "tab":
            text = text[:pos] + "\t" + text[pos:]
        elif kind == "unicode":
            text = text[:pos] + draw(st.text(min_size=1, max_size=3)) + text[pos:]
        elif kind == "truncate":
            text = text[:pos]
        elif kind == "digit":
            digits = [i for i, c in enumerate(text) if c.isdigit()]
            if digits:
                i = draw(st.sampled_from(digits))
                text = text[:i] + draw(st.sampled_from(
                    ["", "-", "9", "99999999999999999999", ".5", "e999", "5", "0"])) + text[i + 1:]
        elif kind == "indent" and lines:
            lines[n] = draw(st.sampled_from(["", " ", "   ", "- "])) + lines[n].lstrip(" ")
            text = "".join(lines)
        elif kind == "byte":
            raw_bytes.append((pos, draw(st.binary(min_size=1, max_size=2))))
    data = text.encode("utf-8", errors="surrogatepass")   # lone surrogates: not UTF-8
    for pos, chunk in raw_bytes:
        pos = min(pos, len(data))
        data = data[:pos] + chunk + data[pos:]
    return data


@pytest.fixture(scope="module")
def mission_folder(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("fuzz")
    folder = root / "missions" / "cas"
    folder.mkdir(parents=True)
    for page in REFERENCE.glob("*.md"):
        (folder / page.name).write_bytes(page.read_bytes())
    return root, folder


@budget(800)
@given(data=mutations())
def test_mutated_missions_never_raise(data: bytes, mission_folder):
    root, folder = mission_folder
    (folder / "mission.yml").write_bytes(data)
    source, problems = read_mission(folder, root, OFFERS)
    assert isinstance(problems, list)
    assert all(isinstance(p, Diagnostic) and str(p) for p in problems)
    assert all(p.path.startswith("missions/cas/") for p in problems)
    if source is None:
        assert errors(problems), "no mission and no error"
        event("outcome: diagnostics")
        return
    event("outcome: mission accepted")
    assert errors(problems) == []
    # A mission the reader accepts can be priced and scored (what the build does next).
    q = quote(source.mission.pricing, OFFER)
    assert q.total_ttc == q.total_ht + q.vat >= 0
    if source.mission.roi is not None:
        result = evaluate(source.mission.roi, source.mission.scenarios)
        assert sorted(result.ranking) == sorted(s.id for s in source.mission.scenarios)


def test_reference_mission_passes_unmutated(mission_folder):
    root, folder = mission_folder
    (folder / "mission.yml").write_text(REFERENCE_TEXT, encoding="utf-8")
    source, problems = read_mission(folder, root, OFFERS)
    assert source is not None and problems == []
