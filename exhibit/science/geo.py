"""What lies below a point: a country (today's borders, from the bundled Natural Earth outline) or a sea.

Countries come from ``assets/land.geojson`` (Natural Earth Admin 0, 1:110m); a point on no country is named by
the first box of ``data/seas.csv`` that holds it (small seas are listed before the oceans). Both are coarse:
at 1:110m a coast can be off by ten kilometres or so, and the sea boxes only approximate the IHO limits.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd

from exhibit import data
from exhibit.core.assets import LAND_GEOJSON


@cache
def _countries() -> list[tuple[str, tuple[float, float, float, float], list[np.ndarray]]]:
    """(name, bounding box, rings) per country; rings as arrays of (lon, lat)."""
    out = []
    for feature in json.loads(LAND_GEOJSON.read_text(encoding="utf-8"))["features"]:
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = [np.asarray(ring, dtype=float) for poly in polys for ring in poly]
        allpts = np.vstack(rings)
        box = (allpts[:, 0].min(), allpts[:, 0].max(), allpts[:, 1].min(), allpts[:, 1].max())
        out.append((feature["properties"]["name"], box, rings))
    return out


def _inside(lon: np.ndarray, lat: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Even-odd ray casting: which points are inside one ring (holes cancel by parity across rings)."""
    x0, y0 = ring[:-1, 0][None, :], ring[:-1, 1][None, :]
    x1, y1 = ring[1:, 0][None, :], ring[1:, 1][None, :]
    px, py = lon[:, None], lat[:, None]
    crosses = (y0 > py) != (y1 > py)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = x0 + (py - y0) * (x1 - x0) / (y1 - y0)
    return (crosses & (px < x_at)).sum(axis=1) % 2 == 1


def country_at(lat, lon) -> np.ndarray:
    """Country name below each point, or "" over water (arrays broadcast)."""
    lat, lon = np.atleast_1d(np.asarray(lat, float)), np.atleast_1d(np.asarray(lon, float))
    names = np.full(lat.shape, "", dtype=object)
    for name, (x0, x1, y0, y1), rings in _countries():
        near = np.flatnonzero((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1) & (names == ""))
        if not len(near):
            continue
        parity = np.zeros(len(near), dtype=int)
        for ring in rings:
            parity += _inside(lon[near], lat[near], ring)
        names[near[parity % 2 == 1]] = name
    return names


def sea_at(lat, lon, seas: pd.DataFrame | None = None) -> np.ndarray:
    """Name of the first sea box holding each point ("" if none)."""
    seas = data.seas() if seas is None else seas
    lat, lon = np.atleast_1d(np.asarray(lat, float)), np.atleast_1d(np.asarray(lon, float))
    names = np.full(lat.shape, "", dtype=object)
    for row in seas.itertuples():
        hit = ((names == "") & (lat >= row.lat_min) & (lat <= row.lat_max) & (lon >= row.lon_min)
               & (lon <= row.lon_max))
        names[hit] = row.name
    return names


def ocean_at(lat, lon, seas: pd.DataFrame | None = None) -> np.ndarray:
    """The ocean (column ``ocean`` of the sea table) of each point, "" on land."""
    seas = data.seas() if seas is None else seas
    by_name = dict(zip(seas["name"], seas["ocean"], strict=False))
    land = country_at(lat, lon)
    return np.array(["" if c else by_name.get(s, "") for c, s in zip(land, sea_at(lat, lon, seas), strict=True)],
                    dtype=object)


def place_at(lat, lon, seas: pd.DataFrame | None = None) -> np.ndarray:
    """The country below each point, else the sea."""
    land = country_at(lat, lon)
    water = sea_at(lat, lon, seas)
    return np.where(land != "", land, water)


def in_region(lat, lon, region: str, seas: pd.DataFrame | None = None) -> np.ndarray:
    """Whether each point is in `region`: a country name of the outline, or an ocean of the sea table."""
    seas = data.seas() if seas is None else seas
    if region in set(seas["ocean"]):
        return ocean_at(lat, lon, seas) == region
    return country_at(lat, lon) == region
