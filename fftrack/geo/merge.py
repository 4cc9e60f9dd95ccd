"""Merging GeoNames dump files into a copy of the gazetteer index, in chunks.

The merged index starts as a copy of an existing index (the embedded default, or the
previous merged index when files are added one ``add`` at a time) and gains:

* ``places.admin1_code``, ``admin2_code``, ``admin2`` (codes of embedded cities500
  entries too), and a table ``admin_codes`` (code "CC.A1" or "CC.A1.A2", name,
  asciiname, geonameid) from admin1CodesASCII.txt / admin2Codes.txt;
* one place per geonameid: a dump row of a geonameid already in the index complements
  that entry (its codes, admin names where empty, a larger population, and its names)
  and leaves its name, coordinates and feature alone; a new geonameid becomes a place
  with feature "CLASS.CODE";
* the names of each row (name, asciiname, usable alternate names) under the same keys as
  the embedded entries (:func:`fftrack.geo.gazetteer.name_rows`).

Rows are written every ``CHUNK`` rows and names are de-duplicated by a unique index in
SQLite, so memory stays flat however many rows the dumps hold.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fftrack.geo import dumps
from fftrack.geo.dumps import BadRows, Box, DumpFile, GeoRow
from fftrack.geo.gazetteer import (
    KIND_ALT,
    KIND_PRIMARY,
    KIND_SKELETON,
    GazetteerError,
    _clean_admin_name,
    _countryinfo,
    _synthetic_id,
    _usable_alt,
    admin_names,
    load_cities500,
    name_rows,
)

log = logging.getLogger(__name__)

CHUNK = 50_000
BOX_MARGIN = 1.0  # degrees around a country's embedded places and outline
_ORDER = {dumps.KIND_ADMIN1: 0, dumps.KIND_ADMIN2: 1, dumps.KIND_GEONAME: 2, dumps.KIND_ALTNAMES: 3}


@dataclass
class FileStats:
    """What one dump file gave."""

    path: str
    kind: str
    rows: int = 0  # valid rows read
    added: int = 0  # new places
    merged: int = 0  # rows that complemented a place already in the index
    bad: int = 0
    countries: Counter[str] = field(default_factory=Counter)


@dataclass
class MergeReport:
    files: list[FileStats]
    bad: BadRows
    places: int = 0
    names: int = 0
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


def country_boxes(base: Path, margin: float = BOX_MARGIN) -> dict[str, Box]:
    """Per country, a box around its populated places in the embedded index and its
    outline in countryinfo (which reaches sparse corners: the Wakhan, southern Libya),
    plus ``margin`` degrees."""
    con = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT country, min(lat), max(lat), min(lon), max(lon) FROM places"
            " WHERE feature LIKE 'P%' AND country != '' GROUP BY country"
        ).fetchall()
    finally:
        con.close()
    boxes: dict[str, list[float]] = {str(r[0]): [float(x) for x in r[1:]] for r in rows}
    for cc, info in _countryinfo().items():
        outline = _outline_box(info.get("geoJSON"))
        if outline is None:
            continue
        b = boxes.setdefault(cc, list(outline))
        b[:] = [min(b[0], outline[0]), max(b[1], outline[1]), min(b[2], outline[2]),
                max(b[3], outline[3])]  # fmt: skip
    return {
        cc: (
            max(-90.0, a - margin),
            min(90.0, b + margin),
            max(-180.0, c - margin),
            min(180.0, d + margin),
        )
        for cc, (a, b, c, d) in boxes.items()
    }


def _outline_box(geojson: object) -> Box | None:
    lats: list[float] = []
    lons: list[float] = []

    def walk(x: object) -> None:
        if isinstance(x, list):
            if len(x) == 2 and all(isinstance(v, int | float) for v in x):
                lons.append(float(x[0]))  # type: ignore[arg-type]
                lats.append(float(x[1]))  # type: ignore[arg-type]
            else:
                for y in x:
                    walk(y)
        elif isinstance(x, dict):
            walk(x.get("features") or x.get("geometry") or x.get("coordinates"))

    walk(geojson)
    if not lats:
        return None
    return min(lats), max(lats), min(lons), max(lons)


_PREPARE = """
PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;
PRAGMA temp_store=FILE;
CREATE TABLE IF NOT EXISTS admin_codes (code TEXT PRIMARY KEY, name TEXT, asciiname TEXT,
    geonameid INTEGER);
