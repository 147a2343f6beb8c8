(function () {
  "use strict";
  /* The sealed page: AES-256-GCM, key from the password by PBKDF2-SHA256. The key is kept
     for this tab as a non-extractable CryptoKey in IndexedDB (no script can read its bytes),
     found again through a random id in sessionStorage (per tab, no key material); entries
     older than 12 hours are deleted. */
  var data = JSON.parse(document.getElementById("amoor-sealed").textContent);
  var SESSION = "amoor-session", DB = "amoor-cles", STORE = "cles", MAX_AGE = 12 * 3600 * 1000;
  var enc = new TextEncoder();
  function bytes(b64) { return Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); }); }
  function derive(password) {
    return crypto.subtle.importKey("raw", enc.encode(password), "PBKDF2", false, ["deriveKey"])
      .then(function (base) {
        return crypto.subtle.deriveKey(
          {name: "PBKDF2", salt: bytes(data.salt), iterations: data.iterations, hash: "SHA-256"},
          base, {name: "AES-GCM", length: 256}, false, ["decrypt"]);
      });
  }
  function unseal(key, name, blob) {
    return crypto.subtle.decrypt({name: "AES-GCM", iv: blob.slice(0, 12), additionalData: enc.encode(name)},
      key, blob.slice(12));
  }
  function store(mode, action) {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onerror = function () { reject(request.error); };
      request.onsuccess = function () {
        var db = request.result, tx = db.transaction(STORE, mode), result;
        action(tx.objectStore(STORE), function (value) { result = value; });
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      };
    });
  }
  function slot() {
    var id = sessionStorage.getItem(SESSION);
    return id ? id + ":" + data.salt : null;
  }
  function remember(key) {
    if (!sessionStorage.getItem(SESSION)) {
      sessionStorage.setItem(SESSION, crypto.getRandomValues(new Uint32Array(4)).join("-"));
    }
    var here = slot(), now = Date.now();
    return store("readwrite", function (objects) {
      objects.put({key: key, at: now}, here);
      objects.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (!cursor) { return; }
        if (now - cursor.value.at > MAX_AGE) { cursor.delete(); }
        cursor.continue();
      };
    });
  }
  function recall() {
    var here = slot();
    if (!here || !window.indexedDB) { return Promise.resolve(null); }
    return store("readonly", function (objects, done) {
      objects.get(here).onsuccess = function (event) { done(event.target.result); };
    }).then(function (entry) {
      return entry && Date.now() - entry.at <= MAX_AGE ? entry.key : null;
    });
  }
  function downloads(key) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href$='.pdf'], a[href$='.ics'], a[href$='.pptx'], a[href$='.zip']");
      if (!link) { return; }
      event.preventDefault();
      var url = new URL(link.getAttribute("href"), location.href);
      var depth = data.name.split("/").length - 1;
      var root = new URL("../".repeat(depth) || "./", new URL(".", location.href));
      var name = decodeURIComponent(url.pathname.slice(root.pathname.length));
      fetch(url.href + ".enc").then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.arrayBuffer();
      }).then(function (buf) {
        return unseal(key, name, new Uint8Array(buf));
      }).then(function (plain) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(new Blob([plain], {type: link.getAttribute("type") || "application/octet-stream"}));
        a.download = name.split("/").pop();
        document.body.appendChild(a); a.click(); a.remove();
      }).catch(function () { alert("Le fichier n'a pas pu être ouvert."); });
    }, true);
  }
  function show(key) {
    return unseal(key, data.name, bytes(data.payload)).then(function (html) {
      document.open(); document.write(new TextDecoder().decode(html)); document.close();
      downloads(key);
    });
  }
  var message = document.getElementById("amoor-message");
  // Replace the page only once this one is fully parsed: a document.open() while the
  // parser is still running would append the dossier to the form instead of replacing it.
  function reopen() {
    recall().then(function (key) { return key ? show(key) : null; })
      .catch(function () { sessionStorage.removeItem(SESSION); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reopen);
  } else {
    reopen();
  }
  document.getElementById("amoor-unlock").addEventListener("submit", function (event) {
    event.preventDefault();
    message.textContent = "Déchiffrement…";
    var password = document.getElementById("amoor-password").value;
    derive(password).then(function (key) {
      return show(key).then(function () { return remember(key); });
    }).catch(function () {
      message.textContent = "Mot de passe incorrect. Vérifiez-le et réessayez.";
      document.getElementById("amoor-password").focus();
    });
  });
})();
