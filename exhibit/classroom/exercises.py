"""Checks for the classroom exercises: feedback on a student's own answer, never the answer itself.

    from exhibit.classroom.exercises import check
    check.exercise_1(23)

Every expected value is computed from the exhibit's data when the check runs, so a corrected data row
corrects the exercise too. A check never raises: wrong types and empty answers get a friendly message.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

import pandas as pd

from exhibit import data
from exhibit.core.markup import render

KM_PER_MILE = 1.609344


#: key of the output metadata in which a displayed check records its result (read by ``exhibit.classroom.grade``)
RECORD_KEY = "exhibit_check"


class Feedback:
    """The result of a check: ``ok`` and a message, shown as text or HTML in a notebook.

    ``shown`` is the student's own figure or map, displayed under the message. Displayed in a notebook, the
    output's metadata records ``{"exercise", "passed", "feedback"}`` under :data:`RECORD_KEY` for grading.
    """

    def __init__(self, ok: bool, message: str, shown=None):
        self.ok, self.message, self.shown = ok, message, shown
        self.exercise = ""

    def __repr__(self) -> str:
        return ("Correct: " if self.ok else "Not yet: ") + self.message

    def _repr_html_(self) -> str:
        mark, colour = ("\u2714 Correct", "#006040") if self.ok else ("\u2718 Not yet", "#9a3b00")
        return render("feedback.html", colour=colour, mark=mark, message=self.message)

    def record(self) -> dict:
        return {"exercise": self.exercise, "passed": self.ok, "feedback": self.message}

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display({"text/plain": repr(self), "text/html": self._repr_html_()}, raw=True,
                metadata={RECORD_KEY: self.record()})
        if self.shown is not None:
            display(self.shown)


def _your(obj) -> object:
    """The student's figure or map, presented offline with a caption and alt text."""
    from exhibit.figures.present import present

    kind = "map" if type(obj).__name__ == "Map" else "figure"
    return present(obj, caption=f"Your {kind}, as the code above built it.",
                   alt=f"The {kind} built by the code in the exercise cell above.")


def _missing(answer) -> Feedback | None:
    if answer is None or answer is Ellipsis:
        return Feedback(False, "No answer yet: replace None with your answer and run the cell again.")
    return None


def _expect(answer, kind: type, what: str) -> Feedback | None:
    """None if `answer` is a `kind`; otherwise the friendly message for an empty or wrongly typed answer."""
    if answer is None or answer is Ellipsis:
        return _missing(answer)
    return None if isinstance(answer, kind) else Feedback(False, f"Expected {what}, got {type(answer).__name__}.")


def _pair(answer, example: str) -> Feedback | None:
    """None if `answer` is a pair; otherwise a message showing the expected form."""
    missing = _missing(answer)
    if missing:
        return missing
    if isinstance(answer, (str, bytes)) or not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Feedback(False, f"Give a pair: {example}.")
    return None


def _as_number(answer) -> float | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, pd.Timedelta):
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) or math.isinf(value) else value


def compare_number(answer, expected: float, tolerance: float, unit: str,
                   hints: Iterable[tuple[float, str]] = ()) -> Feedback:
    """Accept `answer` within `tolerance` of `expected`; give the hint of a known wrong value if close to it."""
    missing = _missing(answer)
    if missing:
        return missing
    value = _as_number(answer)
    if value is None:
        return Feedback(False, f"Expected a number (in {unit}), got {type(answer).__name__} {str(answer)[:40]!r}.")
    if abs(value - expected) <= tolerance:
        return Feedback(True, f"{value:g} {unit} is right.")
    for wrong, hint in hints:
        if abs(value - wrong) <= max(tolerance, abs(wrong) * 0.01):
            return Feedback(False, hint)
    direction = "too high" if value > expected else "too low"
    return Feedback(False, f"{value:g} {unit} is {direction}. Check which rows and columns you used.")


def _norm(item) -> str:
    return re.sub(r"[\s_]+", "-", str(item).strip().lower())


def compare_set(answer, expected: set[str], what: str) -> Feedback:
    missing = _missing(answer)
    if missing:
        return missing
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
        return Feedback(False, f"Expected a list or set of {what}, got {type(answer).__name__}.")
    given = {_norm(a) for a in answer}
    if given == expected:
        return Feedback(True, f"All {len(expected)} {what}, and nothing else.")
    extra, lacking = given - expected, expected - given
    parts = []
    if lacking:
        parts.append(f"{len(lacking)} of the {what} are missing")
    if extra:
        parts.append(f"{len(extra)} of your items do not belong")
    return Feedback(False, "; ".join(parts) + ". Look again at how you filtered the table.")


