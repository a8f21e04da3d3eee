"""Figures of lists and shared nouns: items of one list with the same count, the noun phrase of a
list, and what the rules count under `other`."""

from __future__ import annotations

from collections.abc import Callable

from monitor.models import Extraction

Run = Callable[..., Extraction]


def _got(ex: Extraction) -> list[tuple[float, str, str]]:
    return sorted((f.value, f.unit, f.measure) for f in ex.figures)


def test_two_items_of_one_list_with_the_same_count_are_two_figures(run: Run) -> None:
    """In one sentence the same count of two things is two seizures, not a repeat."""
    ex = run(
        "警方破获一起网络赌博案",
        "民警现场查获笔记本电脑4台、台式电脑4台、手机12部。",
    )
    assert _got(ex).count((4, "devices", "other:devices_seized")) == 2


def test_a_count_restated_in_another_sentence_is_still_one_figure(run: Run) -> None:
    ex = run(
        "Police seize 4 computers in gambling raid",
        "Officers seized 4 computers at the site. The 4 computers were seized as evidence.",
    )
    assert _got(ex).count((4, "devices", "other:devices_seized")) == 1


def test_apps_are_counted_as_other_platforms_with_their_own_measure(run: Run) -> None:
    """The rules' units have no 'apps': an app is a non-website platform (other)."""
    ex = run(
        "网信部门通报整治结果",
        "今年以来，全省下架违规应用程序、小程序1350余款，关闭违法网站420家。",
    )
    assert (1350, "other", "apps_closed") in _got(ex)
    ex = run("Regulators act on illegal apps", "Regulators removed 75 mobile apps in May.")
    assert (75, "other", "apps_closed") in _got(ex)


def test_an_english_list_of_things_is_read_to_its_last_noun(run: Run) -> None:
    """'N computers, routers and other equipment were seized': the verb after the list."""
    ex = run(
        "Police bust telecom fraud gang",
        "Police arrested 45 suspects and more than 900 laptops, modems and other devices "
        "were seized in the raids.",
    )
    assert (900, "devices", "other:devices_seized") in _got(ex)


def test_after_and_a_noun_of_another_unit_starts_another_phrase(run: Run) -> None:
    ex = run(
        "Regulators clean up the internet",
        "Regulators closed 8,000 illegal accounts and warned internet companies to comply.",
    )
    assert (8000, "accounts", "accounts_closed") in _got(ex)


def test_such_before_a_noun_does_not_end_the_phrase(run: Run) -> None:
    ex = run(
        "Police crack down on paid posting",
        "Public security organs targeted online paid posters this year. About 2,400 such "
        "cases were investigated and 3,100 suspects were detained.",
    )
    assert (2400, "cases", "cases_handled") in _got(ex)


def test_an_article_after_a_number_ends_what_it_counts(run: Run) -> None:
    """'Three buses carrying the suspects' counts buses, not suspects."""
    ex = run(
        "Fraud suspects repatriated",
        "Police repatriated 80 suspects on Monday. Three buses carrying the suspects "
        "arrived in Kunming at noon.",
    )
    assert [f.value for f in ex.figures] == [80]


def test_weights_of_goods_are_counted_under_other(run: Run) -> None:
    ex = run(
        "Police seize drugs in border operation",
        "Police arrested 16 suspects and seized 2.5 tonnes of methamphetamine.",
    )
    assert (2.5, "other", "other:tons_seized") in _got(ex)
    ex = run("警方破获特大贩毒案", "警方抓获犯罪嫌疑人9名，缴获冰毒1.2吨。")
    assert (1.2, "other", "other:tons_seized") in _got(ex)


def test_criminal_measures_against_people_are_detentions(run: Run) -> None:
    ex = run(
        "City police target online gambling",
        "Police have taken criminal measures against more than 260 people this year.",
    )
    assert (260, "people", "detained") in _got(ex)
    ex = run("警方破获网络赌博案", "警方破获案件3起，12名犯罪嫌疑人已被采取刑事强制措施。")
    assert (12, "people", "detained") in _got(ex)


def test_cases_suspects_are_suspected_of_are_cases_solved(run: Run) -> None:
    ex = run(
        "Fraud suspects returned from abroad",
        "Police repatriated 88 fraud suspects. They are suspected of more than 700 cases "
        "of telephone fraud.",
    )
    assert (700, "cases", "cases_solved") in _got(ex)


