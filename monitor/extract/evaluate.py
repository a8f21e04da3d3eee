"""Scoring the extractor against a gold file: precision, recall and F1 per kind of entity.

Campaigns match by canonical name (case-insensitive); figures by value and unit, with
overlapping quotes first, then the same value anywhere in the document; agencies and regions by
normalised name. Measure and approx accuracy are over matched figures.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError
from monitor.extract import Extractor
from monitor.ingest import read_text
from monitor.models import Article, Extraction, Figure


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


KINDS = ("campaigns", "figures", "agencies", "regions")


@dataclass
class EvalReport:
    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    measure: Accuracy = field(default_factory=Accuracy)
    approx: Accuracy = field(default_factory=Accuracy)
    documents: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            **{kind: score.to_dict() for kind, score in self.scores.items()},
            "measure_accuracy": round(self.measure.value, 4),
            "approx_accuracy": round(self.approx.value, 4),
            "documents": self.documents,
        }

    def render(self) -> str:
        lines = [f"{'':12}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}"]
        for kind, s in self.scores.items():
            lines.append(
                f"{kind:12}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp:5}{s.fp:5}{s.fn:5}"
            )
        lines.append(
            f"measure accuracy {self.measure.value:.3f} ({self.measure.right}/{self.measure.total})"
        )
        lines.append(
            f"approx accuracy  {self.approx.value:.3f} ({self.approx.right}/{self.approx.total})"
        )
        for doc in self.documents:
            problems = {k: v for k, v in doc.items() if k != "file" and v}
            if not problems:
                continue
            lines.append(f"\n{doc['file']}")
            for key, items in problems.items():
                for item in items:
                    lines.append(f"  {key}: {item}")
        return "\n".join(lines)


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("’", "'")).strip().lower()


def _names(
    report: EvalReport, kind: str, gold: list[str], got: list[str], doc: dict[str, Any]
) -> None:
    g = {_norm(x): x for x in gold}
    p = {_norm(x): x for x in got}
    score = report.scores[kind]
    score.tp += len(g.keys() & p.keys())
    score.fn += len(g.keys() - p.keys())
    score.fp += len(p.keys() - g.keys())
    doc[f"{kind}_missed"] = sorted(g[k] for k in g.keys() - p.keys())
    doc[f"{kind}_false"] = sorted(p[k] for k in p.keys() - g.keys())


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    return [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)]


def _figures(
    report: EvalReport,
    text: str,
    gold: list[dict[str, Any]],
    got: list[Figure],
    doc: dict[str, Any],
) -> None:
    free = list(range(len(got)))
    pairs: list[tuple[dict[str, Any], Figure]] = []
    unmatched: list[dict[str, Any]] = []
    for overlap_pass in (True, False):
        rest = []
        for g in gold if overlap_pass else unmatched:
            spans = _spans(text, g["quote"])
            hit = None
            for i in free:
                f = got[i]
                if abs(f.value - float(g["value"])) > 1e-6 or f.unit != g["unit"]:
                    continue
                if not overlap_pass or any(s < f.end and f.start < e for s, e in spans):
                    hit = i
                    break
            if hit is None:
                rest.append(g)
            else:
                free.remove(hit)
                pairs.append((g, got[hit]))
        unmatched = rest
    score = report.scores["figures"]
    score.tp += len(pairs)
    score.fn += len(unmatched)
    score.fp += len(free)
    for g, f in pairs:
        report.measure.total += 1
        report.approx.total += 1
        report.measure.right += f.measure == g["measure"]
        report.approx.right += f.approx == g["approx"]
        if f.measure != g["measure"] or f.approx != g["approx"]:
            doc["figures_mislabelled"].append(
                f"{g['quote']!r}: measure {f.measure} (gold {g['measure']}), "
                f"approx {f.approx} (gold {g['approx']})"
            )
    doc["figures_missed"] = [f"{g['quote']!r} = {g['value']} {g['unit']}" for g in unmatched]
    doc["figures_false"] = [
        f"{got[i].quote!r} = {got[i].value:g} {got[i].unit} {got[i].measure}" for i in free
    ]


def evaluate(gold: Path, corpus: Path, extractor: Extractor | None = None) -> EvalReport:
    """Run the extractor over the gold file's documents in `corpus` and score it."""
    try:
        entries = json.loads(gold.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{gold}: cannot read the gold file: {exc}") from None
    extractor = extractor or Extractor()
    report = EvalReport()
    for entry in entries:
        path = corpus / entry["file"]
        if not path.is_file():
            raise ConfigError(f"{gold}: {entry['file']} is not in {corpus}")
        article = read_text(path)
        result: Extraction = extractor.extract(article)
        doc: dict[str, Any] = {"file": entry["file"], "figures_mislabelled": []}
        _names(
            report,
            "campaigns",
            [c["canonical"] for c in entry.get("campaigns", [])],
            [c.canonical for c in result.campaigns],
            doc,
        )
        _figures(report, article.text, entry.get("figures", []), list(result.figures), doc)
        _names(report, "agencies", entry.get("agencies", []), list(result.agencies), doc)
        _names(report, "regions", entry.get("regions", []), list(result.regions), doc)
        report.documents.append(doc)
    return report


def evaluate_relevance(labelled: Path, extractor: Extractor | None = None) -> Score:
    """Precision and recall of `relevance.relevant` on JSON lines of {title, body, relevant}."""
    extractor = extractor or Extractor()
    score = Score()
    for n, line in enumerate(labelled.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            article = Article(id=f"r{n}", title=item["title"], body=item.get("body", ""))
            expected = bool(item["relevant"])
        except (ValueError, KeyError) as exc:
            raise ConfigError(f"{labelled}: line {n} is not a labelled article: {exc}") from None
        got = extractor.extract(article).relevance.relevant
        score.tp += got and expected
        score.fp += got and not expected
        score.fn += expected and not got
    return score
