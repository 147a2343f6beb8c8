/* amoor serve: the diagnostics of a broken edit over the page (the last good pages stay
   served). Local preview only: never published. */
(function () {
  "use strict";
  /* Read at load, and once more a moment later: the privacy check of an edit runs
     after its pages are served. */
  function load() {
    fetch("/_amoor/etat.json", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(show).catch(function () {});
  }
  function show(state) {
      var old = document.getElementById("amoor-apercu");
      if (old) { old.remove(); }
      if (!state.diagnostics.length) { return; }
      var box = document.createElement("section");
      box.id = "amoor-apercu";
      box.setAttribute("role", "alert");
      box.setAttribute("aria-labelledby", "amoor-apercu-titre");
      box.style.cssText = "position:fixed;z-index:1000;left:1rem;right:1rem;bottom:1rem;" +
        "max-height:45vh;overflow:auto;background:#fff;color:#1a202c;border:3px solid #b42318;" +
        "border-radius:.4rem;padding:1rem 1.2rem;box-shadow:0 4px 24px rgba(0,0,0,.25);" +
        "font:14px/1.45 system-ui,sans-serif";
      var title = document.createElement("h2");
      title.id = "amoor-apercu-titre";
      title.style.cssText = "margin:0 0 .5rem;font-size:1rem;color:#b42318";
      title.textContent = "Aperçu : " + state.diagnostics.length +
        " problème(s) ; la dernière version correcte reste affichée";
      var list = document.createElement("ul");
      list.style.cssText = "margin:0;padding-left:1.2rem;font-family:monospace;white-space:pre-wrap";
      state.diagnostics.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Fermer";
      close.style.cssText = "margin-top:.6rem";
      close.addEventListener("click", function () { box.remove(); });
      box.append(title, list, close);
      document.body.appendChild(box);
  }
  load();
  setTimeout(load, 1500);
})();
