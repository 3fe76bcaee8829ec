#!/usr/bin/env bash
# Install into .venv and build the book with warnings as errors. Output: _build/html/index.html
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/jupyter-book build . -W -n --keep-going
echo "Built: open $(pwd)/_build/html/index.html (or: .venv/bin/python -m http.server -d _build/html 8000)"
