"""Regions, agencies, officials and crime types named in an announcement, in both languages.

Regions and agencies come from the gazetteer plus patterns ("Jiangsu Provincial Public Security
Department", 北京市公安局); crime types from config/crime_types.toml.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence

from monitor.extract import gazetteer as gz
from monitor.extract.config import CrimeType
from monitor.extract.figures import Place
from monitor.extract.keywords import Keywords, fold
from monitor.extract.text import LETTER, Spans, has_cjk, word_char
from monitor.models import Official

_MUNICIPALITIES = {"Beijing", "Tianjin", "Shanghai", "Chongqing"}
_REGION_EN: dict[str, str] = {}
_REGION_ZH: dict[str, str] = {}
for _table in (gz.PROVINCES, gz.CITIES):
    for _name, _forms in _table.items():
        _REGION_EN[_name] = _name
        for _form in _forms:
            _REGION_ZH[_form] = _name
for _variant, _name in {**gz.PROVINCE_VARIANTS, **gz.CITY_VARIANTS}.items():
    _REGION_EN[_variant] = _name
_CITY_NAMES = set(gz.CITIES) | _MUNICIPALITIES
_LATIN = re.compile(r"[A-Za-z]")
_SPACES = re.compile(r"\s+")


_REGIONS = Keywords([*_REGION_EN.items(), *_REGION_ZH.items()], folded=False)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
_DATELINE_AFTER = re.compile(rf"\s*,?\s*(?:{_MONTH}\b|\d{{1,2}}\s*月|\d{{1,2}}\s*日|\(Xinhua\))")
_DATELINE_BEFORE = re.compile(
    r"(?:新华社|中新网|中新社|人民网|央视网|(?:\.com|Xinhua|Daily|News|"
    r"Agency|Times|CGTN),?\s*)$"
)


def find_regions(text: str, skip: Sequence[tuple[int, int]]) -> list[Place]:
    """Regions as places of activity: not a news agency's dateline, not inside a campaign name."""
    out = []
    inside = Spans(skip)  # campaign mentions, in text order, apart
    for start, end, name in _REGIONS.find(text):
        if inside.covers(start):
            continue
        if start < 300 and (
            _DATELINE_AFTER.match(text, end)
            or _DATELINE_BEFORE.search(text, max(0, start - 20), start)
        ):
            continue
        out.append(Place(name, start, end))
    return out


def leading_region(title: str, regions: Sequence[Place]) -> str | None:
    """The region a headline opens with ("Beijing to crack down ...", "江苏公安破获 ..."): one
    with no letter before it, or at most four characters and no Latin letter."""
    first_letter = LETTER.search(title)
    lettered = first_letter.start() if first_letter else len(title)
    for place in regions:
        if place.start >= len(title) or place.start > max(lettered, 4):
            break  # a letter and more than four characters before this place and all later ones
        if place.start <= lettered:
            return place.name
        if not _LATIN.search(title, 0, place.start):
            return place.name
    return None


# --- agencies ------------------------------------------------------------------------------


_AGENCY_FORMS = {f: name for name, forms in gz.AGENCIES.items() for f in (*forms, name)}
_AGENCIES = Keywords((f, n) for f, n in _AGENCY_FORMS.items() if not f.isupper())
_AGENCY_ABBREVIATIONS = Keywords(
    ((f, n) for f, n in _AGENCY_FORMS.items() if f.isupper() and f.isascii()), folded=False
)
_MINISTRIES_LIST = re.compile(
    r"ministries\s+of\s+(.{5,160}?)(?=\s+as\s+well\s+as|[.;]|$)", re.IGNORECASE
)
_MINISTRY_GENERIC = re.compile(r"Ministry of ((?:[A-Z][a-z]+)(?:,? (?:and )?[A-Z][a-z]+)*)")
_LOCAL_BODY = (
    r"(Provincial|Municipal|City|Autonomous Regional|Regional)\s+"
    r"(Public Security (?:Department|Bureau)|(?:People's )?Government|Party Committee|"
    r"People's Procuratorate|(?:Higher|Intermediate) People's Court)"
)
_NAME_BEFORE = re.compile(r"([A-Z][a-z'’]+(?: [A-Z][a-z]+)?)\s*$")
_LOCAL_EN = re.compile(_LOCAL_BODY, re.IGNORECASE)
_LOCAL_ZH = Keywords(
    (
        (w, w)
        for w in ("公安厅", "公安局", "人民政府", "人民检察院", "高级人民法院", "中级人民法院")
    ),
    folded=False,
)
_LEVEL_WORDS = ("municipal", "provincial", "regional", "city")
_ZH_LEVELS = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")
_ZH_BODY = {
    "公安厅": "Public Security Department",
    "公安局": "Public Security Bureau",
    "人民政府": "People's Government",
    "人民检察院": "People's Procuratorate",
    "高级人民法院": "Higher People's Court",
    "中级人民法院": "Intermediate People's Court",
}


