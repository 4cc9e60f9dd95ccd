"""The CLI's inputs and outputs: the one place that opens an output file (``-o``), the
one reader of JSON Lines for ``extract`` and ``geoparse``, and what makes printed text
terminal-safe (:func:`terminal_safe`, :func:`json_text`).

An output path that cannot be written is a usage error (one line, exit 2), found before
anything is written; the file is written whole or not at all (a temporary file beside it,
renamed at the end), so a failed command never truncates an earlier export. A bad input
line is reported with its line number and reason, and the next line is read.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TextIO

import click

from fftrack.errors import FftrackError, UsageError

# C0 and C1 controls but newline and tab, DEL, and bidi controls: a terminal obeys them
# (ESC starts every escape sequence: shown as text, the sequence does nothing).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def terminal_safe(value: object) -> str:
    """``value`` as text a terminal only displays: escape sequences and control characters
    are made visible (``\\x1b[2J``), newlines and tabs are kept."""
    text = value if isinstance(value, str) else str(value)
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: _visible(m.group()), text)


# characters json.dumps(ensure_ascii=False) leaves raw that a terminal may obey: DEL, C1
# controls (U+009B is CSI), bidi controls, line/paragraph separators
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(obj: Any, *, indent: int | None = None) -> str:
    """JSON as the CLI prints it: UTF-8 text, with the characters a terminal may obey
    written as ``\\uXXXX`` escapes (the same JSON value)."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent, default=str)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def warn(message: str) -> None:
    """One line on stderr, ``fftrack: ...``, safe to print to a terminal."""
    click.echo(f"fftrack: {terminal_safe(message)}", err=True)


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such folder"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder"
    return exc.strerror or str(exc)


@contextmanager
def open_output(path: str | None) -> Iterator[TextIO]:
    """stdout (no path or ``-``), or ``path`` written whole at the end of the block.

    Raises UsageError when ``path`` cannot be written (a missing folder, a folder, no
    permission) before the block runs; a device or FIFO (``/dev/stdout``) is written
    directly.
    """
    if not path or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        try:
            fh = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {_reason(exc)}") from None
        with fh:
            yield fh
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {_reason(exc)}") from None
    done = False
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        done = True
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise FftrackError(f"cannot write {path}: {_reason(exc)}") from None
    finally:
        if not done:
            Path(tmp).unlink(missing_ok=True)


def read_jsonl_objects(
    path: str, on_bad: Callable[[int, str], None]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each good line of ``path`` (or ``-``, stdin).

    A line that is not UTF-8, not JSON (nested too deeply included) or not an object with
    a ``"text"`` string goes to ``on_bad(line, reason)`` and is skipped. Blank lines are
    ignored. A file that cannot be opened is a UsageError. Each line is read as the
    ingest readers read one (``fftrack.ingest.jsonl.line_text`` and ``line_value``).
    """
    from fftrack.ingest.jsonl import line_text, line_value

    if path == "-":
        fh: IO[Any] = getattr(sys.stdin, "buffer", sys.stdin)
    else:
        try:
            fh = open(path, "rb")  # noqa: SIM115
        except OSError as exc:
            reason = "no such file" if isinstance(exc, FileNotFoundError) else _reason(exc)
            raise UsageError(f"cannot read {path}: {reason}") from None
    try:
        for n, raw in enumerate(fh, 1):
            try:
                line = line_text(raw)
                if not line:
                    continue
                obj = line_value(line)
            except ValueError as exc:
                on_bad(n, str(exc))
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                on_bad(n, 'each line must be an object with a "text" string')
                continue
            yield n, obj
    finally:
        if path != "-":
            fh.close()