def test_outlets_dealt_with_are_punished_units(run: Run) -> None:
    ex = run(
        "Card Breaking operation results",
        "Police arrested 500 suspects and dealt with 1,200 outlets and institutions.",
    )
    assert (1200, "units", "punished_units") in _got(ex)


def test_units_receiving_administrative_penalties_are_punished_units(run: Run) -> None:
    """ "with over 21,000 internet enterprises receiving administrative penalties": the
    participle after what is counted says what was done with it."""
    ex = run(
        "Cybercrime results",
        "Police captured 9,000 suspects, with over 21,000 internet enterprises receiving "
        "administrative penalties.",
    )
    assert (21000, "units", "punished_units") in _got(ex)


def test_text_messages_are_counted_as_other_like_their_chinese_name(run: Run) -> None:
    """短信 are `other` in Chinese; 'text messages' are the same thing in English."""
    ex = run(
        "Anti-fraud centre reports results",
        "Police intercepted 3.1 billion fraudulent calls and 2.4 billion text messages.",
    )
    assert (2_400_000_000, "other", "other:messages_intercepted") in _got(ex)


def test_memory_cards_places_and_buildings_are_other(run: Run) -> None:
    ex = run(
        "警方捣毁一个诈骗窝点",
        "民警查获手机8部、SD存储卡3张。行动中突击搜查450处，搜查园区内12栋建筑。",
    )
    got = _got(ex)
    assert (3, "other", "other:storage_cards_seized") in got
    assert (450, "other", "other:premises_searched") in got
    assert (12, "other", "other:buildings_searched") in got


def test_cases_listed_for_supervision(run: Run) -> None:
    ex = run(
        "Province reports cybercrime crackdown",
        "Police filed 900 online criminal cases, and more than 40 such cases were listed "
        "for supervision.",
    )
    assert (40, "cases", "other:cases_supervised") in _got(ex)


def test_people_charged_are_not_said_to_be_prosecuted(run: Run) -> None:
    ex = run(
        "Police smash money laundering ring",
        "Police arrested 42 people, and 6 suspects have been charged with money laundering.",
    )
    assert (6, "people", "other:people_charged") in _got(ex)


def test_a_disciplinary_penalty_is_told_apart_from_a_punishment(run: Run) -> None:
    """惩戒 (a credit blacklist, a ban on new cards) is a penalty, 处罚 a punishment."""
    ex = run(
        "“断卡”行动通报",
        "全市公安机关对1260名买卖电话卡的失信人员予以惩戒，对38名违法行为人给予行政处罚。",
    )
    got = _got(ex)
    assert (1260, "people", "other:people_penalised") in got
    assert (38, "people", "other:people_punished") in got


def test_cases_under_investigation_are_handled_not_solved(run: Run) -> None:
    ex = run("警方通报打击进展", "警方共破获案件40起，另有在侦案件12起，主侦跨省案件9起。")
    assert (12, "cases", "cases_handled") in _got(ex)
    assert (9, "cases", "cases_handled") in _got(ex)  # 主侦: the cases it leads


def test_a_chinese_breakdown_takes_the_measure_of_its_total(run: Run) -> None:
    """当中, 其中, 分别有: parts of the count before them, with no verb of their own."""
    ex = run(
        "警方通报追逃战果",
        "专项行动中，全省共抓获在逃人员3200名。\n当中涉电信诈骗的逃犯一千一百二十名；"
        "潜逃十年以上的在逃人员分别有四百名和九十名。",
    )
    got = _got(ex)
    for value in (1120, 400, 90):
        assert (value, "people", "other:fugitives_captured") in got


def test_a_part_in_the_sentence_of_its_total_takes_the_total_s_measure(run: Run) -> None:
    """其中境内980名、境外64名 in the sentence of 抓获逃犯1044名: the verb before 其中 is the
    total's, so the parts are fugitives captured too, not plain arrests; 通报了2022江苏… is a
    year, no count of notices."""
    ex = run(
        "江苏警方通报",
        "会上通报了2022江苏“夏季行动”情况，各地抓获逃犯1044名，其中境内980名、境外64名。",
    )
    assert sorted(_got(ex)) == [
        (64, "people", "other:fugitives_captured"),
        (980, "people", "other:fugitives_captured"),
        (1044, "people", "other:fugitives_captured"),
    ]


