"""The words figures are recognised by, and the closed vocabulary of what they measure.

Nouns map to a unit and a slug (what is counted, used to name `other:` measures); verbs and
action nouns map to a class; `measure(cls, unit, slug)` turns the pair into one of `MEASURES`, or
into `other:<slug>_<past tense>` for the pairs `_OTHER` allows, or None. Nothing else can come
out: `all_measures()` lists every label `measure` can return.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

# --- the vocabulary ----------------------------------------------------------

MEASURES: dict[str, str] = {
    "arrested": "people arrested, caught, brought to justice (抓获, 抓捕, 落网, 到案)",
    "detained": "people placed under criminal detention (刑事拘留, 刑拘)",
    "cases_solved": "cases solved, cracked, detected or busted (破获, 侦破)",
    "cases_handled": "cases investigated, handled, filed or opened, not said to be solved "
    "(办理, 侦办, 立案, 受理)",
    "gangs_destroyed": "gangs, groups, rings and networks busted, dismantled, smashed "
    "or destroyed (打掉, 捣毁), sub-counts of a gang total included",
    "money_seized": "money seized, confiscated or impounded (查扣, 扣押, 缴获, 追缴)",
    "money_frozen": "money frozen or stopped in payment (冻结, 止付)",
    "money_involved": "money involved in the cases, or lost by victims (涉案金额, 流水); also an "
    "amount no verb qualifies",
    "money_recovered": "money recovered or returned to victims (挽回, 追回, 返还)",
    "websites_closed": "websites and domains shut down, blocked or removed (关停, 封堵)",
    "apps_closed": "apps and mini-programs removed, taken down or closed (下架)",
    "accounts_closed": "accounts closed, banned, suspended or cancelled (封禁, 封停, 注销)",
    "information_removed": "pieces of information, posts, links and videos deleted or removed "
    "(删除, 清理)",
    "victims_rescued": "people rescued, freed or saved (解救, 挽救)",
    "victims": "people defrauded or harmed: victims a case involved (受害人, 被骗群众)",
    "punished_units": "companies, units and organisations punished or ordered to rectify "
    "(行政处罚, 查处, 约谈)",
    "decline_percent": "a fall, in percent (下降, 减少, down, fell)",
    "change_percent": "a rise, in percent (上升, 增长, up, rose)",
}
OTHER_PREFIX: Final = "other:"

# ISO 4217 code -> how the README names it
CURRENCIES: dict[str, str] = {
    "CNY": "Chinese yuan (元, 人民币, yuan, RMB, ¥)",
    "USD": "US dollar (美元, 美金, US$, $, USD, US dollars, dollars)",
    "EUR": "euro (欧元, €, euros)",
    "HKD": "Hong Kong dollar (港元, 港币, HK$, HKD)",
    "TWD": "New Taiwan dollar (新台币, 台币, NT$, TWD)",
    "MOP": "Macau pataca (澳门元, 澳门币, 葡币, MOP$, patacas)",
    "GBP": "pound sterling (英镑, £, pounds)",
    "JPY": "Japanese yen (日元, 日圆, yen)",
    "KRW": "South Korean won (韩元, ₩, won)",
    "THB": "Thai baht (泰铢, ฿, baht)",
    "PHP": "Philippine peso (菲律宾比索, 比索, ₱, pesos)",
    "MYR": "Malaysian ringgit (林吉特, 马币, RM, ringgit)",
    "SGD": "Singapore dollar (新加坡元, 新元, S$, Singapore dollars)",
    "AUD": "Australian dollar (澳元, A$, Australian dollars)",
    "CAD": "Canadian dollar (加元, C$, Canadian dollars)",
    "VND": "Vietnamese dong (越南盾, dong)",
    "IDR": "Indonesian rupiah (印尼盾, rupiah)",
    "INR": "Indian rupee (卢比, rupees)",
    "MMK": "Myanmar kyat (缅元, kyat)",
    "KHR": "Cambodian riel (瑞尔, riel)",
    "RUB": "Russian rouble (卢布, roubles, rubles)",
    "AED": "UAE dirham (迪拉姆, dirhams)",
    "USDT": "Tether, a dollar stablecoin (泰达币, USDT)",
}

# what a number counts -> what the README says of it (currencies apart)
UNITS: dict[str, str] = {
    "people": "suspects, victims, members, people",
    "cases": "criminal and administrative cases",
    "gangs": "gangs, groups, rings, syndicates, networks",
    "websites": "websites, domains",
    "accounts": "accounts (social media, bank, payment, game)",
    "cards": "phone, SIM, bank and IoT cards",
    "devices": "phones, computers, servers, SIM boxes and other equipment",
    "units": "companies, units, organisations, shops",
    "items": "pieces of information, posts, links, videos, web pages",
    "tasks": "tasks",
    "percent": "a percentage (with decline_percent or change_percent)",
    "other": "anything else: apps and mini-programs, dens, call centres, clues, notices, "
    "platforms, calls, tons of goods ...",
}

# --- breakdown words -------------------------------------------------------------
# the words that open the parts of a total ("1,200 cases, including ...", 其中, 包括; 当中 is Hong
# Kong's 其中): a case or count after them is one of the total's parts, not the total
EN_AMONG: Final = ("including", r"among\s+them", r"such\s+as", r"of\s+which")
ZH_AMONG: Final = ("其中", "当中", "包括")


# --- nouns -------------------------------------------------------------------

# noun -> (unit, slug)
# nationals counted by their nationality ("52 Chinese nationals and 19 Thais")
_NATIONALS: Final = (
    "Chinese|Thais|Filipinos|Indonesians|Cambodians|Vietnamese|Malaysians|Burmese|Laotians|"
    "Koreans|Japanese|Taiwanese|Singaporeans|Indians|Pakistanis|Bangladeshis|Nepalese|"
    "Sri Lankans|Mongolians|Kazakhs|Uzbeks|Russians|Ukrainians|Nigerians|Kenyans|Ugandans|"
    "Ghanaians|Americans|Canadians|Britons|Australians|Brazilians|Turks|Africans|Europeans|"
    "Hongkongers|Macanese"
)
# the nationals named by their adjective, lower case: "320 Chinese" counts people, "three
# Chinese cities" and "52 Chinese nationals" count what the next word names
EN_ADJECTIVAL_NATIONALS: Final = frozenset(
    n.lower() for n in _NATIONALS.split("|") if not n.endswith("s")
)

_NOUN_LIST: Final = {
    "suspects": "suspects|criminal suspects|suspect",
    "fugitives": "fugitives|fugitive|wanted suspects|wanted fugitives|fugitive suspects",
    "people": "people|persons|person|individuals|criminals|"
    "offenders|members|gang members|minors|children|women|teenagers|students|"
    "ringleaders|insiders|inner ghosts|card merchants|number merchants|gangsters|perpetrators|"
    "money mules|mules|"
    "youths|persons involved|men|fraudsters|scammers|swindlers|nationals|citizens|"
    "foreigners|workers|hackers|financiers|organisers|organizers|recruiters|leaders|"
    "core members|key members|backbone members|gang leaders|netizens|streamers|elderly people|"
    f"{_NATIONALS}|mainlanders|travellers|travelers|visitors|tourists|residents",
    "arrests": "arrests",
    "victims": "victims|people defrauded|victims of fraud|fraud victims",
    "cases": "cases|case|criminal cases|fraud cases|investigations",
    "gangs": "gangs|gang|criminal groups|crime groups|crime rings|rings|syndicates|"
    "criminal networks|crime networks|underworld organizations|underworld organisations|"
    "criminal organizations|criminal organisations|mafia-like organizations|"
    "mafia-like groups|organized crime groups|organised crime groups|groups|criminal gangs|"
    "fraud rings|fraud gangs|fraud groups|networks|outfits",
    "websites": "websites|website|website platforms|web sites|sites|domain names|domains",
    "apps": "apps|app|APPs|applications|mobile apps|mobile applications|mini programs|"
    "mini-programs|mini apps",
    "accounts": "accounts|account",
    "cards": "cards|card|SIM cards|phone cards|bank cards|black cards",
    "devices": "devices|device|equipment|mobile phones|phones|computers|servers|cat pools|"
    "SIM boxes|laptops|smartphones|tablets|hard drives|hard disks|webcams|cameras|routers|"
    "voice gateways|modems",
    "units": "companies|units|enterprises|firms|organizations|organisations|businesses|"
    "institutions|shops|stores|outlets|data centres|data centers",
    # a web page is a piece of content, as a post is: pages filtered are information removed
    "items": "information|pieces of information|messages|posts|items|links|videos|pieces|"
    "web pages|webpages",
    "tasks": "tasks|task",
    "other": "clues|leads|tips|tip-offs|notices|reminders|warnings|letters|platforms|"
    "tools|programs|programmes|software|guns|firearms|weapons|vehicles|cars|"
    "boats|ships|calls|phone calls|fraud calls|dens|fraud dens|criminal dens|crime dens|"
    "hideouts|strongholds|workshops|factories|call centers|call centres|fraud centers|"
    "fraud centres|compounds|instructions|alerts|text messages|sms messages|fraud messages|"
    "fraudulent messages|bank books|bankbooks|passbooks|"
    # weights of goods seized or destroyed ("18.9 metric tons of narcotics")
    "tons|tonnes|metric tons|kilograms|kilogrammes|kg",
}
# nouns whose slug is not their unit
_SLUGS: Final = {
    "victims": "victims",
    "arrests": "arrests",
    "suspects": "suspects",
    "criminal suspects": "suspects",
    "suspect": "suspects",
    "fugitives": "fugitives",
    "fugitive": "fugitives",
    "wanted suspects": "fugitives",
    "wanted fugitives": "fugitives",
    "fugitive suspects": "fugitives",
    "people defrauded": "victims",
    "victims of fraud": "victims",
    "fraud victims": "victims",
    "dens": "dens",
    "fraud dens": "dens",
    "criminal dens": "dens",
    "crime dens": "dens",
    "hideouts": "dens",
    "strongholds": "dens",
    "workshops": "dens",
    "factories": "dens",
    "instructions": "warnings",
    "alerts": "warnings",
    "text messages": "messages",
    "sms messages": "messages",
    "fraud messages": "messages",
    "fraudulent messages": "messages",
    "bank books": "bank_books",
    "bankbooks": "bank_books",
    "passbooks": "bank_books",
    "tons": "tons",
    "tonnes": "tons",
    "metric tons": "tons",
    "kilograms": "kilograms",
    "kilogrammes": "kilograms",
    "kg": "kilograms",
    "compounds": "dens",
    "call centers": "call_centres",
    "call centres": "call_centres",
    "fraud centers": "call_centres",
    "fraud centres": "call_centres",
    "clues": "clues",
    "leads": "clues",
    "tips": "clues",
    "tip-offs": "clues",
    "notices": "notices",
    "warnings": "warnings",
    "letters": "notices",
    "reminders": "reminders",
    "guns": "guns",
    "vehicles": "vehicles",
    "cars": "vehicles",
    "boats": "vehicles",
    "ships": "vehicles",
    "calls": "calls",
    "phone calls": "calls",
    "fraud calls": "calls",
    "firearms": "guns",
    "weapons": "guns",
}
# groups of people nouns whose slug tells them apart (their unit is people)
_PEOPLE: Final = frozenset(("victims", "arrests", "suspects", "fugitives"))
# kinds counted under another unit: an app is one of the rules' "non-website platforms and
# tools" (unit other), and its slug keeps the measure apart (apps_closed)
UNIT_OF_KIND: Final = {"apps": "other"}
EN_NOUNS: dict[str, tuple[str, str]] = {}
for _unit, _alts in _NOUN_LIST.items():
    for _noun in _alts.split("|"):
        _real = "people" if _unit in _PEOPLE else UNIT_OF_KIND.get(_unit, _unit)
        _slug = _SLUGS.get(
            _noun, "platforms" if _unit == "other" else "people" if _unit in _PEOPLE else _unit
        )
        EN_NOUNS[_noun.lower()] = (_real, _slug)
EN_NOUN_MAX_WORDS: Final = max(len(n.split()) for n in EN_NOUNS)

# words that end the noun phrase after a number
EN_STOP: Final = frozenset(
    re.split(
        r"\s+",
        """
    were was have has had are is been be being will would that which who whom whose of in
    for with from to by on at as than involving including include includes included such
    like among during after before since while when where and/or across over under into via
    per each this these those it its their they we he she said says according
    """.strip(),
    )
)

# --- verbs -------------------------------------------------------------------

# verb or action noun -> class; longest first in the regex
_EN_VERBS: Final = {
    "arrest": "arrested|arrest|arrests|arresting|apprehended|apprehend|captured|capture|caught|"
    "nabbed|nets|netted|rounded up|brought to justice|taken into custody|capturing|catching|"
    "netting|apprehending|nabs|nab|captures|catches|rounds up|round up|apprehends",
    "hand_over": "handed over|hands over|hand over|handing over|transferred|delivered|turned over",
    "repatriate": "repatriated|repatriate|repatriating|brought back|extradited|escorted back|"
    "back to china|repatriates|brings back|bring back|bringing back|extradites",
    "identify": "identified|identify|identifying|identifies|tracked down|located",
    "want": "wanted|placed on the wanted list|put on the wanted list",
    "surrender": "surrendered|turned themselves in|gave themselves up|turned himself in",
    "detain": "detained|detain|detains|detaining|criminally detained|"
    "placed under criminal detention|"
    "held in custody|criminal measures|criminal coercive measures|coercive measures|"
    "compulsory measures",
    "solve": "solved|solve|solving|cracked|crack|cracking|detected|detect|detecting|resolved|"
    "resolve|cleared up|uncovered|broke|solves|cracks|detects|resolves|uncovers",
    "destroy": "eliminated|eliminate|eliminating|destroyed|destroy|destroying|busted|bust|"
    "busting|dismantled|dismantle|dismantling|smashed|smash|broke up|broken up|took down|"
    "taken down|wiped out|uprooted|crushed|raided|knocked out|demolished|demolish|"
    "dismantling of|eliminates|destroys|busts|dismantles|smashes|breaks up|takes down|wipes out|"
    "crushes",
    "seize": "seized|seize|seizing|seizure of|confiscated|confiscate|impounded|seized and frozen|"
    "seized or frozen|seized and froze|seizes|confiscates|impounds",
    "freeze": "frozen|froze|freeze|freezing|freezes",
    "involve": "involving|involved|amount involved|amounts involved|sum involved|funds involved",
    # words that give an amount without saying what was done with it: they stop nothing
    "amount": "worth|amounting to|totalling|totaling|valued at|estimated at|combined",
    "defraud": "defrauded|cheated|scammed|swindled|duped|conned|deceived|fell victim|"
    "fallen victim|lost",
    "close": "shut down|shutting down|shut|closed|close|closing|blocked|block|banned|ban|"
    "shuts down|closes|bans|"
    "taken offline|disabled|suspended|deactivated|terminated|cancelled|canceled|closure of|"
    "shutdown of",
    "remove": "deleted|delete|removed|remove|cleaned up|clean up|cleaning up|purged|cleared|"
    "deletes|removes|cleans up|"
    "intercepted and deleted|took offline|delisted|pulled|filtered|filter|filtering",
    "intercept": "intercepted|intercept|intercepting|stopped|blocked from|urgently stopped",
    "rescue": "rescued|rescue|rescuing|saved|save|freed|rescues|saves|frees",
    "punish": "punished|punish|punishing|administratively punished|administrative penalties|"
    "administrative punishment|administrative punishments|penalties|penalized|penalised|fined|"
    "punishment|punishments|investigation and punishment|investigated and dealt with|"
    "received administrative penalties|received administrative punishment|received penalties|"
    "receiving administrative penalties|receiving administrative punishment|"
    "were given administrative penalties",
    "invpun": "investigated and punished",
    "inspect": "inspections|inspection|inspected|inspect|checked|check",
    "handle": "handled|handle|handling|dealt with|investigated|investigate|investigating|"
    "probed|probe|filed|placed on file|opened",
    "analyse": "judged|analysed|analyzed|analyse|analyze|researched",
    "link": "concatenated|serialized|serialised",
    # the cases the suspects caught are tied to: cases cleared by the arrests
    "tie": "linked to|connected to|involved in|tied to|responsible for|suspected of|suspected in",
    "supervise": "supervised|listed for supervision|placed under supervision|put under supervision",
    "produce": "produced|producing|manufactured|manufacturing",
    "issue": "issued|issue|issuing|sent out",
    "initiate": "initiated|initiate",
    "rectify": "rectified|rectify|ordered to rectify|rectification",
    "decline": "dropped|drop|declined|decline|fell|fall|decreased|decrease|down by|down|reduced|"
    "a drop of|a decline of|a decrease of|a fall of|slid|dipped|plunged|plummeted|lower",
    "increase": "rose|risen|increased|increase|grew|up by|up|jumped|climbed|surged|"
    "a rise of|an increase of|growth of|rise|surge",
    "prosecute": "prosecuted|indicted|for prosecution",
    # charged: accused in court, not yet said to be prosecuted (暂控, 被控 in Chinese)
    "charge": "charged",
    "sentence": "sentenced|convicted",
    "dissuade": "dissuaded|persuaded|discouraged",
    "recover": "recovered|recover|recovering|retrieved|retrieve|returned|clawed back|recovers",
}
EN_VERB_CLASS: dict[str, str] = {v: cls for cls, alts in _EN_VERBS.items() for v in alts.split("|")}
# an arrest verb right before a number tells what it counts when the noun is missing
IMPLIED_UNIT: Final = {"arrest": "people", "detain": "people", "rescue": "people", "solve": "cases"}

_ZH_NOUN_LIST: Final = {
    # 疑犯 (Hong Kong), 犯嫌 and 主嫌 (Taiwan)
    "suspects": "犯罪嫌疑人|嫌疑人|嫌犯|违法犯罪嫌疑人|涉诈犯罪嫌疑人|疑犯|犯嫌|主嫌",
    "fugitives": "逃犯|在逃人员|在逃犯罪嫌疑人|网上逃犯|在逃|追逃对象|通缉犯",
    "people": "违法犯罪人员|涉案人员|人员|群众|"
    "未成年人|儿童|妇女|内鬼|卡商|号商|骨干|成员|"
    "诈骗分子|犯罪分子|不法分子|偷渡人员|老年人|网民|主播|头目|违法行为人|"
    # 车手 (Taiwan: who draws the money), 骗徒 (Hong Kong), 人士, 国人 (Taiwan: its nationals)
    "车手|骗徒|人士|国人|主脑|男子|女子",
    "victims": "受害人|被害人|受害群众|被骗群众|受骗群众|受害者|受骗人|事主",
    # a gang's case (诈骗集团案22件) is a case; 骗案 (Hong Kong) a fraud case
    "cases": "刑事案件|案件|案子|起案|诈骗案件|诈骗案|集团案|团伙案|骗案",
    "gangs": "犯罪团伙|团伙|犯罪集团|集团|黑社会性质组织|恶势力犯罪集团|恶势力|犯罪网络|诈骗团伙|"
    "黑恶组织|犯罪组织|诈骗组织|黑社会组织|帮派|诈团",
    "websites": "违法网站|网站|域名|网址",
    "apps": "APP|App|app|应用程序|应用|小程序",
    "accounts": "账号|账户|帐号|帐户|户口",  # 户口: Hong Kong's bank account
    "cards": "电话卡|手机卡|银行卡|物联网卡|卡",
    # 手提电话, 流动电话 (Hong Kong) and 移动电话 are phones, not calls (电话)
    "devices": "设备|手机|电脑|服务器|猫池|硬盘|平板电脑|路由器|柜员机|自动柜员机|提款机|"
    "手提电话|流动电话|移动电话|智能手机",
    "units": "企业|公司|单位|机构|商户|网吧",
    "items": "有害信息|违法信息|信息|视频|帖文|链接|网页",
    "tasks": "任务",
    "other": "线索|通报|通知|提示函|警示|平台|工具|软件|枪支|枪|车辆|汽车|船只|"
    # a memory card is no phone or bank card; the sections and groups a platform closes
    "存储卡|内存卡|SD卡|栏目|群组|贴吧|频道|直播间|"
    "诈骗电话|电话号码|号码|电话|短信|窝点|诈骗窝点|据点|处所|虚拟货币|泰达币|比特币|"
    # valuables seized with a gang's money (Hong Kong, Taiwan and Macau count them)
    "手表|名表|腕表|烈酒|名酒|洋酒|金条|金饰|首饰|珠宝|奢侈品|手袋|名牌手袋|土地|制服|警察制服|徽章",
}
_ZH_SLUGS: Final = {
    "线索": "clues",
    "通报": "notices",
    "通知": "notices",
    "提示函": "notices",
    "警示": "warnings",
    "枪支": "guns",
    "枪": "guns",
    "车辆": "vehicles",
    "汽车": "vehicles",
    "船只": "vehicles",
    "诈骗电话": "calls",
    "电话": "calls",
    "短信": "messages",
    "窝点": "dens",
    "诈骗窝点": "dens",
    "据点": "dens",  # Taiwan's word for a fraud den
    "存储卡": "storage_cards",
    "内存卡": "storage_cards",
    "SD卡": "storage_cards",
    "栏目": "columns",
    "群组": "chat_groups",
    "贴吧": "forums",
    "频道": "channels",
    "直播间": "live_rooms",
    "处所": "premises",
    "虚拟货币": "crypto",  # coins counted (泰达币3万颗); an amount in them is money
    "泰达币": "crypto",
    "比特币": "crypto",
    "电话号码": "phone_numbers",
    "号码": "phone_numbers",
    "手表": "watches",
    "名表": "watches",
    "腕表": "watches",
    "烈酒": "liquor",
    "名酒": "liquor",
    "洋酒": "liquor",
    "金条": "gold_bars",
    "金饰": "jewellery",
    "首饰": "jewellery",
    "珠宝": "jewellery",
    "奢侈品": "luxury_goods",
    "手袋": "handbags",
    "名牌手袋": "handbags",
    "土地": "land_plots",
    "制服": "uniforms",
    "警察制服": "uniforms",
    "徽章": "badges",
}
ZH_NOUNS: dict[str, tuple[str, str]] = {}
for _unit, _alts in _ZH_NOUN_LIST.items():
    for _noun in _alts.split("|"):
        _real = "people" if _unit in _PEOPLE else UNIT_OF_KIND.get(_unit, _unit)
        _zh_slug = _unit if _unit in _PEOPLE else _ZH_SLUGS.get(_noun)
        ZH_NOUNS[_noun] = (_real, _zh_slug or ("platforms" if _unit == "other" else _unit))


def trie_pattern(words: Iterable[str]) -> str:
    """One regular expression for many literal words, shaped as their trie: at each position
    the engine tries the few words sharing the characters read so far, not every word in turn
    (what a flat alternation does), and the longest word that matches wins, as in an
    alternation sorted longest first."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = [re.escape(c) + _node_pattern(child) for c, child in sorted(node.items()) if c]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # a word ends here: the longer ones are tried first, then none
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
    return body


