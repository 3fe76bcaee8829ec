"""Show a plotly figure or a folium map as an accessible exhibit figure.

``present(obj, caption=..., alt=..., table=...)`` returns an object that Jupyter displays as

    <figure>  the figure or map (with alt text as its accessible name)
              <figcaption> the caption </figcaption>
              <details> a table of the figure's data </details>
    </figure>

Plotly figures draw from the page's single copy of plotly.js (book) or from their JSON (JupyterLab);
maps are an ``<iframe srcdoc>`` with a ``title`` whose scripts are local (see :mod:`exhibit.figures.offline`).
"""

from __future__ import annotations

import itertools
import json
import re
import textwrap

import branca.element
import folium
import jinja2
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.io.base_renderers import PlotlyRenderer

from exhibit.core.assets import TEMPLATES, check_trace_types
from exhibit.core.markup import Markup, render, safe_json
from exhibit.figures import offline

_counter = itertools.count(1)


def table_html(frame: pd.DataFrame, caption: str | None = None, max_rows: int | None = None,
               reader_form: bool = True) -> str:
    """An accessible HTML table; every cell escaped by the template. A ``sources`` column is written in reader
    form (``Ezell and Ezell 1978``) unless ``reader_form`` is off (the data page shows the CSV as it is). On
    phones each row becomes a card, every cell labelled with its column."""
    shown = frame if max_rows is None else frame.head(max_rows)
    if reader_form:
        from exhibit.data.sources import readable, reader_cites

        if "sources" in shown:
            shown = shown.assign(sources=shown["sources"].map(reader_cites))
        texts = [c for c in shown.columns if c != "sources" and shown[c].dtype in (object, "string")]
        shown = shown.assign(**{c: shown[c].map(lambda v: v if pd.isna(v) else readable(v)) for c in texts})
    return render("table.html", caption=caption, columns=list(shown.columns),
                  rows=[[_cell(v) for v in row] for _, row in shown.iterrows()],
                  more=max_rows is not None and len(frame) > max_rows, shown=max_rows, total=len(frame))


def _cell(value: object) -> str:
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M UTC") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    return str(value)


PLOT_CONFIG = {"displaylogo": False, "responsive": True}

#: figures are drawn ahead of time at these widths (px): wide screens and print, and phones (up to NARROW_MAX)
STATIC_WIDTH = 760
NARROW_WIDTH = 360
NARROW_MAX = 640
_LEGEND_ROW = 30  # px per entry of a one-entry-a-line legend (and its title)


def _lanes(fig: go.Figure) -> list[tuple[float, str]]:
    """(position, label) of each named row of a figure whose rows are themes or phases (y tick texts or y
    categories); empty when the y axis is a measure."""
    axis = fig.layout.yaxis
    if axis.ticktext:
        return list(zip(axis.tickvals, axis.ticktext, strict=True))
    names: list[str] = []
    for trace in fig.data:
        for value in trace.y if trace.y is not None else ():
            if isinstance(value, str) and value not in names:
                names.append(value)
    order = list(axis.categoryarray) if axis.categoryarray else names
    return [(i, name) for i, name in enumerate(order)]


def narrow_figure(fig: go.Figure) -> go.Figure:
    """The same figure laid out for a phone: row names above their rows instead of beside them, the legend
    below the plot one entry a line, the title wrapped, and the height grown by what the legend needs."""
    from exhibit.figures.charts import place_labels, wrap

    small = place_labels(go.Figure(fig), NARROW_WIDTH - 16, row_names=True)
    lanes = _lanes(small)
    above = -0.45 if small.layout.yaxis.autorange == "reversed" else 0.45
    for y, label in lanes:
        small.add_annotation(x=0, xref="paper", xanchor="left", y=y + above, yref="y", yanchor="middle",
                             text=label, showarrow=False, font=dict(size=11, color="#444444"))
    if lanes:
        small.update_yaxes(showticklabels=False)
    entries = sum(1 for t in small.data if t.showlegend is not False and t.name) if small.layout.showlegend \
        is not False else 0
    title = (small.layout.meta or {}).get("title", "")
    top = 44 + 20 * len(textwrap.wrap(title, 38))  # the title's lines, and room for the first row's name
    legend_height = (entries + 1) * _LEGEND_ROW if entries > 1 else 0
    height = (small.layout.height or 450) + legend_height
    small.update_layout(
        title=dict(text=wrap(title, 38), font=dict(size=15), yref="container", y=1, yanchor="top", pad=dict(t=22)),
        height=height, margin=dict(l=8, r=8, t=top, b=10 + legend_height),
        legend=dict(orientation="v", x=0, xanchor="left", y=(legend_height + 6) / height, yanchor="top",
                    yref="container", title=dict(side="top")))
    return small


