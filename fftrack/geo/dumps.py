"""Streaming readers of GeoNames' own dump files, validating each row.

Files as GeoNames publishes them (https://download.geonames.org/export/dump/):

* ``CC.zip`` / ``CC.txt``, ``allCountries.zip``, ``cities500.zip`` (and cities1000,
  5000, 15000): the "geoname" format, 19 tab-separated columns, no header, UTF-8;
* ``admin1CodesASCII.txt`` (``CC.A1``, name, asciiname, geonameid) and ``admin2Codes.txt``
  (``CC.A1.A2``, ...);
* ``alternateNamesV2.zip`` / ``.txt`` (alternateNameId, geonameid, isolanguage, name, ...).

Zip members are streamed (never loaded whole). A row that fails a check is recorded in
:class:`BadRows` as (file, line, reason) and skipped; it never stops the reading.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO

from fftrack.errors import UsageError

GEONAME_COLUMNS = 19
KIND_GEONAME = "geoname"
KIND_ADMIN1 = "admin1"
KIND_ADMIN2 = "admin2"
KIND_ALTNAMES = "altnames"
_ADMIN_FILES = {"admin1codesascii.txt": KIND_ADMIN1, "admin2codes.txt": KIND_ADMIN2}
# alternate names that are not names: links, postcodes, airport and other codes
_ALT_SKIP_LANG = frozenset("link post iata icao faac abbr fr_1793 wkdt unlc tcid phon piny".split())

Progress = Callable[[int], None]  # called with the number of (uncompressed) bytes just read


class DumpError(UsageError):
    """A file given as a GeoNames dump is missing, not a zip, or not in a known format."""


@dataclass(frozen=True)
class DumpFile:
    """One dump file: where it is, what it holds, and its uncompressed size."""

    path: Path
    kind: str
    member: str | None  # the .txt member of a zip, None for a plain text file
    size: int  # uncompressed bytes (for progress)

    @property
    def label(self) -> str:
        return f"{self.path.name}:{self.member}" if self.member else self.path.name


@dataclass
class BadRows:
    """Counts of bad rows per reason, and the first ``max_examples`` as (file, line, detail)."""

    max_examples: int = 20
    counts: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[str, int, str]] = field(default_factory=list)

    def add(self, file: str, line: int, reason: str, detail: str = "") -> None:
        self.counts[reason] += 1
        if len(self.examples) < self.max_examples:
            self.examples.append((file, line, f"{reason}: {detail}" if detail else reason))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class GeoRow:
    """One valid row of a geoname-format dump."""

    id: int
    name: str
    asciiname: str
    alternatenames: str  # comma-separated, as in the file
    lat: float
    lon: float
    feature: str  # "CLASS.CODE", e.g. "P.PPL"
    country: str
    admin1_code: str
    admin2_code: str
    population: int


Box = tuple[float, float, float, float]  # min lat, max lat, min lon, max lon


_FEATURES: frozenset[str] | None = None


def feature_codes() -> frozenset[str]:
    """Known GeoNames features as "CLASS.CODE" (from fftrack/data/geo/feature_codes.txt)."""
    global _FEATURES
    if _FEATURES is None:
        text = resources.files("fftrack").joinpath("data/geo/feature_codes.txt").read_text("utf-8")
        out: set[str] = set()
        for line in text.splitlines():
            parts = line.split()
            if parts and not line.startswith("#"):
                out.update(f"{parts[0]}.{code}" for code in parts[1:])
        _FEATURES = frozenset(out)
    return _FEATURES


def _kind_of(name: str) -> str:
    low = name.lower()
    if low in _ADMIN_FILES:
        return _ADMIN_FILES[low]
    if low.startswith("alternatenames"):
        return KIND_ALTNAMES
    return KIND_GEONAME


def classify(path: Path, name: str | None = None) -> DumpFile:
    """Recognise a dump file by its name (``name`` overrides ``path.name``) and content.

    Raises :class:`DumpError` (one line) for a missing file, a broken zip, a zip without
    a GeoNames text member, or a file whose first rows are not in the expected format.
    """
    name = name or path.name
    if not path.is_file():
        raise DumpError(f"no such file: {path}")
    member: str | None = None
    if name.lower().endswith(".zip"):
        try:
            with zipfile.ZipFile(path) as zf:
                infos = [
                    i
                    for i in zf.infolist()
                    if i.filename.lower().endswith(".txt")
                    and i.filename.lower() not in ("readme.txt", "iso-languagecodes.txt")
                ]
        except (zipfile.BadZipFile, OSError) as exc:
            raise DumpError(f"{path}: not a zip file ({exc})") from exc
        want = Path(name).stem.lower() + ".txt"
        info = next((i for i in infos if i.filename.lower() == want), None)
        if info is None and len(infos) == 1:
            info = infos[0]
        if info is None:
            raise DumpError(f"{path}: no {Path(name).stem}.txt inside the zip")
        member, size, kind = info.filename, info.file_size, _kind_of(info.filename)
    else:
        size, kind = path.stat().st_size, _kind_of(name)
    df = DumpFile(path, kind, member, size)
    _check_format(df)
    return df


def _check_format(df: DumpFile) -> None:
    want = {KIND_GEONAME: GEONAME_COLUMNS, KIND_ADMIN1: 4, KIND_ADMIN2: 4}.get(df.kind, 4)
    seen: list[int] = []
    try:
        with open_lines(df) as lines:
            for line in lines:
                if line.strip() and not line.startswith("#"):
                    seen.append(len(line.rstrip("\r\n").split("\t")))
                    if len(seen) >= 5:
                        break
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise DumpError(f"{df.path}: cannot be read ({exc})") from exc
    if not seen:
        raise DumpError(f"{df.path}: empty")
    ok = (lambda n: n == want) if df.kind == KIND_GEONAME else (lambda n: n >= want)
    if not any(ok(n) for n in seen):
        what = {KIND_GEONAME: "GeoNames geoname dump"}.get(df.kind, f"GeoNames {df.kind} file")
        raise DumpError(
            f"{df.path}: not a {what} (first rows have {seen[0]} tab-separated columns,"
            f" expected {want})"
        )


class _Counting(io.RawIOBase):
    """A binary stream that reports how many bytes were read through it."""

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(b))
        n = len(data)
        b[:n] = data
        if n and self._progress is not None:
            self._progress(n)
        return n


@contextmanager
def open_lines(df: DumpFile, progress: Progress | None = None) -> Iterator[IO[str]]:
    """The file's lines as text (UTF-8; undecodable bytes become U+FFFD), streamed."""
    if df.member is None:
        raw: IO[bytes] = open(df.path, "rb")
        zf = None
    else:
        zf = zipfile.ZipFile(df.path)
        raw = zf.open(df.member)
    try:
        buffered = io.BufferedReader(_Counting(raw, progress), buffer_size=1 << 16)
        text = io.TextIOWrapper(buffered, encoding="utf-8", errors="replace", newline="")
        yield text
    finally:
        raw.close()
        if zf is not None:
            zf.close()