ZH_NOUN_RE: Final = re.compile(trie_pattern(ZH_NOUNS))

ZH_CLASSIFIERS: Final = {
    "名": "people",
    "人": "people",
    "人次": "people",
    "起": "cases",
    "宗": "cases",
    "件": "cases",  # Taiwan counts cases in 件; a noun of objects before it wins (物品5件)
    "张": "cards",
    "部": "devices",
    "台": "devices",
    "家": "units",
    "条": "items",
    "万条": "items",
    "款": "apps",
    "处": "other",
    "栋": "other",
    "吨": "other",
    "公斤": "other",
}
# what a classifier of `other` counts: places searched, buildings, weights of goods
ZH_CLASSIFIER_SLUGS: Final = {
    "处": "premises",
    "栋": "buildings",
    "吨": "tons",
    "公斤": "kilograms",
}

_ZH_VERBS: Final = {
    # 拘捕, 拘 (Hong Kong), 拘提 (Taiwan: brought in on a warrant), 逮获
    "arrest": "抓获|抓捕|逮捕|缉捕|抓|捕获|缉拿|到案|落网|归案|抓获归案|缉获|拘捕|拘|拘提|逮获|"
    "逮|拦获|被捕|拦下|带走",
    "hand_over": "移交|移交给|交付",
    "repatriate": "押解回国|遣返|押解|遣送回国",
    "want": "通缉|公开通缉|列为缉捕对象",
    "surrender": "投案自首|投案|自首|主动投案",
    "identify": "识别|识别出|锁定|查明",
    # 羁押: held in custody by a court's order
    "detain": "刑事拘留|刑拘|拘留|羁押|采取刑事强制措施|刑事强制措施",
    "solve": "破获|侦破|破案|打击处理|查破",
    # 捣破 (Hong Kong), 扫荡 (Taiwan)
    "destroy": "打掉|捣毁|摧毁|打垮|铲除|打击|端掉|瓦解|打掉了|端掉了|捣破|扫荡",
    # 检获, 起获, 搜获 (Hong Kong, Macau), 扣得 (Taiwan)
    "seize": "查扣|扣押|缴获|查封|收缴|没收|追缴|查获|查缴|扣押冻结|检获|起获|搜获|扣得|搜出",
    "freeze": "冻结|止付|查冻|紧急止付",
    # 涉款 (Hong Kong), 财损 (Taiwan: the victims' loss)
    "involve": "涉案金额|涉案总金额|涉及金额|涉案价值|流水|涉款|涉及款项|财损",
    # 涉及 an amount is the amount involved; 涉及580宗案件, the cases arrests are linked to, are
    # cases handled, not said to be solved
    "concern": "涉及",
    "amount": "总价值|价值|总值|共计|合计",
    "defraud": "被骗|受骗|骗取",
    "close": "关停|关闭|封堵|封禁|下架|封停|注销|停用|封号",
    "remove": "删除|清理|处置",
    "intercept": "拦截|阻断|劝阻拦截|拦阻",  # 拦阻 (Taiwan): a payment stopped
    "rescue": "解救|营救|救助|挽救",  # 挽救: saved (minors, people at risk)
    "punish": "行政处罚|处罚|惩处|处理|罚款",
    # 惩戒: a disciplinary penalty (a credit blacklist, a ban on opening cards), not a fine
    "penalise": "惩戒",
    "invpun": "查处",
    "inspect": "检查|核查|排查",
    "search": "搜查|搜索|突击搜查",
    "handle": "办理|受理|侦办|查办|立案侦查|立案|办结|在侦案件|主侦",
    "analyse": "研判",
    "warn": "预警",
    "link": "串并",
    "issue": "发出|下发|发送|通报",
    "initiate": "发起",
    "rectify": "整改|整治|约谈",
    "decline": "下降|减少|降低|回落|同比下降|环比下降",
    "increase": "上升|增长|增加|提升|同比上升|同比增长|环比上升",
    "prosecute": "起诉|移送起诉",
    # Hong Kong: 暂控 charged pending the prosecutors' advice, 落案起诉 charged
    "charge": "暂控|被控|落案起诉|落案控告",
    "sentence": "判处|判决|拘役",
    "dissuade": "劝阻|劝返",
    "recover": "挽回|追回|返还|退赔|起回|截回|检回",  # 起回, 截回 (Hong Kong), 检回 (Macau)
}
ZH_VERB_CLASS: dict[str, str] = {v: c for c, alts in _ZH_VERBS.items() for v in alts.split("|")}

