"""Plotly builders: the era timeline, a mission's phase chart, and flight charts.

Builders take DataFrames from :mod:`exhibit.data` and return ``plotly.graph_objects.Figure`` objects; they
never read files. Every text that comes from data is HTML-escaped before it reaches a hover label.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from exhibit.core.markup import esc, render
from exhibit.data import split
from exhibit.science.clocks import on_clock, when

#: Okabe-Ito colours (distinguishable with the common colour-vision deficiencies)
CATEGORY_COLORS = {
    "competition": "#D55E00",
    "conflict": "#CC79A7",
    "diplomacy": "#0072B2",
    "cooperation": "#009E73",
    "culture": "#E69F00",
}
CATEGORY_LABELS = {
    "competition": "Competition",
    "conflict": "Cold War conflict",
    "diplomacy": "Diplomacy",
    "cooperation": "Cooperation",
    "culture": "Culture and reception",
}
#: the theme labels as they read inside a sentence ("Cold War" keeps its capitals)
ALT_LABELS = {k: v if v.startswith("Cold War") else v[0].lower() + v[1:] for k, v in CATEGORY_LABELS.items()}
PHASE_COLORS = {"free flight": "#56B4E9", "rendezvous": "#E69F00", "docked": "#009E73", "landing": "#CC79A7"}
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=13, color="#1a1a1a")


def _naive(ts: pd.Series) -> pd.Series:
    """plotly.js reads dates without a zone: give it UTC wall-clock values."""
    return pd.to_datetime(ts, utc=True).dt.tz_localize(None)


def wrap(text: object, width: int) -> str:
    """Text broken into lines of at most ``width`` characters, as plotly writes line breaks (escaped by its
    template)."""
    return render("lines.html", lines=textwrap.wrap(str(text), width))


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    lines = len(textwrap.wrap(title, 72))  # about 620 px at 16 px: the book's column
    fig.update_layout(
        title=dict(text=wrap(title, 72), x=0, xanchor="left"), meta=dict(title=title),
        height=height + 20 * (lines - 1), font=FONT, template="plotly_white", hoverlabel=dict(align="left"),
        margin=dict(l=10, r=10, t=30 + 20 * lines, b=10),
    )
    if fig.layout.legend.title.text:  # a title beside the entries takes the room of the last ones
        fig.update_layout(legend_title_side="top")
    return fig


#: characters per line of a hover label: about 300 px, so the label fits a phone-width chart
HOVER_WIDTH = 44


def hover(title: str, *lines) -> str:
    """A hover label (bold title, then its lines; a 1-tuple is an indented line), every line broken to
    :data:`HOVER_WIDTH` characters, escaped by its template."""
    wrapped: list = []
    for line in lines:
        if isinstance(line, tuple):
            wrapped += [(part,) for part in textwrap.wrap(str(line[0]), HOVER_WIDTH - 2)]
        else:
            wrapped += textwrap.wrap(str(line), HOVER_WIDTH)
    return render("hover.html", title=textwrap.wrap(str(title), HOVER_WIDTH - 4), lines=wrapped)


def _sources_line(sources: str) -> str:
    from exhibit.data.sources import reader_cites

    return "Sources: " + reader_cites(sources)


def _source_text(sources: str) -> str:
    from exhibit.data.sources import reader_cites

    return esc(reader_cites(sources))


STATUS_LABELS = {"happened": "", "announced": "announced, not carried out", "planned": "planned"}


def _status_text(status: str) -> str:
    return f" ({STATUS_LABELS[status]})" if STATUS_LABELS.get(status) else ""


def _short(text: object, limit: int = 160) -> str:
    text = str(text)
    return text if len(text) < limit else text[:limit - 3] + "..."


def _event_hover(r, status: str) -> str:
    """An event's hover label (title and status, date and precision, summary, sources) from the hover template."""
    from exhibit.data.sources import reader_cites

    return hover(f"{r.title}{_status_text(status)}", f"{when(r.start, r.precision)} (precision: {r.precision})",
                 _short(r.summary), f"Sources: {reader_cites(r.sources)}")


def _symbol(precision: str, status: str) -> str:
    if status != "happened":
        return "star-open"
    return "circle" if precision in ("minute", "second", "day") else "diamond-open"


