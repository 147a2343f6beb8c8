/* a.m.o.o.r.: the private pages' script, loaded by dossier.html only (the public pages have
   no deck). Presenting the deck of a dossier's Présentation page: full screen, one slide at a
   time; ← → (or Page up/down, Space) to move, Home/End, Escape to leave, N for the notes
   view (the current slide's notes and its chart's data under it); the buttons do the
   same for a mouse or a screen reader, and each move is announced. Works offline:
   nothing but this file and the page. */
(function () {
  "use strict";
  var deck = document.querySelector("[data-amoor-deck]");
  var start = document.querySelector("[data-amoor-present]");
  if (!deck || !start) { return; }
  var slides = Array.prototype.slice.call(deck.querySelectorAll(".amoor-slide"));
  if (!slides.length) { return; }
  var notes = slides.map(function (slide) {
    return document.getElementById(slide.id + "-notes");
  });
  var help = document.querySelector(".amoor-present-help");
  start.hidden = false;
  if (help) { help.hidden = false; }
  var live = document.createElement("p");
  live.className = "md-visually-hidden";
  live.setAttribute("aria-live", "polite");
  deck.parentNode.insertBefore(live, deck);
  var controls = document.createElement("div");
  controls.className = "amoor-deck__controls";
  controls.innerHTML = '<button type="button" data-move="-1">Précédente</button>' +
    '<span class="amoor-deck__counter" aria-hidden="true"></span>' +
    '<button type="button" data-move="1">Suivante</button>' +
    '<button type="button" data-notes aria-pressed="false">Notes (N)</button>' +
    '<button type="button" data-stop>Quitter (Échap)</button>';
  deck.appendChild(controls);
  var counter = controls.querySelector(".amoor-deck__counter");
  var toggle = controls.querySelector("[data-notes]");
  var current = 0, presenting = false;

  function showNotes(on) {
    deck.classList.toggle("shows-notes", on);
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    notes.forEach(function (note, i) {
      if (!note) { return; }
      note.classList.toggle("is-current", i === current);
      if (on && i === current) { note.open = true; }
    });
  }

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) { slide.hidden = i !== current; });
    showNotes(deck.classList.contains("shows-notes"));
    counter.textContent = (current + 1) + " / " + slides.length;
    var title = slides[current].querySelector(".amoor-slide__title");
    live.textContent = "Diapositive " + (current + 1) + " sur " + slides.length +
      (title ? " : " + title.textContent : "");
    slides[current].focus();
  }
  function onKey(event) {
    if (event.target.closest && event.target.closest("button") && (event.key === " " || event.key === "Enter")) {
      return;                                   /* a button does its own thing */
    }
    var moves = {ArrowRight: 1, PageDown: 1, " ": 1, ArrowLeft: -1, PageUp: -1};
    if (event.key in moves) { show(current + moves[event.key]); }
    else if (event.key === "Home") { show(0); }
    else if (event.key === "End") { show(slides.length - 1); }
    else if (event.key === "Escape") { stop(); }
    else if (event.key === "n" || event.key === "N") { showNotes(!deck.classList.contains("shows-notes")); }
    else { return; }
    event.preventDefault();
  }
  function begin() {
    presenting = true;
    deck.classList.add("is-presenting");
    deck.setAttribute("role", "region");
    deck.setAttribute("aria-label", "Présentation en plein écran");
    slides.forEach(function (slide) { slide.tabIndex = -1; });
    document.addEventListener("keydown", onKey);
    if (deck.requestFullscreen) { deck.requestFullscreen().catch(function () {}); }
    show(0);
  }
  function stop() {
    if (!presenting) { return; }
    presenting = false;
    deck.classList.remove("is-presenting");
    showNotes(false);
    deck.removeAttribute("role");
    deck.removeAttribute("aria-label");
    slides.forEach(function (slide) { slide.hidden = false; slide.removeAttribute("tabindex"); });
    document.removeEventListener("keydown", onKey);
    if (document.fullscreenElement && document.exitFullscreen) {
      document.exitFullscreen().catch(function () {});
    }
    live.textContent = "";
    start.focus();
    setTimeout(function () { start.focus(); }, 0);   /* after the theme's own Escape handling */
  }
  start.addEventListener("click", begin);
  controls.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.hasAttribute("data-stop")) { stop(); }
    else if (button.hasAttribute("data-notes")) { showNotes(!deck.classList.contains("shows-notes")); }
    else { show(current + Number(button.dataset.move)); }
  });
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && presenting) { stop(); }
  });
})();
