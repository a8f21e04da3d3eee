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


# --- the words Hong Kong, Taiwan and Macau releases count with --------------------------------


def test_hong_kong_verbs_and_classifiers(run: Run) -> None:
    """拘捕/拘 arrest, 宗 cases, 捣破/瓦解 gangs, 检获 seized, 涉款 involved, 户口 accounts,
    暂控 charged."""
    ex = run(
        "警方搗破詐騙集團 拘捕26人",
        "香港警方昨日採取行動，搗破兩個詐騙集團，拘捕26名疑犯，涉及93宗案件，涉款約4,800萬元。"
        "行動中檢獲現金30萬元，並凍結120個銀行戶口。當中7人已被暫控串謀詐騙罪。",
    )
    assert _got(ex) >= {
        (2, "gangs", "gangs_destroyed", "exact"),
        (26, "people", "arrested", "exact"),
        (93, "cases", "cases_handled", "exact"),
        (48_000_000, "HKD", "money_involved", "about"),
        (300_000, "HKD", "money_seized", "exact"),
        (120, "accounts", "other:accounts_frozen", "exact"),
        (7, "people", "other:people_charged", "exact"),
    }


def test_men_and_women_are_counted_apart(run: Run) -> None:
    """8男3女 is two figures of people, each with the measure of the verb before them."""
    ex = run("警方拘捕洗黑錢集團成員", "香港警方瓦解一個洗黑錢集團，共拘9男4女，年齡介乎18至60歲。")
    got = {(f.value, f.measure): f.quote for f in ex.figures if f.unit == "people"}
    assert got == {(9, "arrested"): "拘9男", (4, "arrested"): "4女"}


def test_taiwan_counts_cases_in_jian(run: Run) -> None:
    """件 counts cases: 受理2738件, 诈欺集团案22件 (a gang's case, not a gang); a noun of objects
    before it keeps its own unit."""
    ex = run(
        "桃園市警局打詐成果",
        "桃園市政府警察局上月受理詐欺案2,738件，偵破詐欺集團案22件，逮捕車手等犯嫌120人，"
        "查扣手機50支及提款卡53張，攔阻民眾匯款1.2億元。",
    )
    assert _got(ex) >= {
        (2738, "cases", "cases_handled", "exact"),
        (22, "cases", "cases_solved", "exact"),
        (120, "people", "arrested", "exact"),
        (53, "cards", "other:cards_seized", "exact"),
        (120_000_000, "TWD", "money_frozen", "exact"),
    }
    assert not any(f.unit == "gangs" for f in ex.figures)


def test_a_count_a_list_item_follows_is_not_read_as_the_next_noun(run: Run) -> None:
    """3人及马籍犯嫌: the noun after 及 belongs to the next count."""
    ex = run(
        "刑事局破跨國機房",
        "刑事警察局逮捕台籍犯嫌6人及日籍犯嫌2人，查扣筆電4臺及路由器1臺。",
    )
    assert {(f.value, f.measure) for f in ex.figures if f.unit == "people"} == {
        (6, "arrested"),
        (2, "arrested"),
    }
    assert {f.value for f in ex.figures if f.unit == "devices"} == {4, 1}


def test_hong_kong_sub_counts_after_dangzhong(run: Run) -> None:
    """当中 leads a sentence of sub-counts as 其中 does: they take the measure of the total."""
    ex = run(
        "警方雷霆行動拘捕逾千人",
        "警方在行動中共拘捕1,250人。當中有310名內地人士。",
    )
    assert (310, "people", "arrested", "exact") in _got(ex)


# --- numbers and amounts as these releases write them ------------------------------------


def test_numbers_read_digit_by_digit_and_sections_with_a_zero(run: Run) -> None:
    """Taiwan writes 三二六件, 二○七二人次, 一億七二四四萬元; 2亿082万 keeps a zero."""
    ex = run(
        "彰化縣警察局打詐成果",
        "彰化縣警察局累計查獲詐欺集團三二六件，逮捕集團成員二○七二人次，"
        "財損新臺幣一億七二四四萬元，上月財損約2億082萬元。",
    )
    assert _got(ex) >= {
        (326, "cases", "cases_solved", "exact"),
        (2072, "people", "arrested", "exact"),
        (172_440_000, "TWD", "money_involved", "exact"),
        (200_820_000, "TWD", "money_involved", "about"),
    }


def test_a_hong_kong_dollar_sign_before_chinese_numerals(run: Run) -> None:
    ex = run(
        "女大學生扮特務助騙徒 警拘人",
        "香港警方拘捕一名女子，涉款逾$587萬，另在其住所檢獲港幣$8萬元現金。",
    )
    assert _got(ex) >= {
        (5_870_000, "HKD", "money_involved", "more_than"),
        (80_000, "HKD", "money_seized", "exact"),
    }


