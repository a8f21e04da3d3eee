"""Rules files: the shipped one loads, and every mistake names the file, the rule and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.alerts import list_rules, load_alerts
from monitor.alerts.rules import FigureRule, NewCampaignRule, QueryRule
from monitor.errors import ConfigError
from tests.alerts.conftest import ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "alerts.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_rules_load_with_default_recipients() -> None:
    config = load_alerts(ROOT / "config" / "alerts.toml", ["desk@example.org"])
    kinds = {type(r) for r in config.rules}
    assert kinds == {NewCampaignRule, QueryRule, FigureRule}
    assert all(r.to == ("desk@example.org",) for r in config.rules)
    digest = next(r for r in config.rules if r.delivery == "digest")
    assert digest.digest_schedule.timezone == "Asia/Shanghai"
    assert digest.digest_schedule.describe() == "daily at 08:00 Asia/Shanghai"


def test_new_campaign_alerts_are_on_by_default(tmp_path: Path) -> None:
    missing = list_rules(tmp_path / "absent.toml", ["a@example.org"])
    assert [(r.kind, r.name, r.to) for r in missing] == [
        ("new_campaign", "new_campaign", ("a@example.org",))
    ]
    only_query = list_rules(
        write(
            tmp_path,
            '[[rule]]\nname = "q"\nkind = "query"\nquery = "fraud"\nto = ["b@example.org"]\n',
        )
    )
    assert [r.kind for r in only_query] == ["new_campaign", "query"]
    off = list_rules(
        write(tmp_path, '[[rule]]\nname = "n"\nkind = "new_campaign"\nenabled = false\n')
    )
    assert [(r.kind, r.enabled) for r in off] == [("new_campaign", False)]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('name = "x"\nkind = "keyword"', "rule 'x': field 'kind': must be one of"),
        ('name = "x"\nkind = "query"\nquery = "(fraud"', "rule 'x': field 'query': unbalanced"),
        (
            'name = "x"\nkind = "query"\nfilters = { province = ["Guangdong"] }',
            "rule 'x': field 'filters': unknown filter 'province'",
        ),
        (
            'name = "x"\nkind = "figure"\nmeasure = "arrested"',
            "rule 'x': field 'at_least': Field required",
        ),
        (
            'name = "x"\nkind = "figure"\nmeasure = "arrested"\nat_least = -3',
            "rule 'x': field 'at_least': Input should be greater than 0",
        ),
        (
            'name = "x"\nkind = "query"\nto = ["a@example.org\\r\\nBcc: spy@evil.example"]',
            "rule 'x': field 'to': ",
        ),
        (
            'name = "x"\nkind = "query"\nto = "a@example.org, Eve <eve@evil.example>"',
            "rule 'x': field 'to': 'Eve <eve@evil.example>' is not a plain e-mail address",
        ),
        (
            'name = "x"\nkind = "query"\ndelivery = "digest"\n'
            'schedule = { every = "day", at = "08:00", timezone = "Mars/Olympus" }',
            "rule 'x': field 'schedule.timezone': ",
        ),
        (
            'name = "x"\nkind = "query"\ndelivery = "digest"\n'
            'schedule = { every = "day", at = "25:00" }',
            "rule 'x': field 'schedule.at': ",
        ),
        (
            'name = "x"\nkind = "query"\nschedule = { every = "hour", at = ":15" }',
            "rule 'x': field 'schedule': a schedule only applies to delivery = \"digest\"",
        ),
        ('name = "x"\nkind = "query"\nqeury = "fraud"', "rule 'x': field 'qeury': unknown field"),
        ('kind = "query"', "rule #1: field 'name': Field required"),
    ],
)
def test_a_bad_rule_names_the_file_the_rule_and_the_field(
    tmp_path: Path, rule: str, message: str
) -> None:
    path = write(tmp_path, f"[[rule]]\n{rule}\n")
    with pytest.raises(ConfigError) as err:
        load_alerts(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_duplicate_names_bad_defaults_and_bad_toml(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[rule]]\nname = "x"\nkind = "query"\n[[rule]]\nname = "x"\nkind = "new_campaign"\n',
    )
    with pytest.raises(ConfigError, match="rule 'x': field 'name': used by more than one"):
        load_alerts(path)
    with pytest.raises(ConfigError, match=r"alerts.to \(MONITOR_ALERTS__TO\)"):
        load_alerts(tmp_path / "absent.toml", ["not an address"])
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_alerts(write(tmp_path, "[[rule]\n"))
    with pytest.raises(ConfigError, match=r"\[delivery\]: field 'gather_seconds'"):
        load_alerts(write(tmp_path, "[delivery]\ngather_seconds = -1\n"))


def test_every_problem_of_every_rule_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[delivery]\ngather_seconds = -1\n"
        '[[rule]]\nname = "a"\nkind = "figure"\nat_least = 0\nto = ["not an address"]\n'
        '[[rule]]\nname = "b"\nkind = "query"\nqeury = "fraud"\n'
        '[[rule]]\nname = "c"\nkind = "query"\n[[rule]]\nname = "c"\nkind = "query"\n',
    )
    with pytest.raises(ConfigError) as err:
        load_alerts(path)
    lines = str(err.value).splitlines()
    assert lines[0] == f"{path}: 6 problems:"
    assert [line.strip() for line in lines[1:]] == [
        "[delivery]: field 'gather_seconds': Input should be greater than or equal to 0",
        "rule 'a': field 'to': 'not an address' is not a plain e-mail address (name@domain)",
        "rule 'a': field 'measure': Field required",
        "rule 'a': field 'at_least': Input should be greater than 0",
        "rule 'b': field 'qeury': unknown field",
        "rule 'c': field 'name': used by more than one rule",
    ]


def test_a_saved_search_can_follow_operations_led_abroad(tmp_path: Path) -> None:
    from monitor.alerts.match import Matcher
    from tests.alerts.conftest import CLEAN_INTERNET, article

    abroad = article(
        "europol",
        title="Europol takes down a call-centre fraud network",
        agencies=("Europol",),
        chinese_police=False,
    )
    rules = load_alerts(
        write(
            tmp_path,
            '[[rule]]\nname = "abroad"\nkind = "query"\nto = ["a@example.org"]\n'
            "filters = { chinese_police = false }\n",
        )
    ).rules
    matcher = Matcher(rules)
    assert [m.rule.name for m in matcher.matches(abroad)] == ["abroad"]
    assert matcher.matches(CLEAN_INTERNET) == []
    assert next(r for r in rules if r.name == "abroad").describe() == (
        "search chinese_police is false"
    )

    wrong = write(
        tmp_path, '[[rule]]\nname = "w"\nkind = "query"\nfilters = { chinese_police = "no" }\n'
    )
    with pytest.raises(ConfigError, match="chinese_police must be true or false, not 'no'"):
        load_alerts(wrong)


def test_a_query_rule_filters_by_the_articles_issuing_level(tmp_path: Path) -> None:
    from monitor.alerts.match import Matcher
    from tests.alerts.conftest import BUREAU, extracted

    press = extracted("xinhua", "Guangzhou police break up a fraud ring", BUREAU)
    ministry = extracted("mps", "Ministry reports fraud arrests", f"{BUREAU} The ministry said so.")
    rules = load_alerts(
        write(
            tmp_path,
            '[[rule]]\nname = "city"\nkind = "query"\nto = ["a@example.org"]\n'
            'query = "fraud"\nfilters = { level = ["City"] }\n',
        )
    ).rules
    matcher = Matcher(rules)
    assert [m.rule.name for m in matcher.matches(press)] == ["city"]
    assert matcher.matches(ministry) == []
    assert next(r for r in rules if r.name == "city").describe() == "search “fraud”, level is city"

    wrong = write(
        tmp_path, '[[rule]]\nname = "w"\nkind = "query"\nfilters = { level = "county" }\n'
    )
    with pytest.raises(
        ConfigError, match="level must be ministry, province, city, press, not 'county'"
    ):
        load_alerts(wrong)
