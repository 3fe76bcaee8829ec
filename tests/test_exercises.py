"""Classroom checks: reference answers pass, typical wrong answers get the intended hint, bad input is handled."""

import math
from zoneinfo import ZoneInfo

import folium
import pandas as pd
import pytest

from exhibit import data
from exhibit.classroom.exercises import Feedback, check
from exhibit.figures import charts, maps

BAD_INPUTS = [None, "abc", float("nan"), object(), ["x"], {"a": 1}]


def gc_km(a, b):
    """Independent great-circle distance (spherical law of cosines)."""
    p = data.places().set_index("id")
    (la1, lo1), (la2, lo2) = p.loc[a, ["lat", "lon"]].astype(float), p.loc[b, ["lat", "lon"]].astype(float)
    la1, lo1, la2, lo2 = map(math.radians, (la1, lo1, la2, lo2))
    return 6371.0 * math.acos(math.sin(la1) * math.sin(la2) + math.cos(la1) * math.cos(la2) * math.cos(lo2 - lo1))


def ev(i):
    return data.events().set_index("id").loc[i, "start"]


def flights():
    m = data.missions()
    return m[m["program"] == "shuttle-mir"]


def reference(n):
    m = data.missions().set_index("id")
    hatch = ev("astp-hatch-opening").to_pydatetime()
    f = flights()
    days = (f["end"] - f["launch"]).dt.total_seconds() / 86400
    return {
        1: (m.loc["mercury-redstone-3", "launch"].date() - m.loc["vostok-1", "launch"].date()).days,
        2: (ev("astp-final-undocking") - ev("astp-docking")) / pd.Timedelta(hours=1),
        3: (hatch.astimezone(ZoneInfo("Europe/Moscow")).strftime("%H:%M"),
            hatch.astimezone(ZoneInfo("America/Chicago")).strftime("%H:%M")),
        4: sum(c == "cooperation" for c in data.events()["category"]),
        5: gc_km("baikonur-site-1", "ksc-lc-39b"),
        6: gc_km("baikonur-site-1", "gagarin-landing"),
        9: sorted(f.loc[f["docked_with"] == "mir", "id"].str.upper()),
        10: (f.loc[days.idxmax(), "id"].upper(), float(days.max())),
        11: list(data.claims().query("verdict == 'corrected'")["id"]),
    }[n]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 9, 10, 11])
def test_reference_answer_passes(n):
    result = getattr(check, f"exercise_{n}")(reference(n))
    assert isinstance(result, Feedback) and result.ok, result


def test_equivalent_answers_are_accepted():
    assert check.exercise_2(ev("astp-final-undocking") - ev("astp-docking")).ok  # a Timedelta
    assert check.exercise_5(reference(5) * 1.005).ok  # within 1 %
    assert check.exercise_9(reversed([s.lower() for s in reference(9)])).ok  # order and case
    hatch = ev("astp-hatch-opening")
    assert check.exercise_3([hatch.tz_convert("Europe/Moscow"), hatch.tz_convert("America/Chicago")]).ok


WRONG = [
    (1, 30, "popular article"), (1, reference(1) + 1, "both the first and the last"),
    (2, reference(2) * 60, "minutes"), (2, 44.4, "second docking"),
    (3, ("23:17", reference(3)[1]), "no summer time"), (3, (reference(3)[0], "13:17"), "daylight time"),
    (4, len(data.events()), "all events"), (4, reference(4) + 3, "too high"),
    (5, reference(5) / 1.609344, "miles"), (5, reference(5) * 2, "too high"),
    (6, reference(6) / 1.609344, "miles"), (6, reference(6) / 2, "too low"),
    (9, reference(9)[:-1], "missing"), (9, reference(9) + ["STS-60"], "do not belong"),
    (10, ("sts-60", 8.0), "not the longest"), (10, (reference(10)[0], reference(10)[1] + 2), "too high"),
    (11, reference(11)[:-1], "missing"), (11, reference(11) + ["hatch-time-zone"], "do not belong"),
    (12, ("apollo-launch-xyz", "x " * 20), "no event"), (12, ("astp-docking", "too short"), "at least 15 words"),
]


