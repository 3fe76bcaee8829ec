"""Where were Apollo and Soyuz? A reconstruction of the docked ground track, with its uncertainty.

No element sets (TLEs) of July 1975 for Soyuz 19 or Apollo are available to us, so the orbit is rebuilt
from what the sources give (``data/orbit_inputs.csv``): the launch time and pad, the insertion orbit, the
inclination, the circularising manoeuvre of 16 July and the circular orbit it produced. Every input has a
plausible range; sampling the ranges gives an ensemble of tracks instead of one confident line.

Two anchors are compared:

* **launch anchor**: Soyuz 19 is placed on its ascent track ``insertion_downrange`` km from the Baikonur
  pad at orbit insertion, propagated on the insertion orbit until the circularisation burn, then on the
  circular orbit. Two days of uncertain manoeuvre timing and orbit size make its along-track position at the
  hatch opening uncertain by thousands of kilometres; its orbital *plane* is well fixed.
* **docking anchor**: the same plane, but the position along it is taken from reports that the docking
  (16:09 UTC on 17 July) happened over Germany. Only three hours, two revolutions, separate docking and
  hatch opening, so the along-track error stays small.

Propagation uses SGP4 (``sgp4``) with mean elements built by :func:`satellite_through`, which solves for the
right ascension of the node and the mean anomaly so that the sub-satellite point passes through a given place
at a given time on a rising or falling pass. Positions are converted to the ground with skyfield's built-in
time scale (``load.timescale(builtin=True)``): nothing is downloaded. Nodal regression from the Earth's
oblateness (about five degrees a day here) is part of SGP4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sgp4.api import WGS72, Satrec
from skyfield.api import EarthSatellite, load, wgs84

TS = load.timescale(builtin=True)
MU = 398600.8  # km^3/s^2, WGS72 (what SGP4 uses)
RE = 6378.135  # km, WGS72
EARTH_KM = 6371.0
SEED = 1975
#: members of the ensemble behind every page that places the docked ships (Over the Elbe?, Fly the mission)
MEMBERS = 40


# -- small geometry helpers ---------------------------------------------------------------------------------
def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (arrays broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def densify(lats, lons, step_km: float = 5.0):
    """Points every `step_km` along a polyline (for distances to a river)."""
    out_lat, out_lon = [], []
    for a, b in zip(range(len(lats) - 1), range(1, len(lats)), strict=True):
        n = max(2, int(haversine_km(lats[a], lons[a], lats[b], lons[b]) / step_km) + 1)
        out_lat += list(np.linspace(lats[a], lats[b], n))
        out_lon += list(np.linspace(lons[a], lons[b], n))
    return np.array(out_lat), np.array(out_lon)


def distance_to_polyline(lat, lon, line_lat, line_lon):
    """Distance (km) from each point to the nearest point of a densified polyline."""
    lat, lon = np.atleast_1d(lat), np.atleast_1d(lon)
    d = haversine_km(lat[:, None], lon[:, None], line_lat[None, :], line_lon[None, :])
    return d.min(axis=1)


# -- elements and propagation -------------------------------------------------------------------------------
def _ts(when):
    stamp = pd.Timestamp(when)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return TS.from_datetime(stamp.to_pydatetime(warn=False))


def _satrec(epoch, perigee_km, apogee_km, inc_deg, raan, mean_anomaly, argp=0.0) -> Satrec:
    a = RE + (perigee_km + apogee_km) / 2
    ecc = (apogee_km - perigee_km) / (2 * a)
    n_rad_min = math.sqrt(MU / a**3) * 60
    sat = Satrec()
    sat.sgp4init(WGS72, "i", 75065, epoch.ut1 - 2433281.5, 0.0, 0.0, 0.0, ecc,
                 argp, math.radians(inc_deg), mean_anomaly, n_rad_min, raan)
    return sat


@dataclass
class Orbit:
    """One reconstructed orbit: an SGP4 satellite and the element choices behind it."""

    sat: EarthSatellite
    perigee_km: float
    apogee_km: float
    inclination: float

    @property
    def period_min(self) -> float:
        return 2 * math.pi / self.sat.model.no_kozai

    def subpoint(self, when) -> tuple[np.ndarray, np.ndarray]:
        """Sub-satellite latitude and longitude (degrees) at one time or an array of times."""
        t = when if hasattr(when, "tt") else _times(when)
        geo = wgs84.subpoint_of(self.sat.at(t))
        return geo.latitude.degrees, geo.longitude.degrees

    def track(self, start, end, step_s: int = 30) -> pd.DataFrame:
        times = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq=f"{step_s}s")
        lat, lon = self.subpoint(_times(times))
        return pd.DataFrame({"time": times, "lat": lat, "lon": lon})

    def __reduce__(self):
        """Pickled by its elements (an SGP4 satellite cannot be pickled), so reconstructions can be cached."""
        m = self.sat.model
        elements = (m.jdsatepoch + m.jdsatepochF - 2433281.5, m.ecco, m.argpo, m.inclo, m.mo, m.no_kozai, m.nodeo)
        return _rebuilt_orbit, (elements, self.perigee_km, self.apogee_km, self.inclination)

    def shifted(self, minutes: float) -> Orbit:
        """The same orbit with the craft `minutes` further along it (positive: ahead)."""
        m = self.sat.model
        sat = Satrec()
        sat.sgp4init(WGS72, "i", 75065, m.jdsatepoch + m.jdsatepochF - 2433281.5, 0.0, 0.0, 0.0, m.ecco, m.argpo,
                     m.inclo, (m.mo + m.no_kozai * minutes) % (2 * math.pi), m.no_kozai, m.nodeo)
        return Orbit(EarthSatellite.from_satrec(sat, TS), self.perigee_km, self.apogee_km, self.inclination)


@dataclass
class EnsembleMedian:
    """The median sub-satellite point of an ensemble at each instant (longitudes taken around the nominal orbit's,
    so an ensemble straddling 180 degrees has a proper median); used like an :class:`Orbit` for positions."""

    members: list[Orbit]
    nominal: Orbit

    def subpoint(self, when) -> tuple[np.ndarray, np.ndarray]:
        t = when if hasattr(when, "tt") else _times(when)
        _, centre = self.nominal.subpoint(t)
        lats, lons = zip(*(m.subpoint(t) for m in self.members), strict=True)
        lat = np.median(np.vstack(lats), axis=0)
        offsets = (np.vstack(lons) - centre + 180.0) % 360.0 - 180.0
        lon = (centre + np.median(offsets, axis=0) + 180.0) % 360.0 - 180.0
        return lat, lon


def _rebuilt_orbit(elements: tuple, perigee_km: float, apogee_km: float, inclination: float) -> Orbit:
    epoch, ecco, argpo, inclo, mo, no_kozai, nodeo = elements
    sat = Satrec()
    sat.sgp4init(WGS72, "i", 75065, epoch, 0.0, 0.0, 0.0, ecco, argpo, inclo, mo, no_kozai, nodeo)
    return Orbit(EarthSatellite.from_satrec(sat, TS), perigee_km, apogee_km, inclination)


#: skyfield Time objects by their instants: a Time caches its Earth-orientation angles (nutation is most of the
#: cost of a position), and every member of an ensemble is evaluated at the same instants
_TIME_CACHE: dict[bytes, object] = {}


def _times(values):
    if isinstance(values, (str, pd.Timestamp)):
        values = [values]
    stamps = pd.DatetimeIndex(pd.to_datetime(values, utc=True)).round("s")
    key = stamps.asi8.tobytes()
    if key not in _TIME_CACHE:
        if len(_TIME_CACHE) >= 256:
            _TIME_CACHE.pop(next(iter(_TIME_CACHE)))
        _TIME_CACHE[key] = TS.from_datetimes(list(stamps.to_pydatetime()))
    return _TIME_CACHE[key]


def satellite_through(when, lat: float, lon: float, inc_deg: float, perigee_km: float, apogee_km: float,
                      rising: bool = True, argp: float = 0.0) -> Orbit:
    """An orbit whose sub-satellite point is at (lat, lon) at time `when`, going north if `rising`.

    Starts from the spherical-Earth solution and corrects node and mean anomaly with a few Newton steps
    (finite differences) so that SGP4 + WGS84 put the craft exactly there.
    """
    epoch = _ts(when)
    inc = math.radians(inc_deg)
    s = max(-1.0, min(1.0, math.sin(math.radians(lat)) / math.sin(inc)))
    u = math.asin(s) if rising else math.pi - math.asin(s)
    gmst = math.radians(epoch.gmst * 15)
    raan = math.radians(lon) + gmst - math.atan2(math.cos(inc) * math.sin(u), math.cos(u))
    x = np.array([(u - argp) % (2 * math.pi), raan % (2 * math.pi)])

    def place(v):
        orb = Orbit(EarthSatellite.from_satrec(_satrec(epoch, perigee_km, apogee_km, inc_deg, v[1], v[0], argp), TS),
                    perigee_km, apogee_km, inc_deg)
        la, lo = orb.subpoint(epoch)
        return orb, np.array([float(la), float(lo)])

    target = np.array([lat, lon])
    for _ in range(6):
        orb, got = place(x)
        err = target - got
        err[1] = (err[1] + 180) % 360 - 180
        if abs(err[0]) < 1e-5 and abs(err[1]) < 1e-5:
            break
        jac = np.zeros((2, 2))
        for k in range(2):
            dx = np.zeros(2)
            dx[k] = 1e-4
            diff = place(x + dx)[1] - got
            diff[1] = (diff[1] + 180) % 360 - 180
            jac[:, k] = diff / 1e-4
        x = x + np.linalg.solve(jac, err)
    return orb


def heading_is_north(orb: Orbit, when) -> bool:
    t = pd.Timestamp(when)
    la0, _ = orb.subpoint(_times([t]))
    la1, _ = orb.subpoint(_times([t + pd.Timedelta(seconds=10)]))
    return bool(la1[0] > la0[0])


# -- inputs -------------------------------------------------------------------------------------------------
class Inputs:
    """Best values and ranges of the reconstruction's inputs (from ``orbit_inputs.csv`` and events)."""

    def __init__(self, table: pd.DataFrame, events: pd.DataFrame, pad: tuple[float, float]):
        self.table = table.set_index("parameter")
        ev = events.set_index("id")["start"]
        self.launch = ev["soyuz-19-launch"]
        self.apollo_launch = ev["apollo-launch"]
        self.docking = ev["astp-docking"]
        self.contact = self.docking + pd.Timedelta(seconds=self.best("contact_seconds"))
        self.hard_dock = self.docking + pd.Timedelta(minutes=self.best("hard_dock_delay"))
        self.hatch = ev["astp-hatch-opening"]
        self.pad = pad

    def best(self, name: str) -> float:
        return float(self.table.loc[name, "value"])

    def draw(self, name: str, rng: np.random.Generator) -> float:
        row = self.table.loc[name]
        return float(rng.uniform(row["low"], row["high"])) if row["high"] > row["low"] else float(row["value"])

    @property
    def handshake(self) -> pd.Timestamp:
        return self.hatch + pd.Timedelta(minutes=self.best("handshake_delay"))