#: the output a chapter's kernel emits for the book beside its notebook output (``text/html``): the book's build
#: (:mod:`exhibit.site.mime`) turns it into the page's HTML, drawing charts ahead of time; JupyterLab ignores it
EXHIBIT_MIME = "application/vnd.exhibit.page+json"


def plot_parts(fig: go.Figure, div_id: str) -> dict:
    """What a chart's HTML is made of: its element id, the JSON the page script draws from (the figure with its
    phone layout as ``narrow``) and the phone-width figure, which the book draws ahead of time."""
    small = narrow_figure(fig)
    spec = json.loads(pio.to_json(fig, validate=False))
    narrow = json.loads(pio.to_json(small, validate=False))
    spec["narrow"] = narrow["layout"]
    spec["config"] = PLOT_CONFIG
    # keys in sorted order, as a notebook stores them (nbformat sorts): a page drawn from a fresh run and one drawn
    # from the kept outputs are then the same, byte for byte
    return {"div_id": div_id, "spec": json.loads(json.dumps(spec, sort_keys=True)), "narrow_figure": narrow}


def drawn_figures(parts: dict) -> dict[str, dict]:
    """The two figures the book draws ahead of time, by width: the wide one (screens and print) and the phone's."""
    wide = {k: v for k, v in parts["spec"].items() if k in ("data", "layout")}
    return {"wide": wide, "narrow": parts["narrow_figure"]}


def plot_html(parts: dict, wide_svg: str = "", narrow_svg: str = "") -> str:
    """The chart's element: the drawings made ahead of time (a wide and a phone-width SVG, in the book), an empty
    plot element and the figure's JSON with both layouts. The page shows the drawings at once, with no figure
    library; ``exhibit.js`` fetches plotly.js and makes the chart interactive when a reader reaches for it (hover,
    tap, the *Explore* button, a filter). In a notebook there are no drawings: JupyterLab draws the JSON."""
    return render("plot.html", div_id=parts["div_id"], spec=Markup(safe_json(parts["spec"])),
                  wide=Markup(wide_svg), narrow=Markup(narrow_svg))


def filter_html(fig: go.Figure, plot_id: str) -> str:
    """Checkboxes (one per legend group) that show or hide a figure's traces: a keyboard-usable filter."""
    groups: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for i, trace in enumerate(fig.data):
        if trace.legendgroup:
            groups.setdefault(trace.legendgroup, []).append(i)
            if trace.showlegend is not False:
                names[trace.legendgroup] = trace.name
    boxes = [(names.get(g, g), json.dumps(idx)) for g, idx in groups.items()]
    return render("filter.html", plot_id=plot_id, boxes=boxes)


#: folium's element names: a lower-case kind, an underscore and a random uuid4 hex (``circle_marker_3f2a…``)
_ELEMENT_NAME = re.compile(r"\b(?P<kind>[a-z][a-z0-9]*(?:_[a-z0-9]+)*?)_(?P<hex>[0-9a-f]{32})\b")


def stable_ids(doc: str) -> str:
    """Replace the random part of folium's element names by numbers in order of appearance.

    Two builds of the book then produce identical pages. Only names of that form change: a 32-digit hex run
    anywhere else (a data URL, a popup's text) is left as it is.
    """
    seen: dict[str, str] = {}
    return _ELEMENT_NAME.sub(
        lambda m: f"{m['kind']}_{seen.setdefault(m['hex'], f'{len(seen) + 1:032d}')}", doc)


class MapDocument(branca.element.Figure):
    """The document inside a map's frame: ``templates/map_document.html`` (``lang``, the exhibit's head content
    with the local Leaflet and land outline, then folium's own header, body and script)."""

    _template = jinja2.Template((TEMPLATES / "map_document.html").read_text(encoding="utf-8"))

    def __init__(self, head_html: str):
        super().__init__()
        self.head_html = head_html


