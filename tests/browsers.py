"""Which Chromium the browser tests drive: never a snap, never a download at test time.

In order: ``AMOOR_CHROMIUM`` (a path, taken as it is); a Chromium or Chrome of the system
that is a real program (Ubuntu's ``chromium-browser`` deb is a wrapper that asks for the
snap, and a snap browser cannot use a profile in ``/tmp``); then Playwright's own Chromium,
if ``playwright install chromium`` was run where the network allows it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ENV = "AMOOR_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MAC_APPS = ("/Applications/Chromium.app/Contents/MacOS/Chromium",
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
HOW = ("aucun Chromium utilisable : Debian « apt-get install chromium », macOS « brew install "
       "--cask chromium », Ubuntu (Chromium n'y est qu'un snap) « playwright install "
       "chromium » ou Google Chrome, ou bien AMOOR_CHROMIUM=/chemin/vers/chrome")


def is_snap(program: Path) -> bool:
    """A snap, or a script that hands over to one (Ubuntu's transitional packages)."""
    real = program.resolve()
    if real.parts[:2] == ("/", "snap"):
        return True
    with real.open("rb") as file:
        head = file.read(4096)
    return head.startswith(b"#!") and b"snap" in head


def system_chromium() -> Path | None:
    found = [shutil.which(name) for name in NAMES] + [p for p in MAC_APPS if Path(p).exists()]
    for candidate in (Path(p) for p in found if p):
        if os.access(candidate, os.X_OK) and not is_snap(candidate):
            return candidate
    return None


def playwright_chromium(playwright) -> Path | None:
    path = Path(playwright.chromium.executable_path)
    return path if path.exists() else None


def find_chromium(playwright) -> tuple[Path | None, str]:
    """The browser to launch and where it came from (None: none usable, and why)."""
    if os.environ.get(ENV):
        path = Path(os.environ[ENV])
        if not os.access(path, os.X_OK):
            return None, f"{ENV}={path} n'est pas un programme exécutable"
        return path, ENV
    if (path := system_chromium()) is not None:
        return path, "système"
    if (path := playwright_chromium(playwright)) is not None:
        return path, "Playwright"
    return None, HOW
