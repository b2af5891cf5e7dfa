"""Progress of the long commands: a live bar on a terminal, silence otherwise.

On a terminal (stderr is a TTY) `copy-store`, `reclassify`, `backup` and `sources import` show a
rich progress bar: items done out of all, the rate and the time left. When stderr is not a terminal
(logs, CI, a pipe) nothing is drawn and the command's own summary line is all it prints.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from bot.core.progress import ProgressHook, no_progress


class _RateColumn(ProgressColumn):
    """Items per second, named by their unit ("1,204 articles/s")."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if speed is None:
            return Text(f"? {self.unit}/s", style="progress.data.speed")
        shown = f"{speed:,.0f}" if speed >= 10 else f"{speed:.1f}"
        return Text(f"{shown} {self.unit}/s", style="progress.data.speed")


class _Bar:
    """A hook that moves one task of a rich Progress."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self.progress = progress
        self.task = task

    def __call__(self, done: int, total: int | None) -> None:
        self.progress.update(self.task, completed=done, total=total)


@contextmanager
def progress_bar(label: str, unit: str, stream: TextIO | None = None) -> Iterator[ProgressHook]:
    """A progress hook drawing on ``stream`` (stderr) when it is a terminal; else a silent one."""
    target = stream if stream is not None else sys.stderr
    if not target.isatty():  # a log, a pipe, CI: whatever FORCE_COLOR says, no bar
        yield no_progress
        return
    console = Console(file=target)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        _RateColumn(unit),
        TimeRemainingColumn(),
        TextColumn("left"),
    )
    with Progress(*columns, console=console, refresh_per_second=5) as progress:
        yield _Bar(progress, progress.add_task(label, total=None))
