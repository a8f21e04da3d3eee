"""Is this a public-security or enforcement announcement at all? A score and a yes/no.

Bilingual keywords (config/relevance.toml) plus what the extractor found (figures, campaigns,
agencies, crime types), combined in a logistic score; sport, weather and economy vocabulary
counts against.
"""

from __future__ import annotations

import math
import re
from typing import Final

from monitor.extract import gazetteer as gz
from monitor.extract.config import RelevanceConfig, load_relevance, resolve
from monitor.extract.keywords import Keywords, fold
from monitor.extract.text import bisect_left, bisect_right, has_cjk, note_cjk
from monitor.models import Relevance

# the words of config/relevance.toml, built into keyword lists on first use
_VOCABULARY: dict[str, Keywords[str]] = {}


def vocabulary() -> Keywords[str]:
    """What counts for (weak, strong) and against (negative) an enforcement announcement."""
    found = _VOCABULARY.get("default")
    if found is None:
        words = _config().words
        found = _VOCABULARY["default"] = Keywords(
            [
                *((w, "weak") for w in words.weak),
                *((w, "strong") for w in words.strong),
                *((w, "negative") for w in words.negative),
            ]
        )
    return found


_CONFIG: dict[str, RelevanceConfig] = {}


def _config() -> RelevanceConfig:
    found = _CONFIG.get("default")
    if found is None:
        found = _CONFIG["default"] = load_relevance(resolve(None, "relevance.toml"))
    return found


# Whose operation: foreign and international bodies (from config/agencies.toml), another
# country's police by name, and Chinese police (config/relevance.toml). An operation is
# foreign-led when a foreign body is named as leading it, or is named before any Chinese police
# body in the lead.

# an international body named by its meeting ("国际刑警组织周年大会", "INTERPOL General Assembly")
# hosts, it leads no operation
_MEETING: Final = re.compile(
    r"\s*(?:周年大会|大会|年会|会议|峰会|(?:General\s+)?Assembly|Conference|Summit)", re.IGNORECASE
)
_JOINT_REACH: Final = 60
_ALL: dict[str, Keywords[str]] = {}
# whose operation it is is said in the headline and the first paragraph
_LEAD: Final = 1200
_POLICE_BODY: Final = re.compile(
    r"Public Security|Police|Criminal|Anti-Fraud|Immigration|Crime|Cyber|Procuratorate|Court"
)


def _whose_items() -> list[tuple[str, str]]:
    table = gz.default()
    items: list[tuple[str, str]] = []
    for agency in table.agencies:
        if agency.home in gz.CHINESE_HOMES:
            if not _POLICE_BODY.search(agency.name):
                continue  # a statistics bureau is not an enforcement body
            kind = "chinese"
        else:
            kind = "foreign"
        items += [(form, kind) for form in (agency.name, *agency.aliases)]
    for region in table.regions:
        if region.level in ("province", "city"):
            # "Inner Mongolia police" is not Mongolia's
            items.append((f"{region.name} police", "chinese"))
        if region.level == "country":
            for name in (region.name, *region.aliases):
                items += [(f"{name} police", "foreign"), (f"{name}'s police", "foreign")]
            for zh in region.zh:
                items += [(f"{zh}警方", "foreign"), (f"{zh}警察", "foreign")]
    whose = _config().whose
    items += [(f"{d} police", "foreign") for d in whose.demonyms]
    items += [(w, "chinese") for w in whose.chinese_police]
    items += [(w, "police") for w in whose.police]
    items += [(w, "lead") for w in whose.lead]
    items += [(w, "joint") for w in whose.joint]
    return items


def whose_words() -> Keywords[str]:
    """The whose-operation names and words, built on first use from the gazetteer."""
    found = _ALL.get("default")
    if found is None:
        items = [(form, kind) for key, kind in _whose_items() if (form := gz.matchable(key))]
        found = _ALL["default"] = Keywords(items)
    return found


def about_chinese_police(hits: list[tuple[int, int, str]], sample: str) -> bool:
    """Whether the operation the lead reports is Chinese police's, from the lead's whose-operation
    hits (start, end, kind): true when Chinese police are named and no foreign or international
    body leads; false when a foreign body is said to lead it, or is named before any Chinese
    police, or when no police are named."""
    first: dict[str, int] = {}
    foreign_ends: list[tuple[int, int]] = []
    leads: list[int] = []
    chinese: list[int] = []
    joint: list[int] = []
    for start, end, kind in hits:
        if kind == "foreign" and _MEETING.match(sample, end, end + 24):
            continue
        first.setdefault(kind, start)
        if kind == "foreign":
            foreign_ends.append((start, end))
        elif kind == "lead":
            leads.append(start)
        elif kind == "chinese":
            chinese.append(end)
        elif kind == "joint":
            joint.append(start)
    if "foreign" in first:
        for at in leads:
            # "INTERPOL-led", "led by Europol", "在国际刑警组织协调下", "由柬埔寨警方主导"
            if any(-2 <= at - end <= 3 or 0 < start - at <= 15 for start, end in foreign_ends):
                return False
            if any(0 <= at - end <= 12 for start, end in foreign_ends) and has_cjk(sample):
                return False
        # Chinese police, then foreign police, then "investigated jointly": the Chinese body leads
        # the investigation, whoever the lead named first
        starts = [f_start for f_start, _ in foreign_ends]  # in text order, as the hits
        for at in joint:
            k = bisect_left(chinese, at - _JOINT_REACH)
            if k == len(chinese) or chinese[k] >= at:
                continue
            # the first foreign body named after that Chinese one, before the joint word
            f = bisect_right(starts, chinese[k])
            if f < len(foreign_ends) and foreign_ends[f][1] <= at:
                return True
        if first["foreign"] < first.get("chinese", len(sample)):
            return False
    return "chinese" in first or "police" in first


_THRESHOLD: Final = 0.5
_SAMPLE: Final = 4000


def score(
    text: str,
    *,
    figures: int,
    campaigns: int,
    agencies: int,
    crime_types: int,
    folded: str | None = None,
) -> Relevance:
    """A logistic score over counts; each signal is capped so no single one decides alone."""
    # the lead decides what an article is about, and reading only it keeps the cost flat
    whole = fold(text) if folded is None else folded
    sample = whole[:_SAMPLE]
    if sample is not whole and not has_cjk(whole):
        note_cjk(sample, False)  # spares the keyword search a scan of the lead
    counts = {"weak": 0, "strong": 0, "negative": 0}
    for _, _, kind in vocabulary().find(sample):
        counts[kind] += 1
    lead = sample[:_LEAD]
    if lead is not sample and not has_cjk(sample):
        note_cjk(lead, False)
    density = 1000.0 / max(len(sample), 200)
    x = (
        -3.0
        + 0.9 * min(figures, 4)
        + 1.2 * min(campaigns, 2)
        + 0.6 * min(agencies, 2)
        + 0.5 * min(crime_types, 3)
        + 0.15 * min(counts["weak"] * density, 10)
        + 0.5 * min(counts["strong"] * density, 10)
        - 0.6 * min(counts["negative"] * density, 10)
    )
    if not (counts["weak"] or counts["strong"] or campaigns or crime_types):
        # no word of enforcement at all: a statistics release's figures ("online retail sales
        # rose 11 percent to 15.42 trillion yuan") make no announcement of one
        x = min(x, -3.0)
    value = 1.0 / (1.0 + math.exp(-x))
    return Relevance(
        score=round(value, 3),
        relevant=value >= _THRESHOLD,
        about_chinese_police=about_chinese_police(whose_words().find(lead), lead),
    )
