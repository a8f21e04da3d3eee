"""The Extractor as the pipeline calls it: offsets, files, config resolution, any input."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.extract import EXTRACTOR_VERSION, Extractor
from monitor.extract.document import Document
from monitor.ingest import read_text
from monitor.models import Article, EnrichedArticle

from .conftest import DEV


def test_offsets_point_into_article_text(extractor: Extractor) -> None:
    """Every figure quote and campaign mention is article.text[start:end], on every dev text."""
    for path in sorted((DEV / "corpus").glob("*.txt")):
        article = read_text(path)
        ex = extractor.extract(article)
        for f in ex.figures:
            assert article.text[f.start : f.end] == f.quote
        for c in ex.campaigns:
            assert article.text[c.start : c.end] == c.mention


def test_enriched_article_round_trips(extractor: Extractor) -> None:
    """The extraction rides on the enriched message and survives its JSON round trip."""
    article = read_text(DEV / "corpus" / "002_ff60e37b336c58e2.txt")
    enriched = EnrichedArticle.of(article, extractor.extract(article))
    assert EnrichedArticle.from_json(enriched.to_json()) == enriched


def test_text_file_language_by_script(tmp_path: Path) -> None:
    """First line is the title; a Chinese file is 'zh', an English one 'en'."""
    zh = tmp_path / "zh.txt"
    zh.write_text("公安部通报\n全国公安机关抓获犯罪嫌疑人100名。", encoding="utf-8")
    en = tmp_path / "en.txt"
    en.write_text("Police report\n\nPolice arrested 100 suspects.", encoding="utf-8")
    a, b = read_text(zh), read_text(en)
    assert (a.title, a.lang, b.title, b.lang) == ("公安部通报", "zh", "Police report", "en")
    assert b.body == "Police arrested 100 suspects."


def test_default_config_found_outside_the_repository(tmp_path: Path) -> None:
    """Run from another folder, the extractor still finds the shipped campaigns.toml."""
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        ex = Extractor()
    finally:
        os.chdir(here)
    out = ex.extract(
        Article(id="x", title="公安部部署“净网2022”专项行动", body="抓获100名犯罪嫌疑人。")
    )
    assert [(c.canonical, c.known) for c in out.campaigns] == [("Clean Internet 2022", True)]
    assert ex.version == EXTRACTOR_VERSION


_TEXT = st.text(
    alphabet=st.sampled_from(
        list('0123456789,.%万亿余名起个元 abcdefg“”"-\n公安抓获犯罪嫌疑人more than')
    ),
    max_size=200,
)


@settings(max_examples=150, deadline=None)
@given(title=st.text(max_size=60), body=st.one_of(st.text(max_size=300), _TEXT))
def test_any_text_extracts_without_raising(extractor: Extractor, title: str, body: str) -> None:
    """Random text, and text made of the characters the rules care about, never raises, and
    every offset stays inside the text."""
    article = Article(id="r", title=title, body=body)
    ex = extractor.extract(article)
    for f in ex.figures:
        assert 0 <= f.start <= f.end <= len(article.text)
        assert article.text[f.start : f.end] == f.quote


def test_quotes_are_read_from_the_text_as_written(extractor: Extractor) -> None:
    """The rules read full-width digits as ASCII and traditional characters as simplified, but a
    quote is the article's own characters at its offsets."""
    article = Article(id="w", title="警方通報", body="警方抓獲犯罪嫌疑人１２０名，凍結資金３億元。")
    ex = extractor.extract(article)
    assert [(f.value, f.quote) for f in ex.figures] == [
        (120, "抓獲犯罪嫌疑人１２０名"),
        (300000000, "凍結資金３億元"),
    ]
    for f in ex.figures:
        assert article.text[f.start : f.end] == f.quote


def test_passes_fill_one_document_in_turn(extractor: Extractor) -> None:
    """`extract` is its passes over one Document: normalising keeps every offset (traditional
    script read in simplified), names come before the figures attached to them, and relevance
    is judged from all of them."""
    article = Article(
        id="t",
        title="臺中市政府警察局執行「靖紀」專案",
        body="臺中市政府警察局查獲詐騙集團，逮捕嫌犯12人，查扣新臺幣300萬元。",
    )
    doc = Document(written=article.text, title_length=len(article.title))
    filled = []
    for run in extractor.passes:
        run(doc)
        filled.append(getattr(run, "func", run).__name__)
        if filled[-1] == "normalise":
            assert (doc.lang, doc.traditional, len(doc.text)) == ("zh", True, len(doc.written))
            assert doc.text.startswith("台中市政府警察局执行")
        if filled[-1] == "attach_figures":
            assert doc.mentions and doc.regions and doc.agencies  # found before the figures
            assert {(f.value, f.measure) for f in doc.figures} >= {(12.0, "arrested")}
    assert filled[:2] == ["normalise", "segment"] and filled[-1] == "judge_relevance"
    assert doc.relevance is not None and doc.relevance.relevant
    # quotes and mentions are read from the article as written
    assert all(f.quote == article.text[f.start : f.end] for f in doc.figures)
    assert extractor.extract(article).figures == tuple(doc.figures)
