"""Relevance: enforcement announcements in, sport, weather, economy and culture items out."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.extract import Extractor
from monitor.extract.config import load_relevance
from monitor.extract.evaluate import evaluate_relevance
from monitor.models import Extraction

Run = Callable[..., Extraction]
LABELLED = Path(__file__).parent / "data" / "relevance.jsonl"
ROOT = Path(__file__).resolve().parents[2]


def test_precision_and_recall_on_labelled_items(extractor: Extractor) -> None:
    """45 short items of our own, both languages: 22 announcements, 23 ordinary news items
    (including traffic police closing roads and a police band concert)."""
    score = evaluate_relevance(LABELLED, extractor)
    print(f"relevance precision={score.precision:.3f} recall={score.recall:.3f}")
    assert score.precision >= 0.95 and score.recall >= 0.95


def test_irrelevant_items_carry_no_figures_or_campaigns(run: Run) -> None:
    """A sports item's numbers and 'operations' must not reach the index or the alerts."""
    ex = run(
        "Shandong Taishan win league opener",
        "Shandong Taishan scored twice in the second half to beat Beijing Guoan 2-1 in "
        'front of 40,000 fans; the club\'s "Blue Wave" campaign sold 20,000 season tickets.',
    )
    assert not ex.relevance.relevant
    assert ex.figures == () and ex.campaigns == ()


def test_figures_without_a_word_of_enforcement_make_no_announcement(run: Run) -> None:
    """A statistics release whose bureau and figures are all it has (no police, no arrest, no
    crime, no campaign) is no enforcement announcement, however many figures it reports."""
    ex = run(
        "Online retail sales up 9 pct in 2024",
        "Online retail sales rose 9 percent year on year to 16.1 trillion yuan, data from the "
        "National Bureau of Statistics showed. Sales of physical goods grew 6.5 percent to "
        "13.3 trillion yuan, accounting for 26.8 percent of total retail sales.",
    )
    assert not ex.relevance.relevant
    assert ex.figures == ()


def test_announcement_without_figures_is_relevant(run: Run) -> None:
    """A deployment notice with no numbers is still an enforcement announcement."""
    ex = run(
        "公安部部署开展“净网2024”专项行动",
        "公安部近日部署全国公安机关开展“净网2024”专项行动，重点打击黑客攻击等网络违法犯罪。",
    )
    assert ex.relevance.relevant and ex.relevance.score > 0.8


def test_whose_operation(run: Run) -> None:
    """An operation led by INTERPOL, Europol or another country's police is not a Chinese police
    announcement even with Chinese police taking part; one Chinese police lead with foreign
    partners is, and so is a Hong Kong police release."""
    foreign = run(
        "INTERPOL-led operation nets 1,200 fraud suspects",
        "An operation coordinated by INTERPOL across 20 countries, with police in China "
        "taking part, arrested 1,200 suspects of online fraud.",
    )
    assert not foreign.relevance.about_chinese_police
    cambodian = run(
        "柬埔寨警方突袭诈骗窝点", "柬埔寨警方在西哈努克突袭一处诈骗窝点，抓获嫌疑人300余名。"
    )
    assert not cambodian.relevance.about_chinese_police
    joint = run(
        "Chinese police, Myanmar partners repatriate 300 fraud suspects",
        "The Ministry of Public Security, together with Myanmar police, handed 300 suspects of "
        "telecom fraud over to Chinese police in Yunnan.",
    )
    assert joint.relevance.about_chinese_police
    hong_kong = run("警务处拘捕12人", "警务处今日拘捕12名涉嫌诈骗的男女。")
    assert hong_kong.relevance.about_chinese_police
    unrelated = run("Retail sales rose 7 percent", "Online retail sales rose 7 percent in 2023.")
    assert not unrelated.relevance.about_chinese_police


_WARDENS = (
    "Wardens tag 40 unlicensed e-bikes",
    "City wardens tagged 40 unlicensed e-bikes on Nanjing Road on Monday and towed 12 of them.",
)
_JUDGE = """
import sys
from monitor.extract import Extractor
from monitor.models import Article
title, body = sys.argv[1:3]
print(Extractor().extract(Article(id="a", title=title, body=body)).relevance.relevant)
"""


def _judge(folder: Path) -> subprocess.CompletedProcess[str]:
    """Relevance of the wardens' item as the extractor run in `folder` judges it (config/ there
    is read before the repository's)."""
    return subprocess.run(
        [sys.executable, "-c", _JUDGE, *_WARDENS],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_a_user_extends_the_relevance_words_without_code(tmp_path: Path) -> None:
    """config/relevance.toml holds the vocabulary: words added there count as the shipped ones."""
    assert _judge(tmp_path).stdout.split() == ["False"]
    shipped = (ROOT / "config" / "relevance.toml").read_text(encoding="utf-8")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "relevance.toml").write_text(
        shipped.replace("strong = [\n", 'strong = [\n    "wardens", "unlicensed", "towed",\n'),
        encoding="utf-8",
    )
    done = _judge(tmp_path)
    assert done.stdout.split() == ["True"], done.stderr


def test_a_wrong_relevance_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "relevance.toml"
    path.write_text('[words]\nstrong = ["arrest", " "]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"relevance\.toml: field `words\.strong`: .*empty"):
        load_relevance(path)
    path.write_text("[words]\nstrng = []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"relevance\.toml: field `words\.strng`"):
        load_relevance(path)
