"""Show UTC instants on the clocks readers care about (Moscow, Houston, Florida, the Elbe at Torgau), with the zone
in force then."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

ZONES = {
    "Moscow": ZoneInfo("Europe/Moscow"),
    "Houston": ZoneInfo("America/Chicago"),
    "Florida": ZoneInfo("America/New_York"),
    "Torgau": ZoneInfo("Europe/Berlin"),
}


def _offset(local: pd.Timestamp) -> str:
    minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


def local(ts: pd.Timestamp, zone: str) -> tuple[pd.Timestamp, str]:
    """The UTC instant on the named clock, and that clock's offset then (``'UTC+3'``)."""
    shown = pd.Timestamp(ts).tz_convert(ZONES[zone])
    return shown, _offset(shown)


def on_clock(ts: pd.Timestamp, zone: str) -> str:
    """``'1975-07-17 22:17 MSK (UTC+3)'`` for a UTC instant on the named clock (or ``'UTC'``)."""
    ts = pd.Timestamp(ts)
    if ts.tzinfo is None:
        raise ValueError("on_clock() needs a timezone-aware (UTC) timestamp")
    if zone == "UTC":
        return ts.tz_convert("UTC").strftime("%Y-%m-%d %H:%M UTC")
    shown, offset = local(ts, zone)
    return f"{shown.strftime('%Y-%m-%d %H:%M')} {shown.tzname()} ({offset})"


def when(ts: pd.Timestamp, precision: str) -> str:
    """A date written no more precisely than the sources allow (``'July 1975'``, ``'15 July 1975'``)."""
    if ts is None or pd.isna(ts):
        return ""
    ts = pd.Timestamp(ts).tz_convert("UTC")
    if precision == "year":
        return f"{ts.year}"
    if precision == "month":
        return ts.strftime("%B %Y")
    if precision == "day":
        return f"{ts.day} {ts.strftime('%B %Y')}"
    fmt = "%H:%M:%S" if precision == "second" else "%H:%M"
    return f"{ts.day} {ts.strftime('%B %Y')}, {ts.strftime(fmt)} UTC"


def clock_table(frame: pd.DataFrame, column: str = "start", zones=("UTC", "Moscow", "Houston")) -> pd.DataFrame:
    """One column per clock for the rows of `frame` whose `column` is a known instant (minute or second)."""
    out = pd.DataFrame(index=frame.index)
    timed = frame["precision"].isin(["minute", "second"]) if "precision" in frame else frame[column].notna()
    for zone in zones:
        out[zone] = [on_clock(ts, zone) if ok else "" for ts, ok in zip(frame[column], timed, strict=True)]
    return out
