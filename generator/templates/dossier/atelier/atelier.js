/* The workshop page: scores kept in localStorage (by mission), undo, live summary,
   export of the roi_citoyen block. Text of the mission only ever goes through
   textContent: nothing read from the data is parsed as HTML. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("atelier-donnees").textContent);
  var KEY = "amoor-atelier:" + D.mission, SEP = "\u0000", HISTORY = 200;
  var CRITERIA = AmoorRoi.CRITERIA;
  var number = new Intl.NumberFormat("fr-FR", {maximumFractionDigits: 2});
  var pairs = Array.prototype.map.call(document.querySelectorAll("section.pair"), function (el) {
    return {el: el, key: el.dataset.scenario + SEP + el.dataset.public,
            fieldsets: Array.prototype.slice.call(el.querySelectorAll("fieldset.criterion"))};
  });
  var titles = {}, labels = {};
  D.scenarios.forEach(function (s) { titles[s.id] = s.titre; });
  D.publics.forEach(function (p) { labels[p.ref] = p.libelle; });
  var status = document.getElementById("status");
  var state = restore(), history = state.history || [], current = 0, criterion = 0;
  delete state.history;

  function fresh() {
    return {evaluations: JSON.parse(JSON.stringify(D.evaluations)), retenu: D.retenu || null};
  }
  function restore() {
    try {
      var saved = JSON.parse(localStorage.getItem(KEY) || "null");
      if (saved && saved.evaluations && typeof saved.evaluations === "object") {
        return {evaluations: saved.evaluations, retenu: saved.retenu || null,
                history: Array.isArray(saved.history) ? saved.history : []};
      }
    } catch (e) { /* no storage (private mode): the session lives in the page only */ }
    return fresh();
  }
  function save() {
    try {
      localStorage.setItem(KEY, JSON.stringify({evaluations: state.evaluations, retenu: state.retenu,
                                                history: history.slice(-HISTORY)}));
    } catch (e) { say("Attention : ce navigateur ne garde pas les notes (stockage indisponible)."); }
  }
  function say(text) { status.textContent = text; }
  function change(apply) {
    history.push(JSON.stringify(state));
    if (history.length > HISTORY) { history.shift(); }
    apply();
    save();
    sync();
    refresh();
  }

  /* ---- scoring ---- */
  function setScore(pair, name, value) {
    var values = state.evaluations[pair.key] || {};
    if (values[name] === value) { return; }
    change(function () {
      values = state.evaluations[pair.key] = Object.assign({}, state.evaluations[pair.key] || {});
      values[name] = value;
    });
  }
  document.addEventListener("change", onInput);
  document.addEventListener("input", onInput);
  function onInput(event) {
    var input = event.target;
    if (input.type === "radio" && input.name.indexOf("eval.") === 0 && input.checked) {
      var el = input.closest("section.pair"), fieldset = input.closest("fieldset");
      var pair = pairs.filter(function (p) { return p.el === el; })[0];
      criterion = pair.fieldsets.indexOf(fieldset);
      setScore(pair, fieldset.dataset.criterion, Number(input.value));
    } else if (input.id === "retenu" && (input.value || null) !== state.retenu) {
      change(function () { state.retenu = input.value || null; });
    }
  }
  function sync() {
    pairs.forEach(function (pair) {
      var values = state.evaluations[pair.key] || {}, done = 0;
      pair.fieldsets.forEach(function (fieldset) {
        var value = values[fieldset.dataset.criterion];
        if (typeof value === "number") { done += 1; }
        fieldset.querySelectorAll("input").forEach(function (input) {
          input.checked = Number(input.value) === value;
        });
      });
      pair.el.querySelector("[data-role=done]").textContent =
        "(" + done + "/" + CRITERIA.length + " noté" + (done > 1 ? "s" : "") + ")";
    });
    document.getElementById("retenu").value = state.retenu || "";
  }

  /* ---- pairs and criteria ---- */
  function show(index, focus) {
    current = Math.max(0, Math.min(pairs.length - 1, index));
    pairs.forEach(function (pair, i) { pair.el.hidden = i !== current; });
    var values = state.evaluations[pairs[current].key] || {};
    var open = CRITERIA.filter(function (c) { return typeof values[c] !== "number"; })[0];
    criterion = open ? CRITERIA.indexOf(open) : 0;
    document.getElementById("position").textContent =
      "Paire " + (current + 1) + " sur " + pairs.length;
    mark(focus);
  }
  function mark(focus) {
    pairs[current].fieldsets.forEach(function (fieldset, i) {
      fieldset.classList.toggle("is-current", i === criterion);
    });
    if (focus) {
      var fieldset = pairs[current].fieldsets[criterion];
      (fieldset.querySelector("input:checked") || fieldset.querySelector("input")).focus();
    }
  }
  function score(value) {
    var fieldset = pairs[current].fieldsets[criterion];
    var input = fieldset.querySelector("input[value='" + value + "']");
    input.checked = true;
    setScore(pairs[current], fieldset.dataset.criterion, value);
  }

  /* ---- the summary ---- */
  function fraction(f) { return number.format(AmoorRoi.toNumber(f)); }
  function heat(f) {  // rounded score 0..4, as the generator's heat map
    return Math.min(Number((2n * f.n + f.d) / (2n * f.d)), 4);
  }
  function refresh() {
    var result = AmoorRoi.evaluate({publics: D.publics, poids: D.poids, scenarios: D.scenarios,
                                    evaluations: state.evaluations});
    var ranking = document.querySelector("ol[data-role=ranking]");
    var rows = document.querySelector("#scores tbody");
    ranking.textContent = "";
    rows.textContent = "";
    result.scenarios.forEach(function (s) {
      var li = document.createElement("li");
      li.dataset.scenario = s.id;
      var none = s.missing === D.publics.length;
      li.textContent = s.id + " — " + titles[s.id] + "\u00a0: " + (none ? "pas encore noté" :
        "minimum " + fraction(s.scoreMin) + ", moyenne " + fraction(s.scoreMean));
      if (s.id === state.retenu) { li.className = "retained"; li.textContent += " (retenu)"; }
      if (s.missing && !none) {
        var note = document.createElement("span");
        note.className = "incomplete";
        note.textContent = " (provisoire\u00a0: " + s.missing + " paire" + (s.missing > 1 ? "s" : "") +
          " à noter)";
        li.appendChild(note);
      }
      ranking.appendChild(li);
      var tr = document.createElement("tr");
      [String(s.rank), s.id + " — " + titles[s.id], fraction(s.scoreMin), fraction(s.scoreMean),
       s.usefulness + "/4"].forEach(function (text, i) {
        var cell = document.createElement(i === 1 ? "th" : "td");
        if (i === 1) { cell.scope = "row"; } else { cell.className = "num"; }
        cell.textContent = text;
        tr.appendChild(cell);
      });
      rows.appendChild(tr);
    });
    var table = document.querySelectorAll("#chaleur tbody tr");
    D.scenarios.forEach(function (scenario, i) {
      var scored = result.scenarios.filter(function (s) { return s.id === scenario.id; })[0];
      table[i].querySelectorAll("td").forEach(function (td, j) {
        var ps = scored.publics[D.publics[j].ref];
        if (!ps) {
          td.textContent = "non noté";
          td.style.background = "#fff";
          td.style.color = "#111827";
        } else if (ps.notReached) {
          td.textContent = "0 non atteint";
          td.style.background = D.non_atteint[0];
          td.style.color = D.non_atteint[1];
        } else {
          td.textContent = fraction(ps.effective);
          td.style.background = D.chaleur[heat(ps.effective)];
          td.style.color = "#111827";
        }
      });
    });
    plot(result);
    return result;
  }
  var SVG = "http://www.w3.org/2000/svg";
  function node(name, attrs, text) {
    var el = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text !== undefined) { el.textContent = text; }
    return el;
  }
  function plot(result) {
    var svg = document.getElementById("graphe"), x0 = 60, y0 = 280, w = 360, h = 250;
    svg.textContent = "";
    svg.appendChild(node("rect", {x: x0, y: y0 - h, width: w, height: h, fill: "#f4f6fa", stroke: "#4a5568"}));
    for (var t = 0; t <= 4; t += 1) {
      svg.appendChild(node("text", {x: x0 + t * w / 4, y: y0 + 26, "text-anchor": "middle", "font-size": 24}, String(t)));
      svg.appendChild(node("text", {x: x0 - 10, y: y0 - t * h / 4 + 8, "text-anchor": "end", "font-size": 24}, String(t)));
    }
    svg.appendChild(node("text", {x: x0 + w / 2, y: 328, "text-anchor": "middle", "font-size": 24}, "attrait citoyen →"));
    svg.appendChild(node("text", {transform: "translate(20 " + (y0 - h / 2) + ") rotate(-90)",
                                  "text-anchor": "middle", "font-size": 24}, "utilité →"));
    result.scenarios.forEach(function (s) {
      if (s.missing === D.publics.length) { return; }   // nothing scored yet: no point
      var cx = x0 + AmoorRoi.toNumber(s.scoreMean) * w / 4, cy = y0 - s.usefulness * h / 4;
      if (s.id === state.retenu) {
        svg.appendChild(node("circle", {cx: cx, cy: cy, r: 16, fill: "none", stroke: "#b8471b", "stroke-width": 4}));
      }
      svg.appendChild(node("circle", {cx: cx, cy: cy, r: 8, fill: "#1d4f91"}));
      svg.appendChild(node("text", {x: cx + 14, y: cy - 10, "font-size": 24, "font-weight": 700}, s.id));
    });
  }

  /* ---- export ---- */
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" +
      String(d.getDate()).padStart(2, "0");
  }
  function exported() {
    var evaluations = [];
    D.scenarios.forEach(function (s) {
      D.publics.forEach(function (p) {
        var v = state.evaluations[s.id + SEP + p.ref];
        if (!AmoorRoi.complete(v)) { return; }
        var costs = {}, benefits = {};
        AmoorRoi.COSTS.forEach(function (c) { costs[c] = v[c]; });
        AmoorRoi.BENEFITS.forEach(function (c) { benefits[c] = v[c]; });
        evaluations.push({scenario: s.id, public: p.ref, couts: costs, benefices: benefits,
                          mobilisation: v.mobilisation});
      });
    });
    var block = {publics: D.publics.map(function (p) {
      return p.prioritaire ? {ref: p.ref, prioritaire: true} : {ref: p.ref};
    })};
    if (Object.keys(D.poids).length) {
      block.poids = {};
      Object.keys(D.poids).forEach(function (c) { block.poids[c] = Number(D.poids[c]); });
    }
    block.evaluations = evaluations;
    if (state.retenu) { block.scenario_retenu = state.retenu; }
    return {mission: D.mission, date: today(), roi_citoyen: block,
            classement: refresh().ranking, paires: D.scenarios.length * D.publics.length};
  }
  function download() {
    var result = exported(), name = "roi-citoyen-" + D.mission + "-" + result.date + ".json";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(result, null, 2) + "\n"],
                                             {type: "application/json"}));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    var missing = result.paires - result.roi_citoyen.evaluations.length;
    say("Fichier « " + name + " » exporté" + (missing ? "\u00a0; " + missing + " paire" +
        (missing > 1 ? "s" : "") + " pas encore notée" + (missing > 1 ? "s" : "") +
        " : l'import les demandera." : "."));
  }

  /* ---- controls ---- */
  function view(name) {
    document.querySelectorAll("[data-view]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.view === name));
    });
    document.getElementById("vue-noter").hidden = name !== "noter";
    document.getElementById("vue-synthese").hidden = name !== "synthese";
  }
  var dialog = document.getElementById("effacer");
  var actions = {
    previous: function () { show(current - 1, true); },
    next: function () { show(current + 1, true); },
    undo: function () {
      if (!history.length) { say("Rien à annuler."); return; }
      state = JSON.parse(history.pop());
      save(); sync(); refresh();
      say("Dernière modification annulée.");
    },
    fullscreen: function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else if (document.documentElement.requestFullscreen) {
        document.documentElement.requestFullscreen();
      }
    },
    "export": download,
    clear: function () { dialog.showModal(); },
    "confirm-clear": function () {
      dialog.close();
      change(function () { state.evaluations = {}; state.retenu = null; });
      show(0, false);
      say("Toutes les notes sont effacées (« Annuler » les rétablit).");
    },
    "cancel-clear": function () { dialog.close(); }
  };
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button");
    if (!button) { return; }
    if (button.dataset.view) { view(button.dataset.view); }
    if (button.dataset.action && actions[button.dataset.action]) { actions[button.dataset.action](); }
  });
  document.addEventListener("keydown", function (event) {
    if (dialog.open || event.altKey || event.metaKey) { return; }
    var tag = event.target.tagName, key = event.key;
    if (event.ctrlKey) {
      if (key === "z") { event.preventDefault(); actions.undo(); }
      return;
    }
    if (tag === "SELECT" || tag === "TEXTAREA") { return; }
    var scoring = !document.getElementById("vue-noter").hidden;
    if (key === "s" || key === "S") {
      view(scoring ? "synthese" : "noter");
    } else if (!scoring) {
      return;
    } else if (key === "PageDown" || key === "PageUp") {
      event.preventDefault();
      show(current + (key === "PageDown" ? 1 : -1), true);
    } else if (/^[0-4]$/.test(key)) {
      event.preventDefault();
      score(Number(key));
      if (criterion < CRITERIA.length - 1) { criterion += 1; }
      mark(true);
    } else if (key === "ArrowUp" || key === "ArrowDown") {
      event.preventDefault();
      criterion = Math.max(0, Math.min(CRITERIA.length - 1, criterion + (key === "ArrowDown" ? 1 : -1)));
      mark(true);
    } else if (key === "ArrowLeft" || key === "ArrowRight") {
      event.preventDefault();
      var values = state.evaluations[pairs[current].key] || {}, now = values[CRITERIA[criterion]];
      var base = typeof now === "number" ? now : (key === "ArrowRight" ? -1 : 5);
      score(Math.max(0, Math.min(4, base + (key === "ArrowRight" ? 1 : -1))));
      mark(true);
    }
  });
  document.addEventListener("focusin", function (event) {
    var fieldset = event.target.closest && event.target.closest("fieldset.criterion");
    if (fieldset) {
      criterion = pairs[current].fieldsets.indexOf(fieldset);
      mark(false);
    }
  });

  window.AmoorAtelier = {recompute: refresh};
  sync();
  show(0, false);
  refresh();
})();
