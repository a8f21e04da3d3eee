"""Figures in English and Chinese: value, unit, measure, approx, quote, offsets, region."""

from __future__ import annotations

import re
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.extract import lexicon as lx
from monitor.models import Extraction, Figure

Run = Callable[..., Extraction]


def _by_value(extraction: Extraction) -> dict[float, Figure]:
    return {f.value: f for f in extraction.figures}


def _check_offsets(title: str, body: str, extraction: Extraction) -> None:
    text = f"{title}\n\n{body}"
    for f in extraction.figures:
        assert text[f.start : f.end] == f.quote


def test_english_active_verbs_give_measures(run: Run) -> None:
    """'arrested N suspects', 'cracked N cases', 'eliminated N gangs', 'seized N yuan'."""
    title = "Police report results of cybercrime crackdown"
    body = (
        "Public security organs across the country have eliminated 1,759 criminal gangs, "
        "arrested 17,000 criminal suspects, detained 16,400 criminal suspects, cracked 32,000 "
        "criminal cases and seized 2.5 billion yuan in illegal funds."
    )
    ex = run(title, body)
    got = {(f.value, f.unit, f.measure, f.approx) for f in ex.figures}
    assert got == {
        (1759, "gangs", "gangs_destroyed", "exact"),
        (17000, "people", "arrested", "exact"),
        (16400, "people", "detained", "exact"),
        (32000, "cases", "cases_solved", "exact"),
        (2.5e9, "CNY", "money_seized", "exact"),
    }
    _check_offsets(title, body, ex)
    assert _by_value(ex)[17000].quote == "arrested 17,000 criminal suspects"


def test_english_passive_and_qualifiers(run: Run) -> None:
    """'more than N cases have been detected', 'nearly N ... were shut down', 'about N'."""
    body = (
        "A total of more than 37,000 cases have been detected, nearly 950 illegal websites were "
        "shut down and about 120 minors were rescued. Over 3 million pieces of harmful "
        "information have been deleted."
    )
    ex = run("Police crackdown on online crime", body)
    figs = _by_value(ex)
    assert (figs[37000].measure, figs[37000].approx) == ("cases_solved", "more_than")
    assert (figs[950].unit, figs[950].measure, figs[950].approx) == (
        "websites",
        "websites_closed",
        "about",
    )
    assert (figs[120].measure, figs[120].approx) == ("victims_rescued", "about")
    assert (figs[3e6].unit, figs[3e6].measure) == ("items", "information_removed")
    assert figs[950].quote == "nearly 950 illegal websites were shut down"


def test_number_split_from_its_noun_by_a_full_stop(run: Run) -> None:
    """A clumsy translation puts the number after a full stop: noun and verb come from before."""
    body = (
        "Police have eliminated the Internet-related criminal gangs. More than 400, including "
        "more than 20 underworld organizations, were taken down."
    )
    figs = _by_value(run("Crackdown results", body))
    assert (figs[400].unit, figs[400].measure, figs[400].approx) == (
        "gangs",
        "gangs_destroyed",
        "more_than",
    )
    assert figs[400].quote.startswith("eliminated")
    assert figs[20].unit == "gangs"


def test_skips_dates_years_durations_ordinals_phones_and_names(run: Run) -> None:
    """Dates, years, '18-month', '16th', hotlines, article numbers, 'No. 9' and 'web 110' are
    not figures; the counts of categories ('seven types', 'nine departments') are not either."""
    body = (
        "On December 24, 2021, nine central departments launched an 18-month campaign against "
        "seven types of crime. The meeting on the 16th recalled Article 287. Call 96110 or the "
        '"web 110" platform. The "Qianchao No. 9" special operation arrested 44 suspects.'
    )
    ex = run("Police campaign launched", body)
    assert [(f.value, f.measure) for f in ex.figures] == [(44, "arrested")]


