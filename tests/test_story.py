"""The whole story to today: era counts, plans drawn as plans, new figures built from their data."""

import re
from pathlib import Path

import pandas as pd

from exhibit import data
from exhibit.figures import charts
from exhibit.story import chapter, ledger

ROOT = Path(__file__).resolve().parent.parent


def test_every_period_of_the_story_is_told():
    events = data.events()
    years = events["start"].dt.year
    assert len(events) >= 110
    for low, high in ((1976, 1991), (1992, 2011), (2012, 2100)):
        assert years.between(low, high).sum() >= 12, (low, high)
    ids = set(events["id"])
    for must in ("space-agreement-renewed-1977", "agreement-lapse-1982", "space-agreement-1987",
                 "bush-yeltsin-space-agreement-1992", "russia-invited-iss-1993", "zarya-launch",
                 "expedition-1-launch", "sts-135-landing", "columbia-loss", "russian-asat-test-2021",
                 "seat-swap-agreement-2022", "borisov-leave-iss-2022", "artemis-accords", "ilrs-memorandum",
                 "iss-planned-end-2030"):
        assert must in ids, must


def test_plans_and_announcements_are_never_in_the_past_tense_of_the_timeline():
    events = data.events().set_index("id")
    assert events.loc["iss-planned-end-2030", "status"] == "planned"
    assert events.loc["borisov-leave-iss-2022", "status"] == "announced"
    future = events[events["start"] > pd.Timestamp.now(tz="UTC")]
    assert (future["status"] != "happened").all(), list(future.index)


def test_era_chart_draws_plans_open_and_says_so_on_hover():
    rows = chapter.Chapter(eras=["strain"]).rows
    fig = charts.era_chart(rows)
    symbols, hovers = [], []
    for trace in fig.data:
        if trace.mode == "markers":
            symbols += list(trace.marker.symbol)
            hovers += [c[5] for c in trace.customdata]
    plans = int((rows["status"] != "happened").sum())
    assert plans >= 2 and symbols.count("star-open") == plans
    assert sum("planned" in h or "announced" in h for h in hovers) == plans


def test_alt_text_is_built_from_the_events_drawn():
    rows = chapter.Chapter(eras=["late-cold-war"]).rows
    alt = charts.describe(rows)
    assert alt.startswith(f"Timeline of {len(rows)} events from {rows['start'].dt.year.min()} to "
                          f"{rows['start'].dt.year.max()}")
    for cat, n in rows["category"].value_counts().items():
        assert f"{n} {charts.ALT_LABELS[cat]}" in alt


def test_seat_price_chart_has_one_bar_per_period_with_sources():
    prices = data.table("seat_prices")
    fig = charts.seat_price_chart(prices)
    (bar,) = fig.data
    ordered = prices.sort_values(["launch_year", "period"])
    assert list(bar.y) == list(ordered["price_musd"]) and list(bar.x) == list(ordered["period"])
    assert all(c[4] for c in bar.customdata)  # every bar names its sources


def test_coalition_counts_are_cumulative_and_end_at_the_member_count():
    coalitions = data.table("coalitions")
    counts = charts.coalition_counts(coalitions)
    for name, sub in counts.groupby("coalition"):
        assert sub["members"].is_monotonic_increasing
        assert sub["members"].iloc[-1] == (coalitions["coalition"] == name).sum()
    fig = charts.coalition_chart(coalitions)
    assert {t.name.replace("<br>", " ") for t in fig.data} == set(charts.COALITION_LABELS.values())
    hollow = sum(s == "circle-open" for t in fig.data for s in t.marker.symbol)
    assert hollow == counts["listed_by"].sum()


def test_coalition_rows_without_a_signing_date_say_so():
    coalitions = data.table("coalitions")
    listed = coalitions[coalitions["date_kind"] == "listed-by"]
    assert len(listed) and listed["note"].notna().all()


def story_chapters() -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if p["caption"] == "The story")
    return [c["file"].removeprefix("chapters/") for c in part["chapters"]]


def test_every_story_chapter_quotes_someone_and_every_quotation_is_used():
    voices = data.table("voices")
    chapters = story_chapters()
    assert set(chapters) <= set(voices["chapter"]), set(chapters) - set(voices["chapter"])
    for row in voices.itertuples():
        text = (ROOT / "chapters" / f"{row.chapter}.md").read_text(encoding="utf-8")
        assert f'voice("{row.id}")' in text, (row.id, row.chapter)
        assert len(row.quote.split()) <= 45, row.id  # a voice, not a passage


def with_table(monkeypatch, name, frame):
    """Make ``data.table(name)`` and ``data.row(name, ...)`` read ``frame`` (other tables as loaded)."""
    from exhibit.data import tables

    monkeypatch.setattr(tables, "_table", lambda n: frame if n == name else data.load()[n].copy())


def test_a_voice_is_attributed_dated_cited_and_escaped(monkeypatch):
    voices = data.table("voices")
    voices.loc[voices.index[0], "quote"] = "<script>alert(1)</script>"
    with_table(monkeypatch, "voices", voices)
    shown, row = chapter.voice(voices["id"].iloc[0])
    html = shown._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert row["speaker"].iloc[0].replace("'", "&#39;") in html and 'href="#source-' in html


