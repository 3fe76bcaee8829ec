"""Folium builders that draw with no network: a bundled land outline instead of map tiles.

Markers are Leaflet markers with a small CSS icon, so they can be reached with the Tab key and opened with
Enter; popups are bilingual (English and Russian) and every text from data is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from exhibit.core.markup import esc, render

#: one marker colour on every map, so that colour keeps the meaning the page's timeline gives it; kinds of place
#: differ by shape
MARKER_COLOUR = "#1a1a1a"
KIND_STYLE = {
    # kind: (shape, English label, Russian label)
    "launch_site": ("triangle", "Launch site", "Стартовая площадка"),
    "landing": ("circle", "Landing", "Место посадки"),
    "splashdown": ("ring", "Splashdown", "Приводнение"),
    "reentry": ("diamond", "Re-entry", "Вход в атмосферу"),
    "diplomacy": ("square", "Diplomacy", "Дипломатия"),
    "memorial": ("star", "Memorial / 1945 link-up", "Памятное место"),
    "other": ("diamond", "Other", "Другое"),
}

class LandLayer(MacroElement):
    """The bundled Natural Earth land outline (``window.EXHIBIT_LAND``) as a non-interactive layer."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.geoJSON(window.EXHIBIT_LAND, {
            interactive: false,
            style: {className: "exhibit-land", color: "#8a8a7a", weight: 0.6, fillColor: "#f3f1e6",
                    fillOpacity: 1}
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "LandLayer"


def base_map(center: Sequence[float], zoom: float, min_zoom: float = 0, max_zoom: int = 9) -> folium.Map:
    """An empty map with the land outline, a scale bar and no tile server."""
    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None, min_zoom=min_zoom,
                      max_zoom=max_zoom, control_scale=True, prefer_canvas=False, world_copy_jump=True,
                      zoom_snap=0.25, zoom_animation=False)  # the fitted view appears at once, with no motion
    fmap.add_child(LandLayer())
    return fmap


def popup_html(title: str, title_ru: str, lines: Iterable[str] = (), lines_ru: Iterable[str] = ()) -> str:
    """Bilingual popup content; every argument is escaped here."""
    return render("popup.html", title=title, title_ru=title_ru, lines=[t for t in lines if t],
                  lines_ru=[t for t in lines_ru if t])


def add_marker(fmap: folium.Map, lat: float, lon: float, kind: str, label: str, popup: str,
               named: bool = False, shape: str | None = None, short: str | None = None,
               direction: str = "auto", nudge: int = 0) -> folium.Marker:
    """A keyboard-reachable marker (Tab to it, Enter opens the popup), its shape telling its kind; ``named``
    writes its ``short`` label (or ``label``) beside it, on the side ``direction`` says, moved ``nudge`` pixels
    down (up if negative). ``popup`` must already be escaped."""
    icon = folium.DivIcon(html=render("marker_icon.html", shape=shape or KIND_STYLE[kind][0], colour=MARKER_COLOUR),
                          icon_size=(18, 18), icon_anchor=(9, 9), class_name=f"exhibit-marker exhibit-{kind}")
    marker = folium.Marker([lat, lon], icon=icon, title=str(label), alt=str(label), keyboard=True,
                           popup=folium.Popup(popup, max_width=260, parse_html=False),
                           tooltip=folium.Tooltip(esc(short if named and short else label), permanent=named,
                                                  sticky=not named, direction=direction if named else "auto",
                                                  offset=[0, nudge] if named and nudge else None,
                                                  class_name="exhibit-label" if named else ""))
    marker.add_to(fmap)
    return marker


def add_legend(fmap: folium.Map, kinds: Iterable[str], extra: Sequence[tuple[str, str, str]] = (),
               marks: Sequence[tuple[str, str, str]] = ()) -> None:
    """The map's bilingual key: a shape for each kind of place shown, ``marks`` (shape, English, Russian) for
    single marked moments, and ``extra`` (colour, English, Russian) rows for lines. It is written under the map
    (:func:`exhibit.figures.present.map_html`), never over it."""
    rows = [dict(shape=KIND_STYLE[k][0], colour=MARKER_COLOUR, en=KIND_STYLE[k][1], ru=KIND_STYLE[k][2])
            for k in dict.fromkeys(kinds)]
    rows += [dict(shape=shape, colour=MARKER_COLOUR, en=en, ru=ru) for shape, en, ru in marks]
    rows += [dict(shape="line", colour=colour, en=en, ru=ru) for colour, en, ru in extra]
    fmap.exhibit_legend = rows


