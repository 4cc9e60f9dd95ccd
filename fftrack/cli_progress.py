"""Progress bars for the CLI's long jobs (ingest, gazetteer build and download): ``rich``,
on stderr, only where stderr is a terminal, gone when the job ends.

Every bar shows what is done, the rate and the time elapsed; the time remaining where the
job knows its total (a gazetteer dump, a download that sent its length; not a stream of
documents, whose length is unknown until its end).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Items per second (``12.5 docs/s``), from rich's own estimate of the task's speed."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if speed is None:
            return Text(f"? {self.unit}/s", style="progress.data.speed")
        return Text(f"{speed:,.1f} {self.unit}/s", style="progress.data.speed")


def job_progress(
    label: str,
    *,
    console: Any,
    disable: bool,
    unit: str = "docs",
    get_time: Callable[[], float] | None = None,
) -> Progress:
    """A bar for a job counted in ``unit`` (``"bytes"``: sizes and transfer speed)."""
    counted: list[ProgressColumn] = (
        [DownloadColumn(), TransferSpeedColumn()]
        if unit == "bytes"
        else [MofNCompleteColumn(), RateColumn(unit)]
    )
    return Progress(
        TextColumn(label if unit != "bytes" else "{task.description}"),
        BarColumn(),
        *counted,
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=disable,
        get_time=get_time,
    )
