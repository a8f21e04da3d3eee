"""Regions, agencies, officials and crime types, in both languages."""

from __future__ import annotations

from collections.abc import Callable

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
