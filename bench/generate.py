"""Generated announcements for the benchmarks: English and Chinese, with campaigns and figures,
built from sentence patterns of the founding corpus. Deterministic for a given seed."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from monitor.models import Article, article_id

_EN_CAMPAIGNS = [
    "Clean Internet 2021",
    "Blue Sword",
    "Qianchao No. 9",
    "Kunlun 2022",
    "Card-cutting",
    "Four Disruptions",
    "Spring Action",
]
_ZH_CAMPAIGNS = ["净网2021", "断卡", "昆仑-2022", "云剑-2022", "夏季治安打击整治"]
_REGIONS = ["Jiangsu", "Zhejiang", "Guangdong", "Beijing", "Shanghai", "Sichuan", "Henan"]
_ZH_REGIONS = ["江苏", "浙江", "广东", "北京", "上海", "四川", "河南"]
_EN = [
    'The Ministry of Public Security said the "{c}" campaign had cracked more than {n1:,} cases.',
    "Police in {r} arrested {n2:,} criminal suspects and seized {m} billion yuan.",
    "During the operation {n3} criminal gangs were destroyed and {n4:,} accounts were shut down.",
    "Officials said online fraud fell by {p}% compared with the same period last year.",
    "The meeting called for cracking down on naked chat extortion and online routine loans.",
    "Public security organs will keep up the pressure on telecom and internet fraud.",
]
_ZH = [
    "公安部部署开展“{c}”专项行动，全国公安机关共侦破案件{n1}余起。",
    "{r}公安机关抓获犯罪嫌疑人{n2}名，涉案金额{m}亿元。",
    "行动中打掉犯罪团伙{n3}个，查扣银行卡{n4}张。",
    "电信网络诈骗发案数同比下降{p}%。",
    "警方提醒广大群众，切勿出租、出借本人银行卡和电话卡。",
]


def generate_articles(count: int, seed: int = 7, zh_share: float = 0.3) -> list[Article]:
    return list(iter_generated(count, seed, zh_share))


def iter_generated(count: int, seed: int = 7, zh_share: float = 0.3) -> Iterator[Article]:
    """The articles of `generate_articles`, one at a time (a million fit nowhere at once); the
    first n of a longer run are those of a run of n."""
    rng = random.Random(seed)
    start = datetime(2021, 1, 1, tzinfo=UTC)
    for n in range(count):
        zh = rng.random() < zh_share
        values = {
            "c": rng.choice(_ZH_CAMPAIGNS if zh else _EN_CAMPAIGNS),
            "r": rng.choice(_ZH_REGIONS if zh else _REGIONS),
            "n1": rng.randint(100, 90_000),
            "n2": rng.randint(10, 20_000),
            "m": round(rng.uniform(0.1, 30), 2),
            "n3": rng.randint(2, 500),
            "n4": rng.randint(100, 50_000),
            "p": rng.randint(5, 60),
        }
        pool = _ZH if zh else _EN
        sentences = [s.format(**values) for s in rng.sample(pool, k=min(len(pool), 4))]
        body = ("" if zh else " ").join(sentences * rng.randint(2, 4))
        title = ("{r}警方通报“{c}”行动战果" if zh else "{r} police report results of {c}").format(
            **values
        )
        url = f"https://bench.example/{'zh' if zh else 'en'}/{seed}/{n}"
        yield Article(
            id=article_id(url),
            feed_id="bench",
            source="bench-zh" if zh else "bench-en",
            url=url,
            guid=str(n),
            title=title,
            body=body,
            lang="zh" if zh else "en",
            published_at=start + timedelta(hours=n),
        ).with_hash()


# --- Announcement-shaped articles --------------------------------------------------------------
# `announcement_articles` (bench/extract.py) writes texts shaped like the real announcements of
# tests/data/dev/corpus: English of 2,500-14,000 characters (mean about 6,100), mostly prose
# (background, policy language, officials quoted with their titles, warnings to the public, case
# narratives with dates, places and ages) with the figures clustered in a few paragraphs: about
# 3.3 numbers per 1,000 characters and 20 per article, as in the dev corpus. A Chinese article
# holds what an English one 2.5 times its length does (1,000-5,600 characters); it has somewhat
# more numbers (about 26 an article, 10 per 1,000 characters) because a Chinese date is two (月,
# 日). The tables below are separate from those above, so `generate_articles` is unchanged.


@dataclass(frozen=True)
class _Language:
    code: Literal["en", "zh"]
    titles: tuple[str, ...]
    leads: tuple[str, ...]  # the dateline sentence that opens the body
    figures: tuple[str, ...]  # sentences that report results
    prose: tuple[str, ...]  # everything else
    slots: Mapping[str, Callable[[random.Random], object]]
    sentence_sep: str
    chars_per_en_char: float  # length of the same content relative to English


class _Slots(dict[str, object]):
    """The slot values of one sentence, drawn on first use: a name used twice in a sentence
    keeps its value, and a trailing digit draws another value of the same kind ({p}, {p2})."""

    def __init__(self, rng: random.Random, kinds: Mapping[str, Callable[[random.Random], object]]):
        super().__init__()
        self._rng = rng
        self._kinds = kinds

    def __missing__(self, key: str) -> object:
        value = self._kinds[key.rstrip("0123456789")](self._rng)
        self[key] = value
        return value


def _pick(*options: str) -> Callable[[random.Random], str]:
    return lambda rng: rng.choice(options)


def _between(low: int, high: int) -> Callable[[random.Random], int]:
    return lambda rng: rng.randint(low, high)


def _decimal(low: float, high: float) -> Callable[[random.Random], float]:
    return lambda rng: round(rng.uniform(low, high), 1)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_NAMES = ("Li Wei", "Zhang Min", "Wang Jun", "Liu Yang", "Chen Gang", "Zhao Hong", "Sun Tao")
_EN_TITLES = (
    "deputy director of the Criminal Investigation Bureau of the Ministry of Public Security",
    "spokesperson for the Ministry of Public Security",
    "head of the National Anti-Fraud Center",
    "director of the provincial public security department's cyber security unit",
    "deputy head of the municipal public security bureau",
    "a political commissar of the provincial criminal investigation corps",
)
_ZH_NAMES = ("李伟", "张敏", "王军", "刘洋", "陈刚", "赵红", "孙涛")
_ZH_TITLES = (
    "公安部刑事侦查局副局长",
    "公安部新闻发言人",
    "国家反诈中心负责人",
    "省公安厅网络安全保卫总队总队长",
    "市公安局副局长",
    "省公安厅刑侦总队政委",
)

_ANNOUNCEMENT_EN = _Language(
    code="en",
    titles=(
        "{r} police report results of the {c}",
        "Ministry of Public Security: {c} targets {crime}",
        "{city} police bust a gang engaged in {crime}",
        "Police warn the public about {crime}",
        "Public security organs nationwide deepen the {c}",
        "{r} holds press conference on the fight against {crime}",
    ),
    leads=(
        "Xinhua News Agency, Beijing, {month} {d} (Reporter {reporter}) The Ministry of Public "
        "Security held a press conference today to report on the progress of the {c}.",
        "Chinanews.com, {city}, {month} {d} (Reporter {reporter}) The {city} Public Security "
        "Bureau announced the results of its campaign against {crime} at a press conference.",
        "People's Daily Online, {city}, {month} {d} -- Police in {r} have summarised the first "
        "stage of the {c} and deployed the work of the next stage.",
        "The {agency} issued a notice on {month} {d} summarising the work of the {c} and "
        "setting out the tasks for the rest of the year.",
        "On {month} {d}, the {city} Public Security Bureau reported on a series of cases of "
        "{crime} cracked in recent months.",
    ),
    figures=(
        "Since the launch of the {c}, police in {r} have cracked more than {n:,} cases and "
        "arrested {m:,} criminal suspects.",
        "A total of {k} criminal gangs were destroyed, involving more than {b} billion yuan.",
        "More than {n:,} illegal websites and apps were shut down and {m:,} accounts banned.",
        "Police froze {b} million yuan of funds involved and recovered {k} million yuan in "
        "losses for {m:,} victims.",
        "The number of telecom fraud cases fell by {p}% year on year, and the losses of the "
        "public fell by {p2}%.",
        "In the first {s} months of {y}, public security organs nationwide solved {n:,} cases "
        "of telecom and online fraud.",
        "Police in {r} seized {m:,} phone cards, {k:,} bank cards and {s} sets of SIM-box "
        "equipment.",
        "Of those arrested, {k} were ringleaders and {m:,} were core members of the gangs.",
        "The campaign intercepted {w} million fraud calls and {w2} million text messages and "
        "talked {m:,} people out of transferring money.",
        "Police handed {k} leads involving public officials to the discipline inspection "
        "authorities.",
        "Cases of this kind now account for about {p}% of all criminal cases in {r}.",
        "In {y}, the {agency} handled {n:,} reports from the public, {p}% more than the year "
        "before.",
        "The {s} suspects, the oldest aged {age} and the youngest {age2}, had defrauded {k} "
        "victims of {b} million yuan.",
        "Investigators traced {m:,} transactions through {s} shell companies registered in "
        "{s2} provinces.",
        "More than {k} minors were rescued and {w} million pieces of harmful information were "
        "deleted.",
        "The ministry sent {s} supervision teams to {s2} provinces and listed {k} cases for "
        "supervision.",
        "Across the country, {w} million police officers took part, visiting {m:,} households.",
    ),
    prose=(
        # background
        "Telecom and online fraud has become one of the crimes that most harms the public's "
        "sense of security.",
        "In recent years, criminals have moved their operations online, using ever more "
        "hidden methods and shifting quickly from one platform to another.",
        "Gangs recruit people to rent out their bank cards and phone cards, then use them to "
        "move the proceeds of fraud.",
        "The special action was deployed by the Ministry of Public Security together with the "
        "{agency} and other departments.",
        "Many of the gangs operate from abroad and direct accomplices in {r} through encrypted "
        "chat apps.",
        "Such crimes are highly organised, spread across regions and hard to detect, and the "
        "victims are often the elderly and students.",
        # policy language
        "The meeting called for the fight against {crime} to be made part of the normalised "
        "fight against gangsters and evil, and for the main responsibility of internet "
        "companies to be consolidated.",
        "Public security organs must keep up a severe, high-pressure posture and crack down on "
        "{crime} in accordance with the law.",
        "Departments are required to strengthen coordination, share leads and form a joint "
        "force against crime.",
        "It is necessary to investigate key cases thoroughly, dig out the organisers behind "
        "them and cut off the chain of interests.",
        "The {agency} will work with relevant departments to improve the legal and policy "
        "support for the fight against {crime}.",
        "Local governments are asked to fully recognise the harm of {crime} and to tighten the "
        "responsibility of every department.",
        "Industry regulators will step up the governance of the telecommunications, finance "
        "and internet sectors and close the loopholes that criminals exploit.",
        # officials quoted by title
        '"We will never tolerate {crime}," said {name}, {title}.',
        "{name}, {title}, said the results showed the value of cooperation between regions, "
        "but the situation remained serious.",
        '"Every case will be traced to the end, whoever is behind it," {name}, {title}, told '
        "reporters.",
        "According to {name}, {title}, the police will focus on {crime} in the next stage of "
        "the campaign.",
        '"Prevention is better than recovering losses afterwards," said {name}, {title}, '
        "urging residents to install the National Anti-Fraud Center app.",
        # warnings to the public
        "Police remind the public that any request to transfer money to a so-called safe "
        "account is a fraud.",
        "Do not click links in text messages from strangers, and never share verification "
        "codes with anyone.",
        "Anyone who receives a suspicious call should hang up at once and call 110 or the "
        "anti-fraud hotline 96110.",
        "Parents are reminded to watch their children's online activities during the holidays.",
        "Renting out or selling one's own bank cards or phone cards is illegal and will be "
        "punished.",
        "Police advise the public to verify the identity of anyone claiming to be a police "
        "officer, prosecutor or judge through official channels.",
        # case narratives
        "On {month} {d}, police in {city} received a report from a resident surnamed "
        "{surname}, who had lost {k:,} thousand yuan to a fake investment platform.",
        "The victim, a {age}-year-old retired teacher, had been persuaded to download an app "
        "and transfer her savings.",
        "After weeks of investigation, the task force located the gang's hideout in {city} and "
        "arrested its members in a night raid.",
        "A suspect surnamed {surname} confessed that he had been paid to collect bank cards "
        "from villagers.",
        "In another case, a student in {city} was tricked by a fake customer service agent "
        "into taking out loans on several platforms.",
        "The suspects posed as e-commerce staff and told victims that their orders had been "
        "lost and needed compensation.",
        "Under questioning, the suspect admitted the crime, and the case is being handled further.",
        "The suspects have been placed under criminal coercive measures, and the case is under "
        "further investigation.",
        "With the help of bank staff, police stopped the transfer in time and the victim's "
        "money was saved.",
        "On the morning of {month} {d}, officers of the {city} Public Security Bureau and "
        "special police raided a rented flat on the edge of the city.",
        "The gang, led by a man surnamed {surname}, used live-streaming rooms to lure victims "
        "into {crime}.",
        "Police in {city} launched the operation after noticing a rise in reports of {crime} "
        "in the area.",
    ),
    slots={
        "r": _pick(*_REGIONS, "Hubei", "Fujian", "Shandong", "Yunnan"),
        "city": _pick("Hangzhou", "Shenzhen", "Chengdu", "Wuhan", "Nanjing", "Xiamen", "Jinan"),
        "c": _pick(
            '"Clean Internet 2023" special action',
            '"Card-cutting" operation',
            '"Kunlun 2022" campaign',
            '"Blue Sword" series of strikes',
            '"Qianchao No. 9" operation',
            '"Summer Public Security Crackdown" campaign',
            '"Four Disruptions" campaign',
            '"Spring Action"',
        ),
        "agency": _pick(
            "Central Cyberspace Affairs Commission",
            "Supreme People's Procuratorate",
            "People's Bank of China",
            "Ministry of Industry and Information Technology",
            "Cyber Security Bureau of the Ministry of Public Security",
            "National Anti-Fraud Center",
        ),
        "crime": _pick(
            "telecom and online fraud",
            "online gambling",
            "naked chat extortion",
            "online routine loans",
            "the theft of personal information",
            "money laundering through rented bank cards",
            "cyber violence",
            "illegal fund-raising",
            "fraud targeting the elderly",
            "fake investment schemes",
        ),
        "name": _pick(*_NAMES),
        "title": _pick(*_EN_TITLES),
        "reporter": _pick("Guo Chaokai", "Zhang Yan", "Wang Jing", "Liu Xiao", "Chen Lei"),
        "surname": _pick("Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhou"),
        "month": _pick(*_MONTHS),
        "d": _between(1, 28),
        "y": _between(2019, 2023),
        "age": _between(19, 72),
        "n": _between(1_000, 90_000),
        "m": _between(100, 20_000),
        "k": _between(12, 950),
        "s": _between(2, 11),
        "w": _decimal(1.2, 38),
        "b": _decimal(1.1, 39),
        "p": _between(6, 68),
    },
    sentence_sep=" ",
    chars_per_en_char=1.0,
)

_ANNOUNCEMENT_ZH = _Language(
    code="zh",
    titles=(
        "{r}警方通报{c}成果",
        "公安部：{c}严打{crime}",
        "{city}警方打掉一{crime}犯罪团伙",
        "警方提醒：谨防{crime}",
        "全国公安机关深入推进{c}",
        "{r}召开新闻发布会通报打击{crime}工作",
    ),
    leads=(
        "新华社北京{mo}月{d}日电（记者{reporter}）记者从公安部获悉，{c}开展以来取得阶段性成效，"
        "公安部日前召开会议，对下一阶段工作作出部署。",
        "中新网{city}{mo}月{d}日电（记者{reporter}）{city}市公安局当天召开新闻发布会，"
        "通报全市公安机关打击{crime}工作成果。",
        "人民网{city}{mo}月{d}日电 {r}公安机关日前召开专题会议，总结{c}第一阶段工作，"
        "部署下一阶段任务。",
        "{mo}月{d}日，{agency}发布通报，总结{c}开展以来的工作情况，并对全年重点任务作出部署。",
        "{city}市公安局{mo}月{d}日通报，近几个月来，全市公安机关连续侦破多起{crime}案件，"
        "抓获一批犯罪嫌疑人。",
    ),
    figures=(
        "{c}开展以来，{r}公安机关共侦破各类涉网案件{n}余起，抓获犯罪嫌疑人{m}余名。",
        "行动中共打掉各类违法犯罪团伙{k}个，涉案金额高达{b}亿余元，有力震慑了犯罪分子。",
        "网信、工信等部门依法关停违法网站和应用程序{n}余个，封禁违规账号{m}个。",
        "公安机关依法冻结涉案资金{b}亿元，为{m}名受骗群众挽回经济损失{k}万元。",
        "与去年同期相比，全国电信网络诈骗发案数下降{p}%，群众财产损失下降{p2}%。",
        "{y}年前{s}个月，全国公安机关共破获电信网络诈骗案件{n}起，打击成效持续显现。",
        "{r}警方在收网行动中查获电话卡{m}余张、银行卡{k}余张、“猫池”等设备{s}台。",
        "在抓获的犯罪嫌疑人中，团伙组织者和“金主”{k}名，骨干成员{m}名。",
        "行动期间，反诈中心共拦截诈骗电话{w}万次、诈骗短信{w2}万条，成功劝阻{m}名群众转账。",
        "各地公安机关向纪检监察机关移送涉案公职人员违纪违法线索{k}条。",
        "据统计，此类案件目前已占{r}刑事案件立案总数的{p}%左右，成为主要犯罪类型。",
        "{y}年，{agency}共受理群众举报线索{n}件，同比上升{p}%，群众参与热情明显提高。",
        "该团伙{s}名犯罪嫌疑人中，年龄最大的{age}岁，最小的仅{age2}岁，共骗取{k}名受害人{b}万元。",
        "专案组查明，该团伙通过在{s2}个省份注册的{s}家空壳公司转移赃款，交易流水达{m}笔。",
        "专项行动中，各地共解救被诱骗的未成年人{k}名，清理网上有害信息{w}万余条。",
        "公安部先后派出{s}个督导组赴{s2}个省份开展督导，挂牌督办重点案件{k}起。",
        "行动期间，全国共出动警力{w}万人次，走访群众{m}户，发放宣传资料数十万份。",
    ),
    prose=(
        # background
        "当前，电信网络诈骗已成为发案最多、上升最快、涉及面最广、人民群众反映最强烈的犯罪类型之一，严重侵害群众财产安全。",
        "近年来，随着互联网的快速发展，犯罪分子不断向网上转移，作案手法日益隐蔽，"
        "频繁更换作案平台和联络方式。",
        "不法分子通过收购、租用他人银行卡和电话卡，为诈骗、赌博等犯罪的资金转移和人员联络提供便利，"
        "形成了黑灰产业链。",
        "此次专项行动由公安部会同{agency}等部门联合部署，旨在全面铲除网络犯罪滋生蔓延的土壤，切实维护网络空间秩序。",
        "不少犯罪团伙藏身境外，通过加密聊天软件遥控指挥{r}境内的同伙，从事引流、洗钱、取现等活动。",
        "此类犯罪组织化、链条化程度高，跨区域特征明显，发现和打击难度较大，受害人多为老年人和在校学生。",
        # policy language
        "会议要求，要把打击{crime}作为常态化扫黑除恶斗争的重要内容，进一步压实互联网企业的主体责任。",
        "各级公安机关要始终保持严打高压态势，依法严厉打击{crime}等违法犯罪，坚决遏制此类案件多发高发势头。",
        "各地、各部门要进一步加强协作配合，建立健全线索共享、案件会商和联合打击机制，形成打击犯罪的强大合力。",
        "要对重点案件深挖彻查，依法快侦快破，全力追赃挽损，揪出幕后组织者和“金主”，彻底斩断犯罪利益链条。",
        "{agency}将会同有关部门加强犯罪问题研究，进一步完善打击{crime}的法律政策支撑和保障。",
        "各地要充分认识{crime}的严重危害，切实加强组织领导，层层压实工作责任，确保各项措施落地见效。",
        "行业主管部门将加强对电信、金融、互联网等重点行业的综合治理，督促企业落实安全责任，堵塞管理漏洞，提升综合防控效能。",
        # officials quoted by title
        "“对{crime}，我们坚决零容忍，发现一起、打击一起，绝不手软。”{title}{name}说。",
        "{title}{name}表示，行动成果充分体现了跨区域警务协作的成效，但当前形势依然严峻复杂，"
        "丝毫不能松懈。",
        "“不管幕后是谁、藏在哪里，每一起案件都要一查到底。”{title}{name}在接受记者采访时说。",
        "据{title}{name}介绍，下一阶段，公安机关将重点打击{crime}，并加大对涉案资金的追缴力度。",
        "“事前防范胜于事后追赃。”{title}{name}呼吁广大群众下载安装国家反诈中心APP，开启预警功能。",
        # warnings to the public
        "警方提醒，凡是自称公检法人员、以涉嫌洗钱为由要求将资金转入所谓“安全账户”的，都是诈骗，请务必提高警惕。",
        "请广大群众不要点击陌生短信中的链接，不要随意下载来历不明的APP，不要向任何人透露银行卡密码和短信验证码。",
        "接到自称客服、公检法或熟人的可疑电话，请立即挂断，并拨打110或全国反诈专线96110咨询，避免造成财产损失。",
        "警方提醒各位家长，假期期间要多关注孩子的上网情况，管好支付密码，防止孩子落入网络游戏装备交易、追星返利等骗局。",
        "出租、出售、出借本人银行卡、电话卡和网络账号属于违法行为，将被依法惩戒，情节严重的将被依法追究刑事责任。",
        "对自称公检法工作人员的来电，务必通过官方渠道核实对方身份，切勿轻信对方发来的所谓“通缉令”“逮捕令”。",
        # case narratives
        "{mo}月{d}日，{city}市公安局接到市民{surname}女士报警，称其在一虚假投资平台被骗{k}万元。",
        "受害人是一名{age}岁的退休教师，在对方的诱导下下载了一款所谓的理财APP，并陆续转出了全部积蓄。",
        "经过连续数周的缜密侦查，专案组锁定了该团伙在{city}的窝点，并在当天夜间组织警力集中收网。",
        "犯罪嫌疑人{surname}某交代，其受上线雇用，以办理贷款为名在农村大量收购银行卡，再转卖给境外诈骗团伙使用。",
        "另一起案件中，{city}一名大学生被假冒客服的诈骗分子诱骗，先后在多个网络平台借款并转账。",
        "犯罪嫌疑人冒充电商平台客服，谎称受害人购买的商品存在质量问题，以办理理赔、退款为由诱导受害人转账。",
        "经审讯，犯罪嫌疑人对其伙同他人实施诈骗的违法犯罪事实供认不讳，目前案件正在进一步办理中。",
        "目前，犯罪嫌疑人已被依法采取刑事强制措施，案件正在进一步侦办中，警方正在全力追缴涉案资金、查找其他受害人。",
        "在银行工作人员的协助下，民警第一时间对涉案账户进行紧急止付，成功拦截了转出的资金，受害人的积蓄得以保全。",
        "{mo}月{d}日上午，{city}市公安局会同特警支队，对位于城郊的一处出租屋开展集中收网行动。",
        "该团伙以{surname}某为首，分工明确，利用直播间和社交群组引流，诱骗受害人参与{crime}。",
        "{city}警方在工作中发现辖区{crime}类警情明显上升，随即成立专案组，迅速组织开展专项打击。",
    ),
    slots={
        "r": _pick(*_ZH_REGIONS, "湖北", "福建", "山东", "云南"),
        "city": _pick("杭州", "深圳", "成都", "武汉", "南京", "厦门", "济南"),
        "c": _pick(*(f"“{c}”专项行动" for c in _ZH_CAMPAIGNS), "“清朗”行动", "“春风”行动"),
        "agency": _pick(
            "中央网信办",
            "最高人民检察院",
            "中国人民银行",
            "工业和信息化部",
            "公安部网络安全保卫局",
            "国家反诈中心",
        ),
        "crime": _pick(
            "电信网络诈骗",
            "网络赌博",
            "裸聊敲诈",
            "网络套路贷",
            "侵犯公民个人信息",
            "出租出借银行卡洗钱",
            "网络暴力",
            "非法集资",
            "养老诈骗",
            "虚假投资理财",
        ),
        "name": _pick(*_ZH_NAMES),
        "title": _pick(*_ZH_TITLES),
        "reporter": _pick("郭超凯", "张研", "王婧", "刘晓", "陈磊"),
        "surname": _pick("李", "王", "张", "刘", "陈", "杨", "黄", "周"),
        "mo": _between(1, 12),
        "d": _between(1, 28),
        "y": _between(2019, 2023),
        "age": _between(19, 72),
        "n": _between(1_000, 90_000),
        "m": _between(100, 20_000),
        "k": _between(12, 950),
        "s": _between(2, 11),
        "w": _decimal(1.2, 380),
        "b": _decimal(1.1, 39),
        "p": _between(6, 68),
    },
    sentence_sep="",
    chars_per_en_char=1 / 2.5,
)


def _deck(rng: random.Random, templates: Sequence[str]) -> Iterator[str]:
    """The templates in a random order, reshuffled when used up: few repeats in an article."""
    cards = list(templates)
    while True:
        rng.shuffle(cards)
        yield from cards


def _fill(rng: random.Random, lang: _Language, template: str) -> str:
    return template.format_map(_Slots(rng, lang.slots))


def announcement_articles(count: int, seed: int = 11) -> list[Article]:
    """Articles shaped like the dev corpus announcements (see the note above the tables): two
    thirds English, one third Chinese. Lengths are log-normal around the dev corpus's (English
    2,500-14,000 characters, mean about 6,200). Each paragraph is a figures paragraph (mostly
    result sentences) or a prose paragraph (background, policy, quotes, warnings, cases); the
    share of figures paragraphs varies by article, as it does between real announcements."""
    rng = random.Random(seed)
    start = datetime(2021, 1, 1, tzinfo=UTC)
    articles = []
    for n in range(count):
        lang = _ANNOUNCEMENT_ZH if n % 3 == 2 else _ANNOUNCEMENT_EN

        english_length = rng.lognormvariate(8.55, 0.6)
        while not 2_500 <= english_length <= 14_000:
            english_length = rng.lognormvariate(8.55, 0.6)
        target = english_length * lang.chars_per_en_char
        figures_share = rng.uniform(0.02, 0.18)
        figures, prose = _deck(rng, lang.figures), _deck(rng, lang.prose)

        title = _fill(rng, lang, rng.choice(lang.titles))
        paragraphs = []
        sentences = [_fill(rng, lang, rng.choice(lang.leads))]
        size = len(title) + len(sentences[0])
        while size < target:
            in_figures = rng.random() < figures_share
            for _ in range(rng.randint(2, 5)):
                figure = rng.random() < (0.6 if in_figures else 0.02)
                sentences.append(_fill(rng, lang, next(figures if figure else prose)))
                size += len(sentences[-1]) + len(lang.sentence_sep)
                if size >= target:
                    break
            paragraphs.append(lang.sentence_sep.join(sentences))
            sentences = []
            size += 2
        if sentences:
            paragraphs.append(lang.sentence_sep.join(sentences))

        url = f"https://bench.example/announcement/{lang.code}/{seed}/{n}"
        articles.append(
            Article(
                id=article_id(url),
                feed_id="bench",
                source=f"bench-{lang.code}",
                url=url,
                guid=str(n),
                title=title,
                body="\n\n".join(paragraphs),
                lang=lang.code,
                published_at=start + timedelta(hours=n),
            ).with_hash()
        )
    return articles


# --- Adversarial texts -------------------------------------------------------------------------
# Long texts of one shape each, for the scaling section of bench/extract.py and the linearity test
# of the extractor: each repeats a unit (or writes one long run) to any length. Every pass of the
# extractor must take time in proportion to the length: these are the shapes that once took time
# growing with its square (a lookup per number that read back to the start of its clause or
# sentence, a check of every campaign mention per number, a quote mark before a run of blanks).


def _repeated(unit: str | Callable[[int], str], size: int) -> str:
    """`unit` (or `unit(i)` for i = 0, 1, ...) written out to `size` characters."""
    parts: list[str] = []
    length = 0
    i = 0
    while length < size:
        part = unit(i) if callable(unit) else unit
        parts.append(part)
        length += len(part)
        i += 1
    return "".join(parts)[:size]


def _zh_numeral(i: int) -> str:
    return "一二三四五六七八九"[i % 9]


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    # dense figures, with and without punctuation
    "zh-figures": lambda n: _repeated(
        lambda i: (
            f"{_ZH_REGIONS[i % 7]}警方抓获犯罪嫌疑人{i % 900 + 10}名，"
            f"破获案件{i % 70 + 3}起，涉案金额{i % 40 + 1}.5亿元。"
        ),
        n,
    ),
    "zh-figures-run": lambda n: _repeated("涉案金额一千七百余万", n),
    "zh-percent": lambda n: _repeated(lambda i: f"发案数同比下降百分之{_zh_numeral(i)}十，", n),
    "en-figures": lambda n: _repeated(
        lambda i: (
            f"Police in {_REGIONS[i % 7]} arrested more than {i % 9000 + 10:,} suspects and "
            f"seized {i % 40 + 1}.5 million yuan. "
        ),
        n,
    ),
    "en-numbers-lines": lambda n: _repeated(lambda i: f"{i % 97}\n", n),
    # one sentence without punctuation, with places, verbs and numbers all through it
    "zh-one-sentence": lambda n: _repeated(
        lambda i: f"{_ZH_REGIONS[i % 7]}警方抓获嫌疑人{i % 900 + 10}名查获手机{i % 70 + 3}部", n
    ),
    "en-one-sentence": lambda n: _repeated(
        lambda i: (
            f"police in {_REGIONS[i % 7]} arrested {i % 900 + 10} suspects and seized "
            f"{i % 70 + 3} phones and "
        ),
        n,
    ),
    "zh-passive-run": lambda n: "警方" + _repeated(lambda i: f"{i}名被", n - 4) + "抓获",
    "en-passive-run": lambda n: (
        "police found " + _repeated(lambda i: f"{i} suspects ", n - 26) + "were arrested"
    ),
    # campaign names
    "zh-campaign": lambda n: _repeated("净网2021", n),
    "zh-campaign-quoted": lambda n: _repeated("“净网2021”专项行动抓获12人，", n),
    "en-campaign": lambda n: _repeated(
        'the "Clean Internet 2021" campaign and Operation Blue Sword and "Four Pipes" operation ',
        n,
    ),
    # quotes
    "zh-quotes": lambda n: _repeated("“两卡”“断卡”“净网”", n),
    "en-quotes": lambda n: _repeated('"Four Pipes" and "naked chat" and "Clean Internet" ', n),
    "quote-then-blanks": lambda n: 'police said "' + " " * (n - 13),
    # officials' titles
    "zh-officials": lambda n: _repeated("公安部刑事侦查局副局长李伟表示，", n),
    "en-officials": lambda n: _repeated(
        "Li Wei, deputy director of the Criminal Investigation Bureau of the Ministry of Public "
        "Security, said ",
        n,
    ),
    # lists of regions and agencies
    "zh-lists": lambda n: _repeated(
        "江苏、浙江、广东、四川、北京市公安局、上海市公安局、公安部、", n
    ),
    "en-lists": lambda n: _repeated(
        "Jiangsu, Zhejiang, Guangdong, Sichuan, the Ministry of Public Security, the Ministry of "
        "Industry and Information Technology, the Cyberspace Administration of China, ",
        n,
    ),
    "en-ministries": lambda n: _repeated(
        lambda i: (
            f"the Ministry of {chr(65 + i % 26)}{chr(97 + i // 26 % 26)}"
            f"{chr(97 + i // 676 % 26)} said "
        ),
        n,
    ),
    # a number written out at great length
    "zh-numeral-run": lambda n: "抓获" + "一" * (n - 2),
}


def adversarial_article(shape: str, size: int) -> Article:
    """An article of `size` characters of one adversarial shape (title: its first 40)."""
    text = ADVERSARIAL[shape](size)
    lang: Literal["en", "zh"] = "zh" if shape.startswith("zh") else "en"
    return Article(id=f"{shape}-{size}", title=text[:40], body=text[40:], lang=lang)
