"""Regions, agencies, officials and crime types named in an announcement, in both languages.

Regions and agencies come from the gazetteer plus patterns ("Jiangsu Provincial Public Security
Department", 北京市公安局); crime types from config/crime_types.toml.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Sequence

from monitor.extract import gazetteer as gz
from monitor.extract.en import entities as en
from monitor.extract.figures import Place
from monitor.extract.keywords import Keywords, fold
from monitor.extract.text import LETTER, Spans, has_cjk
from monitor.extract.zh import entities as zh

_LATIN = re.compile(r"[A-Za-z]")
_SPACES = re.compile(r"\s+")
_DATELINE_AFTER = re.compile(rf"\s*,?\s*(?:{en.MONTH}\b|\d{{1,2}}\s*月|\d{{1,2}}\s*日|\(Xinhua\))")
_DATELINE_BEFORE = re.compile(
    r"(?:新华社|中新网|中新社|人民网|央视网|(?:\.com|Xinhua|Daily|News|"
    r"Agency|Times|CGTN),?\s*)$"
)


def romanise(zh: str) -> str:
    """Hanyu pinyin of a place name, as one capitalised word ("番禺" -> "Panyu", "普洱" ->
    "Pu'er"). pypinyin's dictionary is loaded only when a place outside the gazetteer is met."""
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(zh, v_to_u=True) if s]
    out = syllables[0] if syllables else zh
    for s in syllables[1:]:
        out += ("'" if s[:1] in ("a", "o", "e") else "") + s
    return out[:1].upper() + out[1:]


_AUTONOMOUS = frozenset({"Guangxi", "Inner Mongolia", "Tibet", "Ningxia", "Xinjiang"})
_MUNICIPALITIES = frozenset({"Beijing", "Tianjin", "Shanghai", "Chongqing"})


