"""Everything a figure or map needs to draw with no network.

Two display modes, chosen by the environment variable ``EXHIBIT_BOOK_ROOT``:

* **book** (set by ``exhibit.site.sphinxext`` while Jupyter Book executes the chapters): outputs refer to the site's
  own copies in ``_static/exhibit/`` (plotly.js, Leaflet, jQuery, the land outline) so a browser downloads each
  once and caches it for every page. Plotly figures are emitted as ``text/html`` only, drawn ahead of time as
  SVG (:func:`static_svg`) and made interactive in the browser when a reader reaches for them.
* **notebook** (JupyterLab, Binder, a downloaded ``.ipynb``): plotly figures carry their JSON
  (``application/vnd.plotly.v1+json``, drawn by JupyterLab's plotly extension) and maps inline Leaflet, jQuery
  and the land outline into the map's own document, so nothing is fetched.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import warnings
from pathlib import Path

from exhibit.core.assets import STATIC_SUBDIR, VENDOR, global_script, read
from exhibit.core.markup import Markup, render


def book_root() -> Path | None:
    root = os.environ.get("EXHIBIT_BOOK_ROOT")
    return Path(root) if root else None


def in_book() -> bool:
    return book_root() is not None


def static_prefix() -> str:
    """Relative URL from the page being executed to ``_static/exhibit/`` (book mode only).

    myst-nb runs each notebook with its own folder as working directory, and the HTML page sits at the
    same relative place in the site as the source file does in the book.
    """
    root = book_root()
    assert root is not None, "static_prefix() is only meaningful while the book is built"
    rel = os.path.relpath(root, Path.cwd()).replace(os.sep, "/")
    return ("" if rel == "." else rel + "/") + f"_static/{STATIC_SUBDIR}/"


def map_head(title: str) -> str:
    """``<head>`` content of a map document: its title, and Leaflet, jQuery and the land outline (linked from
    the site's ``_static`` in the book, inlined in a notebook)."""
    if in_book():
        return render("map_head.html", title=title, prefix=static_prefix())
    return render("map_head.html", title=title, prefix=None,
                  leaflet_css=Markup(read(VENDOR["leaflet.css"])), leaflet_js=Markup(read(VENDOR["leaflet.js"])),
                  jquery_js=Markup(read(VENDOR["jquery.min.js"])), land_js=Markup(global_script("land.js")))


#: browsers kaleido can draw figures with (besides ``BROWSER_PATH``); the first found on the PATH is used
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def static_browser() -> str | None:
    """The Chromium that draws the book's figures ahead of time, or None when there is none."""
    named = os.environ.get("BROWSER_PATH")
    if named:
        return named if Path(named).is_file() else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


_kaleido_running = False


def static_svg(fig, width: int, name: str) -> str:
    """The figure drawn as SVG by plotly.js itself (kaleido, in a headless Chromium kept open for the whole
    notebook), at ``width`` pixels and the figure's own height. Nothing is fetched: plotly.js comes from the
    plotly package.

    plotly.js names the drawing's clip paths and legend after a random id, and its traces after random uids:
    here the id becomes ``name`` (unique on the page) and the traces are numbered, so two builds write the
    same page and two drawings on one page never share an id."""
    global _kaleido_running
    import kaleido

    if not _kaleido_running:
        if not static_browser():
            raise RuntimeError("drawing the book's figures needs Chromium (Debian: apt-get install chromium), "
                               "or BROWSER_PATH set to a Chrome or Chromium")
        os.environ.setdefault("BROWSER_PATH", static_browser())
        kaleido.start_sync_server(silence_warnings=True)
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)
        _kaleido_running = True
    numbered = type(fig)(fig)
    for i, trace in enumerate(numbered.data):
        trace.uid = f"{name}-{i}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "kopts ignored when using a server": there are none
        svg = numbered.to_image(format="svg", width=width, height=fig.layout.height or 450).decode("utf-8")
    uid = re.search(r'id="defs-([0-9a-f]+)"', svg)
    return svg.replace(uid[1], f"-{name}-") if uid else svg
