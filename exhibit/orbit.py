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

import numpy as np
import pandas as pd
from sgp4.api import WGS72, Satrec
from skyfield.api import EarthSatellite, load, wgs84

TS = load.timescale(builtin=True)
MU = 398600.8  # km^3/s^2, WGS72 (what SGP4 uses)
RE = 6378.135  # km, WGS72
EARTH_KM = 6371.0
SEED = 1975


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

    def shifted(self, minutes: float) -> Orbit:
        """The same orbit with the craft `minutes` further along it (positive: ahead)."""
        m = self.sat.model
        sat = Satrec()
        sat.sgp4init(WGS72, "i", 75065, m.jdsatepoch + m.jdsatepochF - 2433281.5, 0.0, 0.0, 0.0, m.ecco, m.argpo,
                     m.inclo, (m.mo + m.no_kozai * minutes) % (2 * math.pi), m.no_kozai, m.nodeo)
        return Orbit(EarthSatellite.from_satrec(sat, TS), self.perigee_km, self.apogee_km, self.inclination)


def _times(values):
    if isinstance(values, (str, pd.Timestamp)):
        values = [values]
    stamps = pd.DatetimeIndex(pd.to_datetime(values, utc=True)).round("s")
    return TS.from_datetimes(list(stamps.to_pydatetime()))


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