class EntityFinder:
    """Regions and agencies of one gazetteer: keyword automata and lookup tables, built once."""

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
        forms: dict[str, str] = {}
        for agency in gazetteer.agencies:
            for form in (agency.name, *agency.aliases):
                key = gz.matchable(form)
                if key is not None:
                    forms[key] = agency.name
        # abbreviations, and names that end in "Police", match only as written: "Hong Kong
        # police" and "Myanmar police" are the police of a place, not the force's name
        exact = {f for f in forms if f.isascii() and (f.isupper() or f.endswith(" Police"))}
        # a body's name inside a longer everyday one ("Security Bureau" in "the Shanghai Public
        # Security Bureau") is taken by the longer, which names nothing
        self.agencies = Keywords(
            (
                *(
                    (f, n)
                    for f, n in forms.items()
                    if f not in exact and not (f.isupper() and f.isascii())
                ),
                *((f, "") for f in en.NOT_BODY_NAMES if f not in forms),
            )
        )
        self.abbreviations = Keywords(
            ((f, n) for f, n in forms.items() if f in exact), folded=False
        )
        self.parent = {a.name: a.parent for a in gazetteer.agencies if a.parent}
        self.short = {a.short: a.name for a in gazetteer.agencies if a.short}
        self.short_listed = {
            short: re.compile(rf"(?:^|,|\band\b)\s*(?:and\s+)?{re.escape(short)}\b")
            for short in self.short
        }
        self.home = {a.name: a.home for a in gazetteer.agencies}
        # whose announcement it is: every body by its home, and the words only one home's
        # releases use (港警, 本澳, 地检署, 新台币 ...)
        self.issuers = Keywords(
            (
                *(
                    (key, a.home)
                    for a in gazetteer.agencies
                    for f in (a.name, *a.aliases)
                    if (key := gz.matchable(f)) is not None
                ),
                *((w, home) for home, words in _ISSUER_WORDS.items() for w in words),
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
        m = zh.DIVISION.match(text, end, min(len(text), end + 12))
        if m is None:
            return None
        stem, level = m.group(1), m.group(2)
        written = stem + level
        if (
            written in zh.NOT_DIVISIONS
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
        for start, _, body in _zh_bodies(text):
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
        for start, end, body in _zh_bodies(text):
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
            if taken.covers(m.start()) or (stem + m.group(2)) in zh.NOT_DIVISIONS:
                continue
            known = self.region_zh.get(stem + m.group(2))
            word = "District" if m.group(2) == "区" else "County"
            out.append(Place(known or f"{romanise(stem)} {word}", m.start(), start))
        return out

    def _divisions_en(self, text: str) -> list[Place]:
        """'Haidian District', 'Huan County': a capitalised name before the word."""
        out: list[Place] = []
        for tail in ("istrict", "ounty"):
            at = text.find(tail)
            while at > 0:
                word = text[at - 1 : at + len(tail)]
                if word[0] not in "DdCc":
                    at = text.find(tail, at + 1)
                    continue
                at -= 1
                stop = at + len(word)
                hit = None
                for m in en.DIVISION.finditer(text, max(0, at - 40), stop):
                    if m.end() == stop:
                        hit = m
                at = text.find(tail, stop)
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
                # "Huan County" is the county's name; in "Menghai county" the word describes it
                name = " ".join(names) if word.islower() else f"{' '.join(names)} {word}"
                out.append(Place(name, start, stop))
        return out

    # --- agencies --------------------------------------------------------------------------

    def find_agencies(self, text: str, home: str | None, folded: str | None = None) -> list[str]:
        """Government and Party bodies by their English names; `home` names an unnamed
        'municipal'. `folded` is `fold(text)` when the caller has it already."""
        found: list[tuple[int, str]] = []
        folded = fold(text) if folded is None else folded
        for start, _, name in self.agencies.find(folded):
            if not name:
                continue
            found.append((start, name))
            parent = self.parent.get(name)
            if parent is not None:
                found.append((start, parent))
        found += [(start, name) for start, _, name in self.abbreviations.find(text)]
        at = folded.find("ministries of")
        while at >= 0:
            m = en.MINISTRIES_LIST.match(text, at)
            at = folded.find("ministries of", at + 1)
            if m:
                listed = m.group(1).lower()
                for short, name in self.short.items():
                    if self.short_listed[short].search(listed):
                        found.append((m.start() + listed.index(short), name))
        if "Ministry of " in text:
            # the names found so far, lower case and sorted: those that begin with a name follow it
            lowered = sorted({n.lower() for _, n in found})
            for m in en.MINISTRY_GENERIC.finditer(text):
                name = f"Ministry of {m.group(1)}"
                low = name.lower()
                k = bisect_left(lowered, low)
                if k < len(lowered) and lowered[k].startswith(low):
                    continue  # a longer name already found
                if m.end() < len(text) and text.startswith(" of ", m.end()):
                    continue  # a foreign ministry: "Ministry of Interior of Cambodia"
                found.append((m.start(), name))
                insort(lowered, low)
        found += self._local_en(text, folded, home)
        found += self._regional_en(text, folded)
        if has_cjk(text):
            found += self._local_zh(text, home)
        found.sort()
        return list(dict.fromkeys(name for _, name in found))

    def _local_en(self, text: str, folded: str, home: str | None) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        for word in en.LEVEL_WORDS:
            at = folded.find(word)
            while at >= 0:
                m = en.LOCAL.match(text, at)
                at = folded.find(word, at + 1)
                if not m:
                    continue
                named = en.NAME_BEFORE.search(text, max(0, m.start() - 30), m.start())
                region = self.region_en.get(named.group(1), home) if named else home
                if region:
                    body = f"{_title_case(m.group(1))} {_title_case(m.group(2))}"
                    found.append((m.start(), f"{region} {body}"))
                    office = en.OFFICE_BEFORE.search(text, max(0, m.start() - 50), m.start())
                    if office is not None:
                        # "the General Office of the Hubei Provincial People's Government"
                        found.append((office.start(), f"{office.group(1)} of the {region} {body}"))
        # "the Public Security Department of Hubei (Province)", "the Shanghai Public Security
        # Bureau": as written, with the place the gazetteer knows
        at = folded.find("public security")
        while at >= 0:
            here = at
            at = folded.find("public security", at + 1)
            if folded.startswith(" department of ", here + 15):
                m = en.DEPARTMENT_OF.match(text, here)
                if m and m.group(2) in self.region_en:
                    found.append((m.start(), _title_case(m.group(0))))
                continue
            if folded.startswith(" bureau", here + 15):
                phrase_start, phrase_end = here, here + 22
            elif here >= 14 and folded.startswith("department of ", here - 14):
                phrase_start, phrase_end = here - 14, here + 15
            else:
                continue
            start = phrase_start
            if start < 2 or text[start - 1] != " " or not text[start - 2].isalpha():
                continue
            named = en.PLACE_BEFORE.search(text, max(0, start - 40), start)
            if named is None:
                continue
            place = named.group(1)
            if place not in self.region_en:
                place = place.rpartition(" ")[2]  # "The Henan Provincial ..."
                if place not in self.region_en:
                    continue
            level = named.group(2) or ""
            if phrase_end == here + 22 and level:
                continue  # "Municipal Public Security Bureau" is read above
            name = f"{place} {level}{text[start:phrase_end]}"
            found.append((named.start(), _title_case(name)))
        return found

    def _regional_en(self, text: str, folded: str) -> list[tuple[int, str]]:
        """Taiwan's and Hong Kong's bodies as their English releases write them: "the Taichung
        District Prosecutors' Office", "Taipei City Police Department", "Changhua County Police
        Bureau", "Western Police District"."""
        found: list[tuple[int, str]] = []
        for word in en.REGIONAL_EN_WORDS:
            at = folded.find(word)
            while at >= 0:
                m = en.REGIONAL.search(text, max(0, at - 40), at + len(word) + 12)
                at = folded.find(word, at + len(word))
                if m is None:
                    continue
                words, body = m.group(1).split(), m.group(2)
                if body == "Police District":
                    while words and words[0] in en.NOT_DIVISION and words[0] not in en.HK_AREAS:
                        words.pop(0)
                    if words:
                        found.append((m.start(), f"{' '.join(words)} Police District"))
                    continue
                while words:
                    place = " ".join(words)
                    region = self.region_en.get(place) or self.region_en.get(f"{place} County")
                    if region is not None and self.within.get(region) == "Taiwan":
                        written = body.replace("'", "").replace("’", "")
                        found.append((m.start(), f"{place} {written}"))
                        break
                    words.pop(0)  # "the Taiwan Taichung District Prosecutors Office"
        return found

    def _local_zh(self, text: str, home: str | None) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        taiwan: list[tuple[int, str]] = []  # Taiwan's city and county police named in full
        for start, end, body in _zh_bodies(text):
            if body == "警察局":
                police = self._taiwan_police(text, start, end)
                found += police
                taiwan += police[:1]
                continue
            if body in zh.TW_JUDICIAL:
                judicial = self._taiwan_judicial(text, start, body)
                if judicial is not None:
                    found.append((start, judicial))
                continue
            if body == "警区":
                district = self._hk_police_district(text, start)
                if district is not None:
                    found.append((start, district))
                continue
            name = self._local_body(text, start, body, home)
            if name is None:
                if body == "检察院" and self._issuer(text) == "Macau":
                    found.append((start, "Public Prosecutions Office of Macau"))
                continue
            branch = (
                zh.BRANCH.match(text, end, min(len(text), end + 8)) if body == "公安局" else None
            )
            if branch is not None:
                # 广州市公安局番禺区分局: the district's branch of the city bureau
                known = self.region_zh.get(branch.group(1) + "区")
                district = known.removesuffix(" District") if known else romanise(branch.group(1))
                word = " District" if branch.group(2) else ""
                found.append((start, f"{district}{word} Branch of the {name}"))
                continue
            unit = zh.UNIT.match(text, end, min(len(text), end + 8))
            if unit is not None:
                # 内蒙古自治区公安厅刑侦总队, 陕西省人民政府新闻办公室
                found.append((start, f"{zh.UNIT_EN[unit.group(1)]} of the {name}"))
                if body == "人民政府":
                    continue  # the office is named, not the government
            found.append((start, name))
        if len({name for _, name in taiwan}) == 1:
            found += self._taiwan_units(text, taiwan[0][1])
        return found

    def _issuer(self, text: str) -> str | None:
        return self.issuer_home(fold(text[:_ISSUER_LEAD]))

    def _taiwan_judicial(self, text: str, start: int, body: str) -> str | None:
        """A district prosecutors office (新北地检署, 臺中地方檢察署), a district court
        (彰化地方法院), the high and supreme prosecutors offices."""
        if body == "检察署":
            if text.startswith("最高", start - 2):
                return "Supreme Prosecutors Office"
            if text.startswith("台湾高等", start - 4):
                return "Taiwan High Prosecutors Office"
            return None
        before = text[max(0, start - 4) : start]
        place = next(
            (self.zh_stem[before[-k:]] for k in (3, 2) if before[-k:] in self.zh_stem), None
        )
        if place is None:
            # 士林地检署, 台湾桥头地方检察署: a district named only by its office (移送地方检察署
            # names none)
            stem = zh.STEM.search(before)
            if stem is None or (body != "地检署" and not text.startswith("台湾", start - 4)):
                return None
            place = romanise(stem.group(0))
        elif self.within.get(place) != "Taiwan":
            return None
        word = "District Court" if body == "地方法院" else "District Prosecutors Office"
        return f"{place.removesuffix(' County')} {word}"

    def _hk_police_district(self, text: str, start: int) -> str | None:
        """A Hong Kong police district (西区警区 Western Police District, 深水埗警区)."""
        before = text[max(0, start - 4) : start]
        for k in (4, 3, 2):
            stem = before[-k:]
            if len(stem) < k:
                continue
            named = zh.HK_DISTRICTS.get(stem)
            if named is None:
                place = self.region_zh.get(stem)
                if place is None or self.within.get(place) != "Hong Kong":
                    continue
                named = place
            return f"{named} Police District"
        return None

    def _taiwan_units(self, text: str, bureau: str) -> list[tuple[int, str]]:
        """Precincts and units a text about one Taiwan police bureau names alone: 溪湖分局,
        第一分局, 刑事警察大队 are that bureau's."""
        out: list[tuple[int, str]] = []
        at = text.find("分局")
        while at >= 0:
            if at >= 2 and not text.startswith("警察局", at - 5):
                stem = text[at - 2 : at]
                ordinal = zh.ORDINALS.get(stem)
                if ordinal is not None or zh.STEM.fullmatch(stem):
                    name = ordinal or romanise(stem)
                    out.append((at - 2, f"{name} Precinct of the {bureau}"))
            at = text.find("分局", at + 2)
        at = text.find("刑事警察大队")
        while at >= 0:
            if not text.startswith("警察局", at - 3):
                out.append((at, f"Criminal Investigation Corps of the {bureau}"))
            at = text.find("刑事警察大队", at + 6)
        return out

    def _taiwan_police(self, text: str, start: int, end: int) -> list[tuple[int, str]]:
        """A Taiwan city's or county's police (彰化县警察局溪湖分局, 台中市政府警察局刑事警察大队)
        and its precinct or unit."""
        before = text[max(0, start - 8) : start].removesuffix("政府")
        place = next(
            (self.zh_stem[before[-k:]] for k in (4, 3, 2) if before[-k:] in self.zh_stem), None
        )
        if place is None or self.within.get(place) != "Taiwan":
            return []
        if place.endswith(" County"):
            name = f"{place} Police Bureau"
        elif place in zh.TW_DEPARTMENTS:
            name = f"{place} City Police Department"
        else:
            name = f"{place} City Police Bureau"
        out = [(start, name)]
        branch = zh.TW_PRECINCT.match(text, end, min(len(text), end + 6))
        if branch is not None:
            stem = branch.group(1)
            precinct = zh.ORDINALS.get(stem) or romanise(stem)
            out.append((start, f"{precinct} Precinct of the {name}"))
        unit = zh.UNIT.match(text, end, min(len(text), end + 8))
        if unit is not None:
            out.append((start, f"{zh.UNIT_EN[unit.group(1)]} of the {name}"))
        return out

    def _local_body(self, text: str, start: int, body: str, home: str | None) -> str | None:
        """The English name of a provincial, city, county or district body ending at `start`."""
        before = text[max(0, start - 10) : start]
        level = ""
        for written in zh.LEVELS:
            if before.endswith(written):
                before = before[: -len(written)]
                level = written
                break
        region = next(
            (self.zh_stem[before[-k:]] for k in (5, 4, 3, 2) if before[-k:] in self.zh_stem),
            None,
        )
        # 省公安厅 in a Gansu story is Gansu's, 市公安局 in a Shenzhen story Shenzhen's
        if (
            region is None
            and home is not None
            and before[-1:] not in zh.NOT_HOME
            and (
                (level == "省" and self.level.get(home) == "province")
                or (level == "市" and home in self.cities)
            )
        ):
            region = home
        if region is None:
            if level not in ("市", "县", "区", "州", "自治州", "地区"):
                return None
            m = zh.STEM.search(before)
            if m is None or (m.group(0) + level) in zh.NOT_DIVISIONS:
                return None
            region = romanise(m.group(0))
        elif level in ("县", "区") and region.endswith((" County", " District")):
            region = region.rsplit(" ", 1)[0]
        if level:
            word = zh.LEVEL_EN[level]
        elif region in _AUTONOMOUS:
            word = "Autonomous Region"
        elif region in self.cities or region in _MUNICIPALITIES:
            word = "Municipal"
        elif self.level.get(region) == "province":
            word = "Provincial"
        else:
            return None
        if region in _AUTONOMOUS:
            word = "Autonomous Region"
        elif region in _MUNICIPALITIES:
            word = "Municipal"
        return f"{region} {word} {zh.BODY[body]}"

    def issuer_home(self, folded: str) -> str | None:
        """The home ("China", "Hong Kong", "Macau", "Taiwan", a country) of the police whose
        announcement this is: the home named most often in the headline and lead by its bodies
        and by words only its releases use; None when two homes are named as often."""
        lead = folded[:_ISSUER_LEAD]
        found = _ISSUERS_SEEN.get(lead)
        if found is not None:
            return found[0]
        counts: dict[str, int] = {}
        for _, _, home in self.issuers.find(lead):
            counts[home] = counts.get(home, 0) + 1
        best: str | None = None
        if counts:
            ranked = sorted(counts.values(), reverse=True)
            if len(ranked) == 1 or ranked[0] > ranked[1]:
                best = max(counts, key=lambda h: counts[h])
        _ISSUERS_SEEN.clear()
        _ISSUERS_SEEN[lead] = (best,)
        return best


# words that tell a release's home apart where no body is named: its police's everyday names,
# "this territory", its currency, its prosecutors
_ISSUER_WORDS: dict[str, tuple[str, ...]] = {
    "China": ("公安", "公安机关", "public security", "人民币"),
    "Hong Kong": ("港警", "香港警方", "本港", "港元", "港币", "Hong Kong police", "HK$", "HKD"),
    "Macau": ("澳门警方", "司警", "本澳", "澳门元", "澳门币", "Macau police", "Macao police"),
    "Taiwan": (
        "台湾警方",
        "地检署",
        "地方检察署",
        "新台币",
        "刑事局",
        "Taiwan police",
        "NT$",
        "TWD",
    ),
}
_ISSUER_LEAD = 1200
_ISSUERS_SEEN: dict[str, tuple[str | None]] = {}


def issuer_home(folded: str) -> str | None:
    return default_finder().issuer_home(folded)


_DEFAULT: dict[str, EntityFinder] = {}


def default_finder() -> EntityFinder:
    """The finder of config/regions.toml and config/agencies.toml, loaded on first use."""
    finder = _DEFAULT.get("default")
    if finder is None:
        finder = _DEFAULT["default"] = EntityFinder(gz.load())
    return finder


def find_regions(text: str, skip: Sequence[tuple[int, int]]) -> list[Place]:
    return default_finder().find_regions(text, skip)


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


def find_agencies(text: str, home: str | None, folded: str | None = None) -> list[str]:
    return default_finder().find_agencies(text, home, folded)


_BODIES_SEEN: dict[str, list[tuple[int, int, str]]] = {}


def _zh_bodies(text: str) -> list[tuple[int, int, str]]:
    """The bodies (公安局, 人民检察院 ...) of a text, scanned once for regions and agencies."""
    found = _BODIES_SEEN.get(text)
    if found is None:
        _BODIES_SEEN.clear()
        found = _BODIES_SEEN[text] = zh.BODIES.find(text)
    return found


def _title_case(words: str) -> str:
    small = {"of", "and", "the", "for"}
    return " ".join(
        w if w.lower() in small else w[:1].upper() + w[1:]
        for w in _SPACES.sub(" ", words.strip()).split(" ")
    ).replace("’", "'")
