"""``amoor serve``: public site and dossiers, rebuilt on change, errors in the terminal."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REFERENCE, copy_project

OFFER = "offres/concertation-pertinente/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def wait_for(predicate, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@contextmanager
def serving(root: Path, log: Path):
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root),
                                 "serve", "-a", f"127.0.0.1:{port}"],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        base = f"http://127.0.0.1:{port}/"
        assert wait_for(lambda: "Montclair" in fetch(base + "_dossiers/")), log.read_text()
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_rebuilds_what_changed_and_survives_a_broken_edit(tmp_path):
    root = copy_project(tmp_path / "p")
    log = tmp_path / "serve.log"
    with serving(root, log) as base:
        index = fetch(base + "_dossiers/")
        link = next(href for href in re.findall(r'href="\.\./(d/[^"]+)"', index)
                    if href in index.split("Réaménagement", 1)[1][:400])
        page = base + link
        assert "Vue d" in fetch(page) and "/_amoor/apercu.js" in fetch(page)
        assert "Construire une concertation pertinente" in fetch(base + OFFER)
        # An edit of one mission: that dossier only, its new text served.
        mission = root / "missions" / REFERENCE / "mission.yml"
        good = mission.read_text()
        mission.write_text(good.replace("titre: Réaménagement de la place du Marché",
                                        "titre: Nouvelle place du Marché", 1))
        assert wait_for(lambda: "Nouvelle place du Marché" in fetch(page)), log.read_text()
        assert f"Reconstruit : dossier {REFERENCE} en" in log.read_text()
        # A public page edited: the public site only.
        contact = root / "docs" / "contact.md"
        contact.write_text(contact.read_text() + "\nHoraires d'été : fermé en août.\n")
        assert wait_for(lambda: "fermé en août" in fetch(base + "contact/"))
        assert "Reconstruit : site public en" in log.read_text()
        # A broken edit: diagnostics in the terminal and over the page; last pages served.
        mission.write_text(good.replace("statut: en-cours", "statut: [oups", 1))
        assert wait_for(lambda: f"missions/{REFERENCE}/mission.yml:" in fetch(
            base + "_amoor/etat.json"))
        assert f"missions/{REFERENCE}/mission.yml:" in log.read_text()
        assert "Nouvelle place du Marché" in fetch(page)
        assert "Traceback" not in log.read_text()
        # Mended: the overlay goes away.
        mission.write_text(good)
        assert wait_for(lambda: '"diagnostics": []' in fetch(base + "_amoor/etat.json"))
        assert wait_for(lambda: "Réaménagement de la place du Marché" in fetch(page))


def test_preview_keeps_portals_and_portal_links_in_step_with_the_missions(tmp_path):
    """In process: a client's second mission removed, then back."""
    import shutil

    from generator.build.preview import build_preview

    root = copy_project(tmp_path / "p")
    site = tmp_path / "apercu" / "site"
    preview = build_preview(root, site)
    try:
        portals = {p.client: p for p in preview.portals}
        montclair = next(p for p in portals.values() if len(p.dossiers) == 2)
        reference = preview.dossiers[REFERENCE]
        assert reference.portal == montclair.path
        assert "votre espace client" in (site / reference.path / "index.html").read_text()
        assert montclair.path in (site / "_dossiers" / "index.html").read_text()

        school = root / "missions" / "montclair-ecole-des-tilleuls"
        saved = tmp_path / "ecole"
        shutil.move(school, saved)
        done = preview.update({school / "mission.yml"})
        assert "retiré" in done
        page = (site / reference.path / "index.html").read_text()
        assert "votre espace client" not in page
        listing = (site / montclair.path / "index.html").read_text()
        assert "Tilleuls" not in listing and "place du Marché" in listing

        shutil.move(saved, school)
        preview.update({school / "mission.yml"})
        assert "votre espace client" in (site / reference.path / "index.html").read_text()
        assert "Tilleuls" in (site / montclair.path / "index.html").read_text()
    finally:
        preview.close()