# --- from (class, unit) to a measure ---------------------------------------------

_PAST: Final = {
    "arrest": "arrested",
    "detain": "detained",
    "solve": "solved",
    "tie": "linked",
    "supervise": "supervised",
    "produce": "produced",
    "warn": "flagged",
    "destroy": "destroyed",
    "seize": "seized",
    "freeze": "frozen",
    "involve": "involved",
    "concern": "involved",
    "defraud": "defrauded",
    "close": "closed",
    "remove": "removed",
    "rescue": "rescued",
    "intercept": "intercepted",
    "hand_over": "handed_over",
    "repatriate": "repatriated",
    "identify": "identified",
    "want": "wanted",
    "surrender": "surrendered",
    "punish": "punished",
    "penalise": "penalised",
    "invpun": "punished",
    "inspect": "inspected",
    "search": "searched",
    "handle": "handled",
    "analyse": "analysed",
    "link": "linked",
    "issue": "issued",
    "initiate": "initiated",
    "rectify": "rectified",
    "decline": "declined",
    "increase": "increased",
    "prosecute": "prosecuted",
    "charge": "charged",
    "sentence": "sentenced",
    "dissuade": "dissuaded",
    "recover": "recovered",
}
MONEY: Final = "money"  # the kind of every currency unit in the tables below
VICTIMS: Final = "victims"  # the kind of people counted as victims (slug "victims")
ARRESTS: Final = "arrests"  # the kind of "585 arrests": people, and the noun says what was done
FUGITIVES: Final = "fugitives"  # the kind of fugitives: caught, they are counted apart from arrests

