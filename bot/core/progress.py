"""How a long piece of work reports how far it has got: ``hook(done, total)``.

The store's long verbs (reclassify, copy-store, backup) and ``sources import`` call the hook with
absolute figures (items done, items in all; ``None`` while the total is unknown). The command line
turns them into a bar on a terminal (bot/progress.py); everything else passes :func:`no_progress`.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressHook = Callable[[int, int | None], None]


def no_progress(done: int, total: int | None) -> None:
    """A hook that shows nothing."""
