"""Topic micro-P/R/F1 on real teasers written by others, labelled by hand (issue 24).

Run: .venv/bin/python bench/topics.py [--split dev|held-out|test|final|fresh|tune|fresh2|all]
     [--document PREFIX] [--misses] [--speed]
     .venv/bin/python bench/topics.py --written [--misses]   (the es/pt teasers written here)

The labels (bench/data/topic_labels.tsv) were written and committed before the classifier
first read these teasers; they hold identifiers only. The text is read at run time from where
it lives: ``shared:regions/dev.jsonl`` by line number, ``shared:feeds/…`` (a saved feed, parsed
by the bot's own parser, with its categories) by guid or link, ``github:…`` from a local git
copy of that repository (TEASER_TEXTS, default /work/.mirror/<owner>+<name>/repo). A missing
source is skipped and said so. Each teaser is classified as the running bot does: with the
feed's categories and declared language (none declared: the language is guessed from the text).
Five batches, each labelled before the classifier read it: the first alternates dev / held-out
(tuned on dev; held-out measured once), the second is "test" (measured once, after dev and
held-out had both been tuned on), the third is "final" (measured once, after test had been tuned
on too), the fourth is "fresh" (217 teasers in en, es, pt, ru, de, labelled after all four had
been tuned on, measured once, then tuned on too), the fifth is "fresh2" (222 teasers in en, es,
pt, ru, labelled after fresh had been tuned on, measured once, then read too). "tune" is every
split: dev + held-out + test + final + fresh + fresh2.
"""

from __future__ import annotations

import ast
import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from regions_real import git_file

from bot.core.parsing.parse import parse_document
from bot.core.topics import TOPICS, topics_of

HERE = Path(__file__).resolve().parent
_BESIDE = [HERE.parents[1] / "shared" / "data", HERE.parents[2] / "shared" / "data"]
SHARED = Path(os.environ.get("SHARED_DATA") or next((p for p in _BESIDE if p.exists()), _BESIDE[0]))
LABELS = HERE / "data" / "topic_labels.tsv"
TUNE = ("dev", "held-out", "test", "final", "fresh", "fresh2")  # every split that has been tuned on
WRITTEN = HERE / "data" / "topic_labels_written.tsv"  # teasers written for this project (es, pt)


@dataclass(frozen=True)
class Teaser:
    """One labelled teaser as the classifier sees it."""

    title: str
    summary: str
    categories: tuple[str, ...] = ()
    language: str | None = None


@dataclass
class Score:
    """Micro-averaged counts over (teaser, topic) pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0
    teasers: int = 0
    per_topic: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))

    def add(self, got: set[str], want: set[str]) -> None:
        """Count one teaser."""
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)
        self.exact += got == want
        self.teasers += 1
        for t in got | want:
            row = self.per_topic[t]
            row[0] += t in got and t in want
            row[1] += t in got and t not in want
            row[2] += t in want and t not in got

    @staticmethod
    def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        """Precision, recall, F1."""
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@cache
def _document(ref: str) -> dict[str, Teaser] | None:
    """The teasers of one document by line number, guid or link; None when it is not here."""
    if ref == "shared:regions/dev.jsonl":
        path = SHARED / "regions" / "dev.jsonl"
        if not path.exists():
            return None
        lines = path.read_text(encoding="utf-8").splitlines()
        rows = (json.loads(line) for line in lines)
        return {str(i): Teaser(d["title"], d["summary"]) for i, d in enumerate(rows, 1)}
    if ref.startswith("shared:"):
        path = SHARED / ref.removeprefix("shared:")
        if not path.exists():
            return None
        return _feed(path.read_bytes())
    return _github(ref)


def _github(ref: str) -> dict[str, Teaser] | None:
    text = git_file(ref)
    if text is None:
        return None
    template = re.search(r"`\s*(<.*?)`", text, re.DOTALL)
    if template:  # a saved feed in a JavaScript template string: const data = `<rss…`
        return _feed(template.group(1).encode())
    if text.lstrip().startswith("export const"):  # news-API answers as JavaScript literals
        return {a["url"]: _api_teaser(a) for a in _js_articles(text)}
    data = json.loads(text[text.index("{") :].rstrip().rstrip(";"))
    return {a["url"]: _api_teaser(a) for a in data["articles"]}


def _api_teaser(article: dict[str, str]) -> Teaser:
    return Teaser(article.get("title") or "", article.get("description") or "")


def _feed(xml: bytes) -> dict[str, Teaser]:
    """A saved feed's teasers by guid and link, with its categories and declared language."""
    feed = parse_document(xml, url="https://example.org/feed")
    found: dict[str, Teaser] = {}
    for item in feed.items:
        # A saved copy's author marked one title per feed: "MOCKS - …", "MOCKS: …", "MOCKS …".
        title = re.sub(r"^MOCKS\s*[-:]?\s*", "", item.title)
        teaser = Teaser(title, item.summary, item.categories, item.language)
        for key in (item.key, item.url):
            if key:
                found.setdefault(key, teaser)
    return found


