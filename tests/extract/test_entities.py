"""Regions, agencies, officials and crime types, in both languages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.extract.entities import EntityFinder
from monitor.extract.gazetteer import load, load_agencies, load_regions
from monitor.extract.keywords import fold
from monitor.models import Extraction, Official

Run = Callable[..., Extraction]


def test_regions_in_both_languages_map_to_one_english_name(run: Run) -> None:
    """江苏, 广西壮族自治区 and 'Guangdong province' are Jiangsu, Guangxi and Guangdong."""
    zh = run("警方通报", "江苏、广西壮族自治区和深圳市公安机关抓获犯罪嫌疑人100名。")
    en = run("Police report", "Police in Jiangsu, Guangxi and Shenzhen arrested 100 suspects.")
    assert zh.regions == en.regions == ("Jiangsu", "Guangxi", "Shenzhen")


def test_dateline_city_is_not_a_region(run: Run) -> None:
    """'BEIJING, Dec. 24 (Xinhua)', 'Chinanews.com, Beijing, December 24' and 新华社北京6月1日电
    name where the report was filed, not where police acted."""
    assert run("Chinanews.com, Beijing, December 24 (Reporter Zhang) Police said").regions == ()
    assert run("Police report", "Beijing, Dec. 24 (Xinhua) -- Police arrested 5.").regions == ()
    assert run("公安部通报", "新华社北京6月1日电 公安部通报抓获犯罪嫌疑人5名。").regions == ()


def test_agencies_from_gazetteer_lists_and_local_patterns(run: Run) -> None:
    """Named ministries, a split list of ministries, a bureau with its ministry, the Supreme
    People's Court by its short name, and provincial and municipal bureaus in both languages."""
    body = (
        "Nine central departments including the ministries of public security, industry and "
        "information technology, and justice, as well as the Supreme Law, issued a circular. "
        "Liu Zhongyi, Director of the Criminal Investigation Bureau of the Ministry of Public "
        "Security, said the Jiangsu Provincial Public Security Department took part."
    )
    agencies = run("Police campaign", body).agencies
    assert set(agencies) == {
        "Ministry of Public Security",
        "Ministry of Industry and Information Technology",
        "Ministry of Justice",
        "Supreme People's Court",
        "Criminal Investigation Bureau of the Ministry of Public Security",
        "Jiangsu Provincial Public Security Department",
    }
    zh = run("通报", "公安部、最高人民检察院、北京市公安局和浙江省公安厅联合部署。")
    assert set(zh.agencies) == {
        "Ministry of Public Security",
        "Supreme People's Procuratorate",
        "Beijing Municipal Public Security Bureau",
        "Zhejiang Provincial Public Security Department",
    }


def test_unnamed_municipal_bureau_takes_the_headline_city(run: Run) -> None:
    """'the Municipal Public Security Bureau' in a Beijing story is Beijing's."""
    ex = run(
        "Beijing police crack down on online crime",
        "According to the municipal government, the Municipal Public Security Bureau acted.",
    )
    assert set(ex.agencies) == {
        "Beijing Municipal Government",
        "Beijing Municipal Public Security Bureau",
    }


def test_officials_with_titles(run: Run) -> None:
    """'Name, title, said', 'title Name said' and 局长刘忠义表示; reporters are left out."""
    en = run(
        "Chinanews.com (Reporter Zhang Ziyang) Police report",
        "Tong Bishan, deputy director of the Criminal Investigation Bureau, said it worked. "
        "Vice Minister of Public Security Du Hangwei said more would follow.",
    )
    assert en.officials == (
        Official(name="Tong Bishan", title="deputy director of the Criminal Investigation Bureau"),
        Official(name="Du Hangwei", title="Vice Minister of Public Security"),
    )
    zh = run("通报", "公安部刑侦局局长刘忠义表示，专项行动成效明显。")
    assert zh.officials == (Official(name="刘忠义", title="公安部刑侦局局长"),)


