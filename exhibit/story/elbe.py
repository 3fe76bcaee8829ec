"""The "Over the Elbe?" chapter: its map, chart and numbers, all computed from one reconstruction.

    story = ElbeStory()
    story.facts            # numbers and places for the prose (glued into the page)
    story.hatch_map()      # ground track around the hatch opening, with the ensemble and the Elbe
    story.distance_chart() # distance from the Elbe, docking to handshake
    story.verdict()        # the ledger verdict in its box
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from exhibit import data
from exhibit.figures import charts, maps
from exhibit.figures.present import HTML, Presented, present, table_html
from exhibit.science import orbit
from exhibit.story.ledger import verdict_box

#: the minutes of track shown around the hatch opening
BEFORE, AFTER = pd.Timedelta(minutes=9), pd.Timedelta(minutes=6)


class ElbeStory:
    def __init__(self, members: int = orbit.MEMBERS):
        self.inputs, self.events, self.places, self.elbe = (data.orbit_inputs(), data.events(), data.places(),
                                                            data.elbe())
        self.rec = orbit.reconstruct(self.inputs, self.events, self.places, self.elbe, members=members)
        self.result = orbit.verdict(self.rec)
        self.torgau = self.places[self.places["id"] == "torgau"]
        self.facts = self._facts(members)

    def _facts(self, members: int) -> dict[str, object]:
        rec, result = self.rec, self.result
        inp = rec.inputs
        pad = self.places.set_index("id").loc["ksc-lc-39b", ["lat", "lon"]].astype(float)
        miss = np.median([orbit.plane_miss_km(m, inp.apollo_launch, pad["lat"], pad["lon"])
                          for m in rec.launch_members])
        hatch, closest, metz = result["hatch"], result["closest"], result["metz"]
        moscow = self.places.set_index("id").loc["moscow", "lat"]
        crossings = self.crossings_frame()
        before = crossings[(crossings["time"] < inp.hatch) & (crossings["time"] > inp.hard_dock)]
        last = before.iloc[-1]
        contact = rec.summary(inp.contact)
        dock = rec.summary(inp.hard_dock)
        from exhibit.science.geo import place_at

        return {
            "members": members, "plane_miss_km": float(miss),
            "hatch_utc": f"{inp.hatch:%H:%M}", "handshake_utc": f"{inp.handshake:%H:%M}",
            "contact_utc": f"{inp.contact:%H:%M:%S}", "hard_dock_utc": f"{inp.hard_dock:%H:%M}",
            "contact_at": orbit.position(contact["lat"], contact["lon"]),
            "contact_over": str(place_at(contact["lat"], contact["lon"])[0]),
            "dock_at": orbit.position(dock["lat"], dock["lon"]),
            "dock_over": str(place_at(dock["lat"], dock["lon"])[0]),
            "closest_km": closest["median"], "closest_p5_km": closest["p5"],
            "side": closest["side"], "closest_at": orbit.position(closest["lat"], closest["lon"]),
            "hatch_km": hatch["median"], "hatch_at": orbit.position(hatch["lat"], hatch["lon"]),
            "hatch_over": metz["over"],
            "handshake_over": str(place_at(result["handshake"]["lat"], result["handshake"]["lon"])[0]), "metz_km": metz["km"], "uncertainty_km": metz["uncertainty_km"],
            "metz_utc": f"{metz['passed']:%H:%M}",
            "launch_anchor_at": orbit.position(result["launch_anchor_hatch"]["lat"],
                                               result["launch_anchor_hatch"]["lon"]),
            "plan_hatch_over": self._over(rec.members("plan"), inp.hatch),
            "launch_hatch_over": self._over(rec.launch_members, inp.hatch),
            "inclination": inp.best("inclination"), "moscow_lat": float(moscow),
            "elbe_pass_utc": f"{last['time']:%H:%M}", "elbe_pass_at": last["place"],
            "elbe_pass_before_min": (inp.hatch - last["time"]).total_seconds() / 60,
            "crossings_n": len(crossings),
            "verdict": result["verdict"],
        }

    @staticmethod
    def _over(members, when) -> str:
        from exhibit.science.geo import place_at

        frame = pd.DataFrame([tuple(float(v[0]) for v in m.subpoint(orbit._times([when]))) for m in members],
                             columns=["lat", "lon"])
        return str(place_at(frame["lat"].median(), frame["lon"].median())[0])

    def crossings_frame(self) -> pd.DataFrame:
        """When the docked ships crossed the Elbe on 17 and 18 July (nominal orbit, with the ensemble's spread)."""
        if not hasattr(self, "_crossings"):
            inp = self.rec.inputs
            end = pd.Timestamp("1975-07-19T00:00Z")
            frame = self.rec.elbe_crossings(inp.contact, end)
            near = [self.elbe.iloc[int(np.argmin(orbit.haversine_km(r.lat, r.lon, self.elbe["lat"].to_numpy(float),
                                                                    self.elbe["lon"].to_numpy(float))))]["name"]
                    for r in frame.itertuples()]
            self._crossings = frame.assign(place=[f"{orbit.position(r.lat, r.lon)} (near {n})"
                                                  for r, n in zip(frame.itertuples(), near, strict=True)])
        return self._crossings

    def crossings_table(self) -> HTML:
        frame = self.crossings_frame()
        inp = self.rec.inputs
        shown = pd.DataFrame({
            "Time (UTC)": frame["time"].dt.strftime("%d %B %Y, %H:%M:%S"),
            "Where": frame["place"],
            "Relative to the hatch opening": [
                f"{abs((t - inp.hatch).total_seconds()) / 60:.0f} min {'before' if t < inp.hatch else 'after'}"
                for t in frame["time"]],
            "Members crossing on this pass": [f"{m} of {o}" for m, o in zip(frame["members"], frame["of"],
                                                                           strict=True)],
            "Spread of the crossing time (min)": frame["spread_min"].round(1),
        })
        return HTML(table_html(shown, caption="When the docked ships crossed the Elbe, 17 and 18 July 1975"))

    def hypotheses_table(self) -> HTML:
        """Each way of placing the ships along the orbit, and where it puts them at the key moments."""
        from exhibit.science.geo import place_at

        rec, inp = self.rec, self.rec.inputs
        metz = orbit.reported_place(self.places)
        rows = []
        hyps = [(h.id, h.label, h.members, ";".join(sorted({k for v in h.constraints["sources"] for k in
                                                              data.split(v)})))
                for h in rec.hypotheses.values()]
        hyps.append((orbit.LAUNCH, "Launch only: flown forward from the pad through the manoeuvres",
                     rec.launch_members, ";".join(data.split(self.inputs.set_index("parameter").loc[
                         "circularisation", "sources"]))))
        for hid, label, members, keys in hyps:
            where = {}
            for name, when in [("contact", inp.contact), ("dock", inp.hard_dock), ("hatch", inp.hatch)]:
                s = rec.summary(when, members)
                where[name] = f"{place_at(s['lat'], s['lon'])[0]}, {orbit.position(s['lat'], s['lon'])}"
            near = rec.near(inp.hatch, *metz, members)
            rows.append({"Hypothesis": label + (" (used below)" if hid == orbit.PRIMARY else ""),
                         f"At {inp.contact:%H:%M:%S}": where["contact"], f"At {inp.hard_dock:%H:%M}": where["dock"],
                         f"At {inp.hatch:%H:%M}": where["hatch"],
                         "From Metz at the hatch opening": f"{near['km']:.0f} km (95 %: within "
                                                           f"{near['uncertainty_km']:.0f} km)",
                         "Agrees with Metz": "yes" if near["km"] <= near["uncertainty_km"] else "no",
                         "sources": keys})
        return HTML(table_html(pd.DataFrame(rows), caption="Four ways of placing the ships along their orbit, "
                                                           "and where each puts them (ensemble medians)"))

    def inputs_table(self) -> HTML:
        return HTML(table_html(self.inputs[["parameter", "value", "low", "high", "unit", "sources", "note"]],
                               caption="Inputs of the reconstruction and their plausible ranges"))

    def moments(self) -> pd.DataFrame:
        """Where the ensemble puts the craft at the hatch opening and at the handshake (medians)."""
        rows = []
        for label, label_ru, when, s in [
                ("Hatch opening", "Открытие люка", self.rec.inputs.hatch, self.result["hatch"]),
                ("Handshake", "Рукопожатие", self.rec.inputs.handshake, self.result["handshake"])]:
            rows.append({"label": f"{label}, {when:%H:%M} UTC", "label_ru": f"{label_ru}, {when:%H:%M} UTC",
                         "lat": s["lat"], "lon": s["lon"],
                         "detail": f"Median position of the ensemble; {s['median']:.0f} km from the Elbe "
                                   f"(5\u201395 %: {s['p5']:.0f}\u2013{s['p95']:.0f} km)."})
        return pd.DataFrame(rows)

    def hatch_map(self, shown: int = 25) -> Presented:
        """The ground track around the hatch opening, `shown` ensemble tracks, the Elbe, Torgau and the moments."""
        hatch = self.rec.inputs.hatch
        start, end = hatch - BEFORE, hatch + AFTER
        members = [m.track(start, end, 20) for m in self.rec.docking_members[:shown]]
        nominal = self.rec.nominal.track(start, end, 20)
        moments = self.moments()
        first, last = nominal.iloc[0], nominal.iloc[-1]
        f = self.facts
        caption = (f"The reconstructed ground track from {start:%H:%M} to {end:%H:%M} UTC on 17 July 1975 (thick "
                   f"line) and {len(members)} possible tracks from the ensemble (thin lines), with the Elbe "
                   f"(dashed) and Torgau. The pass ran {f['side']} of the river: at its closest, over "
                   f"{f['closest_at']}, it was {f['closest_km']:.0f} km away. Markers show where the craft most "
                   "likely were at the hatch opening and the handshake.")
        alt = (f"Map of Europe with a track running from {orbit.position(first['lat'], first['lon'])} to "
               f"{orbit.position(last['lat'], last['lon'])}, a bundle of thin tracks beside it, the Elbe as a "
               f"dashed line, Torgau, and markers for the hatch opening (over {f['hatch_at']}) and the handshake.")
        track = nominal.assign(label=nominal["time"].dt.strftime("%H:%M:%S UTC"), detail="")
        table = pd.concat([moments[["label", "lat", "lon", "detail"]],
                           track[["label", "lat", "lon", "detail"]].iloc[::3]]).round(2)
        return present(maps.track_map(nominal, members, self.elbe, moments, places=self.torgau, center=(48.5, 8),
                                      zoom=3.6),
                       caption=caption, alt=alt, table=table,
                       table_caption="Marked moments and the reconstructed track every minute")

    def distance_chart(self, y_max: float = 2500) -> Presented:
        """Distance from the Elbe against time, from just before docking to just after the handshake."""
        inp = self.rec.inputs
        series = self.rec.distance_series(inp.docking - pd.Timedelta(minutes=10),
                                          inp.handshake + pd.Timedelta(minutes=20), 30)
        near = series.loc[(series["time"] - inp.hatch).abs() <= pd.Timedelta(minutes=20)]
        low = near.loc[near["median"].idxmin()]
        caption = ("Distance from the sub-satellite point to the nearest point of the Elbe, from docking to just "
                   "after the handshake. The line is the median of the ensemble, the band its 5\u201395 % range. "
                   f"The ships come near central Europe once per revolution, every {self.rec.nominal.period_min:.0f} "
                   f"minutes (the axis stops at {y_max:,.0f} km). The ships crossed the river minutes after docking and "
                   "again one revolution before the hatch opening; on the pass of the hatch opening the distance "
                   f"never falls below about {self.result['closest']['p5']:.0f} km.")
        alt = (f"Line chart of distance in kilometres against time from {series['time'].iloc[0]:%H:%M} to "
               f"{series['time'].iloc[-1]:%H:%M} UTC, dipping once per revolution; on the pass of the hatch "
               f"opening the median bottoms out at {low['median']:.0f} km around {low['time']:%H:%M}, next to the "
               "dashed line marking the hatch opening.")
        return present(charts.band_chart(series, {"docking": inp.docking, "hatch opening": inp.hatch},
                                           "How far from the Elbe? 17 July 1975 (UTC)", y_max=y_max),
                       caption=caption, alt=alt, table=series.iloc[::10].round({"p5": 0, "median": 0, "p95": 0}),
                       table_caption="Distance from the Elbe every five minutes (km)")

    def verdict(self) -> HTML:
        return verdict_box(self.result["verdict"], self.result["explanation"])

    def sources(self, *shown: pd.DataFrame, extra=()) -> HTML:
        """The works behind the chapter's tables and the other rows it shows (plus ``extra`` keys), folded like
        every chapter's."""
        from exhibit.data.sources import sources
        from exhibit.figures.present import folded_sources

        ids = ["astp-docking", "astp-hatch-opening", "soyuz-19-launch", "apollo-launch"]
        return folded_sources(sources(self.inputs, data.orbit_anchors(), self.elbe, self.torgau,
                                      self.places[self.places["id"].isin(["metz", "bognor-regis"])],
                                      self.events[self.events["id"].isin(ids)], *shown, extra=extra))
