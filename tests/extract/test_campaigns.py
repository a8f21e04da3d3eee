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
    """A quoted name before 'campaign' or 专项行动 that no config lists is found, known=False;
    a Chinese one is named in pinyin, its year after it, and its mention stays as written."""
    en = run('Police launch the "Iron Fist 2024" campaign', "Police arrested 300 suspects.")
    zh = run("公安部部署“雷火-2024”专项行动", "全国公安机关抓获犯罪嫌疑人300名。")
    assert _names(en) == {("Iron Fist 2024", False)}
    assert _names(zh) == {("Leihuo 2024", False)}
    assert [c.mention for c in zh.campaigns] == ["雷火-2024"]


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


def _canon(ex: Extraction) -> list[tuple[str, str]]:
    return [(c.canonical, c.mention) for c in ex.campaigns]


def test_outlets_translations_are_one_campaign(run: Run) -> None:
    """断卡 is "Card Breaking" however an outlet renders it."""
    body = (
        'The "Broken Card" operation, also reported as the "card-breaking" campaign and the '
        'Duanka action, and the nationwide "break the card" campaign arrested 4,600 suspects.'
    )
    assert {c.canonical for c in run("Police", body).campaigns} == {"Card Breaking"}
    zh = run("各地推进“断卡”行动", "公安机关持续开展断卡行动，抓获犯罪嫌疑人200名。")
    assert {c.canonical for c in zh.campaigns} == {"Card Breaking"}
    summer = run("Police", "The annual Summer Security Campaign has netted 1.2 million suspects.")
    assert {c.canonical for c in summer.campaigns} == {"Summer Public Security Crackdown"}
    operation = run(
        "Police", "Police caught 12,800 suspects in the summer public security operation."
    )
    assert {c.canonical for c in operation.campaigns} == {"Summer Public Security Crackdown"}
    # a machine translation of 净网 seen in the wild
    mt = run("MPS", 'The ministry deployed the one-year "Net Net 2019" special campaign.')
    assert {c.canonical for c in mt.campaigns} == {"Clean Internet 2019"}


def test_yearless_mention_beside_a_dated_one_is_that_campaign(run: Run) -> None:
    """“昆仑”专项行动 in a text about 昆仑2023, and "the Kunlun action" under a "Kunlun 2023"
    headline, are Kunlun 2023, not a second campaign."""
    zh = run(
        "省公安厅部署“昆仑2023”专项行动", "全省公安机关深入推进“昆仑”专项行动，破获案件300起。"
    )
    en = run(
        "Kunlun 2023: police crack 10,000 cases",
        "Police kept up the Kunlun special action and cracked 10,000 cases.",
    )
    assert _canon(zh) == [("Kunlun 2023", "昆仑2023"), ("Kunlun 2023", "昆仑")]
    assert {c.canonical for c in en.campaigns} == {"Kunlun 2023"}


def test_a_name_no_list_knows_beside_its_dated_form_is_that_campaign(run: Run) -> None:
    """A headline's "Sword Strike" over the body's "Sword Strike 2023", and 断链 beside
    断链-2023, are one campaign, as a known series is; "the national Cloud Sword drive" is a
    campaign as "operation" or "campaign" would make it."""
    en = run(
        'Police nab 2,100 in "Sword Strike" campaign',
        "Police detained 2,100 suspects in a campaign called Sword Strike 2023. It is part of "
        "the national Cloud Sword drive against fraud.",
    )
    zh = run("福州警方“断链”行动战果", "福州市公安局通报“断链-2023”专项行动战果，抓获嫌疑人50名。")
    assert {c.canonical for c in en.campaigns} == {"Sword Strike 2023", "Cloud Sword"}
    assert {c.canonical for c in zh.campaigns} == {"Duanlian 2023"}


def test_a_quoted_name_before_shouwang_is_a_campaign(run: Run) -> None:
    """收网 (the net drawn in: the arrests that close an operation) names the quoted name before
    it, alone or as 集中收网."""
    ex = run(
        "市公安局通报战果",
        "在“霹雳”集中收网中抓获嫌疑人96名。深圳警方开展“飓风”收网，捣毁“跑分”平台15个。",
    )
    assert {c.canonical for c in ex.campaigns} == {"Pili", "Jufeng"}


