"""Traditional script: a Chinese text in Hong Kong or Taiwan forms gives the extraction of its
simplified original, with offsets, quotes and mentions read from the text as written."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from monitor.extract import Extractor
from monitor.extract.text import Simplifier
from monitor.ingest import read_text
from monitor.models import Article, Extraction

ROOT = Path(__file__).resolve().parents[2]
REALDEV = ROOT / "tests" / "data" / "realdev" / "corpus"
CONVERSIONS = ("s2hk", "s2tw")

# announcements in the shapes ministry, provincial and city releases take
TEXTS = [
    (
        "公安部：“云剑-2022”行动抓获犯罪嫌疑人1.2万名",
        "记者从公安部获悉，今年以来，全国公安机关深入推进“云剑-2022”行动，"
        "共侦破电信网络诈骗案件3.4万余起，抓获犯罪嫌疑人1.2万名，捣毁窝点260余个，"
        "冻结涉案资金近18亿元。江苏、广东、福建等地公安机关破获案件数量居前。",
    ),
    (
        "广东警方“断卡”行动战果显著",
        "广东省公安厅统一部署开展“断卡”专项行动，打掉“两卡”违法犯罪团伙520个，"
        "抓获犯罪嫌疑人6800余名，查获电话卡4.1万张、银行卡2.3万张。深圳市公安局、"
        "广州市公安局分别抓获犯罪嫌疑人1200余名和900余名。",
    ),
    (
        "杭州警方召开“净网2023”专项行动新闻发布会",
        "杭州市公安局网警支队介绍，“净网2023”专项行动开展以来，共侦办网络犯罪案件1300余起，"
        "抓获犯罪嫌疑人2900余名，清理网上违法有害信息15万条，涉案金额超过3亿元。"
        "净网行动将持续至年底。",
    ),
    (
        "国家移民管理局通报打击妨害国（边）境管理犯罪成果",
        "国家移民管理局今天通报，今年1至10月，全国移民管理机构共侦办妨害国（边）境管理犯罪案件"
        "1.5万起，抓获犯罪嫌疑人2.1万名，其中从缅甸、柬埔寨等国遣返人员3200余名。"
        "云南、广西边境地区查获偷渡人员数量同比下降12.5%。",
    ),
]


@pytest.fixture(scope="module")
def converters() -> dict[str, opencc.OpenCC]:
    return {c: opencc.OpenCC(c) for c in CONVERSIONS}


def _same(original: Extraction, converted: Extraction, text: str) -> None:
    """What a reader compares: campaigns, figures (values, units, measures, approx, regions,
    offsets), agencies and regions; quotes and mentions are the converted text's own."""
    assert [c.canonical for c in converted.campaigns] == [c.canonical for c in original.campaigns]
    assert [(c.start, c.end) for c in converted.campaigns] == [
        (c.start, c.end) for c in original.campaigns
    ]
    assert [
        (f.value, f.unit, f.measure, f.approx, f.region, f.start, f.end) for f in converted.figures
    ] == [
        (f.value, f.unit, f.measure, f.approx, f.region, f.start, f.end) for f in original.figures
    ]
    assert converted.agencies == original.agencies
    assert converted.regions == original.regions
    for f in converted.figures:
        assert text[f.start : f.end] == f.quote
    for c in converted.campaigns:
        assert text[c.start : c.end] == c.mention


@pytest.mark.parametrize("conversion", CONVERSIONS)
@pytest.mark.parametrize(("title", "body"), TEXTS, ids=[t[:12] for t, _ in TEXTS])
def test_traditional_text_gives_the_simplified_extraction(
    extractor: Extractor,
    converters: dict[str, opencc.OpenCC],
    conversion: str,
    title: str,
    body: str,
) -> None:
    original = extractor.extract(Article(id="s", title=title, body=body))
    assert original.campaigns or original.figures  # the texts do carry something to compare
    convert = converters[conversion].convert
    article = Article(id="t", title=convert(title), body=convert(body))
    assert article.text != f"{title}\n\n{body}"
    _same(original, extractor.extract(article), article.text)