def test_percent_decline_and_money_involved(run: Run) -> None:
    """'dropped by 86%' is a decline; 'involving N yuan' is money involved, not seized."""
    body = (
        "The number of online loan fraud platforms has dropped by 86% from the peak. Police "
        "busted 86 gangs involving 1.5 billion yuan."
    )
    got = {(f.value, f.unit, f.measure) for f in run("Police figures", body).figures}
    assert got == {
        (86, "percent", "decline_percent"),
        (86, "gangs", "gangs_destroyed"),
        (1.5e9, "CNY", "money_involved"),
    }


def test_other_measures_name_what_was_done(run: Run) -> None:
    """Seized cards, accounts and devices, and handled cases, get `other:` measures."""
    body = (
        "Police seized 3.83 million mobile phone black cards, seized 8.64 million maliciously "
        "registered online accounts, confiscated more than 1,600 eavesdropping devices and "
        "handled more than 80 cases."
    )
    got = {f.value: (f.unit, f.measure) for f in run("Police crackdown", body).figures}
    assert got == {
        3830000: ("cards", "other:cards_seized"),
        8640000: ("accounts", "other:accounts_seized"),
        1600: ("devices", "other:devices_seized"),
        80: ("cases", "cases_handled"),
    }


def test_the_lead_sentence_s_subject_is_the_story_s_region_when_the_headline_names_none(
    run: Run,
) -> None:
    """A headline without a place: the place the lead sentence opens with (past a byline line)
    is where the story's unplaced figures belong; a place opening the headline still wins, and
    a lead that opens with no place leaves them national."""
    byline = "Law and order | Asia\n"
    lead = (
        "Macau police have detained 41 people over a betting ring, a spokesman said on Friday. "
        "Officers also froze 3 million patacas in accounts."
    )
    regions = {f.value: f.region for f in run("Betting ring broken up", byline + lead).figures}
    assert regions == {41: "Macau", 3_000_000: "Macau"}
    headline_first = run("Guangdong police break up betting ring", byline + lead).figures
    assert {f.value: f.region for f in headline_first}[3_000_000] == "Guangdong"
    national = (
        "Police across the country detained 41 people over betting rings this year. "
        "In Macau, officers froze 3 million patacas."
    )
    regions = {f.value: f.region for f in run("Betting rings broken up", national).figures}
    assert regions[41] is None


def test_a_chinese_lead_places_the_story_only_by_the_police_it_names(run: Run) -> None:
    """In Chinese the lead's place counts only as its police's (嘉義市政府警察局, 新北市警方);
    a Hong Kong police release need not name the city (警務處); a dateline's place (新华社北京…电)
    and a nationwide figure (全国共…) stay national."""
    taiwan = (
        "記者林小華／嘉義報導\n嘉義市政府警察局今日公布上月打詐成果，共查獲詐欺車手35人。"
        "另查扣贓款新臺幣420萬元。"
    )
    figures = run("打詐成果出爐 上月查獲車手35人", taiwan).figures
    assert {f.value: f.region for f in figures} == {35: "Chiayi", 4_200_000: "Chiayi"}
    hong_kong = (
        "2025-03-01 港聞\n警務處東區警區昨日展開打擊網上騙案行動，拘捕12名男女。"
        "行動中檢獲現金約八十萬元。"
    )
    regions = {f.value: f.region for f in run("打擊網騙行動拘12人", hong_kong).figures}
    assert regions[12] == "Hong Kong"
    dateline = (
        "新华社北京3月2日电 记者从公安部获悉，各地公安机关抓获犯罪嫌疑人8000名。"
        "全国共破获案件1200起。"
    )
    regions = {f.value: f.region for f in run("打击治理成效明显", dateline).figures}
    assert regions == {8000: None, 1200: None}
    provincial = "浙江省公安厅通报，全省抓获犯罪嫌疑人300名。全国共抓获犯罪嫌疑人5万名。"
    regions = {f.value: f.region for f in run("通报打击成果", provincial).figures}
    assert regions == {300: "Zhejiang", 50_000: None}


