"""Classifier accuracy on the labelled teasers: country and sub-region P/R/F1, and the misses.

Run: .venv/bin/python bench/regions_accuracy.py [path/to/dev.jsonl]
Micro-averaged over items. Sub-regions are M49 names (intermediate region where M49 has one).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.core.regions import classify, subregion_names

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "regions" / "dev.jsonl"


@dataclass
class Score:
    """True positives, false positives and false negatives, summed over items."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, got: set[str], want: set[str]) -> None:
        """Count one item."""
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall, F1 (1.0 when there is nothing to find and nothing found)."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(path: Path) -> tuple[Score, Score, list[str]]:
    """Score every line of a labelled file; return country and sub-region scores and the misses."""
    countries, regions, misses = Score(), Score(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        got = classify(row["title"], row.get("summary", ""), row.get("categories", ()))
        got_c, want_c = set(got.countries), set(row["countries"])
        got_r, want_r = set(subregion_names(got.countries)), set(row["regions"])
        countries.add(got_c, want_c)
        regions.add(got_r, want_r)
        if got_c != want_c or got_r != want_r:
            misses.append(
                f"got {sorted(got_c)} want {sorted(want_c)}"
                f" (extra {sorted(got_c - want_c)}, missing {sorted(want_c - got_c)}): "
                f"{row['title'] or row.get('summary', '')[:80]}"
            )
    return countries, regions, misses


def main() -> None:
    """Print the figures and the misses."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEV
    if not path.exists():
        print(f"no labelled data at {path}")
        return
    countries, regions, misses = evaluate(path)
    for label, score in (("country", countries), ("sub-region", regions)):
        p, r, f = score.prf()
        print(f"{label:10} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    print(f"misses: {len(misses)}")
    for miss in misses:
        print("  " + miss)


if __name__ == "__main__":
    main()