def test_preview_warns_of_a_leak_once_the_edit_is_served(tmp_path):
    """The privacy check of an edit runs after its pages are served (settle)."""
    from generator.build.preview import build_preview

    root = copy_project(tmp_path / "p")
    site = tmp_path / "apercu" / "site"
    preview = build_preview(root, site)
    try:
        page = root / "missions" / REFERENCE / "parametres.md"
        page.write_text(page.read_text() + "\nComme le Département du Val-d'Orbière l'a fait.\n")
        preview.update({page})
        assert "Orbière" in (site / preview.dossiers[REFERENCE].path / "parametres" /
                              "index.html").read_text()
        preview.settle()
        state = (site / "_amoor" / "etat.json").read_text()
        assert "département du val-d" in state.lower() and "contient" in state
    finally:
        preview.close()


def fetch_response(url: str, host: str | None = None):
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_the_preview_serves_the_sites_policy_and_no_inline_script_of_its_own(tmp_path):
    """Finding 1 (third audit): what ran in the preview read every dossier in clear."""
    from generator.protection.csp import declared_hashes, inline_hashes

    root = copy_project(tmp_path / "p")
    with serving(root, tmp_path / "serve.log") as base:
        index = fetch(base + "_dossiers/")
        assert 'http-equiv="Content-Security-Policy"' in index
        assert declared_hashes(index) == [] and inline_hashes(index) == []
        link = re.findall(r'href="\.\./(d/[^"]+)"', index)[0]
        for url in (base + link, base + OFFER, base + "contact/"):
            status, headers, page = fetch_response(url)
            assert status == 200, url
            assert 'http-equiv="Content-Security-Policy"' in page, url
            # every inline script of the served page is one the policy names
            assert set(inline_hashes(page)) <= set(declared_hashes(page)), url
            assert "livereload(" not in page, url
        reload_src = re.search(r'<script src="(/_amoor/[^"]+)" data-epoch', page).group(1)
        status, headers, script = fetch_response(base + reload_src.lstrip("/"))
        assert status == 200 and "/livereload/" in script
        status, headers, _ = fetch_response(base + "_amoor/etat.json")
        assert "script-src 'self'" in headers.get("Content-Security-Policy", "")


def _start(root: Path, log: Path, host: str, port: int, tmp: Path) -> subprocess.Popen:
    tmp.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)}
    with log.open("w") as out:
        return subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root),
                                 "serve", "-a", f"{host}:{port}"],
                                stdout=out, stderr=subprocess.STDOUT, env=env)


def _raw_get(port: int, host_header: str, path: str = "/_dossiers/") -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host_header)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_its_own_host_only_and_leaves_no_temporary_site(tmp_path, stop):
    """Third audit, findings 7 and 8: a page of another site, its name rebound to
    127.0.0.1 (DNS rebinding), gets nothing; the temporary site (dossiers in clear, every
    private link) is removed however the server stops."""
    root = copy_project(tmp_path / "p")
    port, tmp = free_port(), tmp_path / "tmp"
    proc = _start(root, tmp_path / "serve.log", "127.0.0.1", port, tmp)
    try:
        base = f"http://127.0.0.1:{port}/"
        assert wait_for(lambda: "Montclair" in fetch(base + "_dossiers/")), \
            (tmp_path / "serve.log").read_text()
        assert list(tmp.glob("amoor-serve-*"))
        assert _raw_get(port, f"127.0.0.1:{port}") == 200
        assert _raw_get(port, f"localhost:{port}") == 200
        for host in (f"attaquant.example:{port}", "attaquant.example", f"10.0.0.5:{port}"):
            assert _raw_get(port, host) in (400, 403, 421), host
            assert _raw_get(port, host, "/") in (400, 403, 421), host
    finally:
        proc.send_signal(stop)
        proc.wait(timeout=30)
    assert not list(tmp.glob("amoor-serve-*")), list(tmp.iterdir())
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


def test_serve_warns_when_it_listens_beyond_this_computer(tmp_path):
    root = copy_project(tmp_path / "p")
    port = free_port()
    proc = _start(root, tmp_path / "serve.log", "0.0.0.0", port, tmp_path / "tmp")
    try:
        assert wait_for(lambda: "Montclair" in fetch(f"http://127.0.0.1:{port}/_dossiers/"))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    log = (tmp_path / "serve.log").read_text()
    assert "attention" in log.lower() and "0.0.0.0" in log and "réseau" in log
