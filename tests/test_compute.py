"""Behaviour of the computations (price, stakeholder map, R.O.I. citoyen).

Reference figures come from the real files through the real reader
(docs/offres/, missions/); the edge cases build models from French-keyed
dictionaries, as the consultant would write them.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from generator.compute.pricing import quote
from generator.compute.roi import evaluate, score_public
from generator.compute.stakeholders import quadrant, quadrants
from generator.content.models.mission import Mission, Roi, Scenario
from generator.content.models.offer import Offer
from generator.content.reader import read_missions, read_offers

ROOT = Path(__file__).resolve().parent / "fixtures" / "project"
OFFER_ID = "concertation-pertinente"
REFERENCE = "montclair-place-du-marche"
PROPOSAL = "cc-haut-vernillon-mobilites"
STOPPED = "val-d-orbiere-pont-de-ravergue"


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def offers() -> dict[str, Offer]:
    sources, problems = read_offers(ROOT / "docs" / "offres", ROOT)
    assert problems == []
    return {k: v.offer for k, v in sources.items()}


@pytest.fixture(scope="module")
def offer(offers) -> Offer:
    return offers[OFFER_ID]


@pytest.fixture(scope="module")
def missions(offers) -> dict[str, Mission]:
    sources, problems = read_missions(ROOT / "missions", ROOT, offers)
    assert problems == []
    return {s.slug: s.mission for s in sources}


@pytest.fixture(scope="module")
def reference(missions) -> Mission:
    return missions[REFERENCE]


def mission_dict(mission: Mission) -> dict:
    """The mission back as the consultant's French-keyed data, to vary and re-validate."""
    return mission.model_dump(by_alias=True, exclude_none=True)


def offer_variant(offer: Offer, **prix) -> Offer:
    data = offer.model_dump(by_alias=True, exclude_none=True)
    data["prix"].update(prix)
    return Offer.model_validate(data)


def pricing_of(tarif: dict):
    return Mission.model_validate({
        "titre": "Essai", "offre": OFFER_ID, "statut": "proposition",
        "client": {"nom": "Commune d'essai", "type": "commune"},
        "tarif": tarif,
    }).pricing


def write_mission(base: Path, slug: str, text: str) -> Path:
    folder = base / "missions" / slug
    folder.mkdir(parents=True)
    (folder / "mission.yml").write_text(text, encoding="utf-8")
    return folder


MINIMAL_HEAD = """\
titre: Essai
offre: concertation-pertinente
client: {nom: Commune d'essai, type: commune, adresse: 1 place de la Mairie}
statut: proposition
"""


# --------------------------------------------------------------------------- price

def test_reference_price_lines(reference, offer):
    q = quote(reference.pricing, offer)
    assert q.base_fee_ht == Decimal("5000")
    assert q.flat_fee_ht == Decimal("5000")
    assert not q.stopped
    assert [(o.ref, o.quantity, o.unit_price_ht, o.amount_ht) for o in q.options] == [
        ("enquete-terrain", Decimal(3), Decimal(625), Decimal(1875)),
        ("entretiens", Decimal(2), Decimal(400), Decimal(800)),
    ]
    assert [o.label for o in q.options] == ["Enquête de terrain auprès des habitants",
                                            "Entretiens complémentaires"]
    assert [o.unit for o in q.options] == ["jour", "entretien"]
    assert q.options_ht == Decimal(2675)
    assert q.total_ht == Decimal(7675)
    assert q.vat_rate == Decimal("0.20")
    assert q.vat == Decimal("1535.00")
    assert str(q.vat) == "1535.00"          # rounded to the cent, not 1535.000
    assert q.total_ttc == Decimal("9210.00")


def test_reference_stop_clause_variant(reference, offer):
    data = mission_dict(reference)
    data["tarif"]["arret_avant_atelier"] = True
    q = quote(Mission.model_validate(data).pricing, offer)
    assert q.stopped
    assert q.stop_coefficient == Decimal("0.5")
    assert q.base_fee_ht == Decimal(5000)
    assert q.flat_fee_ht == Decimal(2500)
    assert q.options_ht == Decimal(2675)     # options are not halved
    assert q.total_ht == Decimal(5175)
    assert q.vat == Decimal("1035.00")
    assert q.total_ttc == Decimal("6210.00")


