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


def write_json(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    data = list(rows)
    json.dump(data, out, indent=2, ensure_ascii=False, default=_default)
    out.write("\n")
    return len(data)


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=_default))
        out.write("\n")
        n += 1
    return n
