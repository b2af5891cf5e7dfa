"""Classifier speed: teasers per second on one core (median of several runs) and table start-up.

Run: .venv/bin/python bench/classify.py [--runs 7] [--repeat 200]
Uses ../shared/data/regions/dev.jsonl when present, else a few built-in teasers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "regions" / "dev.jsonl"
FALLBACK = [
    (
        "Winter of Russian Discontent Begins",
        "Only a month into 2021, the crisis in Russia deepens.",
    ),
    ("Georgia runoff: Democrats eye Senate control", "Voters in Atlanta queued for hours."),
    ("Chad Smith on the union drive", "UAW organizer Chad Smith explains why Detroit is ready."),
    ("From Karl Marx to Eco-Marxism", "Reflection on Marx's contribution to ecology."),
]


def main() -> None:
    """Print start-up cost and teasers/s."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from bot.core.regions import classify, tables  # noqa: PLC0415 (measuring the import)

    t1 = time.perf_counter()
    tables()
    t2 = time.perf_counter()
    print(
        f"import bot.core.regions: {(t1 - t0) * 1000:.1f} ms; "
        f"loading tables: {(t2 - t1) * 1000:.1f} ms"
    )

    if DEV.exists():
        rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
        teasers = [(r["title"], r.get("summary", "")) for r in rows]
        origin = str(DEV)
    else:
        teasers, origin = FALLBACK, "built-in teasers"
    rates = []
    for _ in range(args.runs):
        start = time.perf_counter()
        for _ in range(args.repeat):
            for title, summary in teasers:
                classify(title, summary)
        elapsed = time.perf_counter() - start
        rates.append(len(teasers) * args.repeat / elapsed)
    print(
        f"classify: {statistics.median(rates):,.0f} teasers/s (median of {args.runs} runs, "
        f"{len(teasers)} teasers x {args.repeat} from {origin}); "
        f"min {min(rates):,.0f}, max {max(rates):,.0f}"
    )


if __name__ == "__main__":
    main()
