#!/usr/bin/env bash
# The project's test command: set up (system packages, .venv, non-editable install of
# fichegen with its dev, dask and web extras), then run the whole test suite against the
# installed package (not the checkout), so packaging mistakes fail the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1780000000}
export FICHEGEN_EXPECT_INSTALLED=1
exec .venv/bin/pytest "$@"
