"""Extraction speed: articles per second per core on the dev corpus and on 10,000 generated
articles (English and Chinese), and quantulum3's rate on the same texts in the same run.

    .venv/bin/python bench/extract.py [--shape announcement|dense|both] [--generated 10000]
                                      [--quantulum-sample 100]

Two shapes of generated corpus (two thirds English, one third Chinese in both):

- announcement (the default): `bench.generate.announcement_articles`, texts shaped like the real
  announcements of tests/data/dev/corpus: English of 2,500-14,000 characters (mean about 6,100),
  Chinese of 1,000-5,600, mostly prose (background, policy language, officials quoted, warnings
  to the public, case narratives) with the figures in a few paragraphs, about 3.3 numbers per
  1,000 English characters as in the dev corpus. It is the default because it is what the
  monitor reads: quantulum3's cost grows mostly with the length of a text, ours with the number
  of numbers in it, so short texts dense in numbers understate the ratio met in practice.
- dense: `dense_articles` below, the earlier generator: texts of about 900 characters in which
  nearly every sentence carries one to three figures (about 20 numbers per 1,000 characters, six
  times the dev corpus's). It stresses the figure extractors.

`--shape both` measures the two shapes in one run.

`--scaling` measures instead how extraction time grows with the length of a text: for each
adversarial shape of `bench.generate.ADVERSARIAL` (dense figures in both languages, campaign names
repeated, one long sentence without punctuation, many quotes, officials' titles, lists of regions
and agencies, a quote mark before a run of blanks ...) it extracts one text at each of
`--sizes` characters (1,000 to 1,000,000 by default) and prints the CPU time per character,
and per shape the ratio of the largest per-character time to the smallest. Every pass of the
extractor is linear in the text, so the ratios stay near 1 (short texts pay a fixed cost per
article, which the per-character time of 1,000 characters shows; `last/first`, the time per
character of the longest text over that of the shortest, is what grows when a pass is not
linear). Each size is repeated until a quarter second has passed and the fastest run counts.

    .venv/bin/python bench/extract.py --scaling [--sizes 1000,10000,100000,1000000]
                                                [--shapes zh-figures,en-figures]

For each corpus the run prints its article count, mean length and numbers per 1,000 characters
(counted by `monitor.extract.numbers.find_numbers`, so the shapes can be compared with dev), then
our rate and quantulum3's and their ratio. quantulum3 manages about 3 long English texts a second,
so it reads only the first `--quantulum-sample` articles of a generated corpus (the languages mix
as in the whole; it barely reads Chinese, so it is far faster on the Chinese third and the ratio
on a mixed corpus is lower than on English alone). Single process, so the rates are per core;
CPU seconds are reported beside wall seconds. quantulum3 comes from the `bench` extra
(pip install -e '.[bench]').
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import ADVERSARIAL, adversarial_article, announcement_articles  # noqa: E402
from monitor.extract import Extractor, compiled  # noqa: E402
from monitor.extract.numbers import find_numbers, fold_width  # noqa: E402
from monitor.ingest import read_text  # noqa: E402
from monitor.models import Article  # noqa: E402

DEV_CORPUS = ROOT / "tests" / "data" / "dev" / "corpus"

# --- the dense shape (the generator this benchmark used first; output unchanged) ---

_EN_REGIONS = ["Jiangsu", "Zhejiang", "Guangdong", "Sichuan", "Henan", "Shenzhen", "Hubei"]
_ZH_REGIONS = ["江苏", "浙江", "广东", "四川", "河南", "深圳市", "湖北"]
_EN_CAMPAIGNS = [
    '"Clean Internet 2023" special action',
    '"Card-cutting" operation',
    '"Kunlun 2022" campaign',
    '"Blue Sword" series of strikes',
]
_ZH_CAMPAIGNS = ["“净网2023”专项行动", "“断卡”行动", "“昆仑-2022”专项行动", "“云剑”行动"]
_DENSE_EN = [
    "Police in {r} arrested {n:,} criminal suspects and cracked {m:,} cases.",
    "{R} police busted {k} criminal gangs involving {b} billion yuan.",
    "More than {n:,} illegal websites were shut down and {m:,} accounts were closed.",
    "Public security organs seized {b} million phone cards and froze {k} million yuan.",
    "The number of fraud cases dropped by {p}% compared with last year.",
    "The meeting called for closer cooperation between departments and the industry.",
    "Officials said the {c} would continue until the end of the year.",
    "On June {d}, the Ministry of Public Security held a press conference in Beijing.",
    "Nearly {k} minors were rescued and about {m:,} pieces of harmful information deleted.",
    "Residents were reminded not to share personal details with strangers online.",
]
_DENSE_ZH = [
    "{r}公安机关抓获犯罪嫌疑人{n}名，破获案件{m}起。",
    "{r}警方打掉犯罪团伙{k}个，涉案金额{b}亿元。",
    "关停违法网站{n}余个，清理有害信息{m}万余条。",
    "查获电话卡{b}万张，冻结涉案资金{k}万元。",
    "电信网络诈骗发案数同比下降{p}%。",
    "会议要求各地加强协作，形成打击合力。",
    "公安部表示，{c}将持续推进至年底。",
    "{d}月{d}日，公安部召开新闻发布会。",
    "解救未成年人{k}名，劝阻群众{m}人次。",
    "警方提醒广大群众提高防范意识，不要轻信陌生来电。",
]


def dense_articles(count: int, seed: int = 8) -> list[Article]:
    """The dense shape: 8-20 sentences (about 900 characters), nearly every one with figures;
    two thirds English, one third Chinese."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        zh = i % 3 == 2
        sentences, regions, campaigns = (
            (_DENSE_ZH, _ZH_REGIONS, _ZH_CAMPAIGNS)
            if zh
            else (_DENSE_EN, _EN_REGIONS, _EN_CAMPAIGNS)
        )
        body = []
        for _ in range(rng.randint(8, 20)):
            region = rng.choice(regions)
            body.append(
                rng.choice(sentences).format(
                    r=region,
                    R=region,
                    n=rng.randint(10, 90000),
                    m=rng.randint(10, 90000),
                    k=rng.randint(2, 900),
                    b=round(rng.uniform(1, 40), 2),
                    p=rng.randint(2, 60),
                    c=rng.choice(campaigns),
                    d=rng.randint(1, 28),
                )
            )
        title = (
            f"{rng.choice(regions)}警方通报{rng.choice(campaigns)}成果"
            if zh
            else f"{rng.choice(regions)} police report results of {rng.choice(campaigns)}"
        )
        sep = "" if zh else " "
        paragraphs = [sep.join(body[j : j + 4]) for j in range(0, len(body), 4)]
        out.append(
            Article(
                id=f"g{i}", title=title, body="\n\n".join(paragraphs), lang="zh" if zh else "en"
            )
        )
    return out


