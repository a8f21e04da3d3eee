"""Scoring the extractor against gold annotations: precision, recall and F1 per kind of entity.

Campaigns match by canonical name (case-insensitive); figures by value and unit, with
overlapping quotes first, then the same value anywhere in the document; agencies and regions by
normalised name. Measure, approx and place (the figure's region) accuracy are over matched
figures; relevance and
about_chinese_police accuracy over the documents whose gold gives them. A folder of gold files
(`gold*.json` beside `corpus/`) is scored overall and by class: English, Chinese simplified,
Chinese traditional, and the negatives (`_neg_` in the file name) apart from their language.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError
from monitor.extract import Extractor
from monitor.extract.lexicon import current_measure
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

    def __str__(self) -> str:
        return f"{self.value:.3f} ({self.right}/{self.total})"


KINDS = ("campaigns", "figures", "agencies", "regions")
CLASSES = ("English", "Chinese simplified", "Chinese traditional", "negatives")
_SCRIPT_CLASS = {"Latn": "English", "Hans": "Chinese simplified", "Hant": "Chinese traditional"}
_FIGURE_FIELDS = ("quote", "value", "unit", "measure", "approx", "region")
_LIST_FIELDS = ("campaigns", "figures", "agencies", "regions")
_ENTRY_FIELDS = ("file", *_LIST_FIELDS)
# a folder of gold files also says each text's script, whether it is an enforcement
# announcement at all, and whether it is about Chinese police
_FOLDER_FIELDS = ("title", "script", "relevant", "about_chinese_police")


@dataclass
class EvalReport:
    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    measure: Accuracy = field(default_factory=Accuracy)
    approx: Accuracy = field(default_factory=Accuracy)
    place: Accuracy = field(default_factory=Accuracy)  # a matched figure's region
    relevance: Accuracy = field(default_factory=Accuracy)
    about_chinese_police: Accuracy = field(default_factory=Accuracy)
    documents: list[dict[str, Any]] = field(default_factory=list)

    def add(self, other: EvalReport) -> None:
        """Fold another report's counts (not its documents) into this one."""
        for kind, s in other.scores.items():
            mine = self.scores[kind]
            mine.tp, mine.fp, mine.fn = mine.tp + s.tp, mine.fp + s.fp, mine.fn + s.fn
        for name in ("measure", "approx", "place", "relevance", "about_chinese_police"):
            mine_acc, theirs = getattr(self, name), getattr(other, name)
            mine_acc.right += theirs.right
            mine_acc.total += theirs.total

    def summary(self) -> dict[str, Any]:
        data: dict[str, Any] = {kind: score.to_dict() for kind, score in self.scores.items()}
        data["measure_accuracy"] = round(self.measure.value, 4)
        data["approx_accuracy"] = round(self.approx.value, 4)
        data["place_accuracy"] = round(self.place.value, 4)
        if self.relevance.total:
            data["relevance_accuracy"] = round(self.relevance.value, 4)
            data["about_chinese_police_accuracy"] = round(self.about_chinese_police.value, 4)
        return data

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary(), "documents": self.documents}

    def render_scores(self) -> list[str]:
        lines = [f"{'':12}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}"]
        for kind, s in self.scores.items():
            lines.append(
                f"{kind:12}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp:5}{s.fp:5}{s.fn:5}"
            )
        lines.append(f"measure accuracy {self.measure}")
        lines.append(f"approx accuracy  {self.approx}")
        lines.append(f"place accuracy   {self.place} (the figures' regions)")
        if self.relevance.total:
            lines.append(f"relevance accuracy            {self.relevance}")
            lines.append(f"about_chinese_police accuracy {self.about_chinese_police}")
        return lines

    def render(self) -> str:
        return "\n".join(self.render_scores() + _render_documents(self.documents))


