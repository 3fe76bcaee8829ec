"""Fly the mission: the positions computed for the replay, and the replay page in Chromium with the network cut."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pandas as pd
import pytest

from exhibit.core import markup
from exhibit.figures import replay
from exhibit.science import orbit
from exhibit.site.browser import chromium_path, open_site

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
PAGE = "chapters/fly-the-mission.html"
HATCH = "1975-07-17T19:17Z"


@pytest.fixture(scope="module")
def mission():
    return replay.Mission(members=6)


def test_positions_cover_the_mission_one_sample_a_minute(mission):
    soyuz, apollo = mission.tracks["soyuz"], mission.tracks["apollo"]
    assert soyuz["time"].iloc[0] == pd.Timestamp("1975-07-15T12:20Z")
    assert soyuz["time"].iloc[-1] == pd.Timestamp("1975-07-21T10:50Z")
    assert apollo["time"].iloc[-1] == pd.Timestamp("1975-07-24T21:18Z")
    for track in (soyuz, apollo):
        assert (track["time"].diff().dropna() == pd.Timedelta(seconds=replay.STEP_S)).all()
        assert track["lat"].abs().max() <= 52.2


def test_docked_craft_share_one_position_and_separate_after_undocking(mission):
    a, s = mission.at("apollo", HATCH), mission.at("soyuz", HATCH)
    assert a["phase"] == s["phase"] == "docked"
    assert (a["lat"], a["lon"]) == (s["lat"], s["lon"])
    later = "1975-07-20T15:26Z"
    a, s = mission.at("apollo", later), mission.at("soyuz", later)
    assert a["phase"] == s["phase"] == "flying alone"
    assert orbit.haversine_km(a["lat"], a["lon"], s["lat"], s["lon"]) > 50


def test_apollo_meets_soyuz_and_starts_near_its_pad(mission):
    inp = mission.rec.inputs
    la, lo = mission.chase.subpoint(inp.contact)
    sa, so = mission.rec.nominal.subpoint(inp.contact)
    assert orbit.haversine_km(la[0], lo[0], sa[0], so[0]) < 5
    first = mission.tracks["apollo"].iloc[0]
    assert orbit.haversine_km(first["lat"], first["lon"], 28.6272, -80.6208) < 500


def test_each_craft_ends_where_it_came_down(mission):
    assert mission.tracks["soyuz"].iloc[-1]["place"] == "Kazakhstan"
    assert mission.tracks["soyuz"].iloc[-1]["phase"] == "landed"
    assert mission.tracks["apollo"].iloc[-1]["place"] == "North Pacific Ocean"


def test_the_hatch_opening_is_near_metz_in_the_replay_too(mission):
    s = mission.at("soyuz", HATCH)
    assert s["place"] in ("France", "Germany")
    assert orbit.haversine_km(s["lat"], s["lon"], *orbit.reported_place()) < 300


def test_payload_is_compact_and_run_lengths_decode(mission):
    payload = mission.payload()
    raw = markup.safe_json(payload).encode()
    assert len(gzip.compress(raw)) <= 300_000
    c = payload["craft"]["soyuz"]
    names, runs = c["places"], c["placeRuns"]
    decoded = [names[k] for i, (start, k) in enumerate(runs)
               for _ in range(start, runs[i + 1][0] if i + 1 < len(runs) else len(c["lat"]))]
    assert decoded == list(mission.tracks["soyuz"]["place"])
    assert payload["count"] * payload["step"] >= (pd.Timestamp("1975-07-24T21:18Z")
                                                  - pd.Timestamp("1975-07-15T12:20Z")).total_seconds()


def test_run_lengths():
    assert replay.run_lengths(["a", "a", "b", "a"]) == (["a", "b"], [[0, 0], [2, 1], [3, 0]])


def test_fallback_table_lists_every_timed_moment(mission):
    table = mission.moments()
    assert len(table) == len(mission.timed_events()) >= 8
    row = table[table["moment"].str.contains("Hatches open")].iloc[0]
    assert "docked" in row["Apollo"] and ("France" in row["Apollo"] or "Germany" in row["Apollo"])
    assert table.iloc[0]["Apollo"] == "not yet launched"  # Soyuz lifted off seven and a half hours earlier


def test_player_markup_has_a_polite_status_and_no_autoplay(mission, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    text = mission.player().book
    assert 'role="status"' in text and 'aria-live="polite"' in text
    assert 'type="range"' in text and "autoplay" not in text
    assert 'data-initial="1975-07-17T19:17Z"' in text
    assert 'src="_static/exhibit/replay.js"' in text


def test_in_a_notebook_the_player_stands_aside_for_the_table(mission):
    text = mission.player().html
    assert "data-exhibit-replay-data" not in text and "replay.js" not in text


# -- the built page in Chromium ------------------------------------------------------------------------------
def needs_chromium(test):
    skip = pytest.mark.skipif(chromium_path() is None, reason="no Chromium here (install Debian's chromium; CI does)")
    return pytest.mark.browser(skip(test))


@pytest.fixture(scope="module")
def site(built_site):
    if chromium_path() is None:
        pytest.skip("no Chromium here")
    with open_site(built_site) as s:
        yield s


def open_replay(site, anchor: str = ""):
    visit = site.visit(PAGE + anchor)
    visit.page.wait_for_function("() => window.exhibitReplay !== undefined")
    return visit


def readout(visit) -> str:
    return visit.page.inner_text(".replay-readout")


def test_the_page_loads_its_script_deferred_and_only_there(built_site):
    page = (built_site / PAGE).read_text(encoding="utf-8")
    assert re.search(r'<script defer src="[^"]*replay\.js"', page)
    assert "replay.js" not in (built_site / "chapters/apollo-soyuz.html").read_text(encoding="utf-8")
    assert "Chapter 4 of" in page


@needs_chromium
def test_deep_link_shows_both_craft_joined_three_clocks_and_the_place_below(site):
    visit = open_replay(site, "#t=1975-07-17T19:17Z")
    page = visit.page
    text = readout(visit)
    assert "17 Jul 1975, 19:17" in text  # UTC
    assert "17 Jul 1975, 22:17" in text  # Moscow, UTC+3
    assert "17 Jul 1975, 14:17" in text  # Houston, CDT
    assert text.count("docked") >= 2
    assert "France" in text or "Germany" in text
    assert "Hatches open" in text
    assert page.locator("path.replay-marker-joined").count() == 1
    assert page.locator("path.replay-marker-soyuz").count() == 0
    assert page.locator("path.exhibit-land").count() > 50
    assert page.get_attribute(".replay-readout", "role") == "status"
    assert visit.errors == [] and visit.blocked == [], (visit.errors, visit.blocked)
    visit.page.close()


@needs_chromium
def test_before_docking_the_craft_are_apart(site):
    visit = open_replay(site, "#t=1975-07-16T12:00Z")
    assert visit.page.locator("path.replay-marker-joined").count() == 0
    assert visit.page.locator("path.replay-marker-soyuz").count() == 1
    assert visit.page.locator("path.replay-marker-apollo").count() == 1
    assert "rendezvous, not docked" in readout(visit)
    visit.page.close()


@needs_chromium
def test_keyboard_steps_the_instant_and_the_address_follows(site):
    visit = open_replay(site, "#t=1975-07-17T19:17Z")
    page = visit.page
    start = page.evaluate("() => window.exhibitReplay.index()")
    page.focus("#replay-slider")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => window.exhibitReplay.index()") == start + 2
    assert "19:19" in readout(visit)
    page.keyboard.press("PageDown")
    assert page.evaluate("() => window.exhibitReplay.index()") == start + 2 - 60
    page.wait_for_function("() => location.hash === '#t=1975-07-17T18:19Z'", timeout=3000)
    page.keyboard.press("Space")
    assert page.get_attribute("[data-replay=play]", "aria-pressed") == "true"
    page.wait_for_timeout(300)
    page.keyboard.press("Space")
    assert page.get_attribute("[data-replay=play]", "aria-pressed") == "false"
    assert page.evaluate("() => window.exhibitReplay.index()") > start + 2 - 60
    page.click("[data-replay=next]")
    assert "Hatches open" in readout(visit) or "undocking" in readout(visit).lower()
    assert visit.errors == [], visit.errors
    page.close()


@needs_chromium
def test_reduced_motion_turns_playback_off(site):
    page = site.context.new_page()
    page.emulate_media(reduced_motion="reduce")
    page.goto(site.base + PAGE)
    page.wait_for_function("() => window.exhibitReplay !== undefined")
    assert page.is_disabled("[data-replay=play]")
    assert page.is_visible(".replay-motion-note")
    page.close()


@needs_chromium
def test_replay_page_is_axe_clean(site):
    visit = open_replay(site)
    visit.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = visit.page.evaluate("async () => (await axe.run(document)).violations")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result
           if v["impact"] in ("serious", "critical")]
    assert bad == [], bad
    visit.page.close()