def test_a_gloss_in_brackets_between_a_name_and_its_operation_word(run: Run) -> None:
    """'the Yunjian (Cloud Sword) operation': the bracketed translation does not hide the word
    that makes Yunjian a campaign."""
    ex = run(
        "Police report", "Police said the Yunjian (Cloud Sword) operation caught 300 fugitives."
    )
    assert {c.canonical for c in ex.campaigns} == {"Cloud Sword"}


def test_an_operations_body_is_no_operation(run: Run) -> None:
    """'the Operation Centre of the Royal Thai Police' and 'the Operations Command' are bodies;
    'Operation Clean Sweep' is an operation."""
    ex = run(
        "Thai and Chinese police bust scam centre",
        "Police arrested 32 fraud suspects. The Operation Centre of the Royal Thai Police said "
        "the suspects were handed over at the Operations Command. Police said Operation Clean "
        "Sweep would continue.",
    )
    assert {c.canonical for c in ex.campaigns} == {"Clean Sweep"}


def test_codenamed_in_one_word_as_hong_kong_police_write_it(run: Run) -> None:
    ex = run(
        "Police arrest 25 persons in anti-deception operation",
        'Police mounted an anti-deception operation codenamed "Frostbite", arresting 25 persons '
        "for suspected money laundering.",
    )
    assert {c.canonical for c in ex.campaigns} == {"Frostbite"}


def test_known_names_quoted_with_the_list_s_commas_inside(run: Run) -> None:
    """American punctuation puts a list's commas and its full stop inside the quotes: "Great
    Wall," "Card Breaking," ... and "Pulling Nails." are each quoted names."""
    ex = run(
        "Chinese police crack 391,000 telecom fraud cases",
        'Police cracked 391,000 fraud cases under special operations including "Great Wall," '
        '"Card Breaking," "Cutting the Flow" and "Pulling Nails."',
    )
    assert {c.canonical for c in ex.campaigns} == {
        "Great Wall",
        "Card Breaking",
        "Cutting the Flow",
        "Pulling Out Nails",
    }


def test_year_from_the_sentence_or_the_headline(run: Run) -> None:
    """A series named without a year takes the year its sentence gives before it, else the one
    year of the headline; not "since 2018", a page date (2019-08-21), nor another campaign's
    year."""
    same = run(
        "公安部通报网络犯罪情况", "2021年，公安部部署开展“净网”专项行动，抓获犯罪嫌疑人10.3万名。"
    )
    title = run("2022年“云剑”行动成果发布", "各地公安机关持续推进“云剑”行动，抓获在逃人员3000名。")
    since = run(
        "Police report", "Since 2018 the Clean Internet campaign has arrested 100,000 people."
    )
    dated_page = run("甘肃警方通报", "- 2019-08-21“云剑”行动抓获在逃人员4863名")
    other = run(
        'China brings back 1,624 fugitives under "Sky Net 2023"',
        "The Fox Hunt operation caught 500 of them.",
    )
    assert {c.canonical for c in same.campaigns} == {"Clean Internet 2021"}
    assert {c.canonical for c in title.campaigns} == {"Cloud Sword 2022"}
    assert {c.canonical for c in since.campaigns} == {"Clean Internet"}
    assert {c.canonical for c in dated_page.campaigns} == {"Cloud Sword"}
    assert {c.canonical for c in other.campaigns} == {"Sky Net 2023", "Fox Hunt"}


def test_two_dated_mentions_date_no_yearless_one(run: Run) -> None:
    body = (
        "The Clean Internet 2019 and Clean Internet 2020 campaigns, and the Clean Internet "
        "campaign as a whole, arrested 100 people."
    )
    assert {c.canonical for c in run("Police", body).campaigns} == {
        "Clean Internet 2019",
        "Clean Internet 2020",
        "Clean Internet",
    }


def test_numbers_after_names(run: Run) -> None:
    """HAECHI III, 云剑-2022, 雷霆11号, "Cloud Sword 2020", "Qianchao No. 9"; "HAECHI" beside
    "HAECHI III" is that operation."""
    en = run(
        "INTERPOL operation",
        "HAECHI III, an INTERPOL operation, seized USD 300 million. HAECHI targets fraud. "
        'The "Cloud Sword 2020" action and the "Qianchao No. 9" operation arrested 70 people.',
    )
    zh = run(
        "河南警方", "河南警方开展“雷霆11号”“雷霆1号”集群战役和云剑-2022行动，抓获犯罪嫌疑人300名。"
    )
    assert {c.canonical for c in en.campaigns} == {
        "HAECHI III",
        "Cloud Sword 2020",
        "Qianchao No. 9",
    }
    assert {c.canonical for c in zh.campaigns} == {
        "Thunder No. 11",
        "Thunder No. 1",
        "Cloud Sword 2022",
    }