def fit_all(fmap: folium.Map, lats: Sequence[float], lons: Sequence[float], radii_km: Sequence[float] = ()) -> None:
    """Start the map at the view that holds every point (with its uncertainty circle), at any screen width."""
    radii = list(radii_km) or [0.0] * len(lats)
    pad = [r / 111.0 for r in radii]
    south = min(la - p for la, p in zip(lats, pad, strict=True))
    north = max(la + p for la, p in zip(lats, pad, strict=True))
    west = min(lo - p for lo, p in zip(lons, pad, strict=True))
    east = max(lo + p for lo, p in zip(lons, pad, strict=True))
    if north - south < 4 and east - west < 4:  # one place, or a few close together: a regional view
        mid_lat, mid_lon = (north + south) / 2, (east + west) / 2
        south, north, west, east = mid_lat - 2, mid_lat + 2, mid_lon - 2, mid_lon + 2
    fmap.fit_bounds([[south, west], [north, east]], padding=(FIT_PADDING_PX, FIT_PADDING_PX))


def uncertainty_circle(fmap: folium.Map, lat: float, lon: float, radius_km: float, colour: str) -> None:
    if radius_km and radius_km > 1:
        folium.Circle([lat, lon], radius=radius_km * 1000, color=colour, weight=1, fill=True,
                      fill_opacity=0.12, interactive=False).add_to(fmap)


#: shapes of the marked moments of a track map, in order (each moment its own shape)
MOMENT_SHAPES = ("diamond", "ring", "square", "triangle")

#: launch and landing places are named beside their markers; meeting places too on a map of this many places or
#: fewer (on a crowded map their names come on hover or focus)
NAMED_UP_TO = 4


#: how a permanent name sits beside its marker (Leaflet's tooltip sides, 11 px text): pixels per character, the
#: text's padding and height, the gap to the marker's centre and half a marker's box
LABEL_CHAR_PX, LABEL_PAD_PX, LABEL_HEIGHT_PX, LABEL_GAP_PX, MARKER_HALF_PX = 6.2, 6, 15, 6, 7
#: the widths of a map (pixels) on a 360-pixel phone and on a desk, its height, and the padding of its opening view
LABEL_WIDTHS_PX, MAP_HEIGHT_PX, FIT_PADDING_PX = (312, 672), 460, 24