def test_every_simplified_development_text_reads_the_same_in_traditional(
    extractor: Extractor, converters: dict[str, opencc.OpenCC]
) -> None:
    """Every simplified Chinese text of tests/data/realdev, as written and converted."""
    paths = sorted(REALDEV.glob("zh_*.txt"))
    assert paths, f"no simplified Chinese texts in {REALDEV}"
    for path in paths:
        article = read_text(path)
        original = extractor.extract(article)
        for conversion in CONVERSIONS:
            convert = converters[conversion].convert
            converted = article.model_copy(
                update={"title": convert(article.title), "body": convert(article.body)}
            )
            try:
                _same(original, extractor.extract(converted), converted.text)
            except AssertionError as exc:
                raise AssertionError(f"{path.name} ({conversion}): {exc}") from exc


@pytest.mark.parametrize(
    ("title", "canonical", "mention"),
    [
        ("公安部部署「雲劍-2022」行動", "Cloud Sword 2022", "雲劍-2022"),
        ("公安機關深入推進“淨網2021”專項行動", "Clean Internet 2021", "淨網2021"),
        ("警方持續開展「斷卡」行動", "Card Breaking", "斷卡"),
        ("「崑崙-2023」專項行動成效顯著", "Kunlun 2023", "崑崙-2023"),
    ],
)
def test_traditional_campaign_names_are_known(
    extractor: Extractor, title: str, canonical: str, mention: str
) -> None:
    """雲劍, 淨網, 斷卡 in corner brackets or curly quotes are the known campaigns, mentioned as
    written."""
    ex = extractor.extract(Article(id="t", title=title, body="抓獲犯罪嫌疑人300名。"))
    assert [(c.canonical, c.mention, c.known) for c in ex.campaigns] == [(canonical, mention, True)]
    (figure,) = ex.figures
    assert (figure.value, figure.measure, figure.quote) == (300, "arrested", "抓獲犯罪嫌疑人300名")


def test_simplifier_keeps_length_and_leaves_simplified_text_alone() -> None:
    """One character for one; a simplified text comes back as it was, 乾隆 stays a name while
    乾淨 becomes 干净, and Hong Kong's 衞 and Taiwan's 痺 are read as 卫 and 痹."""
    simplifier = Simplifier()
    simplified = "什么时候开展的“净网”行动？警方表示，显著成效。"
    assert simplifier.simplified(simplified) is simplified
    assert not simplifier.is_traditional(simplified)
    text = "「斷卡」行動：乾隆年間的乾淨水源，衞生署，麻痺大意。"
    out = simplifier.simplified(text)
    assert len(out) == len(text)
    assert out == "“断卡”行动：乾隆年间的干净水源，卫生署，麻痹大意。"
    assert simplifier.is_traditional(text)


def test_taiwan_words_read_as_the_mainland_ones(extractor: Extractor) -> None:
    """網路詐欺 (Taiwan's words for online fraud) and 帳戶 read as 网络诈骗 and 账户: the same
    figures and crime types as the mainland wording."""
    taiwan = extractor.extract(
        Article(
            id="tw",
            title="刑事警察局破獲網路詐欺集團",
            body="警方破獲網路詐欺集團3個，查扣人頭帳戶120個，逮捕嫌犯25人。",
        )
    )
    mainland = extractor.extract(
        Article(
            id="cn",
            title="刑事警察局破获网络诈骗集团",
            body="警方破获网络诈骗集团3个，查扣人头账户120个，逮捕嫌犯25人。",
        )
    )
    assert taiwan.figures and taiwan.crime_types
    assert [(f.value, f.unit, f.measure, f.start, f.end) for f in taiwan.figures] == [
        (f.value, f.unit, f.measure, f.start, f.end) for f in mainland.figures
    ]
    assert taiwan.crime_types == mainland.crime_types
    assert Simplifier().simplified("網路詐欺、簡訊、帳號") == "网络诈骗、短信、账号"