def test_english_operation_grammar(run: Run) -> None:
    """ "Operation X" (CamelCase, capitals, a Roman numeral after), "dubbed/code-named/known as
    X" after an operation word; the word opening a sentence before "Operation" is no name."""
    ex = run(
        "Hong Kong police",
        "Police launched Operation AttackPlan and arrested 50 people. Under Operation Ironclad "
        'II, 30 were caught. A crackdown dubbed "Storm Shadow" and an operation code-named '
        "Blackwater seized 12 phones. The boy, named Peter, was arrested.",
    )
    assert {(c.canonical, c.known) for c in ex.campaigns} == {
        ("AttackPlan", True),  # Hong Kong Police's, in the registry
        ("Ironclad II", False),
        ("Storm Shadow", False),
        ("Blackwater", False),
    }


def test_a_name_before_an_operation_word_in_a_text_that_opens_with_the_word(run: Run) -> None:
    """ "the X campaign" is read in a text whose first word is "Campaign" as in any other."""
    body = "Police said the Mekong Dawn campaign arrested 20 people in Laos and Myanmar."
    for title in ("Police news from the Mekong", "Campaign news from the Mekong"):
        assert ("Mekong Dawn", False) in _names(run(title, body)), title


def test_cases_named_by_date(run: Run) -> None:
    """“12·15”专案, “2003.4.30”特大持枪抢劫案 and the "9.06" case are named; a quoted date
    alone is not."""
    zh = run("公安机关侦破“12·15”专案", "抓获犯罪嫌疑人531名。")
    dated = run("警方通报", "沈阳警方破获“2003.4.30”特大持枪抢劫案，抓获犯罪嫌疑人3名。")
    assert _canon(dated) == [("2003.4.30", "2003.4.30")]
    en = run(
        "Police",
        'Police solved the "9.06" case and arrested 12 suspects. On "3.15" day 20 were warned.',
    )
    assert _canon(zh) == [("12.15", "12·15")]
    assert _canon(en) == [("9.06", "9.06")]


def test_quoted_names_before_every_chinese_suffix(run: Run) -> None:
    """专项行动, 专案, 战役, 会战 and “X”专案行动 all follow a campaign name."""
    body = "警方开展“雷火”专项行动、“獵鷹”战役、“疾风”会战和“天眼”专案行动，抓获犯罪嫌疑人80名。"
    assert {c.canonical for c in run("警方通报", body).campaigns} == {
        "Leihuo",
        "Falcon",
        "Jifeng",
        "Tianyan",
    }


def test_quoted_names_before_a_qualified_operation_word(run: Run) -> None:
    """集中收网行动, 联合行动, 同步收网行动: the words that qualify 行动 still follow a name."""
    body = (
        "警方开展“滇南·清源二号”集中收网行动，会同邻省开展“长缨”联合行动和“江风”同步收网行动，"
        "抓获犯罪嫌疑人90名。"
    )
    assert {c.mention for c in run("警方通报", body).campaigns} == {
        "滇南·清源二号",
        "长缨",
        "江风",
    }


def test_an_unknown_chinese_name_is_its_pinyin_by_words_with_its_number(run: Run) -> None:
    """A name no list knows is named as config/campaigns.toml names the ones it lists: its words
    in pinyin (the parts a dot parts, a run of four characters as two words of two), its number
    as "No. N", its year after it; the mention stays as written."""
    body = (
        "警方开展“滇南·清源二号”集中收网行动和“雷火长缨”专项行动，又部署“天眼-2023”会战，"
        "抓获犯罪嫌疑人90名。"
    )
    ex = run("警方通报", body)
    assert {(c.canonical, c.mention, c.known) for c in ex.campaigns} == {
        ("Diannan Qingyuan No. 2", "滇南·清源二号", False),
        ("Leihuo Changying", "雷火长缨", False),
        ("Tianyan 2023", "天眼-2023", False),
    }