def era_chart(events: pd.DataFrame, title: str = "The alliance, 1945\u20132022") -> go.Figure:
    """Every event on one time axis, one lane and one legend entry per theme.

    Hover shows the date no more precisely than sourced, the precision, the place and the source keys.
    Events with an end (a summit, a crisis, a flight) are drawn as a bar from start to end. Plans and
    announcements (``status`` other than ``happened``) are open stars with a dotted bar, labelled as such.
    """
    fig = go.Figure()
    lane_y: dict[str, float] = {}
    lanes = list(CATEGORY_COLORS)
    present = [c for c in lanes if c in set(events["category"])]
    status = events["status"] if "status" in events else pd.Series("happened", index=events.index)
    for lane, cat in enumerate(present):
        sub = events[events["category"] == cat]
        states = [str(s) for s in status[sub.index]]
        custom = [[_event_hover(r, s), esc(when(r.start, r.precision)), esc(r.precision), _source_text(r.sources),
                   esc(_short(r.summary)), esc(_status_text(s)), r.id]
                  for r, s in zip(sub.itertuples(), states, strict=True)]
        y = [lane + 0.18 * ((i % 3) - 1) for i in range(len(sub))]
        lane_y.update(zip(sub["id"], y, strict=True))
        fig.add_trace(go.Scatter(
            x=_naive(sub["start"]), y=y, mode="markers", name=CATEGORY_LABELS[cat], legendgroup=cat,
            marker=dict(size=11, color=CATEGORY_COLORS[cat], line=dict(width=1, color="#ffffff"),
                        symbol=[_symbol(p, s) for p, s in zip(sub["precision"], states, strict=True)]),
            customdata=custom,
            hovertemplate="%{customdata[0]}<extra></extra>",
        ))
        for happened in (True, False):  # one trace per line style: bars are segments separated by gaps
            xs, ys = [], []
            for r, yy, s in zip(sub.itertuples(), y, states, strict=True):
                if pd.notna(r.end) and r.end > r.start and (s == "happened") == happened:
                    xs += [r.start.tz_localize(None), r.end.tz_localize(None), None]
                    ys += [yy, yy, None]
            if xs:
                fig.add_trace(go.Scatter(
                    x=xs, y=ys, mode="lines", connectgaps=False,
                    line=dict(color=CATEGORY_COLORS[cat], width=5 if happened else 2,
                              dash="solid" if happened else "dot"),
                    legendgroup=cat, showlegend=False, hoverinfo="skip",
                ))
    fig.update_yaxes(tickvals=list(range(len(present))), ticktext=[CATEGORY_LABELS[c] for c in present],
                     range=[-0.6, len(present) - 0.4], fixedrange=True)
    first, last = events["start"].min(), pd.concat([events["start"], events["end"].dropna()]).max()
    pad = max((last - first) * 0.03, pd.Timedelta(hours=6))
    fig.update_xaxes(title_text=None, range=[(first - pad).tz_localize(None), (last + pad).tz_localize(None)])
    for r in events[events.get("label", pd.Series("", index=events.index)).fillna("") != ""].itertuples():
        fig.add_annotation(x=r.start.tz_localize(None), y=lane_y[r.id], text=esc(r.label), name=LABEL, showarrow=True,
                           arrowhead=0, arrowwidth=1, arrowcolor="#555555", ax=0, ay=-LABEL_RISE,
                           font=dict(size=10, color="#1a1a1a"), bgcolor="rgba(255,255,255,0.85)", borderpad=1)
    # the theme checkboxes above the chart are its one filter: the legend is a key
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.1, title_text="Theme", itemclick=False,
                                  itemdoubleclick=False))
    _layout(fig, title, 430)
    return place_labels(fig, 760 - 20 - 7 * max(len(CATEGORY_LABELS[c]) for c in present))


#: annotations that name key moments (``events.label``) are called this; LABEL_RISE: px from point to label
LABEL = "event-label"
LABEL_RISE = 16


