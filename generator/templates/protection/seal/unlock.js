(function () {
  "use strict";
  /* The sealed page: AES-256-GCM, key from the password by PBKDF2-SHA256. The key is kept
     as a non-extractable CryptoKey in IndexedDB (no script can read its bytes). By default
     for this tab and this browser session only: found again through a random id in
     sessionStorage, and bound to a session cookie (a random value, no key material) that
     the browser deletes when its session ends. With « rester connecté sur cet appareil »,
     for this device, 12 hours at most. At every page load, every entry of another session
     or older than 12 hours is deleted; « Verrouiller » forgets the key at once. */
  var data = JSON.parse(document.getElementById("amoor-sealed").textContent);
  var SESSION = "amoor-session", DB = "amoor-cles", STORE = "cles", MAX_AGE = 12 * 3600 * 1000;
  var COOKIE = "amoor-session";
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
  function random() { return crypto.getRandomValues(new Uint32Array(4)).join("-"); }
  function browserSession(create) {
    var found = document.cookie.split("; ").filter(function (c) {
      return c.indexOf(COOKIE + "=") === 0;
    })[0];
    if (found) { return found.slice(COOKIE.length + 1); }
    if (!create) { return null; }
    var value = random();
    document.cookie = COOKIE + "=" + value + "; path=/; SameSite=Strict" +
      (location.protocol === "https:" ? "; Secure" : "");
    return value;
  }
  function slots() {
    var id = sessionStorage.getItem(SESSION);
    return [id ? id + ":" + data.salt : null, "appareil:" + data.salt];
  }
  function stale(entry, now, session) {
    return !entry || now - entry.at > MAX_AGE || entry.at > now ||
      (!entry.device && entry.session !== session);
  }
  // Every page load: what another browser session left, or older than 12 hours, goes.
  function sweep() {
    var now = Date.now(), session = browserSession(false);
    return store("readwrite", function (objects) {
      objects.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (!cursor) { return; }
        if (stale(cursor.value, now, session)) { cursor.delete(); }
        cursor.continue();
      };
    });
  }
  function remember(key, device) {
    if (!sessionStorage.getItem(SESSION)) { sessionStorage.setItem(SESSION, random()); }
    var here = slots()[device ? 1 : 0];
    var entry = {key: key, at: Date.now(), device: !!device, session: browserSession(true)};
    return store("readwrite", function (objects) { objects.put(entry, here); });
  }
  function recall() {
    if (!window.indexedDB) { return Promise.resolve(null); }
    var here = slots();
    return sweep().then(function () {
      return store("readonly", function (objects, done) {
        var found = null, left = 0;
        here.forEach(function (name) {
          if (!name) { return; }
          left += 1;
          objects.get(name).onsuccess = function (event) {
            found = found || event.target.result;
            left -= 1;
            if (!left) { done(found); }
          };
        });
      });
    }).then(function (entry) {
      return entry && !stale(entry, Date.now(), browserSession(false)) ? entry.key : null;
    });
  }
  function forget() {
    var here = slots();
    return store("readwrite", function (objects) {
      here.forEach(function (name) { if (name) { objects.delete(name); } });
    }).then(function () { sessionStorage.removeItem(SESSION); });
  }
  function lockButton() {
    var where = document.querySelector(".md-content__inner") || document.body;
    var bar = document.createElement("p");
    bar.className = "amoor-lock amoor-no-print";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.textContent = "Verrouiller";
    button.setAttribute("aria-describedby", "amoor-lock-note");
    var note = document.createElement("span");
    note.id = "amoor-lock-note";
    note.textContent = " Oublier la clé sur cet appareil : le mot de passe sera redemandé.";
    button.addEventListener("click", function () {
      forget().then(function () { location.reload(); },
                    function () { location.reload(); });
    });
    bar.appendChild(button);
    bar.appendChild(note);
    where.insertBefore(bar, where.firstChild);
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
      // The written page may still be parsing: the button once it is there.
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", lockButton);
      } else {
        lockButton();
      }
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
    var device = document.getElementById("amoor-device").checked;
    derive(password).then(function (key) {
      return show(key).then(function () { return remember(key, device); });
    }).catch(function () {
      message.textContent = "Mot de passe incorrect. Vérifiez-le et réessayez.";
      document.getElementById("amoor-password").focus();
    });
  });
})();