def _world_px(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel position at a zoom level (256-pixel tiles)."""
    scale = 256 * 2 ** zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85.0), -85.0)) / 2))
    return (lon + 180) / 360 * scale, (1 - y / math.pi) / 2 * scale


def _label_box(x: float, y: float, name: str, side: str, nudge: int) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) a name takes on one side of a marker at (x, y)."""
    w, h, gap = LABEL_CHAR_PX * len(name) + LABEL_PAD_PX, LABEL_HEIGHT_PX, LABEL_GAP_PX
    if side == "right":
        return x + gap, y + nudge - h / 2, x + gap + w, y + nudge + h / 2
    if side == "left":
        return x - gap - w, y + nudge - h / 2, x - gap, y + nudge + h / 2
    if side == "top":
        return x - w / 2, y - gap - h, x + w / 2, y - gap
    return x - w / 2, y + gap, x + w / 2, y + gap + h


def _overlap(a: tuple[float, ...], b: tuple[float, ...], slack: float = 1.0) -> bool:
    """Whether two boxes cover each other by more than ``slack`` pixels (boxes that only touch do not)."""
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def opening_view(xs: Sequence[float]) -> tuple[float, float]:
    """The left and right edges (pixels, at the zoom of ``xs``) of a map's opening view: its places plus the
    padding of the fitted view, and at least a phone's map wide."""
    centre = (min(xs) + max(xs)) / 2
    half = max((max(xs) - min(xs)) / 2 + FIT_PADDING_PX, LABEL_WIDTHS_PX[0] / 2)
    return centre - half, centre + half


def label_zooms(lats: Sequence[float], lons: Sequence[float]) -> list[float]:
    """The zoom levels Leaflet may open the map at (quarter steps, as ``zoom_snap`` is 0.25): from the one that
    fits these places into the narrowest map (a 360-pixel phone) to the one for the widest (a desk)."""
    xs, ys = zip(*(_world_px(la, lo, 0) for la, lo in zip(lats, lons, strict=True)), strict=True)
    span_x, span_y = max(max(xs) - min(xs), 1e-6), max(max(ys) - min(ys), 1e-6)

    def fit(width: int) -> float:
        scale = min((width - 2 * FIT_PADDING_PX) / span_x, (MAP_HEIGHT_PX - 2 * FIT_PADDING_PX) / span_y)
        return max(0.0, math.floor(math.log2(scale) * 4) / 4)

    low, high = (fit(w) for w in LABEL_WIDTHS_PX)
    return [low + 0.25 * k for k in range(int(round((high - low) / 0.25)) + 1)]


def label_sides(lats: Sequence[float], lons: Sequence[float], names: Sequence[str | None],
                budget: int = 20_000) -> list[tuple[str, int]]:
    """Where each name goes (side and vertical nudge in pixels), chosen so that no name covers another name or
    another marker, or runs off the map, at the zooms the map may open at on a phone or a desk; a place without
    a name (``None``) still counts as a marker to keep clear. Among the arrangements with the fewest collisions
    (searched exhaustively, up to ``budget`` steps), names prefer the side towards the middle of the map."""
    zooms = label_zooms(lats, lons)
    points = {z: [_world_px(la, lo, z) for la, lo in zip(lats, lons, strict=True)] for z in zooms}
    middle = (max(lons) + min(lons)) / 2
    step = LABEL_HEIGHT_PX + 1
    views = {z: opening_view([x for x, _ in points[z]]) for z in zooms}
    named = [i for i, name in enumerate(names) if name]
    options, boxes, alone = {}, {}, {}
    for i in named:
        inward, outward = ("left", "right") if lons[i] > middle else ("right", "left")
        options[i] = [(inward, 0), (inward, -step), (inward, step), ("top", 0), ("bottom", 0), (outward, 0),
                      (outward, -step), (outward, step)]
        boxes[i] = [[_label_box(*points[z][i], names[i], *option) for z in zooms] for option in options[i]]
        alone[i] = []
        for per_zoom in boxes[i]:
            count = 0
            for z, box in zip(zooms, per_zoom, strict=True):
                count += box[0] < views[z][0] or box[2] > views[z][1]
                mine = points[z][i]  # a marker on top of this one (two pads of one site) is passed over
                count += sum(_overlap(box, (x - MARKER_HALF_PX, y - MARKER_HALF_PX, x + MARKER_HALF_PX,
                                            y + MARKER_HALF_PX)) for j, (x, y) in enumerate(points[z])
                             if j != i and math.dist((x, y), mine) > 2 * MARKER_HALF_PX)
            alone[i].append(count)

    def together(i: int, a: int, j: int, b: int) -> int:
        return sum(_overlap(p, q) for p, q in zip(boxes[i][a], boxes[j][b], strict=True))

    # cost: collisions first, then how far down its list of preferences each name had to go
    best: dict[str, object] = {"cost": math.inf, "picks": [0] * len(named)}
    steps = 0

    def search(k: int, picks: list[int], cost: float) -> None:
        nonlocal steps
        steps += 1
        if cost >= best["cost"] or steps > budget:
            return
        if k == len(named):
            best.update(cost=cost, picks=list(picks))
            return
        i = named[k]
        for a in sorted(range(len(options[i])), key=lambda a: alone[i][a] * 100 + a):
            added = 100 * (alone[i][a] + sum(together(i, a, named[m], picks[m]) for m in range(k))) + a
            search(k + 1, [*picks, a], cost + added)

    search(0, [], 0)
    chosen = {i: options[i][a] for i, a in zip(named, best["picks"], strict=True)}
    return [chosen.get(i, ("left" if lons[i] > middle else "right", 0)) for i in range(len(lats))]


def sites_map(places: pd.DataFrame, ids: Sequence[str] | None = None, events: pd.DataFrame | None = None,
              center: Sequence[float] | None = None, zoom: float | None = None) -> folium.Map:
    """Markers for the chosen places (all if `ids` is None), with their uncertainty circles and a legend.

    Each popup gives the place in English and Russian, what happened there (from `events` when given),
    the coordinate uncertainty and the source keys.
    """
    chosen = places if ids is None else places.set_index("id").loc[list(ids)].reset_index()
    if center is None:
        center = (float(chosen["lat"].mean()), float(chosen["lon"].mean()))
    fmap = base_map(center, zoom if zoom is not None else 2)
    named = [r.kind != "diplomacy" or len(chosen) <= NAMED_UP_TO for r in chosen.itertuples()]
    sides = label_sides(chosen["lat"].tolist(), chosen["lon"].tolist(),
                        [r.label if n else None for r, n in zip(chosen.itertuples(), named, strict=True)])
    for r, (side, nudge), is_named in zip(chosen.itertuples(), sides, named, strict=True):
        happened = []
        if events is not None:
            here = events[events["place_id"] == r.id]
            happened = [f"{t}" for t in here["title"].astype(str)]
        lines = [str(r.description), *happened,
                 f"{r.lat:.3f}, {r.lon:.3f} (\u00b1{r.uncertainty_km:g} km)", f"Sources: {r.sources}"]
        add_marker(fmap, r.lat, r.lon, r.kind, f"{r.name}", popup_html(r.name, r.name_ru, lines),
                   named=is_named, short=r.label, direction=side,
                   nudge=nudge)
        uncertainty_circle(fmap, r.lat, r.lon, r.uncertainty_km, MARKER_COLOUR)
    add_legend(fmap, chosen["kind"])
    fit_all(fmap, chosen["lat"].tolist(), chosen["lon"].tolist(), chosen["uncertainty_km"].fillna(0).tolist())
    return fmap


def add_track(fmap: folium.Map, lats: Sequence[float], lons: Sequence[float], colour: str, label: str,
              weight: float = 2.5, dash: str | None = None) -> None:
    """A ground-track polyline, split where it crosses the antimeridian."""
    segment: list[list[float]] = []
    segments = [segment]
    for i, (la, lo) in enumerate(zip(lats, lons, strict=True)):
        if i and abs(lo - lons[i - 1]) > 180:
            segment = []
            segments.append(segment)
        segment.append([float(la), float(lo)])
    for seg in segments:
        if len(seg) > 1:
            folium.PolyLine(seg, color=colour, weight=weight, dash_array=dash, tooltip=esc(label)).add_to(fmap)


def track_map(nominal: pd.DataFrame, members: Sequence[pd.DataFrame], elbe: pd.DataFrame,
              moments: pd.DataFrame, places: pd.DataFrame | None = None, center=(49, 10), zoom: float = 4) -> folium.Map:
    """A ground track (thick), an ensemble of possible tracks (thin), the Elbe, and marked moments.

    `moments` has columns label, label_ru, lat, lon, detail: one keyboard-reachable marker each.
    """
    fmap = base_map(center, zoom, min_zoom=2, max_zoom=8)
    for member in members:
        add_track(fmap, member["lat"].tolist(), member["lon"].tolist(), "#56B4E9", "a possible track", weight=1)
    add_track(fmap, nominal["lat"].tolist(), nominal["lon"].tolist(), "#0072B2", "reconstructed track", weight=3.5)
    folium.PolyLine(elbe[["lat", "lon"]].values.tolist(), color="#1f4e9c", weight=3, dash_array="6 4",
                    tooltip=esc("The Elbe (simplified)")).add_to(fmap)
    shapes = MOMENT_SHAPES[:len(moments)]
    for r, shape in zip(moments.itertuples(), shapes, strict=True):
        add_marker(fmap, r.lat, r.lon, "other", r.label, popup_html(r.label, r.label_ru, [r.detail]), named=True,
                   shape=shape)
    if places is not None:
        for r in places.itertuples():
            add_marker(fmap, r.lat, r.lon, r.kind, r.name, popup_html(r.name, r.name_ru, [r.description]),
                       named=True)
    add_legend(fmap, [] if places is None else places["kind"],
               marks=[(shape, f"The craft at: {r.label}", f"Положение: {r.label_ru}")
                      for r, shape in zip(moments.itertuples(), shapes, strict=True)],
               extra=[("#0072B2", "Reconstructed track (best inputs)", "Реконструкция трассы"),
                      ("#56B4E9", "Possible tracks (ensemble)", "Возможные трассы"),
                      ("#1f4e9c", "The Elbe", "Эльба")])
    marked = [moments] + ([places] if places is not None else []) + [elbe]
    fit_all(fmap, [la for f in marked for la in f["lat"]], [lo for f in marked for lo in f["lon"]])
    return fmap