@pytest.mark.parametrize("n,answer,fragment", WRONG)
def test_typical_wrong_answers_get_the_intended_hint(n, answer, fragment):
    result = getattr(check, f"exercise_{n}")(answer)
    assert not result.ok and fragment in result.message, result


@pytest.mark.parametrize("n", range(1, 13))
@pytest.mark.parametrize("bad", BAD_INPUTS, ids=lambda b: type(b).__name__)
def test_bad_input_gets_a_message_not_a_traceback(n, bad):
    result = getattr(check, f"exercise_{n}")(bad)
    assert not result.ok and result.message
    assert "Correct" not in result._repr_html_() and "Not yet" in result._repr_html_()


def test_map_and_figure_checks():
    p = data.places().set_index("id")
    fmap = maps.base_map((51, 13), 5)
    assert not check.exercise_7(fmap).ok  # no marker yet
    maps.add_marker(fmap, 48.85, 2.35, "other", "Paris", "Paris")
    assert "not on Torgau" in check.exercise_7(fmap).message
    maps.add_marker(fmap, p.loc["torgau", "lat"], p.loc["torgau", "lon"], "memorial", "Torgau", "Torgau")
    assert check.exercise_7(fmap).ok
    events = data.events()
    assert check.exercise_8(charts.era_chart(events[events["category"] == "culture"])).ok
    assert "themes" in check.exercise_8(charts.era_chart(events)).message
    assert not check.exercise_8(folium.Map()).ok


def test_source_criticism_accepts_an_event_with_a_note():
    noted = data.events().query("note != ''")["id"].iloc[0]
    result = check.exercise_12((noted, "I trust the contemporary record more than later memories because " * 2))
    assert result.ok and "note says" in result.message
    plain = data.events().query("note == ''")["id"].iloc[0]
    assert not check.exercise_12((plain, "word " * 20)).ok


def test_feedback_html_escapes_text():
    assert "<script>" not in Feedback(False, "<script>x</script>")._repr_html_()


@pytest.mark.build
def test_every_exercise_notebook_runs_with_solutions_that_pass(built_site):
    """The book build executes each exercise notebook top to bottom; every solution cell must show a pass."""

    pages = sorted((built_site / "chapters" / "exercises").glob("*.html"))
    assert len(pages) == 3
    total = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        solved = html.count("\u2714 Correct")
        starters = html.count("No answer yet")
        assert solved == starters > 0, (page.name, solved, starters)
        assert "Traceback" not in html
        total += solved
    assert total == 12


def displayed(feedback, monkeypatch):
    """What a notebook would show for a check: (bundles with metadata, other objects)."""
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)))
    feedback._ipython_display_()
    return shown


def test_a_displayed_check_records_its_result_for_grading(monkeypatch):
    from exhibit.classroom.exercises import RECORD_KEY

    shown = displayed(check.exercise_1(reference(1)), monkeypatch)
    (bundle, kw), = shown
    assert kw["raw"] is True and "text/html" in bundle
    assert kw["metadata"][RECORD_KEY] == {"exercise": "exercise_1", "passed": True,
                                          "feedback": check.exercise_1(reference(1)).message}


def test_map_and_figure_exercises_show_the_students_work_after_the_check(monkeypatch):
    from exhibit.figures.present import Presented

    fmap = maps.base_map((51, 13), 5)
    t = data.places().set_index("id").loc["torgau"]
    maps.add_marker(fmap, t["lat"], t["lon"], "memorial", "Torgau", "<b>Torgau</b>")
    shown = displayed(check.exercise_7(fmap), monkeypatch)
    assert len(shown) == 2 and isinstance(shown[1][0], Presented) and shown[1][0].obj is fmap
    assert "exhibit-map" in shown[1][0].to_html()
    fig = charts.era_chart(data.events().query("category == 'culture'"))
    shown = displayed(check.exercise_8(fig), monkeypatch)
    assert shown[1][0].obj is fig
    assert len(displayed(check.exercise_8(None), monkeypatch)) == 1  # nothing to show yet


def test_a_check_never_raises_on_odd_objects():
    weird = folium.Map(tiles=None)
    weird._children = None  # a map whose internals a student has broken
    result = check.exercise_7(weird)
    assert not result.ok and "could not read your answer" in result.message
    assert result.exercise == "exercise_7"