def _js_articles(text: str) -> list[dict[str, str]]:
    """The articles of ``export const name = [{source: {…}, title: "…", …}, …];`` blocks
    (JavaScript literals: bare keys, 'single' or "double" quotes, null)."""
    articles: list[dict[str, str]] = []
    for block in re.split(r"export const \w+ = ", text)[1:]:
        body = block.strip().rstrip(";")
        body = re.sub(r"(?m)^(\s*)(\w+):", r'\1"\2":', body)
        body = re.sub(r"([{,] )(\w+):", r'\1"\2":', body)
        body = re.sub(r"(:\s*)null\b", r"\1None", body)
        articles += ast.literal_eval(body)
    return articles


Row = tuple[str, Teaser, set[str]]  # language, teaser, wanted topics


def load(split: str, prefix: str = "") -> tuple[list[Row], set[str]]:
    """The labelled teasers found (of documents starting with ``prefix``), and the documents
    (or items) that are missing."""
    rows: list[Row] = []
    missing: set[str] = set()
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        language, part, ref, item, labels = line.split("\t")
        wanted = {"tune": TUNE, "all": (part,)}.get(split, (split,))
        if part not in wanted or not ref.startswith(prefix):
            continue
        document = _document(ref)
        if document is None or item not in document:
            missing.add(ref if document is None else f"{ref} {item}")
            continue
        rows.append((language, document[item], set() if labels == "-" else set(labels.split())))
    return rows, missing


def load_written() -> list[Row]:
    """The Spanish and Portuguese teasers written for this project, with their topic labels."""
    rows: list[Row] = []
    texts: dict[str, list[list[str]]] = {}
    for line in WRITTEN.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        language, name, row, labels = line.split("\t")
        if name not in texts:
            lines = (HERE / "data" / name).read_text(encoding="utf-8").splitlines()
            texts[name] = [t.split("\t") for t in lines if t.strip() and not t.startswith("#")]
        _codes, title, summary = texts[name][int(row)]
        want = set() if labels == "-" else set(labels.split())
        rows.append((language, Teaser(title, summary, (), language), want))
    return rows


def classify(teaser: Teaser) -> set[str]:
    """The classifier's topics for one teaser, as the bot would ask."""
    return set(topics_of(teaser.title, teaser.summary, teaser.categories, teaser.language))


def report(rows: list[Row], show_misses: bool) -> None:
    """Print the overall, per-language and per-topic tables."""
    overall, by_language = Score(), defaultdict(Score)
    misses = []
    for language, teaser, want in rows:
        got = classify(teaser)
        overall.add(got, want)
        by_language[language].add(got, want)
        if got != want:
            misses.append(
                f"  {language} got {sorted(got)} want {sorted(want)}: {teaser.title[:80]}"
                f" | {teaser.summary[:60]}"
            )
    p, r, f = Score.prf(overall.tp, overall.fp, overall.fn)
    print(f"teasers: {overall.teasers}; exact topic sets: {overall.exact / overall.teasers:.1%}")
    print(f"**micro P / R / F1: {p:.3f} / {r:.3f} / {f:.3f}**")
    print("| language | teasers | P | R | F1 |\n|---|---|---|---|---|")
    for language in sorted(by_language):
        s = by_language[language]
        lp, lr, lf = Score.prf(s.tp, s.fp, s.fn)
        print(f"| {language} | {s.teasers} | {lp:.3f} | {lr:.3f} | {lf:.3f} |")
    print("| topic | labelled | P | R | F1 |\n|---|---|---|---|---|")
    for topic in TOPICS:
        tp, fp, fn = overall.per_topic.get(topic, [0, 0, 0])
        tpp, tr, tf = Score.prf(tp, fp, fn)
        print(f"| {topic} | {tp + fn} | {tpp:.3f} | {tr:.3f} | {tf:.3f} |")
    print(f"misses: {len(misses)}")
    if show_misses:
        print("\n".join(misses))


def speed(rows: list[Row], runs: int = 7) -> None:
    """Teasers classified per second (median of ``runs``; the stem cache warm)."""
    teasers = [teaser for _l, teaser, _w in rows] * 10
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for teaser in teasers:
            classify(teaser)
        rates.append(len(teasers) / (time.perf_counter() - start))
    print(f"speed: {statistics.median(rates):,.0f} teasers/s (median of {runs} runs)")


def main() -> None:
    """Print the tables for the chosen split."""
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "dev"
    if "--written" in sys.argv:
        print("teasers written for this project (es, pt), with their declared language")
        report(load_written(), "--misses" in sys.argv)
        return
    document = sys.argv[sys.argv.index("--document") + 1] if "--document" in sys.argv else ""
    rows, missing = load(split, document)
    if missing:
        print(f"skipped (text not on this machine): {len(missing)} documents or items")
    if not rows:
        print("no labelled teaser could be read; nothing measured")
        return
    print(f"split: {split}")
    report(rows, "--misses" in sys.argv)
    if "--speed" in sys.argv:
        speed(rows)


if __name__ == "__main__":
    main()
