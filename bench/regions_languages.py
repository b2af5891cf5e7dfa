"""Country precision, recall and F1 per teaser language, with and without the language's names.

Run: .venv/bin/python bench/regions_languages.py [--misses]
Reads bench/data/teasers_<lang>.tsv (countries TAB title TAB summary; "-" for no country),
micro-averaged over items. "English tables" classifies the same teasers as if they were English,
the alternative the language's own names are measured against.
"""

from __future__ import annotations

import sys
from pathlib import Path

from regions_accuracy import Score  # the same scoring as the English figures

from bot.core.regions import classify

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("es", "pt", "fr", "de")


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
