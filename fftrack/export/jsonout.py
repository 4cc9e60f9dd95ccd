"""JSON (one array) and JSON Lines (one object a line)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO


def _default(o: Any) -> Any:
    iso = getattr(o, "isoformat", None)
    if callable(iso):
        return iso()
    if isinstance(o, set | frozenset | tuple):
        return list(o)
    return str(o)


# Characters that some line splitters (str.splitlines, JavaScript before ES2019) treat
# as line breaks: always written escaped, so one JSON Lines record stays on one line.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def dumps(obj: Any, indent: int | None = None) -> str:
    """JSON text, UTF-8 characters kept, line-break-like characters escaped."""
    text = json.dumps(obj, indent=indent, ensure_ascii=False, default=_default)
    for ch, esc in _LINE_BREAKS.items():
        if ch in text:
            text = text.replace(ch, esc)
    return text


def write_json(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """One JSON array, indented by 2, written a row at a time (the same text as
    ``dumps(list(rows), indent=2)``, without holding the list)."""
    n = 0
    for row in rows:
        out.write(",\n  " if n else "[\n  ")
        # JSON strings hold no raw line breaks: every newline here is indentation
        out.write(dumps(row, indent=2).replace("\n", "\n  "))
        n += 1
    out.write("\n]\n" if n else "[]\n")
    return n


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for row in rows:
        out.write(dumps(row))
        out.write("\n")
        n += 1
    return n
