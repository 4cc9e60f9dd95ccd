"""Gazetteer build with GeoNames dumps: rows/s and peak memory as the rows grow.

    .venv/bin/python benchmarks/gazetteer_build.py [--cache DIR]

Adds the dump files of ``../shared/gazetteer/geonames/`` (18 countries, 444,503 rows, plus
admin1CodesASCII.txt and admin2Codes.txt; read from there, never copied) into temporary
cache directories, three times, each in a fresh process so that its peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its own: the admin files only (the
fixed cost: the embedded index copied, cities500 read for admin codes), about a quarter of
the rows, and all of them. Flat memory means the peak barely moves from a quarter to all.
The embedded index is built once in the user cache (not measured) and linked in.
``--cache DIR`` keeps the full merged index in DIR (``Gazetteer.open(Path(DIR))``).
Skips cleanly when ``../shared/gazetteer`` is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = Path(os.environ.get("FFTRACK_SHARED_DIR", ROOT.parent / "shared"))
GEONAMES = SHARED / "gazetteer" / "geonames"
ADMIN = ["admin1CodesASCII.txt", "admin2Codes.txt"]


def _child(cache: str, files: list[str]) -> None:
    import resource
    import time

    from fftrack.config import default_cache_dir
    from fftrack.geo.gazetteer import base_index
    from fftrack.geo.sources import add_sources

    base = base_index(default_cache_dir())
    cache_dir = Path(cache)
    cache_dir.mkdir(parents=True, exist_ok=True)
    link = cache_dir / base.name
    if not link.exists():
        os.symlink(base, link)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.monotonic()
    res = add_sources(cache_dir, [Path(f) for f in files])
    seconds = time.monotonic() - t0
    rep = res.report
    t1 = time.monotonic()
    from fftrack.geo import Gazetteer

    gaz = Gazetteer.open(cache_dir)
    gaz.candidates("Saraqib")
    open_s = time.monotonic() - t1
    print(
        json.dumps(
            {
                "rows": rep.rows if rep else 0,
                "geoname_rows": sum(f.rows for f in rep.files if f.kind == "geoname") if rep else 0,
                "places": rep.places if rep else 0,
                "names": rep.names if rep else 0,
                "bad": dict(rep.bad.counts) if rep else {},
                "seconds": seconds,
                "open_seconds": open_s,
                "rss_start_kb": rss0,
                "rss_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "index": str(res.index),
                "index_mb": res.index.stat().st_size / 1e6,
            }
        )
    )


def _member_size(p: Path) -> int:
    with zipfile.ZipFile(p) as zf:
        return sum(i.file_size for i in zf.infolist())


def _run(cache: Path, files: list[Path]) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", str(cache), *map(str, files)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cache", type=Path, help="keep the full merged index in this directory")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child[0], args.child[1:])
        return 0
    if not GEONAMES.is_dir():
        print(f"skipped: {GEONAMES} not found (shared gazetteer data absent)")
        return 0
    zips = sorted(GEONAMES.glob("*.zip"))
    admin = [GEONAMES / n for n in ADMIN if (GEONAMES / n).exists()]
    sizes = {p: _member_size(p) for p in zips}
    total = sum(sizes.values())
    quarter: list[Path] = []
    acc = 0
    for p in sorted(zips, key=lambda p: -sizes[p]):
        if acc + sizes[p] <= total / 4 * 1.1:
            quarter.append(p)
            acc += sizes[p]
    with tempfile.TemporaryDirectory(prefix="fftrack-gazbench-") as tmp:
        runs = [
            ("admin files only", _run(Path(tmp) / "a", admin)),
            (f"~1/4 ({len(quarter)} files)", _run(Path(tmp) / "q", admin + sorted(quarter))),
            (f"all ({len(zips)} files)", _run(args.cache or Path(tmp) / "all", admin + zips)),
        ]
    print(f"gazetteer build from {GEONAMES} (embedded index linked in, not measured)")
    print(f"{'run':<22}{'dump rows':>10}{'places':>10}{'build s':>9}{'rows/s':>9}"
          f"{'peak RSS MB':>13}{'open s':>8}")  # fmt: skip
    for label, r in runs:
        rows = int(r["geoname_rows"])  # type: ignore[call-overload]
        secs = float(r["seconds"])  # type: ignore[arg-type]
        rate = f"{rows / secs:,.0f}" if rows else "-"
        print(
            f"{label:<22}{rows:>10,}{int(r['places']):>10,}{secs:>9.1f}{rate:>9}"  # type: ignore[call-overload]
            f"{int(r['rss_peak_kb']) / 1024:>13.0f}{float(r['open_seconds']):>8.3f}"  # type: ignore[call-overload, arg-type]
        )
    (_, a), (_, q), (_, full) = runs
    dr = int(full["geoname_rows"]) - int(q["geoname_rows"])  # type: ignore[call-overload]
    ds = float(full["seconds"]) - float(q["seconds"])  # type: ignore[arg-type]
    dm = (int(full["rss_peak_kb"]) - int(q["rss_peak_kb"])) / 1024  # type: ignore[call-overload]
    print(f"marginal rate, 1/4 -> all: {dr / ds:,.0f} rows/s" if ds > 0 else "")
    print(f"peak RSS growth, 1/4 -> all ({dr:,} more rows): {dm:+.0f} MB")
    print(f"bad rows (all): {full['bad']}")
    print(f"merged index: {full['index_mb']:.0f} MB, {full['names']:,} name keys")
    if args.cache:
        print(f"kept: {full['index']} (Gazetteer.open(Path({str(args.cache)!r})))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