def haversine(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _place(place_id: str) -> tuple[float, float]:
    row = data.places().set_index("id").loc[place_id]
    return float(row["lat"]), float(row["lon"])


def _event(event_id: str) -> pd.Timestamp:
    return data.events().set_index("id").loc[event_id, "start"]


def shuttle_mir_flights() -> pd.DataFrame:
    m = data.missions()
    return m[m["program"] == "shuttle-mir"]


def _clock(value) -> str | None:
    if isinstance(value, (pd.Timestamp,)) or hasattr(value, "strftime"):
        return value.strftime("%H:%M")
    text = str(value).strip()
    found = re.search(r"(\d{1,2}):(\d{2})", text)
    return f"{int(found.group(1)):02d}:{found.group(2)}" if found else None


class Checks:
    """``check.exercise_N(answer)`` for every exercise of the classroom section."""

    def exercise_1(self, answer) -> Feedback:
        """Days between Gagarin's launch and Shepard's launch."""
        days = (data.missions().set_index("id").loc["mercury-redstone-3", "launch"].normalize()
                - data.missions().set_index("id").loc["vostok-1", "launch"].normalize()).days
        return compare_number(answer, days, 0.5, "days", [
            (30, "About a month is what the popular article says; count the actual days between the two dates."),
            (days + 1, "Close: you counted both the first and the last day.")])

    def exercise_2(self, answer) -> Feedback:
        """Hours from the first docking to the final undocking."""
        hours = (_event("astp-final-undocking") - _event("astp-docking")).total_seconds() / 3600
        if isinstance(answer, pd.Timedelta):
            answer = answer.total_seconds() / 3600
        return compare_number(answer, hours, 0.1, "hours", [
            (hours * 60, "That looks like minutes: give the answer in hours."),
            (44.4, "44 h 24 min is the figure printed in NASA's data book, which runs to the second docking, not "
                   "the final undocking.")])

    def exercise_3(self, answer) -> Feedback:
        """Moscow and Houston clock times (HH:MM) at the hatch opening, as a pair."""
        problem = _pair(answer, "(Moscow time, Houston time), e.g. ('12:00', '03:00')")
        if problem:
            return problem
        hatch = _event("astp-hatch-opening")
        moscow = hatch.tz_convert("Europe/Moscow").strftime("%H:%M")
        houston = hatch.tz_convert("America/Chicago").strftime("%H:%M")
        got = tuple(_clock(a) for a in answer)
        if None in got:
            return Feedback(False, "Write each time as HH:MM (or give datetime objects).")
        if got == (moscow, houston):
            return Feedback(True, "Both clocks are right.")
        msgs = []
        if got[0] != moscow:
            one_more = (hatch + pd.Timedelta(hours=1)).tz_convert("Europe/Moscow").strftime("%H:%M")
            msgs.append("Moscow: in 1975 Moscow had no summer time, so it was UTC+3."
                        if got[0] == one_more else "Moscow is not right: convert from UTC with Moscow's 1975 offset.")
        if got[1] != houston:
            cst = (hatch - pd.Timedelta(hours=6)).strftime("%H:%M")
            msgs.append("Houston: in July, Houston is on daylight time (CDT, UTC-5)."
                        if got[1] == cst else "Houston is not right: Houston uses Central time.")
        return Feedback(False, " ".join(msgs))

    def exercise_4(self, answer) -> Feedback:
        """How many events have the theme 'cooperation'."""
        n = int((data.events()["category"] == "cooperation").sum())
        return compare_number(answer, n, 0, "events", [
            (len(data.events()), "That is the number of all events: filter on the category column first.")])

    def exercise_5(self, answer) -> Feedback:
        """Great-circle distance Baikonur Site 1 to Kennedy Space Center pad 39B, in km."""
        km = haversine(*_place("baikonur-site-1"), *_place("ksc-lc-39b"))
        return compare_number(answer, km, km * 0.01, "km", [
            (km / KM_PER_MILE, "That looks like miles: the exercise asks for kilometres."),
            (math.degrees(km / 6371.0), "That looks like an angle in degrees: multiply the central angle (in "
                                        "radians) by the Earth's radius.")])

    def exercise_6(self, answer) -> Feedback:
        """Great-circle distance between Gagarin's launch pad and his landing site, in km."""
        km = haversine(*_place("baikonur-site-1"), *_place("gagarin-landing"))
        return compare_number(answer, km, km * 0.01, "km", [
            (km / KM_PER_MILE, "That looks like miles: the exercise asks for kilometres.")])

    def exercise_7(self, answer) -> Feedback:
        """A folium map with a marker on Torgau."""
        import folium

        problem = _expect(answer, folium.Map, "a folium map")
        if problem:
            return problem
        shown = _your(answer)
        lat, lon = _place("torgau")
        markers = [c for c in answer._children.values() if isinstance(c, folium.Marker)]
        if not markers:
            return Feedback(False, "The map has no marker yet: add one with exhibit.figures.maps.add_marker or folium.Marker.",
                            shown)
        if any(abs(m.location[0] - lat) < 0.05 and abs(m.location[1] - lon) < 0.05 for m in markers):
            return Feedback(True, "There is a marker on Torgau.", shown)
        return Feedback(False, "There is a marker, but not on Torgau: take its lat and lon from places.csv.", shown)

    def exercise_8(self, answer) -> Feedback:
        """A plotly figure of the era timeline showing one theme only."""
        import plotly.graph_objects as go

        problem = _expect(answer, go.Figure, "a plotly figure")
        if problem:
            return problem
        shown = _your(answer)
        groups = {t.legendgroup for t in answer.data if t.legendgroup}
        if len(groups) != 1:
            return Feedback(False, f"The figure shows {len(groups)} themes; filter the events to one theme first.",
                            shown)
        (theme,) = groups
        points = sum(len(t.x) for t in answer.data if t.mode == "markers")
        n = int((data.events()["category"] == theme).sum())
        if points != n:
            return Feedback(False, f"The figure has {points} points but the data have {n} {theme} events.", shown)
        return Feedback(True, f"One theme ({theme}) with all its {n} events.", shown)

    def exercise_9(self, answer) -> Feedback:
        """The ids of the Shuttle-Mir flights that docked with Mir."""
        flights = shuttle_mir_flights()
        docked = {_norm(i) for i in flights.loc[flights["docked_with"] == "mir", "id"]}
        return compare_set(answer, docked, "flights that docked")

    def exercise_10(self, answer) -> Feedback:
        """The longest Shuttle-Mir flight and its length in days, as (id, days)."""
        problem = _pair(answer, "(flight id, length in days), e.g. ('sts-00', 9.5)")
        if problem:
            return problem
        flights = shuttle_mir_flights().assign(
            days=lambda f: (f["end"] - f["launch"]).dt.total_seconds() / 86400)
        longest = float(flights["days"].max())
        tied = set(flights.loc[flights["days"] == longest, "id"])
        if _norm(answer[0]) not in tied:
            return Feedback(False, "That is not the longest flight: compute end minus launch for every flight.")
        result = compare_number(answer[1], longest, 0.05, "days")
        if result.ok and len(tied) > 1:
            result.message += (f" {len(tied)} flights tie at that length: the data give launch and landing dates, "
                               "not times, so they cannot be told apart.")
        return result

    def exercise_11(self, answer) -> Feedback:
        """The ids of the claims the ledger marks as corrected."""
        claims = data.claims()
        return compare_set(answer, {_norm(i) for i in claims.loc[claims["verdict"] == "corrected", "id"]},
                           "corrected claims")

    def exercise_12(self, answer) -> Feedback:
        """(event id, argument): an event whose sources disagree, and which source you would trust and why."""
        problem = _pair(answer, "(event id, your argument as a sentence or two)")
        if problem:
            return problem
        events = data.events().set_index("id")
        event_id, argument = _norm(answer[0]), str(answer[1])
        if event_id not in events.index:
            return Feedback(False, f"There is no event with the id {answer[0]!r}.")
        note = str(events.loc[event_id, "note"] or "")
        if not note or note == "<NA>":
            return Feedback(False, "That event has no note about disagreeing sources: pick one whose note is not empty.")
        if len(argument.split()) < 15:
            return Feedback(False, "Write a real argument (at least 15 words): which source, and why?")
        return Feedback(True, f"A good choice to discuss. The exhibit's note says: {note}")

def _recorded(name: str, method):
    """Name the Feedback after its exercise, and turn an unexpected error into feedback (a check never raises)."""
    @functools.wraps(method)
    def run(self, answer=None):
        try:
            result = method(self, answer)
        except Exception as error:  # a student's odd object must not give a traceback
            result = Feedback(False, f"The check could not read your answer ({type(error).__name__}: {error}).")
        result.exercise = name
        return result
    return run


#: every exercise's check, by name (``exercise_1`` ...), in order
EXERCISES = sorted((n for n in vars(Checks) if n.startswith("exercise_")), key=lambda n: int(n.split("_")[1]))
for _name in EXERCISES:
    setattr(Checks, _name, _recorded(_name, getattr(Checks, _name)))

check = Checks()
