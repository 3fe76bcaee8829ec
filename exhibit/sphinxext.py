"""Sphinx extension used by the book's ``_config.yml``.

* sets ``EXHIBIT_BOOK_ROOT`` so chapters executed during the build refer to the site's local assets;
* copies plotly.js (from the installed plotly package), Leaflet, jQuery and the land outline to
  ``_static/exhibit/`` of the built site (nothing is fetched, nothing built is committed);
* adds ``<script src="_static/exhibit/plotly.min.js">`` only to pages that contain a plotly figure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import offline

CSS = Path(__file__).resolve().parent / "assets" / "exhibit.css"
JS = Path(__file__).resolve().parent / "assets" / "exhibit.js"


def _builder_inited(app) -> None:
    os.environ["EXHIBIT_BOOK_ROOT"] = str(Path(app.srcdir).resolve())


def _copy_assets(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / offline.STATIC_SUBDIR
    target.mkdir(parents=True, exist_ok=True)
    for name, source in offline.static_files().items():
        if name == "land.js":
            (target / name).write_text(offline.global_script(name), encoding="utf-8")
        else:
            shutil.copyfile(source, target / name)
    shutil.copyfile(CSS, target / CSS.name)
    shutil.copyfile(JS, target / JS.name)


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if "plotly-graph-div" in context.get("body", ""):
        app.add_js_file(f"{offline.STATIC_SUBDIR}/plotly.min.js", priority=400)


def setup(app):
    app.connect("builder-inited", _builder_inited)
    app.connect("build-finished", _copy_assets)
    app.connect("html-page-context", _page_context)
    app.add_css_file(f"{offline.STATIC_SUBDIR}/{CSS.name}")
    app.add_js_file(f"{offline.STATIC_SUBDIR}/{JS.name}", loading_method="defer")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
