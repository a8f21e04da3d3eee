"""Is this a public-security or enforcement announcement at all? A score and a yes/no.

Bilingual keyword rules plus what the extractor found (figures, campaigns, agencies, crime
types), combined in a logistic score; sport, weather and economy vocabulary counts against.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right

from monitor.extract import gazetteer as gz
from monitor.extract.keywords import Keywords, fold
from monitor.extract.text import has_cjk, note_cjk
from monitor.models import Relevance

# who acts (weak: police also close roads for a marathon) and what was done (strong)
_WEAK = (
    "police policing procuratorate procuratorates court courts "
    "authorities investigate investigated investigating investigation investigations "
    "公安 警方 民警 警察 检察 法院 治安"
)
_STRONG = (
    "arrest arrested arrests detain detained suspect suspects crackdown crackdowns "
    "crack-down criminal criminals crime crimes gang gangs "
    "fraud scam scams prosecute prosecuted prosecution prosecutors seized confiscated smuggling "
    "smuggled illegal cybercrime trafficking "
    "extortion blackmail underworld mafia sentenced gambling drug drugs narcotics "
    "抓获 犯罪 嫌疑人 破获 侦破 专项行动 打击 诈骗 团伙 刑事 违法 涉案 查处 "
    "扫黑 缉毒 捣毁 刑拘 拘留 逮捕 反诈 网安 收缴 严打 偷渡 拐卖"
)
_NEGATIVE = (
    "match matches goal goals league tournament championship coach player players scored season "
    "olympic olympics medal medals football basketball tennis weather rain rainfall temperature "
    "temperatures forecast typhoon snow gdp stock stocks shares market markets economy economic "
    "inflation export exports import imports tourism tourists festival film films movie concert "
    "recipe fashion smartphone smartphones marathon runners traffic detour detours holiday "
    "比赛 联赛 冠军 球队 球员 进球 奥运 金牌 天气 气温 降雨 降温 台风 暴雨 股市 股票 经济增长 "
    "国内生产总值 通胀 出口 进口 旅游 游客 电影 票房 演唱会 新品 美食 马拉松 出行 车流量 假期 通行"
)


_RELEVANCE_ITEMS: list[tuple[str, str]] = (
    [(w, "weak") for w in _WEAK.split()]
    + [(w, "strong") for w in _STRONG.split()]
    + [(w, "negative") for w in _NEGATIVE.split()]
    + [(p, "weak") for p in ("public security", "law enforcement")]
    + [
        (p, "strong")
        for p in (
            "crack down",
            "cracked down",
            "cracking down",
            "special operation",
            "special campaign",
            "special action",
        )
    ]
    + [(p, "negative") for p in ("box office", "road closures")]
)
_RELEVANCE = Keywords(_RELEVANCE_ITEMS)
# Whose operation: foreign and international bodies (from config/agencies.toml), another
# country's police by name, and Chinese police. An operation is foreign-led when a foreign body
# is named as leading it, or is named before any Chinese police body in the lead.
_DEMONYMS = [
    "Thai",
    "Cambodian",
    "Philippine",
    "Filipino",
    "Myanmar",
    "Burmese",
    "Lao",
    "Laotian",
    "Vietnamese",
    "Malaysian",
    "Indonesian",
    "Singaporean",
    "Korean",
    "Japanese",
    "Indian",
    "Spanish",
    "Portuguese",
    "American",
    "British",
    "French",
    "German",
    "Italian",
    "Dutch",
    "Australian",
    "Canadian",
    "Russian",
    "Turkish",
    "Nigerian",
    "Kenyan",
]
_CHINESE_POLICE = (
    "公安部",
    "公安厅",
    "公安局",
    "公安机关",
    "公安",
    "public security",
    "Chinese police",
    "China's police",
    "Chinese law enforcement",
    "中国警方",
    "我国警方",
    "中方",
)
_GENERIC_POLICE = ("police", "警方", "民警", "警察", "警务")
_LEADS = (
    "-led",
    " led by",
    " coordinated by",
    " organised by",
    " organized by",
    "牵头",
    "主导",
    "协调下",
    "组织开展",
    "主办",
)
# a Chinese body investigating with foreign police: "刑事局……与马来西亚、日本警方共同侦办"
_JOINT = ("共同侦办", "共同侦查", "共同调查", "联合侦办", "联手侦办")
# an international body named by its meeting ("国际刑警组织周年大会", "INTERPOL General Assembly")
# hosts, it leads no operation
_MEETING = re.compile(
    r"\s*(?:周年大会|大会|年会|会议|峰会|(?:General\s+)?Assembly|Conference|Summit)", re.IGNORECASE
)
_JOINT_REACH = 60
_ALL: dict[str, Keywords[str]] = {}
# whose operation it is is said in the headline and the first paragraph
_LEAD = 1200
_POLICE_BODY = re.compile(
    r"Public Security|Police|Criminal|Anti-Fraud|Immigration|Crime|Cyber|Procuratorate|Court"
)


def _whose_items() -> list[tuple[str, str]]:
    table = gz.load()
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
    items += [(f"{d} police", "foreign") for d in _DEMONYMS]
    items += [(w, "chinese") for w in _CHINESE_POLICE]
    items += [(w, "police") for w in _GENERIC_POLICE]
    items += [(w, "lead") for w in _LEADS]
    items += [(w, "joint") for w in _JOINT]
    return items


def _whose() -> Keywords[str]:
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


_THRESHOLD = 0.5
_SAMPLE = 4000


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
    for _, _, kind in _RELEVANCE.find(sample):
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
    value = 1.0 / (1.0 + math.exp(-x))
    return Relevance(
        score=round(value, 3),
        relevant=value >= _THRESHOLD,
        about_chinese_police=about_chinese_police(_whose().find(lead), lead),
    )
