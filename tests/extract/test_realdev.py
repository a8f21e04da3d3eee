"""The development set of issue 13 (tests/data/realdev): every text loads and is annotated,
every quote and campaign mention is found in its text, and the scores by class are printed.

The score floors are set once the set is complete; until then this test shows them.
"""

from __future__ import annotations

import time

from monitor.extract import Extractor
from monitor.extract.agreement import script_agreement
from monitor.extract.evaluate import CLASSES, evaluate_folder, load_folder, read_entry

from .conftest import ROOT

REALDEV = ROOT / "tests" / "data" / "realdev"


def test_every_text_is_annotated_and_every_quote_is_in_its_text() -> None:
    entries = load_folder(REALDEV)
    annotated = {entry["file"] for _, entry in entries}
    texts = {path.name for path in (REALDEV / "corpus").glob("*.txt")}
    assert texts == annotated, (
        f"texts without gold: {sorted(texts - annotated)}; "
        f"gold without text: {sorted(annotated - texts)}"
    )
    problems = []
    for gold, entry in entries:
        text = read_entry(gold, REALDEV / "corpus", entry).text
        if not text.startswith(entry["title"]):
            problems.append(f"{entry['file']}: title is not the first line")
        for figure in entry["figures"]:
            if figure["quote"] not in text:
                problems.append(f"{entry['file']}: quote not in the text: {figure['quote']!r}")
        for campaign in entry["campaigns"]:
            if campaign["mention"] not in text:
                problems.append(
                    f"{entry['file']}: mention not in the text: {campaign['mention']!r}"
                )
    assert not problems, "\n".join(problems)


def test_scores_by_class(extractor: Extractor) -> None:
    """Loads every text of every class; prints the scores overall and by class."""
    started = time.perf_counter()
    report = evaluate_folder(REALDEV, extractor)
    print(report.render())
    print(f"\nscored {sum(report.texts.values())} texts in {time.perf_counter() - started:.1f}s")
    assert sum(report.texts.values()) == len(list((REALDEV / "corpus").glob("*.txt")))
    assert set(report.texts) <= set(CLASSES)
    assert report.texts["English"] and report.texts["negatives"]


def test_traditional_forms_agreement_is_reported(extractor: Extractor) -> None:
    """Simplified texts converted with OpenCC s2hk and s2tw: agreement rate per kind, printed."""
    agreement = script_agreement(REALDEV, extractor)
    print(agreement.render())
    hans = [e for _, e in load_folder(REALDEV) if e["script"] == "Hans"]
    assert agreement.texts == len(hans)