def test_sentence_led_by_a_region_scopes_its_figures(run: Run) -> None:
    """'Jiangsu ...' and 'police in A, B and C' scope their figures; a national one has none."""
    body = (
        "Nationwide, police arrested 9,000 suspects. Jiangsu successfully eliminated 57 criminal "
        "gangs; Zhejiang police arrested 174 suspects. Public security agencies in Jiangsu, "
        "Zhejiang and Guangdong were deployed and arrested 138 suspects."
    )
    regions = {f.value: f.region for f in run("Police results", body).figures}
    assert regions == {
        9000: None,
        57: "Jiangsu",
        174: "Zhejiang",
        138: "Jiangsu, Zhejiang, Guangdong",
    }


def test_a_breakdown_by_place_gives_each_part_its_own_place(run: Run) -> None:
    """In a breakdown each part is its own place's, not every place named before it in the
    sentence (其中广东抓获1500名，浙江抓获900名); a list of places is one run (广东、浙江公安机关,
    "police in Anhui, China, and Hebei"); "Guangdong accounted for 3,000 of them" is Guangdong's;
    a bare number listed after its total ("including 1,500 in Fujian and 900 in Hainan") is a
    part of what the total counts, at the place after it; and "arrested 8,000 nationwide" is
    national though the story is a province's."""
    zh = run(
        "江苏警方通报",
        "全国公安机关共抓获犯罪嫌疑人5000名，其中广东抓获1500名，浙江抓获900名。"
        "广东、浙江公安机关还破获案件600起。",
    )
    assert {f.value: f.region for f in zh.figures} == {
        5000: None,
        1500: "Guangdong",
        900: "Zhejiang",
        600: "Guangdong, Zhejiang",
    }
    en = run(
        "Police report",
        "Police across the country arrested 5,000 suspects. Guangdong province accounted for "
        "3,000 of the arrests. Police detained 420 people, including 150 in Fujian province "
        "and 90 in Hainan. Police in Anhui, China, and Hebei busted 41 gangs.",
    )
    assert [(f.value, f.measure, f.region) for f in en.figures] == [
        (5000, "arrested", None),
        (3000, "arrested", "Guangdong"),
        (420, "detained", None),
        (150, "detained", "Fujian"),
        (90, "detained", "Hainan"),
        (41, "gangs_destroyed", "Anhui, Hebei"),
    ]
    nationwide = run(
        "Henan police report results",
        "Police arrested 8,000 suspects nationwide, officials said. Police in Henan arrested 300.",
    )
    assert {f.value: f.region for f in nationwide.figures} == {8000: None, 300: "Henan"}


def test_an_english_figure_happened_in_the_places_named_after_it(run: Run) -> None:
    """ "32 were detained in Wenzhou", "seized 300 phones in raids in Xiamen, Quanzhou and
    Zhangzhou": the place or list after the figure is where it happened, before the story's own;
    "and 14 in Taizhou" goes on with the count before it, at its own place. A place joined by
    other words ("in cooperation with police in Macau") is not the figure's."""
    ex = run(
        "Zhejiang police break up fraud ring",
        "Police in Zhejiang detained 58 suspects in raids in Wenzhou, Ningbo and Jinhua. Of the "
        "suspects, 32 were detained in Wenzhou and 14 in Ningbo. Officers seized 300 phones in "
        "cooperation with police in Macau.",
    )
    assert [(f.value, f.measure, f.region) for f in ex.figures] == [
        (58, "detained", "Wenzhou, Ningbo, Jinhua"),
        (32, "detained", "Wenzhou"),
        (14, "detained", "Ningbo"),
        (300, "other:devices_seized", "Zhejiang"),
    ]
    moved = run("Suspects handed over", "A further 86 suspects were transferred from Myanmar.")
    assert [f.region for f in moved.figures] == ["Myanmar"]