def test_a_known_name_numbered_or_dated_keeps_its_english_name(run: Run) -> None:
    """猎鹰3号 is Falcon No. 3 (猎鹰 is Falcon), not a pinyin name; 清源断流 is the drug campaign
    named as one, not 清源 and 断流 apart."""
    ex = run(
        "警方通报",
        "警方开展代号为“猎鹰3号”的收网行动，并深入开展清源断流专项行动，抓获嫌疑人40名。",
    )
    assert {c.canonical for c in ex.campaigns} == {
        "Falcon No. 3",
        "Clearing the Source and Cutting the Flow",
    }


def test_laws_platforms_and_crime_types_are_not_campaigns(run: Run) -> None:
    """A law in title marks, an app, a quoted crime type before 专项整治, kinds of operation in
    quotes: none is a campaign."""
    body = (
        "各地宣传《反电信网络诈骗法》，推广“国家反诈中心”APP，开展“两卡”专项整治，"
        "组织“区域会战和集群战役”，抓获犯罪嫌疑人120名。"
    )
    assert run("警方通报", body).campaigns == ()


def test_names_listed_after_an_operation_word(run: Run) -> None:
    """ "special actions such as Cloud Sword, Breaking Cards and Pulling Out Nails" and
    “断流”“拔钉”“清网”等专项行动 name every campaign of the list."""
    en = run(
        "Ministry briefing",
        "The ministry deployed special actions such as Cloud Sword, Breaking Cards, Breaking "
        "Flow and Pulling Out Nails, arresting 7,000 suspects.",
    )
    zh = run("公安部通报", "公安部部署开展“断流”“拔钉”“清网”等专项行动，抓获犯罪嫌疑人7.9万名。")
    assert {c.canonical for c in en.campaigns} == {
        "Cloud Sword",
        "Card Breaking",
        "Cutting the Flow",
        "Pulling Out Nails",
    }
    assert {(c.canonical, c.known) for c in zh.campaigns} == {
        ("Cutting the Flow", True),
        ("Pulling Out Nails", True),
        ("Qingwang", False),
    }


def test_code_names_and_suffixes_inside_quotes(run: Run) -> None:
    """'The operation, code-named "Tidebreaker"', 代号“破浪”的执法行动, “全国同步扫毒专案行动”
    (the suffix inside the quotes), and a case named by date with words between. Names the
    registry does not know are named in pinyin; their mentions keep the text's script."""
    en = run("Police", 'The operation, code-named "Tidebreaker", arrested 682 people.')
    zh = run("香港警方", "香港警方过去三星期展开代号“破浪”的执法行动，拘捕682人。")
    tw = run("台中", "市警局在「全國同步掃毒專案行動」中偵破毒品案22件，逮捕嫌犯80人。")
    case = run("Police", 'The Putian "9.06" telecom fraud case saw 300 suspects arrested.')
    assert _canon(en) == [("Tidebreaker", "Tidebreaker")]
    assert _canon(zh) == [("Polang", "破浪")]
    assert _canon(tw) == [("Quanguo Tongbu Saodu", "全國同步掃毒")]
    assert _canon(case) == [("9.06", "9.06")]


def test_a_name_right_before_a_quoted_campaign_qualifies_it(run: Run) -> None:
    """夏季治安打击整治“百日行动” is the Hundred-Day Action of the summer crackdown."""
    ex = run(
        "公安部通报", "夏季治安打击整治“百日行动”开展以来，全国公安机关抓获犯罪嫌疑人14.9万名。"
    )
    assert {c.canonical for c in ex.campaigns} == {"Hundred-Day Action"}


def test_a_lower_case_english_word_is_not_the_name_it_spells(run: Run) -> None:
    """ "could trigger action" is no Operation Trigger; "card-breaking" (two words) and a quoted
    "kunlun" still name campaigns."""
    assert (
        run("Police", "The rise could trigger action; police arrested 30 people.").campaigns == ()
    )
    ex = run(
        "Police",
        'INTERPOL Operation Trigger, the "kunlun" action and the card-breaking campaign '
        "arrested 30 people.",
    )
    assert {c.canonical for c in ex.campaigns} == {"Trigger", "Kunlun", "Card Breaking"}
