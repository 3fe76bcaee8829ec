"""Charts drawn ahead of time as SVG, by plotly.js itself, once per build and once per distinct figure.

The chapters' kernels emit a figure's JSON (:mod:`exhibit.figures.present`); the book's build draws it here, in
the Sphinx process, with one headless Chromium (kaleido) for the whole build, and keeps every drawing in the
result cache (:mod:`exhibit.core.cache`) keyed on the figure's JSON, width and name and on the plotly and kaleido
versions, so an unchanged chart costs a file read. Nothing is fetched: plotly.js comes from the plotly package.
"""

from __future__ import annotations

import atexit
import copy
import json
import os
import re
import shutil
import warnings
from pathlib import Path

from exhibit.core.cache import cached

#: browsers kaleido can draw figures with (besides ``BROWSER_PATH``); the first found on the PATH is used
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def static_browser() -> str | None:
    """The Chromium that draws the book's figures ahead of time, or None when there is none."""
    named = os.environ.get("BROWSER_PATH")
    if named:
        return named if Path(named).is_file() else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


_kaleido_running = False


def _start_kaleido() -> None:
    global _kaleido_running
    import kaleido

    if _kaleido_running:
        return
    browser = static_browser()
    if not browser:
        raise RuntimeError("drawing the book's figures needs Chromium (Debian: apt-get install chromium), "
                       "or BROWSER_PATH set to a Chrome or Chromium")
    os.environ.setdefault("BROWSER_PATH", browser)  # kaleido's own way of being told which browser to use
    kaleido.start_sync_server(silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _kaleido_running = True


def _draw(figure: dict, width: int, name: str) -> str:
    import plotly.io as pio

    _start_kaleido()
    numbered = copy.deepcopy(figure)
    for i, trace in enumerate(numbered.get("data", [])):
        trace["uid"] = f"{name}-{i}"
    height = numbered.get("layout", {}).get("height") or 450
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "kopts ignored when using a server": there are none
        svg = pio.to_image(numbered, format="svg", width=width, height=height, validate=False).decode("utf-8")
    uid = re.search(r'id="defs-([0-9a-f]+)"', svg)
    return svg.replace(uid[1], f"-{name}-") if uid else svg


def static_svg(figure: dict, width: int, name: str) -> str:
    """The figure (plotly JSON) drawn as SVG at ``width`` pixels and its own height.

    plotly.js names the drawing's clip paths and legend after a random id, and its traces after random uids:
    here the id becomes ``name`` (unique on the page) and the traces are numbered, so two builds write the
    same page and two drawings on one page never share an id."""
    inputs = (json.dumps(figure, sort_keys=True), width, name)
    return cached("svg", inputs, lambda: _draw(figure, width, name), code=(Path(__file__),),
                  packages=("plotly", "kaleido"), suffix=".svg")