def place_labels(fig: go.Figure, plot_px: float, row_names: bool = False) -> go.Figure:
    """Show the key-moment labels that fit a plot ``plot_px`` pixels wide, each above its point, so that no two
    labels of a row overlap (the earlier-listed label wins) nor, with ``row_names``, the row's name written above
    the row at its left (the phone layout). The rest are hidden: their points keep their hover labels."""
    if not any(note.name == LABEL for note in fig.layout.annotations):
        return fig
    x0, x1 = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    width = 6.2  # px per character at 10 px
    taken: dict[int, list[tuple[float, float]]] = {}
    if row_names:
        for y, name in zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True):
            taken[round(y)] = [(0, 8 + 6.8 * len(name))]
    for note in fig.layout.annotations:
        if note.name != LABEL:
            continue
        centre = (pd.Timestamp(note.x) - x0) / (x1 - x0) * plot_px
        half = 3 + width * len(note.text) / 2
        left, right = max(centre - half, 0), min(centre + half, plot_px)
        spans = taken.setdefault(round(note.y), [])
        fits = all(right < a or left > b for a, b in spans)
        note.visible = fits
        if fits:
            spans.append((left - 4, right + 4))
            note.xanchor = "left" if left == 0 else "right" if right == plot_px else "center"
    return fig


#: the story's periods (``events.era``), as the finder's era filter names them
ERA_LABELS = {"prelude": "Before 1957", "rivals": "Rivals, 1957\u20131963", "detente": "D\u00e9tente, 1964\u20131974",
              "apollo-soyuz": "Apollo\u2013Soyuz, 1975", "late-cold-war": "The late Cold War, 1976\u20131991",
              "partners": "Partners, 1992\u20132011", "strain": "Strain, 2012 to today"}


def finder_index(events: pd.DataFrame) -> list[dict[str, str]]:
    """What the welcome page's event finder searches: per event its id, date, era, title and a lower-case text
    of its title, summary, the crew of its flight and its place (English and Russian names)."""
    from exhibit.data import missions, people, places, split

    crews = {m.id: list(split(m.crew)) for m in missions().itertuples()}
    names = people().set_index("id")["name"].to_dict()
    where = places().set_index("id")[["name", "name_ru"]].astype(str).agg(" ".join, axis=1).to_dict()
    rows = []
    for r in events.sort_values("start").itertuples():
        crew = [names.get(p, "") for p in crews.get(r.mission_id, [])] if pd.notna(r.mission_id) else []
        place = where.get(r.place_id, "") if pd.notna(r.place_id) else ""
        text = " ".join(str(t) for t in (r.title, r.title_ru, r.summary, *crew, place) if t)
        rows.append({"id": r.id, "when": when(r.start, r.precision), "era": r.era, "title": str(r.title),
                     "text": text.lower()})
    return rows


def describe(events: pd.DataFrame) -> str:
    """Alt text for an era chart, computed from the events it draws (so it never promises what is not there)."""
    years = events["start"].dt.year
    parts = []
    for cat in CATEGORY_COLORS:
        sub = events[events["category"] == cat]
        if len(sub):
            span = sub["start"].dt.year
            when_ = f"{span.min()}" if span.min() == span.max() else f"{span.min()} to {span.max()}"
            parts.append(f"{len(sub)} {ALT_LABELS[cat]} ({when_})")
    status = events["status"] if "status" in events else pd.Series("happened", index=events.index)
    plans = int((status != "happened").sum())
    text = (f"Timeline of {len(events)} events from {years.min()} to {years.max()}, one row per theme: "
            + "; ".join(parts) + ".")
    if plans:
        text += f" {plans} of them are plans or announcements, drawn as open stars."
    return text


