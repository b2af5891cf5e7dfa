"""``python bench/bot_with_transport.py NAME``: ``python -m bot`` with the delivery loop's Bot API
transport replaced by candidate NAME of bench/transports.py (used by bench/fanout.py)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from transports import install  # noqa: E402

from bot.__main__ import main  # noqa: E402

if __name__ == "__main__":
    install(sys.argv.pop(1))
    sys.exit(main())
