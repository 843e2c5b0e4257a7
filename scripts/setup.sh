#!/usr/bin/env bash
# Set up everything fichegen needs on a fresh Debian/Ubuntu machine or a dev box:
# system libraries (Pango for WeasyPrint; optionally LibreOffice and poppler for tests),
# then a virtual environment .venv with fichegen installed (non-editable) and its extras.
# Usage: scripts/setup.sh [--dev]   (--dev also installs test tools, LibreOffice, Grammalecte
#                                     and Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
dev=0
[ "${1:-}" = "--dev" ] && dev=1

need_apt=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib libpango-1.0.so || need_apt+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so || need_apt+=(libpangoft2-1.0-0)
have_lib libharfbuzz-subset.so || need_apt+=(libharfbuzz-subset0)
if [ "$dev" = 1 ]; then
  command -v pdftoppm >/dev/null || need_apt+=(poppler-utils)
  command -v soffice >/dev/null || need_apt+=(libreoffice-writer-nogui)
  # Calc opens index.csv as French LibreOffice would (tests/batch/test_manifest_french.py).
  [ -e /usr/lib/libreoffice/program/libsclo.so ] || need_apt+=(libreoffice-calc-nogui)
  # Grammalecte checks the French of generated fiches (tests/document/test_french_quality.py).
  command -v grammalecte-cli >/dev/null || need_apt+=(grammalecte-cli)
  command -v chromium >/dev/null || need_apt+=(chromium)          # browser tests (tests/web)
  command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "Paquets système manquants : ${need_apt[*]} (installez-les avec sudo apt-get install)" >&2
  fi
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "$dev" = 1 ]; then
  .venv/bin/python -m pip install -q ".[dev,dask,web]"
else
  .venv/bin/python -m pip install -q ".[web]"   # the web app (fichegen serve) included
fi
