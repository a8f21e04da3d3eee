"""Chinese rules for places and bodies: what makes a place no place of activity (a company, a
nationality, a venue), districts and counties after a known place, and the bodies (公安局,
人民检察院, 警察局, 地检署 ...) with their English names.
"""

from __future__ import annotations

import re
from typing import Final

from monitor.extract.keywords import Keywords

VENUE_AFTER: Final = re.compile(r"[市省]?(?:召开|举行|举办)[^，。]{0,8}?发布会")

ORG_AFTER: Final = re.compile(
    r"[市省]?(?:(?:(?![公警局厅的在和与及对将被从向是、，。])[\u4e00-\u9fff]){0,8}?"
    r"(?:有限公司|有限责任公司|集团|日报|晚报|青年报|商报|晨报|都市报|电视台|卫视|银行|"
    r"证券交易所|大学|地检署|地方检察署|地方法院)"
    # brands and firms named for their place (海南航空, 上海花园酒店, 青岛啤酒), not a hotel
    # in a place (新口岸区一酒店, 某宾馆)
    r"|(?:(?![公警局厅的在和与及对将被从向是、，。一某个家间座])[\u4e00-\u9fff]){0,4}?"
    r"(?:航空|酒店|宾馆|饭店|啤酒|药业|制药|证券|保险|俱乐部))"
)

# 驻菲律宾联络组, 驻柬使馆: an office stationed in a place is named after it
STATIONED_AFTER: Final = re.compile(
    r"(?:联络组|联络官|警务联络官|大使馆|使馆|领事馆|办事处|代表处)"
)

# a nationality (越南籍, 13名日本人, 马来西亚女子, 三名香港男子), a currency (马来西亚令吉), a
# reporter's byline (记者张三／台北报导, 新竹即时报导) and a border named as a landmark (与越南交界)
# are not where anything was done
NOT_HERE_AFTER: Final = re.compile(
    r"籍|人(?![民口员工大])|男子|女子|男童|女童|妇|民众|国民|商人|富商|游客|旅客|公民|留学生|"
    r"学生|劳工|船员|(?:即时)?报[导道]|交界|接壤|"
    r"令吉|林吉特|元(?!朗)|币"
)

# Chinese districts and counties after a known place: 广州市番禺区, 甘肃省庆阳市环县
DIVISION: Final = re.compile(
    r"(?:[市省州]|自治区|壮族自治区|回族自治区|维吾尔自治区|自治州|地区)?"
    r"((?:(?![各全本该我此等与和及的在了是为对将从向个公警局厅市省县区州镇乡村])[\u4e00-\u9fff]){1,3}?)"
    r"(?:[\u4e00-\u9fff]{1,4}?族){0,3}(?:自治)?(区|县|市)(?![长委政级域内外民])"
)

NOT_DIVISIONS: Final = frozenset(
    [
        "辖区",
        "城区",
        "社区",
        "园区",
        "小区",
        "郊区",
        "山区",
        "景区",
        "地区",
        "片区",
        "矿区",
        "灾区",
        "牧区",
        "老区",
        "特区",
        "战区",
        "校区",
        "街区",
        "商区",
        "港区",
        "库区",
        "新区",
        "示范区",
        "开发区",
        "自贸区",
        "保税区",
        "疫区",
        "边境县",
        "城市",
        "都市",
        "超市",
        "股市",
        "上市",
        "门市",
        "夜市",
        "城乡",
        "全县",
        "全区",
        "全市",
    ]
)

LEVEL_EN: Final = {
    "市": "Municipal",
    "省": "Provincial",
    "自治区": "Autonomous Region",
    "壮族自治区": "Autonomous Region",
    "回族自治区": "Autonomous Region",
    "维吾尔自治区": "Autonomous Region",
    "州": "Prefecture",
    "自治州": "Prefecture",
    "地区": "Prefecture",
    "盟": "League",
    "县": "County",
    "区": "District",
}

BODY: Final = {
    "公安厅": "Public Security Department",
    "公安局": "Public Security Bureau",
    "人民政府": "People's Government",
    "人民检察院": "People's Procuratorate",
    "高级人民法院": "Higher People's Court",
    "中级人民法院": "Intermediate People's Court",
    "人民法院": "People's Court",
    "检察院": "People's Procuratorate",
    "法院": "People's Court",
    "警察局": "Police Bureau",
}

