"""An article's issuing level: who issued the announcement, on the ladder of the search's `level`
facet (the Ministry, a provincial department, a city or county bureau, the press).

An official source's declared level is its articles' level. Otherwise (a press source, or no
level: a source that declares none, an article from a file) the first mainland public-security
body the text names is the issuer, at its own level; when it names none, a press source's
article is "press" and one without a source level has none. The bodies are the extractor's
agencies, in the order the text names them, by the English names it gives them:

* ministry: the Ministry of Public Security, the bureaus config/agencies.toml files under it
  (its `parent`), and the National Anti-Fraud Center it runs;
* province: a public security department (公安厅, "the Jiangsu Provincial Public Security
  Department", "the Public Security Department of Hubei"), and the bureau of a municipality
  directly under the central government (北京市公安局, "the Shanghai Public Security Bureau"),
  a region of the gazetteer at province level, as the sources file declares their sites;
* city: any other public security bureau (city, prefecture, league, county, district) and any
  bureau's branch (广州市公安局番禺区分局, 北京市公安局朝阳分局);
* a unit of a body (刑侦总队, "Criminal Investigation Corps of the ...") is at its body's level.

Hong Kong's, Macao's and Taiwan's police, courts, procuratorates, governments, other national
bodies and foreign or international bodies are no public-security body of the ladder and are
passed over. An operation led by foreign police or an international body (the extraction's
`about_chinese_police` is false) was not issued by a Chinese body: its bodies are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache

from monitor.models import EnrichedArticle, Level

#: The levels of an official body's source: its articles are at that level whatever they name
OFFICIAL: frozenset[Level] = frozenset({"ministry", "province", "city"})
_MINISTRY = "Ministry of Public Security"
# run by the Ministry's criminal investigation bureau, though the gazetteer files no parent
_MINISTRY_RUN = ("National Anti-Fraud Center", "National Anti-Fraud Centre")
_BRANCH = re.compile(r" (?:District )?Branch of the .+ Public Security Bureau$")
_UNIT = re.compile(r"^.+? of the (.+)$")
_BUREAU = re.compile(
    r"^(.+?)(?: Municipal| Provincial| Autonomous Region)? Public Security Bureau$"
)


def level(
    source_level: Level | None, agencies: Iterable[str], about_chinese_police: bool = True
) -> Level | None:
    """The issuing level of an article from a source declared at `source_level` whose text
    names `agencies` (in order)."""
    if source_level in OFFICIAL:
        return source_level
    if about_chinese_police:
        for name in agencies:
            found = body_level(name)
            if found is not None:
                return found
    return source_level


def of(doc: EnrichedArticle) -> Level | None:
    """The issuing level of an indexed article."""
    ext = doc.extraction
    return level(doc.source_level, ext.agencies, ext.relevance.about_chinese_police)


def stamped(doc: EnrichedArticle, declared: Mapping[str, Level]) -> EnrichedArticle:
    """`doc` with the level the sources file declares for its source (`declared`: source id ->
    level); one whose source the file does not list, or lists without a level, keeps its own."""
    found = declared.get(doc.feed_id)
    if found is None or found == doc.source_level:
        return doc
    return doc.model_copy(update={"source_level": found})


@lru_cache(maxsize=8192)
def body_level(name: str) -> Level | None:
    """The level of the mainland public-security body the extractor calls `name`, or None for
    any other body."""
    ministry, listed, provinces = _gazetteer()
    if name in ministry:
        return "ministry"
    if name in listed:
        return None  # a body of the gazetteer, none of the Ministry's
    if _BRANCH.search(name):
        return "city"
    if name.startswith("Public Security Department of "):
        return "province"
    unit = _UNIT.match(name)
    if unit is not None:
        return body_level(unit.group(1))
    if name.endswith(" Public Security Department"):
        return "province"
    bureau = _BUREAU.match(name)
    if bureau is not None:
        return "province" if bureau.group(1) in provinces else "city"
    return None


@cache
def _gazetteer() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """From config/agencies.toml and regions.toml, read once: the Ministry and its bodies, every
    body the agencies file lists, and the province-level regions (a municipality's bureau is at
    province level)."""
    from monitor.extract import gazetteer

    found = gazetteer.default()
    ministry = {_MINISTRY, *_MINISTRY_RUN}
    ministry |= {a.name for a in found.agencies if a.parent == _MINISTRY and a.home == "China"}
    listed = frozenset(a.name for a in found.agencies)
    provinces = frozenset(r.name for r in found.regions if r.level == "province")
    return frozenset(ministry), listed, provinces
