"""The issuing level (monitor.issuer): decided from the source's declared level and the bodies the
extractor finds in real-shaped texts in both languages and scripts, stored by both backends, and
brought to articles indexed before it by `monitor replay`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from monitor import issuer
from monitor.extract import Extractor
from monitor.index.base import Index, SearchRequest
from monitor.index.embedded import EmbeddedIndex
from monitor.models import Article, EnrichedArticle, Extraction
from tests.conftest import ROOT, make_article

# (language, text, the body's level: what a press source's article or one without a source
# level is issued at when the text names nothing else first)
TEXTS = [
    ("zh", "公安部近日召开会议，部署全国公安机关开展夏季治安打击整治行动。", "ministry"),
    ("zh", "新华社北京6月1日电 记者从公安部刑侦局获悉，全国破获案件5万起。", "ministry"),
    ("zh", "国家反诈中心提醒，警惕冒充客服诈骗。", "ministry"),
    ("zh", "江苏省公安厅今天通报，全省公安机关破获电信网络诈骗案件1200起。", "province"),
    ("zh", "内蒙古自治区公安厅刑侦总队破获一起特大盗窃案。", "province"),
    ("zh", "北京市公安局今日通报，抓获犯罪嫌疑人50名。", "province"),
    ("zh", "北京市公安局朝阳分局破获一起诈骗案。", "city"),
    ("zh", "广州市公安局番禺区分局近日捣毁一个诈骗团伙。", "city"),
    ("zh", "城步县公安局开展净网行动，抓获嫌疑人3名。", "city"),
    ("zh", "江蘇省公安廳通報，全省破獲詐騙案件。", "province"),
    ("zh", "廣州市公安局番禺區分局搗毀詐騙團夥，拘捕25人。", "city"),
    (
        "en",
        "The Ministry of Public Security said police had solved 50,000 fraud cases.",
        "ministry",
    ),
    (
        "en",
        "NANJING, June 1 (Xinhua) -- The Jiangsu Provincial Public Security Department said"
        " police cracked 1,000 cases.",
        "province",
    ),
    ("en", "The Shanghai Public Security Bureau said 30 people were detained.", "province"),
    ("en", "The Guangzhou Municipal Public Security Bureau arrested 25 suspects.", "city"),
    # a national body that is not the police is passed over for the one named after it
    (
        "en",
        "The Supreme People's Procuratorate charged 100 people, the Ministry of Public Security"
        " said.",
        "ministry",
    ),
    # Hong Kong's, Macao's and Taiwan's police are no mainland public-security body
    ("zh", "香港警務處網絡安全及科技罪案調查科拘捕10人。", None),
    ("zh", "澳门司法警察局拘捕两名男子。", None),
    ("zh", "台中市政府警察局刑事警察大队查获诈骗集团。", None),
    ("en", "The Hong Kong Police Force arrested 10 people in a fraud operation.", None),
    ("en", "Police in China arrested 10 people in a fraud operation.", None),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def extracted(extractor: Extractor, lang: str, text: str) -> Extraction:
    return extractor.extract(Article(id="t", title=text[:12], body=text, lang=lang))  # type: ignore[arg-type]


@pytest.mark.parametrize(("lang", "text", "body"), TEXTS, ids=[t[1][:16] for t in TEXTS])
def test_the_issuer_is_the_first_mainland_public_security_body_named(
    extractor: Extractor, lang: str, text: str, body: str | None
) -> None:
    ext = extracted(extractor, lang, text)
    assert issuer.level(None, ext.agencies, ext.relevance.about_chinese_police) == body
    assert issuer.level("press", ext.agencies, ext.relevance.about_chinese_police) == (
        body or "press"
    )
    # an official source's articles are at its level whatever they name
    for declared in ("ministry", "province", "city"):
        assert issuer.level(declared, ext.agencies) == declared


def test_an_operation_led_by_foreign_police_is_issued_by_no_chinese_body(
    extractor: Extractor,
) -> None:
    text = "INTERPOL coordinated Operation First Light with the Ministry of Public Security."
    ext = extracted(extractor, "en", text)
    assert "Ministry of Public Security" in ext.agencies
    assert not ext.relevance.about_chinese_police
    assert issuer.level("press", ext.agencies, False) == "press"
    assert issuer.level(None, ext.agencies, False) is None
    assert issuer.level(None, ext.agencies, True) == "ministry"


def test_a_body_is_read_at_its_own_level_not_its_parts() -> None:
    assert issuer.body_level("Cyber Security Bureau of the Ministry of Public Security") == (
        "ministry"
    )
    assert issuer.body_level(
        "Criminal Investigation Corps of the Beijing Municipal Public Security Bureau"
    ) == ("province")
    assert issuer.body_level("Public Security Department of Hubei Province") == "province"
    # a bureau the gazetteer lists without its ministry is not placed on the ladder
    assert issuer.body_level("Public Security Administration Bureau") is None
    assert issuer.body_level("Hubei Provincial People's Government") is None
    assert issuer.body_level("Criminal Investigation Corps of the Taichung City Police") is None


def test_the_sources_file_level_is_stamped_where_it_declares_one() -> None:
    doc = EnrichedArticle.of(make_article(1), Extraction(extractor_version="v"))
    assert issuer.stamped(doc, {"test": "city"}).source_level == "city"
    kept = doc.model_copy(update={"source_level": "press"})
    assert issuer.stamped(kept, {"other": "city"}).source_level == "press"  # source not listed


def _doc(n: int, source_level: str | None, agencies: tuple[str, ...] = ()) -> EnrichedArticle:
    return EnrichedArticle.of(
        make_article(n), Extraction(extractor_version="test-1", agencies=agencies)
    ).model_copy(update={"source_level": source_level})


def _ids(index: Index, *levels: str) -> list[str]:
    found = index.search(SearchRequest(filters={"level": levels}, size=50))
    return sorted(h.id for h in found.hits)


def test_both_backends_store_filter_and_count_the_level(index: Index) -> None:
    city = ("Chengbu County Public Security Bureau", "Ministry of Public Security")
    docs = [
        _doc(1, "ministry"),
        _doc(2, "press", city),
        _doc(3, "press"),
        _doc(4, None, ("Jiangsu Provincial Public Security Department",)),
        _doc(5, None),
    ]
    assert index.upsert_many(docs) == ["created"] * 5
    assert _ids(index, "ministry") == ["art-1"]
    assert _ids(index, "city", "province") == ["art-2", "art-4"]
    assert _ids(index, "press") == ["art-3"]
    facet = index.search(SearchRequest(size=0)).facets["level"]
    assert {b.key: b.count for b in facet} == {"ministry": 1, "city": 1, "press": 1, "province": 1}
    # the same article again is unchanged; a new level for it is written though its content
    # and extractor are the same
    assert index.upsert_many([docs[2]]) == ["unchanged"]
    assert index.upsert_many([_doc(3, "city")]) == ["updated"]
    assert _ids(index, "city") == ["art-2", "art-3"] and _ids(index, "press") == []


def test_replay_stores_the_level_of_articles_indexed_before_it(tmp_path: Path) -> None:
    """An index written before levels were stored (no level rows, no source level in the stored
    articles) gets them from `monitor replay`, from the sources file as it is now; `monitor
    search --level` then finds them."""
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        '[[source]]\nid = "test"\nname = "Test Daily"\nurl = "https://test.example.cn/rss"\n'
        'level = "press"\n',
        encoding="utf-8",
    )
    extractor = Extractor()
    zh = make_article(1, lang="zh", body="记者从江苏省公安厅获悉，全省破获诈骗案件1000起。")
    docs = [EnrichedArticle.of(a, extractor.extract(a)) for a in (zh, make_article(2))]
    index = EmbeddedIndex(tmp_path / "index.db")
    index.upsert_many(docs)
    index.close()
    with sqlite3.connect(tmp_path / "index.db") as conn:  # as an index written before levels
        conn.execute("DELETE FROM facets WHERE field = 'level'")
    environ = {
        **os.environ,
        "MONITOR_DATA_DIR": str(tmp_path),
        "MONITOR_FEEDS": str(feeds),
        "MONITOR_LOG__LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "monitor.cli", "replay"]
    done = subprocess.run(
        command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=240, check=True
    )
    assert "0 changed what was extracted, 2 more had their issuing level" in done.stdout
    index = EmbeddedIndex(tmp_path / "index.db")
    try:
        assert _ids(index, "province") == ["art-1"]
        assert _ids(index, "press") == ["art-2"]
        art = index.get("art-2")
        assert art is not None and art.source_level == "press"
    finally:
        index.close()
    again = subprocess.run(
        command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=240, check=True
    )
    assert "0 more had their issuing level" in again.stdout
    searched = subprocess.run(
        [*command[:-1], "search", "--level", "province", "--json"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    found = json.loads(searched.stdout)
    assert [h["id"] for h in found["hits"]] == ["art-1"]
    assert {b["key"]: b["count"] for b in found["facets"]["level"]} == {"province": 1, "press": 1}
