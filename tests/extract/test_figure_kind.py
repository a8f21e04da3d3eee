"""Figure.kind: a running total restated as a campaign goes on (cumulative), one period's results
(period), or one case or gang (case), in English, simplified and traditional Chinese."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from monitor.models import Extraction

Run = Callable[..., Extraction]


def _kinds(ex: Extraction) -> dict[float, str]:
    return {f.value: f.kind for f in ex.figures}


def test_english_running_totals_are_cumulative(run: Run) -> None:
    ex = run(
        "Police report progress in summer crackdown",
        "Since the campaign was launched in June, police have arrested 4,300 suspects. "
        "So far 1,250 cases have been solved. As of the end of August, 96 gangs had been "
        "busted.",
    )
    assert _kinds(ex) == {4300: "cumulative", 1250: "cumulative", 96: "cumulative"}


def test_english_results_of_a_year_or_a_phase_are_period(run: Run) -> None:
    ex = run(
        "Province reviews last year's fight against fraud",
        "Last year police in the province solved 8,200 fraud cases and arrested 5,100 "
        "suspects. In the first half of 2023 they seized 310 million yuan.",
    )
    assert set(_kinds(ex).values()) == {"period"}


def test_english_figures_of_one_case_or_gang(run: Run) -> None:
    ex = run(
        "Police bust telecom fraud ring",
        "Police in Wenzhou arrested 37 members of a telecom fraud ring. The gang had cheated "
        "victims of 12 million yuan. In another case, officers detained 9 suspects.",
    )
    assert _kinds(ex) == {37: "case", 12_000_000: "case", 9: "case"}


def test_a_running_total_that_also_names_one_case_stays_cumulative(run: Run) -> None:
    """The case the sentence names after 'including' is not what the total counts."""
    ex = run(
        "Police review the year's campaign",
        "Since the operation began, police have cracked 2,600 cases, including the case of a "
        "gang that sold 300 bank cards abroad.",
    )
    assert _kinds(ex)[2600] == "cumulative"
    ex = run(
        "Police update on fraud crackdown",
        "So far police have solved 780 fraud cases including one case that involved 40 victims.",
    )
    kinds = _kinds(ex)
    assert (kinds[780], kinds[40]) == ("cumulative", "case")


def test_a_running_total_of_one_case_is_a_case_figure(run: Run) -> None:
    """The case word in the figure's own clause wins over the running total around it."""
    ex = run(
        "警方通报一起跨境诈骗案进展",
        "截至目前，该案已抓获犯罪嫌疑人46名，冻结涉案资金3200万元。",
    )
    assert _kinds(ex)[46] == "case"


def test_simplified_chinese_kinds(run: Run) -> None:
    ex = run(
        "全省“断卡”行动成效明显",
        "今年以来，全省公安机关累计破获涉“两卡”案件1860起。"
        "2023年，全省共抓获犯罪嫌疑人2400名。"
        "其中，杭州警方打掉一个跨境洗钱团伙，抓获团伙成员31名。",
    )
    assert _kinds(ex) == {1860: "cumulative", 2400: "period", 1: "case", 31: "case"}


def test_a_time_of_its_own_beats_the_running_total_of_the_sentence(run: Run) -> None:
    ex = run(
        "公安部通报打击成果",
        "专项行动累计抓获犯罪嫌疑人5200名，近期又公开通缉在逃人员80名。",
    )
    assert _kinds(ex) == {5200: "cumulative", 80: "period"}


def test_traditional_chinese_kinds(run: Run) -> None:
    """The rules read the simplified form: 累計, 以來, 該集團 are found as 累计, 以来, 该集团."""
    ex = run(
        "警方打詐成果",
        "自行動展開以來，警方累計拘捕疑犯1,180名。該集團涉款約8,600萬元。"
        "去年全年共偵破詐騙案件2,950宗。",
    )
    assert _kinds(ex) == {1180: "cumulative", 86_000_000: "case", 2950: "period"}


def test_a_sub_count_takes_the_kind_of_its_total(run: Run) -> None:
    ex = run(
        "Police update on fraud crackdown",
        "To date police have arrested 1,400 suspects, 210 of whom were ringleaders.",
    )
    assert _kinds(ex) == {1400: "cumulative", 210: "cumulative"}


