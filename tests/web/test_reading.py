"""Faster reading, as HTML: date presets on the search page, a histogram whose bars show their
counts and narrow the search, campaign names suggested in either script, and an article page
whose figures and campaigns link to where the text says them."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import QueryParams

from monitor.index.base import HistogramBucket
from monitor.index.embedded import EmbeddedIndex
from monitor.index.selection import BadInput
from monitor.presets import choose, preset_start
from monitor.saved.sqlite import SqliteSavedSearches
from monitor.web import suggest
from monitor.web.app import create_app
from monitor.web.charts import histogram
from monitor.web.pages import Links, bucket_range, fill_gaps
from tests.web.conftest import CI
from tests.web.reading_corpus import (
    HOSTILE_ID,
    LONG_FIGURE,
    LONG_ID,
    LONG_MENTION,
    RECENT_HOURS,
    hostile_article,
    long_article,
    reading_corpus,
)

NOW = datetime.now(UTC)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    index = EmbeddedIndex(Path(tmp_path_factory.mktemp("reading")) / "index.db")
    index.upsert_many(reading_corpus(NOW))
    with TestClient(create_app(index)) as c:
        yield c
    index.close()


def total(html: str) -> int:
    found = re.search(r"<b>([\d,]+)</b> announcement", html)
    assert found, "the page shows how many announcements match"
    return int(found.group(1).replace(",", ""))


def query(url: str) -> dict[str, str]:
    """The parameters of a link as the page writes it (`&amp;`) or as Links makes it."""
    return dict(parse_qsl(urlsplit(url.replace("&amp;", "&")).query))


# --- date presets -----------------------------------------------------------------------------


def test_each_preset_is_a_date_filter_computed_in_utc() -> None:
    now = datetime(2026, 3, 5, 14, 30, 15, tzinfo=UTC)
    assert preset_start("24h", now) == "2026-03-04T14:30:15Z"
    assert preset_start("7d", now) == "2026-02-27"  # today and the six days before
    assert preset_start("30d", now) == "2026-02-04"
    assert preset_start("year", now) == "2026-01-01"
    chosen = choose("7d", None, None, now)
    assert (chosen.preset, chosen.date_from, chosen.date_to, chosen.custom) == (
        "7d",
        "2026-02-27",
        "",
        False,
    )
    # the form sends the preset back with the dates it showed: still the preset
    assert choose("24h", "2026-03-04", "", now).preset == "24h"
    # dates changed in the form are the reader's own
    custom = choose("7d", "2026-01-10", "2026-01-20", now)
    assert (custom.preset, custom.date_from, custom.date_to, custom.custom) == (
        None,
        "2026-01-10",
        "2026-01-20",
        True,
    )
    with pytest.raises(BadInput, match="preset must be one of 24h, 7d, 30d, year, not 'soon'"):
        choose("soon", None, None, now)


#: How many of the recent announcements (RECENT_HOURS: 2 hours, 3, 20 and 100 days before NOW)
#: each preset holds, whatever the time of day; "this year" depends on the date (below).
IN_PRESET = {"24h": 1, "7d": 2, "30d": 3}


def preset_expected(preset: str, now: datetime) -> tuple[str, int]:
    """The day a preset begins at `now` and what it holds, from the presets' definition (the
    last 24 hours; today and the 6 or 29 days before; since 1 January), not from the code."""
    day = now.date()
    start = {
        "24h": (now - timedelta(hours=24)).date(),
        "7d": day - timedelta(days=6),
        "30d": day - timedelta(days=29),
        "year": date(day.year, 1, 1),
    }[preset]
    this_year = sum((NOW - timedelta(hours=h)).year == day.year for h in RECENT_HOURS)
    return start.isoformat(), IN_PRESET.get(preset, this_year)


@pytest.mark.parametrize(
    ("preset", "words"),
    [("24h", "last 24 hours"), ("7d", "7 days"), ("30d", "30 days"), ("year", "this year")],
)
def test_a_preset_link_narrows_the_search_and_is_marked(
    client: TestClient, preset: str, words: str
) -> None:
    home = client.get("/?q=fraud&region=Zhejiang").text
    link = next(
        href
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', home)
        if text == words
    )
    assert query(link) == {"q": "fraud", "region": "Zhejiang", "preset": preset}
    before = datetime.now(UTC)
    page = client.get(f"/?preset={preset}").text
    after = datetime.now(UTC)
    # the server read its clock in between: midnight (or New Year) may have passed
    shown = re.search(r'name="date_from" value="([^"]*)"', page)
    assert shown, "the From box is on the page"
    start = shown.group(1)
    assert (start, total(page)) in {preset_expected(preset, t) for t in (before, after)}
    assert f'class="on" aria-current="true">{words}</a>' in page
    assert f'<input type="hidden" name="preset" value="{preset}">' in page
    assert f"{words.capitalize()}: since" in page
    # the exports write the preset's dates out: a saved link keeps the days it was made for
    export = re.search(r'href="(/api/search\?[^"]+format=csv)"', page)
    assert export and query(export.group(1))["date_from"][:10] == start[:10]
    # a preset still marked after the form is sent back with the dates it showed
    again = client.get(f"/?preset={preset}&date_from={start[:10]}&date_to=&sort=date").text
    assert f'class="on" aria-current="true">{words}</a>' in again


def test_custom_dates_and_any_time_are_marked(client: TestClient) -> None:
    anytime = client.get("/").text
    assert 'class="on" aria-current="true">any time</a>' in anytime
    custom = client.get("/?preset=7d&date_from=2021-06-01&date_to=2021-06-30").text
    assert '<label for="date-from" class="on">custom</label>' in custom
    assert 'aria-current="true">7 days' not in custom
    assert total(custom) == 12
    assert 'name="preset"' not in custom  # custom dates are sent as they are


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/?preset=garbage", "preset must be one of 24h, 7d, 30d, year, not 'garbage'"),
        ("/?preset=" + "x" * 5000, "not 'xxxxxxxxxx"),
        ("/?preset=%3Cscript%3E", "not '<script>'"),
        ("/?date_from=2022-01-01&date_to=2021-01-01", "date_from (2022-01-01) is after date_to"),
        ("/?preset=7d&date_from=2030-01-01&date_to=2020-01-01", "is after date_to"),
        ("/?date_from=yesterday", "date_from must be a date like 2021-03-01"),
    ],
)
def test_hostile_dates_are_a_plain_400(client: TestClient, path: str, words: str) -> None:
    r = client.get(path)
    assert r.status_code == 400
    assert words in unescape(r.text) and "Traceback" not in r.text
    assert "<script>" not in r.text.split("<main>")[1]
    assert 'aria-label="Dates"' in r.text  # the presets are still there to pick from


# --- histogram ----------------------------------------------------------------------------------


def bars(html: str) -> list[tuple[str, str, str]]:
    """(link, count shown, tooltip) of each bar."""
    return [
        (href.replace("&amp;", "&"), count, unescape(tip))
        for href, count, tip in re.findall(
            r'<a href="([^"]+)"><rect [^>]+/><text class="[^"]+"[^>]*>([^<]*)</text>'
            r'<rect class="column"[^>]+/><title>([^<]*)</title></a>',
            html,
        )
    ]


def test_histogram_bars_show_their_counts_and_narrow_the_search_by_year_month_and_day(
    client: TestClient,
) -> None:
    years = bars(client.get("/").text)  # 2021 .. now: one bar a year
    assert years[0][1:] == ("17", "2021: 17 announcements")
    assert query(years[0][0]) == {"date_from": "2021-01-01", "date_to": "2021-12-31"}
    months_page = client.get(years[0][0]).text
    assert total(months_page) == 17
    months = bars(months_page)  # 2021-03 .. 2021-09, per month
    june = next(b for b in months if b[2].startswith("2021-06:"))
    assert june[1] == "12" and june[2] == "2021-06: 12 announcements"
    assert query(june[0]) == {"date_from": "2021-06-01", "date_to": "2021-06-30"}
    days_page = client.get(june[0]).text
    assert "announcements per day" in days_page
    days = bars(days_page)
    assert len(days) == 12 and {b[1] for b in days} == {"1"}
    assert query(days[3][0]) == {"date_from": "2021-06-04", "date_to": "2021-06-04"}
    assert total(client.get(days[3][0]).text) == 1


def test_a_bar_link_keeps_the_search_and_drops_a_preset() -> None:
    links = Links(QueryParams("q=fraud&region=Zhejiang&preset=30d&page=3"))
    link = links.bucket("month")(HistogramBucket(start="2021-02", count=4))
    assert query(link or "") == {
        "q": "fraud",
        "region": "Zhejiang",
        "date_from": "2021-02-01",
        "date_to": "2021-02-28",
    }


def test_week_bars_stay_inside_their_year() -> None:
    # %W weeks: 2021 began on a Friday, so its first three days are week 00
    assert bucket_range("2021-W00", "week") == (date(2021, 1, 1), date(2021, 1, 3))
    assert bucket_range("2020-W52", "week") == (date(2020, 12, 28), date(2020, 12, 31))
    assert bucket_range("2021-W10", "week") == (date(2021, 3, 8), date(2021, 3, 14))
    filled = fill_gaps(
        [HistogramBucket(start="2020-W52", count=2), HistogramBucket(start="2021-W02", count=1)],
        "week",
    )
    assert [(b.start, b.count) for b in filled] == [
        ("2020-W52", 2),
        ("2021-W00", 0),
        ("2021-W01", 0),
        ("2021-W02", 1),
    ]
    html = str(histogram(filled, "week", Links(QueryParams("q=x")).bucket("week")))
    assert query(bars(html)[1][0]) == {"q": "x", "date_from": "2021-01-01", "date_to": "2021-01-03"}


def test_few_bars_show_every_count_many_show_the_tallest_and_the_one_pointed_at() -> None:
    def counts(n: int) -> list[tuple[str, str]]:
        buckets = [
            HistogramBucket(start=f"b{i}", count=i % 7 + (20_000 if i == 5 else 0))
            for i in range(n)
        ]
        html = str(histogram(buckets, "day", lambda b: f"/?d={b.start}"))
        return re.findall(r'<text class="([^"]+)"[^>]*>([^<]*)</text>', html)

    few = counts(10)
    assert all(
        cls == ("count zero" if text == "0" else "count peak" if i == 5 else "count fits")
        for i, (cls, text) in enumerate(few)
    )  # an empty bar's 0 shows only when pointed at
    assert few[5] == ("count peak", "20k")  # a large count in few characters; the tooltip has all
    many = counts(90)
    assert [text for cls, text in many if cls not in ("count", "count zero")] == [
        "20k"
    ]  # the rest on hover or focus
    assert len(many) == 90
    assert 'width="100%" height="84"' in str(
        histogram([HistogramBucket(start="2021", count=1)], "year", lambda b: None)
    )


# --- campaign names suggested -------------------------------------------------------------------


def suggested(client: TestClient) -> list[dict[str, Any]]:
    response = client.get("/suggestions/campaigns.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "max-age=60"  # fetched once, not per page
    return list(response.json())


@pytest.mark.parametrize("path", ["/", "/articles/art-1", "/campaigns", "/no-such-page"])
def test_every_search_box_offers_campaign_names_in_both_scripts(
    client: TestClient, path: str
) -> None:
    html = client.get(path).text
    assert 'data-suggest="/suggestions/campaigns.json"' in html
    assert "Jingwang" not in html  # the page no longer carries the whole list
    names = {str(s["c"]): s for s in suggested(client)}
    ci = names[CI]
    assert ci["z"] == "净网2021" and ci["k"] == 4
    assert {"净网2021", "淨網2021", "Jingwang 2021", "Cleaning the Internet 2021"} <= set(ci["n"])
    # entries of the registry the index has not seen, in both scripts
    assert {"净网", "淨網", "Jingwang"} <= set(names["Clean Internet"]["n"])
    assert {"断卡", "斷卡"} <= set(names["Card Breaking"]["n"])
    assert "Clean Internet {year}" not in names  # a series is offered by its years seen


def test_a_campaign_name_with_markup_is_data_not_markup(client: TestClient) -> None:
    assert "<Operation>" in [s["c"] for s in suggested(client)]
    response = client.get("/suggestions/campaigns.json")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_no_page_asks_the_index_for_suggestions_on_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = EmbeddedIndex(tmp_path / "index.db")
    index.upsert_many(reading_corpus(NOW))
    asked: list[bool] = []  # for each facet query of the whole index: on the event loop?
    search = index.search

    def watched(request: Any) -> Any:
        if request.size == 0:
            try:
                asyncio.get_running_loop()
                asked.append(True)
            except RuntimeError:
                asked.append(False)
        return search(request)

    monkeypatch.setattr(index, "search", watched)
    monkeypatch.setattr(suggest, "REFRESH", 0.0)  # every request would refresh the list
    saved = SqliteSavedSearches(tmp_path / "saved.db")
    with TestClient(create_app(index, saved=saved)) as c:
        for path in ("/saved", "/no-such-page", "/saved/" + "0" * 32 + "/delete"):
            c.get(path)
        assert asked == []  # pages render without it
        assert "Clean Internet 2021" in c.get("/suggestions/campaigns.json").text
    assert asked == [False]  # asked once, in a worker thread
    saved.close()
    index.close()


# --- the article page ---------------------------------------------------------------------------


def test_each_figure_and_campaign_links_to_its_words_in_the_text(client: TestClient) -> None:
    doc = long_article()
    fig = doc.extraction.figures[0]
    mention = doc.extraction.campaigns[0]
    html = client.get(f"/articles/{LONG_ID}").text
    assert (
        f'<mark class="fig" id="fig-{fig.start}" title="1,234 cards seized">{LONG_FIGURE}</mark>'
        in html
    )
    assert f'<a href="#fig-{fig.start}">{LONG_FIGURE}</a>' in html
    assert f'<mark class="camp" id="camp-{mention.start}" title="campaign: {CI}">' in html
    jump = re.search(r'<a class="jump" href="#(camp-\d+)"[^>]*>(.*?)</a>', html)
    assert jump and jump.group(1) == f"camp-{mention.start}" and LONG_MENTION in jump.group(2)
    # every anchor is on the page once
    ids = re.findall(r'id="((?:fig|camp)-\d+)"', html)
    assert len(ids) == len(set(ids)) == 3


def test_hostile_text_and_offsets_are_escaped_and_never_fail(client: TestClient) -> None:
    r = client.get(f"/articles/{HOSTILE_ID}")
    assert r.status_code == 200
    html = r.text
    body = html.split('<div class="body">')[1]
    assert "<script>" not in body and "<i>" not in body and "<b>gang" not in html
    assert "&lt;script&gt;alert(9)&lt;/script&gt;" in body
    figs = hostile_article().extraction.figures
    arrested, cards, inner, crossing, missing, past = figs
    # the quote inside another is a mark inside its mark
    assert (
        f'<mark class="fig" id="fig-{arrested.start}" title="12 arrested">arrested '
        f'<mark class="fig" id="fig-{inner.start}" title="12 detained">12 &lt;i&gt;suspects' in body
    )
    # a quote crossing into another paragraph is marked up to the paragraph's end, anchor first
    assert (
        f'<mark class="fig" id="fig-{crossing.start}" title="40 phones seized">Fuzhou.</mark>'
        in body
    )
    assert f'id="fig-{cards.start}"' in body
    # a quote at offsets past the end is found where the text has it; one nowhere is not linked
    assert f'id="fig-{past.start}" title="40 phones seized">40 phones</mark>' in body
    assert f'href="#fig-{missing.start}"' not in html and "not in this text" in html
    # the campaign's wrong offsets: its mention found in the title, its name escaped
    assert 'id="camp-9999" title="campaign: &lt;Operation&gt;">Fraud</mark>' in html
    assert 'href="#camp-9999"' in html
    tags = re.findall(r"<(/?)mark\b", body.split("</div>")[0])
    assert tags.count("") == tags.count("/")  # every mark is closed