# (class, kind) -> a measure of the vocabulary; kind is the unit, MONEY for a currency, VICTIMS
# for people counted as victims
_MEASURES: Final = {
    ("arrest", "people"): "arrested",
    ("detain", "people"): "detained",
    ("solve", "cases"): "cases_solved",
    ("destroy", "cases"): "cases_solved",
    ("invpun", "cases"): "cases_solved",
    ("seize", "cases"): "cases_solved",  # 查获诈欺集团案326件: cases uncovered
    ("handle", "cases"): "cases_handled",
    # the cases arrests are linked to (涉及580宗案件) are not said to be solved
    ("concern", "cases"): "cases_handled",
    ("tie", "cases"): "cases_solved",
    ("destroy", "gangs"): "gangs_destroyed",
    ("arrest", "gangs"): "gangs_destroyed",
    ("solve", "gangs"): "gangs_destroyed",
    ("seize", "gangs"): "gangs_destroyed",  # 查获诈欺集团32个 (Taiwan): rings busted
    ("destroy", "websites"): "websites_closed",
    ("close", "websites"): "websites_closed",
    ("remove", "websites"): "websites_closed",
    ("destroy", "apps"): "apps_closed",
    ("close", "apps"): "apps_closed",
    ("remove", "apps"): "apps_closed",
    ("close", "accounts"): "accounts_closed",
    ("remove", "accounts"): "accounts_closed",
    ("seize", MONEY): "money_seized",
    ("freeze", MONEY): "money_frozen",
    ("involve", MONEY): "money_involved",
    ("concern", MONEY): "money_involved",
    ("defraud", MONEY): "money_involved",
    ("recover", MONEY): "money_recovered",
    ("remove", "items"): "information_removed",
    ("close", "items"): "information_removed",
    ("intercept", "items"): "information_removed",
    ("intercept", "websites"): "websites_closed",
    ("rescue", "people"): "victims_rescued",
    ("rescue", VICTIMS): "victims_rescued",
    ("involve", VICTIMS): "victims",
    ("concern", VICTIMS): "victims",
    ("defraud", VICTIMS): "victims",
    ("defraud", "people"): "victims",
    ("punish", "units"): "punished_units",
    ("invpun", "units"): "punished_units",
    ("rectify", "units"): "punished_units",
    ("penalise", "units"): "punished_units",
    # "dealt with 18,000 outlets": units an operation acts on are punished
    ("handle", "units"): "punished_units",
    ("decline", "percent"): "decline_percent",
    ("increase", "percent"): "change_percent",
    ("invpun", "people"): "other:investigated_and_punished",
    ("charge", "people"): "other:people_charged",
    ("hand_over", "people"): "other:suspects_handed_over",
    ("repatriate", "people"): "other:suspects_repatriated",
    ("dissuade", "people"): "other:people_dissuaded",
    ("dissuade", VICTIMS): "other:people_dissuaded",
    ("intercept", "people"): "other:people_dissuaded",
    ("intercept", MONEY): "money_frozen",
    ("arrest", ARRESTS): "arrested",
    ("detain", ARRESTS): "arrested",
    ("arrest", FUGITIVES): "other:fugitives_captured",
    ("repatriate", FUGITIVES): "other:fugitives_returned",
    ("hand_over", FUGITIVES): "other:suspects_handed_over",
    ("want", "people"): "other:suspects_wanted",
    ("want", FUGITIVES): "other:suspects_wanted",
    ("surrender", "people"): "other:suspects_surrendered",
    ("surrender", FUGITIVES): "other:suspects_surrendered",
    ("seize", "people"): "arrested",
    ("seize", FUGITIVES): "other:fugitives_captured",
}
# what no verb qualifies: an amount of money is the amount involved, victims are victims
_BARE: Final = {MONEY: "money_involved", VICTIMS: "victims", ARRESTS: "arrested"}
# class -> the kinds it counts as `other:<slug>_<past>`: the pairs that say something ("cards
# seized", "clues analysed"), not every pair a sentence happens to hold ("money arrested")
_OBJECTS: Final = frozenset(("cards", "devices", "accounts", "other", "items"))
_OTHER: dict[str, frozenset[str]] = {
    "seize": _OBJECTS,
    "freeze": frozenset(("accounts", "cards")),
    "close": frozenset(("cards", "units", "other")),
    "remove": frozenset(("other",)),
    "intercept": frozenset(("accounts", "cards", "other", "cases")),  # 拦阻诈骗1604件
    "search": frozenset(("other", "units")),
    "identify": frozenset(("people", "accounts", "other")),
    "destroy": frozenset(("other",)),
    "punish": frozenset(("people", "websites", "other")),
    "penalise": frozenset(("people", "accounts", "websites", "other")),
    "invpun": frozenset(("websites", "other")),
    "inspect": frozenset(("cases", "units", "websites", "other")),
    "handle": frozenset(("other",)),
    "analyse": frozenset(("cases", "other")),
    "supervise": frozenset(("cases",)),
    "produce": frozenset(("cards", "devices", "other")),
    "warn": frozenset(("other", "items")),
    "link": frozenset(("cases", "other")),
    "issue": frozenset(("other", "items")),
    "initiate": frozenset(("tasks",)),
    "rectify": frozenset(("websites", "other")),
    "prosecute": frozenset(("people", "cases")),
    "sentence": frozenset(("people",)),
    "recover": frozenset(("devices", "other")),
}