def map_editions(fmap: folium.Map, title: str, height: int = 460) -> dict[str, str]:
    """A folium map as an ``<iframe srcdoc>`` that loads nothing from the network, in both editions: the
    notebook's with Leaflet, jQuery and the land outline inlined; the book's linked from the site's ``_static/``,
    its document waiting in ``data-exhibit-srcdoc`` until the map comes near the screen (``exhibit.js``), so
    Leaflet does not run while a phone paints the page's text.

    folium's elements add to the map's script each time they are rendered, so the map is rendered once and each
    edition's document is the same rendering under its own head."""
    fmap.default_js = []
    fmap.default_css = []
    document = MapDocument(Markup(offline.map_head(title, book=False)))
    document.add_child(fmap)
    editions = {"notebook": stable_ids(document.render())}
    document.head_html = Markup(offline.map_head(title, book=True))
    editions["book"] = stable_ids(document._template.render(this=document, kwargs={}))
    legend = getattr(fmap, "exhibit_legend", None)
    return {edition: render("map_frame.html", title=title, doc=doc, height=height, lazy=edition == "book",
                            rows=legend) for edition, doc in editions.items()}


def map_html(fmap: folium.Map, title: str, height: int = 460, book: bool = False) -> str:
    """One edition of :func:`map_editions` (the book's with ``book``)."""
    return map_editions(fmap, title, height)["book" if book else "notebook"]


def finder_html(events: pd.DataFrame, plot_id: str) -> str:
    """A text search and an era filter for an era chart: result count, links to ``#event-<id>``, matching points
    highlighted in the chart (``exhibit.js``)."""
    from exhibit.figures.charts import ERA_LABELS, finder_index

    eras = [(e, ERA_LABELS.get(e, e)) for e in ERA_LABELS if e in set(events["era"])]
    return render("finder.html", plot_id=plot_id, eras=eras, total=len(events),
                  index=Markup(safe_json(finder_index(events))))


class Presented:
    """A figure or map with its caption, alt text and data table, ready to display."""

    def __init__(self, obj, caption: str, alt: str, table: pd.DataFrame | None = None,
                 table_caption: str | None = None, extra_html: str = "", anchor: str | None = None,
                 filters: bool = False, finder: pd.DataFrame | None = None):
        if not caption or not alt:
            raise ValueError("every exhibit figure needs a caption and alt text")
        self.obj, self.caption, self.alt = obj, caption, alt
        self.table, self.table_caption = table, table_caption
        self.anchor = anchor or f"exhibit-figure-{next(_counter)}"
        #: the controls and notes under the chart, in order: finder, filter, then the caller's own
        self.extras = [finder_html(finder, self.anchor + "-plot") if finder is not None else "",
                       filter_html(obj, self.anchor + "-plot") if filters else "", extra_html]

    def figure_fields(self) -> dict:
        """Everything of the figure's HTML but its body (chart or map)."""
        label = self.table_caption or "The data behind this figure"
        return {"anchor": self.anchor, "plot": isinstance(self.obj, go.Figure), "alt": self.alt,
                "extra": [part for part in self.extras if part], "caption": self.caption, "table_label": label,
                "table": table_html(self.table, label) if self.table is not None else ""}

    def to_html(self, book: bool = False) -> str:
        """The figure as HTML: the notebook's (charts drawn by JupyterLab from their JSON, maps with their
        scripts inlined) or, with ``book``, the book's without the chart drawings (:func:`book_payload`)."""
        if isinstance(self.obj, go.Figure):
            check_trace_types(self.obj)
            body = plot_html(plot_parts(self.obj, self.anchor + "-plot"))
        elif isinstance(self.obj, folium.Map):
            if not hasattr(self, "_maps"):
                self._maps = map_editions(self.obj, self.alt)
            body = self._maps["book" if book else "notebook"]
        else:
            raise TypeError(f"cannot present {type(self.obj).__name__}")
        return figure_html(self.figure_fields(), body)

    def book_payload(self) -> dict:
        """The book's output: a chart as its parts (drawn by the build, :mod:`exhibit.site.mime`), a map as HTML."""
        if isinstance(self.obj, go.Figure):
            check_trace_types(self.obj)
            return {"figure": self.figure_fields(), "plot": plot_parts(self.obj, self.anchor + "-plot")}
        return {"html": self.to_html(book=True)}

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self.to_html(), EXHIBIT_MIME: self.book_payload()}
        if isinstance(self.obj, go.Figure):
            bundle.update(PlotlyRenderer().to_mimebundle(self.obj.to_dict()))
        return bundle


