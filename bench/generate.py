"""Generated announcements for the benchmarks: English and Chinese, with campaigns and figures,
built from sentence patterns of the founding corpus. Deterministic for a given seed."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

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
    rng = random.Random(seed)
    start = datetime(2021, 1, 1, tzinfo=UTC)
    articles = []
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
        articles.append(
            Article(
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
        )
    return articles