def kind_of(unit: str, slug: str) -> str:
    """The row of the tables a unit reads: MONEY for a currency, VICTIMS for victims."""
    if unit in CURRENCIES:
        return MONEY
    if slug in UNIT_OF_KIND:
        return slug
    if unit == "people" and slug in (VICTIMS, ARRESTS, FUGITIVES):
        return slug
    return unit


def measure(cls: str | None, unit: str, slug: str) -> str | None:
    """The measure of a figure; None when nothing says what was done with what it counts, or
    the verb found does not apply to it."""
    kind = kind_of(unit, slug)
    if cls is None:
        return _BARE.get(kind)
    found = _MEASURES.get((cls, kind))
    if found is not None:
        return found
    if kind in _OTHER.get(cls, ()):
        return f"{OTHER_PREFIX}{slug}_{_PAST[cls]}"
    return None


def slugs() -> frozenset[tuple[str, str]]:
    """Every (unit, slug) a noun or classifier gives, currencies apart."""
    found = set(EN_NOUNS.values()) | set(ZH_NOUNS.values())
    found |= {(u, u) for u in UNITS}
    return frozenset(found)


def all_measures() -> frozenset[str]:
    """Every label `measure` can return: the vocabulary and the `other:` pairs it allows."""
    out = set(_MEASURES.values()) | set(_BARE.values())
    for unit, slug in slugs() | {("CNY", "money")}:
        for cls in (None, *_PAST):
            label = measure(cls, unit, slug)
            if label is not None:
                out.add(label)
    return frozenset(out)


# a measure once written another way (gold files and stored extractions of earlier versions)
FORMER_NAMES: Final = {
    "other:cases_handled": "cases_handled",
    "other:cases_filed": "cases_handled",
    "other:increase_percent": "change_percent",
    "other:money_recovered": "money_recovered",
    "other:apps_closed": "apps_closed",
}


def current_measure(label: str) -> str:
    """A measure in today's vocabulary: `FORMER_NAMES` renamed, anything else as it is."""
    return FORMER_NAMES.get(label, label)