def test_proposal_defaults_forfait_and_prices_animation(missions, offer):
    mission = missions[PROPOSAL]
    assert mission.status == "proposition"
    assert mission.pricing.flat_fee_ht is None
    assert mission.access.password_env == "AMOOR_TEST_MDP_VERNILLON"
    q = quote(mission.pricing, offer)
    assert q.flat_fee_ht == Decimal(5000)          # the offer's floor
    amounts = {o.ref: o.amount_ht for o in q.options}
    assert amounts == {"entretiens": Decimal(1050), "animation": Decimal(1250)}
    assert q.total_ht == Decimal(7300)
    assert q.vat == Decimal("1460.00")
    assert q.total_ttc == Decimal("8760.00")


def test_stopped_mission_halves_forfait_only(missions, offer):
    mission = missions[STOPPED]
    assert mission.status == "arretee"
    assert mission.roi is None
    assert [s.id for s in mission.scenarios] == ["A", "B"]
    q = quote(mission.pricing, offer)
    assert q.stopped
    assert q.base_fee_ht == Decimal(5000)
    assert q.flat_fee_ht == Decimal(2500)
    assert q.options_ht == Decimal(700)
    assert q.total_ht == Decimal(3200)
    assert q.vat == Decimal("640.00")
    assert q.total_ttc == Decimal("3840.00")


def test_forfait_defaults_to_the_offer_floor(offer):
    q = quote(pricing_of({}), offer_variant(offer, a_partir_de=Decimal(6200)))
    assert q.base_fee_ht == Decimal(6200)
    assert q.flat_fee_ht == Decimal(6200)
    assert q.total_ht == Decimal(6200)
    assert q.vat == Decimal("1240.00")


def test_default_forfait_is_halved_by_the_stop_clause(offer):
    q = quote(pricing_of({"arret_avant_atelier": True}), offer)
    assert q.base_fee_ht == Decimal(5000)
    assert q.flat_fee_ht == Decimal(2500)
    assert q.total_ttc == Decimal("3000.00")


def test_explicit_forfait_above_floor_is_kept(offer):
    q = quote(pricing_of({"forfait_ht": "6500"}), offer)
    assert q.flat_fee_ht == Decimal(6500)
    assert q.total_ttc == Decimal("7800.00")


def test_forfait_below_floor_is_a_warning_not_an_error(tmp_path, offers):
    write_mission(tmp_path, "remise", MINIMAL_HEAD + "tarif: {forfait_ht: 4000}\n")
    loaded, problems = read_missions(tmp_path / "missions", tmp_path, offers)
    assert [m.slug for m in loaded] == ["remise"]
    assert len(problems) == 1
    assert problems[0].severity == "warning"
    assert problems[0].key == "tarif.forfait_ht"
    assert quote(loaded[0].mission.pricing, offers[OFFER_ID]).flat_fee_ht == Decimal(4000)


def test_option_unit_price_override(offer):
    q = quote(pricing_of({"options": [
        {"ref": "entretiens", "quantite": 2, "prix_unitaire_ht": "410.50"},
        {"ref": "enquete-terrain", "quantite": 1},
    ]}), offer)
    assert [(o.unit_price_ht, o.amount_ht) for o in q.options] == [
        (Decimal("410.50"), Decimal("821.00")),
        (Decimal(625), Decimal(625)),
    ]
    assert q.total_ht == Decimal("6446.00")
    assert q.vat == Decimal("1289.20")
    assert q.total_ttc == Decimal("7735.20")


def test_option_unit_price_override_to_zero_is_free_not_default(offer):
    q = quote(pricing_of({"options": [
        {"ref": "animation", "quantite": 3, "prix_unitaire_ht": 0},
    ]}), offer)
    assert q.options[0].unit_price_ht == Decimal(0)
    assert q.options[0].amount_ht == Decimal(0)
    assert q.total_ht == Decimal(5000)


