"""Fly the mission: both spacecraft of Apollo-Soyuz, minute by minute from 15 to 24 July 1975, for the replay page.

Everything is computed here, at build time, from the same reconstruction as the "Over the Elbe?" chapter; the
browser (``assets/replay.js``) only looks positions up and draws them.

    mission = Mission()
    mission.facts          # numbers for the prose
    mission.player()       # the replay: controls, map, readout, with its data embedded
    mission.moments()      # the static table of timed moments (print and no-JavaScript)

How each craft is drawn (a reconstruction, not tracking data):

* **Soyuz 19**: on its insertion orbit from orbit insertion to the circularising manoeuvre, then on the docked
  orbit of the primary hypothesis (accounts written after the flight) until the landing time. The two pieces
  come from different anchors, so the drawn craft jumps along its orbit at the manoeuvre; the size of the jump is
  reported (``facts["jump_min"]``).
* **Apollo**: on one mean chasing orbit in Soyuz's plane from lift-off until first contact, chosen so that it
  meets Soyuz at contact and passes as near as possible to its pad at lift-off; its ascent and manoeuvres are
  smoothed out. Docked: Soyuz's orbit. After the final undocking: an orbit ``APART_KM`` higher, so that the two
  markers drift apart as the ships did (the real separation manoeuvres are not modelled).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from exhibit import data
from exhibit.core.markup import safe_json
from exhibit.figures.present import HTML, table_html
from exhibit.science import geo, orbit

STEP_S = 60
CRAFT = {"soyuz": "soyuz-19", "apollo": "apollo-astp"}
LABELS = {"soyuz": "Soyuz 19", "apollo": "Apollo"}
APART_KM = 3.0
#: phases.csv words as a reader reads them
PHASE_WORDS = {"free flight": "flying alone", "rendezvous": "rendezvous, not docked", "docked": "docked"}


def sample_times(start, end, step_s: int = STEP_S) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(start).ceil(f"{step_s}s"), pd.Timestamp(end), freq=f"{step_s}s")


def chase_orbit(rec: orbit.Reconstruction, pad: tuple[float, float], launch, altitudes=None) -> orbit.Orbit:
    """Apollo's mean orbit before docking: through Soyuz's position at contact, with the altitude that brings it
    nearest to its pad at lift-off (Apollo was launched into Soyuz's plane)."""
    inp = rec.inputs
    lat, lon = (float(v[0]) for v in rec.nominal.subpoint(inp.contact))
    rising = orbit.heading_is_north(rec.nominal, inp.contact)
    best, best_km = None, np.inf
    for alt in np.arange(150.0, 226.0, 0.5) if altitudes is None else altitudes:
        cand = orbit.satellite_through(inp.contact, lat, lon, inp.best("inclination"), alt, alt, rising=rising)
        la, lo = cand.subpoint(pd.Timestamp(launch))
        km = float(orbit.haversine_km(la[0], lo[0], *pad))
        if km < best_km:
            best, best_km = cand, km
    return best


def apart_orbit(rec: orbit.Reconstruction, when) -> orbit.Orbit:
    """Apollo after the final undocking: through the docked position at `when`, slightly higher."""
    lat, lon = (float(v[0]) for v in rec.nominal.subpoint(when))
    alt = rec.inputs.best("circular_altitude") + APART_KM
    return orbit.satellite_through(when, lat, lon, rec.inputs.best("inclination"), alt, alt,
                                   rising=orbit.heading_is_north(rec.nominal, when))


def positions(pieces: list[tuple[object, pd.Timestamp, pd.Timestamp]], step_s: int = STEP_S) -> pd.DataFrame:
    """Sub-satellite points every `step_s` seconds from a list of (orbit, start, end) pieces."""
    frames = []
    for i, (orb, start, end) in enumerate(pieces):
        times = sample_times(start, end, step_s)
        times = times[times < end] if i < len(pieces) - 1 else times
        lat, lon = orb.subpoint(orbit._times(times))
        frames.append(pd.DataFrame({"time": times, "lat": lat, "lon": lon}))
    return pd.concat(frames, ignore_index=True).drop_duplicates("time")


def ascent(pad: tuple[float, float], launch, track: pd.DataFrame, step_s: int = STEP_S) -> pd.DataFrame:
    """The minutes from lift-off to the first orbital sample, drawn as a straight line from the pad."""
    times = sample_times(launch, track["time"].iloc[0], step_s)[:-1]
    f = ((times - pd.Timestamp(launch)).total_seconds() / (track["time"].iloc[0] - pd.Timestamp(launch)).total_seconds())
    lat = pad[0] + f * (track["lat"].iloc[0] - pad[0])
    lon = pad[1] + f * (track["lon"].iloc[0] - pad[1])
    return pd.concat([pd.DataFrame({"time": times, "lat": np.asarray(lat), "lon": np.asarray(lon)}), track],
                     ignore_index=True)


def end_at(track: pd.DataFrame, place: tuple[float, float]) -> pd.DataFrame:
    """The last sample moved to where the craft came down (the descent itself is not modelled)."""
    track = track.copy()
    track.loc[track.index[-1], ["lat", "lon"]] = place
    return track


def phase_of(times: pd.Series, phases: pd.DataFrame, before: str, after: str) -> list[str]:
    """The phase word of each instant from the craft's rows of ``phases.csv``."""
    times = pd.Series(times).reset_index(drop=True)
    words = pd.Series(np.where(times < phases["start"].min(), before, after), dtype=object)
    for row in phases.itertuples():
        words[(times >= row.start) & (times < row.end)] = PHASE_WORDS.get(str(row.phase), str(row.phase))
    return list(words)


def run_lengths(values: list[str]) -> tuple[list[str], list[list[int]]]:
    """(distinct values, [[first index, value index], ...]) for a long list with long runs."""
    names, runs = [], []
    for i, v in enumerate(values):
        if v not in names:
            names.append(v)
        k = names.index(v)
        if not runs or runs[-1][1] != k:
            runs.append([i, k])
    return names, runs


class Mission:
    def __init__(self, members: int = orbit.MEMBERS):
        self.events, self.places, self.phases = data.events(), data.places(), data.phases()
        self.rec = orbit.reconstruct(data.orbit_inputs(), self.events, self.places, data.elbe(), members=members)
        inp = self.rec.inputs
        ev = self.events.set_index("id")["start"]
        self.soyuz_end, self.apollo_end = ev["soyuz-19-landing"], ev["apollo-splashdown"]
        self.undock = ev["astp-final-undocking"]
        first, circular, self.burn = orbit.launch_orbits(inp, {n: inp.best(n) for n in orbit.NAMES})
        self.insertion = inp.launch + pd.Timedelta(seconds=inp.best("ascent_to_insertion"))
        pad = self.places.set_index("id").loc["ksc-lc-39b", ["lat", "lon"]].astype(float)
        self.chase = chase_orbit(self.rec, (float(pad["lat"]), float(pad["lon"])), inp.apollo_launch)
        self.apart = apart_orbit(self.rec, self.undock)
        self.jump_min = self._jump(circular)
        baikonur, landing, splash = (tuple(float(v) for v in self.places.set_index("id").loc[k, ["lat", "lon"]])
                                     for k in ("baikonur-site-1", "soyuz-19-landing", "apollo-astp-splashdown"))
        # docked, both craft are where the reconstruction's best estimate puts them (orbit.Reconstruction.best),
        # the same place "Over the Elbe?" names; before and after, Soyuz flies the nominal orbit
        soyuz = positions([(first, self.insertion, self.burn), (self.rec.nominal, self.burn, inp.contact),
                           (self.rec.best, inp.contact, self.undock), (self.rec.nominal, self.undock, self.soyuz_end)])
        self.tracks = {
            "soyuz": end_at(ascent(baikonur, inp.launch, soyuz), landing),
            "apollo": end_at(positions([(self.chase, inp.apollo_launch, inp.contact),
                                        (self.rec.best, inp.contact, self.undock),
                                        (self.apart, self.undock, self.apollo_end)]), splash),
        }
        for craft, track in self.tracks.items():
            track["place"] = geo.place_at(track["lat"].to_numpy(), track["lon"].to_numpy())
            rows = self.phases[self.phases["mission_id"] == CRAFT[craft]]
            track["phase"] = phase_of(track["time"], rows, "ascent",
                                      "landed" if craft == "soyuz" else "splashed down")
            if craft == "soyuz":
                track.loc[track["time"] < self.insertion, "phase"] = "ascent"
        self.facts = self._facts()

    def _jump(self, circular: orbit.Orbit) -> float:
        """Minutes along the orbit between the launch-anchored orbit and the docked one (the drawn jump)."""
        grid = np.arange(-45.0, 45.0, 0.1)
        la, lo = orbit.shifted_subpoints(circular, self.burn, grid)
        at = [float(v[0]) for v in self.rec.nominal.subpoint(self.burn)]
        return float(grid[int(np.argmin(orbit.haversine_km(at[0], at[1], la, lo)))])

    def _facts(self) -> dict[str, object]:
        inp = self.rec.inputs
        n = sum(len(t) for t in self.tracks.values())
        return {"step_s": STEP_S, "samples": n, "jump_min": abs(self.jump_min),
                "jump_dir": "ahead of" if self.jump_min > 0 else "behind",
                "burn_utc": f"{self.burn:%d %B, %H:%M}", "apart_km": APART_KM,
                "first_utc": f"{self.tracks['soyuz']['time'].iloc[0]:%d %B %Y, %H:%M}",
                "last_utc": f"{self.apollo_end:%d %B %Y, %H:%M}",
                "contact_utc": f"{inp.contact:%H:%M:%S}",
                "uncertainty_km": self.rec.summary(inp.hatch)["spread_p95_km"], "members": len(self.rec.docking_members)}

    def timed_events(self) -> pd.DataFrame:
        """The mission's events timed to the minute, in order."""
        ev = self.events
        chosen = ev[ev["mission_id"].isin(list(CRAFT.values())) & ev["precision"].isin(["minute", "second"])]
        return chosen.sort_values("start").reset_index(drop=True)

    def at(self, craft: str, when) -> pd.Series:
        track = self.tracks[craft]
        k = int(np.argmin(np.abs((track["time"] - pd.Timestamp(when)).dt.total_seconds().to_numpy())))
        return track.iloc[k]

    def moments(self) -> pd.DataFrame:
        """Each timed moment with both craft's positions and the place below (the static fallback)."""
        rows = []
        for e in self.timed_events().itertuples():
            row = {"moment": f"{e.start:%d %b %H:%M} UTC: {e.title}"}
            for craft in CRAFT:
                p = self.at(craft, e.start)
                row[LABELS[craft]] = ("not yet launched" if e.start < self.tracks[craft]["time"].iloc[0] else
                                      f"{p['phase']}, {orbit.position(p['lat'], p['lon'])}, {p['place']}")
            row["sources"] = e.sources
            rows.append(row)
        return pd.DataFrame(rows)

    def moments_table(self) -> HTML:
        return HTML(table_html(self.moments(), caption="The mission's timed moments, with where each craft was "
                                                       "and what lay below (reconstructed)"))

    def payload(self) -> dict[str, object]:
        """Everything the page's script needs, compactly: positions in hundredths of a degree, run-length
        phases and places, events with their captions and sources in reader form."""
        from exhibit.data.sources import reader_cites

        start = min(t["time"].iloc[0] for t in self.tracks.values())
        craft = {}
        for name, track in self.tracks.items():
            places, place_runs = run_lengths(list(track["place"]))
            phases, phase_runs = run_lengths(list(track["phase"]))
            launch = self.rec.inputs.launch if name == "soyuz" else self.rec.inputs.apollo_launch
            craft[name] = {
                "label": LABELS[name], "offset": int((track["time"].iloc[0] - start).total_seconds() // STEP_S),
                "launch": int(launch.timestamp()),
                "lat": [int(round(v * 100)) for v in track["lat"]], "lon": [int(round(v * 100)) for v in track["lon"]],
                "places": places, "placeRuns": place_runs, "phases": phases, "phaseRuns": phase_runs}
        events = [{"t": int(e.start.timestamp()), "title": e.title, "summary": e.summary,
                   "sources": reader_cites(e.sources)} for e in self.timed_events().itertuples()]
        elbe = data.elbe()
        torgau = self.places.set_index("id").loc["torgau"]
        end = max(t["time"].iloc[-1] for t in self.tracks.values())
        return {"start": int(start.timestamp()), "step": STEP_S,
                "count": int((end - start).total_seconds() // STEP_S) + 1, "craft": craft, "events": events,
                "elbe": [[float(a), float(b)] for a, b in zip(elbe["lat"], elbe["lon"], strict=True)],
                "torgau": [float(torgau["lat"]), float(torgau["lon"])]}

    def sources(self, *shown: pd.DataFrame) -> HTML:
        """The works behind the positions and the moments (and other rows the page shows), folded below the
        story."""
        from exhibit import data as d
        from exhibit.data.sources import sources
        from exhibit.figures.present import folded_sources

        return folded_sources(sources(self.timed_events(), d.orbit_inputs(), d.orbit_anchors(),
                                      self.phases[self.phases["mission_id"].isin(list(CRAFT.values()))],
                                      d.seas().head(1), *shown, extra=["naturalearth110m"]))

    def player(self, initial="1975-07-17T19:17Z") -> HTML:
        """The replay: controls, map, readout and the fallback table, with its data embedded (book only)."""
        from exhibit.core.context import static_prefix
        from exhibit.core.markup import Markup, render
        from exhibit.figures.present import TwoEditions

        book = render("replay.html", prefix=static_prefix(), data=Markup(safe_json(self.payload())),
                      initial=pd.Timestamp(initial).strftime("%Y-%m-%dT%H:%MZ"))
        # a notebook cannot run the page script: the table of moments stands in
        return TwoEditions(book, render("replay.html", prefix=None))
