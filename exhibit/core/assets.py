"""Where the package's own files are: the vendored scripts, the land outline, the pictures, the site's assets.

Nothing here reads the network; everything the built book and the notebooks draw with is in ``exhibit/assets/``
(see its README for origins and licences).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from .markup import safe_json

PACKAGE = Path(__file__).resolve().parent.parent
ASSETS = PACKAGE / "assets"
TEMPLATES = PACKAGE / "templates"
LAND_GEOJSON = ASSETS / "land.geojson"
VENDOR = {
    "leaflet.js": ASSETS / "vendor" / "leaflet" / "leaflet.js",
    "leaflet.css": ASSETS / "vendor" / "leaflet" / "leaflet.css",
    "jquery.min.js": ASSETS / "vendor" / "jquery" / "jquery.min.js",
}
#: the folder under the site's ``_static/`` that holds the exhibit's assets
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


@cache
def read(path: Path) -> str:
    """A text asset, read once per process."""
    return path.read_text(encoding="utf-8")