def test_police_in_the_southern_province_place_the_story(run: Run) -> None:
    """ "Police in southern Guangxi said they had cracked down on 860 criminal cases": the lead's
    police place the story though an adjective stands before the place, and cases cracked down
    on are cases solved (while "crack down on telecom fraud" counts nothing)."""
    ex = run(
        "Fraud cases cracked",
        "Police in southern Guangxi said they had cracked down on 860 criminal cases and "
        "arrested 712 suspects since the campaign began. Officers vowed to crack down on fraud.",
    )
    assert [(f.value, f.measure, f.region) for f in ex.figures] == [
        (860, "cases_solved", "Guangxi"),
        (712, "arrested", "Guangxi"),
    ]


def test_the_body_places_a_headline_figure_of_a_story_with_no_place(run: Run) -> None:
    """A headline with no place restates what the body says where: 攔獲3名車手 and 查扣現金9萬元
    are Taichung's, as the body's sentence that names its precinct says."""
    ex = run(
        "警方攔獲3名車手 查扣現金9萬元",
        "詐騙集團近日在多地提領贓款。台中市烏日警分局據報，在梧棲攔獲3名車手，查扣現金9萬元。",
    )
    assert [(f.value, f.region) for f in ex.figures] == [(3, "Taichung"), (90000, "Taichung")]


def test_an_english_headline_says_where_the_story_happened(run: Run) -> None:
    """ "Three men held in Foshan over fake card withdrawals": the story is Foshan's, so its
    figures are when no place of their own is named."""
    ex = run(
        "Three men held in Foshan over fake card withdrawals",
        "Police have detained three suspects accused of using fake bank cards. Officers seized "
        "12 fake cards and 8,000 yuan in cash.",
    )
    assert {f.region for f in ex.figures} == {"Foshan"}


def test_a_clause_s_own_police_say_whose_figure_it_is(run: Run) -> None:
    """ "Police in Korea arrested 23 people, while Chinese police identified 1,200 suspects and
    Thai police seized 40 phones": each clause's police, not the place the sentence named first,
    say whose figure it is (China's is national)."""
    ex = run(
        "Operation results",
        "Police in Korea arrested 23 people, while Chinese police identified 1,200 suspects and "
        "Thai police seized 40 phones.",
    )
    assert [(f.value, f.region) for f in ex.figures] == [
        (23, "South Korea"),
        (1200, None),
        (40, "Thailand"),
    ]


def test_a_country_s_law_enforcement_says_whose_figure_it_is(run: Run) -> None:
    """ "Vietnamese law enforcement seized 40 phones" is Vietnam's, as "Vietnamese police" is."""
    ex = run(
        "Operation results",
        "Police in Korea arrested 23 people, while Vietnamese law enforcement seized 40 phones.",
    )
    assert [(f.value, f.region) for f in ex.figures] == [(23, "South Korea"), (40, "Vietnam")]


def test_a_place_written_as_an_address_is_its_innermost_place(run: Run) -> None:
    """浙江杭州 and "police in Huan County, Qingyang" name one place, not a list: Hangzhou and
    Huan County (a county the gazetteer lacks, beside its city)."""
    zh = run("警方通报", "浙江杭州警方抓获犯罪嫌疑人120名。")
    en = run("Police report", "In one case, police in Huan County, Qingyang, caught 25 suspects.")
    assert [f.region for f in zh.figures] == ["Hangzhou"]
    assert [f.region for f in en.figures] == ["Huan County"]


def test_a_place_after_a_blank_of_a_chinese_headline_leads_its_clause(run: Run) -> None:
    """粵港澳聯合行動 港警拘2150人: the clause after the blank is Hong Kong's police's (港警), not
    the three places' before it."""
    ex = run("粵港澳三地聯合打擊罪案行動 港警拘2150人", "行動為期兩個月。")
    assert [(f.value, f.region) for f in ex.figures] == [(2150, "Hong Kong")]


def test_suspects_brought_back_to_china_were_repatriated(run: Run) -> None:
    """ "brought a total of 1,870 fraud suspects back to China": the particle after the object
    says what was done with them."""
    ex = run("Suspects returned", "Police brought a total of 1,870 fraud suspects back to China.")
    assert [(f.value, f.measure) for f in ex.figures] == [(1870, "other:suspects_repatriated")]


