"""``amoor serve``: public site and dossiers, rebuilt on change, errors in the terminal."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

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


def test_serve_previews_dossiers_and_survives_a_broken_mission(tmp_path):
    root = copy_project(tmp_path / "p")
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root),
                                 "serve", "-a", f"127.0.0.1:{port}"],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: "Montclair" in fetch(base + "_dossiers/")), log.read_text()
        index = fetch(base + "_dossiers/")
        link = index.split('href="../', 1)[1].split('"', 1)[0]
        assert "Vue d" in fetch(base + link)
        assert "Construire une concertation pertinente" in fetch(base + OFFER)
        mission = root / "missions" / REFERENCE / "mission.yml"
        mission.write_text(mission.read_text().replace("statut: en-cours", "statut: [oups", 1))
        assert wait_for(lambda: f"missions/{REFERENCE}/mission.yml" in log.read_text())
        assert "Traceback" not in log.read_text()
        assert "Construire une concertation pertinente" in fetch(base + OFFER)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
