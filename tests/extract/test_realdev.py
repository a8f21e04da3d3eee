"""The development set (tests/data/realdev): every text loads and is annotated, every quote and
campaign mention is found in its text, and the scores overall and by class stay above their
floors (set just under today's scores, so a change that loses ground fails here; raise them as
the extractor improves).
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
    below = []
    for name, floors in FLOORS.items():
        scores = report.overall if name == "overall" else report.classes[name]
        got = {kind: score.f1 for kind, score in scores.scores.items()}
        got |= {
            "measure": scores.measure.value,
            "approx": scores.approx.value,
            "place": scores.place.value,
        }
        below += [
            f"{name} {kind}: {got[kind]:.3f} < {floor}"
            for kind, floor in floors.items()
            if got[kind] < floor
        ]
    assert not below, "\n".join(below)


# F1 of campaigns, figures, agencies and regions; accuracy of measure, approx and place (the
# matched figures' regions: held where it stands, which is well short of the others)
FLOORS: dict[str, dict[str, float]] = {
    "overall": {
        "campaigns": 0.94,
        "figures": 0.955,
        "agencies": 0.93,
        "regions": 0.90,
        "measure": 0.92,
        "approx": 0.97,
        "place": 0.80,
    },
    "English": {
        "campaigns": 0.98,
        "figures": 0.97,
        "agencies": 0.94,
        "regions": 0.96,
        "place": 0.91,
    },
    "Chinese simplified": {
        "campaigns": 0.95,
        "figures": 0.96,
        "agencies": 0.88,
        "regions": 0.92,
        "place": 0.80,
    },
    "Chinese traditional": {
        "campaigns": 0.80,
        "figures": 0.95,
        "agencies": 0.94,
        "regions": 0.92,
        "place": 0.75,
    },
    "negatives": {"campaigns": 0.83, "figures": 0.95, "agencies": 0.94, "regions": 0.78},
}


def test_traditional_forms_agreement_is_reported(extractor: Extractor) -> None:
    """Simplified texts converted with OpenCC s2hk and s2tw: agreement rate per kind, printed."""
    agreement = script_agreement(REALDEV, extractor)
    print(agreement.render())
    hans = [e for _, e in load_folder(REALDEV) if e["script"] == "Hans"]
    assert agreement.texts == len(hans)
    for conversion in ("s2hk", "s2tw"):
        for kind in ("campaigns", "figures", "agencies", "regions"):
            assert agreement.rate(conversion, kind) >= 0.99, (conversion, kind)