def test_the_verb_after_an_aside_between_dashes_is_the_count_s(run: Run) -> None:
    """ "A total of 64 suspects - 40 of them Chinese nationals and 24 Cambodians - were
    arrested": the verb after the aside is the total's and its parts'; nationals are counted by
    their nationality; "sent N suspects for prosecution" counts the prosecuted."""
    ex = run(
        "Police raid scam compound",
        "A total of 64 suspects - 40 of them Chinese nationals and 24 Cambodians - were arrested "
        "on Friday. Police said 90 people — including 35 women — were detained in the raids, "
        "and prosecutors later sent 51 suspects for prosecution.",
    )
    assert [(f.value, f.measure) for f in ex.figures] == [
        (64, "arrested"),
        (40, "arrested"),
        (24, "arrested"),
        (90, "detained"),
        (35, "detained"),
        (51, "other:suspects_prosecuted"),
    ]


def test_figure_tied_to_its_campaign(run: Run) -> None:
    """A figure in a sentence that names a campaign is reported under it."""
    body = 'In the "Four Disruptions" campaign, police detected more than 15,000 cases.'
    (fig,) = run("Police campaign", body).figures
    assert fig.campaign == "Four Disruptions"


def test_repeated_statement_is_one_figure(run: Run) -> None:
    """A results paragraph that appears twice gives each figure once."""
    para = "Police arrested 17,000 criminal suspects and cracked 32,000 criminal cases."
    ex = run("Police results", f"{para}\n\n{para}")
    assert sorted(f.value for f in ex.figures) == [17000, 32000]


def test_chinese_figures_with_classifiers(run: Run) -> None:
    """VERB + noun + number + classifier, number + classifier + noun, 万/亿, 余 and 近."""
    title = "公安部：“净网2021”专项行动取得阶段性成效"
    body = (
        "今年以来，全国公安机关共侦破案件3.7万余起，抓获犯罪嫌疑人8万余名，打掉1759个犯罪团伙，"
        "刑事拘留1.64万名，冻结涉案资金近2亿元，查获电话卡5.6万张，关停违法网站950余个，"
        "清理违法有害信息300万余条，解救未成年人120余名，“套路贷”平台数量下降百分之八十六。"
    )
    ex = run(title, body)
    got = {(f.value, f.unit, f.measure, f.approx) for f in ex.figures}
    assert got == {
        (37000, "cases", "cases_solved", "more_than"),
        (80000, "people", "arrested", "more_than"),
        (1759, "gangs", "gangs_destroyed", "exact"),
        (16400, "people", "detained", "exact"),
        (2e8, "CNY", "money_frozen", "about"),  # 近2亿元: nearly
        (56000, "cards", "other:cards_seized", "exact"),
        (950, "websites", "websites_closed", "more_than"),
        (3e6, "items", "information_removed", "more_than"),
        (120, "people", "victims_rescued", "more_than"),
        (86, "percent", "decline_percent", "exact"),
    }
    _check_offsets(title, body, ex)
    assert all(f.campaign == "Clean Internet 2021" for f in ex.figures[:2])


def test_minors_saved_are_rescued_after_a_list_of_other_results(run: Run) -> None:
    """挽救 (saved) is a rescue, like 解救, even where the results before it are suspects."""
    ex = run("“护苗”行动通报", "查处嫌疑人300余名，打掉淫秽色情网站16个，挽救未成年人120余名。")
    got = {(f.value, f.measure) for f in ex.figures}
    assert (120, "victims_rescued") in got
    assert (300, "other:investigated_and_punished") in got


def test_chinese_numerals_and_region_led_sentences(run: Run) -> None:
    """一千七百余人 and 两千余起; '江苏公安…' and '深圳市公安局…' scope their sentence."""
    body = (
        "江苏公安机关抓获犯罪嫌疑人一千七百余人。深圳市公安局破获电信网络诈骗案件两千余起，"
        "涉案金额逾3亿元。全国共抓获犯罪嫌疑人5万名。"
    )
    figs = _by_value(run("警方通报打击成果", body))
    assert (figs[1700].region, figs[1700].approx) == ("Jiangsu", "more_than")
    assert (figs[2000].region, figs[2000].measure) == ("Shenzhen", "cases_solved")
    assert (figs[3e8].measure, figs[3e8].approx) == ("money_involved", "more_than")
    assert figs[50000].region is None