def test_every_photograph_has_its_record_and_every_record_its_file_or_drawing():
    from exhibit.figures.pictures import DRAWINGS, PICTURES, jpeg_size

    pictures = data.table("pictures")
    photos = pictures[pictures["kind"] == "photograph"]
    assert set(photos["file"]) == {p.name for p in PICTURES.iterdir()}
    for row in photos.itertuples():
        assert row.alt and row.obtained_from and row.credit and row.licence, row.id
        assert min(jpeg_size(PICTURES / row.file)) > 100, row.id
    assert set(pictures.loc[pictures["kind"] == "drawing", "drawing"]) == set(DRAWINGS)
    for row in pictures.itertuples():
        text = (ROOT / "chapters" / f"{row.chapter}.md").read_text(encoding="utf-8")
        assert f'picture("{row.id}")' in text, (row.id, row.chapter)


def test_every_story_chapter_has_a_picture():
    shown = set(data.table("pictures")["chapter"])
    assert set(story_chapters()) <= shown, set(story_chapters()) - shown


def test_the_clocks_show_the_zone_each_place_kept_that_day(monkeypatch):
    from exhibit.figures.pictures import picture

    html = picture("hatch-clocks")[0]._repr_html_()
    # 1975: no summer time in East Germany or Moscow; Houston and Florida on daylight time
    for shown in ("14:17 CDT", "15:17 EDT", "20:17 CET", "22:17 MSK", "UTC\u22125", "UTC+1", "UTC+3"):
        assert shown in html, shown
    assert "The hatch opening, 19:17 UTC" in html
    events = data.table("events")
    events.loc[events["id"] == "astp-hatch-opening", "start"] = pd.Timestamp("1975-01-17T09:05Z")
    with_table(monkeypatch, "events", events)
    html = picture("hatch-clocks")[0]._repr_html_()
    assert "03:05 CST" in html and "12:05 MSK" in html and "10:05 CET" in html
    assert re.search(r'aria-label="Four clock faces for 09:05 UTC on 17 January 1975', html)


def test_the_orbit_drawing_follows_the_orbit_inputs(monkeypatch):
    from exhibit.figures.pictures import picture

    html = picture("orbit-to-scale")[0]._repr_html_()
    assert "only 225 km above the ground, once around every 89 minutes, tilted 51.8 degrees" in html
    assert "55.8° N: never overflown" in html and "51.6° N: can be overflown" in html
    inputs = data.table("orbit_inputs")
    inputs.loc[inputs["parameter"] == "inclination", "value"] = 56.0
    inputs.loc[inputs["parameter"] == "circular_altitude", "value"] = 400.0
    with_table(monkeypatch, "orbit_inputs", inputs)
    html = picture("orbit-to-scale")[0]._repr_html_()
    assert "only 400 km above the ground, once around every 93 minutes, tilted 56.0 degrees" in html
    assert "55.8° N: can be overflown" in html and "never overflown" not in html


def test_station_lives_end_at_the_latest_confirmed_event_and_draw_plans_dashed():
    from exhibit.figures.pictures import picture

    html = picture("station-lives")[0]._repr_html_()
    latest = data.events().query("status == 'happened'")["start"].max()
    assert f"up to {latest.year} for those still in orbit" in html
    assert "1986\u20132001, 15 years" in html and "planned end 2030 (dashed)" in html
    assert html.count('stroke-dasharray="4 3"') == 1  # the ISS's planned end; Tiangong has no planned end


def test_a_caption_naming_a_fact_the_drawing_does_not_compute_is_a_clear_error(monkeypatch):
    import pytest

    from exhibit.figures.pictures import picture

    pictures = data.table("pictures")
    pictures.loc[pictures["id"] == "orbit-to-scale", "caption"] = "Only {altitude_miles} miles up."
    with_table(monkeypatch, "pictures", pictures)
    with pytest.raises(ValueError, match=r"pictures.csv, picture 'orbit-to-scale', column caption: "
                                         r"\{altitude_miles\} is not a fact .*altitude_km"):
        picture("orbit-to-scale")


def test_portraits_follow_the_missions_they_are_drawn_from():
    from exhibit.figures.pictures import picture

    html = picture("seat-swap-crews")[0]._repr_html_()
    assert "Francisco &#39;Frank&#39; Rubio" in html or "Francisco 'Frank' Rubio" in html
    assert "Анна Кикина" in html and 'viewBox="0 0 324 ' in html  # two cards, one short row
    html = picture("expedition-1-crew")[0]._repr_html_()
    assert "born 1949" in html and "born 1962" in html and 'viewBox="0 0 480 ' in html


def test_the_two_atmospheres_are_drawn_from_the_data(monkeypatch):
    from exhibit.figures.pictures import picture

    cabins = data.table("cabins")
    cabins.loc[cabins["id"] == "apollo", "pressure_atm"] = 0.3
    cabins.loc[cabins["id"] == "apollo", "air"] = "<b>oxygen</b>"
    with_table(monkeypatch, "cabins", cabins)
    html = picture("two-atmospheres")[0]._repr_html_()
    assert "0.3 atm" in html and "0.34 atm \u2194 0.68 atm" in html
    assert "<b>oxygen" not in html and "&lt;b&gt;oxygen" in html
    assert re.search(r'role="img" aria-label="Drawing of [^"]*0\.3 atm', html)


def test_the_ledger_lists_corrections_first_and_offers_a_filter_whose_counts_match_the_rows():
    claims = data.claims()
    text = ledger.claim_list(claims)._repr_html_()
    order = re.findall(r'data-verdict="(\w+)"', text)
    assert len(order) == len(claims) and order[0] == "corrected"
    ranks = [ledger.LIST_ORDER.index(v) for v in order]
    assert ranks == sorted(ranks)  # corrected, then disputed, unverified, supported
    for verdict, n in claims["verdict"].value_counts().items():
        assert f'value="{verdict}"> {ledger.LABELS[verdict]} ({n})' in text
    assert f"All ({len(claims)})" in text