def launch_orbits(inp: Inputs, values: dict[str, float]) -> tuple[Orbit, Orbit, pd.Timestamp]:
    """Soyuz 19's insertion orbit, its orbit after circularisation, and the time of that burn, built forward from
    the launch.

    The orbital plane contains the pad at lift-off, going north-east (a launch into 51.8 degrees from 45.9
    degrees north). During the ascent the rocket covers `insertion_downrange` km of ground in
    `ascent_to_insertion` seconds, while a craft already in orbit would have covered more: the real craft is
    that much behind a virtual one that was in orbit over the pad at lift-off.
    """
    lat0, lon0 = inp.pad
    inc = values["inclination"]
    virtual = satellite_through(inp.launch, lat0, lon0, inc, values["insertion_perigee"],
                                values["insertion_apogee"], rising=True, argp=values.get("argp", 0.0))
    n_rad_min = virtual.sat.model.no_kozai
    lag_min = values["ascent_to_insertion"] / 60 - (values["insertion_downrange"] / EARTH_KM) / n_rad_min
    first = virtual.shifted(-lag_min)
    burn = inp.launch + pd.Timedelta(hours=values["circularisation"])
    la, lo = first.subpoint(_times([burn]))
    alt = values["circular_altitude"]
    return first, satellite_through(burn, float(la[0]), float(lo[0]), inc, alt, alt,
                                    rising=heading_is_north(first, burn)), burn


