"""Agencies and regions of Hong Kong, Macau and Taiwan releases: bodies by the names their
English releases use, read by pattern, and the places that are only part of a body's name."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from monitor.models import Extraction

Run = Callable[..., Extraction]


def test_taiwan_ministry_agency_and_bureau_named_together(run: Run) -> None:
    """內政部警政署刑事警察局 names the ministry, its agency and the bureau; 刑事局 alone the
    bureau."""
    full = run("押解嫌犯返台", "內政部警政署刑事警察局今日將12名詐欺嫌犯押解返台。")
    short = run("刑事局破獲機房", "刑事局會同日本警方搜索機房，逮捕8人。")
    assert set(full.agencies) == {
        "Ministry of the Interior",
        "National Police Agency",
        "Criminal Investigation Bureau",
    }
    assert set(short.agencies) == {"Criminal Investigation Bureau"}


@pytest.mark.parametrize(
    ("body", "office"),
    [
        ("在士林地檢署指揮下，警方搜索機房，逮捕9人。", "Shilin District Prosecutors Office"),
        ("全案移送臺南地方檢察署偵辦，4人遭羈押。", "Tainan District Prosecutors Office"),
        ("由臺灣橋頭地方檢察署指揮偵辦，查獲車手6人。", "Qiaotou District Prosecutors Office"),
        ("彰化地檢署檢察官指揮專案小組，起出贓款300萬元。", "Changhua District Prosecutors Office"),
        ("臺灣高等檢察署統籌各地檢署，查獲詐團30團。", "Taiwan High Prosecutors Office"),
    ],
)
def test_taiwan_prosecutors_offices(run: Run, body: str, office: str) -> None:
    assert office in run("詐欺案", body).agencies


def test_an_office_named_without_its_place_is_none(run: Run) -> None:
    ex = run("詐欺案", "刑警大隊蒐證後，全案移送地方檢察署偵辦。")
    assert not any("Prosecutors" in a for a in ex.agencies)


def test_a_place_in_a_prosecutors_office_name_is_no_region(run: Run) -> None:
    """The raid was in Manila; 新北 names the office that directed it."""
    ex = run("跨境機房", "在新北地檢署指揮下，刑事局會同菲方在馬尼拉搜索機房，逮捕20人。")
    assert "New Taipei" not in ex.regions
    assert "Manila" in ex.regions


def test_taiwan_precincts_and_units_named_alone(run: Run) -> None:
    """A release of one county's or city's police names its precincts and corps alone: they are
    that bureau's; a county's precinct serves a township."""
    county = run(
        "苗栗縣警察局打詐成果",
        "苗栗縣警察局今日公布打詐成果。頭份分局日前查獲車手3人，刑事警察大隊另查獲機房1處。",
    )
    city = run("竹市警打詐", "新竹市警察局表示，第二分局查獲詐欺集團1團。")
    assert {
        "Miaoli County Police Bureau",
        "Toufen Precinct of the Miaoli County Police Bureau",
        "Criminal Investigation Corps of the Miaoli County Police Bureau",
    } <= set(county.agencies)
    assert "Toufen Township" in county.regions
    assert "Second Precinct of the Hsinchu City Police Bureau" in city.agencies


def test_a_mainland_branch_alone_is_no_taiwan_precinct(run: Run) -> None:
    ex = run("铁西警方", "沈阳市公安局今日通报，铁西分局抓获嫌疑人35名。")
    assert not any("Precinct" in a for a in ex.agencies)


@pytest.mark.parametrize(
    ("body", "district"),
    [
        ("警務處深水埗警區昨日展開反詐騙行動，拘捕12人。", "Sham Shui Po Police District"),
        ("東區警區刑事部拘捕3名男子。", "Eastern Police District"),
        ("將軍澳警區人員在寓所拘捕一名女子。", "Tseung Kwan O Police District"),
        ("西九龍總區反黑組拘捕8人。", "Kowloon West Region"),
    ],
)
def test_hong_kong_police_districts(run: Run, body: str, district: str) -> None:
    assert district in run("港警拘捕", body).agencies


def test_hong_kong_security_bureau_and_not_inside_a_bureau_name(run: Run) -> None:
    hk = run("保安局", "保安局局長表示，警方今年拘捕詐騙疑犯2000人。")
    en = run("Police", "The Shanghai Public Security Bureau arrested 30 suspects.")
    assert "Security Bureau" in hk.agencies
    assert "Security Bureau" not in en.agencies


def test_macau_prosecutors_and_judiciary_police_divisions(run: Run) -> None:
    """检察院 alone is Macau's Public Prosecutions Office in a Macau release; a division of the
    Judiciary Police names it too. A mainland 检察院 alone names no office."""
    macau = run(
        "司警拘三名男子",
        "本澳一名事主報警。本局資訊罪案調查處拘捕三名男子，涉款10萬澳門元，已移送檢察院偵辦。",
    )
    mainland = run("警方破案", "某地公安机关抓获嫌疑人5名，已移送检察院审查起诉。")
    assert {
        "Computer Crime Investigation Division of the Judiciary Police of Macau",
        "Judiciary Police of Macau",
        "Public Prosecutions Office of Macau",
    } <= set(macau.agencies)
    assert "Macau" in macau.regions
    assert "Public Prosecutions Office of Macau" not in mainland.agencies


def test_foreign_bodies_in_chinese_releases(run: Run) -> None:
    ex = run(
        "押解返台",
        "刑事局與菲律賓國家調查局、菲律賓移民局共組專案小組，在宿霧逮捕17人。",
    )
    assert {
        "Philippine National Bureau of Investigation",
        "Philippine Bureau of Immigration",
    } <= set(ex.agencies)


def test_nationalities_bylines_and_currencies_are_no_regions(run: Run) -> None:
    """13名日本人, 馬來西亞女子, 越南籍 name who people are; 記者／台北報導 who wrote; 令吉 a
    currency; 與越南交界 a landmark. The raid's place is the region."""
    ex = run(
        "柬埔寨突擊詐騙據點",
        "記者王小明／台北報導\n警方在與越南交界的巴域突擊詐騙據點，逮捕13名日本人、8名越南籍人員"
        "及一名馬來西亞女子，起出5000馬來西亞令吉。",
    )
    assert set(ex.regions) == {"Cambodia", "Bavet"}


