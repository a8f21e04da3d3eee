"""Which rules an enriched article matches: new campaigns, saved searches evaluated in
memory against the parsed query tree, and figures over a threshold."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from monitor import issuer
from monitor.alerts.rules import (
    AnyRule,
    FigureRule,
    NewCampaignRule,
    QueryRule,
    SavedSearchRule,
)
from monitor.index.base import facet_values, field_values
from monitor.index.highlight import fold
from monitor.index.query import And, Node, Not, Or, Term, parse, with_campaigns
from monitor.models import EnrichedArticle
from monitor.presets import preset_since

# The same tokens the embedded index makes: each CJK character its own token, other
# text unicode61-like words, case and diacritics folded.
_CJK = re.compile(
    r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002ffff])"
)
_WORD = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", fold(text).lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WORD.findall(_CJK.sub(r" \1 ", unicodedata.normalize("NFC", plain)))


@dataclass(frozen=True, slots=True)
class Match:
    """One rule matched one article. `campaign` is set for new-campaign matches (the
    alert is about the campaign); `reason` says in words why it matched."""

    rule: AnyRule
    article: EnrichedArticle
    campaign: str | None = None
    reason: str = ""


#: The texts of a query that name a known campaign -> its canonical names (the web app's
#: `CampaignNames.named_in`).
CampaignNamesIn = Callable[[str], Mapping[str, tuple[str, ...]]]


class Matcher:
    """Built once from the rules (queries parsed once); `matches(article)` is pure but for
    `now`, the clock a saved search's preset counts back from."""

    def __init__(
        self,
        rules: Sequence[AnyRule],
        campaign_names: CampaignNamesIn | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.rules = [r for r in rules if r.enabled and r.to]
        self.now = now
        self._trees: dict[str, Node | None] = {}
        for r in self.rules:
            if isinstance(r, QueryRule):
                tree = parse(r.query)
                if isinstance(r, SavedSearchRule) and campaign_names is not None and r.query:
                    # as the search page reads it: a campaign's name also finds its articles
                    tree = with_campaigns(tree, campaign_names(r.query))
                self._trees[r.name] = tree

    def matches(self, doc: EnrichedArticle) -> list[Match]:
        found: list[Match] = []
        relevant = doc.extraction.relevance.relevant
        for rule in self.rules:
            if not relevant and not rule.include_irrelevant:
                continue
            if isinstance(rule, NewCampaignRule):
                for name in _new_campaigns(doc):
                    found.append(Match(rule, doc, name, f"new campaign {name}"))
            elif isinstance(rule, QueryRule):
                if isinstance(rule, SavedSearchRule) and not self._in_scope(rule, doc):
                    continue
                if _query_matches(self._trees[rule.name], rule, doc):
                    found.append(Match(rule, doc, None, rule.describe()))
            elif isinstance(rule, FigureRule):
                reason = _figure_reason(rule, doc)
                if reason:
                    found.append(Match(rule, doc, None, reason))
        return found

    def _in_scope(self, rule: SavedSearchRule, doc: EnrichedArticle) -> bool:
        """The saved search's dates and issuing levels, read as the search page reads them (the
        article's issuing level: `monitor.issuer`); a preset's dates as they are when the
        article is matched (a "last 7 days" search is told of a late-found article only if it
        was published in the seven days to now)."""
        when = doc.published_at or doc.fetched_at
        if (rule.date_from and when < rule.date_from) or (rule.date_to and when > rule.date_to):
            return False
        if rule.preset and when < preset_since(rule.preset, self.now()):
            return False
        return not rule.levels or issuer.of(doc) in rule.levels


def _new_campaigns(doc: EnrichedArticle) -> list[str]:
    # An operation led by foreign police or an international body (INTERPOL, Europol) is
    # not a new Chinese campaign, even when Chinese police took part in it.
    if not doc.extraction.relevance.about_chinese_police:
        return []
    seen: dict[str, str] = {}
    for mention in doc.extraction.campaigns:
        if not mention.known:
            seen.setdefault(mention.canonical.casefold(), mention.canonical)
    return list(seen.values())


def _query_matches(tree: Node | None, rule: QueryRule, doc: EnrichedArticle) -> bool:
    facets = facet_values(doc)
    for field, wanted in rule.filters.items():
        if wanted and not facets[field] & set(wanted):
            return False
    if tree is None:
        return True
    columns = {
        "title": tokens(doc.title),
        "body": tokens(doc.body or doc.summary),
        **{name: tokens(" ; ".join(sorted(values))) for name, values in field_values(doc).items()},
    }
    return _eval(tree, columns)


def _eval(node: Node, columns: dict[str, list[str]]) -> bool:
    if isinstance(node, Term):
        wanted = tokens(node.text)
        where = [columns[node.field]] if node.field else list(columns.values())
        return bool(wanted) and any(_contains(col, wanted, node.prefix) for col in where)
    if isinstance(node, Not):
        return not _eval(node.item, columns)
    if isinstance(node, And):
        return all(_eval(item, columns) for item in node.items)
    if isinstance(node, Or):
        return any(_eval(item, columns) for item in node.items)
    return False  # pragma: no cover - the parser makes nothing else


def _contains(column: list[str], phrase: list[str], prefix: bool) -> bool:
    n = len(phrase)
    for i in range(len(column) - n + 1):
        if column[i : i + n - 1] == phrase[:-1]:
            last = column[i + n - 1]
            if last == phrase[-1] or (prefix and last.startswith(phrase[-1])):
                return True
    return False


def _figure_reason(rule: FigureRule, doc: EnrichedArticle) -> str:
    for fig in doc.extraction.figures:
        if fig.measure != rule.measure or fig.value < rule.at_least:
            continue
        if rule.unit and fig.unit.casefold() != rule.unit.casefold():
            continue
        if rule.campaign:
            named = {c.canonical.casefold() for c in doc.extraction.campaigns}
            if (fig.campaign or "").casefold() != rule.campaign.casefold() and (
                fig.campaign or rule.campaign.casefold() not in named
            ):
                continue
        return f"{fig.measure} {fig.value:,.0f} {fig.unit} ≥ {rule.at_least:,.0f}"
    return ""