def launch_anchored(inp: Inputs, values: dict[str, float]) -> Orbit:
    """Soyuz 19's orbit after circularisation, built forward from the launch (see module docstring).

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
    return satellite_through(burn, float(la[0]), float(lo[0]), inc, alt, alt, rising=heading_is_north(first, burn))


def docking_anchored(plane: Orbit, when, lat: float, lon: float) -> Orbit:
    """`plane` with the craft moved along it so that at `when` it is as close as it gets to (lat, lon)."""
    period = plane.period_min
    grid = np.arange(-period / 2, period / 2, 0.25)
    t = _times([pd.Timestamp(when)])
    best = min(grid, key=lambda m: float(haversine_km(lat, lon, *[v[0] for v in plane.shifted(m).subpoint(t)])))
    fine = np.arange(best - 0.25, best + 0.25, 0.01)
    best = min(fine, key=lambda m: float(haversine_km(lat, lon, *[v[0] for v in plane.shifted(m).subpoint(t)])))
    return plane.shifted(float(best))


# -- the reconstruction -------------------------------------------------------------------------------------
NAMES = ["ascent_to_insertion", "insertion_downrange", "insertion_perigee", "insertion_apogee", "inclination",
         "circularisation", "circular_altitude"]


@dataclass
class Reconstruction:
    inputs: Inputs
    nominal: Orbit
    launch_members: list[Orbit]
    docking_members: list[Orbit]
    elbe_lat: np.ndarray
    elbe_lon: np.ndarray

    def points(self, members: list[Orbit], when) -> pd.DataFrame:
        t = _times([pd.Timestamp(when)])
        rows = [tuple(float(v[0]) for v in m.subpoint(t)) for m in members]
        frame = pd.DataFrame(rows, columns=["lat", "lon"])
        frame["elbe_km"] = distance_to_polyline(frame["lat"].values, frame["lon"].values, self.elbe_lat, self.elbe_lon)
        return frame

    def summary(self, when, members: list[Orbit] | None = None) -> dict[str, float]:
        """Median and 5-95 % range of the distance to the Elbe at `when` (docking-anchored by default)."""
        pts = self.points(self.docking_members if members is None else members, when)
        q = np.percentile(pts["elbe_km"], [5, 50, 95])
        return {"p5": float(q[0]), "median": float(q[1]), "p95": float(q[2]),
                "lat": float(pts["lat"].median()), "lon": float(pts["lon"].median()),
                "over_elbe_share": float((pts["elbe_km"] <= 50).mean())}

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


def reconstruct(inputs_table: pd.DataFrame, events: pd.DataFrame, places: pd.DataFrame, elbe: pd.DataFrame,
                members: int = 40, seed: int = SEED) -> Reconstruction:
    """Build the nominal orbit and both ensembles (deterministic for a given seed)."""
    pad = places.set_index("id").loc["baikonur-site-1", ["lat", "lon"]].astype(float)
    inp = Inputs(inputs_table, events, (float(pad["lat"]), float(pad["lon"])))
    rng = np.random.default_rng(seed)
    best = {n: inp.best(n) for n in NAMES}
    nominal_plane = launch_anchored(inp, best)
    launch_members, docking_members = [], []
    for _ in range(members):
        values = {n: inp.draw(n, rng) for n in NAMES}
        values["argp"] = float(rng.uniform(0, 2 * math.pi))
        orb = launch_anchored(inp, values)
        launch_members.append(orb)
        anchor_time = inp.docking + pd.Timedelta(minutes=inp.draw("docking_anchor_delay", rng))
        docking_members.append(docking_anchored(orb, anchor_time, inp.draw("docking_lat", rng),
                                                inp.draw("docking_lon", rng)))
    nominal = docking_anchored(nominal_plane, inp.docking + pd.Timedelta(minutes=inp.best("docking_anchor_delay")),
                               inp.best("docking_lat"), inp.best("docking_lon"))
    ordered = elbe.sort_values("order")
    elbe_lat, elbe_lon = densify(ordered["lat"].to_numpy(float), ordered["lon"].to_numpy(float))
    return Reconstruction(inp, nominal, launch_members, docking_members, elbe_lat, elbe_lon)


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


def verdict(rec: Reconstruction) -> dict[str, object]:
    """The claim-ledger verdict on "the hatches opened over the Elbe", with the numbers behind it.

    ``supported`` if the craft was within 150 km of the river at the hatch opening or the handshake in 95 % of
    the ensemble; ``corrected`` if, under both anchors, even the closest approach of that pass to the river
    stayed beyond 150 km in 95 % of the ensemble; ``disputed`` when the ensemble allows both; ``unverified``
    otherwise.
    """
    hatch, shake = rec.summary(rec.inputs.hatch), rec.summary(rec.inputs.handshake)
    wide = rec.summary(rec.inputs.hatch, rec.launch_members)
    closest = rec.closest_approach(rec.inputs.hatch)
    closest_launch = rec.closest_approach(rec.inputs.hatch, window_min=30, members=rec.launch_members)
    c5, c50, c95 = np.percentile(closest["km"], [5, 50, 95])
    l5, l50, l95 = np.percentile(closest_launch["km"], [5, 50, 95])
    when = float(closest["minutes_from_hatch"].median())
    word = verdict_word(hatch, shake, c5, l5)
    near_lat, near_lon = float(closest["lat"].median()), float(closest["lon"].median())
    side = rec.side_of_river(near_lat, near_lon)
    text = (f"At {rec.inputs.hatch:%H:%M} UTC, anchored on the reports that the docking happened over Germany, the reconstruction "
            f"puts the docked craft {hatch['median']:.0f} km from the Elbe (5\u201395 %: {hatch['p5']:.0f}"
            f"\u2013{hatch['p95']:.0f} km), over {position(hatch['lat'], hatch['lon'])}; at the "
            f"handshake ({rec.inputs.handshake:%H:%M} UTC) {shake['median']:.0f} km. Anchored on the launch "
            f"alone it puts them {wide['median']:.0f} km away, over "
            f"{position(wide['lat'], wide['lon'])}: the two anchors disagree by minutes along the orbit. Both, however, "
            f"put the craft on the same pass over Europe, and that pass never came closer to the river than "
            f"{c50:.0f} km (5\u201395 %: {c5:.0f}\u2013{c95:.0f} km; launch anchor {l50:.0f} km): at its closest it "
            f"ran {side} of the river, over {position(near_lat, near_lon)}.")
    return {"verdict": word, "hatch": hatch, "handshake": shake, "launch_anchor_hatch": wide,
            "closest": {"p5": float(c5), "median": float(c50), "p95": float(c95), "minutes_from_hatch": when,
                        "lat": near_lat, "lon": near_lon, "side": side},
            "closest_launch_anchor": {"p5": float(l5), "median": float(l50), "p95": float(l95)},
            "explanation": text}
