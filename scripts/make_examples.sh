#!/usr/bin/env bash
# Regenerate examples/: the fiches of the bundled profiles (PDF, DOCX) and a PNG of each
# first page for the README. Needs fichegen installed in .venv (scripts/setup.sh) and
# pdftoppm (poppler-utils). The date is fixed so the files only change with the content.
set -euo pipefail
cd "$(dirname "$0")/.."
fichegen=${FICHEGEN:-.venv/bin/fichegen}
date=${EXAMPLES_DATE:-2026-11-26}
mkdir -p examples
rm -f examples/fiche15_*
$fichegen render profiles/*.yaml -f pdf,docx -o examples --date "$date"
for pdf in examples/fiche15_*.pdf; do
  pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$pdf" "${pdf%.pdf}"
done
ls -l examples
