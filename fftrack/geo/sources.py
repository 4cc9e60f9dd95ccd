"""GeoNames dump files added to the gazetteer: the manifest and the merged index.

Added files are recorded in ``gazetteer-sources.json`` in the cache directory (path,
sha256, size, kind, row counts). With sources, the index is
``{DATA_VERSION}+{key}.sqlite`` where ``key`` is a hash of the added files' hashes (in
the order they were added): :meth:`Gazetteer.open` opens it, and builds it once when
missing (a new data version, a deleted cache file) from the embedded index and the
recorded files. Without sources the embedded default index is used, unchanged.

``add_sources`` builds the new index from the current one plus the new files only, so a
file added earlier need not stay on disk; ``remove_sources`` goes back to the default.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fftrack.geo import dumps
from fftrack.geo.dumps import DumpError, DumpFile
from fftrack.geo.gazetteer import DATA_VERSION, GazetteerError, base_index

log = logging.getLogger(__name__)

MANIFEST = "gazetteer-sources.json"
_MANIFEST_VERSION = 1


@dataclass
class AddReport:
    """What ``add_sources`` did: the files merged, those skipped, and the new index."""

    index: Path
    added: list[dict[str, Any]] = field(default_factory=list)  # manifest records
    skipped: list[str] = field(default_factory=list)  # already added (same sha256)
    report: Any = None  # fftrack.geo.merge.MergeReport, None when nothing was merged


def manifest_path(cache_dir: Path) -> Path:
    return Path(cache_dir) / MANIFEST


def read_sources(cache_dir: Path) -> list[dict[str, Any]]:
    """The added files, in the order added ([] when none)."""
    p = manifest_path(cache_dir)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise GazetteerError(
            f"gazetteer sources manifest {p} is unreadable ({exc}); "
            "`fftrack gazetteer remove` goes back to the default"
        ) from exc
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, list) or not all(
        isinstance(s, dict) and isinstance(s.get("sha256"), str) for s in sources
    ):
        raise GazetteerError(f"gazetteer sources manifest {p} is malformed")
    return sources


def _write_sources(cache_dir: Path, sources: list[dict[str, Any]]) -> None:
    p = manifest_path(cache_dir)
    tmp = p.with_name(f"{p.name}.tmp{os.getpid()}")
    body = {"version": _MANIFEST_VERSION, "data_version": DATA_VERSION, "sources": sources}
    tmp.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, p)


def sources_key(sources: list[dict[str, Any]]) -> str:
    h = hashlib.sha256("\n".join(s["sha256"] for s in sources).encode("ascii"))
    return h.hexdigest()[:16]


def index_path(cache_dir: Path, sources: list[dict[str, Any]] | None = None) -> Path:
    """Where the index for these sources lives (the embedded default's path without any)."""
    cache_dir = Path(cache_dir)
    sources = read_sources(cache_dir) if sources is None else sources
    if not sources:
        return cache_dir / f"{DATA_VERSION}.sqlite"
    return cache_dir / f"{DATA_VERSION}+{sources_key(sources)}.sqlite"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def merged_index(cache_dir: Path) -> Path | None:
    """The merged index when sources were added (built once if missing), else None."""
    sources = read_sources(cache_dir)
    if not sources:
        return None
    path = index_path(cache_dir, sources)
    if path.exists():
        return path
    log.info("building the merged gazetteer index %s from %d files (once)", path, len(sources))
    files = []
    for s in sources:
        p = Path(s["path"])
        if not p.is_file():
            raise GazetteerError(
                f"gazetteer source {p} is gone and the index must be rebuilt: add it again, "
                "or `fftrack gazetteer remove` to go back to the default"
            )
        if file_sha256(p) != s["sha256"]:
            raise GazetteerError(f"gazetteer source {p} changed since it was added: add it again")
        try:
            files.append(dumps.classify(p))
        except DumpError as exc:
            raise GazetteerError(str(exc)) from exc
    _merge(cache_dir, base_index(cache_dir), files, path, sources)
    return path


def _merge(
    cache_dir: Path,
    start: Path,
    files: list[DumpFile],
    out: Path,
    sources: list[dict[str, Any]],
    progress: dumps.Progress | None = None,
    max_examples: int = 20,
) -> Any:
    from fftrack.geo.merge import merge_files

    meta = {
        "version": f"{DATA_VERSION}+{sources_key(sources)}",
        "base_version": DATA_VERSION,
        "sources": json.dumps([s["sha256"] for s in sources]),
    }
    return merge_files(
        start,
        base_index(cache_dir),
        out,
        files,
        meta=meta,
        progress=progress,
        max_examples=max_examples,
    )


def add_sources(
    cache_dir: Path,
    paths: list[Path],
    *,
    progress: dumps.Progress | None = None,
    on_total: Any = None,
    max_examples: int = 20,
) -> AddReport:
    """Add GeoNames dump files to the gazetteer in ``cache_dir`` and build its index.

    Every path is checked first (exists, a recognised dump, a readable zip): one bad
    path raises :class:`~fftrack.geo.dumps.DumpError` and nothing changes. Bad rows are
    reported in the result and skipped. ``on_total(bytes)`` is called once with the
    uncompressed size about to be read; ``progress(n)`` as bytes are read.
    """
    cache_dir = Path(cache_dir)
    files = [dumps.classify(Path(p)) for p in paths]
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GazetteerError(f"cannot create cache directory {cache_dir}: {exc}") from exc
    sources = read_sources(cache_dir)
    known = {s["sha256"] for s in sources}
    new: list[tuple[DumpFile, dict[str, Any]]] = []
    result = AddReport(index=index_path(cache_dir, sources))
    for df in files:
        digest = file_sha256(df.path)
        if digest in known:
            result.skipped.append(str(df.path))
            continue
        known.add(digest)
        record = {
            "path": str(df.path.resolve()),
            "name": df.path.name,
            "kind": df.kind,
            "sha256": digest,
            "size": df.path.stat().st_size,
        }
        new.append((df, record))
    if not new:
        # nothing new; still make sure the index exists
        result.index = merged_index(cache_dir) or base_index(cache_dir)
        return result
    start = merged_index(cache_dir) or base_index(cache_dir)
    all_sources = sources + [r for _, r in new]
    out = index_path(cache_dir, all_sources)
    if on_total is not None:
        on_total(sum(df.size for df, _ in new))
    report = _merge(
        cache_dir,
        start,
        [df for df, _ in new],
        out,
        all_sources,
        progress=progress,
        max_examples=max_examples,
    )
    by_path = {st.path: st for st in report.files}
    for df, record in new:
        st = by_path[str(df.path)]
        record.update(
            rows=st.rows,
            added=st.added,
            merged=st.merged,
            bad=st.bad,
            countries=dict(sorted(st.countries.items())),
        )
    _write_sources(cache_dir, all_sources)
    if start != base_index(cache_dir) and start != out:
        start.unlink(missing_ok=True)  # the previous merged index, superseded
    result.index, result.added, result.report = out, [r for _, r in new], report
    return result


def remove_sources(cache_dir: Path) -> list[Path]:
    """Forget the added files and delete merged indexes: back to the embedded default."""
    cache_dir = Path(cache_dir)
    removed = []
    for p in sorted(cache_dir.glob("gaz-*+*.sqlite")):
        p.unlink(missing_ok=True)
        removed.append(p)
    m = manifest_path(cache_dir)
    if m.exists():
        m.unlink()
        removed.append(m)
    return removed


def describe(cache_dir: Path) -> dict[str, Any]:
    """Sources, per-country counts, data version and index path (for ``gazetteer info``)."""
    cache_dir = Path(cache_dir)
    sources = read_sources(cache_dir)
    path = index_path(cache_dir, sources)
    info: dict[str, Any] = {
        "data_version": DATA_VERSION,
        "index": str(path),
        "built": path.exists(),
        "sources": sources,
        "countries": {},
    }
    if not path.exists():
        return info
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
        info["version"] = row[0] if row else "?"
        info["places"] = con.execute("SELECT count(*) FROM places").fetchone()[0]
        wanted = sorted({cc for s in sources for cc in (s.get("countries") or {})})
        counts = dict(con.execute("SELECT country, count(*) FROM places GROUP BY country"))
        for cc in wanted:
            from_files = sum(int((s.get("countries") or {}).get(cc, 0)) for s in sources)
            info["countries"][cc] = {"places": counts.get(cc, 0), "from_files": from_files}
    except sqlite3.Error as exc:
        raise GazetteerError(f"cannot read the gazetteer index {path}: {exc}") from exc
    finally:
        con.close()
    return info
