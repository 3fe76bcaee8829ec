"""What a story chapter shows, in four calls: its slice of the timeline, a map, its events and its sources.

    view = Chapter(eras=["rivals"])
    view.timeline(title, caption=..., alt=...)
    view.map(["baikonur-site-1", ...], caption=..., alt=...)
    view.events()
    view.sources()

The chapter remembers every row it has shown, so ``sources()`` lists exactly the works behind them.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from . import data, maps, timeline
from .present import HTML, Presented, event_list, present
from .sources import SourceList, sources


class Chapter:
    def __init__(self, eras: Sequence[str] = (), event_ids: Sequence[str] = ()):
        events = data.events()
        chosen = events["era"].isin(list(eras)) | events["id"].isin(list(event_ids))
        self.rows = events[chosen].reset_index(drop=True)
        if self.rows.empty:
            raise ValueError(f"no events for eras={list(eras)} ids={list(event_ids)}")
        self.shown: list[pd.DataFrame] = [self.rows]

    def timeline(self, title: str, caption: str, alt: str = "") -> Presented:
        """The chapter's events on the era chart; the alt text is computed from them (``alt`` adds to it)."""
        table = self.rows[["start_text", "precision", "title", "category", "status", "sources"]].rename(
            columns={"start_text": "date (UTC)"})
        alt = " ".join(a for a in (timeline.describe(self.rows), alt) if a)
        return present(timeline.era_chart(self.rows, title=title), caption=caption, alt=alt, table=table,
                       table_caption=f"Events shown ({len(self.rows)})", filters=True)

    def map(self, place_ids: Sequence[str], caption: str, alt: str = "", center=None, zoom=None) -> Presented:
        """A map of the given places; the alt text names them from the data (``alt`` adds to it)."""
        places = data.places()
        missing = [p for p in place_ids if p not in set(places["id"])]
        if missing:
            raise KeyError(f"place ids not in data/places.csv: {', '.join(missing)}")
        rows = places.set_index("id").loc[list(place_ids)].reset_index()
        self.shown.append(rows)
        fmap = maps.sites_map(places, ids=place_ids, events=data.events(), center=center, zoom=zoom)
        named = "; ".join(f"{r.name} ({r.country})" for r in rows.itertuples())
        alt = " ".join(a for a in (f"Map with {len(rows)} marked places: {named}.", alt) if a)
        return present(fmap, caption=caption, alt=alt, table_caption="Places on this map",
                       table=rows[["name", "name_ru", "lat", "lon", "uncertainty_km", "kind", "sources"]])

    def show(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Record another table this chapter shows (so its sources are listed); returns it unchanged."""
        self.shown.append(frame)
        return frame

    def events(self):
        return event_list(self.rows)

    def as_of(self) -> HTML:
        """"As of <date>": the latest event of the chapter that the sources confirm happened."""
        from .clocks import when
        from .templating import render

        latest = self.rows[self.rows["status"] == "happened"].sort_values("start").iloc[-1]
        return HTML(render("paragraph.html", cls="exhibit-asof", lead=f"As of {when(latest['start'], latest['precision'])}:",
                           text=(f'the latest event in this chapter that the sources confirm is "{latest["title"]}". '
                                 "Later plans and announcements are shown as such, never as things that happened.")))

    def sources(self, extra: Sequence[str] = ()) -> SourceList:
        return sources(*self.shown, extra=extra)
