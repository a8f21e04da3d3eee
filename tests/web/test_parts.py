"""The web app's pure parts: figure wording, quote marking with odd offsets, histogram buckets,
figure grouping and CSV cells."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from monitor.index.base import HistogramBucket, Hit
from monitor.index.selection import BadInput, parse_date
from monitor.models import Figure
from monitor.web.article_view import article_view
from monitor.web.charts import nice_ceiling
from monitor.web.figures import group, to_csv
from monitor.web.format import chinese_name, figure_label, safe_url
from monitor.web.pages import bucket_range, fill_gaps
from tests.conftest import enrich, make_article


def fig(
    value: float,
    measure: str = "arrested",
    unit: str = "people",
    quote: str = "q",
    start: int = 0,
    end: int = 1,
    **kw: object,
) -> Figure:
    return Figure(value=value, unit=unit, measure=measure, quote=quote, start=start, end=end, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("figure", "label"),
    [
        (fig(17000), "17,000 arrested"),
        (fig(6000, "cases_solved", "cases", approx="more_than"), "more than 6,000 cases solved"),
        (fig(2.99e9, "money_seized", "CNY"), "2.99 billion yuan seized"),
        (fig(35, "decline_percent", "percent"), "35% decline"),
        (fig(20.8, "information_removed", "items", approx="about"), "about 20.8 items removed"),
        (fig(1200, "other:cards_seized", "cards"), "1,200 cards seized"),
        (fig(2.995e9, "money_seized", "CNY"), "2.995 billion yuan seized"),
        (fig(1.2345678e7, "money_involved", "CNY"), "12.345678 million yuan involved"),
        (fig(2.5e13, "money_involved", "CNY"), "25 trillion yuan involved"),
        (fig(12.125, "decline_percent", "percent"), "12.125% decline"),
        (fig(2000, approx="about", quote="抓获近2000名"), "nearly 2,000 arrested"),
        (fig(2000, approx="about", quote="将近两千人"), "nearly 2,000 arrested"),
        (fig(2000, approx="about", quote="nearly 2,000 suspects"), "nearly 2,000 arrested"),
        (fig(2000, approx="less_than", quote="抓获近2000名"), "nearly 2,000 arrested"),
        (fig(2000, approx="about", quote="约2000名"), "about 2,000 arrested"),
        (fig(300, approx="less_than", quote="不到300名"), "under 300 arrested"),
        (fig(300, approx="less_than", quote="最近抓获不到300名"), "under 300 arrested"),
    ],
)
def test_figure_labels(figure: Figure, label: str) -> None:
    assert figure_label(figure) == label


def test_quotes_are_marked_even_when_offsets_are_off_or_overlap() -> None:
    art = make_article(
        1,
        title="Police arrested 5 <suspects>",
        body="They seized 3 phones.\nLater they seized 3 phones and 2 cars.",
    )
    text = art.text
    good = text.index("seized 3 phones")
    doc = enrich(
        art,
        figures=(
            fig(5, quote="arrested 5 <suspects>", start=7, end=28),  # in the title
            fig(
                3,
                "other:devices_seized",
                "devices",
                quote="seized 3 phones",
                start=good,
                end=good + 15,
            ),
            fig(
                3,
                "other:devices_seized",
                "devices",
                quote="3 phones",
                start=good + 7,
                end=good + 15,
            ),  # inside the previous quote
            fig(2, "other:cars_seized", "devices", quote="2 cars", start=0, end=3),  # wrong offsets
            fig(9, quote="not in the text", start=0, end=5),
        ),
    )
    view = article_view(doc)
    assert str(view.title_html) == (
        'Police <mark class="fig" id="fig-7" title="5 arrested">arrested 5 &lt;suspects&gt;</mark>'
    )
    assert [str(p) for p in view.paragraphs] == [
        f'They <mark class="fig" id="fig-{good}" title="3 devices seized">seized '
        f'<mark class="fig" id="fig-{good + 7}" title="3 devices seized">3 phones</mark></mark>.',
        # its offsets were wrong, its quote found: the anchor is still the offset others link to
        'Later they seized 3 phones and <mark class="fig" id="fig-0" title="2 cars seized">'
        "2 cars</mark>.",
    ]
    assert [row.anchor for row in view.rows] == [
        "fig-7",
        f"fig-{good}",
        f"fig-{good + 7}",
        "fig-0",
        None,
    ]


def test_histogram_buckets_become_date_ranges() -> None:
    assert bucket_range("2021-03-05", "day") == (date(2021, 3, 5), date(2021, 3, 5))
    assert bucket_range("2021-02", "month") == (date(2021, 2, 1), date(2021, 2, 28))
    assert bucket_range("2021-12", "month") == (date(2021, 12, 1), date(2021, 12, 31))
    assert bucket_range("2021", "year") == (date(2021, 1, 1), date(2021, 12, 31))
    assert bucket_range("2021-W10", "week") == (date(2021, 3, 8), date(2021, 3, 14))
    assert bucket_range("2021-03-01T00:00:00Z", "month") == (date(2021, 3, 1), date(2021, 3, 31))
    assert bucket_range("soon", "month") is None
    filled = fill_gaps(
        [HistogramBucket(start="2021-11", count=2), HistogramBucket(start="2022-02", count=1)],
        "month",
    )
    assert [(b.start, b.count) for b in filled] == [
        ("2021-11", 2),
        ("2021-12", 0),
        ("2022-01", 0),
        ("2022-02", 1),
    ]


def _hit(n: int, day: int | None, figures: list[Figure]) -> Hit:
    return Hit(
        id=f"a{n}",
        title=f"t{n}",
        title_html="",
        snippet_html="",
        url="",
        source=f"s{n}",
        lang="en",
        published_at=datetime(2021, 1, day, tzinfo=UTC) if day else None,
        score=0,
        campaigns=[],
        figures=figures,
    )


def test_a_repeated_figure_is_one_figure_with_every_report() -> None:
    a, b = fig(100, campaign="X"), fig(100, campaign="X", approx="more_than")
    grown = fig(150, campaign="X")
    hits = [_hit(1, 9, [a, a]), _hit(2, 3, [b]), _hit(3, None, [a]), _hit(4, 20, [grown])]
    figures = group((f, h) for h in hits for f in h.figures)
    assert [(f.value, [r.article_id for r in f.reports]) for f in figures] == [
        (100, ["a2", "a1", "a3"]),
        (150, ["a4"]),
    ]
    assert figures[0].approx == "more_than"  # as first reported
    assert figures[0].first_reported == datetime(2021, 1, 3, tzinfo=UTC)
    assert figures[0].last_reported == datetime(2021, 1, 9, tzinfo=UTC)


def test_csv_cells_cannot_become_formulas() -> None:
    hits = [_hit(1, 1, [fig(1, quote="=cmd|' /C calc'!A0", campaign="+X", region="@Y")])]
    lines = to_csv(group((f, h) for h in hits for f in h.figures)).splitlines()
    assert lines[1].startswith("'+X,arrested,1,people,exact,'@Y,")
    assert lines[1].endswith(",'=cmd|' /C calc'!A0")


def test_small_helpers() -> None:
    assert nice_ceiling(26250) == 30000 and nice_ceiling(0) == 1 and nice_ceiling(7) == 8
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url("javascript:alert(1)") is None and safe_url("//evil") is None
    assert chinese_name(["Clean Internet 2021", "净网-2021", "净网2021"]) == "净网2021"
    assert parse_date("2021-03-01", "d", end=True) == datetime(
        2021, 3, 1, 23, 59, 59, 999999, tzinfo=UTC
    )
    assert parse_date("2021-03-01T08:00:00+08:00", "d") == datetime(2021, 3, 1, tzinfo=UTC)
    with pytest.raises(BadInput, match="between"):
        parse_date("0001-01-01", "d")