def rate(
    fn: Callable[[Article], object], articles: Sequence[Article], min_seconds: float = 1.0
) -> tuple[float, float, float, int]:
    """Articles per wall second, per CPU second, and in the fastest batch of 25 (the rate one
    uncontended core gives: on a shared machine the other two count time lost to neighbours)."""
    done = 0
    best = float("inf")
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while True:
        for i in range(0, len(articles), 25):
            batch = articles[i : i + 25]
            t = time.perf_counter()
            for article in batch:
                fn(article)
            best = min(best, (time.perf_counter() - t) / len(batch))
        done += len(articles)
        if time.perf_counter() - wall0 >= min_seconds:
            break
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return done / wall, done / max(cpu, 1e-9), 1 / best, done


SHAPES: dict[str, Callable[[int], list[Article]]] = {
    "announcement": announcement_articles,
    "dense": dense_articles,
}


@dataclass(frozen=True)
class Profile:
    """What a corpus is made of: how many articles, how long, how many numbers."""

    articles: int
    chars: int
    numbers: int

    @classmethod
    def of(cls, articles: Sequence[Article]) -> Profile:
        numbers = sum(sum(1 for _ in find_numbers(fold_width(a.text), a.lang)) for a in articles)
        return cls(len(articles), sum(len(a.text) for a in articles), numbers)

    def row(self, name: str) -> str:
        return (
            f"{name:14}{self.articles:>9,}{self.chars / max(self.articles, 1):>12,.0f}"
            f"{1000 * self.numbers / max(self.chars, 1):>18.2f}"
            f"{self.numbers / max(self.articles, 1):>17.1f}"
        )


def describe(corpora: dict[str, list[Article]]) -> None:
    """The profile of each corpus, and of each language in it when it has more than one."""
    print(f"{'corpus':14}{'articles':>9}{'mean chars':>12}{'numbers/1k chars':>18}", end="")
    print(f"{'numbers/article':>17}")
    for name, articles in corpora.items():
        print(Profile.of(articles).row(name))
        langs = sorted({a.lang for a in articles})
        if len(langs) > 1:
            for lang in langs:
                print(Profile.of([a for a in articles if a.lang == lang]).row(f"  {lang}"))


def languages(articles: Sequence[Article]) -> str:
    counts = {lang: sum(a.lang == lang for a in articles) for lang in ("en", "zh")}
    return ", ".join(f"{n} {lang}" for lang, n in counts.items() if n)


def per_character(extractor: Extractor, article: Article, min_seconds: float = 0.25) -> float:
    """CPU seconds per character of one extraction of `article`, the fastest of the runs made
    in `min_seconds` (at least one)."""
    best = float("inf")
    spent = 0.0
    while spent < min_seconds or best == float("inf"):
        t = time.process_time()
        extractor.extract(article)
        took = time.process_time() - t
        best, spent = min(best, took), spent + took
    return best / len(article.text)


