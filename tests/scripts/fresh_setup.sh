#!/usr/bin/env bash
# The README's first command as a new user runs it: a fresh clone of this repository's
# committed HEAD in a temporary folder, then `make site` with the given interpreter (its
# own venv, the pip that venv brings). Prints the time of the install and of the build.
#
#   tests/scripts/fresh_setup.sh /usr/bin/python3          # Debian 12's own python3
#   tests/scripts/fresh_setup.sh python3.13 --cold         # with an empty pip cache
#   tests/scripts/fresh_setup.sh python3.12 --test         # make test instead of make site
set -euo pipefail
python=${1:?usage: fresh_setup.sh PYTHON [--cold] [--test] [--keep]}
shift
cold=0 target=site keep=0
for arg in "$@"; do
  case $arg in
    --cold) cold=1 ;;
    --test) target=test ;;
    --keep) keep=1 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d "${TMPDIR:-/tmp}/amoor-fresh-XXXXXX")
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
git clone --quiet "$repo" "$work/clone"
cd "$work/clone"
[ "$cold" = 1 ] && export PIP_CACHE_DIR="$work/pip-cache"
version=$("$python" -c 'import sys; print(".".join(map(str, sys.version_info[:3])))')
echo "== $python (Python $version), commit $(git rev-parse --short HEAD), cache: $([ "$cold" = 1 ] && echo cold || echo warm)"
SECONDS=0
if ! make install PYTHON="$python" >"$work/install.log" 2>&1; then
  tail -n 20 "$work/install.log"; echo "FAILED: make install with $python"; exit 1
fi
installed=$SECONDS
if ! make "$target" PYTHON="$python" >"$work/$target.log" 2>&1; then
  tail -n 30 "$work/$target.log"; echo "FAILED: make $target with $python"; exit 1
fi
tail -n 3 "$work/$target.log"
echo "OK: install ${installed} s, make $target $((SECONDS - installed)) s, Python $version"