def mission_chart(phases: pd.DataFrame, missions: pd.DataFrame, events: pd.DataFrame | None = None,
                  title: str = "Apollo\u2013Soyuz, 15\u201324 July 1975 (UTC)") -> go.Figure:
    """A Gantt chart of each spacecraft's flight phases, with timed key moments as diamonds.

    Hover shows each instant in UTC, Moscow and Houston time, and the sources.
    """
    names = missions.set_index("id")["name"].astype(str)
    frame = phases.copy()
    frame["craft"] = frame["mission_id"].map(names)
    frame["Start_"] = _naive(frame["start"])
    frame["End_"] = _naive(frame["end"])
    frame["hover"] = [
        hover(f"{r.craft}: {r.phase}", r.description, f"from {on_clock(r.start, 'UTC')}",
              (f"Moscow {on_clock(r.start, 'Moscow')}",), (f"Houston {on_clock(r.start, 'Houston')}",),
              f"to {on_clock(r.end, 'UTC')}", _sources_line(r.sources))
        for r in frame.itertuples()
    ]
    fig = px.timeline(frame, x_start="Start_", x_end="End_", y="craft", color="phase",
                      color_discrete_map=PHASE_COLORS, custom_data=["hover"],
                      category_orders={"phase": list(PHASE_COLORS)})
    fig.update_traces(hovertemplate="%{customdata[0]}<extra></extra>")
    if events is not None and len(events):
        timed = events[events["precision"].isin(["minute", "second"])]
        fig.add_trace(go.Scatter(
            x=_naive(timed["start"]), y=["Key moments"] * len(timed), mode="markers",
            name="key moment", marker=dict(symbol="diamond", size=12, color="#1a1a1a"),
            customdata=[[hover(r.title, on_clock(r.start, "UTC"), (f"Moscow {on_clock(r.start, 'Moscow')}",),
                               (f"Houston {on_clock(r.start, 'Houston')}",), _sources_line(r.sources))]
                        for r in timed.itertuples()],
            hovertemplate="%{customdata[0]}<extra></extra>",
        ))
    fig.update_yaxes(title_text=None, autorange="reversed")
    fig.update_xaxes(title_text=None)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.14, title_text="Phase: "))
    return _layout(fig, title, 380)


def crew_names(missions: pd.DataFrame, people: pd.DataFrame) -> list[str]:
    """The crew of each mission as a readable list of names."""
    names = people.set_index("id")["name"].astype(str)
    return [", ".join(names[p] for p in split(crew)) for crew in missions["crew"]]


def flights_chart(missions: pd.DataFrame, people: pd.DataFrame, title: str) -> go.Figure:
    """One bar per flight from launch to landing; colour says whether it docked, hover names the crew."""
    frame = missions.copy()
    frame["crew_names"] = crew_names(frame, people)
    frame["Start_"] = _naive(frame["launch"])
    frame["End_"] = _naive(frame["end"])
    frame["Docked"] = ["docked with " + str(d) if isinstance(d, str) and d else "no docking"
                       for d in frame["docked_with"].astype(object).where(frame["docked_with"].notna(), "")]
    frame["days"] = (frame["end"] - frame["launch"]).dt.total_seconds() / 86400
    frame["hover"] = [
        hover(r.name, f"{on_clock(r.launch, 'UTC')} to {on_clock(r.end, 'UTC')}", f"{r.days:.1f} days, {r.Docked}",
              f"Crew: {r.crew_names}", _sources_line(r.sources))
        for r in frame.itertuples()
    ]
    fig = px.timeline(frame, x_start="Start_", x_end="End_", y="name", color="Docked", custom_data=["hover"],
                      color_discrete_sequence=["#009E73", "#D55E00", "#0072B2"])
    fig.update_traces(hovertemplate="%{customdata[0]}<extra></extra>", marker_line_width=0)
    fig.update_yaxes(title_text=None, autorange="reversed")
    fig.update_xaxes(title_text=None)
    return _layout(fig, title, 160 + 28 * len(frame))


def band_chart(series: pd.DataFrame, marks: dict[str, pd.Timestamp], title: str,
               y_title: str = "Distance from the Elbe (km)", y_max: float | None = None) -> go.Figure:
    """Median line with a shaded 5-95 % band against time (UTC), and labelled vertical marks."""
    x = _naive(series["time"])
    fig = go.Figure([
        go.Scatter(x=x, y=series["p95"], mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip"),
        go.Scatter(x=x, y=series["p5"], mode="lines", line=dict(width=0), fill="tonexty",
                   fillcolor="rgba(0,114,178,0.25)", name="5\u201395 % of the ensemble", hoverinfo="skip"),
        go.Scatter(x=x, y=series["median"], mode="lines", line=dict(color="#0072B2", width=2), name="median",
                   customdata=[[hover(f"{t:%d %b %H:%M} UTC", f"median {m:.0f} km", f"range {lo:.0f}\u2013{hi:.0f} km")]
                               for t, m, lo, hi in zip(x, series["median"], series["p5"], series["p95"], strict=True)],
                   hovertemplate="%{customdata[0]}<extra></extra>"),
    ])
    for label, instant in marks.items():
        t = pd.Timestamp(instant).tz_convert("UTC").tz_localize(None)
        fig.add_vline(x=t, line=dict(color="#D55E00", dash="dash", width=1.5))
        fig.add_annotation(x=t, y=1, yref="paper", text=esc(label), showarrow=False, textangle=-90,
                           xanchor="right", yanchor="top", font=dict(size=11, color="#9a3b00"))
    fig.update_yaxes(title_text=y_title, rangemode="tozero", range=[0, y_max] if y_max else None)
    fig.update_xaxes(title_text=None)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.12))
    return _layout(fig, title, 400)