def launch_anchored(inp: Inputs, values: dict[str, float]) -> Orbit:
    """Soyuz 19's orbit after circularisation, built forward from the launch (see :func:`launch_orbits`)."""
    return launch_orbits(inp, values)[1]


EARTH_DEG_PER_MIN = 360.9856 / 1440  # the Earth's rotation against the stars


def shifted_subpoints(plane: Orbit, when, shifts_min: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where ``plane.shifted(m)`` puts the craft at `when`, for many shifts `m` at once.

    A craft `m` minutes further along the orbit is now where the unshifted craft will be in `m` minutes, seen
    on an Earth that has not yet turned those `m` minutes: same latitude, longitude larger by the Earth's
    rotation. (Nodal regression over a few minutes is negligible.)
    """
    when = pd.Timestamp(when)
    times = pd.DatetimeIndex([when]).repeat(len(shifts_min)) + pd.to_timedelta(np.asarray(shifts_min), unit="min")
    lat, lon = plane.subpoint(_times(times))
    return lat, (lon + EARTH_DEG_PER_MIN * shifts_min + 180) % 360 - 180


def admissible_shifts(plane: Orbit, constraints: pd.DataFrame, step_min: float = 0.1,
                      seas: pd.DataFrame | None = None) -> np.ndarray:
    """Shifts along `plane` (minutes, within half a revolution) that put the craft in every constraint's
    region at its instant (``constraints``: rows of ``orbit_anchors.csv``)."""
    from exhibit.science import geo

    period = plane.period_min
    grid = np.arange(-period / 2, period / 2, step_min)
    ok = np.ones(len(grid), dtype=bool)
    for row in constraints.itertuples():
        lat, lon = shifted_subpoints(plane, row.at, grid)
        ok &= geo.in_region(lat, lon, str(row.region), seas)
    return grid[ok]


def docking_anchored(plane: Orbit, when, lat: float, lon: float) -> Orbit:
    """`plane` with the craft moved along it so that at `when` it is as close as it gets to (lat, lon)."""
    grid = np.arange(-plane.period_min / 2, plane.period_min / 2, 0.01)
    la, lo = shifted_subpoints(plane, when, grid)
    return plane.shifted(float(grid[int(np.argmin(haversine_km(lat, lon, la, lo)))]))


# -- the reconstruction -------------------------------------------------------------------------------------
NAMES = ["ascent_to_insertion", "insertion_downrange", "insertion_perigee", "insertion_apogee", "inclination",
         "circularisation", "circular_altitude"]
#: the hypothesis the chapters and the replay use: the accounts written after the flight
PRIMARY = "postflight"
LAUNCH = "launch"


@dataclass
class Hypothesis:
    """One way of placing the ships along their orbit: the accounts it rests on and the members they admit."""

    id: str
    label: str
    constraints: pd.DataFrame
    members: list[Orbit]
    admitted: int  # how many of the launch-anchored planes admit the constraints at all
    tried: int


@dataclass
class Reconstruction:
    inputs: Inputs
    nominal: Orbit
    launch_members: list[Orbit]
    hypotheses: dict[str, Hypothesis]
    elbe_lat: np.ndarray
    elbe_lon: np.ndarray
    #: the hash of what it was reconstructed from (set by :func:`reconstruct`); results derived from it are cached
    #: under it (:func:`_derived`)
    key: str = ""

    @property
    def best(self) -> EnsembleMedian:
        """The reconstruction's best estimate of where the docked ships were: the median position of the primary
        ensemble at each instant. Every page that names a place of the docked flight (the hatch opening above
        all) takes it from here, so the replay and "Over the Elbe?" agree to the digit."""
        return EnsembleMedian(self.docking_members, self.nominal)

    @property
    def docking_members(self) -> list[Orbit]:
        """The members of the primary hypothesis (anchored on the accounts written after the flight)."""
        return self.hypotheses[PRIMARY].members

    def members(self, hypothesis: str) -> list[Orbit]:
        return self.launch_members if hypothesis == LAUNCH else self.hypotheses[hypothesis].members

    def points(self, members: list[Orbit], when) -> pd.DataFrame:
        t = _times([pd.Timestamp(when)])
        rows = [tuple(float(v[0]) for v in m.subpoint(t)) for m in members]
        frame = pd.DataFrame(rows, columns=["lat", "lon"])
        frame["elbe_km"] = distance_to_polyline(frame["lat"].values, frame["lon"].values, self.elbe_lat, self.elbe_lon)
        return frame

    def summary(self, when, members: list[Orbit] | None = None) -> dict[str, float]:
        """Median and 5-95 % range of the distance to the Elbe at `when` (primary hypothesis by default)."""
        pts = self.points(self.docking_members if members is None else members, when)
        q = np.percentile(pts["elbe_km"], [5, 50, 95])
        lat, lon = (float(v[0]) for v in self.best.subpoint(pd.Timestamp(when))) if members is None else (
            float(pts["lat"].median()), float(pts["lon"].median()))
        spread = haversine_km(lat, lon, pts["lat"].to_numpy(), pts["lon"].to_numpy())
        return {"p5": float(q[0]), "median": float(q[1]), "p95": float(q[2]), "lat": lat, "lon": lon,
                "spread_p95_km": float(np.percentile(spread, 95)),
                "over_elbe_share": float((pts["elbe_km"] <= 50).mean())}

    def near(self, when, lat: float, lon: float, members: list[Orbit] | None = None) -> dict[str, float]:
        """Distance (km) of the ensemble's median position at `when` from a place, and the ensemble's own
        95 % radius around that median (its stated uncertainty)."""
        s = self.summary(when, members)
        return {"km": float(haversine_km(s["lat"], s["lon"], lat, lon)), "uncertainty_km": s["spread_p95_km"],
                "lat": s["lat"], "lon": s["lon"]}

    def share_in(self, when, region: str, members: list[Orbit] | None = None) -> float:
        """Share of the ensemble whose craft is over `region` (country or ocean) at `when`."""
        from exhibit.science import geo

        pts = self.points(self.docking_members if members is None else members, when)
        return float(geo.in_region(pts["lat"].to_numpy(), pts["lon"].to_numpy(), region).mean())

    def closest_approach(self, around, window_min: float = 15.0, members: list[Orbit] | None = None) -> pd.DataFrame:
        """Per member: the least distance (km) between the Elbe and the pass around `around`, and when.

        Along-track timing errors move the craft along its track but hardly move the track itself (the
        Earth turns only 0.25 degrees a minute), so this is the robust test of "over the Elbe".
        """
        around = pd.Timestamp(around)
        times = pd.date_range(around - pd.Timedelta(minutes=window_min), around + pd.Timedelta(minutes=window_min),
                              freq="10s")
        t = _times(times)
        rows = []
        for m in self.docking_members if members is None else members:
            la, lo = m.subpoint(t)
            d = distance_to_polyline(la, lo, self.elbe_lat, self.elbe_lon)
            k = int(np.argmin(d))
            rows.append({"km": float(d[k]), "minutes_from_hatch": (times[k] - around).total_seconds() / 60,
                         "lat": float(la[k]), "lon": float(lo[k])})
        return pd.DataFrame(rows)

    def side_of_river(self, lat: float, lon: float) -> str:
        """"north" or "south": where a point lies relative to the nearest point of the Elbe."""
        k = int(np.argmin(haversine_km(lat, lon, self.elbe_lat, self.elbe_lon)))
        return "south" if lat < self.elbe_lat[k] else "north"

    def distance_series(self, start, end, step_s: int = 30, members: list[Orbit] | None = None) -> pd.DataFrame:
        """Distance to the Elbe against time: median and 5-95 % band over the ensemble."""
        times = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq=f"{step_s}s")
        t = _times(times)
        dist = []
        for m in self.docking_members if members is None else members:
            la, lo = m.subpoint(t)
            dist.append(distance_to_polyline(la, lo, self.elbe_lat, self.elbe_lon))
        d = np.array(dist)
        return pd.DataFrame({"time": times, "p5": np.percentile(d, 5, axis=0),
                             "median": np.median(d, axis=0), "p95": np.percentile(d, 95, axis=0)})

    def elbe_crossings(self, start, end, step_s: int = 20) -> pd.DataFrame:
        """When the nominal track crossed the Elbe between `start` and `end`, where, and how many members of
        the primary ensemble cross on the same pass (within 20 minutes)."""
        return _derived(self, "elbe-crossings", (start, end, step_s),
                        lambda: self._elbe_crossings(start, end, step_s))

    def _elbe_crossings(self, start, end, step_s: int) -> pd.DataFrame:
        nominal = crossings(self.nominal, start, end, self.elbe_lat, self.elbe_lon, step_s)
        others = [crossings(m, start, end, self.elbe_lat, self.elbe_lon, step_s) for m in self.docking_members]
        rows = []
        for row in nominal.itertuples():
            times = [o["time"][(o["time"] - row.time).abs() <= pd.Timedelta(minutes=20)] for o in others]
            hits = [t.iloc[0] for t in times if len(t)]
            spread = (max(hits) - min(hits)).total_seconds() / 60 if hits else float("nan")
            rows.append({"time": row.time, "lat": row.lat, "lon": row.lon, "members": len(hits),
                         "of": len(others), "spread_min": spread})
        return pd.DataFrame(rows, columns=["time", "lat", "lon", "members", "of", "spread_min"])


def crossings(orb: Orbit, start, end, line_lat: np.ndarray, line_lon: np.ndarray, step_s: int = 10) -> pd.DataFrame:
    """Instants when the ground track of `orb` crosses a polyline (flat lat/lon geometry, fine for a river)."""
    track = orb.track(start, end, step_s)
    ax, ay = track["lon"].to_numpy()[:-1, None], track["lat"].to_numpy()[:-1, None]
    bx, by = track["lon"].to_numpy()[1:, None], track["lat"].to_numpy()[1:, None]
    cx, cy = line_lon[None, :-1], line_lat[None, :-1]
    dx, dy = line_lon[None, 1:], line_lat[None, 1:]
    den = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx)
    with np.errstate(divide="ignore", invalid="ignore"):
        u = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / den
        v = ((cx - ax) * (by - ay) - (cy - ay) * (bx - ax)) / den
    hit = (den != 0) & (u >= 0) & (u < 1) & (v >= 0) & (v <= 1) & (np.abs(bx - ax) < 90)
    rows = []
    for i in np.unique(np.nonzero(hit)[0]):
        j = int(np.nonzero(hit[i])[0][0])
        f = float(u[i, j])
        rows.append({"time": track["time"].iloc[i] + pd.Timedelta(seconds=round(f * step_s)),
                     "lat": float(ay[i, 0] + f * (by[i, 0] - ay[i, 0])),
                     "lon": float(ax[i, 0] + f * (bx[i, 0] - ax[i, 0]))})
    return pd.DataFrame(rows, columns=["time", "lat", "lon"])


def hypothesis(id_: str, label: str, constraints: pd.DataFrame, planes: list[Orbit], rng: np.random.Generator,
               nominal_plane: Orbit) -> tuple[Hypothesis, Orbit | None]:
    """The members a hypothesis admits (one random admissible shift per plane) and its nominal orbit."""
    members = []
    for plane in planes:
        ok = admissible_shifts(plane, constraints)
        if len(ok):
            members.append(plane.shifted(float(rng.choice(ok)) + float(rng.uniform(-0.05, 0.05))))
    ok = admissible_shifts(nominal_plane, constraints)
    nominal = nominal_plane.shifted(float(np.median(ok))) if len(ok) else None
    return Hypothesis(id_, label, constraints, members, len(members), len(planes)), nominal


def reconstruct(inputs_table: pd.DataFrame, events: pd.DataFrame, places: pd.DataFrame, elbe: pd.DataFrame,
                members: int = 40, seed: int = SEED, anchors: pd.DataFrame | None = None) -> Reconstruction:
    """Build the launch-anchored ensemble and, for each hypothesis of ``orbit_anchors.csv``, the members that
    satisfy its accounts (deterministic for a given seed). The nominal orbit is the primary hypothesis's.

    Computed once per distinct inputs (tables, ensemble size, seed, this module's and the geography's code) and
    kept in the result cache (:mod:`exhibit.core.cache`): the book's build and a reader's notebook share it."""
    from exhibit import data
    from exhibit.core.cache import cached, key
    from exhibit.science import geo

    anchors = data.orbit_anchors() if anchors is None else anchors
    inputs = (inputs_table, events, places, elbe, anchors, members, seed)
    code, packages = (Path(__file__), Path(geo.__file__)), ("sgp4", "skyfield", "numpy")
    rec = cached("orbit-reconstruction", inputs,
                 lambda: _reconstruct(inputs_table, events, places, elbe, members, seed, anchors),
                 code=code, packages=packages)
    rec.key = key("orbit-reconstruction", inputs, code, packages)
    return rec


def _derived(rec: Reconstruction, name: str, args: tuple, compute):
    """A result computed from a reconstruction, cached under the reconstruction's key and the arguments."""
    from exhibit.core.cache import cached

    return cached(name, (rec.key, args), compute) if rec.key else compute()


def _reconstruct(inputs_table, events, places, elbe, members, seed, anchors) -> Reconstruction:
    pad = places.set_index("id").loc["baikonur-site-1", ["lat", "lon"]].astype(float)
    inp = Inputs(inputs_table, events, (float(pad["lat"]), float(pad["lon"])))
    rng = np.random.default_rng(seed)
    best = {n: inp.best(n) for n in NAMES}
    nominal_plane = launch_anchored(inp, best)
    launch_members = []
    for _ in range(members):
        values = {n: inp.draw(n, rng) for n in NAMES}
        values["argp"] = float(rng.uniform(0, 2 * math.pi))
        launch_members.append(launch_anchored(inp, values))
    hypotheses, nominal = {}, None
    for hid, rows in anchors.groupby("hypothesis", sort=False):
        hyp, nom = hypothesis(str(hid), str(rows["label"].iloc[0]), rows, launch_members, rng, nominal_plane)
        hypotheses[str(hid)] = hyp
        if hid == PRIMARY:
            nominal = nom
    if nominal is None:
        raise ValueError(f"no position along the orbit satisfies the accounts of hypothesis {PRIMARY!r}")
    ordered = elbe.sort_values("order")
    elbe_lat, elbe_lon = densify(ordered["lat"].to_numpy(float), ordered["lon"].to_numpy(float))
    return Reconstruction(inp, nominal, launch_members, hypotheses, elbe_lat, elbe_lon)


def plane_miss_km(orb: Orbit, when, lat: float, lon: float) -> float:
    """Cross-track distance (km) of a ground point from the orbit plane at time `when`."""
    t = _times([pd.Timestamp(when)])
    pos = orb.sat.at(t)
    r = pos.position.km[:, 0]
    v = pos.velocity.km_per_s[:, 0]
    normal = np.cross(r, v)
    normal /= np.linalg.norm(normal)
    site = wgs84.latlon(lat, lon).at(t).position.km[:, 0]
    return float(abs(math.asin(float(np.dot(site / np.linalg.norm(site), normal)))) * EARTH_KM)


def position(lat: float, lon: float) -> str:
    """A place as readers write it: ``49.1°N 6.2°E``, ``40.0°N 17.0°W`` (never a negative east longitude)."""
    return (f"{abs(lat):.1f}\u00b0{'N' if lat >= 0 else 'S'} "
            f"{abs(lon):.1f}\u00b0{'E' if lon >= 0 else 'W'}")


def verdict_word(hatch: dict, shake: dict, closest_p5: float, launch_closest_p5: float, km: float = 150) -> str:
    """The ledger word for ensemble summaries at the hatch opening and the handshake (see :func:`verdict`)."""
    if hatch["p95"] <= km or shake["p95"] <= km:
        return "supported"
    if min(closest_p5, launch_closest_p5) > km:
        return "corrected"
    if min(hatch["p5"], shake["p5"]) <= km:
        return "disputed"
    return "unverified"


def reported_place(places: pd.DataFrame | None = None, place_id: str = "metz") -> tuple[float, float]:
    from exhibit import data

    row = (data.places() if places is None else places).set_index("id").loc[place_id]
    return float(row["lat"]), float(row["lon"])


def passing_time(orb: Orbit, around, lat: float, lon: float, window_min: float = 15.0) -> tuple[pd.Timestamp, float]:
    """When, within `window_min` of `around`, the track of `orb` came closest to a place, and how close (km)."""
    around = pd.Timestamp(around)
    track = orb.track(around - pd.Timedelta(minutes=window_min), around + pd.Timedelta(minutes=window_min), 2)
    d = haversine_km(lat, lon, track["lat"].to_numpy(), track["lon"].to_numpy())
    k = int(np.argmin(d))
    return track["time"].iloc[k], float(d[k])


def verdict(rec: Reconstruction, places: pd.DataFrame | None = None) -> dict[str, object]:
    """The claim-ledger verdict on "the hatches opened over the Elbe", with the numbers behind it.

    ``supported`` if the craft was within 150 km of the river at the hatch opening or the handshake in 95 % of
    the ensemble; ``corrected`` if, under both the primary anchor and the launch anchor, even the closest
    approach of that pass to the river stayed beyond 150 km in 95 % of the ensemble; ``disputed`` when the
    ensemble allows both; ``unverified`` otherwise.
    """
    from exhibit.science import geo

    inp = rec.inputs
    hatch, shake = rec.summary(inp.hatch), rec.summary(inp.handshake)
    wide = rec.summary(inp.hatch, rec.launch_members)
    closest = rec.closest_approach(inp.hatch)
    closest_launch = rec.closest_approach(inp.hatch, window_min=30, members=rec.launch_members)
    c5, c50, c95 = np.percentile(closest["km"], [5, 50, 95])
    l5, l50, l95 = np.percentile(closest_launch["km"], [5, 50, 95])
    when = float(closest["minutes_from_hatch"].median())
    word = verdict_word(hatch, shake, c5, l5)
    near_lat, near_lon = float(closest["lat"].median()), float(closest["lon"].median())
    side = rec.side_of_river(near_lat, near_lon)
    metz = reported_place(places)
    at_metz = rec.near(inp.hatch, *metz)
    over = str(geo.place_at(hatch["lat"], hatch["lon"])[0])
    passes = [passing_time(m, inp.hatch, *metz)[0] for m in rec.docking_members]
    metz_time = pd.Series(passes).median()
    metz_spread = (max(passes) - min(passes)).total_seconds() / 60
    day = rec.elbe_crossings(inp.docking, inp.hatch)
    before = day[day["time"] < inp.hatch]
    last = before.iloc[-1] if len(before) else None
    text = (f"Anchored on the accounts written after the flight (first contact over the North Atlantic at "
            f"{inp.contact:%H:%M:%S}, docked over Germany at {inp.hard_dock:%H:%M} UTC), the reconstruction puts the "
            f"docked craft at the hatch opening ({inp.hatch:%H:%M} UTC) over {over}, at "
            f"{position(hatch['lat'], hatch['lon'])}, {at_metz['km']:.0f} km from Metz, where the handshake is "
            f"reported (95 % of the ensemble within {at_metz['uncertainty_km']:.0f} km of that point); the track "
            f"passed over Metz at about {metz_time:%H:%M} UTC. That pass ran {side} of the Elbe, never closer than "
            f"{c50:.0f} km (5\u201395 %: {c5:.0f}\u2013{c95:.0f} km; launch anchor {l50:.0f} km), at its closest over "
            f"{position(near_lat, near_lon)}. At the hatch opening the ships were {hatch['median']:.0f} km from the "
            f"river (5\u201395 %: {hatch['p5']:.0f}\u2013{hatch['p95']:.0f} km); at the handshake "
            f"({inp.handshake:%H:%M} UTC) {shake['median']:.0f} km.")
    if last is not None:
        text += (f" The docked ships did cross the Elbe that day, at {last['time']:%H:%M} UTC near "
                 f"{position(last['lat'], last['lon'])}, one revolution before the hatch opening.")
    return {"verdict": word, "hatch": hatch, "handshake": shake, "launch_anchor_hatch": wide,
            "closest": {"p5": float(c5), "median": float(c50), "p95": float(c95), "minutes_from_hatch": when,
                        "lat": near_lat, "lon": near_lon, "side": side},
            "closest_launch_anchor": {"p5": float(l5), "median": float(l50), "p95": float(l95)},
            "metz": {**at_metz, "over": over, "passed": metz_time, "spread_min": metz_spread},
            "explanation": text}