def test_the_law_s_maximum_fine_is_no_figure(run: Run) -> None:
    ex = run(
        "警方拘捕洗黑錢集團",
        "香港警方拘捕9人，涉款3,000萬元。警方重申，洗黑錢一經定罪，最高可被判罰款500萬元及"
        "監禁14年。",
    )
    assert _money(ex) == {30_000_000: "HKD"}


def test_a_fine_up_to_an_amount_is_no_figure(run: Run) -> None:
    """The law's "fined up to" and "a maximum fine of up to" end in "to", not "of"."""
    ex = run(
        "Police arrest 12 over money mule accounts",
        "Police arrested 12 people and froze HK$3 million. Anyone who sells an account may be "
        "fined up to HK$500,000, or face a maximum fine of up to HK$1 million on conviction.",
    )
    assert _money(ex) == {3_000_000: "HKD"}


def test_an_amount_s_currency_named_for_the_rest_of_the_text_then_converted(run: Run) -> None:
    """涉款共6.2亿元（港币，下同，约7937.8万美元）: the dollars are the same amount."""
    ex = run(
        "警方打擊詐騙 拘682人",
        "香港警方共拘捕682名疑犯，涉款共6.2億元（港幣，下同，約7937.8萬美元）。",
    )
    assert _money(ex) == {620_000_000: "HKD"}


def test_coins_counted_are_no_amount(run: Run) -> None:
    """泰达币3万颗 counts coins; 突破 is more than."""
    ex = run(
        "台中警打詐成果",
        "台中市警察局查扣泰達幣3萬顆、比特幣自動櫃員機4台，阻斷詐團金流累計突破11.3億元。",
    )
    assert _got(ex) >= {
        (30_000, "other", "other:crypto_seized", "exact"),
        (4, "devices", "other:devices_seized", "exact"),
        (1_130_000_000, "TWD", "money_frozen", "more_than"),
    }


# --- sub-counts and repeated statements ---------------------------------------------------


def test_english_sub_counts_take_what_their_total_counts(run: Run) -> None:
    """'96 of whom', 'five of those arrested', 'more than 30 of the arrests'; not 'six of the
    10 leaders', where the count that follows is the referent."""
    ex = run(
        "Police round up telecom fraud suspects",
        "Police arrested 2,553 suspects, 96 of whom were wanted fugitives. Officers also raided "
        "12 call centres and made 300 arrests; more than 30 of the arrests were in Madrid. Five "
        "of those arrested were minors.",
    )
    got = {(f.value, f.unit, f.measure, f.approx): f.quote for f in ex.figures}
    assert got[(96, "people", "arrested", "exact")] == "96 of whom"
    assert got[(30, "people", "arrested", "more_than")] == "more than 30 of the arrests"
    assert got[(5, "people", "arrested", "exact")] == "Five of those arrested"


def test_the_body_qualifies_what_the_headline_rounds(run: Run) -> None:
    ex = run(
        "Police arrest 15,000 in online fraud crackdown",
        "Police across the country arrested about 15,000 people in the three-month campaign.",
    )
    assert [(f.value, f.approx) for f in ex.figures] == [(15_000, "about")]


def test_past_a_round_number_and_a_long_noun_after_its_classifier(run: Run) -> None:
    """上亿元, 过百支 are more than the round number; 打掉一个特大跨境电信网络诈骗团伙 counts a gang
    however long its modifiers; 'X yuan involved' is the amount involved."""
    ex = run(
        "警方打掉跨境诈骗团伙",
        "福建警方打掉一个特大跨境电信网络诈骗团伙，抓获犯罪嫌疑人上百名，涉案金额上亿元。",
    )
    assert _got(ex) >= {
        (1, "gangs", "gangs_destroyed", "exact"),
        (100, "people", "arrested", "more_than"),
        (100_000_000, "CNY", "money_involved", "more_than"),
    }
    en = run(
        "Police freeze fraud proceeds",
        "Police seized phones and froze accounts, with more than 14 million yuan involved.",
    )
    assert _got(en) == {(14_000_000, "CNY", "money_involved", "more_than")}
    # the participle elsewhere describes what was seized, as a clumsy translation puts it
    seized = run(
        "Police seize assets",
        "Police cracked 900 cases and seized assets involved in the case. "
        "2.5 billion yuan has formed a powerful deterrent.",
    )
    assert (2_500_000_000, "CNY", "money_seized", "exact") in _got(seized)