def test_decimal_quantities(offer):
    q = quote(pricing_of({"options": [
        {"ref": "enquete-terrain", "quantite": "1.5"},
        {"ref": "animation", "quantite": "0.5"},
    ]}), offer)
    assert [o.amount_ht for o in q.options] == [Decimal("937.5"), Decimal("312.5")]
    assert q.total_ht == Decimal(6250)
    assert q.vat == Decimal("1250.00")
    assert q.total_ttc == Decimal("7500.00")


def test_decimal_quantity_from_yaml_is_exact(tmp_path, offers):
    # 2.3 is not representable as a binary float: 2.3 × 625 must still be 1437.5 exactly.
    write_mission(tmp_path, "demi-jours", MINIMAL_HEAD + textwrap.dedent("""\
        tarif:
          options:
            - {ref: enquete-terrain, quantite: 2.3}
            - {ref: entretiens, quantite: 1, prix_unitaire_ht: 333.33}
        """))
    loaded, problems = read_missions(tmp_path / "missions", tmp_path, offers)
    assert problems == []
    q = quote(loaded[0].mission.pricing, offers[OFFER_ID])
    assert q.options[0].quantity == Decimal("2.3")
    assert q.options[0].amount_ht == Decimal("1437.5")
    assert q.options[1].amount_ht == Decimal("333.33")
    assert q.total_ht == Decimal("6770.83")
    assert q.vat == Decimal("1354.17")          # 1354.166 → 1354.17
    assert q.total_ttc == Decimal("8125.00")


@pytest.mark.parametrize("rate, forfait, vat, ttc", [
    # 10 % of 5 012.25 = 501.225: half-up gives .23 (banker's rounding would give .22)
    ("0.10", "5012.25", "501.23", "5513.48"),
    # 5.5 % of 7 675 = 422.125: half-up gives .13 (banker's rounding would give .12)
    ("0.055", "7675", "422.13", "8097.13"),
    # 20 % of 5 000.01 = 1 000.002: rounded down
    ("0.20", "5000.01", "1000.00", "6000.01"),
    # 20 % of 5 000.03 = 1 000.006: rounded up
    ("0.20", "5000.03", "1000.01", "6000.04"),
])
def test_vat_rounded_half_up_to_the_cent(offer, rate, forfait, vat, ttc):
    q = quote(pricing_of({"forfait_ht": forfait}), offer_variant(offer, taux_tva=rate))
    assert q.total_ht == Decimal(forfait)
    assert q.vat == Decimal(vat)
    assert q.vat.as_tuple().exponent == -2
    assert q.total_ttc == Decimal(ttc)


def test_vat_half_up_on_options_total(offer):
    # 5 000 + 0.5 × 24.50 = 5 012.25 at 10 %: 501.225 → 501.23
    q = quote(pricing_of({"options": [
        {"ref": "entretiens", "quantite": "0.5", "prix_unitaire_ht": "24.50"},
    ]}), offer_variant(offer, taux_tva="0.10"))
    assert q.options[0].amount_ht == Decimal("12.25")
    assert q.total_ht == Decimal("5012.25")
    assert q.vat == Decimal("501.23")
    assert q.total_ttc == Decimal("5513.48")


def test_money_is_decimal(reference, offer):
    q = quote(reference.pricing, offer)
    for value in (q.flat_fee_ht, q.options_ht, q.total_ht, q.vat, q.total_ttc,
                  *(o.amount_ht for o in q.options)):
        assert type(value) is Decimal


# --------------------------------------------------------------------------- quadrants

def test_reference_quadrants(reference):
    assert {k: q.id for k, q in quadrants(reference.stakeholders).items()} == {
        "municipalite": "acteurs-cles",
        "services-techniques": "a-satisfaire",
        "abf": "a-satisfaire",
        "commercants": "a-impliquer",
        "riverains": "a-impliquer",
        "jeunes": "a-informer",
    }


def test_quadrants_keep_input_order(reference):
    assert list(quadrants(reference.stakeholders)) == [s.id for s in reference.stakeholders]


@pytest.mark.parametrize("power, interest, expected", [
    (3, 3, "acteurs-cles"),
    (4, 4, "acteurs-cles"),
    (3, 2, "a-satisfaire"),
    (4, 1, "a-satisfaire"),
    (2, 3, "a-impliquer"),
    (1, 4, "a-impliquer"),
    (2, 2, "a-informer"),
    (1, 1, "a-informer"),
])
def test_quadrant_boundaries(power, interest, expected):
    assert quadrant(power, interest).id == expected


