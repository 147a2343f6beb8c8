"""The server of ``amoor serve``: MkDocs' live-reload server, held to the site's policy.

The preview serves every client's dossier in clear and the index of every private
link: a script that ran there (an attribute, raw HTML in a mission page) could read
them all and send them away. So its pages carry the published site's
Content-Security-Policy (see :func:`generator.engine.hooks.finish_page`), every other
file a policy that runs nothing, and the live-reload script is a file of the server
(``script-src 'self'``) instead of an inline one the policy would block.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable
from typing import Any

from mkdocs.livereload import LiveReloadServer

from ..protection.csp import policy

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
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def loopback(host: str) -> bool:
    """True when a server bound to ``host`` is reachable from this computer only."""
    address = _ip(host)
    return host.lower() == "localhost" or (address is not None and address.is_loopback)


def host_name(header: str) -> str:
    """The name of a ``Host`` header, without its port: ``[::1]:8000`` → ``::1``."""
    if header.startswith("["):
        return header[1:header.find("]")].lower()
    return header.rsplit(":", 1)[0].lower() if header.count(":") == 1 else header.lower()


class PreviewServer(LiveReloadServer):
    """``host``: the address it is bound to. A request naming another host is refused:
    a page of another site whose name is rebound to this computer (DNS rebinding) would
    otherwise read ``/_dossiers/``. Bound beyond this computer (``0.0.0.0``, a network
    address), an address typed by hand (an IP) is accepted too."""

    def __init__(self, builder: Callable[[], None], host: str, port: int, root: str,
                 **options: Any) -> None:
        super().__init__(builder=builder, host=host, port=port, root=root, **options)
        self.hosts = LOCAL_NAMES | {host_name(host)}
        self.any_address = not loopback(host)

    def allowed_host(self, header: str) -> bool:
        name = host_name(header)
        return name in self.hosts or (self.any_address and _ip(name) is not None)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        """The live-reload script as a file of the server, not inline."""
        tag = (f'<script src="{RELOAD_PATH}" data-epoch="{int(epoch)}" '
               f'data-request="{time.monotonic_ns()}"></script>').encode()
        end = content.rfind(b"</body>")
        end = len(content) if end < 0 else end
        return content[:end] + tag + content[end:]

    def serve_request(self, environ: dict[str, Any],
                      start_response: StartResponse) -> Iterable[bytes]:
        if not self.allowed_host(environ.get("HTTP_HOST", "")):
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
            return ["Hôte refusé : ouvrez l'aperçu par l'adresse qu'affiche amoor serve."
                    .encode()]
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
