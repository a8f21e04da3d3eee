"""The extractor's rule modules run compiled with mypyc (setup.py), with the results of the
Python sources, and a compiled module older than its source is reported rather than run quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from monitor.extract import Extractor, compiled
from monitor.extract.text import detect_lang
from monitor.ingest import read_text
from monitor.models import Article

from .conftest import DEV, ROOT

# imports monitor.extract from the .py sources even where compiled modules stand beside them
_PURE_PYTHON = """
import importlib.abc, importlib.util, json, sys
from pathlib import Path

class PreferSource(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.startswith("monitor.extract.") and path:
            source = Path(list(path)[0]) / (name.rsplit(".", 1)[1] + ".py")
            if source.exists():
                return importlib.util.spec_from_file_location(name, source)
        return None

sys.meta_path.insert(0, PreferSource())
from monitor.extract import Extractor, figures_en
from monitor.models import Article
assert figures_en.__file__.endswith(".py"), figures_en.__file__
extractor = Extractor()
articles = [Article.model_validate(a) for a in json.load(sys.stdin)]
json.dump([extractor.extract(a).model_dump(mode="json") for a in articles], sys.stdout)
"""


def _articles() -> list[Article]:
    """The dev corpus, the labelled relevance items and the demo's English and Chinese feeds."""
    out = [read_text(p) for p in sorted((DEV / "corpus").glob("*.txt"))]
    for i, line in enumerate(
        (ROOT / "tests/extract/data/relevance.jsonl").read_text().splitlines()
    ):
        item = json.loads(line)
        out.append(Article(id=f"r{i}", title=item["title"], body=item["body"]))
    for feed in sorted((ROOT / "monitor/demo/feeds").glob("*.xml")):
        for i, entry in enumerate(feedparser.parse(feed.read_bytes()).entries):
            out.append(Article(id=f"{feed.stem}{i}", title=entry.title, body=entry.summary))
    return out


def test_doctor_says_the_extractor_is_compiled(tmp_path: Path) -> None:
    """`make test` tests the compiled rules (unless MONITOR_PURE_PYTHON asked for none), and
    `monitor doctor` says which."""
    done = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "doctor"],
        capture_output=True,
        text=True,
        env={**os.environ, "MONITOR_DATA_DIR": str(tmp_path), "MONITOR_SMTP__PORT": "9"},
        timeout=60,
    )
    line = next(x for x in done.stdout.splitlines() if x.split()[1:2] == ["extractor"])
    expected = "pure Python" if os.environ.get("MONITOR_PURE_PYTHON") else "compiled with mypyc"
    assert line.split()[0] == "ok" and expected in line, done.stdout


def test_compiled_and_python_sources_extract_the_same(extractor: Extractor) -> None:
    """Campaigns, figures, entities and relevance, field for field, in both languages."""
    articles = _articles()
    assert len(articles) > 60 and any(detect_lang(a.text) == "zh" for a in articles)
    done = subprocess.run(
        [sys.executable, "-c", _PURE_PYTHON],
        input=json.dumps([a.model_dump(mode="json") for a in articles]),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    pure = json.loads(done.stdout)
    for article, expected in zip(articles, pure, strict=True):
        assert extractor.extract(article).model_dump(mode="json") == expected, article.id


def _stale_module(package: Path, monkeypatch: pytest.MonkeyPatch, module: str) -> Path:
    """A checkout in `package` whose compiled `module` is older than its source; the binary."""
    binary = package / f"{module}.cpython-311-x86_64-linux-gnu.so"
    source = package / f"{module}.py"
    binary.parent.mkdir(parents=True, exist_ok=True)
    binary.write_bytes(b"")
    source.write_text("")
    os.utime(binary, (1_000, 1_000))
    os.utime(source, (2_000, 2_000))
    monkeypatch.setattr(compiled, "_PACKAGE", package)
    monkeypatch.setattr(compiled, "_CHECKOUT", True)
    return binary


def test_a_compiled_module_older_than_its_source_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit without a rebuild would run the old rules: doctor, the Makefile and the test
    session say which module and what to run."""
    binary = _stale_module(tmp_path, monkeypatch, "figures_en")
    assert compiled.stale() == ["figures_en"]
    assert "figures_en older than the source" in compiled.describe()
    assert "make compile" in compiled.describe()
    with pytest.raises(RuntimeError, match="figures_en"):
        compiled.check()
    os.utime(binary, (3_000, 3_000))
    assert compiled.stale() == []
    assert compiled.describe() == "compiled with mypyc (1 modules)"


def test_a_stale_module_of_a_language_folder_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rules of en/ and zh/ are compiled too, and checked like the others."""
    binary = _stale_module(tmp_path, monkeypatch, "zh/entities")
    assert compiled.stale() == ["zh/entities"]
    assert "zh/entities older than the source" in compiled.describe()
    os.utime(binary, (3_000, 3_000))
    assert compiled.describe() == "compiled with mypyc (1 modules)"
