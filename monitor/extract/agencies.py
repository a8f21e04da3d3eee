"""Government, Party and police bodies named in an announcement, by their English names: the
gazetteer's (config/agencies.toml) and those read by pattern (江苏省公安厅, 广州市公安局番禺区分局,
"the Jiangsu Provincial Public Security Department", Taiwan's and Hong Kong's police).
"""

from __future__ import annotations

import bisect
import re
from typing import Final

from monitor.extract import gazetteer as gz
from monitor.extract.en import entities as en
from monitor.extract.entities import (
    ISSUER_LEAD,
    EntityFinder,
    default_finder,
    romanise,
    zh_bodies,
)
from monitor.extract.keywords import Keywords, fold
from monitor.extract.text import has_cjk
from monitor.extract.zh import entities as zh

# constants, not imported names, which compiled code looks up at every call (see setup.py)
bisect_left: Final = bisect.bisect_left
insort: Final = bisect.insort

_AUTONOMOUS: Final = frozenset({"Guangxi", "Inner Mongolia", "Tibet", "Ningxia", "Xinjiang"})
_MUNICIPALITIES: Final = frozenset({"Beijing", "Tianjin", "Shanghai", "Chongqing"})
_LOCAL_LEVELS: Final = frozenset({"County ", "District ", "Prefecture ", "Prefectural "})


