"""Announcements for the reading aids of the search and article pages: the web corpus, a few
published in the last hours, days and weeks (for the date presets), a long article whose figure
and campaign stand far below the fold, and one whose extraction's offsets are hostile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.models import CampaignMention, EnrichedArticle, Extraction, Figure, Relevance
from tests.conftest import make_article
from tests.web.conftest import CI, corpus

#: Hours before now each recent announcement was published (id art-30 ...).
RECENT_HOURS = (2, 3 * 24, 20 * 24, 100 * 24)
LONG_ID = "art-40"
HOSTILE_ID = "art-41"
LONG_FIGURE = "seized 1,234 phone cards"
LONG_MENTION = "净网2021"


def _enriched(
    n: int,
    title: str,
    body: str,
    published: datetime,
    figures: tuple[Figure, ...] = (),
    campaigns: tuple[CampaignMention, ...] = (),
) -> EnrichedArticle:
    art = make_article(n, title=title, body=body, published=published)
    return EnrichedArticle.of(
        art,
        Extraction(
            extractor_version="test-1",
            campaigns=campaigns,
            figures=figures,
            relevance=Relevance(score=1.0, relevant=True, about_chinese_police=True),
        ),
    )


def _figure(text: str, quote: str, value: float, unit: str = "people", **kw: object) -> Figure:
    start = text.index(quote)
    return Figure(
        value=value,
        unit=unit,
        measure=str(kw.pop("measure", "arrested")),
        quote=quote,
        start=start,
        end=start + len(quote),
        **kw,  # type: ignore[arg-type]
    )


def recent(now: datetime) -> list[EnrichedArticle]:
    return [
        _enriched(
            30 + i,
            f"Recent telecom fraud bulletin {i}",
            f"Police in Shanghai broke up telecom fraud ring number {i}.",
            now - timedelta(hours=hours),
        )
        for i, hours in enumerate(RECENT_HOURS)
    ]


def long_article() -> EnrichedArticle:
    filler = [
        f"Paragraph {i}: the provincial department reviewed its work on telecom fraud, "
        "visited banks and schools, and reminded residents never to transfer money to strangers."
        for i in range(1, 41)
    ]
    body = "\n".join(
        [
            *filler,
            f"Under the {LONG_MENTION} campaign, officers {LONG_FIGURE} and closed 56 websites.",
            "The campaign continues.",
        ]
    )
    title = "Jiangsu police report on a year of work"
    text = f"{title}\n\n{body}"
    start = text.index(LONG_MENTION)
    return _enriched(
        40,
        title,
        body,
        datetime(2021, 7, 15, 8, tzinfo=UTC),
        figures=(
            _figure(text, LONG_FIGURE, 1234, "cards", measure="other:cards_seized", campaign=CI),
            _figure(text, "closed 56 websites", 56, "websites", measure="websites_closed"),
        ),
        campaigns=(
            CampaignMention(
                canonical=CI, mention=LONG_MENTION, start=start, end=start + len(LONG_MENTION)
            ),
        ),
    )


def hostile_article() -> EnrichedArticle:
    """Markup in the text and quotes, offsets past the end, negative, overlapping and crossing a
    paragraph, a mention whose offsets are wrong: the page shows what it can and never fails."""
    title = "Fraud <b>gang</b> broken"
    body = (
        "<script>alert(9)</script> Police arrested 12 <i>suspects</i> in Fuzhou.\n"
        "They seized 300 cards and 40 phones."
    )
    text = f"{title}\n\n{body}"
    arrested = _figure(text, "arrested 12 <i>suspects</i>", 12)
    cards = _figure(text, "seized 300 cards", 300, "cards", measure="other:cards_seized")
    crossing = text.index("Fuzhou.")
    return _enriched(
        41,
        title,
        body,
        datetime(2021, 8, 1, 8, tzinfo=UTC),
        figures=(
            arrested,
            cards,
            # inside the quote before, and crossing into it from outside
            Figure(
                value=12,
                unit="people",
                measure="detained",
                quote="12 <i>suspects</i>",
                start=arrested.start + 9,
                end=arrested.end,
            ),
            Figure(
                value=40,
                unit="devices",
                measure="other:phones_seized",
                quote="Fuzhou.\nThey seized",
                start=crossing,
                end=crossing + 19,
            ),
            Figure(
                value=5,
                unit="people",
                measure="arrested",
                quote="not in this text",
                start=-5,
                end=10**6,
            ),
            Figure(
                value=40,
                unit="devices",
                measure="other:phones_seized",
                quote="40 phones",
                start=10**6,
                end=10**6 + 9,
            ),
        ),
        campaigns=(
            CampaignMention(canonical="<Operation>", mention="Fraud", start=9_999, end=10_004),
        ),
    )


def reading_corpus(now: datetime) -> list[EnrichedArticle]:
    return [*corpus(), *recent(now), long_article(), hostile_article()]
