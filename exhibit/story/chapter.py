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

from exhibit import data
from exhibit.data.sources import SourceList, sources
from exhibit.figures import charts, maps
from exhibit.figures.present import HTML, Presented, event_list, fold, folded_sources, notes_table, present, table_html
from exhibit.science.clocks import clock_table, when


class Chapter:
    @classmethod
    def whole_story(cls) -> Chapter:
        """Every event of the exhibit (the welcome page)."""
        return cls(eras=list(data.events()["era"].unique()))

    def __init__(self, eras: Sequence[str] = (), event_ids: Sequence[str] = ()):
        events = data.events()
        chosen = events["era"].isin(list(eras)) | events["id"].isin(list(event_ids))
        self.rows = events[chosen].reset_index(drop=True)
        if self.rows.empty:
            raise ValueError(f"no events for eras={list(eras)} ids={list(event_ids)}")
        self.shown: list[pd.DataFrame] = [self.rows]

    def timeline(self, title: str, caption: str, alt: str = "", finder: bool = False) -> Presented:
        """The chapter's events on the era chart; the alt text is computed from them (``alt`` adds to it).

        With ``finder``, a text search and an era filter sit above the chart; their results link to the events
        listed by :meth:`events` on the same page.
        """
        table = self.rows[["start_text", "precision", "title", "category", "status", "sources"]].rename(
            columns={"start_text": "date (UTC)"})
        alt = " ".join(a for a in (charts.describe(self.rows), alt) if a)
        return present(charts.era_chart(self.rows, title=title), caption=caption, alt=alt, table=table,
                       table_caption=f"Events shown ({len(self.rows)})", filters=True,
                       finder=self.rows if finder else None, anchor="event-finder" if finder else None)

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

    def overview_title(self, lead: str) -> str:
        """A chart title that counts the events shown: happened ones with their years, and plans apart."""
        done = self.rows[self.rows["status"] == "happened"]
        first, last = done["start"].min().year, done["start"].max().year
        return (f"{lead}: {len(done)} events, {first}\u2013{last}, and {len(self.rows) - len(done)} plans or "
                "announcements")

    def flights(self, program: str, title: str, caption: str) -> Presented:
        """The flights of one programme as bars with crews; caption and alt text open with the computed counts."""
        missions, people = data.missions(), data.people()
        flights = self.show(missions[missions["program"] == program])
        docked = flights["docked_with"].fillna("").ne("")
        days = (flights["end"] - flights["launch"]).dt.total_seconds() / 86400
        years = flights["launch"].dt.year
        names = missions.set_index("id")["name"].str.replace(" space station", "", regex=False)
        stations = " and ".join(sorted(names[sorted(set(flights.loc[docked, "docked_with"]))])) or "a station"
        table = flights.assign(days=days.round(1), crew_names=charts.crew_names(flights, people))[
            ["name", "launch", "end", "days", "docked_with", "crew_names", "sources"]]
        return present(charts.flights_chart(flights, people, title),
                       caption=f"{len(flights)} flights, {int(docked.sum())} of them docked with {stations}. {caption}",
                       alt=(f"Bar chart of {len(flights)} flights between {years.min()} and {years.max()}, each "
                            f"{days.min():.0f} to {days.max():.0f} days long, coloured by whether it docked "
                            f"({int(docked.sum())} did)."),
                       table=table, table_caption="Flights with crews")

    def program(self, program: str) -> pd.DataFrame:
        """The missions of one programme (``missions.program``), recorded as shown."""
        missions = data.missions()
        return self.show(missions[missions["program"] == program])

    def crew_rows(self, program: str) -> pd.DataFrame:
        """The people who flew a programme's missions, in flight order, recorded as shown."""
        ids = [p for crew in self.program(program)["crew"] for p in data.split(crew)]
        return self.show(data.people().set_index("id").loc[ids].reset_index())

    def crew(self, program: str) -> HTML:
        """The crews of a programme's missions, in flight order, with names in both languages."""
        crew = self.crew_rows(program)
        return HTML(table_html(crew[["name", "name_ru", "country", "roles", "born", "died"]], caption="The crews"))

    def crew_cards(self, program: str) -> HTML:
        """The crews of a programme as cards: names in both languages, role, country, life dates as sourced, and
        age at the first launch (computed)."""
        from exhibit.core.markup import render
        from exhibit.data.sources import cite_pairs

        first = self.program(program)["launch"].min()
        cards = []
        for r in self.crew_rows(program).itertuples():
            age = first.year - r.born.year - ((first.month, first.day) < (r.born.month, r.born.day))
            life = f"Born {when(r.born, 'day')}"
            life += f"; died {when(r.died, 'day')}." if pd.notna(r.died) else "; no date of death in our sources."
            cards.append({"name": r.name, "name_ru": r.name_ru, "role": f"{r.country}. {r.roles}",
                          "life": f"{life} Aged {age} at the launch of {when(first, 'day')}.",
                          "sources": cite_pairs(r.sources)})
        return HTML(render("people_cards.html", people=cards, label="The crews"))

    def crew_counts(self, program: str) -> dict[str, int]:
        """How many crew members a programme's missions carried, and how many of them our sources record as dead."""
        people = self.crew_rows(program)
        return {"crew_total": len(people), "crew_died": int(people["died"].notna().sum())}

    def mission(self, program: str, caption: str) -> Presented:
        """Each spacecraft's phases as bars with the chapter's timed moments; alt text computed from the phases."""
        missions = self.program(program)
        phases = self.show(data.phases()[data.phases()["mission_id"].isin(missions["id"])])
        flight = self.rows[self.rows["mission_id"].isin(missions["id"])]
        names = missions.set_index("id")["name"]
        ends = phases.groupby("mission_id")["end"].max()
        docked = phases[phases["phase"] == "docked"]
        alt = (f"Timeline from {when(phases['start'].min(), 'day')} to {when(phases['end'].max(), 'day')} with a bar "
               f"for each of {' and '.join(names)}. "
               + (f"Both bars turn green for the docked period, {when(docked['start'].min(), 'day')} to "
                  f"{when(docked['end'].max(), 'day')}. " if len(docked) else "")
               + " ".join(f"The {names[m]} bar ends on {when(t, 'day')}." for m, t in ends.sort_values().items()))
        table = flight[["start", "title", "sources"]].assign(**clock_table(flight)[["Moscow", "Houston"]])
        return present(charts.mission_chart(phases, missions, flight), caption=caption, alt=alt, table=table,
                       table_caption="Timed moments of the flight, UTC with Moscow and Houston clocks")

    def clocks(self, event_id: str, zones=("UTC", "Moscow", "Houston", "Florida")) -> HTML:
        """One event's instant on several clocks."""
        row = self.rows[self.rows["id"] == event_id]
        if row.empty:
            raise KeyError(f"no event {event_id!r} in this chapter")
        return HTML(table_html(clock_table(row, zones=zones), caption=f"{row['title'].iloc[0]}, on {len(zones)} clocks"))

    def notes(self, folded: bool = True) -> HTML:
        """Every row this chapter has shown that carries a note where sources disagree, folded by default."""
        table = notes_table(*self.shown)
        return fold(table.html, "Open the notes on disagreeing or uncertain sources") if folded else table

    def seat_prices(self, title: str) -> Presented:
        """What NASA paid per Soyuz seat, with the rise computed into caption and alt text."""
        prices = self.show(data.table("seat_prices").sort_values(["launch_year", "period"]))
        low, high = prices.iloc[0], prices.iloc[-1]
        caption = (f"Price per seat as reported for launches from {low['period']} ({low['price_musd']:g} million "
                   f"dollars) to {high['period']} ({high['price_musd']:g} million), "
                   f"{high['price_musd'] / low['price_musd']:.1f} times as much. Dollars of the time, not adjusted "
                   "for inflation; figures from different contracts are averaged differently, so read the trend "
                   "rather than single bars (hover for the source of each).")
        alt = (f"Bar chart of {len(prices)} seat prices from {int(prices['launch_year'].min())} to "
               f"{int(prices['launch_year'].max())}, rising from {low['price_musd']:g} to {high['price_musd']:g} "
               "million US dollars per seat.")
        return present(charts.seat_price_chart(prices, title), caption=caption, alt=alt,
                       table=prices[["period", "price_musd", "seats", "contract_year", "note", "sources"]],
                       table_caption="Soyuz seat prices paid by NASA (million US dollars)")

    def coalitions(self, title: str) -> Presented:
        """The Artemis Accords and the ILRS growing, with members and dates computed into caption and alt text."""
        coalitions = self.show(data.table("coalitions"))
        counts = charts.coalition_counts(coalitions)
        final = counts.groupby("coalition").tail(1).set_index("coalition")
        first = counts.groupby("coalition").head(1).set_index("coalition")
        listed = int((coalitions["date_kind"] == "listed-by").sum())
        caption = (f"Countries in each coalition over time: {int(final.loc['artemis-accords', 'members'])} Artemis "
                   f"Accords signatories by {final.loc['artemis-accords', 'date']:%B %Y} against "
                   f"{int(final.loc['ilrs', 'members'])} countries in the ILRS, China and Russia included, by "
                   f"{final.loc['ilrs', 'date']:%B %Y}. For {listed} countries the sources give no signing date, "
                   "only a date by which a list names them (hollow points): they joined on or before it.")
        alt = (f"Step chart of cumulative members: the Artemis Accords grow from "
               f"{int(first.loc['artemis-accords', 'members'])} in {first.loc['artemis-accords', 'date']:%B %Y} to "
               f"{int(final.loc['artemis-accords', 'members'])}; the ILRS from {int(first.loc['ilrs', 'members'])} "
               f"in {first.loc['ilrs', 'date']:%B %Y} to {int(final.loc['ilrs', 'members'])}.")
        return present(charts.coalition_chart(coalitions, title), caption=caption, alt=alt,
                       table=coalitions[["coalition", "country", "date_text", "date_kind", "sources", "note"]].rename(
                           columns={"date_text": "date"}),
                       table_caption="Members of the two lunar coalitions")

    def show(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Record another table this chapter shows (so its sources are listed); returns it unchanged."""
        self.shown.append(frame)
        return frame

    def events(self, folded: bool = True, summary: str | None = None) -> HTML:
        """Every event of the chapter with its sources, each linkable (``#event-<id>``), folded by default."""
        listed = event_list(self.rows)
        summary = summary or f"Open the list of all {len(self.rows)} moments, each with its sources"
        return fold(listed.html, summary) if folded else listed

    def picture(self, picture_id: str) -> HTML:
        """A photograph or drawing of ``pictures.csv`` with caption, credit and licence; its sources join the
        chapter's list."""
        from exhibit.figures.pictures import picture

        shown, row = picture(picture_id)
        self.shown.append(row)
        return shown

    def voice(self, voice_id: str) -> HTML:
        """A quotation of one of the story's people (:func:`voice`); its source joins the chapter's list."""
        shown, row = voice(voice_id)
        self.shown.append(row)
        return shown

    def as_of(self) -> HTML:
        """"As of <month>": the exhibit's one as-of date (:func:`as_of`), the same on every page that states it."""
        from exhibit.core.markup import render

        month, latest = as_of()
        self.shown.append(latest)
        return HTML(render("paragraph.html", cls="exhibit-asof", lead=f"As of {month}:",
                           text=(f'the latest event in the exhibit that the sources confirm is "{latest["title"].iloc[0]}". '
                                 "Later plans and announcements are shown as such, never as things that happened.")))

    def sources(self, extra: Sequence[str] = (), folded: bool = True) -> HTML | SourceList:
        """The works behind every row this chapter has shown (plus ``extra`` keys), folded by default."""
        listed = sources(*self.shown, extra=extra)
        return folded_sources(listed) if folded else listed


def as_of() -> tuple[str, pd.DataFrame]:
    """The exhibit's as-of date: the month of the newest event, of every table's events, that the sources confirm
    happened (its start), and that event's row. Stated once here, shown everywhere through this function."""
    events = data.events()
    happened = events[events["status"] == "happened"]
    latest = happened.loc[[happened["start"].idxmax()]]
    return when(latest["start"].iloc[0], "month"), latest


def common_facts() -> dict[str, object]:
    """Facts several pages state, computed once from the data, for ``glue_facts`` (see the README's rule: one
    value per fact): the as-of month, and the days of Frank Rubio's flight (Soyuz MS-22 up, MS-23 down)."""
    missions, events = data.missions().set_index("id"), data.events().set_index("id")
    flown = events.loc["rubio-record-landing-2023", "start"] - missions.loc["soyuz-ms-22", "launch"]
    return {"as_of": as_of()[0], "rubio_days": round(flown.total_seconds() / 86400)}


def voice(voice_id: str) -> tuple[HTML, pd.DataFrame]:
    """A quotation of one of the story's people (``voices.csv``), attributed, dated and cited, and its row."""
    from exhibit.core.markup import render
    from exhibit.data.sources import cite_pairs, readable

    row = data.row("voices", voice_id)
    v = row.iloc[0]
    precision = "day" if len(v["date_text"]) == 10 else "month"
    return HTML(render("voice.html", id=v["id"], quote=v["quote"], speaker=v["speaker"], role=v["role"] or "",
                       occasion=v["occasion"], when=when(v["date"], precision), sources=cite_pairs(v["sources"]),
                       note=readable(v["note"] or "").rstrip("."))), row