DROP INDEX IF EXISTS names_key;
CREATE UNIQUE INDEX IF NOT EXISTS names_kp ON names(key, place);
CREATE TEMP TABLE alt_stage (key TEXT, place INTEGER, kind INTEGER);
"""

_UPDATE_PLACE = """
UPDATE places SET
  admin1 = CASE WHEN coalesce(admin1, '') = '' THEN ? ELSE admin1 END,
  population = max(coalesce(population, 0), ?),
  admin1_code = CASE WHEN coalesce(admin1_code, '') = '' THEN ? ELSE admin1_code END,
  admin2_code = CASE WHEN coalesce(admin2_code, '') = '' THEN ? ELSE admin2_code END
WHERE id = ?
"""
_INSERT_PLACE = (
    "INSERT OR IGNORE INTO places (id, name, lat, lon, country, admin1, feature, population,"
    " admin1_code, admin2_code, admin2) VALUES (?,?,?,?,?,?,?,?,?,?,'')"
)
_UPSERT_NAME = (
    "INSERT INTO names (key, place, kind) VALUES (?,?,?) ON CONFLICT(key, place)"
    " DO UPDATE SET kind = excluded.kind WHERE excluded.kind < names.kind"
)


@lru_cache(maxsize=100_000)
def _name_keys(name: str) -> tuple[str, ...]:
    return tuple(k for k, _, _ in name_rows(name, 0, KIND_PRIMARY))


def _rows_for(name: str, pid: int, kind: int) -> list[tuple[str, int, int]]:
    """:func:`name_rows`, with the keys of names seen recently remembered."""
    keys = _name_keys(name)
    if not keys:
        return []
    return [(keys[0], pid, kind)] + [(k, pid, KIND_SKELETON) for k in keys[1:]]


class _Merger:
    def __init__(self, con: sqlite3.Connection, boxes: dict[str, Box], bad: BadRows) -> None:
        self.con = con
        self.boxes = boxes
        self.bad = bad
        self.admin1: dict[tuple[str, str], str] = {}  # (cc, code) -> name

    def prepare(self) -> None:
        cols = {r[1] for r in self.con.execute("PRAGMA table_info(places)")}
        for col in ("admin1_code", "admin2_code", "admin2"):
            if col not in cols:
                self.con.execute(f"ALTER TABLE places ADD COLUMN {col} TEXT DEFAULT ''")
        self.con.executescript(_PREPARE)
        self.admin1.update(self._embedded_admin1(fill_codes="admin1_code" not in cols))

    def _embedded_admin1(self, fill_codes: bool) -> dict[tuple[str, str], str]:
        """Admin1 names the embedded build uses; on the first merge into the embedded
        index, the embedded entries' admin codes (from cities500) too."""
        cities = load_cities500()
        admin1_name, city_admin2 = admin_names(cities)
        if fill_codes:
            rows = [
                (str(c["admin1code"] or ""), str(c.get("admin2code") or ""), int(c["geonameid"]))
                for c in cities.values()
            ]
            for (cc, code), _nm in admin1_name.items():
                rows.append((code, "", _synthetic_id("adm1", cc, code)))
            a2 = {
                (c["countrycode"], c["admin1code"], city_admin2[c["geonameid"]])
                for c in cities.values()
                if c["geonameid"] in city_admin2
            }
            rows.extend((code, "", _synthetic_id("adm2", cc, code, nm)) for cc, code, nm in a2)
            self.con.executemany(
                "UPDATE places SET admin1_code = ?, admin2_code = ? WHERE id = ?", rows
            )
            self.con.commit()
        return admin1_name

    def admin_file(self, df: DumpFile, stats: FileStats, progress: dumps.Progress | None) -> None:
        rows = list(dumps.read_admin_codes(df, self.bad, progress))
        self.con.executemany("INSERT OR REPLACE INTO admin_codes VALUES (?,?,?,?)", rows)
        stats.rows = len(rows)
        if df.kind == dumps.KIND_ADMIN1:
            for code, _name, ascii_name, _gid in rows:
                cc, a1 = code.split(".", 1)
                self.admin1.setdefault((cc, a1), _clean_admin_name(ascii_name or _name))

    def _load_admin1_table(self) -> None:
        for code, name, ascii_name in self.con.execute(
            "SELECT code, name, asciiname FROM admin_codes WHERE code NOT LIKE '%.%.%'"
        ):
            cc, a1 = str(code).split(".", 1)
            self.admin1.setdefault((cc, a1), _clean_admin_name(str(ascii_name or name)))

    def geoname_file(self, df: DumpFile, stats: FileStats, progress: dumps.Progress | None) -> None:
        chunk: list[GeoRow] = []
        for row in dumps.read_geonames(df, self.bad, self.boxes, progress):
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self._write(chunk, stats)
                chunk = []
        if chunk:
            self._write(chunk, stats)

    def _write(self, rows: list[GeoRow], stats: FileStats) -> None:
        a1name = self.admin1
        updates = []
        inserts = []
        names: set[tuple[str, int, int]] = set()
        for r in rows:
            a1 = a1name.get((r.country, r.admin1_code), "")
            updates.append((a1, r.population, r.admin1_code, r.admin2_code, r.id))
            inserts.append(
                (r.id, r.name, r.lat, r.lon, r.country, a1, r.feature, r.population,
                 r.admin1_code, r.admin2_code)
            )  # fmt: skip
            names.update(_rows_for(r.name, r.id, KIND_PRIMARY))
            if r.name.startswith("City of ") and len(r.name) > 9:
                names.update(_rows_for(r.name[8:], r.id, KIND_PRIMARY))
            if r.asciiname and r.asciiname != r.name:
                names.update(_rows_for(r.asciiname, r.id, KIND_PRIMARY))
            for alt in r.alternatenames.split(","):
                alt = alt.strip()
                if alt and _usable_alt(alt):
                    names.update(_rows_for(alt, r.id, KIND_ALT))
            stats.countries[r.country] += 1
        with self.con:
            merged = self.con.executemany(_UPDATE_PLACE, updates).rowcount
            added = self.con.executemany(_INSERT_PLACE, inserts).rowcount
            self.con.executemany(_UPSERT_NAME, sorted(names))
        stats.rows += len(rows)
        stats.added += added
        stats.merged += merged

    def altnames_file(
        self, df: DumpFile, stats: FileStats, progress: dumps.Progress | None
    ) -> None:
        batch: set[tuple[str, int, int]] = set()
        for gid, alt in dumps.read_alternate_names(df, self.bad, progress):
            stats.rows += 1
            if _usable_alt(alt):
                batch.update(_rows_for(alt, gid, KIND_ALT))
            if len(batch) >= CHUNK:
                self.con.executemany("INSERT INTO alt_stage VALUES (?,?,?)", sorted(batch))
                batch = set()
        self.con.executemany("INSERT INTO alt_stage VALUES (?,?,?)", sorted(batch))

    def finish(self) -> None:
        con = self.con
        with con:
            # alternate names only for places in the index
            con.execute(
                "INSERT INTO names (key, place, kind) SELECT key, place, min(kind) FROM alt_stage"
                " WHERE place IN (SELECT id FROM places) GROUP BY key, place"
                " ON CONFLICT(key, place) DO UPDATE SET kind = excluded.kind"
                " WHERE excluded.kind < names.kind"
            )
            # admin names from admin code files added now or before, where still empty
            con.execute(
                "UPDATE places SET admin2 = (SELECT coalesce(nullif(a.asciiname, ''), a.name)"
                " FROM admin_codes a WHERE a.code = places.country || '.' || places.admin1_code"
                " || '.' || places.admin2_code) WHERE coalesce(admin2, '') = ''"
                " AND admin2_code != '' AND EXISTS (SELECT 1 FROM admin_codes a WHERE a.code ="
                " places.country || '.' || places.admin1_code || '.' || places.admin2_code)"
            )
            # admin1 names for rows added before their admin1 file was (set-based: flat memory)
            con.execute("CREATE TEMP TABLE a1_names (country TEXT, code TEXT, name TEXT)")
            con.executemany(
                "INSERT INTO a1_names VALUES (?,?,?)",
                ((cc, a1, nm) for (cc, a1), nm in self.admin1.items()),
            )
            con.execute("CREATE UNIQUE INDEX temp.a1_names_cc ON a1_names(country, code)")
            con.execute(
                "UPDATE places SET admin1 = (SELECT a.name FROM a1_names a"
                " WHERE a.country = places.country AND a.code = places.admin1_code)"
                " WHERE coalesce(admin1, '') = '' AND admin1_code != '' AND EXISTS"
                " (SELECT 1 FROM a1_names a WHERE a.country = places.country"
                " AND a.code = places.admin1_code)"
            )
        con.execute("DROP INDEX names_kp")
        con.execute("CREATE INDEX names_key ON names(key)")
        con.commit()


