/* a.m.o.o.r.: small fixes to the theme, in a file (the pages' Content-Security-Policy
   allows no inline script of ours). Works with Material 9 and with Zensical. */

/* The search dialog needs an accessible name (axe: aria-dialog-name). Zensical's partial has
   one, Material 9's has not: named here rather than with a copy of the theme's partial. */
(function () {
  "use strict";
  var script = document.currentScript;
  var label = (script && script.dataset.searchLabel) || "Rechercher";
  document.querySelectorAll(".md-search[role='dialog']:not([aria-label]):not([aria-labelledby])")
    .forEach(function (dialog) { dialog.setAttribute("aria-label", label); });
})();

/* Mobile menu for the keyboard: Material's menu button is a <label>, out of the tab order.
   A real <button> takes its place (the label stays without JavaScript): it opens the drawer
   and moves the focus into it; Escape, or Tab out of the drawer, closes it. The button is
   hidden on wide screens, like the label (amoor.css). */
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var label = document.querySelector("label.md-header__button[for='__drawer']");
  var drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !label || !drawer) { return; }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "md-header__button md-icon amoor-menu-button";
  button.innerHTML = label.innerHTML;
  button.setAttribute("aria-label", "Menu");
  drawer.id = drawer.id || "amoor-drawer";
  button.setAttribute("aria-controls", drawer.id);
  label.parentNode.insertBefore(button, label);
  label.hidden = true;
  function set(open) {
    if (toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
  }
  function sync() { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
  sync();
  toggle.addEventListener("change", sync);
  button.addEventListener("click", function (event) {
    set(!toggle.checked);
    if (toggle.checked && event.detail === 0) {      /* Enter or Space, not a tap */
      var first = drawer.querySelector("a[href]");
      if (first) { first.focus(); }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) { set(false); button.focus(); }
  });
  drawer.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (toggle.checked && next && !drawer.contains(next) && next !== button) { set(false); }
  });
})();

/* The page's table of contents, in the mobile drawer: there the current page is a <label> that
   slides its table of contents in, and Material leaves this label, and the panel's title that
   slides it out (« Table des matières »), out of the tab order (its other labels have
   tabindex="0"). Both are reachable here; Enter (Material clicks a focused label) or Space
   opens or closes the panel, and the focus follows: to the panel's title on opening, back to
   the page's entry on closing. Hidden (closed drawer, wide screens), they stay out of reach. */
(function () {
  "use strict";
  var toggle = document.getElementById("__toc");
  var opener = document.querySelector(".md-nav--primary label.md-nav__link[for='__toc']");
  var title = document.querySelector(".md-nav--primary .md-nav--secondary label.md-nav__title[for='__toc']");
  if (!toggle || !opener || !title) { return; }
  var byKeyboard = false;
  [opener, title].forEach(function (label) {
    label.tabIndex = 0;
    label.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Enter") { byKeyboard = true; }
      if (event.key === " ") { event.preventDefault(); label.click(); }
    });
  });
  toggle.addEventListener("change", function () {
    if (!byKeyboard) { return; }
    byKeyboard = false;
    (toggle.checked ? title : opener).focus();
  });
})();
