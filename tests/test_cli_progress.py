"""The CLI's progress bars show what is done, the rate and the time left (cli_progress)."""

from __future__ import annotations

import io

from rich.console import Console

from fftrack.cli_progress import ingest_progress, job_progress


def _line(unit: str, total: int | None, steps: int, per_step: int) -> str:
    now = [0.0]
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    progress = job_progress(
        "ingest", console=console, disable=False, unit=unit, get_time=lambda: now[0]
    )
    task = progress.add_task("download", total=total)
    for _ in range(steps):
        now[0] += 1.0
        progress.advance(task, per_step)
    console.print(progress.get_renderable())
    return out.getvalue()


def test_ingest_line_shows_count_rate_and_time_left() -> None:
    line = _line("docs", 100, 5, 10)
    assert "ingest" in line and "50/100" in line
    assert "10.0 docs/s" in line
    assert "0:00:05" in line  # elapsed, and the time left at this rate


def test_unknown_total_shows_rate_and_no_time_left() -> None:
    line = _line("docs", None, 4, 3)  # a stream: no total, so no time left to show
    assert "12/?" in line and "3.0 docs/s" in line and "0:00:04" in line


def test_bytes_line_shows_sizes_and_speed() -> None:
    line = _line("bytes", 10_000_000, 4, 1_000_000)
    assert "4.0/10.0 MB" in line and "MB/s" in line and "0:00:06" in line


def test_ingest_line_by_input_bytes_shows_documents_rate_and_time_left() -> None:
    """Input files of known size: the bar counts their bytes (so it has a time left
    while the documents stream) and shows the documents done and their rate."""
    now = [0.0]
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=140, color_system=None)
    progress = ingest_progress(console=console, disable=False, get_time=lambda: now[0])
    task = progress.add_task("ingest", total=4_000_000, docs=0)
    for _ in range(4):  # a batch of 30 documents and 500 kB a second
        now[0] += 1.0
        progress.advance(task, 500_000)
        progress.update(task, docs=progress.tasks[0].fields["docs"] + 30)
    console.print(progress.get_renderable())
    line = out.getvalue()
    assert "120 docs, 30.0 docs/s" in line
    assert "2.0/4.0 MB" in line
    assert "0:00:04" in line  # elapsed, and the time left at this rate


def test_resumed_ingest_line_leaves_stored_documents_out_of_the_rate() -> None:
    """A resumed ingest passes over what the store holds in its first seconds: the line
    says how many and its rate counts only the documents read this run."""
    now = [0.0]
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=160, color_system=None)
    progress = ingest_progress(console=console, disable=False, get_time=lambda: now[0])
    task = progress.add_task("ingest", total=4_000_000, docs=0, skipped=0)
    progress.update(task, docs=1000, skipped=1000)  # looked up, not read
    for _ in range(4):  # then 5 new documents a second
        now[0] += 1.0
        progress.update(task, docs=progress.tasks[0].fields["docs"] + 5)
    console.print(progress.get_renderable())
    line = out.getvalue()
    assert "1,020 docs (1,000 already stored), 5.0 docs/s" in line, line


def test_ingest_on_a_terminal_shows_the_progress_line(tmp_path) -> None:
    """``fftrack ingest`` with stderr on a terminal draws the bar (count, rate, time)."""
    import os
    import pty
    import subprocess
    import time

    from helpers_robust import ROOT, cli_argv, cli_env

    text = tmp_path / "in"
    text.mkdir()
    for i in range(3):
        (text / f"r{i}.txt").write_text(
            f"Report {i}. Fighters attacked Raqqa on 5 June 2017, killing {i + 2} soldiers.\n",
            encoding="utf-8",
        )
    master, slave = pty.openpty()
    env = {**cli_env(), "COLUMNS": "120", "TERM": "xterm"}
    proc = subprocess.Popen(
        cli_argv("--db", str(tmp_path / "s.db"), "ingest", str(text)),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=ROOT,
        env=env,
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed: the process is gone
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    out = proc.communicate(timeout=60)[0].decode()
    assert proc.returncode == 0, (out, seen[-2000:])
    line = seen.decode("utf-8", "replace")
    # a folder: its size is known, so the bar goes by its bytes (with a time left)
    assert "ingest" in line and "docs/s" in line and "/?" not in line, line[-2000:]
    assert "bytes" in line or "kB" in line, line[-2000:]
    assert "documents read: 3" in out


def test_bars_redraw_twice_a_second() -> None:
    """A bar moves once a batch and its clock shows seconds: rich's 10 redraws a second
    cost CPU through the whole ingest for nothing."""
    import io

    from rich.console import Console

    from fftrack.cli_progress import REFRESH_PER_SECOND, ingest_progress, job_progress

    console = Console(file=io.StringIO(), force_terminal=True)
    for bar in (
        ingest_progress(console=console, disable=False),
        job_progress("ingest", console=console, disable=False),
    ):
        assert bar.live.refresh_per_second == REFRESH_PER_SECOND == 2