def scaling(extractor: Extractor, sizes: Sequence[int], shapes: Sequence[str]) -> None:
    """Time per character of each adversarial shape at each size, and the ratio of the largest to
    the smallest per shape."""
    print(f"CPU time per character (microseconds), {compiled.describe()}\n")
    head = "".join(f"{size:>11,}" for size in sizes)
    print(f"{'shape':20}{head}{'max/min':>10}{'last/first':>12}")
    ratios = {}
    for shape in shapes:
        times = [per_character(extractor, adversarial_article(shape, size)) for size in sizes]
        ratios[shape] = max(times) / min(times)
        row = "".join(f"{1e6 * t:11.3f}" for t in times)
        print(f"{shape:20}{row}{ratios[shape]:10.2f}{times[-1] / times[0]:12.2f}", flush=True)
    worst = max(ratios, key=ratios.__getitem__)
    print(f"\nlargest max/min: {ratios[worst]:.2f} ({worst}); last/first above 1 is growth")
    largest = max(sizes)
    for shape in ("zh-figures", "en-figures"):
        if shape in shapes:
            seconds = per_character(extractor, adversarial_article(shape, largest), 0) * largest
            print(f"{shape} at {largest:,} characters: {seconds:.2f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=[*SHAPES, "both"], default="announcement")
    parser.add_argument("--generated", type=int, default=10_000)
    parser.add_argument("--quantulum-sample", type=int, default=100)
    parser.add_argument("--scaling", action="store_true", help="time per character by length")
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--shapes", default=",".join(ADVERSARIAL))
    args = parser.parse_args()
    started = time.perf_counter()
    if args.scaling:
        extractor = Extractor()
        extractor.extract(adversarial_article("en-figures", 1000))  # warm the regex caches
        shapes = [s for s in args.shapes.split(",") if s]
        unknown = [s for s in shapes if s not in ADVERSARIAL]
        if unknown:
            known = ", ".join(ADVERSARIAL)
            parser.error(f"unknown shape {', '.join(unknown)}: choose from {known}")
        scaling(extractor, [int(n) for n in args.sizes.split(",")], shapes)
        print(f"\nrun took {time.perf_counter() - started:.0f}s")
        return

    t0 = time.perf_counter()
    extractor = Extractor()
    print(
        f"extractor {extractor.version}: built in {time.perf_counter() - t0:.2f}s, "
        f"{compiled.describe()}"
    )
    corpora = {"dev": [read_text(p) for p in sorted(DEV_CORPUS.glob("*.txt"))]}
    for shape in SHAPES if args.shape == "both" else [args.shape]:
        t0 = time.perf_counter()
        corpora[shape] = SHAPES[shape](args.generated)
        print(f"{shape}: {args.generated:,} articles generated in {time.perf_counter() - t0:.1f}s")
    print()
    describe(corpora)
    print()

    # warm what is built once per process (regex caches, the keyword automata, the tables read
    # at the first Chinese text, pypinyin's dictionary at the first unknown Chinese name) on a
    # few articles of another seed, not on the measured texts
    extractor.extract(corpora["dev"][0])
    for article in announcement_articles(12, seed=101):
        extractor.extract(article)
    # each generated corpus is measured whole and per language: quantulum3 barely reads Chinese,
    # so the ratio on English alone says more than the one on the mix
    measured: dict[str, list[Article]] = {}
    for name, articles in corpora.items():
        measured[name] = articles
        if name != "dev":
            for lang in ("en", "zh"):
                measured[f"{name}/{lang}"] = [a for a in articles if a.lang == lang]
    ours: dict[str, float] = {}
    for name, articles in measured.items():
        wall_rate, cpu_rate, best, n = rate(
            extractor.extract, articles, 2.0 if name == "dev" else 0.0
        )
        ours[name] = cpu_rate
        print(
            f"ours       {name:15}: {wall_rate:8.0f} articles/s wall, {cpu_rate:8.0f} per CPU "
            f"second, {best:8.0f} in the best batch ({n:,} extractions)"
        )

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser as q_parser
    except ImportError:
        print("quantulum3 is not installed: pip install -e '.[bench]'")
        return

    def quantulum(article: Article) -> object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return q_parser.parse(article.text)

    quantulum(corpora["dev"][0])  # its first call loads its unit tables
    print()
    for name, articles in corpora.items():
        if name == "dev":
            parts = {"dev": articles}
        else:
            sample = articles[: args.quantulum_sample]
            parts = {
                f"{name}/{lang}": [a for a in sample if a.lang == lang] for lang in ("en", "zh")
            }
        seconds = 0.0
        for part, texts in parts.items():
            wall_rate, cpu_rate, best, n = rate(quantulum, texts, 0.0)
            seconds += len(texts) / cpu_rate
            what = (
                f"all {n} texts"
                if part == "dev"
                else f"the {len(texts)} {part[-2:]} texts of the first {len(sample)}"
            )
            print(
                f"quantulum3 {part:15}: {wall_rate:8.1f} articles/s wall, {cpu_rate:8.1f} per "
                f"CPU second, {best:8.1f} in the best batch ({what})"
            )
            print(f"  ours / quantulum3 on {part} (per CPU second): {ours[part] / cpu_rate:,.0f}x")
        if name != "dev":
            mixed = len(sample) / seconds
            print(
                f"quantulum3 {name:15}: {mixed:8.1f} per CPU second on the mixed sample "
                f"({languages(sample)})"
            )
            print(f"  ours / quantulum3 on {name} (per CPU second): {ours[name] / mixed:,.0f}x")
    print(f"\nrun took {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