def test_chinese_skips_dates_ordinals_durations_and_phones(run: Run) -> None:
    """2022年, 12月16日, 第3条, 3个月, 110 and 96110 are not figures."""
    body = (
        "2022年12月16日，公安部召开会议，依据第3条开展为期3个月的打击行动，"
        "举报电话110、96110。抓获犯罪嫌疑人30名。"
    )
    ex = run("公安部部署打击行动", body)
    assert [(f.value, f.measure) for f in ex.figures] == [(30, "arrested")]


def test_uncounted_nouns_and_quoted_terms_are_not_figures(run: Run) -> None:
    """'500,000 police officers took part' counts participants, not results; the 两 of “两卡”
    names a crime type; neither borrows a noun from the sentence before."""
    en = run(
        "Police report",
        "Police intercepted 8,000 members of fraud rings. Some 500,000 "
        "police officers took part in the campaign.",
    )
    assert [(f.value, f.unit) for f in en.figures] == [(8000, "people")]
    zh = run("警方通报", "公安机关打掉“两卡”违法犯罪团伙4.2万个。")
    assert [(f.value, f.unit) for f in zh.figures] == [(42000, "gangs")]


def _got(ex: Extraction) -> set[tuple[float, str, str, str]]:
    return {(f.value, f.unit, f.measure, f.approx) for f in ex.figures}


def test_number_words_vague_counts_and_changes(run: Run) -> None:
    """'six people', 'dozens of', 'hundreds of', 'down 12.5 percent', 'rose 20%', 'a 24-percent
    decrease' are figures."""
    body = (
        "Police arrested six people and rescued three victims. Dozens of suspects were detained. "
        "Hundreds of websites were shut down. Fraud cases were down 12.5 percent year on year, "
        "while arrests rose 20%. Losses showed a 24-percent decrease."
    )
    assert _got(run("Police crackdown on telecom fraud", body)) == {
        (6, "people", "arrested", "exact"),
        (3, "people", "victims_rescued", "exact"),
        (24, "people", "detained", "more_than"),
        (200, "websites", "websites_closed", "more_than"),
        (12.5, "percent", "decline_percent", "exact"),
        (20, "percent", "change_percent", "exact"),
        (24, "percent", "decline_percent", "exact"),
    }


def test_groups_cases_handled_and_things_closed(run: Run) -> None:
    """Busted groups and rings are gangs destroyed; investigated or handled cases are handled,
    not solved; websites, apps and accounts closed, removed or banned."""
    body = (
        "Police busted 12 groups and dismantled 3 rings. Officers investigated 3,200 cases and "
        "handled 1,500 other cases. Regulators closed 4,000 websites, removed 320 apps and "
        "banned 12,000 accounts. More than 1,000 people were defrauded."
    )
    assert _got(run("Police crackdown on telecom fraud", body)) == {
        (12, "gangs", "gangs_destroyed", "exact"),
        (3, "gangs", "gangs_destroyed", "exact"),
        (3200, "cases", "cases_handled", "exact"),
        (1500, "cases", "cases_handled", "exact"),
        (4000, "websites", "websites_closed", "exact"),
        (320, "other", "apps_closed", "exact"),  # an app is a non-website platform
        (12000, "accounts", "accounts_closed", "exact"),
        (1000, "people", "victims", "more_than"),
    }


