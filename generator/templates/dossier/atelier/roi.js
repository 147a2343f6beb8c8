/* R.O.I. citoyen, the page's own computation: the rules of generator/compute/roi.py,
   in exact rationals (BigInt numerator and denominator), so that the page and the
   generator give the same scores and the same ties. Plain script: the workshop page
   embeds it, the property test runs it in V8 (mini-racer) against the Python. */
var AmoorRoi = (function () {
  "use strict";
  var COSTS = ["temps", "deplacement", "effort", "exposition"];
  var BENEFITS = ["influence", "information", "reconnaissance", "convivialite", "suivi"];
  var CRITERIA = COSTS.concat(BENEFITS, ["mobilisation"]);
  var NOT_REACHED_MAX = 1;  // mobilisation at or below this: the public is not reached
  var ZERO = {n: 0n, d: 1n};

  function gcd(a, b) {
    if (a < 0n) { a = -a; }
    while (b !== 0n) { var t = a % b; a = b; b = t; }
    return a;
  }
  function frac(n, d) {  // d > 0
    var g = gcd(n, d);
    return g > 1n ? {n: n / g, d: d / g} : {n: n, d: d};
  }
  function add(a, b) { return frac(a.n * b.d + b.n * a.d, a.d * b.d); }
  function div(a, k) { return frac(a.n, a.d * BigInt(k)); }
  function cmp(a, b) {  // -1, 0, 1: exact
    var l = a.n * b.d, r = b.n * a.d;
    return l < r ? -1 : (l > r ? 1 : 0);
  }
  /* A weight as written ("1.5", 2, "0.125": at most three decimals) in thousandths. */
  function thousandths(weight) {
    var text = String(weight === undefined || weight === null ? 1 : weight);
    var m = /^(\d+)(?:\.(\d{0,3}))?$/.exec(text);
    if (!m) { throw new Error("poids invalide : " + text); }
    return BigInt(m[1]) * 1000n + BigInt(((m[2] || "") + "000").slice(0, 3));
  }
  function weightedMean(values, weights, names) {
    var total = 0n, sum = 0n;
    names.forEach(function (name) {
      total += weights[name];
      sum += BigInt(values[name]) * weights[name];
    });
    return total === 0n ? ZERO : frac(sum, total);
  }
  function complete(values) {
    return !!values && CRITERIA.every(function (c) {
      return typeof values[c] === "number" && values[c] >= 0 && values[c] <= 4;
    });
  }
  function scorePublic(values, weights) {
    var lightness = weightedMean(values, weights, COSTS);
    var returns = weightedMean(values, weights, BENEFITS);
    var score = div(add(lightness, returns), 2);
    var notReached = values.mobilisation <= NOT_REACHED_MAX;
    return {lightness: lightness, returns: returns, score: score,
            mobilisation: values.mobilisation, notReached: notReached,
            effective: notReached ? ZERO : score};
  }

  /* input: {publics: [{ref, prioritaire}], poids: {criterion: weight}, scenarios: [{id,
     utilite}], evaluations: {"<scenario>\u0000<public>": {criterion: 0..4}}}.
     A pair not fully scored is left out; a scenario with one is "incomplete" and ranked
     after the complete ones (the generator refuses a missing pair: it never sees one). */
  function evaluate(input) {
    var weights = {};
    COSTS.concat(BENEFITS).forEach(function (c) {
      weights[c] = thousandths((input.poids || {})[c]);
    });
    var publics = input.publics.map(function (p) { return p.ref; });
    var priority = input.publics.filter(function (p) { return p.prioritaire; })
      .map(function (p) { return p.ref; });
    if (!priority.length) { priority = publics; }
    var scored = input.scenarios.map(function (scenario) {
      var perPublic = {}, missing = 0;
      publics.forEach(function (ref) {
        var values = input.evaluations[scenario.id + "\u0000" + ref];
        if (complete(values)) { perPublic[ref] = scorePublic(values, weights); } else { missing += 1; }
      });
      var min = null, sum = ZERO, counted = 0;
      priority.forEach(function (ref) {
        var ps = perPublic[ref];
        if (ps && (min === null || cmp(ps.effective, min) < 0)) { min = ps.effective; }
      });
      publics.forEach(function (ref) {
        if (perPublic[ref]) { sum = add(sum, perPublic[ref].effective); counted += 1; }
      });
      return {id: scenario.id, publics: perPublic, missing: missing,
              scoreMin: min === null ? ZERO : min,
              scoreMean: counted ? div(sum, counted) : ZERO,
              usefulness: scenario.utilite};
    });
    scored.sort(function (a, b) {
      return (a.missing > 0) - (b.missing > 0) || cmp(b.scoreMin, a.scoreMin) ||
        cmp(b.scoreMean, a.scoreMean) || b.usefulness - a.usefulness ||
        (a.id < b.id ? -1 : (a.id > b.id ? 1 : 0));
    });
    scored.forEach(function (s, i) { s.rank = i + 1; });
    return {scenarios: scored, ranking: scored.map(function (s) { return s.id; }),
            priority: priority};
  }

  function toNumber(f) { return Number(f.n) / Number(f.d); }
  function text(f) { return f.n + "/" + f.d; }

  return {COSTS: COSTS, BENEFITS: BENEFITS, CRITERIA: CRITERIA, evaluate: evaluate,
          complete: complete, cmp: cmp, toNumber: toNumber, text: text};
})();