def figure_html(fields: dict, body: str) -> str:
    """``<figure>``: the chart or map, filters and finder, caption and the folded data table."""
    return render("figure.html", **{**fields, "body": Markup(body), "extra": [Markup(part) for part in fields["extra"]],
                                    "table": Markup(fields["table"])})


def present(obj, caption: str, alt: str, table: pd.DataFrame | None = None, **kwargs) -> Presented:
    """Wrap a plotly figure or folium map with caption, alt text and a data table for display."""
    return Presented(obj, caption, alt, table, **kwargs)


class HTML:
    """A piece of trusted, already-escaped HTML for display (built only by this package)."""

    def __init__(self, html_text: str):
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html


class TwoEditions(HTML):
    """HTML that differs between the book and a notebook (a picture's address, the replay's page script): the
    notebook's as ``text/html`` (and :attr:`html`), the book's as the exhibit's own output (:data:`EXHIBIT_MIME`),
    which the book's build chooses and JupyterLab ignores. Nothing tells the kernel which one it runs for."""

    def __init__(self, book: str, notebook: str):
        super().__init__(notebook)
        self.book = book

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html, EXHIBIT_MIME: {"html": self.book}}


def event_list(events: pd.DataFrame, zones=("UTC", "Moscow", "Houston")) -> HTML:
    """Events as a list a reader can link to: each item has the anchor ``#event-<id>``.

    Dates are written no more precisely than sourced; timed events also show the local clocks; notes on
    disagreeing sources are shown in full.
    """
    from exhibit.data.sources import cite_pairs, readable
    from exhibit.science.clocks import on_clock, when

    items = [{
        "id": r.id, "when": when(r.start, r.precision), "until": when(r.end, r.precision) if pd.notna(r.end) else "",
        "title": r.title, "title_ru": r.title_ru, "summary": r.summary, "sources": cite_pairs(r.sources),
        "clocks": ([on_clock(r.start, z) if z == "UTC" else f"{z} {on_clock(r.start, z)}" for z in zones]
                   if r.precision in ("minute", "second") else []),
        "note": "" if str(r.note or "") in ("", "<NA>") else readable(r.note),
    } for r in events.itertuples()]
    return HTML(render("events.html", items=items))


def notes_table(*frames: pd.DataFrame) -> HTML:
    """Every shown row that carries a `note` (where sources disagree), as one table."""
    rows = []
    for frame in frames:
        if "note" not in frame:
            continue
        label = next(c for c in ("title", "name", "id") if c in frame)
        for r in frame.itertuples():
            note = str(r.note or "")
            if note and note != "<NA>":
                rows.append({"row": str(getattr(r, label)), "note": note, "sources": str(r.sources)})
    if not rows:
        return HTML(render("paragraph.html", text="No disagreements are recorded for the rows shown here."))
    return HTML(table_html(pd.DataFrame(rows), caption="Notes on disagreeing or uncertain sources"))


#: values computed by a chapter for its prose (see :func:`glue_facts`)
GLUED: dict[str, object] = {}


def glue_facts(facts: dict[str, object]) -> None:
    """Hand computed numbers and places to the prose: myst-nb ``glue`` for the book (``{glue:text}`key:.0f```),
    and :func:`glued` for the plain notebooks, where the same sentences are written by code."""
    from myst_nb import glue

    for key, value in facts.items():
        GLUED[key] = value
        glue(key, value, display=False)


def glued(key: str, spec: str = "") -> str:
    """A value stored by :func:`glue_facts`, formatted as the prose asks (``spec`` as in ``format``)."""
    if key not in GLUED:
        raise KeyError(f"{key!r} has not been computed yet: run the chapter's cells from the top")
    return format(GLUED[key], spec)


def folded_sources(listed) -> HTML:
    """A source list one click away, its summary counting the works."""
    return fold(listed._repr_html_(), f"Open the list of the {len(listed.keys)} works cited")


def fold(html_text: str, summary: str) -> HTML:
    """Apparatus one click away: a closed block with its summary line (opened when a link points into it)."""
    return HTML(render("folded.html", summary=summary, body=Markup(html_text)))