def test_a_taiwan_township_after_its_county(run: Run) -> None:
    ex = run("車手落網", "警方在彰化縣溪湖鎮逮捕車手2人，起出提款卡30張。")
    assert {"Changhua County", "Xihu Township"} <= set(ex.regions)


def test_this_territory_and_neighbourhoods(run: Run) -> None:
    """本港 is Hong Kong, 本澳 Macau; 慈雲山 and 新口岸 are neighbourhoods; 馬拉喀什 is not
    Kashgar (喀什)."""
    hk = run("港警拘捕騙徒", "本港警方在慈雲山拘捕一名男子，涉款20萬元。")
    mo = run("司警拘捕", "本澳一名事主報案，司警在新口岸區一酒店拘捕兩人。")
    away = run("大會", "警務處處長出席在摩洛哥馬拉喀什舉行的大會，拘捕行動另計。")
    assert {"Hong Kong", "Tsz Wan Shan"} <= set(hk.regions)
    assert {"Macau", "NAPE"} <= set(mo.regions)
    assert "Kashgar" not in away.regions
    assert "Marrakech" in away.regions


def test_taiwan_and_hong_kong_bodies_in_english(run: Run) -> None:
    ex = run(
        "Police bust call centre",
        "Under the command of the Taiwan Taichung District Prosecutors' Office, officers of the "
        "Taipei City Police Department and the Changhua County Police Bureau arrested 34 people. "
        "Officers of the Sham Shui Po Police District arrested 12 more.",
    )
    assert {
        "Taichung District Prosecutors Office",
        "Taipei City Police Department",
        "Changhua County Police Bureau",
        "Sham Shui Po Police District",
    } <= set(ex.agencies)


def test_numbered_precincts_and_offices_stationed_abroad(run: Run) -> None:
    """第六分局 is the Sixth Precinct; 駐泰國聯絡組 is an office named after where it sits, not
    where the work was done (the raid was in Taichung)."""
    ex = run(
        "中市警破獲詐團",
        "臺中市政府警察局第六分局透過駐泰國聯絡組取得情資，在臺中查獲詐欺集團，逮捕12人。",
    )
    assert "Sixth Precinct of the Taichung City Police Department" in ex.agencies
    assert "Thailand" not in ex.regions


def test_bureaus_by_the_short_names_their_releases_use(run: Run) -> None:
    hk = run("港警拘捕", "網罪科與O記聯合行動，拘捕15人，入境處亦派員參與。")
    tw = run("打詐", "調查局與移民署、金管會合作，查獲詐團5團。")
    assert {
        "Cyber Security and Technology Crime Bureau",
        "Organised Crime and Triad Bureau",
    } <= set(hk.agencies)
    assert {
        "Investigation Bureau",
        "National Immigration Agency",
        "Financial Supervisory Commission",
    } <= set(tw.agencies)


def test_a_city_after_its_province_is_no_nationality(run: Run) -> None:
    """汉 is a man in 三名港汉, but 湖北汉川市 is a city of Hubei."""
    ex = run("汉川警方", "湖北汉川市公安局破获诈骗案12起，抓获犯罪嫌疑人20名。")
    assert "Hubei" in ex.regions


def test_the_mainland_s_bodies_named_from_outside_do_not_make_a_mainland_release(
    run: Run,
) -> None:
    """A Hong Kong release that warns of callers posing as 內地公安機關 is still Hong Kong's: its
    figures are Hong Kong's and its 元 are Hong Kong dollars."""
    ex = run(
        "東區警區打擊詐騙行動拘12人",
        "警務處東區警區展開打擊詐騙行動，拘捕12人，涉款約80萬元。騙徒冒充內地公安機關人員致電事主。",
    )
    assert {(f.value, f.unit, f.region) for f in ex.figures} == {
        (12, "people", "Hong Kong"),
        (800000, "HKD", "Hong Kong"),
    }


def test_a_story_told_in_hong_kong_s_districts_is_hong_kong_s(run: Run) -> None:
    """No body and no word says whose release it is, but every place it names is in Hong Kong:
    its figures are Hong Kong's, 6萬贓款 (no 元) is an amount in Hong Kong dollars, and an
    American businessman (美國商人) names no region."""
    ex = run(
        "警拘騙徒 檢6萬贓款",
        "警方昨日在旺角拘捕一名男子，在其身上檢獲6萬贓款。受害人為一名美國商人，案件交由油尖警區跟進。",
    )
    assert {(f.value, f.unit, f.region) for f in ex.figures} >= {
        (1, "people", "Hong Kong"),
        (60000, "HKD", "Hong Kong"),
    }
    assert "United States" not in ex.regions