def test_quadrant_grid_counts():
    counts: dict[str, int] = {}
    for power in range(1, 5):
        for interest in range(1, 5):
            q = quadrant(power, interest).id
            counts[q] = counts.get(q, 0) + 1
    assert counts == {"acteurs-cles": 4, "a-satisfaire": 4, "a-impliquer": 4, "a-informer": 4}


def test_quadrant_actions():
    assert quadrant(4, 4).action == "Associer étroitement"


def test_stopped_mission_quadrants(missions):
    assert {k: q.id for k, q in quadrants(missions[STOPPED].stakeholders).items()} == {
        "executif-departemental": "acteurs-cles",
        "direction-routes": "a-satisfaire",
        "police-eau": "a-satisfaire",
        "maires-rives": "a-impliquer",
        "riverains": "a-impliquer",
        "exploitants-agricoles": "a-impliquer",
        "usagers-transit": "a-informer",
    }


# --------------------------------------------------------------------------- R.O.I. reference

@pytest.fixture(scope="module")
def reference_roi(reference):
    return evaluate(reference.roi, reference.scenarios)


EXPECTED_EFFECTIVE = {
    ("A", "riverains"): "2.375", ("A", "commercants"): "2.30", ("A", "jeunes"): "0",
    ("B", "riverains"): "2.725", ("B", "commercants"): "2.95", ("B", "jeunes"): "2.325",
    ("C", "riverains"): "2.575", ("C", "commercants"): "0", ("C", "jeunes"): "2.125",
}


@pytest.mark.parametrize("pair, expected", sorted(EXPECTED_EFFECTIVE.items()))
def test_reference_effective_scores(reference_roi, pair, expected):
    scenario, public = pair
    assert reference_roi.scenarios[scenario].publics[public].effective == Fraction(expected)


def test_reference_non_reached_publics(reference_roi):
    flags = {(s, p): ps.not_reached for s, sc in reference_roi.scenarios.items()
             for p, ps in sc.publics.items()}
    assert {pair for pair, flag in flags.items() if flag} == {("A", "jeunes"),
                                                              ("C", "commercants")}
    # the raw score of a non-reached public is still computed, only the effective one is 0
    assert reference_roi.scenarios["A"].publics["jeunes"].score == Fraction("1.975")
    assert reference_roi.scenarios["C"].publics["commercants"].score == Fraction("2.25")


def test_reference_worked_example(reference_roi):
    b = reference_roi.scenarios["B"].publics["riverains"]
    assert b.lightness == Fraction("3.25")
    assert b.returns == Fraction("2.2")
    assert b.score == Fraction("2.725")
    assert b.mobilisation == 3


def test_reference_scenario_scores_and_ranking(reference_roi):
    assert reference_roi.priority_publics == ("riverains", "commercants")
    assert reference_roi.ranking == ("B", "A", "C")
    s = reference_roi.scenarios
    assert [s[x].rank for x in ("A", "B", "C")] == [2, 1, 3]
    assert s["A"].score_min == Fraction("2.30")
    assert s["B"].score_min == Fraction("2.725")
    assert s["C"].score_min == 0
    assert float(s["A"].score_mean) == pytest.approx(1.558, abs=1e-3)
    assert float(s["B"].score_mean) == pytest.approx(2.667, abs=1e-3)
    assert float(s["C"].score_mean) == pytest.approx(1.567, abs=1e-3)
    assert s["B"].score_mean == Fraction(8, 3)


def test_reference_retained_is_top_ranked(reference_roi):
    assert reference_roi.retained == "B"
    assert reference_roi.ranking[0] == reference_roi.retained


def test_missing_pair_is_an_error_naming_it(tmp_path, offers, reference):
    data = (ROOT / "missions" / REFERENCE / "mission.yml").read_text(encoding="utf-8")
    start = data.index("    - scenario: C\n      public: jeunes")
    end = data.index("  scenario_retenu")
    write_mission(tmp_path, "incomplete", data[:start] + data[end:])
    loaded, problems = read_missions(tmp_path / "missions", tmp_path, offers)
    assert loaded == []
    assert any("C × jeunes" in p.message and p.severity == "error" for p in problems)