def test_amounts_in_every_currency_and_conversions(run: Run, title: str = "Police report") -> None:
    """US$, $, HK$, NT$, euros, pounds, ringgit: the unit is the ISO code; seized, frozen,
    recovered, lost; a conversion in brackets or after 'or' is not a second figure."""
    body = (
        "Police seized US$3 million in cash and froze 2.3 million euros. Victims lost HK$1.2 "
        "billion, and NT$450 million was recovered. The ring laundered 1 billion yuan ($140 "
        "million). Police seized £500,000, or about 4.5 million yuan, and more than 20 million "
        "yuan (US$2.8 million) was seized and frozen."
    )
    ex = run(title, body)
    assert _got(ex) == {
        (3e6, "USD", "money_seized", "exact"),
        (2.3e6, "EUR", "money_frozen", "exact"),
        (1.2e9, "HKD", "money_involved", "exact"),
        (4.5e8, "TWD", "money_recovered", "exact"),
        (1e9, "CNY", "money_involved", "exact"),
        (5e5, "GBP", "money_seized", "exact"),
        (2e7, "CNY", "money_seized", "more_than"),
    }
    _check_offsets(title, body, ex)
    assert {f.quote for f in ex.figures} >= {"seized US$3 million", "NT$450 million was recovered"}


def test_chinese_counts_currencies_and_changes(run: Run) -> None:
    """万个, 余件, 亿次, 余部, 多台, 款; 美元, 港元, 新台币; 同比下降/上升; 近 is about; a
    conversion in brackets (约合...美元) is not a second figure."""
    title = "公安机关打击电信网络诈骗犯罪"
    body = (
        "共办理案件3200余件，关停违法网站4000余个，下架违法APP320款，封禁账号1.2万个。"
        "拦截诈骗电话1.2亿次，查扣手机300余部、电脑50多台。"
        "冻结涉案资金3亿元（约合4200万美元），查获港元200万元，扣押新台币300万元。"
        "发案数同比下降12.5%，破案数同比上升20%。近500名犯罪嫌疑人落网。涉及受害人1200余名。"
    )
    ex = run(title, body)
    assert _got(ex) == {
        (3200, "cases", "cases_handled", "more_than"),
        (4000, "websites", "websites_closed", "more_than"),
        (320, "other", "apps_closed", "exact"),  # an app is a non-website platform
        (12000, "accounts", "accounts_closed", "exact"),
        (1.2e8, "other", "other:calls_intercepted", "exact"),
        (300, "devices", "other:devices_seized", "more_than"),
        (50, "devices", "other:devices_seized", "more_than"),
        (3e8, "CNY", "money_frozen", "exact"),
        (2e6, "HKD", "money_seized", "exact"),
        (3e6, "TWD", "money_seized", "exact"),
        (12.5, "percent", "decline_percent", "exact"),
        (20, "percent", "change_percent", "exact"),
        (500, "people", "arrested", "about"),
        (1200, "people", "victims", "more_than"),
    }
    _check_offsets(title, body, ex)


def test_suspects_handed_over_and_repatriated_are_not_arrests(run: Run) -> None:
    """Suspects another country hands over, or brought back from abroad, are counted apart."""
    body = (
        "Myanmar police handed over 1,207 suspects to Chinese police. A further 310 suspects "
        "have been repatriated. 缅方向我方移交犯罪嫌疑人571名。"
    )
    got = {(f.value, f.measure) for f in run("Suspects handed over", body).figures}
    assert got == {
        (1207, "other:suspects_handed_over"),
        (310, "other:suspects_repatriated"),
    }
    zh = run("缅北涉诈犯罪嫌疑人移交", "缅方向我方移交犯罪嫌疑人571名，另有1200余名被押解回国。")
    assert {(f.value, f.measure) for f in zh.figures} == {
        (571, "other:suspects_handed_over"),
        (1200, "other:suspects_repatriated"),
    }


def test_measures_are_the_vocabulary_or_other_pairs_it_allows() -> None:
    """Every label `measure` gives is in `all_measures()`: the documented vocabulary, or an
    `other:` label for a pair that says something; never money arrested or people destroyed."""
    labels = lx.all_measures()
    assert set(lx.MEASURES) <= labels
    others = labels - set(lx.MEASURES)
    assert all(re.fullmatch(r"other:[a-z]+(?:_[a-z]+)*", m) for m in others), others
    for bad in ("other:money_arrested", "other:people_destroyed", "other:money_seized"):
        assert bad not in labels
    classes = {*lx.EN_VERB_CLASS.values(), *lx.ZH_VERB_CLASS.values(), None}
    for unit, slug in [*lx.slugs(), *((c, "money") for c in lx.CURRENCIES)]:
        for cls in classes:
            got = lx.measure(cls, unit, slug)
            assert got is None or got in labels


