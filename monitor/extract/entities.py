"""The gazetteer's places as the extractor reads them: regions named in an announcement (from
config/regions.toml plus patterns: 海淀区 after 北京, "Haidian District"), and whose announcement
it is (`issuer_home`). Bodies are read in agencies.py, with these tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from monitor.extract import gazetteer as gz
from monitor.extract.en import entities as en
from monitor.extract.figures import Place
from monitor.extract.keywords import Keywords
from monitor.extract.text import LETTER, Spans, has_cjk
from monitor.extract.zh import entities as zh

_LATIN: Final = re.compile(r"[A-Za-z]")
_DATELINE_AFTER: Final = re.compile(
    rf"\s*,?\s*(?:{en.MONTH}\b|\d{{1,2}}\s*月|\d{{1,2}}\s*日|\(Xinhua\))"
)
_DATELINE_BEFORE: Final = re.compile(
    r"(?:新华社|中新网|中新社|人民网|央视网|(?:\.com|Xinhua|Daily|News|"
    r"Agency|Times|CGTN),?\s*)$"
)


# names romanised so far: pypinyin runs as Python, about 100 µs a name, and the same districts
# and campaign names come back article after article
_ROMANISED: dict[str, str] = {}
_ROMANISED_MAX: Final = 4096


def romanise(zh: str) -> str:
    """Hanyu pinyin of a place name, as one capitalised word ("番禺" -> "Panyu", "普洱" ->
    "Pu'er"). pypinyin's dictionary is loaded only when a place outside the gazetteer is met."""
    out = _ROMANISED.get(zh)
    if out is None:
        if len(_ROMANISED) >= _ROMANISED_MAX:
            _ROMANISED.clear()
        out = _ROMANISED[zh] = _pinyin(zh)
    return out


def _pinyin(zh: str) -> str:
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(zh, v_to_u=True) if s]
    out = syllables[0] if syllables else zh
    for s in syllables[1:]:
        out += ("'" if s[:1] in ("a", "o", "e") else "") + s
    return out[:1].upper() + out[1:]