def test_premises_searched_devices_in_sets_custody_and_stopped_couriers(run: Run) -> None:
    """搜查 N 间处所 (premises searched), 搜获 N 组 设备, 裁定羁押 (detained), 拦下 a courier
    (arrested), 拦阻诈骗 N 件 (cases intercepted)."""
    ex = run(
        "警方打擊詐騙行動",
        "香港警方在行動中搜查約1,800間處所，並搜獲6組GoIP設備。台中警方另攔下2名車手，"
        "其中1人經法院裁定羈押；全月攔阻詐騙820件。",
    )
    assert _got(ex) >= {
        (1800, "other", "other:premises_searched", "about"),
        (6, "devices", "other:devices_seized", "exact"),
        (2, "people", "arrested", "exact"),
        (1, "people", "detained", "exact"),
        (820, "cases", "other:cases_intercepted", "exact"),
    }


def test_the_cases_the_suspects_caught_are_tied_to_are_cases_solved(run: Run) -> None:
    """'arrested 40 suspects linked to 120 fraud cases': the arrests clear the cases (as the
    founding rules count cases detected); the link words say nothing of people or money."""
    ex = run(
        "Police arrest 40 in fraud sweep",
        "Police arrested 40 suspects linked to 120 fraud cases. The suspects, aged 19 to 60, "
        "were connected to 35 cases of deception and money laundering.",
    )
    assert _got(ex) == {
        (40, "people", "arrested", "exact"),
        (120, "cases", "cases_solved", "exact"),
        (35, "cases", "cases_solved", "exact"),
    }


def test_companies_that_received_administrative_penalties_are_punished_units(run: Run) -> None:
    """'N enterprises received administrative penalties' and 'administrative punishments on N
    enterprises', as English releases of the regulators' part of a campaign put it."""
    ex = run(
        "Police crack down on online fraud",
        "Public security organs arrested 300 suspects in the crackdown on online fraud, and more "
        "than 2,700 internet enterprises received administrative penalties. Regulators imposed "
        "administrative punishments on 523 internet companies.",
    )
    assert _got(ex) == {
        (300, "people", "arrested", "exact"),
        (2700, "units", "punished_units", "more_than"),
        (523, "units", "punished_units", "exact"),
    }


def test_a_range_converted_in_brackets_is_no_figure_at_either_end(run: Run) -> None:
    """ "from HK$3 million to HK$41 million (US$384,000 to US$5.2 million)": the bracket converts
    both ends of the range; "311 Hongkongers and 9 travellers" are people arrested."""
    ex = run(
        "Hong Kong police arrest 320",
        "Victims lost from HK$3 million to HK$41 million (US$384,000 to US$5.2 million) each. "
        "Police arrested 320 people. The suspects included 311 Hongkongers and 9 travellers.",
    )
    assert {(f.value, f.unit) for f in ex.figures if f.unit != "people"} == {
        (3_000_000, "HKD"),
        (41_000_000, "HKD"),
    }
    assert {(f.value, f.measure) for f in ex.figures if f.value in (311, 9)} == {
        (311, "arrested"),
        (9, "arrested"),
    }


def test_money_recovered_as_macau_writes_it(run: Run) -> None:
    """檢回 (Macau's word) recovers money, as 起回 and 截回 do."""
    ex = run("司警破電話詐騙案", "本澳司警於日前將兩名詐騙疑犯拘捕，並檢回當中十八萬五千元。")
    assert {(f.value, f.unit, f.measure) for f in ex.figures if f.value == 185000} == {
        (185000, "MOP", "money_recovered")
    }


def test_an_amount_in_seized_assets_is_seized_and_told_once(run: Run) -> None:
    """'USD 300 million in seized assets' in the headline is what the body's 'seizure of USD 300
    million' restates: one figure, seized; 'the closure of N websites' closes them, and 'In one
    case' says which case, not how many."""
    ex = run(
        "INTERPOL operation nets 3,500 arrests and USD 300 million in seized assets",
        "A global operation led to the arrest of some 3,500 suspects and the seizure of USD 300 "
        "million in cash and digital assets. Police ordered the closure of 4,300 illegal "
        "websites. In one case, officers raided a call centre and arrested 180 people.",
    )
    assert _got(ex) == {
        (3500, "people", "arrested", "about"),
        (300_000_000, "USD", "money_seized", "exact"),
        (4300, "websites", "websites_closed", "exact"),
        (180, "people", "arrested", "exact"),
    }
    assert len(ex.figures) == 4


def test_hong_kong_phones_are_devices_not_calls(run: Run) -> None:
    """手提電話 and 流動電話 (Hong Kong's mobile phones) are devices; 電話 alone counts calls."""
    ex = run("警方拘捕5人", "警方拘捕5人，檢獲8部手提電話及流動電話3部。")
    assert {(f.value, f.unit, f.measure) for f in ex.figures if f.value in (8, 3)} == {
        (8, "devices", "other:devices_seized"),
        (3, "devices", "other:devices_seized"),
    }


