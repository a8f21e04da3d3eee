"""English rules for places and bodies: what makes a place no place of activity (a dateline,
a company's name, a reporter's given name), county and district names, and the patterns of
ministries and local bodies as English releases write them.
"""

from __future__ import annotations

import re
from typing import Final

from monitor.extract.keywords import Keywords

MONTH: Final = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)

# a wire dateline's country after its city in capitals: "LYON, France --"
DATELINE_CITY: Final = re.compile(r"(?:^|\n)[A-Z][A-Z.'’ -]{1,30}, $")

# a place that opens the name of a company, a newspaper, a bank or a university is not where
# anything happened: "Shanghai Stock Exchange", "Beijing Youth Daily", 杭州某科技有限公司
ORG_AFTER: Final = re.compile(
    r"(?:\s+(?:[A-Z][\w&'’.-]*|&|and|of)){0,4}?\s+(?:Co\.|Co\b|Company|Corp\b|Corporation|"
    r"Inc\b|Ltd\b|Limited|Group|Holdings|Bank\b|Daily|News\b|Times\b|Post\b|Evening|Morning|"
    r"Weekly|TV\b|Television|Radio|Broadcasting|Stock Exchange|Securities|Telecom|Mobile\b|"
    r"Unicom|University|Airlines|Airways|Network Technology|Technology Co)"
)

# a capital that stands for its government ("as Beijing steps up pressure", "Taipei has asked")
# is not where the work was done
SEATS: Final = frozenset(("Beijing", "Taipei"))
GOVERNMENT_AFTER: Final = re.compile(
    r" (?:says|said|steps|stepped|wants|wanted|urged|urges|pressed|presses|vowed|vows|accused|"
    r"accuses|denied|denies|blamed|blames|demanded|demands|responded|responds|hopes|hoped|"
    r"insists|insisted|warned|warns|pledged|pledges|asked|asks|sought|seeks|rejected|rejects|"
    r"protested|protests)\b"
)

# a press conference's venue is not where the work was done; a nationality (越南籍) is not a place
VENUE_BEFORE: Final = re.compile(r"(?:press|news) conference(?: held)? (?:in|at) (?:the )?$")

# "Reporter Zhang Ziyang", "Li Weifang": a city's romanised name is also a given name
SURNAME_WORDS: Final = (
    "Zhang Wang Li Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Hu Zhu Gao Lin He Guo Ma Luo Liang "
    "Song Zheng Xie Han Tang Feng Yu Dong Xiao Cheng Cao Yuan Deng Fu Shen Zeng Peng Lu Su "
    "Jiang Cai Jia Ding Wei Xue Ye Yan Pan Du Dai Xia Zhong Tian Ren Fan Fang Shi Yao Tan Liao "
    "Zou Xiong Jin Hao Kong Bai Cui Kang Mao Qiu Qin Gu Hou Shao Meng Long Wan Duan Lei Qian "
    "Yin Yi Qiao Lai Gong Wen"
)

SURNAMES: Final = frozenset(SURNAME_WORDS.split())

ORG_BEFORE: Final = re.compile(r"(?:Bank|University|Bank of China) of\s+$")

DIVISION: Final = re.compile(r"((?:[A-Z][a-z'’-]+ ){1,2})(District|County|district|county)\b")
# the words DIVISION ends with, as written, found in the document's shared scan
DIVISION_WORDS: Final = Keywords(
    ((w, w) for w in ("District", "County", "district", "county")), folded=False, shared=True
)

NOT_DIVISION: Final = frozenset(
    [
        "The",
        "This",
        "That",
        "Each",
        "Every",
        "One",
        "Police",
        "Municipal",
        "Provincial",
        "Xinhua",
        "Southern",
        "Northern",
        "Western",
        "Eastern",
        "Central",
        "Local",
        "Rural",
        "Urban",
        "Military",
        "Judicial",
        "Court",
        "People's",
        "Peoples",
        "New",
    ]
)

NOT_BODY_NAMES: Final = ("public security bureau", "cyber security bureau", "state security bureau")

MINISTRIES_LIST: Final = re.compile(
    r"ministries\s+of\s+(.{5,160}?)(?=\s+as\s+well\s+as|[.;]|$)", re.IGNORECASE
)

MINISTRY_GENERIC: Final = re.compile(r"Ministry of ((?:[A-Z][a-z]+)(?:,? (?:and )?[A-Z][a-z]+)*)")

LOCAL_BODY: Final = (
    r"(Provincial|Municipal|City|Autonomous Regional|Regional)\s+"
    r"(Public Security (?:Department|Bureau)|Department of Public Security|"
    r"(?:People's )?Government|Party Committee|"
    r"People's Procuratorate|(?:Higher|Intermediate) People's Court)"
)

NAME_BEFORE: Final = re.compile(r"([A-Z][a-z'’]+(?: [A-Z][a-z]+)?)\s*$")

PLACE_BEFORE: Final = re.compile(
    r"([A-Z][a-z'’]+(?: [A-Z][a-z]+)??) "
    r"((?:Provincial|Municipal|City|County|District|Prefecture|Prefectural) )?$"
)

DEPARTMENT_OF: Final = re.compile(
    r"(?i:Public Security Department of (the )?)"
    r"([A-Z][a-z'’]+(?: (?!(?:Province|Autonomous|Municipality|Zhuang|Hui|Uygur|Uyghur)\b)"
    r"[A-Z][a-z]+)?)"
    r"(?: (?:Province|Zhuang Autonomous Region|Hui Autonomous Region|Uygur Autonomous Region|"
    r"Uyghur Autonomous Region|Autonomous Region|Municipality))?"
)

LOCAL: Final = re.compile(LOCAL_BODY, re.IGNORECASE)

OFFICE_BEFORE: Final = re.compile(
    r"(General Office|Information Office) of (?:the )?[A-Z][a-z]+(?: [A-Z][a-z]+)? $"
)

# the words a local body's name (LOCAL) or a Taiwan or Hong Kong body's (REGIONAL) is read
# around, found in the document's shared scan
LEVEL_WORDS: Final = Keywords(
    ((w, w) for w in ("municipal", "provincial", "regional", "city")), shared=True
)
PUBLIC_SECURITY: Final = Keywords([("public security", "")], shared=True)
REGIONAL_EN_WORDS: Final = Keywords(
    ((w, w) for w in ("prosecutors", "police department", "police bureau", "police district")),
    shared=True,
)

REGIONAL: Final = re.compile(
    r"((?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+) (District Prosecutors['’]? Office|City Police Department|"
    r"City Police Bureau|County Police Bureau|Police District)\b"
)

HK_AREAS: Final = frozenset({"Central", "Western", "Eastern"})  # Hong Kong's police districts