class EntityFinder:
    """Regions of one gazetteer, and its tables the agency finder reads: keyword automata and
    lookup tables, built once."""

    def __init__(self, gazetteer: gz.Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.region_en: dict[str, str] = {}
        self.region_zh: dict[str, str] = {}
        self.level: dict[str, str] = {}
        self.within = {r.name: r.within for r in gazetteer.regions if r.within}
        for region in gazetteer.regions:
            self.level[region.name] = region.level
            self.region_en[region.name] = region.name
            for alias in region.aliases:
                self.region_en[alias] = region.name
            for form in region.zh:
                self.region_zh[form] = region.name
        # a Chinese form written with its level (大同市, 楚雄州) also names the place without it
        # where a bureau follows: 大同市公安局 is read back from 公安局 past the 市
        self.zh_stem: dict[str, str] = dict(self.region_zh)
        for form, name in self.region_zh.items():
            for level in ("市", "州", "地区", "区", "县"):
                if form.endswith(level) and len(form) > len(level) + 1:
                    self.zh_stem.setdefault(form[: -len(level)], name)
        self.chinese_places = frozenset(
            r.name for r in gazetteer.regions if r.level in ("province", "city", "district")
        )
        self.cities = frozenset(r.name for r in gazetteer.regions if r.level == "city")
        self.countries = [
            (form.removeprefix("the ").lower(), r.name)
            for r in gazetteer.regions
            if r.level == "country"
            for form in (r.name, *r.aliases)
            if form.isascii()
        ]
        self._adjectives: dict[str, str | None] = {}
        self.tw_counties = frozenset(
            r.name for r in gazetteer.regions if r.within == "Taiwan" and r.name.endswith(" County")
        )
        # abbreviations that name several places at once (粤港澳), from the regions file
        compounds = {group.zh: "|".join(group.regions) for group in gazetteer.groups}
        self.regions = Keywords(
            (
                (key, name)
                for form, name in (
                    *self.region_en.items(),
                    *self.region_zh.items(),
                    *compounds.items(),
                )
                if (key := gz.matchable(form)) is not None
            ),
            folded=False,
        )
        self.home = {a.name: a.home for a in gazetteer.agencies}
        # whose announcement it is: every body by its home, and the words only one home's
        # releases use (港警, 本澳, 地检署, 新台币 ...: the [[home]] tables of agencies.toml)
        self.issuers = Keywords(
            (
                *(
                    (key, a.home)
                    for a in gazetteer.agencies
                    for f in (a.name, *a.aliases)
                    if (key := gz.matchable(f)) is not None
                ),
                *((w, home.name) for home in gazetteer.homes for w in home.words),
            )
        )

    # --- regions ---------------------------------------------------------------------------

    def find_regions(self, text: str, skip: Sequence[tuple[int, int]]) -> list[Place]:
        """Regions as places of activity: not a news agency's dateline, not inside a campaign
        name, not the opening of a company's or a newspaper's name."""
        out: list[Place] = []
        inside = Spans(skip)  # campaign mentions, in text order, apart
        cjk = has_cjk(text)
        last_end = 0
        for start, end, name in self.regions.find(text):
            if inside.covers(start):
                continue
            if start < 300 and (
                _DATELINE_AFTER.match(text, end)
                or _DATELINE_BEFORE.search(text, max(0, start - 20), start)
                or (text[start - 2 : start] == ", " and en.DATELINE_CITY.search(text, 0, start))
            ):
                continue
            if self._organisation(text, start, end, name, cjk):
                continue
            if cjk and start >= last_end:
                division = (
                    self._division_zh(text, end)
                    if self.level.get(name) in ("province", "city")
                    else self._township(text, end)
                    if name in self.tw_counties
                    else None
                )
                if division is not None:
                    out.append(Place(name, start, end))
                    out.append(division)
                    last_end = division.end
                    continue
            if start < last_end:
                continue
            if "|" in name:
                out += [Place(part, start, end) for part in name.split("|")]
                continue
            out.append(Place(name, start, end))
        added = False
        if cjk:
            bureaus = self._bureau_divisions(text, out)
            townships = self._precinct_townships(text)
            if bureaus or townships:
                out += bureaus + townships
                added = True
        divisions = self._divisions_en(text)
        if divisions:
            within = Spans([(p.start, p.end) for p in sorted(divisions, key=lambda p: p.start)])
            out = [p for p in out if not within.covers(p.start)] + divisions
            added = True
        if added:
            out.sort(key=lambda p: p.start)
        return out

    def _organisation(self, text: str, start: int, end: int, name: str, cjk: bool) -> bool:
        if text[start].isascii():
            # each pattern is tried only where the characters around allow it (most places are
            # followed by a lower-case word or punctuation, and preceded by one)
            if text[end : end + 1] in (" ", "\n"):
                after = text[end + 1 : end + 2]
                if (after.isupper() or after == "&") and en.ORG_AFTER.match(text, end, end + 80):
                    return True
                if (
                    name in en.SEATS
                    and en.GOVERNMENT_AFTER.match(text, end, end + 12)
                    and not text.endswith(("in ", "of ", "at ", "from "), 0, start)
                ):
                    return True
            if start < 2 or text[start - 1] != " ":
                return False
            if name in self.cities and text[start - 2].islower():
                word = text[
                    text.rfind(" ", start - 9 if start > 9 else 0, start - 1) + 1 : start - 1
                ]
                if word in en.SURNAMES:
                    return True
            window = text[start - 30 if start > 30 else 0 : start]
            if "onference" in window and en.VENUE_BEFORE.search(window):
                return True
            return window.endswith("of ") and bool(en.ORG_BEFORE.search(window))
        if not cjk:
            return False
        if (
            zh.NOT_HERE_AFTER.match(text, end, end + 4)
            or (text.startswith("驻", start - 1) and zh.STATIONED_AFTER.match(text, end, end + 10))
            or (text.startswith("在", start - 1) and zh.VENUE_AFTER.match(text, end, end + 14))
        ):
            return True
        return zh.ORG_AFTER.match(text, end, min(len(text), end + 16)) is not None

    def _division_zh(self, text: str, end: int) -> Place | None:
        """The district or county (or county-level city) named right after a known place."""
        m = zh.DIVISION.match(text, end, min(len(text), end + 16))
        if m is None:
            return None
        stem, level = m.group(1), m.group(2)
        if m.end(1) != m.start(2):  # an autonomous county: 城步苗族自治县 is Chengbu's
            stem = zh.without_peoples(text[m.start(1) : m.start(2)])
        written = stem + level
        if (
            not stem  # 宁夏回族自治区: the province's own level
            or written in zh.NOT_DIVISIONS
            or stem.endswith(("自治", "族"))
            or (len(stem) == 1 and level != "县")
        ):
            return None
        start = m.start(1)
        known = self.region_zh.get(written) or self.zh_stem.get(stem)
        if known is not None:
            return Place(known, start, m.end())
        if level == "市":
            return Place(romanise(stem), start, m.end())
        word = "District" if level == "区" else "County"
        return Place(f"{romanise(stem)} {word}", start, m.end())

    def _township(self, text: str, end: int) -> Place | None:
        """A township (镇, 乡) named right after a Taiwan county: 彰化县溪湖镇."""
        m = zh.TW_TOWNSHIP.match(text, end, min(len(text), end + 6))
        if m is None:
            return None
        return Place(f"{romanise(m.group(1))} Township", m.start(1), m.end())

    def _precinct_townships(self, text: str) -> list[Place]:
        """The townships a Taiwan county's police precincts serve (彰化县警察局 ... 溪湖分局 is
        Xihu Township's), in a text about one county's police."""
        counties: set[str] = set()
        for start, _, body in zh_bodies(text):
            if body == "警察局":
                before = text[max(0, start - 3) : start]
                county = self.region_zh.get(before)
                if county is not None and self.within.get(county) == "Taiwan":
                    counties.add(county)
        if len(counties) != 1 or not next(iter(counties)).endswith(" County"):
            return []
        out: list[Place] = []
        at = text.find("分局")
        while at >= 2:
            stem = text[at - 2 : at]
            if stem not in zh.ORDINALS and zh.STEM.fullmatch(stem):
                out.append(Place(f"{romanise(stem)} Township", at - 2, at))
            at = text.find("分局", at + 2)
        return out

    def _bureau_divisions(self, text: str, found: Sequence[Place]) -> list[Place]:
        """Counties and districts named by their bureau alone: 城步县公安局, 柯桥区人民检察院."""
        out: list[Place] = []
        taken = Spans([(p.start, p.end) for p in found])
        for start, end, body in zh_bodies(text):
            if body not in zh.BODY:
                continue  # a Taiwan prosecutors office or a Hong Kong police district
            branch = (
                zh.BRANCH.match(text, end, min(len(text), end + 8)) if body == "公安局" else None
            )
            if branch is not None and branch.group(1) not in zh.ORDINALS:
                # 沈阳市公安局铁西分局: a city bureau's branch serves a district
                stem = branch.group(1)
                known = self.region_zh.get(stem + "区")
                out.append(Place(known or f"{romanise(stem)} District", branch.start(), end + 2))
            m = zh.BEFORE_BODY.search(text, max(0, start - 6), start)
            if m is None or m.group(2) not in ("县", "区"):
                continue
            stem = m.group(1)
            if (
                taken.covers(m.start())
                or (stem + m.group(2)) in zh.NOT_DIVISIONS
                or stem.endswith("自治")  # 自治区公安厅, a province's; 苗族自治县: no name here
            ):
                continue
            known = self.region_zh.get(stem + m.group(2))
            word = "District" if m.group(2) == "区" else "County"
            out.append(Place(known or f"{romanise(stem)} {word}", m.start(), start))
        return out

    def _divisions_en(self, text: str) -> list[Place]:
        """'Haidian District', 'Huan County': a capitalised name before the word."""
        out: list[Place] = []
        for at, stop, _ in en.DIVISION_WORDS.find(text):
            word = text[at:stop]
            hit = None
            for m in en.DIVISION.finditer(text, max(0, at - 40), stop):
                if m.end() == stop:
                    hit = m
            if hit is None:
                continue
            names = hit.group(1).split()
            possessive = [i for i, w in enumerate(names) if w.endswith(("'s", "’s"))]
            if possessive:
                names = names[possessive[-1] + 1 :]  # "Beijing's Haidian District"
            while names and names[0] in en.NOT_DIVISION:
                names.pop(0)
            if not names or names[-1] in en.NOT_DIVISION:
                continue
            start = stop - len(word) - 1 - len(" ".join(names))
            # the gazetteer's name when it lists the district or county ("Yuexiu district" is
            # Yuexiu District, "Menghai county" Menghai; Baoshan District is not the city of
            # Baoshan), else the name and the word, as 荔湾区 outside the gazetteer is Liwan
            # District
            stem = " ".join(names)
            named = f"{stem} {word.capitalize()}"
            name = stem if named not in self.level and self.level.get(stem) == "district" else named
            out.append(Place(name, start, stop))
        return out

    def country_of(self, adjective: str) -> str | None:
        """The country a nationality adjective names ("Thai" Thailand, "Korean" South Korea,
        "Philippine" the Philippines): the one whose name or alias it shares the longest opening
        with, three letters at least; None when none or two share as much."""
        found = self._adjectives.get(adjective, "")
        if found != "":
            return found
        low = adjective.lower()
        best, names = 0, set()
        for form, name in self.countries:
            common = 0
            while common < min(len(low), len(form)) and low[common] == form[common]:
                common += 1
            if common > best:
                best, names = common, {name}
            elif common == best:
                names.add(name)
        result = next(iter(names)) if best >= 3 and len(names) == 1 else None
        self._adjectives[adjective] = result
        return result

    def issuer_home(self, folded: str) -> str | None:
        """The home ("China", "Hong Kong", "Macau", "Taiwan", a country) of the police whose
        announcement this is: the home named most often in the headline and lead by its bodies
        and by words only its releases use; None when two homes are named as often."""
        lead = folded[:ISSUER_LEAD]
        found = _ISSUERS_SEEN.get(lead)
        if found is not None:
            return found[0]
        counts: dict[str, int] = {}
        for start, _, home in self.issuers.find(lead):
            if lead[max(0, start - 2) : start] in _ELSEWHERE:
                continue  # 內地公安機關 in a Hong Kong release: the mainland's, named from outside
            counts[home] = counts.get(home, 0) + 1
        best: str | None = None
        if counts:
            ranked = sorted(counts.values(), reverse=True)
            if len(ranked) == 1 or ranked[0] > ranked[1]:
                best = max(counts, key=lambda h: counts[h])
        _ISSUERS_SEEN.clear()
        _ISSUERS_SEEN[lead] = (best,)
        return best


ISSUER_LEAD: Final = 1200
# how Hong Kong's, Macau's and Taiwan's releases name the mainland before its bodies
_ELSEWHERE: Final = frozenset(("内地", "大陆"))
_ISSUERS_SEEN: dict[str, tuple[str | None]] = {}


def issuer_home(folded: str) -> str | None:
    return default_finder().issuer_home(folded)


_DEFAULT: dict[str, EntityFinder] = {}


def default_finder() -> EntityFinder:
    """The finder of config/regions.toml and config/agencies.toml, loaded on first use."""
    finder = _DEFAULT.get("default")
    if finder is None:
        finder = _DEFAULT["default"] = EntityFinder(gz.default())
    return finder


def find_regions(text: str, skip: Sequence[tuple[int, int]]) -> list[Place]:
    return default_finder().find_regions(text, skip)


def leading_region(title: str, regions: Sequence[Place]) -> str | None:
    """The region a headline opens with ("Beijing to crack down ...", "江苏公安破获 ..."): one
    with no letter before it, or at most four characters and no Latin letter; else, in English,
    the one it says the story happened in ("Two foreigners held in Guangzhou over ...")."""
    first_letter = LETTER.search(title)
    lettered = first_letter.start() if first_letter else len(title)
    for place in regions:
        if place.start >= len(title) or place.start > max(lettered, 4):
            break  # a letter and more than four characters before this place and all later ones
        if place.start <= lettered:
            return place.name
        if not _LATIN.search(title, 0, place.start):
            return place.name
    for place in regions:
        if place.start >= len(title):
            break
        if _IN_BEFORE.search(title, max(0, place.start - 8), place.start):
            return place.name
    return None


_IN_BEFORE: Final = re.compile(r"\bin\s+(?:the\s+)?$")


_BODIES_SEEN: dict[str, list[tuple[int, int, str]]] = {}


def zh_bodies(text: str) -> list[tuple[int, int, str]]:
    """The bodies (公安局, 人民检察院 ...) of a text, scanned once for regions and agencies."""
    found = _BODIES_SEEN.get(text)
    if found is None:
        _BODIES_SEEN.clear()
        found = _BODIES_SEEN[text] = zh.BODIES.find(text)
    return found
