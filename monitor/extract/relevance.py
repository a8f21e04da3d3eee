"""Is this a public-security or enforcement announcement at all? A score and a yes/no.

Bilingual keyword rules plus what the extractor found (figures, campaigns, agencies, crime
types), combined in a logistic score; sport, weather and economy vocabulary counts against.
"""

from __future__ import annotations

import math

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


_KEYWORDS = Keywords(
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
    for _, _, kind in _KEYWORDS.find(sample):
        counts[kind] += 1
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
    return Relevance(score=round(value, 3), relevant=value >= _THRESHOLD)
