"""The JSON API: search, articles, campaigns and figures (JSON or CSV), described by the OpenAPI
document at /openapi.json."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel

from monitor.campaign_names import CampaignNames
from monitor.errors import QuerySyntaxError, TransientError
from monitor.index.base import Index, SearchResult
from monitor.index.selection import MAX_QUERY, PAGES, SIZES, SORTS, BadInput, search_request, select
from monitor.models import EnrichedArticle
from monitor.presets import PRESETS, choose
from monitor.source_names import LEVELS, SourceNames, at_levels, chosen_levels, labelled
from monitor.web import service
from monitor.web.export import MEDIA_TYPES, as_csv, as_jsonl, primed
from monitor.web.figures import FiguresResult, to_csv
from monitor.web.timeline import Timeline


class Problem(BaseModel):
    detail: str


ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": Problem, "description": "A parameter or the query is wrong; `detail` says how"},
    503: {"model": Problem, "description": "The index is unavailable; try again"},
}
NOT_FOUND: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "Not found"}
}

Campaigns = Annotated[list[str] | None, Query(description="canonical campaign name; repeat to OR")]
Measures = Annotated[list[str] | None, Query(description="arrested, cases_solved...; repeat: OR")]
Regions = Annotated[list[str] | None, Query(description="province or city; repeat to OR")]
Languages = Annotated[list[str] | None, Query(description="en or zh")]
Agencies = Annotated[
    list[str] | None, Query(description="agency, e.g. Ministry of Public Security; repeat to OR")
]
Sources = Annotated[
    list[str] | None,
    Query(description="source id of the sources file (a facet key; its label is the name); repeat"),
]
ChinesePolice = Annotated[
    list[str] | None,
    Query(
        description="true: operations of Chinese police; false: operations led by foreign "
        "police or an international body (INTERPOL, Europol), whoever took part",
        json_schema_extra={"items": {"type": "string", "enum": ["true", "false"]}},
    ),
]
Levels = Annotated[
    list[str] | None,
    Query(
        description="the article's issuing level: its source's declared level, or else the "
        "first mainland public-security body its text names; repeat to OR",
        json_schema_extra={"items": {"type": "string", "enum": list(LEVELS)}},
    ),
]
CrimeTypes = Annotated[
    list[str] | None, Query(description="crime type, e.g. telecom fraud; repeat to OR")
]
CampaignName = Annotated[
    str,
    Path(
        description="canonical name or any alias, in either script: 净网2021; a yearly series'"
        " name without its year (净网, Clean Internet) is its latest year seen"
    ),
]
Scope = Annotated[
    str | None,
    Query(
        description="a region's name (as in figures' region): its figures instead of the "
        "national ones; a region with none gives none",
        max_length=100,
    ),
]
FROM = "2021-03-01 or an ISO 8601 time"
TO = "inclusive; a date means its whole day"
PRESET = (
    "24h (the last 24 hours), 7d (today and the 6 days before), 30d, year (since 1 January),"
    " in UTC, when asked; date_from and date_to other than its own replace it"
)
QUERY_HELP = (
    'words, "phrases", AND / OR / NOT (or -word), (grouping), field:value with fields '
    f"title, body, campaign, region, agency, source, crime_type, measure, lang; at most {MAX_QUERY}"
    " characters"
)


def _integer(description: str, bounds: tuple[int, int], default: int) -> Any:
    # Taken as text and checked by monitor.index.selection, so a wrong value gets the same
    # message here as on the pages and in the CLI; documented as the integer it must be.
    schema = {"type": "integer", "minimum": bounds[0], "maximum": bounds[1], "default": default}
    return Query(description=description, json_schema_extra=schema)


Page = Annotated[str | None, _integer("page of results, from 1", PAGES, 1)]
Size = Annotated[str | None, _integer("results per page (0: only counts and facets)", SIZES, 20)]
Sort = Annotated[
    str | None,
    Query(
        description="relevance (the default) or date (newest first)",
        json_schema_extra={"type": "string", "enum": list(SORTS), "default": SORTS[0]},
    ),
]


@dataclass(frozen=True, slots=True)
class Chosen:
    """What search and figures both select by, as sent: the query, the filters, the dates (a
    preset's written out)."""

    q: str
    filters: dict[str, list[str] | None]
    date_from: str | None
    date_to: str | None
    levels: list[str] | None = None


def selection(
    q: Annotated[str, Query(description=QUERY_HELP)] = "",
    campaign: Campaigns = None,
    measure: Measures = None,
    region: Regions = None,
    agency: Agencies = None,
    source: Sources = None,
    lang: Languages = None,
    crime_type: CrimeTypes = None,
    chinese_police: ChinesePolice = None,
    level: Levels = None,
    date_from: Annotated[str | None, Query(description=FROM)] = None,
    date_to: Annotated[str | None, Query(description=TO)] = None,
    preset: Annotated[
        str | None,
        Query(description=PRESET, json_schema_extra={"type": "string", "enum": list(PRESETS)}),
    ] = None,
) -> Chosen:
    filters = {
        "campaign": campaign,
        "measure": measure,
        "region": region,
        "agency": agency,
        "source": source,
        "lang": lang,
        "crime_type": crime_type,
        "chinese_police": chinese_police,
    }
    dates = _call("bad request", choose, preset, date_from, date_to, datetime.now(UTC))
    return Chosen(q, filters, dates.date_from or None, dates.date_to or None, level)


def _call(what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`fn(...)`, with a reader's mistakes as 400 and an index away as 503."""
    try:
        return fn(*args, **kwargs)
    except (BadInput, QuerySyntaxError) as exc:
        raise HTTPException(400, detail=f"{what}: {exc}") from None
    except TransientError as exc:
        raise HTTPException(503, detail=str(exc)) from None


def api_router(index: Index, names: CampaignNames, sources: SourceNames) -> APIRouter:
    api = APIRouter(prefix="/api", responses=ERRORS)

    @api.get(
        "/search",
        response_model=SearchResult,
        tags=["search"],
        responses={
            200: {
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/x-ndjson": {"schema": {"type": "string"}},
                },
                "description": "JSON; with format=csv or format=jsonl, every matching"
                " announcement (not one page), newest first, streamed",
            }
        },
    )
    def search(
        chosen: Annotated[Chosen, Depends(selection)],
        sort: Sort = None,
        page: Page = None,
        size: Size = None,
        include_irrelevant: Annotated[
            bool, Query(description="include announcements judged not about police work")
        ] = False,
        format: Annotated[
            Literal["json", "csv", "jsonl"],
            Query(
                description="csv (spreadsheets) or jsonl (one JSON object a line): every match,"
                " newest first: id, url, title, source, source_id, published, lang, campaigns,"
                " figures (page, size and sort do not apply)"
            ),
        ] = "json",
    ) -> SearchResult | Response:
        """Announcements matching the query and filters (values of one filter are ORed, filters
        ANDed), with highlighted snippets, facet counts for every filter and a date histogram.
        A campaign's name in the query, in either language and script, also finds the
        announcements tagged with that campaign (净网2021 finds "Clean Internet 2021")."""
        request = _call(
            "bad request",
            search_request,
            chosen.q,
            chosen.filters,
            chosen.date_from,
            chosen.date_to,
            sort,
            page,
            size,
            include_irrelevant,
        )
        levels = _call("bad request", chosen_levels, chosen.levels)
        if format != "json":
            batches = _call(
                "bad query",
                lambda: primed(service.matches(index, request, names, levels=levels)),
            )
            write = as_csv if format == "csv" else as_jsonl
            return StreamingResponse(
                write(batches),
                media_type=MEDIA_TYPES[format],
                headers={"Content-Disposition": f'attachment; filename="announcements.{format}"'},
            )
        found = _call("bad query", service.search, index, request, names, levels=levels)
        return labelled(found, sources)

    @api.get(
        "/articles/{article_id}",
        response_model=EnrichedArticle,
        tags=["articles"],
        responses=NOT_FOUND,
    )
    def article(
        article_id: Annotated[str, Path(description="the article's id, as in search hits")],
    ) -> EnrichedArticle:
        """One announcement with everything extracted from it."""
        doc = _call("bad request", index.get, article_id)
        if doc is None:
            raise HTTPException(404, detail=f"no article with id {article_id!r}")
        return doc

    @api.get("/campaigns", response_model=list[service.Campaign], tags=["campaigns"])
    def campaigns() -> list[service.Campaign]:
        """Every campaign seen, newest first: names, first seen, article count, latest figures."""
        return _call("bad request", service.campaign_list, index)

    # before the campaign's own route, whose name may hold a slash and would take "/timeline"
    @api.get(
        "/campaigns/{name:path}/timeline",
        response_model=Timeline,
        tags=["campaigns"],
        responses=NOT_FOUND,
    )
    def campaign_timeline(name: CampaignName, region: Scope = None) -> Timeline:
        """The campaign's figures over time: per measure, one series per scope (national, then
        each region) of the values as first reported, each point with the announcement (id,
        url, title, quote, kind) and a link to its sentence. A series' line joins its running
        totals (kind cumulative), or its period figures where it reported no running total; case
        figures are points off the line. For a yearly campaign (净网2019, 净网2020 ...) `years`
        compares each year's national line by day of the campaign year; asked for by the
        series' name without a year (净网, Clean Internet), the timeline is its latest year's
        and `years.campaigns` lists the years."""
        found = _call("bad request", service.campaign_timeline, index, name, names, region)
        if found is None:
            raise HTTPException(404, detail=f"no campaign named {name!r}")
        return found

    @api.get(
        "/campaigns/{name:path}",
        response_model=service.CampaignDetail,
        tags=["campaigns"],
        responses=NOT_FOUND,
    )
    def campaign(name: CampaignName, region: Scope = None) -> service.CampaignDetail:
        """A campaign, by its canonical name or any alias (净网2021, 淨網2021): first seen,
        sources, its articles, every figure reported under it over time (each distinct figure
        once, with all the announcements that reported it), and `totals`: where it stands on
        each measure, nationally or in `region`. A total is the latest running total reported
        in that scope (kind cumulative), never a sum; where no running total was reported, the
        latest period figure (kind period); a case figure never stands for the campaign.
        `latest_figures` are the national totals' figures, whatever `region`. A yearly series'
        name without its year (净网, 淨網, Clean Internet) answers with its latest year seen
        (`canonical` says which; its timeline's `years` lists the others)."""
        found = _call("bad request", service.campaign_detail, index, name, names, region)
        if found is None:
            raise HTTPException(404, detail=f"no campaign named {name!r}")
        return found

    @api.get(
        "/figures",
        response_model=FiguresResult,
        tags=["figures"],
        responses={
            200: {
                "content": {"text/csv": {"schema": {"type": "string"}}},
                "description": "JSON, or CSV (UTF-8 with BOM) when format=csv",
            }
        },
    )
    def figures(
        chosen: Annotated[Chosen, Depends(selection)],
        format: Annotated[
            Literal["json", "csv"], Query(description="csv for spreadsheets")
        ] = "json",
    ) -> FiguresResult | Response:
        """Distinct figures of the matching announcements, each with every report of it. Figures
        are as reported (often running totals): they are never added up."""
        checked = _call(
            "bad request", select, chosen.q, chosen.filters, chosen.date_from, chosen.date_to
        )
        levels = _call("bad request", chosen_levels, chosen.levels)
        result: FiguresResult = _call(
            "bad query",
            service.figures,
            index,
            query=checked.query,
            filters=at_levels(checked.filters, levels),
            date_from=checked.date_from,
            date_to=checked.date_to,
        )
        if format == "csv":
            return Response(
                to_csv(result.figures),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="figures.csv"'},
            )
        return result

    return api
