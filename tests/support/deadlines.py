"""How long a test waits for what it expects: the figure the test names, times ``SLACK``.

A test names the wait an idle machine needs (``telegram.wait_for_messages(chat, 3, timeout=10)``,
``bot.wait_for(pattern)``); the support code waits ``SLACK`` times as long before it gives up. A
machine busy with other work (another pytest-xdist worker, a CPU-bound neighbour, a slow CI
runner) then slows a test down but does not fail it. Every wait returns as soon as its condition
holds, so the slack costs nothing while all is well: only a test that fails anyway fails later.
``TEST_DEADLINE_SLACK`` overrides the factor (``1``: the figures as written).
"""

from __future__ import annotations

import os

SLACK = float(os.environ.get("TEST_DEADLINE_SLACK") or 4)


def deadline(seconds: float) -> float:
    """How long to wait for something a test expects within ``seconds`` on an idle machine."""
    return seconds * SLACK