def test_crime_types_from_the_taxonomy(run: Run) -> None:
    """English and Chinese words map to one bilingual taxonomy name."""
    en = run("Police", "Crimes such as naked chat extortion and online routine loans.")
    zh = run("警方", "严厉打击裸聊敲诈、套路贷和电信网络诈骗犯罪。")
    assert en.crime_types == ("naked chat extortion", "online routine loans")
    assert zh.crime_types == (
        "naked chat extortion",
        "online routine loans",
        "telecom and network fraud",
    )


def test_foreign_places_districts_and_counties(run: Run) -> None:
    """Foreign countries in both languages, and districts and counties after a known city or
    before their bureau, romanised; a company's or newspaper's place name is not a region."""
    zh = run("通报", "广州市番禺区警方联合缅甸、柬埔寨警方，城步县公安局抓获嫌疑人12名。")
    assert set(zh.regions) == {
        "Guangzhou",
        "Panyu District",
        "Myanmar",
        "Cambodia",
        "Chengbu County",
    }
    assert "Chengbu County Public Security Bureau" in zh.agencies
    en = run(
        "Police report",
        "Police in Beijing's Changping District and in the Philippines arrested 12 suspects, "
        "the Beijing Youth Daily and the Shanghai Stock Exchange said.",
    )
    assert set(en.regions) == {"Beijing", "Changping District", "the Philippines"}


def test_a_brand_named_for_its_place_is_no_region_but_a_hotel_in_a_place_is(run: Run) -> None:
    """海南航空, 四川航空, “上海花园酒店” and 青岛啤酒 name firms, not where the work was done;
    新口岸区一酒店 (a hotel in NAPE) and 杭州某宾馆 are places."""
    ex = run(
        "湖南警方破获冒充航空公司客服诈骗案",
        "长沙警方破获冒充海南航空、四川航空客服诈骗的案件，抓获犯罪嫌疑人35名。该团伙利用"
        "“上海花园酒店”名义行骗，青岛啤酒亦被冒用。两人在新口岸区一酒店及杭州某宾馆落网。",
    )
    assert set(ex.regions) == {"Hunan", "Changsha", "NAPE", "Hangzhou"}


def test_a_capital_that_stands_for_its_government_is_no_region(run: Run) -> None:
    """'as Beijing steps up pressure', 'Taipei said it would' name governments; 'police in
    Beijing said' names a place."""
    ex = run(
        "Myanmar hands over suspects",
        "Myanmar handed over 57,000 suspects, as Beijing steps up pressure on the syndicates. "
        "Taipei said it would cooperate.",
    )
    assert set(ex.regions) == {"Myanmar"}
    ex = run("Police report", "Police in Beijing said they arrested 40 people.")
    assert set(ex.regions) == {"Beijing"}


def test_an_english_district_in_lower_case_has_one_name_with_its_chinese(run: Run) -> None:
    """ "Panyu district" is the gazetteer's Panyu District and "Menglian county" its Menglian, as
    番禺区 and 孟连县 are; a district the gazetteer lacks keeps its word, as 城步县 does (Chengbu
    County); Baoshan District is not the city of Baoshan."""
    en = run(
        "Police report",
        "Police in Guangzhou's Panyu district, in Menglian county and in Shaoyang's Chengbu "
        "county arrested 12 suspects; Shanghai's Baoshan District police helped.",
    )
    assert set(en.regions) == {
        "Guangzhou",
        "Panyu District",
        "Menglian",
        "Shaoyang",
        "Chengbu County",
        "Shanghai",
        "Baoshan District",
    }
    zh = run("通报", "广州市番禺区、孟连县警方和城步县公安局抓获嫌疑人12名。")
    assert {"Panyu District", "Menglian", "Chengbu County"} <= set(zh.regions)


