"""A campaign's latest figures on every backend follow the standing rule of the campaign page:
national figures only, never one case's, a running total before a period figure, then the
newest announcement, then the larger value, per measure and unit."""

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from monitor.index.base import Index
from monitor.index.embedded import EmbeddedIndex
from monitor.models import EnrichedArticle, Figure, FigureKind
from tests.conftest import enrich, make_article

CAMPAIGN = "Kunlun 2022"


def _fig(
    value: float, measure: str, unit: str, kind: FigureKind, region: str | None = None
) -> Figure:
    return Figure(
        value=value,
        unit=unit,
        measure=measure,
        quote=f"{measure} {value:g} {unit}",
        start=int(value) % 1000,
        end=int(value) % 1000 + 5,
        region=region,
        campaign=CAMPAIGN,
        kind=kind,
    )


def _on(n: int, day: int, *figures: Figure) -> EnrichedArticle:
    return enrich(
        make_article(n, published=datetime(2022, 6, day, tzinfo=UTC)),
        campaigns=(CAMPAIGN,),
        figures=figures,
    )


def _latest(ix: Index) -> list[tuple[str, str, float, str]]:
    summary = ix.campaign(CAMPAIGN)
    assert summary is not None
    listed = {c.canonical: c for c in ix.campaigns()}[CAMPAIGN]
    assert listed.latest_figures == summary.latest_figures
    return [(f.measure, f.unit, f.value, f.kind) for f in summary.latest_figures]


def test_latest_figures_skip_cases_and_regions_and_prefer_running_totals(index: Index) -> None:
    index.upsert_many(
        [
            _on(
                1,
                1,
                _fig(500, "arrested", "people", "cumulative"),
                _fig(100, "seized", "yuan", "period"),
            ),
            # newer, but one case's figure and a region's running total
            _on(
                2,
                5,
                _fig(12, "arrested", "people", "case"),
                _fig(300, "seized", "yuan", "period"),
                _fig(50, "seized", "yuan", "period"),
            ),
            _on(
                3,
                9,
                _fig(900, "arrested", "people", "cumulative", region="Jiangsu"),
                _fig(40, "arrested", "people", "period"),
                _fig(3, "destroyed", "gangs", "case"),
            ),
        ]
    )
    assert _latest(index) == [
        ("arrested", "people", 500, "cumulative"),
        ("seized", "yuan", 300, "period"),
    ]


def test_a_newer_running_total_replaces_an_older_one_per_unit(index: Index) -> None:
    index.upsert_many(
        [
            _on(
                1, 1, _fig(500, "seized", "yuan", "cumulative"), _fig(7, "seized", "cars", "period")
            ),
            _on(2, 5, _fig(800, "seized", "yuan", "cumulative")),
        ]
    )
    assert _latest(index) == [
        ("seized", "cars", 7, "period"),
        ("seized", "yuan", 800, "cumulative"),
    ]


def test_a_figure_stored_before_kinds_counts_as_a_period_figure(tmp_path: Path) -> None:
    ix = EmbeddedIndex(tmp_path / "index.db")
    try:
        ix.upsert_many([_on(1, 1, _fig(60, "arrested", "people", "period"))])
        # the stored figure as written before figures had a kind
        with closing(sqlite3.connect(tmp_path / "index.db")) as conn, conn:
            conn.execute("UPDATE figures SET figure = json_remove(figure, '$.kind')")
        assert _latest(ix) == [("arrested", "people", 60, "period")]
    finally:
        ix.close()
