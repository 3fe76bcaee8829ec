"""The "Over the Elbe?" chapter: its map, chart and numbers, all computed from one reconstruction.

    story = ElbeStory(members=40)
    story.facts            # numbers and places for the prose (glued into the page)
    story.hatch_map()      # ground track around the hatch opening, with the ensemble and the Elbe
    story.distance_chart() # distance from the Elbe, docking to handshake
    story.verdict()        # the ledger verdict in its box
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import data, maps, orbit, timeline
from .ledger import verdict_box
from .present import HTML, Presented, present, table_html

#: the minutes of track shown around the hatch opening
BEFORE, AFTER = pd.Timedelta(minutes=9), pd.Timedelta(minutes=6)


class ElbeStory:
    def __init__(self, members: int = 40):
        self.inputs, self.events, self.places, self.elbe = (data.orbit_inputs(), data.events(), data.places(),
                                                            data.elbe())
        self.rec = orbit.reconstruct(self.inputs, self.events, self.places, self.elbe, members=members)
        self.result = orbit.verdict(self.rec)
        self.torgau = self.places[self.places["id"] == "torgau"]
        self.facts = self._facts(members)

    def _facts(self, members: int) -> dict[str, object]:
        rec, result = self.rec, self.result
        pad = self.places.set_index("id").loc["ksc-lc-39b", ["lat", "lon"]].astype(float)
        miss = np.median([orbit.plane_miss_km(m, rec.inputs.apollo_launch, pad["lat"], pad["lon"])
                          for m in rec.launch_members])
        hatch, closest = result["hatch"], result["closest"]
        return {
            "members": members, "plane_miss_km": float(miss),
            "hatch_utc": f"{rec.inputs.hatch:%H:%M}", "handshake_utc": f"{rec.inputs.handshake:%H:%M}",
            "closest_km": closest["median"], "closest_p5_km": closest["p5"],
            "side": closest["side"], "closest_at": orbit.position(closest["lat"], closest["lon"]),
            "hatch_km": hatch["median"], "hatch_at": orbit.position(hatch["lat"], hatch["lon"]),
            "launch_anchor_at": orbit.position(result["launch_anchor_hatch"]["lat"],
                                               result["launch_anchor_hatch"]["lon"]),
            "verdict": result["verdict"],
        }

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
                   f"minutes (the axis stops at {y_max:,.0f} km). The docking pass is close to the river by "
                   "construction (it is anchored over Germany); on the pass of the hatch opening the distance never "
                   f"falls below about {self.result['closest']['p5']:.0f} km.")
        alt = (f"Line chart of distance in kilometres against time from {series['time'].iloc[0]:%H:%M} to "
               f"{series['time'].iloc[-1]:%H:%M} UTC, dipping once per revolution; on the pass of the hatch "
               f"opening the median bottoms out at {low['median']:.0f} km around {low['time']:%H:%M}, next to the "
               "dashed line marking the hatch opening.")
        return present(timeline.band_chart(series, {"docking": inp.docking, "hatch opening": inp.hatch},
                                           "How far from the Elbe? 17 July 1975 (UTC)", y_max=y_max),
                       caption=caption, alt=alt, table=series.iloc[::10].round({"p5": 0, "median": 0, "p95": 0}),
                       table_caption="Distance from the Elbe every five minutes (km)")

    def verdict(self) -> HTML:
        return verdict_box(self.result["verdict"], self.result["explanation"])

    def sources(self, extra=()) -> HTML:
        """The works behind the chapter's tables (plus ``extra`` keys), folded like every chapter's."""
        from .chapter import folded_sources
        from .sources import sources

        ids = ["astp-docking", "astp-hatch-opening", "soyuz-19-launch", "apollo-launch"]
        return folded_sources(sources(self.inputs, self.elbe, self.torgau, self.events[self.events["id"].isin(ids)],
                                      extra=extra))
