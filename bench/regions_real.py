"""Country and region P/R/F1 on real teasers written by others, per language (issue 23).

Run: .venv/bin/python bench/regions_real.py [--split dev|held-out|all] [--misses] [--speed]

The labels (bench/data/real_teasers.tsv) were written by hand before the classifier read the
teasers; they hold identifiers only. The text is read at run time from where it lives:
``shared:…`` from ../shared/data (a saved feed, parsed by the bot's own parser), ``github:…``
from a local git copy of that repository (TEASER_TEXTS, default
/work/.mirror/<owner>+<name>/repo; a clone works too): a JSON news-API dump, or a saved feed
held in a JavaScript template string, parsed by the bot's parser too. A missing source is
skipped and said so.
Each teaser is classified as the running bot does: in its own language (the "English tables"
column reads the same teasers as if they were English, the alternative measured against).
Regions are the M49 sub-regions of the countries, as on ../shared/data/regions/dev.jsonl.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from functools import cache
from pathlib import Path

from regions_accuracy import Score

from bot.core.parsing.parse import parse_document
from bot.core.regions import classify, subregion_names

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("SHARED_DATA", HERE.parents[1].parent / "shared" / "data"))
LABELS = HERE / "data" / "real_teasers.tsv"
Teaser = tuple[str, str]  # title, summary


def _mirror(repo: str) -> Path:
    root = os.environ.get("TEASER_TEXTS")
    if root:
        return Path(root) / repo.replace("/", "+")
    return Path("/work/.mirror") / repo.replace("/", "+") / "repo"


def git_file(ref: str) -> str | None:
    """A file at a commit of a local git copy, ``github:owner/name@commit:path``; None when the
    copy or the file is not here."""
    repo, _, rest = ref.removeprefix("github:").partition("@")
    commit, _, path_in_repo = rest.partition(":")
    git_dir = _mirror(repo)
    if not git_dir.exists():
        return None
    shown = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path_in_repo}"],
        capture_output=True,
        text=True,
        check=False,
    )
    return shown.stdout if shown.returncode == 0 else None


def _feed(xml: bytes) -> dict[str, Teaser]:
    """The teasers of a saved feed by guid and link, as the bot's own parser reads them."""
    feed = parse_document(xml, url="https://example.org/feed")
    found: dict[str, Teaser] = {}
    for item in feed.items:
        # A saved copy's author marked one title per feed: "MOCKS - …", "MOCKS: …", "MOCKS …".
        title = re.sub(r"^MOCKS\s*[-:]?\s*", "", item.title)
        for key in (item.key, item.url):
            if key:
                found[key] = (title, item.summary)
    return found


@cache
def _document(ref: str) -> dict[str, Teaser] | None:
    """The teasers of one document by link/guid; None when the document is not here."""
    if ref.startswith("shared:"):
        path = SHARED / ref.removeprefix("shared:")
        return _feed(path.read_bytes()) if path.exists() else None
    text = git_file(ref)
    if text is None:
        return None
    template = re.search(r"`\s*(<.*?)`", text, re.DOTALL)
    if template:  # a saved feed in a JavaScript template string: const data = `<rss…`
        return _feed(template.group(1).encode())
    # A news-API dump: {"articles": [...]} or a bare list of articles (``articles = [...]``),
    # perhaps assigned in a JavaScript or TypeScript module.
    start = min(i for i in (text.find("{"), text.find("[")) if i >= 0)
    data, _end = json.JSONDecoder().raw_decode(text[start:])  # what follows it is code
    articles = data if isinstance(data, list) else data["articles"]
    return {a["url"]: (a.get("title") or "", a.get("description") or "") for a in articles}


def load(split: str) -> tuple[dict[str, list[tuple[Teaser, set[str]]]], set[str]]:
    """The labelled teasers found, by language, and the documents that are missing."""
    rows: dict[str, list[tuple[Teaser, set[str]]]] = defaultdict(list)
    missing: set[str] = set()
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        language, part, ref, item, codes = line.split("\t")
        if split != "all" and part != split:
            continue
        document = _document(ref)
        if document is None or item not in document:
            missing.add(ref if document is None else f"{ref} {item}")
            continue
        rows[language].append((document[item], set() if codes == "-" else set(codes.split())))
    return rows, missing


def evaluate(
    rows: list[tuple[Teaser, set[str]]], language: str | None
) -> tuple[Score, Score, list[str]]:
    """Country and region scores of these teasers read in ``language``, and the misses."""
    countries, regions, misses = Score(), Score(), []
    for (title, summary), want in rows:
        got = set(classify(title, summary, (), None, language).countries)
        countries.add(got, want)
        regions.add(set(subregion_names(sorted(got))), set(subregion_names(sorted(want))))
        if got != want:
            misses.append(f"got {sorted(got)} want {sorted(want)}: {title[:90]} | {summary[:80]}")
    return countries, regions, misses


def speed(rows: dict[str, list[tuple[Teaser, set[str]]]], runs: int = 7) -> None:
    """Teasers/s per language, its own tables and the English ones alternated in one run."""
    for language in sorted(rows):
        teasers = [teaser for teaser, _want in rows[language]] * 20
        rates: dict[str | None, list[float]] = {language: [], None: []}
        for _ in range(runs):
            for tables_of in (language, None):
                start = time.perf_counter()
                for title, summary in teasers:
                    classify(title, summary, (), None, tables_of)
                rates[tables_of].append(len(teasers) / (time.perf_counter() - start))
        own, english = statistics.median(rates[language]), statistics.median(rates[None])
        print(
            f"speed {language}: {own:,.0f} teasers/s in its own tables, {english:,.0f} in the "
            f"English ones (median of {runs} runs of {len(teasers)} teasers)"
        )


def main() -> None:
    """Print the table (and the misses with --misses)."""
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "dev"
    rows, missing = load(split)
    if missing:
        print(f"skipped (text not on this machine): {len(missing)} documents or items")
    if not rows:
        print("no labelled teaser could be read; nothing measured")
        return
    print(f"split: {split}")
    print(
        "| language | teasers | country P / R / F1 | region P / R / F1 "
        "| English tables: country F1 |"
    )
    print("|---|---|---|---|---|")
    all_misses = []
    for language in sorted(rows):
        found = rows[language]
        c, r, misses = evaluate(found, language)
        base, _, _ = evaluate(found, None)
        cp, cr, cf = c.prf()
        rp, rr, rf = r.prf()
        print(
            f"| {language} | {len(found)} | {cp:.3f} / {cr:.3f} / **{cf:.3f}** "
            f"| {rp:.3f} / {rr:.3f} / {rf:.3f} | {base.prf()[2]:.3f} |"
        )
        all_misses += [f"  {language}: {m}" for m in misses]
    print(f"misses: {len(all_misses)}")
    if "--misses" in sys.argv:
        print("\n".join(all_misses))
    if "--speed" in sys.argv:
        speed(rows)


if __name__ == "__main__":
    main()
