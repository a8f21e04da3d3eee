"""`monitor ingest` of JSON lines with bad lines among good ones: every good line is
ingested, each refused line is named with its reason, dead letters are counted apart, and
the exit status says something went wrong."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import monitor


def test_every_good_line_is_ingested_and_each_bad_one_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    jsonl = tmp_path / "articles.jsonl"
    good = [
        {"url": f"https://example.org/{n}", "title": f"Report {n}", "body": f"Police case {n}."}
        for n in range(4)
    ]
    huge = {"url": "https://example.org/huge", "title": "Huge", "body": "fraud " * 2000}
    lines = [
        json.dumps(good[0]),
        json.dumps(good[1]),
        '{"title": "cut short',  # line 3: malformed
        json.dumps(good[2]),
        json.dumps(huge),  # line 5: over pipeline.max_message_bytes
        '["a list"]',  # line 6: not an object
        json.dumps(good[3]),
    ]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = monitor(
        data,
        "ingest",
        str(jsonl),
        check=False,
        env={"MONITOR_PIPELINE__MAX_MESSAGE_BYTES": "4096"},
    )
    assert "Traceback" not in done.stderr
    assert "ingested 4 articles, refused 2, dead-lettered 1; the index holds 4" in done.stdout
    assert done.returncode == 1
    assert f"refused {jsonl}:3: not JSON" in done.stderr
    assert f"refused {jsonl}:6: not a JSON object" in done.stderr
    assert f"dead-lettered {jsonl}:5: message of" in done.stderr
    assert "pipeline.max_message_bytes" in done.stderr
    found = json.loads(monitor(data, "search", "--all", "--json", "--size", "20").stdout)
    assert sorted(h["title"] for h in found["hits"]) == [f"Report {n}" for n in range(4)]


def test_a_clean_ingest_exits_0(tmp_path: Path) -> None:
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_text(json.dumps({"title": "Police report", "body": "Text."}) + "\n")
    done = monitor(tmp_path / "data", "ingest", str(jsonl))
    assert done.returncode == 0
    assert "ingested 1 articles; the index holds 1" in done.stdout