_EN_VERBS = sorted(lx.EN_VERB_CLASS)
_EN_NOUNS = sorted(lx.EN_NOUNS)
_ZH_VERBS = sorted(lx.ZH_VERB_CLASS)
_ZH_NOUNS = sorted(lx.ZH_NOUNS)
_AMOUNTS = [
    "3,000",
    "more than 45",
    "dozens of",
    "six",
    "US$3 million",
    "2.5 billion yuan",
    "12.5 percent",
    "HK$40 million",
    "nearly 900",
    "€2 million",
]
_ZH_AMOUNTS = [
    "3000余名",
    "1.2万个",
    "5000万美元",
    "3亿元",
    "12.5%",
    "近500起",
    "300余部",
    "20万条",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_EN_VERBS),
            st.sampled_from(_AMOUNTS),
            st.sampled_from(_EN_NOUNS),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_no_sentence_gives_a_measure_outside_the_vocabulary(
    run: Run, parts: list[tuple[str, str, str, bool]]
) -> None:
    """Sentences built from every verb, noun and amount of the lexicon, active ('police seized
    3,000 cards') or passive ('3,000 cards were seized'), give only measures of the vocabulary,
    and amounts and percentages only measures of money and of change."""
    sentences = [
        f"{amount} {noun} were {verb}." if passive else f"Police {verb} {amount} {noun}."
        for verb, amount, noun, passive in parts
    ]
    _check_vocabulary(run("Police report", " ".join(sentences)))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_ZH_VERBS),
            st.sampled_from(_ZH_NOUNS),
            st.sampled_from(_ZH_AMOUNTS),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_no_chinese_sentence_gives_a_measure_outside_the_vocabulary(
    run: Run, parts: list[tuple[str, str, str]]
) -> None:
    """The same over Chinese: 动词 + 名词 + 数量 clauses."""
    body = "，".join(f"{verb}{noun}{amount}" for verb, noun, amount in parts) + "。"
    _check_vocabulary(run("公安机关通报打击成果", body))


_MONEY_MEASURES = {"money_seized", "money_frozen", "money_involved", "money_recovered"}


def _check_vocabulary(ex: Extraction) -> None:
    labels = lx.all_measures()
    for f in ex.figures:
        assert f.measure in labels, f
        if f.unit in lx.CURRENCIES:
            assert f.measure in _MONEY_MEASURES, f
        if f.unit == "percent":
            assert f.measure in ("decline_percent", "change_percent"), f


def test_fugitives_surrenders_and_one_gang_after_a_verb(run: Run) -> None:
    """Fugitives caught are counted apart from arrests; suspects who give themselves up too;
    一个/一处 after a verb is a count; a verb after the noun in its clause gives the measure."""
    zh = run(
        "公安机关通报追逃成果",
        "抓获网上逃犯230名。另有十余名犯罪嫌疑人主动投案自首。警方打掉一个诈骗团伙，"
        "捣毁一处窝点。4人均因涉嫌诈骗罪被刑事拘留。",
    )
    assert {(f.value, f.unit, f.measure) for f in zh.figures} == {
        (230, "people", "other:fugitives_captured"),
        (10, "people", "other:suspects_surrendered"),
        (1, "gangs", "gangs_destroyed"),
        (1, "other", "other:dens_destroyed"),
        (4, "people", "detained"),
    }
    en = run("Fugitives", "Police caught 1,531 fugitives, and 12 suspects turned themselves in.")
    assert {(f.value, f.measure) for f in en.figures} == {
        (1531, "other:fugitives_captured"),
        (12, "other:suspects_surrendered"),
    }
