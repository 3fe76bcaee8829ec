#!/usr/bin/env bash
# Install into .venv and build the book with warnings as errors. Output: _build/html/index.html
set -euo pipefail
cd "$(dirname "$0")/.."
# the charts are drawn while the book is built, by plotly.js in a headless Chromium (kaleido)
if ! command -v chromium >/dev/null 2>&1 && [ -z "${BROWSER_PATH:-}" ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
# Jupyter Book's build command, reading (and executing) pages on both cores: see exhibit/site/build.py
.venv/bin/python -m exhibit.site.build . -W -n --keep-going
echo "Built: open $(pwd)/_build/html/index.html (or: .venv/bin/python -m http.server -d _build/html 8000)"