def _seats(seats: object) -> str:
    return "" if pd.isna(seats) else f"{seats:g} seat(s)"


def _price_hover(r) -> str:
    """A seat price's hover label (period, price, seats; note; sources) from the hover template."""
    from exhibit.data.sources import reader_cites

    return hover(f"{r.period}: {r.price_musd:g} million dollars per seat {_seats(r.seats)}".strip(),
                 r.note if pd.notna(r.note) else "", f"Sources: {reader_cites(r.sources)}")


def seat_price_chart(prices: pd.DataFrame, title: str = "What NASA paid per Soyuz seat") -> go.Figure:
    """One bar per launch period: the price of a seat in millions of dollars of the time; hover gives the note
    and the sources."""
    frame = prices.sort_values(["launch_year", "period"]).reset_index(drop=True)
    custom = [[_price_hover(r), esc(f"{r.price_musd:g}"), esc(_seats(r.seats)),
               esc(r.note if pd.notna(r.note) else ""), _source_text(r.sources)] for r in frame.itertuples()]
    fig = go.Figure(go.Bar(
        x=frame["period"], y=frame["price_musd"], marker_color="#0072B2", customdata=custom,
        text=[f"{v:g}" for v in frame["price_musd"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{customdata[0]}<extra></extra>",
        name="price per seat"))
    fig.update_yaxes(title_text="Million US dollars per seat", rangemode="tozero")
    fig.update_xaxes(title_text="Launches in", type="category", tickangle=-30)
    fig.update_layout(showlegend=False)
    return _layout(fig, title, 420)


COALITION_LABELS = {"artemis-accords": "Artemis Accords (led by the United States)",
                    "ilrs": "International Lunar Research Station (China and Russia)"}
COALITION_COLORS = {"artemis-accords": "#0072B2", "ilrs": "#D55E00"}


def coalition_counts(coalitions: pd.DataFrame) -> pd.DataFrame:
    """Members of each coalition, cumulative by date: one row per (coalition, date) with the running count."""
    rows = []
    for name, sub in coalitions.sort_values(["date", "country"]).groupby("coalition", sort=False):
        running = 0
        for date, day in sub.groupby("date", sort=True):
            running += len(day)
            rows.append({"coalition": name, "date": date, "members": running,
                         "joined": ", ".join(day["country"].astype(str)),
                         "listed_by": bool((day["date_kind"] == "listed-by").any())})
    return pd.DataFrame(rows)


def coalition_chart(coalitions: pd.DataFrame, title: str = "Two coalitions for the Moon") -> go.Figure:
    """Cumulative members of the Artemis Accords and of the ILRS, as step lines; a hollow marker where the
    sources give only the date by which a country was listed as a member."""
    counts = coalition_counts(coalitions)
    fig = go.Figure()
    for name in COALITION_LABELS:
        sub = counts[counts["coalition"] == name]
        if sub.empty:
            continue
        fig.add_trace(go.Scatter(
            x=_naive(sub["date"]), y=sub["members"], mode="lines+markers", line_shape="hv",
            name=wrap(COALITION_LABELS[name], 40), line=dict(color=COALITION_COLORS[name], width=2.5),
            marker=dict(size=8, color=COALITION_COLORS[name],
                        symbol=["circle-open" if lb else "circle" for lb in sub["listed_by"]]),
            customdata=[[hover(f"{when(d, 'day')}: {n} members",
                               f"{'listed as members by this date' if lb else 'joined'}: {j}")]
                        for d, n, j, lb in zip(sub["date"], sub["members"], sub["joined"], sub["listed_by"],
                                               strict=True)],
            hovertemplate="%{customdata[0]}<extra></extra>"))
    fig.update_yaxes(title_text="Countries (cumulative)", rangemode="tozero")
    fig.update_xaxes(title_text=None)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.12))
    return _layout(fig, title, 420)
