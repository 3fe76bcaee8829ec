"""Everything a figure or map needs to draw with no network.

Two display modes, chosen by the environment variable ``EXHIBIT_BOOK_ROOT``:

* **book** (set by ``exhibit.sphinxext`` while Jupyter Book executes the chapters): outputs refer to the site's
  own copies in ``_static/exhibit/`` (plotly.js, Leaflet, jQuery, the land outline) so a browser downloads each
  once and caches it for every page. Plotly figures are emitted as ``text/html`` only, drawn ahead of time as
  SVG (:func:`static_svg`) and made interactive in the browser when a reader reaches for them.
* **notebook** (JupyterLab, Binder, a downloaded ``.ipynb``): plotly figures carry their JSON
  (``application/vnd.plotly.v1+json``, drawn by JupyterLab's plotly extension) and maps inline Leaflet, jQuery
  and the land outline into the map's own document, so nothing is fetched.
"""

from __future__ import annotations

import atexit
import html
import json
import os
import re
import shutil
import warnings
from functools import cache
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
LAND_GEOJSON = ASSETS / "land.geojson"
VENDOR = {
    "leaflet.js": ASSETS / "vendor" / "leaflet" / "leaflet.js",
    "leaflet.css": ASSETS / "vendor" / "leaflet" / "leaflet.css",
    "jquery.min.js": ASSETS / "vendor" / "jquery" / "jquery.min.js",
}
STATIC_SUBDIR = "exhibit"


#: plotly.js "basic" partial bundle (scatter, bar, pie), the same plotly.js version as the plotly package ships:
#: 1.2 MB instead of 4.8 MB, so a phone downloads a quarter of it. A trace type outside the bundle would draw
#: nothing, silently, so :func:`check_trace_types` refuses it at build time.
PLOTLY_BASIC = ASSETS / "vendor" / "plotly" / "plotly-basic.min.js"
PLOTLY_TRACES = frozenset({"scatter", "bar", "pie"})


def plotly_js() -> Path:
    """The plotly.js bundle the book serves (the vendored basic bundle)."""
    return PLOTLY_BASIC


def check_trace_types(fig) -> None:
    """Raise if a figure uses a trace type the book's plotly.js bundle cannot draw."""
    missing = sorted({t.type for t in fig.data} - PLOTLY_TRACES)
    if missing:
        raise ValueError(f"trace type(s) {', '.join(missing)} are not in the book's plotly.js basic bundle "
                         f"({', '.join(sorted(PLOTLY_TRACES))}); use one of those or vendor a larger bundle")


def static_files() -> dict[str, Path]:
    """Files the book copies to ``_static/exhibit/`` (name -> source)."""
    pictures = {f"pictures/{p.name}": p for p in sorted((ASSETS / "pictures").glob("*.jpg"))}
    return {**VENDOR, "plotly.min.js": plotly_js(), "land.js": LAND_GEOJSON, **pictures}


def global_script(name: str) -> str:
    """The JavaScript that defines ``window.EXHIBIT_LAND`` from the bundled land outline."""
    assert name == "land.js"
    land = json.loads(LAND_GEOJSON.read_text(encoding="utf-8"))
    return f"window.EXHIBIT_LAND = {safe_json(land)};\n"


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


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def map_head(title: str) -> str:
    """``<head>`` content of a map document: its title, and Leaflet, jQuery and the land outline (linked from
    the site's ``_static`` in the book, inlined in a notebook)."""
    from .templating import Markup, render

    if in_book():
        return render("map_head.html", title=title, prefix=static_prefix())
    return render("map_head.html", title=title, prefix=None,
                  leaflet_css=Markup(_read(VENDOR["leaflet.css"])), leaflet_js=Markup(_read(VENDOR["leaflet.js"])),
                  jquery_js=Markup(_read(VENDOR["jquery.min.js"])), land_js=Markup(global_script("land.js")))


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


def safe_json(value: object) -> str:
    """JSON that can sit inside an HTML ``<script>`` block: ``<``, ``>``, ``&`` and line separators escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                       ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def esc(value: object) -> str:
    """Escape text from data for HTML *and* for JavaScript template literals.

    folium puts popup HTML inside a backtick template literal, so besides ``< > & " '`` the backtick and
    ``$`` (which would open ``${...}``) are turned into entities too.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")
