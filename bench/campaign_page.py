"""How long a campaign page takes and how large it is, on a yearly series of campaigns
(Clean Internet 2019, 2020, 2021), the same number of articles each year, every figure
distinct: three measures per article, national or one of six regions, mostly running totals
with some period and case figures. Prints p50/p95 of the wall time, the median CPU time (less
swayed by other work on the machine) and the size of the page and of its JSON.

    .venv/bin/python bench/campaign_page.py [--articles 600 6000] [--runs 7]

On 2 shared CPUs (the page, then its JSON):

       600 articles  /campaigns/Clean Internet 2021   p50   80 ms  p95  150 ms   159 KiB
       600 articles  .../timeline                     p50   65 ms  p95  143 ms   276 KiB
      6000 articles  /campaigns/Clean Internet 2021   p50  630 ms  p95  728 ms   216 KiB
      6000 articles  .../timeline                     p50  773 ms  p95  878 ms  2815 KiB

Before the charts' points were spread and bounded, the figures table built only what it lists
and other years were read from the plain list of matches, 6,000 articles took p50 2,300 ms
(472 KiB) and 600 took 95 ms (210 KiB).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from monitor.index.embedded import EmbeddedIndex
from monitor.models import EnrichedArticle, Figure, FigureKind
from monitor.web.app import create_app
from tests.conftest import enrich, make_article

REGIONS = (None, None, "Jiangsu", "Zhejiang", "Guangdong", "Beijing", "Henan", "Sichuan")
YEARS = (2019, 2020, 2021)
MEASURES = (("arrested", "people"), ("cases_solved", "cases"), ("money_seized", "CNY"))
KINDS: tuple[FigureKind, ...] = ("cumulative", "cumulative", "cumulative", "period", "case")


def articles(count: int) -> list[EnrichedArticle]:
    rng = random.Random(1)
    docs = []
    for n in range(count):
        year = YEARS[n % len(YEARS)]
        campaign = f"Clean Internet {year}"
        published = datetime(year, 1, 1, tzinfo=UTC) + timedelta(
            days=rng.randrange(360), hours=n % 24
        )
        figures = tuple(
            Figure(
                value=n * 10 + i + 100,  # every figure distinct
                unit=unit,
                measure=measure,
                quote=f"{measure} {n}",
                start=i * 10,
                end=i * 10 + 5,
                region=rng.choice(REGIONS),
                campaign=campaign,
                kind=rng.choice(KINDS),
            )
            for i, (measure, unit) in enumerate(MEASURES)
        )
        docs.append(
            enrich(make_article(n, published=published), campaigns=(campaign,), figures=figures)
        )
    return docs


def measure(count: int, runs: int) -> None:
    index = EmbeddedIndex(Path(tempfile.mkdtemp()) / "index.db")
    docs = articles(count)
    for i in range(0, count, 1000):
        index.upsert_many(docs[i : i + 1000])
    client = TestClient(create_app(index))
    for path in ("/campaigns/Clean Internet 2021", "/api/campaigns/Clean Internet 2021/timeline"):
        client.get(path)  # warm: templates compiled, index pages cached
        times, cpu = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert response.status_code == 200, response.text[:200]
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"{count:>6} articles  {path:<45} p50 {statistics.median(times) * 1000:6.0f} ms"
            f"  p95 {p95 * 1000:6.0f} ms  (cpu p50 {statistics.median(cpu) * 1000:5.0f} ms)"
            f"  {len(response.content) / 1024:6.0f} KiB"
        )
    index.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[600, 6000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for count in args.articles:
        measure(count, args.runs)


if __name__ == "__main__":
    main()
