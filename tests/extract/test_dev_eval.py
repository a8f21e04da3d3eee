"""The dev set: the thresholds of issue 8, measured by evaluate() on tests/data/dev; and
`monitor eval` on a development folder (corpus/ and gold*.json), by class."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from monitor.cli import app
from monitor.extract import Extractor
from monitor.extract.evaluate import evaluate

from .conftest import DEV


def test_dev_set_meets_the_thresholds(extractor: Extractor) -> None:
    """Campaign and figure F1 >= 0.95, measure >= 0.9, approx >= 0.95, agencies/regions >= 0.9."""
    report = evaluate(DEV / "gold.json", DEV / "corpus", extractor)
    print(report.render())
    s = report.scores
    assert s["campaigns"].f1 >= 0.95
    assert s["figures"].f1 >= 0.95
    assert report.measure.value >= 0.9
    assert report.approx.value >= 0.95
    assert s["agencies"].f1 >= 0.9
    assert s["regions"].f1 >= 0.9


def test_report_is_json_ready_with_per_document_detail(extractor: Extractor) -> None:
    """to_dict() serialises, and lists each document's misses and false positives."""
    data = evaluate(DEV / "gold.json", DEV / "corpus", extractor).to_dict()
    json.dumps(data)
    assert len(data["documents"]) == 5
    assert {"figures_missed", "figures_false", "campaigns_missed"} <= set(data["documents"][0])
    report = evaluate(DEV / "gold.json", DEV / "corpus", extractor)
    assert "measure accuracy" in report.render()
    assert "place accuracy   1.000 (74/74)" in report.render()
    assert report.summary()["place_accuracy"] == 1.0


def _folder(tmp_path: Path, edit: Callable[[list[dict[str, Any]]], None] | None = None) -> Path:
    """The dev set laid out as a development folder: corpus/ and one gold file per class."""
    shutil.copytree(DEV / "corpus", tmp_path / "corpus")
    entries = json.loads((DEV / "gold.json").read_text(encoding="utf-8"))
    for entry in entries:
        entry.update(script="Latn", relevant=True, about_chinese_police=True)
    negative = entries[4]
    (tmp_path / "corpus" / negative["file"]).rename(tmp_path / "corpus" / "en_004_neg_x.txt")
    negative["file"] = "en_004_neg_x.txt"
    if edit:
        edit(entries)
    (tmp_path / "gold-en.json").write_text(json.dumps(entries[:3]), encoding="utf-8")
    (tmp_path / "gold-more.json").write_text(json.dumps(entries[3:]), encoding="utf-8")
    return tmp_path


def _eval(*args: str) -> Result:
    return CliRunner().invoke(app, ["eval", *args], catch_exceptions=False)


def test_a_folder_is_scored_overall_and_by_class(tmp_path: Path) -> None:
    """Every gold*.json of the folder is read; negatives (`_neg_`) are a class of their own."""
    done = _eval(str(_folder(tmp_path)))
    assert done.exit_code == 0, done.output
    table = done.output.splitlines()[:4]
    assert table[2].split()[:2] == ["overall", "5"]
    assert table[3].split()[:2] == ["English", "4"]
    assert "negatives (1 texts)" in done.output
    assert "about_chinese_police accuracy 1.000 (5/5)" in done.output
    data = json.loads(_eval(str(tmp_path), "--json").output)
    assert data["texts"] == {"overall": 5, "English": 4, "negatives": 1}
    assert (
        data["classes"]["negatives"]["figures"]["tp"] + data["classes"]["English"]["figures"]["tp"]
        == (data["overall"]["figures"]["tp"])
    )
    assert {d["class"] for d in data["documents"]} == {"English", "negatives"}


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (lambda e: e[1].pop("relevant"), "entry 2 (001_5c588732cdbd6a14.txt) lacks relevant"),
        (lambda e: e[0]["figures"][2].pop("approx"), "(000_aaf4f15c1260e02a.txt): figure 3 lacks"),
        (lambda e: e[3].update(file="gone.txt"), "entry 'gone.txt': no such file in"),
        (lambda e: e[2].update(script="Cyrl"), "script 'Cyrl' is not Latn, Hans or Hant"),
        (lambda e: e.append(dict(e[0])), "is annotated in"),
    ],
    ids=["field", "figure-field", "missing-text", "script", "twice"],
)
def test_malformed_gold_is_one_line_naming_file_and_entry(
    tmp_path: Path, edit: Callable[[list[dict[str, Any]]], None], said: str
) -> None:
    done = _eval(str(_folder(tmp_path, edit)))
    assert done.exit_code == 2
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and "error:" in lines[0] and "gold-" in lines[0], done.output
    assert said in " ".join(done.output.split()), done.output


def test_a_folder_needs_its_corpus_and_gold_files(tmp_path: Path) -> None:
    assert "no corpus/ folder" in _eval(str(tmp_path)).output
    (tmp_path / "corpus").mkdir()
    assert "no gold*.json file" in _eval(str(tmp_path)).output


def test_scripts_agreement_converts_simplified_texts(tmp_path: Path) -> None:
    """--scripts extracts each simplified text as written and in s2hk and s2tw forms."""
    (tmp_path / "corpus").mkdir()
    text = (
        "公安部召开新闻发布会\n"
        "今年以来，全国公安机关共破获电信网络诈骗案件4.1万起，抓获犯罪嫌疑人1.2万名。"
    )
    (tmp_path / "corpus" / "zh_001_x.txt").write_text(text, encoding="utf-8")
    entry = {
        "file": "zh_001_x.txt",
        "title": "公安部召开新闻发布会",
        "script": "Hans",
        "relevant": True,
        "about_chinese_police": True,
        "campaigns": [],
        "figures": [],
        "agencies": ["Ministry of Public Security"],
        "regions": [],
    }
    (tmp_path / "gold-zh.json").write_text(json.dumps([entry]), encoding="utf-8")
    done = _eval(str(tmp_path), "--scripts")
    assert done.exit_code == 0, done.output
    assert "agreement of 1 simplified texts" in done.output
    rows = {line.split()[0]: line.split()[1:] for line in done.output.splitlines()[2:4]}
    assert set(rows) == {"s2hk", "s2tw"} and all(len(r) == 4 for r in rows.values())
    data = json.loads(_eval(str(tmp_path), "--scripts", "--json").output)
    assert data["texts"] == 1
    assert set(data["rates"]["s2tw"]) == {"campaigns", "figures", "agencies", "regions"}
