"""Progress bars for the CLI's long jobs (ingest, gazetteer build and download): ``rich``,
on stderr, only where stderr is a terminal, gone when the job ends.

Every bar shows what is done, the rate and the time elapsed; the time remaining where the
job knows its total (a gazetteer dump, a download that sent its length, the input files
of an ingest: :func:`ingest_progress`; not stdin or a URL, whose length is unknown until
its end).
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

REFRESH_PER_SECOND = 2  # redraws of a bar (rich's default: 10)


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


class DocsColumn(ProgressColumn):
    """The documents an ingest has done and their rate over the run (``120 docs, 4.0
    docs/s``), from the task's ``docs`` field: its bar itself counts input bytes. Those of
    them the store already held (field ``skipped``: a resumed ingest) are said and left out
    of the rate (``1,664 docs (1,536 already stored), 2.1 docs/s``): they cost a lookup."""

    def render(self, task: Task) -> Text:
        docs = int(task.fields.get("docs", 0))
        skipped = int(task.fields.get("skipped", 0))
        elapsed = task.finished_time if task.finished else task.elapsed
        rate = f"{(docs - skipped) / elapsed:,.1f}" if elapsed else "?"
        held = f" ({skipped:,} already stored)" if skipped else ""
        return Text(f"{docs:,} docs{held}, {rate} docs/s", style="progress.data.speed")


def ingest_progress(
    *, console: Any, disable: bool, get_time: Callable[[], float] | None = None
) -> Progress:
    """The bar of an ingest whose input files' size is known: it advances by the bytes of
    the input read and stored (``completed``/``total`` bytes), so it has a time left while
    the documents stream; the documents done and their rate come beside it (task field
    ``docs``). Add its task with ``docs=0``."""
    return _bar("ingest", [DocsColumn(), DownloadColumn()], console, disable, get_time)


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
    return _bar(
        label if unit != "bytes" else "{task.description}", counted, console, disable, get_time
    )


def _bar(
    label: str,
    counted: list[ProgressColumn],
    console: Any,
    disable: bool,
    get_time: Callable[[], float] | None,
) -> Progress:
    """One layout for every bar: label, bar, what is counted, time elapsed and left."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        *counted,
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=disable,
        get_time=get_time,
        # rich's default, 10 redraws a second, costs 2% of a core through a whole
        # ingest, for a bar that moves once a batch and a clock shown to the second
        refresh_per_second=REFRESH_PER_SECOND,
    )