def _title_case(words: str) -> str:
    small = {"of", "and", "the", "for"}
    return " ".join(
        w if w.lower() in small else w[:1].upper() + w[1:]
        for w in _SPACES.sub(" ", words.strip()).split(" ")
    ).replace("’", "'")


_MINISTRY_LISTED = {
    short: re.compile(rf"(?:^|,|\band\b)\s*(?:and\s+)?{short}\b") for short in gz.MINISTRY_SHORT
}


def find_agencies(text: str, home: str | None, folded: str | None = None) -> list[str]:
    """Government and Party bodies by their English names; `home` names an unnamed 'municipal'.
    `folded` is `fold(text)` when the caller has it already."""
    found: list[tuple[int, str]] = []
    folded = fold(text) if folded is None else folded
    for start, _, name in _AGENCIES.find(folded):
        found.append((start, name))
        if name in gz.PARENT_AGENCY:
            found.append((start, gz.PARENT_AGENCY[name]))
    found += [(start, name) for start, _, name in _AGENCY_ABBREVIATIONS.find(text)]
    at = folded.find("ministries of")
    while at >= 0:
        m = _MINISTRIES_LIST.match(text, at)
        at = folded.find("ministries of", at + 1)
        if m:
            listed = m.group(1).lower()
            for short, name in gz.MINISTRY_SHORT.items():
                if _MINISTRY_LISTED[short].search(listed):
                    found.append((m.start() + listed.index(short), name))
    if "Ministry of " in text:
        # the names found so far, lower case and sorted: those that begin with a name follow it
        lowered = sorted({n.lower() for _, n in found})
        for m in _MINISTRY_GENERIC.finditer(text):
            name = f"Ministry of {m.group(1)}"
            low = name.lower()
            k = bisect_left(lowered, low)
            if k < len(lowered) and lowered[k].startswith(low):
                continue  # a longer name already found
            found.append((m.start(), name))
            insort(lowered, low)
    for word in _LEVEL_WORDS:
        at = folded.find(word)
        while at >= 0:
            m = _LOCAL_EN.match(text, at)
            at = folded.find(word, at + 1)
            if not m:
                continue
            named = _NAME_BEFORE.search(text, max(0, m.start() - 30), m.start())
            region = _REGION_EN.get(named.group(1), home) if named else home
            if region:
                body = f"{_title_case(m.group(1))} {_title_case(m.group(2))}"
                found.append((m.start(), f"{region} {body}"))
    for start, _, body in _LOCAL_ZH.find(text) if has_cjk(text) else ():
        before = text[max(0, start - 10) : start]
        for level in _ZH_LEVELS:
            if before.endswith(level):
                before = before[: -len(level)]
                break
        region = next(
            (_REGION_ZH[before[-k:]] for k in (2, 3, 4, 5) if before[-k:] in _REGION_ZH), None
        )
        if region is None:
            continue
        level = "Municipal" if region in _CITY_NAMES else "Provincial"
        if region in ("Guangxi", "Inner Mongolia", "Tibet", "Ningxia", "Xinjiang"):
            level = "Autonomous Regional"
        found.append((start, f"{region} {level} {_ZH_BODY[body]}"))
    found.sort()
    return list(dict.fromkeys(name for _, name in found))


# --- officials -----------------------------------------------------------------------------

_TITLE_WORDS = (
    r"(?:[Dd]eputy |[Vv]ice |[Ee]xecutive |[Aa]ssistant |[Ss]enior |[Cc]hief )?"
    r"(?:[Dd]irector(?:-[Gg]eneral)?|[Mm]inister|[Hh]ead|[Cc]hief|[Ss]ecretary|"
    r"[Ss]pokes(?:person|man|woman)|[Cc]ommissioner|[Pp]olitical [Cc]ommissar|"
    r"[Pp]resident|[Pp]rocurator-[Gg]eneral|[Gg]overnor|[Mm]ayor|[Cc]hairman|"
    r"[Cc]hairwoman|[Cc]aptain|[Cc]ommander|[Pp]arty [Ss]ecretary)"
)
_NAME = r"[A-Z][a-z]{1,6}(?: [A-Z][a-z]{1,9}){1,2}"
_OFFICIAL_AFTER = re.compile(
    rf"\b({_NAME}), ((?:the )?{_TITLE_WORDS}\b[^,;.\n()]{{0,120}}?)"
    r"(?=,|\.|;| said| told| informed| noted| responded| stated| explained| added| introduced|"
    r" pointed out| announced| revealed)"
)
_OFFICIAL_BEFORE = re.compile(
    rf"\b({_TITLE_WORDS}(?: of (?:the )?[A-Z][\w'’]*(?: (?:of |and |the )?[A-Z][\w'’]*)*)?)"
    rf" ({_NAME})(?= said| told| informed| noted|,| announced)"
)
_OFFICIAL_ZH = re.compile(
    r"((?:[\u4e00-\u9fff]{2,14}?(?:部|局|厅|委|院|办|队|所|处|会))?"
    r"副?(?:局长|部长|厅长|主任|总队长|支队长|大队长|所长|处长|政委|书记|新闻发言人|发言人|检察长|院长))"
    r"([\u4e00-\u9fff]{2,3}?)(?=表示|说|介绍|指出|称|强调|通报|在|，|、|出席|答|回答|\d)"
)
_NOT_NAMES = {
    "Ministry",
    "Public",
    "Security",
    "The",
    "Criminal",
    "Bureau",
    "Central",
    "National",
    "Supreme",
    "China",
    "Chinese",
    "Reporter",
    "Internet",
    "State",
    "People",
}


