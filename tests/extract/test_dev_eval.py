"""The dev set: the thresholds of issue 8, measured by evaluate() on tests/data/dev."""

from __future__ import annotations

import json

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
    assert "measure accuracy" in evaluate(DEV / "gold.json", DEV / "corpus", extractor).render()