class AgencyFinder:
    """The bodies of one gazetteer: keyword automata and lookup tables, built once. `places` is
    the EntityFinder of the same gazetteer, whose region tables name a local body's place."""

    def __init__(self, places: EntityFinder) -> None:
        self.places = places
        gazetteer = places.gazetteer
        forms: dict[str, str] = {}
        possessive: set[str] = set()
        for agency in gazetteer.agencies:
            for form in (agency.name, *agency.aliases):
                key = gz.matchable(form)
                if key is not None:
                    forms[key] = agency.name
            for form in _possessive_forms(agency, gazetteer):
                possessive.add(form)
                forms.setdefault(form, agency.name)
        for form, name in _owned_forms({f: n for f, n in forms.items() if f.isascii()}).items():
            forms.setdefault(form, name)
        # abbreviations, and names that end in "Police", match only as written: "Hong Kong
        # police" and "Myanmar police" are the police of a place, not the force's name (a
        # country's possessive names the force in any case, and with either apostrophe)
        exact = {
            f
            for f in forms
            if f.isascii() and (f.isupper() or f.endswith(" Police")) and f not in possessive
        }
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
                if k > 0 and low.startswith(lowered[k - 1] + " "):
                    continue  # a title's words after a name: "Ministry of Public Security Updates"
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
        for at, _, _ in en.LEVEL_WORDS.find(folded):
            m = en.LOCAL.match(text, at)
            if m:
                named = en.NAME_BEFORE.search(text, max(0, m.start() - 30), m.start())
                region = self._region_named(named.group(1), home) if named else home
                if region:
                    body = f"{_title_case(m.group(1))} {_title_case(m.group(2))}"
                    found.append((m.start(), f"{region} {body}"))
                    office = en.OFFICE_BEFORE.search(text, max(0, m.start() - 50), m.start())
                    if office is not None:
                        # "the General Office of the Hubei Provincial People's Government"
                        found.append((office.start(), f"{office.group(1)} of the {region} {body}"))
        # "the Public Security Department of Hubei (Province)", "the Shanghai Public Security
        # Bureau": as written, with the place the gazetteer knows
        for here, _, _ in en.PUBLIC_SECURITY.find(folded):
            if folded.startswith(" department of ", here + 15):
                m = en.DEPARTMENT_OF.match(text, here)
                if m and m.group(2) in self.places.region_en:
                    found.append((m.start(), _title_case(m.group(0))))
                continue
            if folded.startswith(" bureau", here + 15):
                phrase_start, phrase_end = here, here + 22
            elif folded.startswith(" department", here + 15):
                phrase_start, phrase_end = here, here + 26  # "the Guangdong public security
                # department", "Guangdong's Public Security Department"
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
            level = named.group(2) or ""
            written = named.group(1).removesuffix("'s").removesuffix("’s")
            place = self._region_named(written, None)
            if place is not None and not level and phrase_end == here + 26:
                if self.places.level.get(place) != "province":
                    continue
                level = "Provincial "  # a province's department, as its Chinese name is read
            if place is None:
                # a county's or district's bureau written as a name ("the Chengbu County Public
                # Security Bureau"): the place as written, though the gazetteer lists no county
                place = written.rpartition(" ")[2]
                if (
                    level not in _LOCAL_LEVELS
                    or place in en.NOT_DIVISION
                    or not text.startswith("Public Security", here)
                ):
                    continue
            if phrase_end == here + 22 and level and level not in _LOCAL_LEVELS:
                continue  # "Municipal Public Security Bureau" is read above
            name = f"{place} {level}{text[start:phrase_end]}"
            found.append((named.start(), _title_case(name)))
        return found

    def _region_named(self, words: str, home: str | None) -> str | None:
        """The gazetteer's place `words` name ("Henan", "The Henan": a capital opening a
        sentence is not part of the name), else `home`."""
        region_en = self.places.region_en
        return region_en.get(words) or region_en.get(words.rpartition(" ")[2]) or home

    def _regional_en(self, text: str, folded: str) -> list[tuple[int, str]]:
        """Taiwan's and Hong Kong's bodies as their English releases write them: "the Taichung
        District Prosecutors' Office", "Taipei City Police Department", "Changhua County Police
        Bureau", "Western Police District"."""
        found: list[tuple[int, str]] = []
        for at, after, _ in en.REGIONAL_EN_WORDS.find(folded):
            m = en.REGIONAL.search(text, max(0, at - 40), after + 12)
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
                region = self.places.region_en.get(place) or self.places.region_en.get(
                    f"{place} County"
                )
                if region is not None and self.places.within.get(region) == "Taiwan":
                    written = body.replace("'", "").replace("’", "")
                    found.append((m.start(), f"{place} {written}"))
                    break
                words.pop(0)  # "the Taiwan Taichung District Prosecutors Office"
        return found

    def _local_zh(self, text: str, home: str | None) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        taiwan: list[tuple[int, str]] = []  # Taiwan's city and county police named in full
        for start, end, body in zh_bodies(text):
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
                known = self.places.region_zh.get(branch.group(1) + "区")
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
        return self.places.issuer_home(fold(text[:ISSUER_LEAD]))

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
            (
                self.places.zh_stem[before[-k:]]
                for k in (3, 2)
                if before[-k:] in self.places.zh_stem
            ),
            None,
        )
        if place is None:
            # 士林地检署, 台湾桥头地方检察署: a district named only by its office (移送地方检察署
            # names none)
            stem = zh.STEM.search(before)
            if stem is None or (body != "地检署" and not text.startswith("台湾", start - 4)):
                return None
            place = romanise(stem.group(0))
        elif self.places.within.get(place) != "Taiwan":
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
                place = self.places.region_zh.get(stem)
                if place is None or self.places.within.get(place) != "Hong Kong":
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
            (
                self.places.zh_stem[before[-k:]]
                for k in (4, 3, 2)
                if before[-k:] in self.places.zh_stem
            ),
            None,
        )
        if place is None or self.places.within.get(place) != "Taiwan":
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
                if written == "州" and any(before[-k:] in self.places.zh_stem for k in (2, 3)):
                    break  # 广州公安局: the name ends in 州
                before = zh.without_peoples(before[: -len(written)])
                level = written
                break
        region = next(
            (
                self.places.zh_stem[before[-k:]]
                for k in (5, 4, 3, 2)
                if before[-k:] in self.places.zh_stem
            ),
            None,
        )
        # 省公安厅 in a Gansu story is Gansu's, 市公安局 in a Shenzhen story Shenzhen's
        if (
            region is None
            and home is not None
            and before[-1:] not in zh.NOT_HOME
            and (
                (level == "省" and self.places.level.get(home) == "province")
                or (level == "市" and home in self.places.cities)
                # 州公安局 standing alone, not the end of a name (广州公安局)
                or (level == "州" and home in self.places.cities and not has_cjk(before[-1:]))
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
        elif region in self.places.cities or region in _MUNICIPALITIES:
            word = "Municipal"
        elif self.places.level.get(region) == "province":
            word = "Provincial"
        else:
            return None
        if region in _AUTONOMOUS:
            word = "Autonomous Region"
        elif region in _MUNICIPALITIES:
            word = "Municipal"
        return f"{region} {word} {zh.BODY[body]}"


_DEFAULT: dict[str, AgencyFinder] = {}


def default_agency_finder() -> AgencyFinder:
    """The finder of config/agencies.toml (and regions.toml), built on first use."""
    finder = _DEFAULT.get("default")
    if finder is None:
        finder = _DEFAULT["default"] = AgencyFinder(default_finder())
    return finder


def find_agencies(text: str, home: str | None, folded: str | None = None) -> list[str]:
    """Government and Party bodies by their English names; `home` names an unnamed
    'municipal'. `folded` is `fold(text)` when the caller has it already."""
    return default_agency_finder().find_agencies(text, home, folded)


def _possessive_forms(agency: gz.AgencyEntry, gazetteer: gz.Gazetteer) -> list[str]:
    """A foreign body named by its country's adjective, named by its country instead: the
    Spanish National Police as "Spain's National Police", the Korean National Police Agency as
    "Korea's National Police Agency" (the adjective and a name of the home share their first
    three letters), and one named "... of" its country by the country's possessive: the National
    Police Agency of Japan as "Japan's National Police Agency"."""
    home = gazetteer.region(agency.home) if agency.home not in gz.CHINESE_HOMES else None
    adjective, _, rest = agency.name.partition(" ")
    if home is None or not rest:
        return []
    forms = []
    head, of, owner = agency.name.rpartition(" of ")
    if of and (owner == home.name or owner in home.aliases):  # "Japan's National Police Agency"
        forms.append(f"{_possessive(owner)} {head}")
    for country in (home.name, *home.aliases):
        if country.split()[-1][:3] == adjective[:3]:
            forms.append(f"{_possessive(country)} {rest}")
    return forms


def _owned_forms(forms: dict[str, str]) -> dict[str, str]:
    """A body named under another as English texts also write it, with the other's possessive:
    "State Council Inter-Ministerial Joint Conference ..." as "State Council's inter-ministerial
    joint conference ...", "Criminal Investigation Bureau of the Ministry of Public Security" as
    "Ministry of Public Security's Criminal Investigation Bureau"."""
    owners = sorted((f for f in forms if len(f.split()) >= 2 and not f.isupper()), key=len)
    out: dict[str, str] = {}
    for form, name in forms.items():
        head, sep, owner = form.partition(" of the ")
        if sep and owner in forms and head[:1].isupper():
            out[f"{_possessive(owner)} {head}"] = name
            continue
        for other in owners:
            if len(other) < len(form) and form.startswith(other + " "):
                rest = form[len(other) + 1 :]
                if rest[:1].isupper():
                    out[f"{_possessive(other)} {rest}"] = name
    return out


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _title_case(words: str) -> str:
    small = {"of", "and", "the", "for"}
    return " ".join(
        w if w.lower() in small else w[:1].upper() + w[1:] for w in words.split()
    ).replace("’", "'")