def test_a_body_named_with_its_owner_s_possessive(run: Run) -> None:
    """ "the State Council's inter-ministerial joint conference ..." and "the Ministry of Public
    Security's Narcotics Control Bureau" name the bodies the lists give as "State Council
    Inter-Ministerial ..." and "Narcotics Control Bureau of the Ministry of Public Security",
    each with the body it is under."""
    ex = run(
        "Card-breaking results",
        "The office of the State Council's inter-ministerial joint conference on combating new "
        "types of telecom and online crime said the Ministry of Public Security's Narcotics "
        "Control Bureau had joined the work.",
    )
    conference = (
        "State Council Inter-Ministerial Joint Conference on Combating New Types of Telecom and "
        "Online Crime"
    )
    assert set(ex.agencies) == {
        "State Council",
        conference,
        "Narcotics Control Bureau of the Ministry of Public Security",
        "Ministry of Public Security",
    }


def test_a_province_s_public_security_department_however_english_writes_it(run: Run) -> None:
    """ "the Henan public security department", "Henan's Public Security Department" and "the
    Henan Public Security Department" are the Henan Provincial Public Security Department, as
    河南省公安厅 is; a city's "public security department" names none."""
    for body in (
        "The Henan public security department said police arrested 300 suspects.",
        "Henan's Public Security Department said police arrested 300 suspects.",
        "The Henan Public Security Department said police arrested 300 suspects.",
    ):
        assert run("Police report", body).agencies == (
            "Henan Provincial Public Security Department",
        )
    zh = run("警方通报", "河南省公安厅通报，抓获犯罪嫌疑人300名。")
    assert zh.agencies == ("Henan Provincial Public Security Department",)
    city = run("Police report", "The Zhengzhou public security department said 300 were held.")
    assert city.agencies == ()


def test_a_title_case_headline_adds_no_words_to_a_body_s_name(run: Run) -> None:
    """ "Ministry of Public Security Updates on Telecom Fraud" names the ministry, not a
    "Ministry of Public Security Updates"; an unlisted ministry is still found by its pattern."""
    ex = run(
        "Ministry of Public Security Updates on Telecom Fraud Crackdown",
        "Police arrested 300 suspects, the Ministry of Tourism said.",
    )
    assert set(ex.agencies) == {"Ministry of Public Security", "Ministry of Tourism"}


def test_foreign_international_and_city_bodies(run: Run) -> None:
    """INTERPOL, a foreign police force, a city bureau's district branch and the National
    Immigration Administration, by their English names."""
    body = "国际刑警组织、柬埔寨国家警察总署与国家移民管理局配合，广州市公安局番禺区分局破获此案。"
    assert set(run("通报", body).agencies) == {
        "INTERPOL",
        "Cambodian National Police",
        "National Immigration Administration",
        "Panyu District Branch of the Guangzhou Municipal Public Security Bureau",
    }


