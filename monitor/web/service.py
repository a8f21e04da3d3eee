"""What the API and the pages ask of the index, composed from its search/get/campaign methods:
searches whose facets stay clickable, a campaign with its articles and figures, figure tables."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from monitor.campaign_names import CampaignNames
from monitor.index.base import (
    Bucket,
    CampaignSummary,
    Hit,
    Index,
    Match,
    SearchRequest,
    SearchResult,
)
from monitor.models import Figure
from monitor.source_names import LEVELS, at_levels
from monitor.web.charts import line_budget
from monitor.web.figures import (
    ArticleRef,
    FiguresResult,
    ReportedFigure,
    article_ref,
    figures_of,
    group,
    scan,
)
from monitor.web.format import chinese_name
from monitor.web.timeline import Budget, Timeline, compare_years, measures, same_series, yearly
from monitor.web.totals import Total, region_scope, regions, standings, totals

#: The issuing levels top down: the order the level facet lists them in
_LADDER = {level: rank for rank, level in enumerate(LEVELS)}
#: Articles a campaign page reads; a campaign with more shows its newest ones and says so.
CAMPAIGN_ARTICLES = 2000


class Campaign(CampaignSummary):
    name_zh: str | None = None


class CampaignDetail(Campaign):
    articles: list[ArticleRef]
    articles_truncated: bool
    figures: list[ReportedFigure]
    # the scope of `totals`: a region's name, or None for national
    region: str | None = None
    totals: list[Total]


def search(
    index: Index,
    request: SearchRequest,
    names: CampaignNames | None = None,
    *,
    levels: tuple[str, ...] = (),
) -> SearchResult:
    """The index's search, with each filtered facet counted as if its own filter were off, so
    a reader who picked one campaign still sees the others to add (values of one facet are
    ORed, facets are ANDed). With `names`, a campaign's name in the query in either language
    and script also finds the articles tagged with that campaign. `levels` narrow to the
    articles issued at those levels, and the `level` facet counts the articles per level, as
    indexed, listed down the issuing ladder (ministry, province, city, press)."""
    if names is not None:
        request = names.expand(request)
    chosen = at_levels(request.filters, levels)

    def counts(filters: dict[str, tuple[str, ...]]) -> dict[str, list[Bucket]]:
        update = {"filters": filters, "page": 1, "size": 0, "histogram": None}
        return index.search(request.model_copy(update=update)).facets

    result = index.search(request.model_copy(update={"filters": chosen}))
    if not request.facets:
        return result
    facets: dict[str, list[Bucket]] = dict(result.facets)
    for field, values in chosen.items():
        if values:
            others = {k: v for k, v in chosen.items() if k != field}
            facets[field] = counts(others).get(field, [])
    if "level" in facets:  # down the issuing ladder, not by count
        facets["level"] = sorted(facets["level"], key=lambda b: _LADDER.get(b.key, len(_LADDER)))
    return result.model_copy(update={"facets": facets})


def matches(
    index: Index,
    request: SearchRequest,
    names: CampaignNames,
    *,
    levels: tuple[str, ...] = (),
) -> Iterator[list[Match]]:
    """Every article `search` would match, in batches, newest first: the same campaign names
    and issuing levels, no page."""
    request = names.expand(request)
    return index.matches(request.model_copy(update={"filters": at_levels(request.filters, levels)}))


def campaign_list(index: Index) -> list[Campaign]:
    return [Campaign(**c.model_dump(), name_zh=chinese_name(c.mentions)) for c in index.campaigns()]


@dataclass(frozen=True, slots=True)
class _Read:
    summary: CampaignSummary
    hits: list[Hit]  # newest first, up to CAMPAIGN_ARTICLES
    truncated: bool
    reports: list[tuple[Figure, Hit]]  # the figures of the campaign in them


def _read(index: Index, name: str, names: CampaignNames) -> _Read | None:
    """The campaign `name` stands for (its canonical name, an alias, a spelling seen under it,
    in either script) and its articles, newest first, up to CAMPAIGN_ARTICLES."""
    summary = names.find(index, name)
    if summary is None:
        return None
    hits, truncated = scan(
        index, SearchRequest(filters={"campaign": (summary.canonical,)}), CAMPAIGN_ARTICLES
    )
    reports = list(figures_of(hits, campaigns=(summary.canonical,)))
    return _Read(summary, hits, truncated, reports)


def _detail(read: _Read, region: str | None, newest: int | None = None) -> CampaignDetail:
    summary, reports = read.summary, read.reports
    standing = totals(reports, region)
    return CampaignDetail(
        **summary.model_dump(exclude={"latest_figures"}),
        # the national standing, as the page's totals take it: the index's latest figure of
        # each measure may be one case, or a region's
        latest_figures=[fig for fig, _ in standings(reports)],
        name_zh=chinese_name(summary.mentions),
        articles=[article_ref(h) for h in read.hits],
        articles_truncated=read.truncated,
        figures=group(reports, newest),
        # as the figures spell it, whatever case the reader typed
        region=next((t.region for t in standing if t.region), region),
        totals=standing,
    )


def campaign_detail(
    index: Index, name: str, names: CampaignNames, region: str | None = None
) -> CampaignDetail | None:
    """The campaign `name` stands for, shown under its canonical name, with where it stands
    nationally (or in `region`). BadInput when `region` cannot be a region's name."""
    scope = region_scope(region)
    found = _read(index, name, names)
    return _detail(found, scope) if found is not None else None


