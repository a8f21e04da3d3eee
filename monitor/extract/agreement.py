"""Script agreement: a simplified Chinese text and its traditional forms (OpenCC s2hk, s2tw)
should give the same campaigns, figures, agencies and regions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opencc

from monitor.extract import Extractor
from monitor.extract.evaluate import load_folder, read_entry
from monitor.models import Extraction

CONVERSIONS = ("s2hk", "s2tw")
KINDS = ("campaigns", "figures", "agencies", "regions")


def _items(result: Extraction, kind: str) -> Counter[Any]:
    if kind == "campaigns":
        return Counter({c.canonical for c in result.campaigns})
    if kind == "figures":
        return Counter((f.value, f.unit, f.measure, f.approx, f.region) for f in result.figures)
    return Counter(set(getattr(result, kind)))


@dataclass
class Agreement:
    """Per conversion and kind: items both sides found, items either side found, and the
    texts whose items differ (with what only one side found)."""

    both: Counter[tuple[str, str]] = field(default_factory=Counter)
    either: Counter[tuple[str, str]] = field(default_factory=Counter)
    texts: int = 0
    differences: list[dict[str, Any]] = field(default_factory=list)

    def rate(self, conversion: str, kind: str) -> float:
        key = (conversion, kind)
        return self.both[key] / self.either[key] if self.either[key] else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "texts": self.texts,
            "rates": {c: {k: round(self.rate(c, k), 4) for k in KINDS} for c in CONVERSIONS},
            "differences": self.differences,
        }

    def render(self) -> str:
        lines = [
            f"agreement of {self.texts} simplified texts with their traditional forms "
            "(items found on both sides / on either side):",
            f"{'':8}" + "".join(f"{k:>11}" for k in KINDS),
        ]
        for c in CONVERSIONS:
            lines.append(f"{c:8}" + "".join(f"{self.rate(c, k):11.3f}" for k in KINDS))
        for d in self.differences:
            lines.append(f"\n{d['file']} ({d['conversion']}) {d['kind']}")
            lines.append(f"  simplified only: {d['simplified_only']}")
            lines.append(f"  {d['conversion']} only: {d['converted_only']}")
        return "\n".join(lines)


def script_agreement(folder: Path, extractor: Extractor | None = None) -> Agreement:
    """Extract every simplified text of a development folder as written and as converted to
    Hong Kong and Taiwan traditional script, and count where the results agree."""
    extractor = extractor or Extractor()
    converters = {c: opencc.OpenCC(c) for c in CONVERSIONS}
    report = Agreement()
    for gold, entry in load_folder(folder):
        if entry["script"] != "Hans":
            continue
        article = read_entry(gold, folder / "corpus", entry)
        report.texts += 1
        original = extractor.extract(article)
        for name, converter in converters.items():
            converted = article.model_copy(
                update={
                    "title": converter.convert(article.title),
                    "body": converter.convert(article.body),
                }
            )
            result = extractor.extract(converted)
            for kind in KINDS:
                mine, theirs = _items(original, kind), _items(result, kind)
                report.both[name, kind] += sum((mine & theirs).values())
                report.either[name, kind] += sum((mine | theirs).values())
                if mine != theirs:
                    report.differences.append(
                        {
                            "file": entry["file"],
                            "conversion": name,
                            "kind": kind,
                            "simplified_only": sorted(map(str, mine - theirs)),
                            "converted_only": sorted(map(str, theirs - mine)),
                        }
                    )
    return report
