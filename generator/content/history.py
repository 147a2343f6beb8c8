"""When each of the consultant's pages last changed, from git: the sitemap's ``lastmod``.

One ``git log`` for the whole folder, not one per page. No date here (the build date
stands) for a file with uncommitted changes or outside git, nor for any file of a shallow
clone: its history is cut, so every file would seem changed by the last commit (the
publish workflows fetch the whole history for this).
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def _git(folder: Path, *args: str) -> str:
    """Read-only git (``status`` does not refresh the index), names as written (no octal
    quoting), and no program a repository's own configuration could start
    (``core.fsmonitor`` runs one on ``git status``)."""
    return subprocess.run(["git", "--no-optional-locks", "-C", str(folder),
                           "-c", "core.quotepath=off", "-c", "core.fsmonitor=false", *args],
                          capture_output=True, text=True, check=True, timeout=60).stdout


def last_changes(folder: Path) -> dict[str, str]:
    """``{path under folder (posix): "YYYY-MM-DD"}``, the day of the last commit that
    changed each committed, unmodified file."""
    folder = folder.resolve()
    try:
        top, shallow = _git(folder, "rev-parse", "--show-toplevel",
                            "--is-shallow-repository").split()
        if shallow == "true":
            return {}
        log = _git(folder, "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", ".")
        status = _git(folder, "status", "--porcelain", "-z", "--untracked-files=all", "--", ".")
    except (OSError, ValueError, subprocess.SubprocessError):
        return {}                   # no git, not a repository, or an unreadable one
    root = Path(top)
    changed = {entry[3:] for entry in status.split("\0") if len(entry) > 3}
    dates: dict[str, str] = {}
    for commit in log.split("\0")[1:]:
        day, *names = commit.strip("\n").split("\n")
        for name in filter(None, names):
            if name in changed:
                continue
            try:
                path = (root / name).relative_to(folder).as_posix()
            except ValueError:
                continue
            dates.setdefault(path, day)         # newest first: the first seen is the last
    return dates
