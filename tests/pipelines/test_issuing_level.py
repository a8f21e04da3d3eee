"""The extract and index stages give each article its issuing level: its source's declared level
from the sources file (an official source), else the body it names (a press source, an
article without a source level)."""

from __future__ import annotations

from pathlib import Path

from monitor.bus.embedded import EmbeddedBus
from monitor.index.base import SearchRequest
from monitor.index.embedded import EmbeddedIndex
from monitor.models import Article
from monitor.settings import load_settings
from tests.pipelines.test_runner import produce, run_both


def test_the_stages_store_each_articles_issuing_level(
    tmp_path: Path, bus: EmbeddedBus, index: EmbeddedIndex
) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        '[[source]]\nid = "sz-police"\nname = "深圳公安"\nurl = "https://a.example.cn/rss"\n'
        'level = "city"\n\n'
        '[[source]]\nid = "people"\nname = "人民网"\nurl = "https://b.example.cn/rss"\n'
        'level = "press"\n\n'
        '[[source]]\nid = "blog"\nname = "A blog"\nurl = "https://c.example.cn/rss"\n',
        encoding="utf-8",
    )
    settings = load_settings(data_dir=tmp_path / "data", feeds=feeds)
    ministry = "公安部部署全国公安机关开展打击电信网络诈骗犯罪专项行动，破获案件3万起。"
    articles = [
        # a city bureau relaying the Ministry's deployment: its own level
        Article(id="sz", feed_id="sz-police", lang="zh", title="深圳警方", body=ministry),
        Article(id="pd", feed_id="people", lang="zh", title="专项行动", body=ministry),
        Article(id="bl", feed_id="blog", lang="zh", title="专项行动", body=ministry),
        Article(id="px", feed_id="people", lang="zh", title="诈骗", body="警方破获诈骗案件30起。"),
        Article(id="fl", lang="zh", title="诈骗", body="警方破获诈骗案件30起。"),
    ]
    produce(bus, [(a.id, a.to_json()) for a in articles])
    run_both(settings, bus, index)
    stored = index.get("sz")
    assert stored is not None and stored.source_level == "city"
    facet = index.search(SearchRequest(size=0)).facets["level"]
    assert {b.key: b.count for b in facet} == {"ministry": 2, "city": 1, "press": 1}

    def at(level: str) -> list[str]:
        found = index.search(SearchRequest(filters={"level": (level,)}))
        return sorted(h.id for h in found.hits)

    assert at("city") == ["sz"]
    assert at("ministry") == ["bl", "pd"]
    assert at("press") == ["px"]  # "fl", from no source, names no body: no level