def test_web_pages_filtered_are_information_and_money_mules_are_people(run: Run) -> None:
    """A web page is a piece of content: 'filter N web pages' removes information, as 清理 N 条
    does; 'money mules identified' are people."""
    ex = run(
        "Police report results",
        "Companies were guided to filter more than 204 million illegal web pages. "
        "Police in 26 countries identified 1,803 money mules and arrested 422 people.",
    )
    assert _got(ex) == {
        (204_000_000, "items", "information_removed", "more_than"),
        (1803, "people", "other:people_identified", "exact"),
        (422, "people", "arrested", "exact"),
    }


def test_chinese_counted_as_people_but_not_as_an_adjective(run: Run) -> None:
    """'including 320 Chinese, 150 Indonesians' counts people of each nationality; 'three other
    Chinese cities' counts cities, which is no figure."""
    ex = run(
        "Cambodian police raid scam compound",
        "Police detained about 700 foreigners, including 320 Chinese, 150 Indonesians and 90 "
        "Vietnamese. They were flown back to Beijing and three other Chinese cities.",
    )
    assert _got(ex) == {
        (700, "people", "detained", "about"),
        (320, "people", "detained", "exact"),
        (150, "people", "detained", "exact"),
        (90, "people", "detained", "exact"),
    }


def test_fraud_rings_uncovered_in_taiwan_are_gangs_destroyed(run: Run) -> None:
    """查獲詐欺集團32個: Taiwan police 'uncover' a ring where the mainland 'destroys' one."""
    ex = run("臺中市警察局打詐成果", "臺中市警察局查獲詐欺集團32個、車手及幹部共計285人。")
    assert {(f.value, f.unit, f.measure) for f in ex.figures} == {
        (32, "gangs", "gangs_destroyed"),
        (285, "people", "arrested"),
    }


def test_a_headline_s_detain_is_the_body_s_arrest(run: Run) -> None:
    """'Police detain 14' over 'arrested 14 people' is one figure, in the body's words; a count
    the body gives twice with two verbs is two."""
    ex = run(
        "Singapore police detain 14 in scam probe",
        "Police said they had arrested 14 people in raids across the island.",
    )
    assert _got(ex) == {(14, "people", "arrested", "exact")}
    assert ex.figures[0].quote == "arrested 14 people"


def test_a_headline_s_present_tense_verbs(run: Run) -> None:
    """Headlines tell in the present: 'brings back', 'nabs', 'detains', 'busts', 'seizes',
    'shuts down' count as their past forms do in the body."""
    ex = run(
        "China brings back 1,600 fugitives, nabs 300, busts 12 gangs, seizes 2 million yuan",
        "Police said the campaign went on.",
    )
    assert _got(ex) == {
        (1600, "people", "other:fugitives_returned", "exact"),
        (300, "people", "arrested", "exact"),
        (12, "gangs", "gangs_destroyed", "exact"),
        (2_000_000, "CNY", "money_seized", "exact"),
    }


def test_valuables_seized_with_a_gang_s_money(run: Run) -> None:
    """Watches, liquor, uniforms and land are counted as Hong Kong and Taiwan releases count
    them, with their own classifiers (隻, 支, 枝, 套), in traditional script."""
    ex = run(
        "警方瓦解洗黑錢集團",
        "警方在「金庫」檢獲100萬元現金、13隻名貴手錶及過百支名貴烈酒。另查扣槍枝16枝、日本警察制服1套。",
    )
    got = {(f.value, f.unit, f.measure) for f in ex.figures}
    assert {
        (13, "other", "other:watches_seized"),
        (100, "other", "other:liquor_seized"),
        (16, "other", "other:guns_seized"),
        (1, "other", "other:uniforms_seized"),
    } <= got


def test_victims_named_after_their_count(run: Run) -> None:
    """214名被害人: the 被 of 被害人 (the victims) is no passive that ends the noun."""
    ex = run("诈骗案宣判", "警方通报，犯罪嫌疑人张某诈骗214名被害人，涉案金额1860万元。")
    assert (214, "people", "victims") in {(f.value, f.unit, f.measure) for f in ex.figures}


def test_residents_counted_among_the_arrested(run: Run) -> None:
    ex = run(
        "Macao police arrest 7 in telephone scam syndicate",
        "The Judiciary Police said they had arrested seven people, including four mainlanders "
        "and three Macao residents.",
    )
    assert {(f.value, f.measure) for f in ex.figures if f.value in (4, 3)} == {
        (4, "arrested"),
        (3, "arrested"),
    }
