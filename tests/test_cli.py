"""The `monitor` command end to end, as a user runs it: ingest, search, campaigns, and a
SIGKILL in the middle of a big ingest."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

MONITOR = [sys.executable, "-m", "monitor.cli"]


def monitor(
    data: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "MONITOR_DATA_DIR": str(data),
        "MONITOR_LOG__LEVEL": "WARNING",
        **(env or {}),
    }
    done = subprocess.run(
        [*MONITOR, *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=240
    )
    if check and done.returncode != 0:
        raise AssertionError(f"monitor {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def test_ingest_the_corpus_then_search_it(tmp_path: Path) -> None:
    zh = tmp_path / "zh.txt"
    zh.write_text(
        "公安部部署开展“净网2021”专项行动\n全国公安机关严厉打击电信网络诈骗犯罪。\n",
        encoding="utf-8",
    )
    files = sorted(str(p) for p in CORPUS.glob("*.txt"))
    done = monitor(tmp_path, "ingest", *files, str(zh))
    assert "ingested 6 articles; the index holds 6" in done.stdout

    found = json.loads(monitor(tmp_path, "search", "naked chat", "--json").stdout)
    titles = [h["title"] for h in found["hits"]]
    assert found["total"] >= 1
    assert any("Internet-related crimes" in t or "underworld crimes" in t for t in titles)
    assert all("naked" in h["snippet_html"].lower() for h in found["hits"])

    # a campaign's name in either language finds its reports in both, as on the web
    chinese = monitor(tmp_path, "search", "净网2021").stdout
    assert "公安部部署开展“净网2021”专项行动" in chinese
    assert "Cleaning the Internet 2021" in chinese and "2 results" in chinese
    english = monitor(tmp_path, "search", '"Clean Internet 2021"').stdout
    assert "公安部部署开展“净网2021”专项行动" in english and "2 results" in english

    # files carry no issuing level; a level that does not exist is refused in plain words
    assert "0 results" in monitor(tmp_path, "search", "净网", "--level", "press").stdout
    wrong = monitor(tmp_path, "search", "净网", "--level", "county", check=False)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "level must be ministry, province, city, press, not 'county'" in wrong.stderr


def test_bad_query_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    done = monitor(tmp_path, "search", '"naked chat', check=False)
    assert done.returncode == 2
    assert "unbalanced quotes" in done.stderr
    assert "Traceback" not in done.stderr


def test_wrong_setting_stops_start_up_naming_it(tmp_path: Path) -> None:
    env = {**os.environ, "MONITOR_INDEX": "solr"}
    done = subprocess.run(
        [*MONITOR, "search", "x"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "environment variable MONITOR_INDEX='solr'" in done.stderr


def _indexed(data: Path) -> int:
    db = data / "index.db"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
def test_sigkill_during_a_big_ingest_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    jsonl = tmp_path / "articles.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for n in range(5000):
            body = f"Police in city {n} arrested {n} suspects of telecom fraud. " * 5
            out.write(
                json.dumps(
                    {"url": f"https://example.org/a/{n}", "title": f"Report {n}", "body": body}
                )
                + "\n"
            )
    env = {
        **os.environ,
        "MONITOR_DATA_DIR": str(data),
        "MONITOR_LOG__LEVEL": "WARNING",
        "MONITOR_PIPELINE__BATCH_SIZE": "100",
    }
    proc = subprocess.Popen(
        [*MONITOR, "ingest", str(jsonl)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _indexed(data) < 500 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = _indexed(data)
    assert 0 < killed_at < 5000

    done = monitor(data, "ingest", str(jsonl))
    assert "the index holds 5000" in done.stdout
    with sqlite3.connect(data / "index.db") as conn:
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT id) FROM articles"
        ).fetchone()
        fts = conn.execute("SELECT count(*) FROM fts").fetchone()[0]
    assert total == distinct == fts == 5000
    found = json.loads(monitor(data, "search", '"city 4999"', "--json").stdout)
    assert found["total"] == 1


def test_replay_re_extracts_what_an_older_extractor_indexed(tmp_path: Path) -> None:
    from monitor.index.embedded import EmbeddedIndex
    from monitor.models import EnrichedArticle, Extraction

    monitor(tmp_path, "ingest", *sorted(str(p) for p in CORPUS.glob("*.txt")))
    index = EmbeddedIndex(tmp_path / "index.db")
    stale = [
        EnrichedArticle.of(doc, Extraction(extractor_version="0.0.1"))  # as an old extractor
        for doc in list(index.iter_articles())[:2]
    ]
    index.upsert_many(stale)
    index.close()
    done = monitor(tmp_path, "replay")
    assert "replayed 5 articles" in done.stdout
    assert "2 changed what was extracted" in done.stdout
    again = monitor(tmp_path, "replay")
    assert "0 changed" in again.stdout


def test_campaigns_read_as_words_with_qualifiers_in_80_columns(tmp_path: Path) -> None:
    from rich.cells import cell_len

    from monitor.models import Figure
    from monitor.web.format import figure_label

    monitor(tmp_path, "ingest", *sorted(str(p) for p in CORPUS.glob("*.txt")))
    found = json.loads(monitor(tmp_path, "campaigns", "--json").stdout)
    table = monitor(tmp_path, "campaigns", env={"COLUMNS": "80"}).stdout
    lines = table.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert "more than 80,000 arrested" in table  # the qualifier is kept
    assert "_" not in table  # measures as words: "cases solved", not cases_solved

    # every figure shown is whole on its line: nothing is broken mid-word or mid-figure
    for campaign in found:
        for figure in campaign["latest_figures"][:4]:
            label = figure_label(Figure.model_validate(figure))
            assert any(label in line for line in lines), (label, table)
