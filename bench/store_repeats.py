"""How much of the storage code is written twice: lines of the PostgreSQL modules repeated in the
SQLite ones (issue 29's measure).

    python bench/store_repeats.py [REVISION ...]     (default: the working tree)

A code line is a stripped line of at least 20 characters that is not a comment, a docstring line
or an import; lines compare after normalising ``$1``-style marks to ``?``, ``Pg``-prefixed names
and ``true``/``false`` against ``1``/``0``. "Shared" modules (one class for both backends, under
``bot/store/`` and used by ``bot/store/postgres/__init__.py``) count once, as SQLite's side.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_LENGTH = 20


def _files(revision: str | None, folder: str) -> dict[str, str]:
    """Every ``.py`` file directly in ``folder`` at ``revision`` (None: the working tree)."""
    if revision is None:
        return {p.name: p.read_text() for p in sorted((ROOT / folder).glob("*.py"))}
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{revision}:{folder}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {
        name: subprocess.run(
            ["git", "show", f"{revision}:{folder}/{name}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for name in names
        if name.endswith(".py")
    }


def _normal(line: str) -> str:
    line = re.sub(r"\$\d+", "?", line)
    line = re.sub(r"\bPg(?=[A-Z])", "", line)
    line = re.sub(r"= true\b|= 1\b", "= 1", line)
    return re.sub(r"= false\b|= 0\b", "= 0", line)


def code_lines(text: str) -> list[str]:
    """The long code lines of one module, normalised."""
    out: list[str] = []
    in_doc = False
    for raw in text.splitlines():
        line = raw.strip()
        quotes = line.count('"""')
        if in_doc or quotes:
            if quotes == 1:
                in_doc = not in_doc
            continue
        if len(line) < MIN_LENGTH or line.startswith(("#", "import ", "from ")):
            continue
        out.append(_normal(line))
    return out


def measure(revision: str | None) -> tuple[int, int, int]:
    """(PostgreSQL code lines, of them repeated in the SQLite modules, SQLite code lines)."""
    sqlite = [line for text in _files(revision, "bot/store").values() for line in code_lines(text)]
    postgres = [
        line
        for name, text in _files(revision, "bot/store/postgres").items()
        for line in code_lines(text)
    ]
    known = set(sqlite)
    return len(postgres), sum(1 for line in postgres if line in known), len(sqlite)


def main() -> None:
    revisions: list[str | None] = list(sys.argv[1:]) or [None]
    print(f"{'revision':<14} {'pg lines':>9} {'repeated':>9} {'share':>6} {'sqlite+shared':>14}")
    for revision in revisions:
        pg, repeated, sqlite = measure(revision)
        name = revision or "working tree"
        print(f"{name:<14} {pg:>9} {repeated:>9} {repeated / max(pg, 1):>6.0%} {sqlite:>14}")


if __name__ == "__main__":
    main()
