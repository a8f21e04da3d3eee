"""How the `monitor` command shows extractions and campaigns in a terminal: rich tables that
fit 80 columns, with figures worded as the web pages word them ("more than 17,000 arrested")."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from monitor.index.base import CampaignSummary
from monitor.models import Article, Extraction
from monitor.web.format import figure_amount, figure_label, measure_name

LATEST_FIGURES = 4  # per campaign: the table stays readable; --json has them all


def extraction_view(where: str, article: Article, extraction: Extraction) -> RenderableType:
    """One file's extraction: what it is about, then its figures with their quotes."""
    heading = Text(where, style="bold", no_wrap=True, overflow="ellipsis")
    title = Text(article.title or "(no title)", no_wrap=True, overflow="ellipsis")
    about = Table.grid(padding=(0, 2))
    about.add_column(style="dim", no_wrap=True)
    about.add_column(overflow="fold")
    about.add_row("campaigns", _campaigns(extraction) or "none found")
    about.add_row("agencies", ", ".join(extraction.agencies) or "none found")
    about.add_row("regions", ", ".join(extraction.regions) or "none found")
    if extraction.crime_types:
        about.add_row("crime types", ", ".join(extraction.crime_types))
    relevance = extraction.relevance
    about.add_row(
        "relevant",
        f"{'yes' if relevance.relevant else 'no'} (score {relevance.score:.2f})",
    )
    if not extraction.figures:
        return Group(heading, title, about, Text("no figures found", style="dim"), Text())
    figures = Table("value", "unit", "measure", "quote", box=box.SIMPLE_HEAD)
    figures.columns[0].no_wrap = True
    figures.columns[0].justify = "right"
    figures.columns[1].no_wrap = True
    figures.columns[2].no_wrap = True
    for figure in extraction.figures:
        figures.add_row(
            figure_amount(figure), figure.unit, measure_name(figure.measure), figure.quote
        )
    return Group(heading, title, about, figures, Text())


def _campaigns(extraction: Extraction) -> str:
    seen: dict[str, str] = {}
    for c in extraction.campaigns:
        if c.canonical in seen:
            continue
        written = f" (as “{c.mention}”)" if c.mention != c.canonical else ""
        seen[c.canonical] = f"{c.canonical}{written}{'' if c.known else ' [new]'}"
    return ", ".join(seen.values())


def campaigns_table(found: Sequence[CampaignSummary]) -> Table:
    """The campaigns seen so far; each figure on its own line so nothing breaks mid-word."""
    table = Table(
        "campaign", "first seen", "articles", "latest figures", show_lines=True, expand=True
    )
    # the figures get the room: a figure reads best on one line
    table.columns[0].ratio = 1
    table.columns[1].no_wrap = True
    table.columns[2].no_wrap = True
    table.columns[2].justify = "right"
    table.columns[3].ratio = 2
    for c in found:
        name = Text(c.canonical, style="bold")
        others = [m for m in c.mentions if m != c.canonical]
        if others:
            name.append("\n" + ", ".join(others), style="dim")
        figures = "\n".join(figure_label(f) for f in c.latest_figures[:LATEST_FIGURES])
        more = len(c.latest_figures) - LATEST_FIGURES
        if more > 0:
            figures += f"\n… {more} more (--json)"
        table.add_row(
            name,
            c.first_seen.strftime("%Y-%m-%d") if c.first_seen else "",
            f"{c.article_count:,}",
            figures,
        )
    return table