def test_a_count_without_a_verb_far_from_any_total_is_no_figure(run: Run) -> None:
    ex = run(
        "警方通报",
        "全省共抓获犯罪嫌疑人860名。" + "各地警方持续加强宣传，" * 30 + "其中老年人1200名。",
    )
    assert [f.value for f in ex.figures] == [860]


def test_typical_cases_told_are_not_counted(run: Run) -> None:
    ex = run(
        "Ministry releases results of internet crackdown",
        "Police cracked 3,400 cases and more than 60 cases were listed for supervision. "
        "Twelve typical cases are published below.",
    )
    assert 12 not in [f.value for f in ex.figures]


def test_in_one_of_them_points_at_a_case_and_counts_nothing(run: Run) -> None:
    ex = run(
        "Province reports cybercrime crackdown",
        "Police solved 240 cases of personal information theft. In one of them, police "
        "caught 18 suspects.",
    )
    assert sorted(f.value for f in ex.figures) == [18, 240]


def test_a_verb_after_a_list_of_counts_is_every_items(run: Run) -> None:
    ex = run(
        "Police smash online gambling network",
        "A total of 60 gambling websites, 35 payment platforms and 12 money-laundering gangs "
        "have been taken down.",
    )
    got = _got(ex)
    assert (60, "websites", "websites_closed") in got
    assert (12, "gangs", "gangs_destroyed") in got


def test_a_count_before_its_arrest_verb_counts_people(run: Run) -> None:
    ex = run(
        "Police break up card fraud gang",
        "Police detained 58 suspects in three cities. Of the suspects, 41 were detained in "
        "Shenzhen.",
    )
    assert (41, "people", "detained") in _got(ex)


def test_six_of_the_ten_counts_the_six(run: Run) -> None:
    ex = run(
        "Wanted fraud bosses caught",
        "Seven of the 12 fraud gang leaders on the wanted list have been arrested, police said.",
    )
    assert _got(ex) == [(7, "people", "arrested")]


def test_the_laws_fine_is_no_figure(run: Run) -> None:
    ex = run(
        "Police warn against lending bank accounts",
        "Police arrested 30 suspects. Money laundering carries up to 14 years in "
        "prison and fines of HK$5 million.",
    )
    assert [f.value for f in ex.figures] == [30]


def test_a_quoted_english_term_opened_by_a_number_names_something(run: Run) -> None:
    ex = run(
        "Police trace card smuggling route",
        'Police arrested 14 suspects who smuggled the "two cards" across the border.',
    )
    assert [f.value for f in ex.figures] == [14]


def test_the_head_noun_comes_after_a_long_de_modifier(run: Run) -> None:
    """一个…的团伙: what 的 closes describes the gang; the gang is what is counted."""
    ex = run(
        "警方打掉诈骗团伙",
        "警方打掉一个以“高薪招聘”“免费培训”为诱饵的跨境电信网络诈骗犯罪团伙，抓获嫌疑人26名。",
    )
    assert (1, "gangs", "gangs_destroyed") in _got(ex)


def test_one_joined_to_a_counted_one_and_another_one_count(run: Run) -> None:
    ex = run(
        "警方捣破两个诈骗集团",
        "警方捣破一个网上投资诈骗集团和一个利用虚拟货币洗钱的集团，拘捕12人。"
        "另外，警方瓦解另一个洗钱集团。",
    )
    assert _got(ex).count((1, "gangs", "gangs_destroyed")) == 3


def test_a_blank_in_a_chinese_headline_parts_its_clauses(run: Run) -> None:
    """拘捕…542人 7600多名嫌犯押解回国: the second count's verb is the one after it."""
    ex = run(
        "警方拘捕骨干86人 1200多名嫌犯押解回国",
        "目前已有1200多名涉诈嫌犯被押解回国，警方另拘捕诈骗集团骨干86人。",
    )
    assert [(f.value, f.measure) for f in ex.figures if f.value == 1200] == [
        (1200, "other:suspects_repatriated")
    ]


def test_a_noun_before_another_count_is_not_this_counts(run: Run) -> None:
    ex = run(
        "警方查扣诈骗集团财产",
        "警方抓获犯嫌9人，并扣押犯嫌名下市值3000万元的豪宅及6笔土地。",
    )
    assert 6 not in [f.value for f in ex.figures]