def test_gazetteer_errors_name_the_file_entry_and_field(tmp_path: Path) -> None:
    """A user's regions or agencies file with a mistake stops at load with a clear message."""
    regions = tmp_path / "regions.toml"
    regions.write_text('city = [{ name = "Lhasa", zh = ["Lhasa"] }]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"regions.toml: city entry 1 \('Lhasa'\), field `zh`"):
        load_regions(regions)
    agencies = tmp_path / "agencies.toml"
    agencies.write_text('[[agency]]\nname = "Bureau X"\nparent = "Nobody"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"entry 1 \('Bureau X'\), field `parent`: no agency"):
        load_agencies(agencies)


def test_a_user_extends_the_gazetteer_without_code(tmp_path: Path) -> None:
    """An entry added to a copy of the files is found; the shipped files load cleanly."""
    shipped = load()
    regions = tmp_path / "regions.toml"
    regions.write_text('country = [{ name = "Atlantis", zh = ["亚特兰蒂斯"] }]\n', encoding="utf-8")
    finder = EntityFinder(load(regions, shipped.files[1]))
    assert [p.name for p in finder.find_regions("警方在亚特兰蒂斯抓获3人。", [])] == ["Atlantis"]


def test_a_user_adds_a_group_of_regions_without_code(tmp_path: Path) -> None:
    """An abbreviation added to the regions file's `group` list names each of its places; a
    group naming no region stops at load with a clear message."""
    shipped = load()
    regions = tmp_path / "regions.toml"
    text = shipped.files[0].read_text(encoding="utf-8")
    regions.write_text(
        text.replace(
            "group = [\n",
            'group = [\n  { zh = "长三角", regions = ["Shanghai", "Jiangsu", "Zhejiang", "Anhui"] }'
            ",\n",
        ),
        encoding="utf-8",
    )
    finder = EntityFinder(load(regions, shipped.files[1]))
    found = finder.find_regions("长三角警方联合抓获嫌疑人30名。", [])
    assert [p.name for p in found] == ["Shanghai", "Jiangsu", "Zhejiang", "Anhui"]
    assert [p.name for p in finder.find_regions("粤港澳警方联合行动。", [])] == [
        "Guangdong",
        "Hong Kong",
        "Macau",
    ]
    regions.write_text(
        'province = [{ name = "Hebei", zh = ["河北"] }]\n'
        'group = [{ zh = "京津冀", regions = ["Beijing", "Hebei"] }]\n',
        encoding="utf-8",
    )
    with pytest.raises(
        ConfigError, match=r"group entry 1 \('京津冀'\), field `regions`: no region"
    ):
        load(regions, shipped.files[1])


def test_a_user_adds_the_words_of_a_home_without_code(tmp_path: Path) -> None:
    """The [[home]] tables of agencies.toml tell whose release a text is; a table with no word
    stops at load with a clear message."""
    shipped = load()
    agencies = tmp_path / "agencies.toml"
    text = shipped.files[1].read_text(encoding="utf-8")
    agencies.write_text(
        text + '\n[[home]]\nname = "Singapore"\nwords = ["SPF", "S$"]\n', encoding="utf-8"
    )
    finder = EntityFinder(load(shipped.files[0], agencies))
    assert finder.issuer_home(fold("The SPF said on Tuesday that 12 people were arrested.")) == (
        "Singapore"
    )
    assert finder.issuer_home(fold("本港警方今日拘捕12人。")) == "Hong Kong"
    agencies.write_text(text + '\n[[home]]\nname = "Singapore"\nwords = []\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[\[home\]\] entry 5 \('Singapore'\), field `words`"):
        load(shipped.files[0], agencies)


def test_taiwan_police_and_places_named_together(run: Run) -> None:
    """Taiwan's police by the names their releases use (a special municipality's department, a
    county's bureau and its precinct, which serves a township), and 粤港澳 as three places."""
    zh = run("通报", "台中市政府警察局与彰化县警察局溪湖分局破获诈骗集团，粤港澳三地警方配合。")
    assert set(zh.agencies) == {
        "Taichung City Police Department",
        "Changhua County Police Bureau",
        "Xihu Precinct of the Changhua County Police Bureau",
    }
    assert set(zh.regions) == {
        "Taichung",
        "Changhua County",
        "Xihu Township",
        "Guangdong",
        "Hong Kong",
        "Macau",
    }


def test_unnamed_bureaus_and_branches_take_their_place(run: Run) -> None:
    """省公安厅 in a Gansu story is Gansu's; a city bureau's branch serves a district."""
    ex = run("甘肃警方通报", "省公安厅通报，沈阳市公安局铁西分局协助抓获嫌疑人5名。")
    assert "Gansu Provincial Public Security Department" in ex.agencies
    assert "Tiexi Branch of the Shenyang Municipal Public Security Bureau" in ex.agencies
    assert "Tiexi District" in ex.regions


def test_local_bodies_as_english_texts_write_them(run: Run) -> None:
    """'the Henan Provincial Department of Public Security', 'the Public Security Department of
    Hubei' and 'the Shanghai Public Security Bureau' keep the text's word order."""
    body = (
        "The Henan Provincial Department of Public Security, the Public Security Department of "
        "Hubei and the Shanghai Public Security Bureau arrested 30 suspects."
    )
    assert set(run("Police report", body).agencies) == {
        "Henan Provincial Department of Public Security",
        "Public Security Department of Hubei",
        "Shanghai Public Security Bureau",
    }


def test_county_and_district_bureaus_named_in_english(run: Run) -> None:
    """A county's, district's or prefecture's bureau written as a name is an agency though the
    gazetteer lists no such county; the province's department of public security, unnamed, is
    the headline province's; a sentence's opening "The" is not part of a city's name."""
    body = (
        "The Shaodong County Public Security Bureau and the Baiyun District Public Security "
        "Bureau worked with the Dali Prefecture Public Security Bureau. The Jinhua Municipal "
        "Public Security Bureau and the provincial department of public security said 41 "
        "suspects were held. The Public Security Department of Hubei Province took part."
    )
    assert set(run("Henan police bust fraud ring", body).agencies) == {
        "Shaodong County Public Security Bureau",
        "Baiyun District Public Security Bureau",
        "Dali Prefecture Public Security Bureau",
        "Jinhua Municipal Public Security Bureau",
        "Henan Provincial Department of Public Security",
        "Public Security Department of Hubei Province",
    }
    # lower case, and a sentence's first word, name no county
    generic = "The county public security bureau said. Each County Public Security Bureau acted."
    assert run("Police report", generic).agencies == ()


def test_autonomous_prefectures_and_counties_by_their_place(run: Run) -> None:
    """An autonomous area's bureau is named for its place, not for the peoples in its name, and
    州公安局 alone in a prefecture's story is that prefecture's; 县市公安局 (each county's and
    city's) names no one bureau, and 广州公安局 is Guangzhou's, not a prefecture's."""
    ex = run(
        "楚雄州警方通报",
        "延边朝鲜族自治州公安局、邵东县公安局和新晃侗族自治县公安局协助，州公安局局长指挥，"
        "各县市公安局长带队，广州公安局配合。",
    )
    assert set(ex.agencies) == {
        "Yanbian Prefecture Public Security Bureau",
        "Shaodong County Public Security Bureau",
        "Xinhuang County Public Security Bureau",
        "Chuxiong Prefecture Public Security Bureau",
        "Guangzhou Municipal Public Security Bureau",
    }


def test_an_autonomous_region_s_department_names_no_district(run: Run) -> None:
    """自治区公安厅 (a province's department, its province in the headline) and 回族自治区 are no
    district; an autonomous county after its prefecture is named for its place, with one people
    or three (城步苗族自治县, 孟连傣族拉祜族佤族自治县), never for a syllable of it."""
    ex = run(
        "内蒙古警方通报",
        "自治区公安厅26日通报，全区公安机关抓获嫌疑人50人。宁夏回族自治区公安厅破案20起。"
        "邵阳市城步苗族自治县警方抓获5人，普洱市孟连傣族拉祜族佤族自治县警方抓获3人。",
    )
    assert set(ex.regions) == {
        "Inner Mongolia",
        "Ningxia",
        "Shaoyang",
        "Chengbu County",
        "Pu'er",
        "Menglian",
    }
    assert not [r for r in ex.regions if "Zizhi" in r or r == "Cheng County"]


def test_a_foreign_force_named_by_its_country(run: Run) -> None:
    """A country's possessive names its force: "Spain's National Police" and "the Philippines'
    National Police" are the Spanish and Philippine National Police, with either apostrophe and
    in any case."""
    body = (
        "Spain’s National Police and the Philippines' national police arrested 12 suspects "
        "wanted by Korea's National Police Agency and Japan's National Police Agency."
    )
    assert set(run("Police report", body).agencies) == {
        "Spanish National Police",
        "Philippine National Police",
        "Korean National Police Agency",
        "National Police Agency of Japan",  # not Taiwan's National Police Agency
    }
