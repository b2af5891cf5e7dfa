"""Parser throughput over the real feeds in ../shared/data/feeds/real/.

Run: .venv/bin/python bench/parse.py [rounds]
Prints the median items/s and MB/s over the rounds, and the slowest files (CPU time per parse).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.errors import ParseError
from bot.core.parsing.parse import parse_document

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "feeds" / "real"


def main() -> int:
    """Parse every real feed N times and print throughput and the per-file worst cases."""
    if not DATA.is_dir():
        print(f"no benchmark data at {DATA}; nothing to measure")
        return 0
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    docs = [(p.name, p.read_bytes()) for p in sorted(DATA.iterdir()) if p.is_file()]
    total_bytes = sum(len(body) for _, body in docs)
    per_file: dict[str, list[float]] = {name: [] for name, _ in docs}
    item_counts: dict[str, int] = {}
    items_per_s: list[float] = []
    mb_per_s: list[float] = []
    for _ in range(rounds):
        items = 0
        started = time.process_time()
        for name, body in docs:
            t0 = time.process_time()
            try:
                feed = parse_document(body, url=f"https://example.org/{name}")
            except ParseError:
                continue
            per_file[name].append(time.process_time() - t0)
            item_counts[name] = len(feed.items)
            items += len(feed.items)
        elapsed = time.process_time() - started
        items_per_s.append(items / elapsed)
        mb_per_s.append(total_bytes / 1e6 / elapsed)
    print(f"files={len(docs)} bytes={total_bytes / 1e6:.1f}MB items={sum(item_counts.values())}")
    print(f"rounds={rounds} median items/s={statistics.median(items_per_s):,.0f}")
    print(f"median MB/s={statistics.median(mb_per_s):.1f}")
    medians = {name: statistics.median(times) for name, times in per_file.items() if times}
    per_item = {n: medians[n] / max(item_counts.get(n, 0), 1) * 1e6 for n in medians}
    sizes = dict(docs)
    print("slowest files (median ms per parse):")
    for name in sorted(medians, key=medians.__getitem__, reverse=True)[:5]:
        print(
            f"  {name} {medians[name] * 1e3:7.2f} ms  {len(sizes[name]) / 1e3:7.0f} KB"
            f"  items={item_counts.get(name, 0):4d}  {per_item[name]:6.0f} us/item"
        )
    worst = max(per_item, key=per_item.__getitem__)
    print(f"worst per item: {worst} {per_item[worst]:.0f} us/item")
    fifty = [medians[n] for n in medians if 40 <= item_counts.get(n, 0) <= 60]
    if fifty:
        print(f"40-60 item feeds: n={len(fifty)} median {statistics.median(fifty) * 1e3:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