def _year_reports(index: Index, canonical: str) -> list[tuple[Figure, Hit]]:
    """The national figures (not one case) of another year of a series: all a comparison of
    years draws. Read from the index's plain list of matches, which skips the snippets and
    scores of a search, and only those figures are made into objects."""
    batches = index.matches(SearchRequest(filters={"campaign": (canonical,)}))
    reports = []
    for match in islice((m for batch in batches for m in batch), CAMPAIGN_ARTICLES):
        wanted = [
            f
            for f in match.figures
            if f.get("campaign") == canonical and not f.get("region") and f.get("kind") != "case"
        ]
        if not wanted:
            continue
        # as the index stored them, from articles it validated; only these fields are read
        hit = Hit.model_construct(
            id=match.id,
            title=match.title,
            url=match.url,
            source=match.source,
            source_id=match.source_id,
            lang=match.lang,
            published_at=datetime.fromisoformat(match.published.replace("Z", "+00:00")),
        )
        reports += [(Figure.model_validate(f), hit) for f in wanted]
    return reports


def _timeline(
    index: Index, read: _Read, region: str | None, budget: Budget | None = None
) -> Timeline:
    summary, own = read.summary, read.reports
    found = measures(own, region, budget)
    if region is not None:  # as the figures spell it, whatever case the reader typed
        region = next((s.region for m in found for s in m.series if s.region), region)
    timeline = Timeline(
        campaign=summary.canonical,
        region=region,
        articles_read=len(read.hits),
        truncated=read.truncated,
        measures=found,
    )
    years = same_series(summary.canonical, index.campaign_known)
    if not years:
        return timeline
    reports = []
    for year, canonical in years:
        if canonical == summary.canonical:
            reports.append((year, canonical, own))
            continue
        reports.append((year, canonical, _year_reports(index, canonical)))
    series = yearly(summary.canonical)
    assert series is not None  # same_series found years of it
    return timeline.model_copy(update={"years": compare_years(series[0], reports, budget)})


def campaign_timeline(
    index: Index, name: str, names: CampaignNames, region: str | None = None
) -> Timeline | None:
    """The campaign's figures over time, per measure and scope (only `region`'s with one), and,
    for a yearly series, its years compared. BadInput when `region` cannot be a region's name."""
    scope = region_scope(region)
    found = _read(index, name, names)
    return _timeline(index, found, scope) if found is not None else None


@dataclass(frozen=True, slots=True)
class CampaignView:
    """What the campaign page shows: the detail with only the figures it lists, how many
    distinct figures there are in all, the timeline of its scope with only the points its
    charts draw (the JSON has them all), and every region with a standing of its own."""

    detail: CampaignDetail
    figure_count: int
    timeline: Timeline
    regions: list[str]


def campaign_view(
    index: Index,
    name: str,
    names: CampaignNames,
    region: str | None = None,
    newest_figures: int = 100,
) -> CampaignView | None:
    """What the campaign page shows, from one read of its articles: the detail with its totals
    in `region` (else national) and its `newest_figures` figures first reported most recently,
    the timeline of `region` alone (its line has the chart to itself) or else of every scope,
    and the regions a reader can choose."""
    scope = region_scope(region)
    found = _read(index, name, names)
    if found is None:
        return None
    count = len({(f.campaign, f.measure, f.unit, f.value, f.region) for f, _ in found.reports})
    return CampaignView(
        detail=_detail(found, scope, newest_figures),
        figure_count=count,
        timeline=_timeline(index, found, scope, line_budget),
        regions=regions(found.reports),
    )


def figures(
    index: Index,
    *,
    query: str = "",
    filters: dict[str, tuple[str, ...]],
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> FiguresResult:
    """Distinct figures of the matching announcements. Campaign, measure and region filter the
    figures themselves, not only the articles that carry them."""
    request = SearchRequest(query=query, filters=filters, date_from=date_from, date_to=date_to)
    hits, truncated = scan(index, request)
    found = group(
        figures_of(
            hits,
            campaigns=filters.get("campaign", ()),
            measures=filters.get("measure", ()),
            regions=filters.get("region", ()),
        )
    )
    return FiguresResult(
        total=len(found), articles_read=len(hits), truncated=truncated, figures=found
    )
