"""Shared helper for benchmarks: where the public gold sets live, and reading them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def eval_dir() -> Path | None:
    """``$FFTRACK_EVAL_DIR`` or ``../shared/eval`` beside the checkout; None when absent."""
    env = os.environ.get("FFTRACK_EVAL_DIR")
    d = Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"
    return d.resolve() if d.is_dir() else None


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        n = 0
        for line in f:
            line = line.strip()
            if not line:
                continue
            yield json.loads(line)
            n += 1
            if limit is not None and n >= limit:
                return
