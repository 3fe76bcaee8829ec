#!/usr/bin/env bash
# Install into .venv (plus Debian's Chromium if missing and we are root) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-test.txt
# on every core (pytest-xdist); the Binder tests share one JupyterLab, so they stay on one worker (loadgroup)
.venv/bin/python -m pytest -n auto --dist loadgroup "$@"
