/* a.m.o.o.r.: the site's search, started when someone is about to search.

   The theme starts its search with every page: its worker (40 KB), lunr's French stemmer
   (14 KB) and the index of the whole public site (34 KB), more than the page itself, fetched
   before anyone searches. Loaded before the theme's bundle, this file lets the bundle create
   its search worker and request the index as usual, but starts both only at the first sign
   of a search: the pointer over the search box or its magnifier, the focus in the box (the
   theme's shortcuts, / s f, put it there), or a link that asks for a search (?q=) or for
   highlighted terms (?h=). Until then, what the bundle sends its worker waits, in order.
   Only what is asked while the page loads waits: a theme that starts its search when the
   visitor opens it (Zensical) gets its worker and index at once. Without JavaScript there
   is no search either way. */
(function () {
  "use strict";
  if (window.amoorSearchOnDemand) { return; }          /* once, even if the page is re-run */
  var started = false;
  var waiting = [];

  function start() {
    if (started) { return; }
    started = true;
    waiting.splice(0).forEach(function (run) { run(); });
  }
  function later(run) {
    if (started) { run(); } else { waiting.push(run); }
  }
  function path(url) {
    try { return new URL(String(url), document.baseURI).pathname; } catch (error) { return ""; }
  }
  function isIndex(url) { return /\/search\/search_index\.json$/.test(path(url)); }
  function isWorker(url) { return /\/workers\/search[^\/]*\.js$/.test(path(url)); }
  function loading() { return document.readyState !== "complete"; }

  /* The worker: a stand-in that keeps the listeners and the messages, then the real one. */
  var RealWorker = window.Worker;
  function standIn(url, options) {
    var proxy = new EventTarget();
    var queue = [];
    var worker = null;
    proxy.postMessage = function (message, transfer) {
      if (worker) { worker.postMessage(message, transfer); } else if (queue) { queue.push([message, transfer]); }
    };
    proxy.terminate = function () {
      if (worker) { worker.terminate(); }
      queue = null;
    };
    later(function () {
      if (!queue) { return; }                          /* terminated before any search */
      worker = new RealWorker(url, options);
      ["message", "messageerror", "error"].forEach(function (type) {
        worker.addEventListener(type, function (event) {
          var copy = type === "error" ? new Event("error") : new MessageEvent(type, { data: event.data });
          proxy.dispatchEvent(copy);
          if (typeof proxy["on" + type] === "function") { proxy["on" + type](copy); }
        });
      });
      queue.splice(0).forEach(function (item) { worker.postMessage(item[0], item[1]); });
      queue = [];
    });
    return proxy;
  }
  if (RealWorker) {
    window.Worker = function (url, options) {
      if (!isWorker(url)) { return new RealWorker(url, options); }
      if (!started && loading()) { return standIn(url, options); }
      start();
      return new RealWorker(url, options);
    };
    window.Worker.prototype = RealWorker.prototype;
  }

  /* The index: its request is sent at the first search. */
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var indexRequests = new WeakSet();
  XMLHttpRequest.prototype.open = function (method, url) {
    if (isIndex(url)) { indexRequests.add(this); } else { indexRequests.delete(this); }
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (started || !indexRequests.has(request) || !loading()) { return send.apply(request, args); }
    later(function () {
      try { send.apply(request, args); } catch (error) { /* aborted meanwhile */ }
    });
  };
  if (window.fetch) {
    var fetch = window.fetch;
    window.fetch = function (resource) {
      var args = arguments;
      var url = resource && resource.url ? resource.url : resource;
      if (started || !isIndex(url) || !loading()) { return fetch.apply(window, args); }
      return new Promise(function (resolve) {
        later(function () { resolve(fetch.apply(window, args)); });
      });
    };
  }

  /* The signs of a search. */
  var SEARCH = ".md-search, label[for='__search'], [data-md-component='search']";
  function near(event) {
    var target = event.target;
    if (target && target.id === "__search") { start(); }
    else if (target instanceof Element && target.closest(SEARCH)) { start(); }
  }
  ["pointerover", "pointerdown", "focusin", "change"].forEach(function (type) {
    document.addEventListener(type, near, { capture: true, passive: true });
  });
  if (/[?&][qh]=/.test(location.search)) { start(); }
  window.amoorSearchOnDemand = start;
})();
