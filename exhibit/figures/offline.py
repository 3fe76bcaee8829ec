"""The head of a map's own document, so that it draws with no network, in either edition of a chapter.

* **book**: the map links the site's copies in ``_static/exhibit/`` (Leaflet, jQuery, the land outline), so a
  browser downloads each once and caches it for every page;
* **notebook** (JupyterLab, Binder, a downloaded ``.ipynb``): the map inlines them into its own document.

A chapter's kernel writes both (:class:`exhibit.figures.present.Presented`); which one a reader gets is decided by
what displays the output (the book's build or JupyterLab), never by state passed to the kernel.
"""

from __future__ import annotations

from exhibit.core.assets import VENDOR, global_script, read
from exhibit.core.context import static_prefix
from exhibit.core.markup import Markup, render


def map_head(title: str, book: bool = False) -> str:
    """``<head>`` content of a map document: its title, and Leaflet, jQuery and the land outline: linked from
    the site's ``_static/`` in the book (``book``), inlined in a notebook."""
    if book:
        return render("map_head.html", title=title, prefix=static_prefix())
    return render("map_head.html", title=title, prefix=None,
                  leaflet_css=Markup(read(VENDOR["leaflet.css"])), leaflet_js=Markup(read(VENDOR["leaflet.js"])),
                  jquery_js=Markup(read(VENDOR["jquery.min.js"])), land_js=Markup(global_script("land.js")))
