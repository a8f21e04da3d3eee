"""The words figures are recognised by: what a number counts (unit) and what was done (measure).

Nouns map to a unit and a slug (used to name `other:` measures); verbs and action nouns map to a
class; `measure(cls, unit, slug)` turns the pair into the vocabulary of the dev README.
"""

from __future__ import annotations

import re

# noun -> (unit, slug)
_NOUN_LIST = {
    "people": "suspects|criminal suspects|suspect|people|persons|person|individuals|criminals|"
    "offenders|fugitives|members|gang members|minors|children|women|victims|teenagers|students|"
    "ringleaders|insiders|inner ghosts|card merchants|number merchants|gangsters|perpetrators|"
    "youths|persons involved",
    "cases": "cases|case|criminal cases",
    "gangs": "gangs|gang|criminal groups|crime groups|crime rings|rings|syndicates|"
    "criminal networks|crime networks|underworld organizations|underworld organisations|"
    "criminal organizations|"
    "criminal organisations|mafia-like organizations|mafia-like groups|organized crime groups",
    "websites": "websites|website|website platforms|web sites|sites",
    "accounts": "accounts|account",
    "cards": "cards|card|SIM cards|phone cards|bank cards|black cards",
    "devices": "devices|device|equipment|mobile phones|phones|computers|servers|cat pools",
    "units": "companies|units|enterprises|firms|organizations|organisations|businesses|"
    "institutions|shops|stores",
    "items": "information|pieces of information|messages|posts|items|links|videos|pieces",
    "tasks": "tasks|task",
    "other": "clues|leads|tips|tip-offs|notices|reminders|warnings|letters|platforms|apps|APPs|"
    "applications|tools|programs|programmes|software|dens|guns|firearms|weapons|vehicles|cars|"
    "boats|ships|calls|phone calls|fraud calls",
}
_SLUGS = {
    "clues": "clues",
    "leads": "clues",
    "tips": "clues",
    "tip-offs": "clues",
    "notices": "notices",
    "warnings": "notices",
    "letters": "notices",
    "reminders": "reminders",
    "dens": "dens",
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
EN_NOUNS: dict[str, tuple[str, str]] = {}
for _unit, _alts in _NOUN_LIST.items():
    for _noun in _alts.split("|"):
        slug = _SLUGS.get(_noun, "platforms") if _unit == "other" else _unit
        EN_NOUNS[_noun.lower()] = (_unit, slug)
EN_NOUN_MAX_WORDS = max(len(n.split()) for n in EN_NOUNS)

# words that end the noun phrase after a number
EN_STOP = frozenset(
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

# verb or action noun -> class; longest first in the regex
_EN_VERBS = {
    "arrest": "arrested|arrest|arrests|arresting|apprehended|apprehend|captured|capture|caught|"
    "nabbed|nets|netted|rounded up|brought to justice|taken into custody",
    "detain": "detained|detain|detaining|criminally detained|placed under criminal detention|"
    "held in custody",
    "solve": "solved|solve|solving|cracked|crack|cracking|detected|detect|detecting|resolved|"
    "resolve|cleared up|uncovered|broke",
    "destroy": "eliminated|eliminate|eliminating|destroyed|destroy|destroying|busted|bust|"
    "busting|dismantled|dismantle|smashed|smash|broke up|broken up|took down|taken down|"
    "wiped out|uprooted|crushed",
    "seize": "seized|seize|seizing|seizure of|confiscated|confiscate|frozen|froze|freeze|"
    "impounded|seized and frozen",
    "involve": "involving|worth|amounting to|totalling|totaling|valued at|amount involved|"
    "amounts involved|sum involved|funds involved",
    "close": "shut down|shutting down|shut|closed|close|closing|blocked|block|banned|"
    "taken offline|disabled",
    "remove": "deleted|delete|removed|remove|cleaned up|clean up|cleaning up|intercepted|"
    "intercept|purged|cleared|intercepted and deleted|took offline",
    "rescue": "rescued|rescue|rescuing|saved|save|freed",
    "punish": "punished|punish|punishing|administratively punished|administrative penalties|"
    "administrative punishment|penalties|penalized|penalised|fined|punishment|"
    "investigation and punishment|investigated and dealt with",
    "invpun": "investigated and punished",
    "inspect": "inspections|inspection|inspected|inspect|checked|check",
    "handle": "handled|handle|handling|dealt with",
    "analyse": "judged|analysed|analyzed|analyse|analyze|researched",
    "link": "concatenated|linked|serialized|serialised|connected",
    "issue": "issued|issue|issuing|sent out",
    "initiate": "initiated|initiate",
    "rectify": "rectified|rectify|ordered to rectify",
    "decline": "dropped|drop|declined|decline|fell|fall|decreased|decrease|down by|reduced|"
    "a drop of|a decline of|a decrease of",
    "increase": "rose|increased|increase|grew|up by",
    "prosecute": "prosecuted|indicted|charged",
    "sentence": "sentenced|convicted",
    "file": "filed|placed on file",
    "dissuade": "dissuaded|persuaded|discouraged",
    "recover": "recovered|recover|retrieved|returned",
}
EN_VERB_CLASS: dict[str, str] = {v: cls for cls, alts in _EN_VERBS.items() for v in alts.split("|")}
# an arrest verb right before a number tells what it counts when the noun is missing
IMPLIED_UNIT = {"arrest": "people", "detain": "people", "rescue": "people", "solve": "cases"}

_ZH_NOUN_LIST = {
    "people": "犯罪嫌疑人|嫌疑人|嫌犯|违法犯罪人员|涉案人员|人员|群众|受害人|被害人|"
    "未成年人|儿童|妇女|"
    "逃犯|内鬼|卡商|号商|骨干|成员",
    "cases": "刑事案件|案件|案子|起案",
    "gangs": "犯罪团伙|团伙|犯罪集团|集团|黑社会性质组织|恶势力犯罪集团|恶势力|窝点",
    "websites": "违法网站|网站|域名|网址|网页",
    "accounts": "账号|账户|帐号|帐户",
    "cards": "电话卡|手机卡|银行卡|物联网卡|卡",
    "devices": "设备|手机|电脑|服务器|猫池",
    "units": "企业|公司|单位|机构|商户|网吧",
    "items": "有害信息|违法信息|信息|视频|帖文|链接",
    "tasks": "任务",
    "other": "线索|通报|通知|提示函|警示|平台|APP|App|应用|工具|软件|枪支|枪|车辆|汽车|船只|"
    "诈骗电话|电话|短信",
}
ZH_NOUNS: dict[str, tuple[str, str]] = {}
for _unit, _alts in _ZH_NOUN_LIST.items():
    for _noun in _alts.split("|"):
        slug = (
            {
                "线索": "clues",
                "通报": "notices",
                "通知": "notices",
                "提示函": "notices",
                "警示": "notices",
                "枪支": "guns",
                "枪": "guns",
                "车辆": "vehicles",
                "汽车": "vehicles",
                "船只": "vehicles",
                "诈骗电话": "calls",
                "电话": "calls",
                "短信": "calls",
            }.get(_noun, "platforms")
            if _unit == "other"
            else _unit
        )
        ZH_NOUNS[_noun] = (_unit, slug)
ZH_NOUN_RE = re.compile("|".join(sorted(ZH_NOUNS, key=len, reverse=True)))

ZH_CLASSIFIERS = {
    "名": "people",
    "人": "people",
    "人次": "people",
    "起": "cases",
    "宗": "cases",
    "张": "cards",
    "部": "devices",
    "台": "devices",
    "家": "units",
    "条": "items",
    "万条": "items",
}

_ZH_VERBS = {
    "arrest": "抓获|抓捕|逮捕|缉捕|抓|捕获|缉拿|到案",
    "detain": "刑事拘留|刑拘|拘留",
    "solve": "破获|侦破|破案|打击处理|查破",
    "destroy": "打掉|捣毁|摧毁|打垮|铲除|打击|端掉|瓦解",
    "seize": "查扣|扣押|冻结|缴获|查封|收缴|没收|追缴|止付|查获",
    "involve": "涉案金额|涉案总金额|涉及金额|涉案价值|流水|总价值",
    "close": "关停|关闭|封堵|封禁|下架",
    "remove": "删除|清理|拦截|处置",
    "rescue": "解救|营救|救助",
    "punish": "行政处罚|处罚|惩处|处理",
    "invpun": "查处",
    "inspect": "检查|核查|排查",
    "handle": "办理|受理",
    "analyse": "研判",
    "link": "串并",
    "issue": "发出|下发|发送|通报",
    "initiate": "发起",
    "rectify": "整改|整治|约谈",
    "decline": "下降|减少|降低|回落",
    "increase": "上升|增长|增加",
    "prosecute": "起诉|移送起诉",
    "sentence": "判处|判决",
    "file": "立案侦查|立案",
    "dissuade": "劝阻|劝返",
    "recover": "挽回|追回|返还",
}
ZH_VERB_CLASS: dict[str, str] = {v: c for c, alts in _ZH_VERBS.items() for v in alts.split("|")}

_PAST = {
    "arrest": "arrested",
    "detain": "detained",
    "solve": "solved",
    "destroy": "destroyed",
    "seize": "seized",
    "involve": "involved",
    "close": "closed",
    "remove": "removed",
    "rescue": "rescued",
    "punish": "punished",
    "invpun": "punished",
    "inspect": "inspected",
    "handle": "handled",
    "analyse": "analysed",
    "link": "linked",
    "issue": "issued",
    "initiate": "initiated",
    "rectify": "rectified",
    "prosecute": "prosecuted",
    "sentence": "sentenced",
    "file": "filed",
    "dissuade": "dissuaded",
    "recover": "recovered",
}
_MEASURES = {
    ("arrest", "people"): "arrested",
    ("detain", "people"): "detained",
    ("solve", "cases"): "cases_solved",
    ("destroy", "cases"): "cases_solved",
    ("invpun", "cases"): "cases_solved",
    ("destroy", "gangs"): "gangs_destroyed",
    ("arrest", "gangs"): "gangs_destroyed",
    ("solve", "gangs"): "gangs_destroyed",
    ("destroy", "websites"): "websites_closed",
    ("close", "websites"): "websites_closed",
    ("remove", "websites"): "websites_closed",
    ("close", "accounts"): "accounts_closed",
    ("remove", "accounts"): "accounts_closed",
    ("seize", "CNY"): "money_seized",
    ("involve", "CNY"): "money_involved",
    ("remove", "items"): "information_removed",
    ("close", "items"): "information_removed",
    ("rescue", "people"): "victims_rescued",
    ("punish", "units"): "punished_units",
    ("invpun", "units"): "punished_units",
    ("rectify", "units"): "punished_units",
    ("decline", "percent"): "decline_percent",
    ("increase", "percent"): "other:increase_percent",
    ("invpun", "people"): "other:investigated_and_punished",
    ("recover", "CNY"): "other:money_recovered",
}


def measure(cls: str | None, unit: str, slug: str) -> str | None:
    """The measure of a figure; None when nothing says what was done with what it counts."""
    if cls is None:
        return "money_involved" if unit == "CNY" else None
    if (cls, unit) in _MEASURES:
        return _MEASURES[cls, unit]
    if unit == "percent":
        return "decline_percent" if cls == "decline" else None
    if cls in ("decline", "increase", "involve"):
        return None
    return f"other:{slug}_{_PAST[cls]}"
