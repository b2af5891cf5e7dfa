"""Country precision, recall and F1 per teaser language, with and without the language's names.

Run: .venv/bin/python bench/regions_languages.py [--misses]
Reads bench/data/teasers_<lang>.tsv (countries TAB title TAB summary; "-" for no country),
micro-averaged over items. "English tables" classifies the same teasers as if they were English,
the alternative the language's own names are measured against.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from bot.regions import classify

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("es", "pt", "fr", "de")


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
        """Precision, recall, F1."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load(language: str) -> list[tuple[set[str], str, str]]:
    """The labelled teasers of one language."""
    rows = []
    text = (DATA / f"teasers_{language}.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        codes, title, summary = line.split("\t")
        rows.append((set() if codes == "-" else set(codes.split()), title, summary))
    return rows


def evaluate(language: str, as_language: str | None) -> tuple[Score, list[str], int]:
    """Score one language's set classified with ``as_language``'s tables."""
    score, misses = Score(), []
    rows = load(language)
    for want, title, summary in rows:
        got = set(classify(title, summary, language=as_language).countries)
        score.add(got, want)
        if got != want:
            misses.append(f"got {sorted(got)} want {sorted(want)}: {title}")
    return score, misses, len(rows)


def main() -> None:
    """Print the table, and the misses with --misses."""
    show = "--misses" in sys.argv
    print("| language | teasers | with its names: P / R / F1 | English tables: P / R / F1 |")
    print("|---|---|---|---|")
    all_misses = []
    for language in LANGUAGES:
        own, misses, n = evaluate(language, language)
        base, _, _ = evaluate(language, None)
        p, r, f = own.prf()
        bp, br, bf = base.prf()
        print(
            f"| {language} | {n} | {p:.3f} / {r:.3f} / **{f:.3f}** "
            f"| {bp:.3f} / {br:.3f} / {bf:.3f} |"
        )
        all_misses += [f"  {language}: {m}" for m in misses]
    print(f"misses: {len(all_misses)}")
    if show:
        print("\n".join(all_misses))


if __name__ == "__main__":
    main()