_TITLE_KEYS = Keywords(
    (w, w)
    for w in [
        "director",
        "director-general",
        "minister",
        "head",
        "chief",
        "secretary",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "commissioner",
        "commissar",
        "president",
        "procurator-general",
        "governor",
        "mayor",
        "chairman",
        "chairwoman",
        "captain",
        "commander",
    ]
)
_ZH_TITLE_KEYS = Keywords(
    (
        (w, w)
        for w in (
            "局长",
            "部长",
            "厅长",
            "主任",
            "队长",
            "所长",
            "处长",
            "政委",
            "书记",
            "发言人",
            "检察长",
            "院长",
        )
    ),
    folded=False,
)


_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TITLE_INITIALS = frozenset("DdVvEeAaSsCcMmHhPpGg")  # the first letters of _TITLE_WORDS


def _matches_from(
    pattern: re.Pattern[str], text: str, lo: int, hi: int, stop: int, initials: frozenset[str]
) -> list[re.Match[str]]:
    """Non-overlapping matches of `pattern` (which opens with a word boundary and a letter of
    `initials`) starting in text[lo:hi + 1], each ending by `stop`: the finditer over
    text[lo:stop] restricted to those starts, without scanning the rest."""
    out = []
    p = lo
    while p <= hi:
        c = text[p : p + 1]
        if c in initials and (p == 0 or not word_char(text[p - 1])):
            m = pattern.match(text, p, stop)
            if m is not None:
                out.append(m)
                p = max(m.end(), p + 1)
                continue
        p += 1
    return out


def find_officials(text: str, folded: str | None = None) -> list[Official]:
    out: list[Official] = []
    names: set[str] = set()

    def add(name: str, title: str) -> None:
        if name in names or set(name.split()) & _NOT_NAMES or name in _REGION_EN:
            return
        names.add(name)
        out.append(Official(name=name, title=_SPACES.sub(" ", title).strip()))

    # the patterns are tried only where a match can start for a title word found: "Name, (the)
    # (Deputy) Title" starts with the name at most 60 characters before the title word, "(Deputy)
    # Title (of ...) Name" at most 30 before it; the match may run on to 220 after it
    done: set[int] = set()
    for at, _, _ in _TITLE_KEYS.find(fold(text) if folded is None else folded):
        stop = min(len(text), at + 220)
        for m in _matches_from(_OFFICIAL_AFTER, text, max(0, at - 60), at, stop, _UPPER):
            if m.start() not in done:
                done.add(m.start())
                add(m.group(1), m.group(2).removeprefix("the "))
        for m in _matches_from(_OFFICIAL_BEFORE, text, max(0, at - 30), at, stop, _TITLE_INITIALS):
            if m.start() not in done:
                done.add(m.start())
                add(m.group(2), m.group(1))
    for at, _, _ in _ZH_TITLE_KEYS.find(text) if has_cjk(text) else ():
        for m in _OFFICIAL_ZH.finditer(text, max(0, at - 18), min(len(text), at + 12)):
            add(m.group(2), m.group(1))
    return out


# --- crime types ---------------------------------------------------------------------------


class CrimeTypeFinder:
    def __init__(self, types: Iterable[CrimeType]) -> None:
        self.lookup: dict[str, str] = {}
        for t in types:
            for w in (*t.en, *t.zh):
                self.lookup[w] = t.name
        self.keywords = Keywords(self.lookup.items())

    def find(self, text: str, folded: str | None = None) -> list[str]:
        folded = fold(text) if folded is None else folded
        return list(dict.fromkeys(name for _, _, name in self.keywords.find(folded)))
