"""Figures of Hong Kong, Taiwan and Macau releases: whose dollar a bare 元 is, and the words
their police count with (拘捕, 宗, 户口, 车手, 件, 8男3女 ...). The sentences are the team's own,
in the shapes these releases take."""

from __future__ import annotations

from collections.abc import Callable

from monitor.models import Extraction

Run = Callable[..., Extraction]


def _money(ex: Extraction) -> dict[float, str]:
    return {f.value: f.unit for f in ex.figures if f.unit.isupper()}


def _got(ex: Extraction) -> set[tuple[float, str, str, str]]:
    return {(f.value, f.unit, f.measure, f.approx) for f in ex.figures}


# --- the currency of a bare 元 ------------------------------------------------------------


def test_a_hong_kong_police_release_counts_in_hong_kong_dollars(run: Run) -> None:
    ex = run(
        "警方破網上投資騙案 拘12人",
        "香港警務處商業罪案調查科上周採取行動，拘捕12人，涉及47宗案件，涉款約3,200萬元。"
        "行動中警方檢獲50萬元現金。",
    )
    assert _money(ex) == {32_000_000: "HKD", 500_000: "HKD"}


def test_a_taiwan_release_counts_in_new_taiwan_dollars(run: Run) -> None:
    ex = run(
        "刑事局破假投資詐團 查扣不法所得",
        "內政部警政署刑事警察局與新北地檢署合作，查獲詐欺集團成員21人，財損逾8,600萬元，"
        "查扣不法所得1,250萬元。",
    )
    assert _money(ex) == {86_000_000: "TWD", 12_500_000: "TWD"}


def test_a_macau_release_counts_in_patacas(run: Run) -> None:
    ex = run(
        "司警拘兩男涉電話詐騙",
        "澳門司法警察局昨日拘捕兩名男子，涉嫌冒充銀行職員詐騙，受害人損失約38萬元。",
    )
    assert _money(ex) == {380_000: "MOP"}


def test_an_amount_named_in_another_currency_keeps_it(run: Run) -> None:
    """港元, 美元, 人民币 named before or after the number win over the locale."""
    ex = run(
        "警方拘捕跨境洗錢集團成員",
        "香港警方拘捕8人，涉款1.2億元，其中約1,500萬美元經虛擬貨幣轉往海外，"
        "另有人民幣300萬元在內地被凍結。",
    )
    assert _money(ex) == {120_000_000: "HKD", 15_000_000: "USD", 3_000_000: "CNY"}


def test_a_mainland_release_that_names_hong_kong_stays_in_yuan(run: Run) -> None:
    ex = run(
        "深圳公安破获跨境电诈案",
        "深圳市公安局近日破获一起电信网络诈骗案，抓获犯罪嫌疑人15名，其中一名嫌疑人曾在香港"
        "开设银行账户，涉案金额2000余万元。",
    )
    assert _money(ex) == {20_000_000: "CNY"}


def test_a_release_whose_other_amounts_are_in_one_regional_currency(run: Run) -> None:
    """No body named: the text's explicit 新台币 decides its bare 元."""
    ex = run(
        "假檢警詐騙 婦人遭騙光積蓄",
        "一名婦人遭假冒檢警詐騙，先後交付新臺幣320萬元現金，另匯款150萬元至指定帳戶。",
    )
    assert _money(ex) == {3_200_000: "TWD", 1_500_000: "TWD"}


def test_a_story_set_in_taiwan_reads_its_yuan_as_taiwan_dollars(run: Run) -> None:
    """No body, no currency word: the places of the story (a Taiwan city, a foreign country
    that says nothing of the dollar)."""
    ex = run(
        "高雄車手集團落網",
        "高雄警方破獲一個替柬埔寨詐團提領贓款的車手集團，逮捕成員6人，他們在高雄各地"
        "提款機提領逾900萬元。",
    )
    assert _money(ex) == {9_000_000: "TWD"}


def test_a_conversion_into_the_local_currency_is_not_a_second_figure(run: Run) -> None:
    ex = run(
        "陸公安部：去年緊急止付涉詐資金",
        "大陸公安機關去年緊急止付涉詐資金人民幣5300萬元（約新台幣2.4億元）。",
    )
    assert _money(ex) == {53_000_000: "CNY"}


def test_an_english_hong_kong_release_reads_a_bare_dollar_sign_as_hkd(run: Run) -> None:
    ex = run(
        "Police bust money laundering syndicate",
        "Hong Kong Police arrested 14 people for laundering $86 million through stooge "
        "accounts, of which US$2 million went to overseas exchanges.",
    )
    assert _money(ex) == {86_000_000: "HKD", 2_000_000: "USD"}


def test_an_english_mainland_text_keeps_the_us_dollar(run: Run) -> None:
    ex = run(
        "Chinese police crack telecom fraud ring",
        "Public security authorities in Fujian said the gang had defrauded victims of $12 million.",
    )
    assert _money(ex) == {12_000_000: "USD"}