def test_the_json_output_of_extract_carries_the_kind(tmp_path: Path) -> None:
    from monitor.cli import app

    text = tmp_path / "report.txt"
    text.write_text(
        "Police report crackdown results\n\nSo far police have arrested 520 suspects.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["extract", "--json", str(text)])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output.strip().splitlines()[0])
    figures = line["extraction"]["figures"]
    assert [(f["value"], f["kind"]) for f in figures] == [(520, "cumulative")]


def test_a_gang_with_a_long_description_is_still_one_case(run: Run) -> None:
    ex = run(
        "警方打掉养老诈骗团伙",
        "近日，警方打掉一个以“健康讲座”“保健产品”为幌子专门针对老年人的系列诈骗犯罪团伙，"
        "抓获犯罪嫌疑人43名。全案共冻结涉案资金1600余万元。",
    )
    kinds = _kinds(ex)
    assert (kinds[43], kinds[16_000_000]) == ("case", "case")


def test_a_case_word_used_as_a_modifier_names_no_case_in_english(run: Run) -> None:
    """'gang crime', 'a ring crackdown', 'case handling' name a kind of crime or work, not one
    gang or case; nor does a gang reached through a preposition ('a crackdown on gang crime')."""
    ex = run(
        "Police report crackdown results",
        "Since the campaign began, police have arrested 1,500 suspects in a crackdown on gang "
        "crime. So far officers have solved 6,000 cases in the ring crackdown. "
        "Last year police arrested 900 suspects in the case handling drive.",
    )
    assert _kinds(ex) == {1500: "cumulative", 6000: "cumulative", 900: "period"}


def test_a_gang_named_after_its_own_words_is_still_one_case_in_english(run: Run) -> None:
    ex = run(
        "Police break up fraud ring",
        "Officers broke up a cross-border online gambling gang and arrested 41 people. "
        "In one case, police froze 3 million yuan.",
    )
    assert _kinds(ex) == {41: "case", 3_000_000: "case"}  # "In one case" counts nothing


def test_gang_crime_and_case_handling_name_no_case_in_chinese(run: Run) -> None:
    ex = run(
        "公安机关通报打击成果",
        "今年以来，全省打击团伙犯罪抓获犯罪嫌疑人2100名。"
        "2023年，各地统一案件侦办标准，共破获案件860起。",
    )
    assert _kinds(ex) == {2100: "cumulative", 860: "period"}


def test_one_gang_or_case_in_chinese_beside_general_words(run: Run) -> None:
    """该团伙 is one gang even when a word for gang crime stands in the same text; 一个个 is 'one
    after another', not one gang."""
    ex = run(
        "警方打掉诈骗团伙",
        "近日，警方打掉一个跨境诈骗团伙，抓获犯罪嫌疑人27名。"
        "今年以来，全国打掉一个个犯罪团伙，累计抓获3000人。",
    )
    # the one gang busted is counted once: 一个个 counts none
    assert [(f.value, f.kind) for f in ex.figures] == [
        (1, "case"),
        (27, "case"),
        (3000, "cumulative"),
    ]


def test_traditional_chinese_gang_crime_and_one_case(run: Run) -> None:
    ex = run(
        "警方打擊詐騙成果",
        "自行動展開以來，警方針對集團犯罪共拘捕疑犯1,260名。"
        "在一宗網上投資詐騙案中，警方截回款項約380萬元。",
    )
    assert _kinds(ex) == {1260: "cumulative", 3_800_000: "case"}


def test_a_chinese_headline_s_clauses_are_read_apart(run: Run) -> None:
    """A blank parts a headline's clauses: the gang of the first is not what the running total
    of the second counts, and the figure and its kind are read from that same clause."""
    ex = run(
        "该诈骗集团主犯落网 全国累计抓获犯罪嫌疑人3万人",
        "公安部通报专项行动进展。",
    )
    assert _kinds(ex) == {30_000: "cumulative"}


def test_a_case_word_coordinated_with_another_modifier_names_no_case(run: Run) -> None:
    ex = run(
        "Police report crackdown results",
        "Police have arrested 3,000 suspects in the gang and drug crackdown since March. "
        "Officers arrested the gang and seized 4 million yuan in cash.",
    )
    assert _kinds(ex) == {3000: "cumulative", 4_000_000: "case"}


def test_a_gang_named_in_the_possessive_is_one_gang(run: Run) -> None:
    ex = run(
        "Police bust fraud syndicate",
        "Police said the syndicate's bosses had laundered 40 million yuan. "
        "This year police arrested 700 suspects in gang-related fraud.",
    )
    assert _kinds(ex) == {40_000_000: "case", 700: "period"}
