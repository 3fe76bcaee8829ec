"""Pictures in the story: photographs whose file, origin and licence are recorded (``pictures.csv``), and
drawings the exhibit makes from its own data when the book is built.

A photograph is served from ``_static/exhibit/pictures/`` in the book and embedded in a notebook; a drawing is
inline SVG whose numbers and alt text come from the data it draws.
"""

from __future__ import annotations

import base64
import math
import struct
import textwrap
from pathlib import Path

import pandas as pd

from exhibit import data
from exhibit.core.assets import ASSETS
from exhibit.core.context import static_prefix
from exhibit.core.markup import Markup, render
from exhibit.figures.present import HTML, TwoEditions

PICTURES = ASSETS / "pictures"


def jpeg_size(path: Path) -> tuple[int, int]:
    """(width, height) of a JPEG file, read from its frame header."""
    raw = path.read_bytes()
    i = 2
    while i < len(raw):
        marker, length = raw[i + 1], struct.unpack(">H", raw[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", raw[i + 5:i + 9])
            return width, height
        i += 2 + length
    raise ValueError(f"{path.name}: no JPEG frame header")


def _atm(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + " atm"


def two_atmospheres(p: pd.Series) -> tuple[str, str, dict]:
    """The compartments a crew member floated through from Apollo to Soyuz, each with a gauge of its cabin
    pressure (``cabins.csv``): the drawing's SVG, its alt text and the facts its caption may name."""
    cabins = data.table("cabins").set_index("id")
    scale = 110  # px for one atmosphere
    base = 250
    shown = []
    for x, cid in ((80, "apollo"), (240, "docking-module"), (400, "soyuz-astp")):
        row = cabins.loc[cid]
        low, high = row["pressure_atm"], row["pressure_high_atm"]
        shown.append(dict(x=x, name=row["compartment"], air=row["air"], lines=textwrap.wrap(row["compartment"], 18),
                          air_lines=textwrap.wrap(row["air"], 20),
                          top=base - scale * (high if pd.notna(high) else low), low_top=base - scale * low,
                          text=_atm(low) if pd.isna(high) else f"{_atm(low)} \u2194 {_atm(high)}"))
    usual = cabins.loc["soyuz-usual", "pressure_atm"]
    alt = ("Drawing of the three compartments in a row, each with a bar for its pressure: "
           + "; ".join(f"{s['name']}, {s['air']}, {s['text'].replace(chr(0x2194), 'to')}" for s in shown)
           + f"; a dashed outline shows the {_atm(usual)} a Soyuz usually flew with.")
    svg = render("atmospheres.html", cabins=shown, base=base, usual_top=base - scale * usual, usual=_atm(usual),
                 scale=scale)
    return svg, alt, {}


def crew_portraits(p: pd.Series) -> tuple[str, str, dict]:
    """The crews of the missions a picture is drawn from (``drawn_from``), as portrait cards: initials for a
    face, names in both languages, the first clause of the role, and life dates as sourced."""
    missions = data.table("missions").set_index("id")
    people = data.table("people").set_index("id")
    ids = [pid for mid in data.split(p["drawn_from"]) for pid in data.split(missions.loc[mid, "crew"])]
    if not ids:
        raise ValueError(f"pictures.csv, picture {p['id']!r}, column drawn_from: its missions have no crew")
    cols = min(3, len(ids))
    cards = []
    for i, pid in enumerate(ids):
        person = people.loc[pid]
        role = person["roles"].split(";")[0].split(",")[0].split(" (")[0]
        died = person["died"]
        if pd.isna(person["born"]):
            life = "birth year not sourced"
        else:
            life = f"{person['born'].year}\u2013{died.year}" if pd.notna(died) else f"born {person['born'].year}"
        words = person["name"].split()
        in_row = min(cols, len(ids) - 3 * (i // 3))  # a short last row is centred
        cards.append(dict(x=12 + 156 * (i % 3) + 78 * (cols - in_row), y=10 + 200 * (i // 3), name=person["name"],
                          small=len(person["name"]) > 20, name_ru=person["name_ru"],
                          role=textwrap.wrap(role, 22, max_lines=3, placeholder=" \u2026"), life=life,
                          initials=words[0][0] + words[-1][0], soviet=person["country"] in ("USSR", "Russia")))
    height = 20 + 200 * ((len(cards) + 2) // 3)
    alt = "Portrait cards of the crew: " + "; ".join(
        f"{c['name']} ({c['name_ru']}), {' '.join(c['role'])}, {c['life']}" for c in cards) + "."
    return render("portraits.html", cards=cards, height=height, width=156 * cols + 12), alt, {}


def docking_system(p: pd.Series) -> tuple[str, str, dict]:
    """The androgynous docking system in outline: two compatible rings, each with guide petals, either
    of which could be the active one (the words are the drawing's; ``pictures.csv`` cites them)."""
    svg = render("docking_system.html", left_name="Docking module", left_maker="built in the USA",
                 right_name="Soyuz", right_maker="built in the USSR",
                 top=["Either ring can reach out and capture the other:"],
                 bottom=["the guide petals mesh, then latches pull the rings together"])
    alt = ("Drawing of the androgynous docking system: the American docking module on the left and the Soyuz on "
           "the right each carry a compatible ring with guide petals facing the other; arrows show "
           "that either ring can be the active one; the petals mesh and latches pull the rings together.")
    return svg, alt, {}


#: the clocks of the clock-face drawing (names of :data:`exhibit.science.clocks.ZONES`) and what each place was
CLOCKS = (("Houston", "Mission Control"), ("Florida", "Kennedy Space Center"), ("Torgau", "on the Elbe"),
          ("Moscow", "Soviet mission control"))


def _hand(turn: float, length: float) -> tuple[float, float]:
    """The tip of a clock hand ``turn`` of the way round from twelve, relative to the dial's centre."""
    return round(length * math.sin(2 * math.pi * turn), 1), round(-length * math.cos(2 * math.pi * turn), 1)


def clock_faces(p: pd.Series) -> tuple[str, str, dict]:
    """One timed event (``drawn_from``) on four clocks, with the time zone each place kept that day (from the
    time-zone database): the hands, the local time and the offset from UTC are all computed."""
    from exhibit.science.clocks import local

    event = data.row("events", p["drawn_from"]).iloc[0]
    if event["precision"] not in ("minute", "second"):
        raise ValueError(f"pictures.csv, picture {p['id']!r}, column drawn_from: event {event['id']!r} has no "
                         "clock time (its precision is not minute or second)")
    faces = []
    for i, (place, what) in enumerate(CLOCKS):
        shown, offset = local(event["start"], place)
        faces.append(dict(cx=60 + 120 * i, place=place, what=what, time=shown.strftime("%H:%M"), zone=shown.tzname(),
                          offset=offset, day=shown.strftime("%-d %B"),
                          hour=_hand((shown.hour % 12 + shown.minute / 60) / 12, 24), minute=_hand(shown.minute / 60, 36)))
    utc = event["start"].strftime("%H:%M")
    alt = (f"Four clock faces for {utc} UTC on {event['start'].day} {event['start'].strftime('%B %Y')}: "
           + "; ".join(f"{f['place']} ({f['what']}) {f['time']} {f['zone']}, {f['offset']}" for f in faces) + ".")
    ticks = [(round(math.sin(k * math.pi / 6), 3), round(-math.cos(k * math.pi / 6), 3)) for k in range(12)]
    facts = {"utc": utc, **{f"{f['place'].lower()}": f"{f['time']} {f['zone']}" for f in faces}}
    return render("clock_faces.html", faces=faces, ticks=ticks), alt, facts


def orbit_edge_on(p: pd.Series) -> tuple[str, str, dict]:
    """The docking orbit to scale, seen edge-on: the Earth, the height of the circular orbit (``orbit_inputs``),
    its tilt to the equator, and the parallels of the places the story asks about (``drawn_from``)."""
    from exhibit.science.orbit import MU, RE

    inputs = data.table("orbit_inputs").set_index("parameter")["value"]
    altitude, inclination = float(inputs["circular_altitude"]), float(inputs["inclination"])
    period = 2 * math.pi * math.sqrt((RE + altitude) ** 3 / MU) / 60
    places = data.table("places").set_index("id")
    radius, cx, cy = 120.0, 135.0, 165.0
    ring = radius * (RE + altitude) / RE
    tilt = math.radians(inclination)
    marks = [dict(name="Farthest north of the track", lat=inclination, kind="limit")]
    for pid in data.split(p["drawn_from"]):
        lat = float(places.loc[pid, "lat"])
        marks.append(dict(name=places.loc[pid, "name"].split(",")[0], lat=lat,
                          kind="reached" if lat <= inclination else "beyond"))
    marks.sort(key=lambda q: -q["lat"])
    for k, q in enumerate(marks):  # labels stacked down the right margin, each joined to its parallel
        q["y"] = round(cy - radius * math.sin(math.radians(q["lat"])), 1)
        q["half"] = round(radius * math.cos(math.radians(q["lat"])), 1)
        q["label_y"] = 30 + 44 * k
    parallels = [q for q in marks if q["kind"] != "limit"]
    top = dict(x=round(cx + ring * math.cos(tilt), 1), y=round(cy - ring * math.sin(tilt), 1))
    facts = {"altitude_km": f"{altitude:.0f}", "inclination": f"{inclination:.1f}", "period_min": f"{period:.0f}"}
    alt = (f"Drawing of the Earth seen edge-on with the orbit to scale: a line through the centre tilted "
           f"{inclination:.1f} degrees to the equator, and a ring only {altitude:.0f} km above the surface, one "
           f"revolution every {period:.0f} minutes. The orbit reaches {inclination:.1f} degrees north at most; "
           + "; ".join(f"{q['name']} lies at {q['lat']:.1f} degrees north, "
                       + ("within reach" if q["kind"] == "reached" else "beyond reach") for q in parallels) + ".")
    svg = render("orbit_edge_on.html", cx=cx, cy=cy, radius=radius, ring=round(ring, 1), top=top,
                 bottom=dict(x=round(2 * cx - top["x"], 1), y=round(2 * cy - top["y"], 1)),
                 arc=dict(x=round(cx + 44 * math.cos(tilt), 1), y=round(cy - 44 * math.sin(tilt), 1)),
                 marks=marks, **facts)
    return svg, alt, facts


def station_lives(p: pd.Series) -> tuple[str, str, dict]:
    """How long each station (``drawn_from`` missions) has flown: launch to end, or to the latest event the
    sources confirm, with a planned end drawn dashed (an event of the station with status ``planned``)."""
    missions = data.table("missions").set_index("id")
    events = data.events()
    happened = events[events["status"] == "happened"]
    as_of = happened["start"].max()
    first, last = pd.Timestamp("1985-01-01", tz="UTC"), pd.Timestamp("2031-01-01", tz="UTC")
    span = (last - first).total_seconds()

    def x(t: pd.Timestamp) -> float:
        return round(20 + 440 * (t - first).total_seconds() / span, 1)

    rows = []
    for i, mid in enumerate(data.split(p["drawn_from"])):
        m = missions.loc[mid]
        ended = pd.notna(m["end"])
        until = m["end"] if ended else as_of
        plans = events[(events["mission_id"] == mid) & (events["status"] == "planned")]
        years = (until - m["launch"]).days / 365.25
        text = (f"{m['launch'].year}\u2013{until.year}, {years:.0f} years" if ended else
                f"since {m['launch'].year}, {years:.0f} years so far")
        plan = plans["start"].min() if len(plans) else None
        rows.append(dict(y=46 + 88 * i, name=m["name"], name_ru=m["name_ru"], x0=x(m["launch"]), x1=x(until),
                         flying=not ended, text=text, plan_x=x(plan) if plan is not None else None,
                         plan_text=f"planned end {plan.year}" if plan is not None else ""))
    decades = [dict(x=x(pd.Timestamp(f"{y}-01-01", tz="UTC")), year=y) for y in range(1990, 2031, 10)]
    height = 40 + 88 * len(rows)
    alt = ("Drawing of the stations' lives as bars on a time scale from 1985 to 2030: "
           + "; ".join(f"{r['name']}, {r['text']}" + (f", {r['plan_text']}" if r["plan_text"] else "")
                       for r in rows) + f". Bars of stations still in orbit end at {as_of.year}, the latest year of "
           "an event our sources confirm.")
    return render("station_lives.html", rows=rows, decades=decades, height=height, axis_y=height - 22), alt, {
        "as_of": str(as_of.year)}


DRAWINGS = {"atmospheres": two_atmospheres, "portraits": crew_portraits, "docking-system": docking_system,
            "clock-faces": clock_faces, "orbit-edge-on": orbit_edge_on, "station-lives": station_lives}


def caption(p: pd.Series, facts: dict) -> str:
    """The caption, with the ``{names}`` of computed facts filled in from the drawing."""
    try:
        return p["caption"].format_map(facts)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"pictures.csv, picture {p['id']!r}, column caption: {{{exc.args[0]}}} is not a fact "
                         f"the {p['drawing'] or 'photograph'} drawing computes (it computes: "
                         f"{', '.join(facts) or 'none'})") from None


def picture(picture_id: str) -> tuple[HTML, pd.DataFrame]:
    """A picture of ``pictures.csv`` with its caption, credit and licence, and its row (for the source list)."""
    row = data.row("pictures", picture_id)
    p = row.iloc[0]
    facts = {}
    if p["kind"] == "drawing":
        svg, alt, facts = DRAWINGS[p["drawing"]](p)
        body = dict(svg=Markup(svg), alt=alt)
    else:
        path = PICTURES / p["file"]
        width, height = jpeg_size(path)
        body = dict(width=width, height=height, alt=p["alt"])
        sources = {"book": static_prefix() + "pictures/" + p["file"],
                   "notebook": "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode("ascii")}
    from exhibit.data.sources import cite_pairs

    fields = dict(id=p["id"], caption=caption(p, facts), credit=p["credit"], licence=p["licence"],
                  sources=cite_pairs(p["sources"]), **body)
    if p["kind"] == "drawing":
        return HTML(render("picture.html", **fields)), row
    book, notebook = (render("picture.html", src=sources[edition], **fields) for edition in ("book", "notebook"))
    return TwoEditions(book, notebook), row
