"""The workshop page computes the R.O.I. citoyen with its own script: it must give the
generator's scores and ranking exactly, ties included.

The page's script itself (the file the page embeds) runs in V8 through mini-racer,
against generator/compute/roi.py on random evaluations, weights, priorities and
non-reached publics; scores are compared as exact fractions.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.compute.roi import evaluate
from generator.content.models.mission import Roi, Scenario

py_mini_racer = pytest.importorskip("py_mini_racer")

SCRIPT = Path(__file__).resolve().parent.parent / "generator" / "templates" / "dossier" / \
    "atelier" / "roi.js"
COSTS = ("temps", "deplacement", "effort", "exposition")
BENEFITS = ("influence", "information", "reconnaissance", "convivialite", "suivi")
CASES = 600

RUN = """
function run(input) {
  var r = AmoorRoi.evaluate(input);
  return JSON.stringify({ranking: r.ranking, scenarios: r.scenarios.map(function (s) {
    var publics = {};
    Object.keys(s.publics).forEach(function (p) {
      var ps = s.publics[p];
      publics[p] = [AmoorRoi.text(ps.lightness), AmoorRoi.text(ps.returns),
                    AmoorRoi.text(ps.score), AmoorRoi.text(ps.effective), ps.notReached];
    });
    return {id: s.id, min: AmoorRoi.text(s.scoreMin), mean: AmoorRoi.text(s.scoreMean),
            rank: s.rank, publics: publics};
  })});
}
"""


@pytest.fixture(scope="module")
def engine():
    context = py_mini_racer.MiniRacer()
    context.eval(SCRIPT.read_text(encoding="utf-8"))
    context.eval(RUN)
    return context


def _fraction(text: str) -> Fraction:
    n, d = text.split("/")
    return Fraction(int(n), int(d))


# Ties are the point: few distinct values, often the same ones.
scores = st.one_of(st.integers(0, 4), st.sampled_from([2, 3]))
weights = st.one_of(
    st.just(Decimal(1)), st.sampled_from([Decimal(0), Decimal(2), Decimal("0.5")]),
    st.integers(0, 100_000).map(lambda k: Decimal(k) / 1000))


@st.composite
def cases(draw):
    ids = draw(st.lists(st.sampled_from(["A", "B", "C", "a", "D-2", "10", "9", "Z"]),
                        min_size=1, max_size=6, unique=True))
    refs = draw(st.lists(st.sampled_from(["riverains", "jeunes", "aines", "commercants",
                                          "actifs", "ecoles"]), min_size=1, max_size=6,
                         unique=True))
    publics = [{"ref": r, "prioritaire": draw(st.booleans())} for r in refs]
    poids = {c: draw(weights) for c in COSTS + BENEFITS if draw(st.booleans())}
    same = draw(st.booleans())      # whole scenarios scored alike: ties all the way down
    template = {c: draw(scores) for c in COSTS + BENEFITS + ("mobilisation",)}
    evaluations = []
    for s in ids:
        for r in refs:
            values = template if same else \
                {c: draw(scores) for c in COSTS + BENEFITS + ("mobilisation",)}
            evaluations.append({"scenario": s, "public": r,
                                "couts": {c: values[c] for c in COSTS},
                                "benefices": {c: values[c] for c in BENEFITS},
                                "mobilisation": values["mobilisation"]})
    usefulness = {s: draw(st.integers(0, 4)) for s in ids}
    return ids, publics, poids, evaluations, usefulness


def _page_input(ids, publics, poids, evaluations, usefulness) -> dict:
    """The data as the page holds it: weights as the text the mission gives them."""
    return {"publics": publics, "poids": {c: str(w) for c, w in poids.items()},
            "scenarios": [{"id": s, "utilite": usefulness[s]} for s in ids],
            "evaluations": {f"{e['scenario']}\0{e['public']}":
                            {**e["couts"], **e["benefices"], "mobilisation": e["mobilisation"]}
                            for e in evaluations}}


def test_page_and_generator_agree_on_random_evaluations(engine):
    seen = {"cases": 0, "tied": 0}

    @settings(max_examples=CASES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(cases())
    def agree(case):
        ids, publics, poids, evaluations, usefulness = case
        roi = Roi.model_validate({"publics": publics, "poids": poids,
                                  "evaluations": evaluations})
        scenarios = [Scenario.model_validate({"id": s, "titre": f"Scénario {s}",
                                              "niveau": "consulter", "cout_ht": 1000,
                                              "utilite_acteur_public": usefulness[s]})
                     for s in ids]
        expected = evaluate(roi, scenarios)
        page = json.loads(engine.call("run", _page_input(*case)))
        assert tuple(page["ranking"]) == expected.ranking
        for got in page["scenarios"]:
            want = expected.scenarios[got["id"]]
            assert (_fraction(got["min"]), _fraction(got["mean"]), got["rank"]) == \
                (want.score_min, want.score_mean, want.rank)
            for ref, (light, ret, score, effective, not_reached) in got["publics"].items():
                ps = want.publics[ref]
                assert (_fraction(light), _fraction(ret), _fraction(score),
                        _fraction(effective), not_reached) == \
                    (ps.lightness, ps.returns, ps.score, ps.effective, ps.not_reached)
        seen["cases"] += 1
        keys = [(s.score_min, s.score_mean) for s in expected.scenarios.values()]
        seen["tied"] += len(set(keys)) < len(keys)

    agree()
    assert seen["cases"] >= 500
    assert seen["tied"] >= 50, seen      # ties were exercised, not just possible
