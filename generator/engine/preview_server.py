"""The server of ``amoor serve``: MkDocs' live-reload server, held to the site's policy.

The preview serves every client's dossier in clear and the index of every private
link: a script that ran there (an attribute, raw HTML in a mission page) could read
them all and send them away. So its pages carry the published site's
Content-Security-Policy (see :func:`generator.engine.hooks.finish_page`), every other
file a policy that runs nothing, and the live-reload script is a file of the server
(``script-src 'self'``) instead of an inline one the policy would block.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from mkdocs.livereload import LiveReloadServer

from ..csp import policy

#: The live-reload script, served as a file; its page's epoch and id in its attributes.
RELOAD_PATH = "/_amoor/rechargement.js"
RELOAD_SCRIPT = """(function () {
  var me = document.currentScript, epoch = Number(me.dataset.epoch),
      id = me.dataset.request, req, timeout;
  function poll() {
    req = new XMLHttpRequest();
    req.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) { location.reload(); }
      else { timeout = setTimeout(poll, this.status === 200 ? 0 : 3000); }
    };
    req.open("GET", "/livereload/" + epoch + "/" + id);
    req.send();
  }
  function stop() {
    if (req) { req.abort(); }
    if (timeout) { clearTimeout(timeout); }
    req = timeout = undefined;
  }
  window.addEventListener("load", function () {
    if (document.visibilityState === "visible") { poll(); }
  });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { poll(); } else { stop(); }
  });
  window.addEventListener("beforeunload", stop);
})();
"""

StartResponse = Callable[..., Any]


class PreviewServer(LiveReloadServer):
    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        """The live-reload script as a file of the server, not inline."""
        tag = (f'<script src="{RELOAD_PATH}" data-epoch="{int(epoch)}" '
               f'data-request="{time.monotonic_ns()}"></script>').encode()
        end = content.rfind(b"</body>")
        end = len(content) if end < 0 else end
        return content[:end] + tag + content[end:]

    def serve_request(self, environ: dict[str, Any],
                      start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == RELOAD_PATH:
            start_response("200 OK", [("Content-Type", "application/javascript"),
                                      ("Cache-Control", "no-store")])
            return [RELOAD_SCRIPT.encode()]

        def respond(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            kind = next((v for k, v in headers if k.lower() == "content-type"), "")
            if not kind.startswith("text/html"):    # a page carries its own, with hashes
                headers = [*headers, ("Content-Security-Policy", policy([]))]
            return start_response(status, headers, *rest)

        return super().serve_request(environ, respond)
