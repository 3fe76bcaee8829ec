"""Folium builders that draw with no network: a bundled land outline instead of map tiles.

Markers are Leaflet markers with a small CSS icon, so they can be reached with the Tab key and opened with
Enter; popups are bilingual (English and Russian) and every text from data is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from .offline import esc
from .templating import render

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
    (:func:`exhibit.present.map_html`), never over it."""
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
    fmap.fit_bounds([[south, west], [north, east]], padding=(24, 24))


def uncertainty_circle(fmap: folium.Map, lat: float, lon: float, radius_km: float, colour: str) -> None:
    if radius_km and radius_km > 1:
        folium.Circle([lat, lon], radius=radius_km * 1000, color=colour, weight=1, fill=True,
                      fill_opacity=0.12, interactive=False).add_to(fmap)


#: shapes of the marked moments of a track map, in order (each moment its own shape)
MOMENT_SHAPES = ("diamond", "ring", "square", "triangle")

#: launch and landing places are named beside their markers; meeting places too on a map of this many places or
#: fewer (on a crowded map their names come on hover or focus)
NAMED_UP_TO = 4


def label_sides(lats: Sequence[float], lons: Sequence[float], near_deg: float = 12.0) -> list[tuple[str, int]]:
    """Where each name goes: the side of its marker towards the middle of the map (so that names stay on it),
    and a vertical nudge in pixels that parts the names of markers close together (for the map's width): the
    northernmost of a group moves up, the southernmost down, any between stay level."""
    middle = (max(lons) + min(lons)) / 2
    near_lon = max(near_deg, 0.2 * (max(lons) - min(lons)))
    placed = []
    for i, (lat, lon) in enumerate(zip(lats, lons, strict=True)):
        group = [(other_lat, j) for j, (other_lat, other_lon) in enumerate(zip(lats, lons, strict=True))
                 if abs(lat - other_lat) < near_deg and abs(lon - other_lon) < near_lon]
        nudge = 0 if len(group) == 1 else -12 if max(group) == (lat, i) else 12 if min(group) == (lat, i) else 0
        placed.append(("left" if lon > middle else "right", nudge))
    return placed


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
    sides = label_sides(chosen["lat"].tolist(), chosen["lon"].tolist())
    for r, (side, nudge) in zip(chosen.itertuples(), sides, strict=True):
        happened = []
        if events is not None:
            here = events[events["place_id"] == r.id]
            happened = [f"{t}" for t in here["title"].astype(str)]
        lines = [str(r.description), *happened,
                 f"{r.lat:.3f}, {r.lon:.3f} (\u00b1{r.uncertainty_km:g} km)", f"Sources: {r.sources}"]
        add_marker(fmap, r.lat, r.lon, r.kind, f"{r.name}", popup_html(r.name, r.name_ru, lines),
                   named=r.kind != "diplomacy" or len(chosen) <= NAMED_UP_TO, short=r.label, direction=side,
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
