"""Is this a public-security or enforcement announcement at all? A score and a yes/no.

Bilingual keyword rules plus what the extractor found (figures, campaigns, police agencies,
crime types), combined in a logistic score; sport, weather and economy vocabulary counts against.
"""

from __future__ import annotations

import math
import re

from monitor.models import Relevance

# words that say who acts (weak: police also close roads for marathons) and what was done (strong)
_WEAK = re.compile(
    r"\b(?:police|policing|public security|law enforcement|procuratorates?|courts?|"
    r"authorities|investigat\w+)\b|公安|警方|民警|警察|检察|法院|治安",
    re.IGNORECASE,
)
_STRONG = re.compile(
    r"\b(?:arrest(?:ed|s)?|detain(?:ed)?|suspects?|crackdowns?|crack(?:ed|ing)? down|criminals?|"
    r"crimes?|criminal|gangs?|fraud|scams?|prosecut\w+|seized|confiscated|smuggl\w+|illegal|"
    r"special (?:operation|campaign|action)|cases? (?:solved|cracked)|cybercrime|trafficking|"
    r"extortion|blackmail|underworld|mafia|sentenced|gambling|drugs?|narcotics)\b"
    r"|抓获|犯罪|嫌疑人|破获|侦破|专项行动|打击|诈骗|团伙|刑事|违法|涉案|查处|扫黑|缉毒|捣毁|刑拘|拘留|"
    r"逮捕|反诈|网安|收缴|严打|偷渡|拐卖",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:match(?:es)?|goals?|league|tournament|championship|coach|players?|scored|season|"
    r"olympics?|medals?|football|basketball|tennis|weather|rain(?:fall)?|temperatures?|"
    r"forecast|typhoon|snow|GDP|stocks?|shares|markets?|econom(?:y|ic)|inflation|exports?|"
    r"imports?|tourism|tourists|festival|films?|movie|concert|box office|recipe|fashion|"
    r"smartphones?|launch(?:ed)? (?:a|its) new|marathon|runners|traffic|detours?|"
    r"road closures?|holiday)\b"
    r"|比赛|联赛|冠军|球队|球员|进球|奥运|金牌|天气|气温|降雨|降温|台风|暴雨|股市|股票|经济增长|"
    r"国内生产总值|GDP|通胀|出口|进口|旅游|游客|电影|票房|演唱会|新品|发布会上推出|美食|马拉松|"
    r"出行|车流量|假期|通行",
    re.IGNORECASE,
)
_THRESHOLD = 0.5


def score(text: str, *, figures: int, campaigns: int, agencies: int, crime_types: int) -> Relevance:
    """A logistic score over counts; each signal is capped so no single one decides alone."""
    size = max(len(text), 200)
    density = 1000.0 / size
    weak = len(_WEAK.findall(text)) * density
    strong = len(_STRONG.findall(text)) * density
    negative = len(_NEGATIVE.findall(text)) * density
    x = (
        -3.0
        + 0.9 * min(figures, 4)
        + 1.2 * min(campaigns, 2)
        + 0.6 * min(agencies, 2)
        + 0.5 * min(crime_types, 3)
        + 0.15 * min(weak, 10)
        + 0.5 * min(strong, 10)
        - 0.6 * min(negative, 10)
    )
    value = 1.0 / (1.0 + math.exp(-x))
    return Relevance(score=round(value, 3), relevant=value >= _THRESHOLD)
