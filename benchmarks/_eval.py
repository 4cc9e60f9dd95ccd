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


def shared_gazetteer_dir() -> Path | None:
    """``$FFTRACK_GAZETTEER_DIR`` or ``../shared/gazetteer/geonames`` beside the checkout."""
    env = os.environ.get("FFTRACK_GAZETTEER_DIR")
    root = Path(__file__).resolve().parents[1] / ".." / "shared" / "gazetteer" / "geonames"
    d = Path(env) if env else root
    return d.resolve() if d.is_dir() else None


def village_cache(cache_dir: Path | None) -> Path | None:
    """A gazetteer cache with ../shared/gazetteer added (the villages), or None when that
    data is absent. ``cache_dir`` is reused when it already holds a merged index (so a
    build is paid once); otherwise the index is built there (or in a temporary folder)
    with ``fftrack gazetteer add``'s code, from every file of the shared folder."""
    import tempfile

    from fftrack.geo.sources import add_sources, merged_index

    if cache_dir is not None and merged_index(Path(cache_dir)) is not None:
        return Path(cache_dir)
    src = shared_gazetteer_dir()
    if src is None:
        return None
    target = Path(cache_dir) if cache_dir is not None else Path(tempfile.mkdtemp(prefix="ffgaz-"))
    files = sorted(p for p in src.iterdir() if p.suffix in (".zip", ".txt"))
    add_sources(target, files)
    return target


def add_village_options(ap: Any) -> None:
    """``--gazetteer-cache DIR`` and ``--no-villages``, for every benchmark that prints a
    block with ../shared/gazetteer beside the default one."""
    ap.add_argument(
        "--gazetteer-cache",
        type=Path,
        default=None,
        help="cache dir with ../shared/gazetteer added (reused if built, else built there)",
    )
    ap.add_argument("--no-villages", action="store_true", help="the default gazetteer only")


def open_villages(args: Any) -> Any:
    """The gazetteer with ../shared/gazetteer added, or None (said on stdout) when the
    options or the data leave it out."""
    if args.no_villages:
        return None
    vdir = village_cache(args.gazetteer_cache)
    if vdir is None:
        print("no ../shared/gazetteer (or $FFTRACK_GAZETTEER_DIR): default gazetteer only")
        return None
    from fftrack.geo import Gazetteer

    vgaz = Gazetteer.open(vdir)
    print(f"with ../shared/gazetteer: {vgaz.version} in {vdir}")
    return vgaz