def _parse_geoname(cols: list[str], boxes: dict[str, Box]) -> GeoRow | tuple[str, str]:
    """A valid row, or (reason, detail)."""
    if len(cols) != GEONAME_COLUMNS:
        return "columns", f"{len(cols)} columns, expected {GEONAME_COLUMNS}"
    gid = cols[0]
    if not gid.isdigit() or int(gid) <= 0:
        return "geonameid", f"{gid[:20]!r} is not a positive number"
    name = cols[1].strip()
    if not name:
        return "name", "empty name"
    try:
        lat, lon = float(cols[4]), float(cols[5])
    except ValueError:
        return "coordinates", f"{cols[4][:20]!r}, {cols[5][:20]!r} are not numbers"
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or lat != lat or lon != lon:
        return "coordinates", f"{lat}, {lon} out of range"
    feature = f"{cols[6]}.{cols[7]}"
    if feature not in feature_codes():
        return "feature", f"unknown feature class/code {feature!r}"
    cc = cols[8].strip().upper()
    box = boxes.get(cc)
    if box is not None and not (box[0] <= lat <= box[1] and box[2] <= lon <= box[3]):
        return "outside country", (
            f"{lat}, {lon} is outside {cc} (lat {box[0]:.1f}..{box[1]:.1f},"
            f" lon {box[2]:.1f}..{box[3]:.1f})"
        )
    pop = cols[14].strip()
    if pop and not pop.isdigit():
        return "population", f"{pop[:20]!r} is not a number"
    if "\ufffd" in cols[1] or "\ufffd" in cols[3]:
        return "encoding", "not UTF-8"
    return GeoRow(
        int(gid),
        name,
        cols[2].strip(),
        cols[3],
        lat,
        lon,
        feature,
        cc,
        cols[10].strip(),
        cols[11].strip(),
        int(pop or 0),
    )


def read_geonames(
    df: DumpFile, bad: BadRows, boxes: dict[str, Box], progress: Progress | None = None
) -> Iterator[GeoRow]:
    """Valid rows of a geoname-format dump; bad ones go to ``bad`` with their line."""
    with open_lines(df, progress) as lines:
        for lineno, line in enumerate(lines, start=1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            got = _parse_geoname(line.split("\t"), boxes)
            if isinstance(got, GeoRow):
                yield got
            else:
                bad.add(df.label, lineno, *got)


def read_admin_codes(
    df: DumpFile, bad: BadRows, progress: Progress | None = None
) -> Iterator[tuple[str, str, str, int]]:
    """(code, name, asciiname, geonameid) rows of admin1CodesASCII.txt / admin2Codes.txt."""
    parts_wanted = 2 if df.kind == KIND_ADMIN1 else 3
    with open_lines(df, progress) as lines:
        for lineno, line in enumerate(lines, start=1):
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 4:
                bad.add(df.label, lineno, "columns", f"{len(cols)} columns, expected 4")
                continue
            code = cols[0].strip()
            if len(code.split(".")) != parts_wanted or not code[:2].isalpha():
                bad.add(df.label, lineno, "admin code", f"{code[:30]!r}")
                continue
            gid = cols[3].strip()
            yield code, cols[1].strip(), cols[2].strip(), int(gid) if gid.isdigit() else 0


def read_alternate_names(
    df: DumpFile, bad: BadRows, progress: Progress | None = None
) -> Iterator[tuple[int, str]]:
    """(geonameid, name) rows of alternateNamesV2.txt, without links and codes."""
    with open_lines(df, progress) as lines:
        for lineno, line in enumerate(lines, start=1):
            cols = line.rstrip("\r\n").split("\t")
            if len(cols) < 4:
                if line.strip():
                    bad.add(df.label, lineno, "columns", f"{len(cols)} columns, expected 4+")
                continue
            if not cols[1].isdigit():
                bad.add(df.label, lineno, "geonameid", f"{cols[1][:20]!r} is not a number")
                continue
            if cols[2] in _ALT_SKIP_LANG or "\ufffd" in cols[3]:
                continue
            yield int(cols[1]), cols[3].strip()