# --------------------------------------------------------------------------- R.O.I. designed cases

FULL = {"temps": 4, "deplacement": 4, "effort": 4, "exposition": 4}


def ev(scenario: str, public: str, couts, benefices, mobilisation: int = 4) -> dict:
    if isinstance(couts, int):
        couts = dict.fromkeys(FULL, couts)
    if isinstance(benefices, int):
        benefices = dict.fromkeys(
            ("influence", "information", "reconnaissance", "convivialite", "suivi"), benefices)
    return {"scenario": scenario, "public": public, "couts": couts,
            "benefices": benefices, "mobilisation": mobilisation}


def scenarios(*specs: tuple[str, int]) -> list[Scenario]:
    return [Scenario.model_validate({"id": i, "titre": f"Scénario {i}", "niveau": "consulter",
                                     "cout_ht": 1000, "utilite_acteur_public": u})
            for i, u in specs]


def roi(publics: list[dict], evaluations: list[dict], poids: dict | None = None) -> Roi:
    data = {"publics": publics, "evaluations": evaluations}
    if poids is not None:
        data["poids"] = poids
    return Roi.model_validate(data)


def test_weights_change_the_ranking():
    # X: light to take part in, little in return; Y: heavier, but real influence.
    evaluations = [
        ev("X", "habitants", 4, 1),
        ev("Y", "habitants", 2, {"influence": 4, "information": 2, "reconnaissance": 2,
                                 "convivialite": 2, "suivi": 2}),
    ]
    sc = scenarios(("X", 2), ("Y", 2))
    plain = evaluate(roi([{"ref": "habitants"}], evaluations), sc)
    assert plain.ranking == ("X", "Y")
    assert plain.scenarios["X"].score_min == Fraction(5, 2)
    assert plain.scenarios["Y"].publics["habitants"].returns == Fraction(12, 5)
    assert plain.scenarios["Y"].score_min == Fraction(11, 5)

    weighted = evaluate(roi([{"ref": "habitants"}], evaluations, {"influence": 6}), sc)
    assert weighted.ranking == ("Y", "X")
    y = weighted.scenarios["Y"].publics["habitants"]
    assert y.lightness == 2                          # cost weights untouched
    assert y.returns == Fraction(16, 5)              # (6×4 + 2+2+2+2) / 10
    assert y.score == Fraction(13, 5)
    assert weighted.scenarios["X"].publics["habitants"].returns == 1
    assert weighted.scenarios["X"].score_min == Fraction(5, 2)


def test_weights_on_costs_and_zero_weight():
    costs = {"temps": 0, "deplacement": 4, "effort": 4, "exposition": 4}
    r = roi([{"ref": "p"}], [ev("A", "p", costs, 2)], {"temps": "0.5", "exposition": 0})
    s = score_public(r.evaluations[0], r)
    # (0×0.5 + 4×1 + 4×1 + 4×0) / (0.5 + 1 + 1 + 0) = 8 / 2.5
    assert s.lightness == Fraction(16, 5)
    assert s.returns == 2
    assert s.score == Fraction(13, 5)


def test_tie_on_score_min_broken_by_score_moyen():
    publics = [{"ref": "prio", "prioritaire": True}, {"ref": "autre"}]
    evaluations = [
        ev("A", "prio", 2, 2), ev("A", "autre", 1, 1),
        ev("B", "prio", 2, 2), ev("B", "autre", 3, 3),
    ]
    # A comes first in the input, has the better usefulness and the smaller id:
    # only score_moyen can put B ahead.
    result = evaluate(roi(publics, evaluations), scenarios(("A", 4), ("B", 0)))
    assert result.scenarios["A"].score_min == result.scenarios["B"].score_min == 2
    assert result.scenarios["A"].score_mean == Fraction(3, 2)
    assert result.scenarios["B"].score_mean == Fraction(5, 2)
    assert result.ranking == ("B", "A")


def test_tie_on_scores_broken_by_usefulness():
    publics = [{"ref": "p"}]
    evaluations = [ev("A", "p", 3, 2), ev("B", "p", 3, 2)]
    result = evaluate(roi(publics, evaluations), scenarios(("A", 1), ("B", 4)))
    assert result.scenarios["A"].score_mean == result.scenarios["B"].score_mean
    assert result.ranking == ("B", "A")
    assert result.scenarios["B"].rank == 1


