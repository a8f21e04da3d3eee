"""Campaigns: known names and aliases in both languages, new names, and what is not a campaign."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.extract import Extractor
from monitor.models import Article, Extraction

Run = Callable[..., Extraction]
ROOT = Path(__file__).resolve().parents[2]


def _names(ex: Extraction) -> set[tuple[str, bool]]:
    return {(c.canonical, c.known) for c in ex.campaigns}


def test_chinese_and_english_names_merge_to_one_canonical(run: Run) -> None:
    """净网2021 and "Cleaning the Internet 2021" are the same known campaign."""
    zh = run("公安部部署“净网2021”专项行动", "全国公安机关抓获犯罪嫌疑人100名。")
    en = run(
        'Police push the "Cleaning the Internet 2021" special campaign',
        "Police arrested 100 suspects.",
    )
    assert _names(zh) == _names(en) == {("Clean Internet 2021", True)}
    (mention,) = zh.campaigns
    assert (
        zh_text(zh_title="公安部部署“净网2021”专项行动")[mention.start : mention.end] == "净网2021"
    )


def zh_text(zh_title: str) -> str:
    return f"{zh_title}\n\n全国公安机关抓获犯罪嫌疑人100名。"


def test_year_templates_cover_every_year(run: Run) -> None:
    """A yearly series listed once with {year} is known for any year: 昆仑-2023, Kunlun 2023."""
    ex = run(
        "公安部部署“昆仑-2023”专项行动", "警方表示，“昆仑-2023”专项行动已抓获犯罪嫌疑人200名。"
    )
    assert _names(ex) == {("Kunlun 2023", True)}


def test_series_of_quoted_names_and_numbered_operations(run: Run) -> None:
    """'the "Zhongshan" and "Blue Sword" series' and '"Qianchao No. 9" and "Qianchao No. 10"
    special operations' are four campaigns; "Zhongshan" here is not the city."""
    body = (
        'Taking the "Zhongshan" and "Blue Sword" series of concentrated strikes as the lead, '
        'police successively carried out "Qianchao No. 9" and "Qianchao No. 10" special '
        "operations and arrested 174 suspects."
    )
    ex = run("Police report results", body)
    assert {c.canonical for c in ex.campaigns} == {
        "Zhongshan",
        "Blue Sword",
        "Qianchao No. 9",
        "Qianchao No. 10",
    }
    assert ex.regions == ()


def test_new_campaign_is_not_known(run: Run) -> None:
    """A quoted name before 'campaign' or 专项行动 that no config lists is found, known=False."""
    en = run('Police launch the "Iron Fist 2024" campaign', "Police arrested 300 suspects.")
    zh = run("公安部部署“雷火-2024”专项行动", "全国公安机关抓获犯罪嫌疑人300名。")
    assert _names(en) == {("Iron Fist 2024", False)}
    assert _names(zh) == {("雷火-2024", False)}


def test_is_known_consults_the_registry(tmp_path: Path) -> None:
    """A name already in the index's registry is known even if campaigns.toml lacks it."""
    ex = Extractor(ROOT / "config" / "campaigns.toml", is_known=lambda n: n == "Iron Fist 2024")
    out = ex.extract(
        Article(
            id="x",
            title='Police launch the "Iron Fist 2024" campaign',
            body="Police arrested 300 suspects.",
        )
    )
    assert [(c.canonical, c.known) for c in out.campaigns] == [("Iron Fist 2024", True)]


def test_quoted_crime_type_is_not_a_campaign(run: Run) -> None:
    """'special "naked chat" blackmail operations', “裸聊”敲诈专项打击 and the "Internet Water
    Army" crackdown name crime types, not campaigns."""
    en = run(
        "Police act",
        'Guangdong carried out special "naked chat" operations and the '
        'crackdown on the "Internet Water Army" campaign, arresting 50 suspects.',
    )
    zh = run("警方行动", "广东警方开展“裸聊”专项行动，抓获犯罪嫌疑人50名。")
    assert en.campaigns == () and zh.campaigns == ()


def test_long_name_and_its_short_form_are_one_campaign(run: Run) -> None:
    """'spring clean-up remediation black market network action' is the 'spring action'."""
    body = (
        'Police launched the " spring clean-up remediation black market network action ". '
        'The "spring action" arrested more than 1000 people.'
    )
    assert {c.canonical for c in run("Beijing police", body).campaigns} == {"Spring Action"}


def test_each_written_form_listed_once(run: Run) -> None:
    """The same mention repeated is listed once; different spellings are each listed."""
    body = (
        'The "Clean Internet 2021" special action continued. The "Clean Internet 2021" '
        'special action and the "Cleaning the Internet 2021" campaign arrested 10 suspects.'
    )
    ex = run("Police", body)
    assert [c.mention for c in ex.campaigns] == [
        "Clean Internet 2021",
        "Cleaning the Internet 2021",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[[campaign]]\nname = "X"\n', "entry 1 ('X'), field `name`"),
        ('[[campaign]]\nname = "Good One"\naliases = ["Q"]\n', "field `aliases`"),
        ('[[campaign]]\nname = "Good One"\nbare = "yes"\n', "field `bare`"),
        ('[[campaign]]\nname = "Good One"\ncolour = 1\n', "field `colour`"),
        ("[[campaign\nname = 1", "not valid TOML"),
    ],
)
def test_bad_campaigns_file_names_file_entry_and_field(
    tmp_path: Path, content: str, expected: str
) -> None:
    """A broken campaigns.toml stops construction with the file, the entry and the field."""
    path = tmp_path / "campaigns.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        Extractor(path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_version_changes_with_the_campaign_list(tmp_path: Path) -> None:
    """Adding a campaign changes the extractor version the enriched articles carry."""
    path = tmp_path / "campaigns.toml"
    path.write_text((ROOT / "config" / "campaigns.toml").read_text(encoding="utf-8"))
    before = Extractor(path).version
    with path.open("a", encoding="utf-8") as fh:
        fh.write('\n[[campaign]]\nname = "Iron Fist"\naliases = ["铁拳"]\n')
    after = Extractor(path)
    assert before != after.version
    out = after.extract(
        Article(id="x", title="公安部部署“铁拳”专项行动", body="抓获100名犯罪嫌疑人。")
    )
    assert out.extractor_version == after.version
    assert [(c.canonical, c.known) for c in out.campaigns] == [("Iron Fist", True)]
