"""The reconstructed Apollo-Soyuz orbit: facts it must reproduce, and determinism."""

import math

import numpy as np
import pandas as pd
import pytest

from exhibit import data, orbit

KSC_39B = (28.6272, -80.6208)


@pytest.fixture(scope="module")
def rec():
    return orbit.reconstruct(data.orbit_inputs(), data.events(), data.places(), data.elbe(), members=16)


def test_period_and_inclination_match_the_sources(rec):
    # 225 km circular orbit: SP-4209; period about 88.9-89.0 min (docked complex 88.91 min in secondary sources)
    assert 88.7 < rec.nominal.period_min < 89.2
    track = rec.nominal.track("1975-07-17T16:00Z", "1975-07-17T19:30Z", 60)
    assert track["lat"].max() == pytest.approx(51.8, abs=0.4)  # the track reaches the inclination...
    assert track["lat"].abs().max() <= 51.8 + 0.3  # ...and never goes beyond it (geodetic latitude)


def test_every_member_stays_within_its_inclination(rec):
    for member in rec.docking_members[:5]:
        track = member.track("1975-07-17T19:00Z", "1975-07-17T20:40Z", 120)
        inc = math.degrees(member.sat.model.inclo)
        assert track["lat"].abs().max() <= inc + 0.3


def test_plane_contains_the_pad_at_launch_and_passes_ksc_at_apollo_launch(rec):
    inp = rec.inputs
    first = orbit.satellite_through(inp.launch, *inp.pad, 51.8, 185.1, 220.8, rising=True)
    lat, lon = first.subpoint(inp.launch)
    assert orbit.haversine_km(lat, lon, *inp.pad) < 1.0
    # Apollo was launched into Soyuz's plane 7.5 h later: an independent check of the plane's orientation
    misses = [orbit.plane_miss_km(m, inp.apollo_launch, *KSC_39B) for m in rec.launch_members]
    assert np.median(misses) < 120, misses
    # ... and a clock error of one hour would move the plane thousands of km away from the pad
    assert orbit.plane_miss_km(rec.nominal, inp.apollo_launch + pd.Timedelta(hours=1), *KSC_39B) > 600


def test_docking_anchor_puts_the_docking_over_germany(rec):
    for member in rec.docking_members:
        # each member is anchored at some instant between 16:09 and 16:12 near a point of Germany
        window = member.track(rec.inputs.docking, rec.inputs.docking + pd.Timedelta(minutes=3), 10)
        assert orbit.haversine_km(window["lat"], window["lon"], 51.0, 10.5).min() < 700


def test_results_are_deterministic():
    args = (data.orbit_inputs(), data.events(), data.places(), data.elbe())
    a = orbit.verdict(orbit.reconstruct(*args, members=6, seed=7))
    b = orbit.verdict(orbit.reconstruct(*args, members=6, seed=7))
    assert a == b


def test_both_anchors_put_the_craft_on_the_same_pass(rec):
    """The anchors disagree along the orbit, but the pass over Europe (its closest approach) is the same."""
    when = rec.inputs.hatch
    docking = rec.closest_approach(when)["km"].median()
    launch = rec.closest_approach(when, window_min=30, members=rec.launch_members)["km"].median()
    assert abs(docking - launch) < 150
    a, b = rec.points(rec.docking_members, when), rec.points(rec.launch_members, when)
    assert orbit.haversine_km(a["lat"].median(), a["lon"].median(), b["lat"].median(), b["lon"].median()) > 1000


def test_shifting_along_track_moves_the_craft_by_orbital_speed(rec):
    a = rec.nominal.subpoint(rec.inputs.hatch)
    b = rec.nominal.shifted(1.0).subpoint(rec.inputs.hatch)
    moved = float(orbit.haversine_km(a[0], a[1], b[0], b[1])[0])
    assert 400 < moved < 520  # about 7.7 km/s at 225 km, seen on the ground


def test_distance_helpers():
    assert orbit.haversine_km(51.56, 13.01, 51.56, 13.01) == pytest.approx(0)
    assert orbit.haversine_km(52.52, 13.405, 48.857, 2.352) == pytest.approx(878, abs=5)  # Berlin-Paris
    lat, lon = orbit.densify(np.array([50.0, 52.0]), np.array([10.0, 10.0]))
    assert orbit.distance_to_polyline(51.0, 11.0, lat, lon)[0] == pytest.approx(70, abs=2)


def test_verdict_explanation_states_the_computed_numbers(rec):
    v = orbit.verdict(rec)
    text = v["explanation"]
    for number in (v["hatch"]["median"], v["hatch"]["p5"], v["hatch"]["p95"], v["handshake"]["median"],
                   v["closest"]["median"], v["closest"]["p5"], v["closest"]["p95"]):
        assert f"{number:.0f}" in text
    assert v["verdict"] == orbit.verdict_word(v["hatch"], v["handshake"], v["closest"]["p5"],
                                              v["closest_launch_anchor"]["p5"])


@pytest.mark.parametrize("hatch95, shake95, closest5, launch5, hatch5, expected", [
    (100, 900, 500, 500, 50, "supported"),    # within 150 km at the hatch in 95 % of the ensemble
    (900, 140, 500, 500, 50, "supported"),    # ... or at the handshake
    (900, 900, 200, 160, 300, "corrected"),   # the pass never came within 150 km under either anchor
    (900, 900, 100, 500, 120, "disputed"),    # the ensemble allows both
    (900, 900, 100, 500, 400, "unverified"),
])
def test_verdict_rule(hatch95, shake95, closest5, launch5, hatch5, expected):
    hatch = {"p5": hatch5, "p95": hatch95}
    shake = {"p5": hatch5, "p95": shake95}
    assert orbit.verdict_word(hatch, shake, closest5, launch5) == expected


def test_claim_ledger_row_matches_the_computed_verdict():
    rec = orbit.reconstruct(data.orbit_inputs(), data.events(), data.places(), data.elbe(), members=40)
    ledger = data.claims().set_index("id")
    assert ledger.loc["hatch-over-elbe", "verdict"] == orbit.verdict(rec)["verdict"]
