"""Campaigns of Hong Kong, Macau and Taiwan police: names their English releases use, and a name
shared with a mainland campaign read by whose announcement it is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.extract import Extractor
from monitor.models import Extraction

Run = Callable[..., Extraction]


def _names(ex: Extraction) -> set[str]:
    return {c.canonical for c in ex.campaigns}


def test_hong_kong_police_thunderbolt_is_not_the_mainland_thunder(run: Run) -> None:
    """雷霆 in a Hong Kong police release is the yearly tripartite Thunderbolt; in a mainland
    bureau's it stays the mainland's Thunder, in either script."""
    hk = run(
        "港警反黑行動拘逾千人",
        "警方於5月起進行代號「雷霆2023」的粵港澳三地聯合反罪惡行動，香港警方共拘捕1200人，"
        "檢獲總值約500萬港元的毒品。",
    )
    mainland = run(
        "河南公安“雷霆2023”专项行动战果",
        "河南省公安厅部署开展“雷霆2023”专项行动，全省公安机关抓获犯罪嫌疑人3000名。",
    )
    assert _names(hk) == {"Thunderbolt 2023"}
    assert _names(mainland) == {"Thunder 2023"}


def test_macau_police_name_the_joint_operation_thunderbolt_too(run: Run) -> None:
    ex = run(
        "司警公布雷霆行動成果",
        "澳門司法警察局參與粵港澳三地「雷霆2024」聯合行動，在本澳拘捕300人。",
    )
    assert _names(ex) == {"Thunderbolt 2024"}


def test_thunderbolt_in_english_and_without_its_year(run: Run) -> None:
    """The English name is Hong Kong's wherever it is written; a yearless 雷霆行動 beside a dated
    one in a Hong Kong release takes the year."""
    en = run(
        "Police arrest 900 in anti-triad sweep",
        'Hong Kong police arrested 900 people in operation "THUNDERBOLT 2022", mounted with '
        "the Guangdong and Macau police.",
    )
    hk = run(
        "港警雷霆行動",
        "香港警方今年的「雷霆2022」行動拘捕900人。本港警方表示，雷霆行動仍在進行。",
    )
    assert _names(en) == {"Thunderbolt 2022"}
    assert _names(hk) == {"Thunderbolt 2022"}


def test_hong_kong_attackplan_in_both_languages(run: Run) -> None:
    en = run("Scam crackdown", 'Police arrested 400 people in the "AttackPlan" operation.')
    zh = run("港警打擊詐騙", "警方展開代號「謀攻」的執法行動，拘捕400人，涉款3億元。")
    assert _names(en) == _names(zh) == {"AttackPlan"}
    assert all(c.known for c in (*en.campaigns, *zh.campaigns))


@pytest.mark.parametrize(
    "body",
    [
        "市警局執行「全國同步打詐」專案，查獲詐欺犯嫌300人。",
        "縣警局在第3次全國同步打詐專案行動中偵破詐欺集團案12件。",
        "警政署11月執行「全國同步打擊詐欺專案行動」，查獲詐團200團。",
        "全国同步打诈专案期间，警方查获诈骗嫌犯120人。",
    ],
)
def test_taiwan_nationwide_synchronized_anti_fraud_operation(run: Run, body: str) -> None:
    """全國同步打詐 with or without quotes or its suffix, in either script."""
    assert _names(run("打詐成果", body)) == {"Nationwide Synchronized Anti-Fraud Operation"}


def test_an_unknown_regional_name_is_named_in_pinyin(run: Run) -> None:
    """A Hong Kong police district's code name that no English release gives is named in pinyin,
    never translated by guess, and unknown; its mention keeps the traditional script."""
    ex = run("警區打擊詐騙", "警務處西區警區展開代號「飛鴻」的打擊詐騙行動，拘捕20人。")
    assert {(c.canonical, c.mention, c.known) for c in ex.campaigns} == {("Feihong", "飛鴻", False)}


def test_a_campaign_home_must_be_a_name(tmp_path: Path) -> None:
    path = tmp_path / "campaigns.toml"
    path.write_text('[[campaign]]\nname = "Thunderbolt"\naliases = ["雷霆"]\nhome = [""]\n')
    with pytest.raises(ConfigError, match=r"Thunderbolt.*home"):
        Extractor(path)


def test_thunderbolt_with_a_two_digit_year(run: Run) -> None:
    """Hong Kong Police's releases of 2018 and 2019 wrote "THUNDERBOLT 18"; 雷霆11号 is still the
    mainland's numbered Thunder."""
    en = run(
        "Tripartite joint operation against triads",
        'Hong Kong Police arrested 4,283 people in the operation codenamed "THUNDERBOLT 18".',
    )
    mainland = run("河南公安", "河南警方开展“雷霆11号”集群战役，抓获犯罪嫌疑人300名。")
    assert _names(en) == {"Thunderbolt 2018"}
    assert _names(mainland) == {"Thunder No. 11"}