def merge_files(
    start: Path,
    base: Path,
    out: Path,
    files: Iterable[DumpFile],
    *,
    meta: dict[str, str],
    progress: dumps.Progress | None = None,
    max_examples: int = 20,
) -> MergeReport:
    """Write ``out``: a copy of the index ``start`` with ``files`` merged in.

    ``base`` is the embedded default index (country boxes for the row check come from
    it). Written to a temporary file and renamed, so ``out`` is complete or absent.
    """
    t0 = time.monotonic()
    ordered = sorted(files, key=lambda f: _ORDER.get(f.kind, 9))
    bad = BadRows(max_examples=max_examples)
    report = MergeReport([FileStats(str(f.path), f.kind) for f in ordered], bad)
    tmp = out.with_name(f"{out.name}.tmp{os.getpid()}")
    try:
        shutil.copyfile(start, tmp)
        con = sqlite3.connect(tmp)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise GazetteerError(f"cannot write the merged gazetteer {out}: {exc}") from exc
    try:
        m = _Merger(con, country_boxes(base), bad)
        m.prepare()
        m._load_admin1_table()
        for df, stats in zip(ordered, report.files, strict=True):
            before = bad.total
            log.info("gazetteer: reading %s (%s)", df.label, df.kind)
            if df.kind in (dumps.KIND_ADMIN1, dumps.KIND_ADMIN2):
                m.admin_file(df, stats, progress)
            elif df.kind == dumps.KIND_ALTNAMES:
                m.altnames_file(df, stats, progress)
            else:
                m.geoname_file(df, stats, progress)
            stats.bad = bad.total - before
        m.finish()
        con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(meta.items()))
        con.commit()
        report.places = con.execute("SELECT count(*) FROM places").fetchone()[0]
        report.names = con.execute("SELECT count(*) FROM names").fetchone()[0]
        con.close()
        os.replace(tmp, out)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    report.seconds = time.monotonic() - t0
    log.info(
        "merged gazetteer %s: %d rows, %d places, %d bad rows in %.1f s",
        out, report.rows, report.places, bad.total, report.seconds,
    )  # fmt: skip
    return report


__all__ = ["CHUNK", "FileStats", "MergeReport", "country_boxes", "merge_files"]