# Taiwan's special municipalities name their police a department, its other cities and counties
# a bureau: 台中市政府警察局 Taichung City Police Department, 彰化县警察局 Changhua County Police
# Bureau; 溪湖分局 is a precinct
TW_DEPARTMENTS: Final = frozenset(
    {"Taipei", "New Taipei", "Taoyuan", "Taichung", "Tainan", "Kaohsiung"}
)

ORDINALS: Final = {
    "第一": "First",
    "第二": "Second",
    "第三": "Third",
    "第四": "Fourth",
    "第五": "Fifth",
    "第六": "Sixth",
    "第七": "Seventh",
    "第八": "Eighth",
    "第九": "Ninth",
    "第十": "Tenth",
}

# units of a provincial department or a city bureau, and offices of a government
UNIT: Final = re.compile(
    r"(刑事警察大队|刑侦总队|刑事侦查总队|网安总队|网络安全保卫总队|经侦总队|刑侦支队|网安支队|新闻办公室|新闻办|办公厅|办公室)"
)

UNIT_EN: Final = {
    "刑侦总队": "Criminal Investigation Corps",
    "刑事侦查总队": "Criminal Investigation Corps",
    "网安总队": "Cybersecurity Corps",
    "网络安全保卫总队": "Cybersecurity Corps",
    "经侦总队": "Economic Crime Investigation Corps",
    "刑侦支队": "Criminal Investigation Detachment",
    "网安支队": "Cybersecurity Detachment",
    "新闻办公室": "Information Office",
    "新闻办": "Information Office",
    "办公厅": "General Office",
    "办公室": "General Office",
    "刑事警察大队": "Criminal Investigation Corps",
}

TW_TOWNSHIP: Final = re.compile(
    r"((?:(?![各全本该我此等与和及的在了是为对将从向个公警局厅市省县区州镇乡村])[\u4e00-\u9fff]){2})[镇乡]"
)

TW_JUDICIAL: Final = frozenset({"地方检察署", "地检署", "检察署", "地方法院"})

# Hong Kong's police districts whose names are no district's: the others are named after the
# place the gazetteer knows (深水埗警区 Sham Shui Po Police District)
HK_DISTRICTS: Final = {
    "中区": "Central",
    "西区": "Western",
    "东区": "Eastern",
    "湾仔": "Wan Chai",
    "油尖": "Yau Tsim",
    "秀茂坪": "Sau Mau Ping",
    "将军澳": "Tseung Kwan O",
    "边界": "Border",
    "沙田": "Shatin",
    "大屿山": "Lantau",
    "机场": "Airport",
}

TW_PRECINCT: Final = re.compile(r"([\u4e00-\u9fff]{2})分局")

# before an unnamed 市公安局: not "the city's" (各市, 两市), nor one of a list of levels (县市)
NOT_HOME: Final = frozenset("各全本该此等两多县区市省州")

BODIES: Final = Keywords(((w, w) for w in (*BODY, *TW_JUDICIAL, "警区")), folded=False, shared=True)

BEFORE_BODY: Final = re.compile(
    r"((?:(?![各全本该我此等与和及的在了是为对将从向个公警局厅市省县区州])[\u4e00-\u9fff]){1,3})"
    r"(县|区)$"
)

STEM: Final = re.compile(
    r"(?:(?![各全本该我此等与和及的在了是为对将从向个公警局厅市省县区州镇乡村])[\u4e00-\u9fff]){2}$"
)

BRANCH: Final = re.compile(
    r"((?:(?![各全本该我此等与和及的在了是为对将从向个公警局厅市省县区州])[\u4e00-\u9fff]){2})"
    r"(区)?(?:公安)?分局"
)

# the peoples an autonomous prefecture or county is named for (楚雄彝族自治州, 城步苗族自治县,
# 湘西土家族苗族自治州): the place is the name before them
PEOPLES: Final = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡",
    "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬",
    "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
    "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)  # fmt: skip


def without_peoples(before: str) -> str:
    """`before` (what precedes an autonomous area's level word) without its 自治 and the peoples
    named before it: 城步苗族自治 -> 城步, 延边朝鲜族 -> 延边, 湘西土家族苗族 -> 湘西."""
    before = before.removesuffix("自治")
    while before.endswith("族"):
        people = next((p for p in _PEOPLES_LONGEST if before.endswith(p + "族")), None)
        if people is None:
            break
        before = before[: -len(people) - 1]
    return before


_PEOPLES_LONGEST: Final = sorted(PEOPLES, key=len, reverse=True)

LEVELS: Final = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "自治区",
    "自治州",
    "地区",
    "省",
    "市",
    "州",
    "县",
    "区",
)