def test_full_tie_broken_by_id():
    publics = [{"ref": "p"}]
    evaluations = [ev("B", "p", 3, 2), ev("A", "p", 3, 2)]
    # B is listed first: input order must not decide
    result = evaluate(roi(publics, evaluations), scenarios(("B", 2), ("A", 2)))
    assert result.ranking == ("A", "B")
    assert [result.scenarios[s].rank for s in ("A", "B")] == [1, 2]


def test_score_min_outranks_score_moyen():
    publics = [{"ref": "p1"}, {"ref": "p2"}]
    evaluations = [
        ev("A", "p1", 4, 4), ev("A", "p2", 1, 1),     # min 1,   mean 2.5
        ev("B", "p1", 2, 2), ev("B", "p2", 2, 2),     # min 2,   mean 2
    ]
    result = evaluate(roi(publics, evaluations), scenarios(("A", 4), ("B", 0)))
    assert result.ranking == ("B", "A")


@pytest.mark.parametrize("mobilisation, reached", [(0, False), (1, False), (2, True),
                                                   (4, True)])
def test_mobilisation_threshold(mobilisation, reached):
    r = roi([{"ref": "p"}], [ev("A", "p", 3, 2, mobilisation)])
    s = score_public(r.evaluations[0], r)
    assert s.score == Fraction(5, 2)
    assert s.mobilisation == mobilisation
    assert s.not_reached is (not reached)
    assert s.effective == (Fraction(5, 2) if reached else 0)
    result = evaluate(r, scenarios(("A", 2)))
    assert result.scenarios["A"].score_min == (Fraction(5, 2) if reached else 0)
    assert result.scenarios["A"].score_mean == (Fraction(5, 2) if reached else 0)


def test_non_reached_public_drags_a_scenario_down():
    publics = [{"ref": "p1"}, {"ref": "p2"}]
    evaluations = [
        ev("A", "p1", 4, 4), ev("A", "p2", 4, 4, mobilisation=1),   # excellent, but p2 lost
        ev("B", "p1", 1, 1), ev("B", "p2", 1, 1, mobilisation=2),   # poor, everyone reached
    ]
    result = evaluate(roi(publics, evaluations), scenarios(("A", 4), ("B", 0)))
    assert result.scenarios["A"].score_min == 0
    assert result.scenarios["B"].score_min == 1
    assert result.ranking == ("B", "A")


def test_all_publics_are_priority_when_none_is_marked():
    publics = [{"ref": "p1"}, {"ref": "p2"}, {"ref": "p3"}]
    evaluations = [ev("A", "p1", 4, 4), ev("A", "p2", 2, 2), ev("A", "p3", 3, 3)]
    result = evaluate(roi(publics, evaluations), scenarios(("A", 2)))
    assert result.priority_publics == ("p1", "p2", "p3")
    assert result.scenarios["A"].score_min == 2          # the middle public, not the first
    assert result.scenarios["A"].score_mean == 3


def test_only_marked_publics_count_for_score_min():
    publics = [{"ref": "p1"}, {"ref": "p2"}, {"ref": "p3", "prioritaire": True}]
    evaluations = [ev("A", "p1", 4, 4), ev("A", "p2", 1, 1), ev("A", "p3", 3, 3)]
    result = evaluate(roi(publics, evaluations), scenarios(("A", 2)))
    assert result.priority_publics == ("p3",)
    assert result.scenarios["A"].score_min == 3          # p2's 1 is ignored
    assert result.scenarios["A"].score_mean == Fraction(8, 3)   # but counts in the mean


def test_scenarios_iterate_in_ranking_order():
    publics = [{"ref": "p"}]
    evaluations = [ev("A", "p", 1, 1), ev("B", "p", 4, 4), ev("C", "p", 2, 2)]
    result = evaluate(roi(publics, evaluations), scenarios(("A", 2), ("B", 2), ("C", 2)))
    assert list(result.scenarios) == ["B", "C", "A"]
    assert result.ranking == ("B", "C", "A")
