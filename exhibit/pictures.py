"""Pictures in the story: photographs whose file, origin and licence are recorded (``pictures.csv``), and
drawings the exhibit makes from its own data when the book is built.

A photograph is served from ``_static/exhibit/pictures/`` in the book and embedded in a notebook; a drawing is
inline SVG whose numbers and alt text come from the data it draws.
"""

from __future__ import annotations

import base64
import struct
import textwrap
from pathlib import Path

import pandas as pd

from . import data, offline
from .present import HTML
from .templating import Markup, render

PICTURES = offline.ASSETS / "pictures"


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


def two_atmospheres() -> tuple[str, str]:
    """The compartments a crew member floated through from Apollo to Soyuz, each with a gauge of its cabin
    pressure (``cabins.csv``): the drawing's SVG and its alt text."""
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
    return svg, alt


def crew_portraits(program: str = "astp") -> tuple[str, str]:
    """The crews of a programme as portrait cards (``missions.csv`` and ``people.csv``): initials for a face,
    names in both languages, the first clause of the role, and life dates as sourced."""
    missions = data.table("missions")
    people = data.table("people").set_index("id")
    ids = [p for crew in missions.loc[missions["program"] == program, "crew"] for p in data.split(crew)]
    cards = []
    for i, pid in enumerate(ids):
        person = people.loc[pid]
        role = person["roles"].split(";")[0].split(",")[0]
        died = person["died"]
        life = f"{person['born'].year}\u2013{died.year}" if pd.notna(died) else f"born {person['born'].year}"
        words = person["name"].split()
        initials = words[0][0] + words[-1][0]
        cards.append(dict(x=12 + 156 * (i % 3) + (78 if i >= 3 else 0), y=10 + 190 * (i // 3), name=person["name"], small=len(person["name"]) > 20,
                          name_ru=person["name_ru"], role=textwrap.wrap(role, 22), life=life, initials=initials,
                          soviet=person["country"] == "USSR"))
    height = 20 + 190 * ((len(cards) + 2) // 3)
    alt = "Portrait cards of the crew: " + "; ".join(
        f"{c['name']} ({c['name_ru']}), {' '.join(c['role'])}, {c['life']}" for c in cards) + "."
    return render("portraits.html", cards=cards, height=height), alt


def docking_system() -> tuple[str, str]:
    """The androgynous docking system in outline: two rings of one outer design, each with guide petals, either
    of which could be the active one (the words are the drawing's; ``pictures.csv`` cites them)."""
    svg = render("docking_system.html", left_name="Docking module", left_maker="built in the USA",
                 right_name="Soyuz", right_maker="built in the USSR",
                 top=["Either ring can reach out and capture the other:"],
                 bottom=["the guide petals mesh, then latches pull the rings together"])
    alt = ("Drawing of the androgynous docking system: the American docking module on the left and the Soyuz on "
           "the right each carry a ring of the same outer design with guide petals facing the other; arrows show "
           "that either ring can be the active one; the petals mesh and latches pull the rings together.")
    return svg, alt


DRAWINGS = {"two-atmospheres": two_atmospheres, "astp-crew": crew_portraits, "docking-system": docking_system}


def picture(picture_id: str) -> tuple[HTML, pd.DataFrame]:
    """A picture of ``pictures.csv`` with its caption, credit and licence, and its row (for the source list)."""
    row = data.row("pictures", picture_id)
    p = row.iloc[0]
    if p["kind"] == "drawing":
        svg, alt = DRAWINGS[picture_id]()
        body = dict(svg=Markup(svg), alt=alt)
    else:
        path = PICTURES / p["file"]
        width, height = jpeg_size(path)
        src = (offline.static_prefix() + "pictures/" + p["file"] if offline.in_book() else
               "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode("ascii"))
        body = dict(src=src, width=width, height=height, alt=p["alt"])
    from .sources import cite_pairs

    return HTML(render("picture.html", id=p["id"], caption=p["caption"], credit=p["credit"], licence=p["licence"],
                       sources=cite_pairs(p["sources"]), **body)), row