def _render_documents(documents: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for doc in documents:
        problems = {k: v for k, v in doc.items() if k not in ("file", "class") and v}
        if not problems:
            continue
        lines.append(f"\n{doc['file']}")
        for key, items in problems.items():
            for item in items:
                lines.append(f"  {key}: {item}")
    return lines


@dataclass
class FolderReport:
    """A folder's scores: overall, and one report per class of text."""

    overall: EvalReport = field(default_factory=EvalReport)
    classes: dict[str, EvalReport] = field(default_factory=dict)
    texts: Counter[str] = field(default_factory=Counter)

    @property
    def documents(self) -> list[dict[str, Any]]:
        return self.overall.documents

    def to_dict(self) -> dict[str, Any]:
        return {
            "texts": {"overall": sum(self.texts.values()), **self.texts},
            "overall": self.overall.summary(),
            "classes": {name: report.summary() for name, report in self.classes.items()},
            "documents": self.overall.documents,
        }

    def render(self) -> str:
        head = f"{'':20}{'texts':>6}{'camp':>7}{'fig':>7}{'agency':>7}{'region':>7}"
        head += f"{'meas':>7}{'approx':>7}{'place':>7}{'relev':>7}{'about':>7}"
        lines = ["F1 by class, and accuracy over matched figures and over texts:", head]
        rows = [("overall", self.overall, sum(self.texts.values()))]
        rows += [
            (name, r, self.texts[name]) for name, r in self.classes.items() if self.texts[name]
        ]
        for name, report, n in rows:
            s = report.scores
            cells = [s[k].f1 for k in KINDS] + [
                report.measure.value,
                report.approx.value,
                report.place.value,
                report.relevance.value,
                report.about_chinese_police.value,
            ]
            lines.append(f"{name:20}{n:6}" + "".join(f"{c:7.3f}" for c in cells))
        for name, report, n in rows:
            lines.append(f"\n{name} ({n} texts)")
            lines.extend(report.render_scores())
        return "\n".join(lines + _render_documents(self.overall.documents))


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
        gold_measure = current_measure(g["measure"])  # a gold file may use a former name
        report.measure.right += f.measure == gold_measure
        report.approx.right += f.approx == g["approx"]
        report.place.total += 1
        if _places(f.region) == _places(g.get("region")):
            report.place.right += 1
        else:
            doc["figures_misplaced"].append(
                f"{g['quote']!r}: region {f.region or 'none'} (gold {g.get('region') or 'none'})"
            )
        if f.measure != gold_measure or f.approx != g["approx"]:
            doc["figures_mislabelled"].append(
                f"{g['quote']!r}: measure {f.measure} (gold {g['measure']}), "
                f"approx {f.approx} (gold {g['approx']})"
            )
    doc["figures_missed"] = [f"{g['quote']!r} = {g['value']} {g['unit']}" for g in unmatched]
    doc["figures_false"] = [
        f"{got[i].quote!r} = {got[i].value:g} {got[i].unit} {got[i].measure}" for i in free
    ]


def _places(region: str | None) -> set[str]:
    """A figure's region as a set of names: "Jiangsu, Zhejiang" is "Zhejiang, Jiangsu"."""
    return {_norm(name) for name in (region or "").split(",") if name.strip()}


def load_gold(gold: Path, *, folder_fields: bool = False) -> list[dict[str, Any]]:
    """The entries of a gold file, each checked for the fields scoring reads.

    Raises ConfigError, in one line naming the file and the entry, when the file is not a
    JSON list of objects or an entry lacks a field (with `folder_fields`, also the title,
    script, relevant and about_chinese_police a folder's gold files give).
    """
    try:
        entries = json.loads(gold.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{gold}: cannot read the gold file: {exc}") from None
    if not isinstance(entries, list):
        raise ConfigError(f"{gold}: not a gold file: it must be a JSON list of objects")
    wanted = _ENTRY_FIELDS + (_FOLDER_FIELDS if folder_fields else ())
    for n, entry in enumerate(entries, 1):
        name = entry.get("file") if isinstance(entry, dict) else None
        where = f"{gold}: not a gold file: entry {n}" + (
            f" ({name})" if isinstance(name, str) else ""
        )
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} is not a JSON object")
        missing = [key for key in wanted if key not in entry]
        if missing:
            raise ConfigError(f"{where} lacks {', '.join(missing)}")
        wrong = [k for k in _LIST_FIELDS if not isinstance(entry[k], list)]
        if wrong:
            raise ConfigError(f"{where}: {', '.join(wrong)} must be a list")
        if folder_fields and entry["script"] not in _SCRIPT_CLASS:
            raise ConfigError(f"{where}: script {entry['script']!r} is not Latn, Hans or Hant")
        for m, figure in enumerate(entry["figures"], 1):
            lacks = [k for k in _FIGURE_FIELDS if not isinstance(figure, dict) or k not in figure]
            if lacks:
                raise ConfigError(f"{where}: figure {m} lacks {', '.join(lacks)}")
        for m, campaign in enumerate(entry["campaigns"], 1):
            if not isinstance(campaign, dict) or "canonical" not in campaign:
                raise ConfigError(f"{where}: campaign {m} lacks canonical")
    return entries


def read_entry(gold: Path, corpus: Path, entry: dict[str, Any]) -> Article:
    path = corpus / entry["file"]
    if not path.is_file():
        raise ConfigError(f"{gold}: entry {entry['file']!r}: no such file in {corpus}")
    return read_text(path)


def _score(
    report: EvalReport, entry: dict[str, Any], article: Article, result: Extraction
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "file": entry["file"],
        "figures_mislabelled": [],
        "figures_misplaced": [],
    }
    _names(
        report,
        "campaigns",
        [c["canonical"] for c in entry["campaigns"]],
        [c.canonical for c in result.campaigns],
        doc,
    )
    _figures(report, article.text, entry["figures"], list(result.figures), doc)
    _names(report, "agencies", entry["agencies"], list(result.agencies), doc)
    _names(report, "regions", entry["regions"], list(result.regions), doc)
    for name in ("relevant", "about_chinese_police"):
        if name not in entry:
            continue
        expected, got = bool(entry[name]), getattr(result.relevance, name)
        accuracy = report.relevance if name == "relevant" else report.about_chinese_police
        accuracy.total += 1
        accuracy.right += got == expected
        doc[f"{name}_wrong"] = [] if got == expected else [f"{got} (gold {expected})"]
    report.documents.append(doc)
    return doc


def evaluate(gold: Path, corpus: Path, extractor: Extractor | None = None) -> EvalReport:
    """Run the extractor over the gold file's documents in `corpus` and score it."""
    entries = load_gold(gold)
    extractor = extractor or Extractor()
    report = EvalReport()
    for entry in entries:
        article = read_entry(gold, corpus, entry)
        _score(report, entry, article, extractor.extract(article))
    return report


def text_class(entry: dict[str, Any]) -> str:
    """English, Chinese simplified, Chinese traditional, or negatives (`_neg_` in the name)."""
    if "_neg_" in entry["file"]:
        return "negatives"
    return _SCRIPT_CLASS[entry["script"]]


def gold_files(folder: Path) -> list[Path]:
    """The gold files of a development folder, which must also hold `corpus/`."""
    if not (folder / "corpus").is_dir():
        raise ConfigError(f"{folder}: no corpus/ folder of texts in it")
    files = sorted(folder.glob("gold*.json"))
    if not files:
        raise ConfigError(f"{folder}: no gold*.json file in it")
    return files


def load_folder(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every (gold file, entry) of a folder, checked; a text annotated twice is an error."""
    seen: dict[str, Path] = {}
    entries: list[tuple[Path, dict[str, Any]]] = []
    for gold in gold_files(folder):
        for entry in load_gold(gold, folder_fields=True):
            if entry["file"] in seen:
                raise ConfigError(
                    f"{gold}: {entry['file']} is annotated in {seen[entry['file']]} too"
                )
            seen[entry["file"]] = gold
            entries.append((gold, entry))
    return entries


def evaluate_folder(folder: Path, extractor: Extractor | None = None) -> FolderReport:
    """Score every text of a development folder, overall and by class."""
    extractor = extractor or Extractor()
    entries = load_folder(folder)
    report = FolderReport(classes={name: EvalReport() for name in CLASSES})
    for gold, entry in entries:
        article = read_entry(gold, folder / "corpus", entry)
        name = text_class(entry)
        part = report.classes[name]
        doc = _score(part, entry, article, extractor.extract(article))
        report.overall.documents.append({"file": doc["file"], "class": name, **doc})
        report.texts[name] += 1
    for part in report.classes.values():
        report.overall.add(part)
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
