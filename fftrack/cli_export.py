"""``fftrack export`` and ``fftrack datasette-metadata``: the store into the tools
researchers already use.

``export --format F -o FILE [filters]`` streams the store's records (memory stays flat):

- ``acled``: ACLED-shaped CSV of merged events (``fftrack.export.acled``);
- ``geojson`` / ``kml``: events as Points, movements as LineStrings (a one-ended
  movement as a Point with a ``role``); ``--kind all`` puts both in one file;
- ``jsonl``: every record with its full provenance (``--kind all``: events, movements
  and figures, each with ``record_kind``);
- ``ftm``: FollowTheMoney entities, JSON Lines (``fftrack.export.ftm``);
- ``parquet``: one file per table into the folder ``-o DIR`` (the whole store).

The filters are those of ``fftrack events``.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Generator, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import click

from fftrack.errors import UsageError

EXPORT_FORMATS = ("acled", "geojson", "kml", "jsonl", "ftm", "parquet")
EXPORT_KINDS = ("events", "movements", "all")
_EVENTS_ONLY = ("acled", "ftm")


def _filters(m: Any, fn: Any) -> Any:
    opts = [
        click.option("--since", help="From this date (YYYY, YYYY-MM, YYYY-MM-DD)."),
        click.option("--until", help="Up to this date (the same rule)."),
        click.option(
            "--include-undated",
            is_flag=True,
            help="With --since/--until, also records without a date of their own whose "
            "report was published in the period.",
        ),
        click.option("--country", help=m.COUNTRY_HELP["events"]),
        click.option("--place", help="Place name, as written or resolved."),
        click.option("--type", "type_", help=m.TYPE_HELP["events"]),
        click.option("--actor", help="Actor name or normalised name (substring)."),
        click.option("--bbox", help="W,S,E,N in degrees."),
        click.option("--limit", type=int, help="At most N rows (per kind)."),
        click.option("--offset", type=int, default=0, help="Skip N rows (per kind)."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


_FILTER_NAMES = ("since", "until", "country", "place", "type_", "actor", "bbox", "limit")


def _records(
    reader: Any, kind: str, q: Any, with_figures: bool
) -> Generator[tuple[str, Any], None, None]:
    streams: list[tuple[str, Any]] = []
    if kind in ("events", "all"):
        streams.append(("events", lambda: reader.iter_merged_events(q)))
    if kind in ("movements", "all"):
        streams.append(("movements", lambda: reader.iter_select("movements", q)))
    if kind == "all" and with_figures and q.bbox is None:  # figures have no coordinates
        streams.append(("figures", lambda: reader.iter_select("figures", q)))
    for name, make in streams:
        with closing(make()) as rows:
            for row in rows:
                yield name, row


def _jsonl(items: Iterator[tuple[str, Any]], out: Any) -> int:
    from fftrack.export.jsonout import dumps

    n = 0
    for kind, row in items:
        out.write(dumps({"record_kind": kind.rstrip("s"), **row}))
        out.write("\n")
        n += 1
    return n


def export_store(
    db: str, fmt: str, output: str | None, kind: str, q: Any, has_filters: bool
) -> tuple[int, str]:
    """Run one export; returns (what was written, a word for it)."""
    from fftrack.cli_output import open_output
    from fftrack.views import StoreReader

    if fmt in _EVENTS_ONLY and kind != "events":
        raise UsageError(f"--format {fmt} exports events only (leave out --kind {kind})")
    if fmt == "parquet":
        from fftrack.export.parquet import _pa, output_folder, write_parquet

        if has_filters or kind != "events":
            raise UsageError(
                "--format parquet writes every table whole: filter the files in pandas, "
                "R or DuckDB (or use another format with filters)"
            )
        _pa()  # a missing pyarrow is found before anything is created
        folder = output_folder(output)
        with StoreReader(db) as reader:
            counts = write_parquet(reader, folder)
        return sum(counts.values()), f"rows in {len(counts)} Parquet files in {folder}"
    if fmt == "ftm":
        from fftrack.export.ftm import _model

        _model()
    with StoreReader(db) as reader, open_output(output) as out:
        # each stream is closed (its snapshot of the store ended) before the reader is
        if fmt == "acled":
            from fftrack.export.acled import write_acled

            with closing(reader.iter_merged_events(q)) as rows:
                return write_acled(rows, out), "events"
        if fmt == "ftm":
            from fftrack.export.ftm import write_ftm

            with closing(reader.iter_merged_events(q)) as rows:
                return write_ftm(rows, out), "entities"
        with closing(_records(reader, kind, q, fmt == "jsonl")) as items:
            if fmt == "geojson":
                from fftrack.export.geojson import write_features

                return write_features(items, out, kind), "features"
            if fmt == "kml":
                from fftrack.export.kml import write_placemarks

                return write_placemarks(items, out, kind), "placemarks"
            if fmt == "jsonl":
                return _jsonl(items, out), "records"
    raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")


REFERENCE_SOURCES = ("acled", "gdelt")
_BATCH = 5000


def _import_rows(
    db: str, source: str, path: str, items: Iterator[tuple[int, Any, str]], warn: Any
) -> tuple[int, int]:
    """Store the good rows of ``items`` a batch at a time; warn of the first 20 bad
    lines (``FILE:LINE: reason``), count the rest. Returns (imported, bad lines)."""
    from fftrack.store import Store

    n = bad = 0
    with Store.open(db) as store:
        batch: list[dict[str, Any]] = []
        for line, row, reason in items:
            if row is None:
                bad += 1
                if bad <= 20:
                    warn(f"{path}:{line}: {reason}")
                elif bad == 21:
                    warn(f"{path}: more bad lines: counted, not listed")
                continue
            batch.append(row)
            if len(batch) >= _BATCH:
                n += store.import_reference(source, batch, imported_from=path)
                batch = []
        n += store.import_reference(source, batch, imported_from=path)
    return n, bad


def import_acled_file(db: str, path: str, warn: Any) -> tuple[int, int]:
    """Read an ACLED CSV into the store's reference events: (imported, bad lines)."""
    from fftrack.export.reference import read_acled_csv

    try:
        fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        why = "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror or exc
        raise UsageError(f"cannot read {path}: {why}") from None
    with fh:
        try:
            return _import_rows(db, "acled", path, read_acled_csv(fh), warn)
        except UnicodeDecodeError as exc:
            raise UsageError(f"cannot read {path}: not UTF-8 text ({exc.reason})") from None
        except csv.Error as exc:
            raise UsageError(f"cannot read {path}: not CSV ({exc})") from None


def import_gdelt_file(db: str, path: str, warn: Any) -> tuple[int, int]:
    """Read a GDELT 2.0 event export (``.CSV`` or ``.CSV.zip``) into the store's
    reference events: (imported, bad lines)."""
    import zipfile
    import zlib

    from fftrack.export.gdelt import open_lines, read_gdelt

    lines, handle = open_lines(path)
    with handle:
        try:
            return _import_rows(db, "gdelt", path, read_gdelt(lines), warn)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise UsageError(f"cannot read {path}: a broken zip file ({exc})") from None


def import_reference_file(db: str, source: str, path: str, warn: Any) -> tuple[int, int]:
    """``fftrack import SOURCE FILE``: (imported, bad lines)."""
    if source == "gdelt":
        return import_gdelt_file(db, path, warn)
    return import_acled_file(db, path, warn)


def compare_store(
    db: str, source: str, q: Any, unmatched: str | None, per_report: bool = False
) -> dict[str, Any]:
    """Compare the store's merged events with its ``source`` reference events."""
    from fftrack.cli_output import open_output
    from fftrack.export.gdelt import MATCHER as GDELT_MATCHER
    from fftrack.export.reference import MATCHER, compare, write_unmatched
    from fftrack.views import StoreReader

    MATCHERS = {"acled": MATCHER, "gdelt": GDELT_MATCHER}  # noqa: N806
    since = q.since.isoformat() if q.since else None
    until = q.until.isoformat() if q.until else None
    with StoreReader(db) as reader:
        with closing(reader.iter_reference(source, since, until, q.country)) as refs:
            reference, untyped = [], 0
            for r in refs:
                if r.get("family") is None:  # no type family: not comparable
                    untyped += 1
                else:
                    reference.append(r)
        if not reference:
            what = f" of a comparable type ({untyped} others)" if untyped else ""
            raise UsageError(
                f"no {source} reference events{what} in {db} for these filters: "
                f"import them first (`fftrack import {source} FILE`)"
            )
        ours = reader.iter_select("events", q) if per_report else reader.iter_merged_events(q)
        with closing(ours) as rows:
            result = compare(rows, reference, MATCHERS[source])
    summary = result.summary()
    summary["source"] = source
    summary["reference_untyped"] = untyped
    if unmatched:
        with open_output(unmatched) as out:
            summary["unmatched_rows"] = write_unmatched(result, out)
    return summary


def summary_lines(
    s: dict[str, Any], q: Any, unmatched: str | None, per_report: bool = False
) -> list[str]:
    scope = ", ".join(
        x
        for x in (
            f"country {q.country}" if q.country else "",
            f"since {q.since}" if q.since else "",
            f"until {q.until}" if q.until else "",
        )
        if x
    )
    out = [
        f"compare with {s.get('source', 'acled')} ({s['matcher']})"
        + (f": {scope}" if scope else ""),
        f"fftrack events:     {s['fftrack_events']} "
        + ("(one per report)" if per_report else "(merged across sources)"),
        f"reference events:   {s['reference_events']}"
        + (
            f" (and {s['reference_untyped']} of no comparable type, left out)"
            if s.get("reference_untyped")
            else ""
        ),
        f"matched:            {s['matched']}",
        f"only fftrack:       {s['only_fftrack']}",
        f"only reference:     {s['only_reference']}",
    ]
    err = s["median_place_error_km"]
    out.append(
        "median place error: "
        + (f"{err} km over {s['pairs_with_coordinates']} matched pairs" if err is not None else "-")
    )
    if s["matched"] and not s.get("pairs_with_fatalities"):
        out.append("fatalities:         - (the reference codes none)")
    elif s["matched"]:
        out.append(
            f"fatalities:         equal in {s['fatalities_equal']}, fftrack higher in "
            f"{s['fatalities_fftrack_higher']}, lower in {s['fatalities_fftrack_lower']}; "
            f"median |difference| {s['fatalities_median_abs_difference']:g}"
            + (
                f" (over {s['pairs_with_fatalities']} pairs with a reference figure)"
                if s["pairs_with_fatalities"] < s["matched"]
                else ""
            )
        )
    if unmatched:
        out.append(f"unmatched:          {s.get('unmatched_rows', 0)} rows written to {unmatched}")
    return out


def register(cli: click.Group) -> None:
    """Add ``export`` and ``datasette-metadata`` to ``cli`` (built against the module
    that defines it: ``fftrack.cli``, or ``__main__`` under ``python -m fftrack.cli``)."""
    m = sys.modules[cli.callback.__module__]  # type: ignore[union-attr]

    def filters(fn: Any) -> Any:
        return _filters(m, fn)

    @click.command(name="export")
    @click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
    @click.option(
        "-o",
        "--output",
        type=click.Path(),
        help="File to write (stdout if left out); for parquet a folder.",
    )
    @click.option(
        "--kind",
        type=click.Choice(EXPORT_KINDS),
        default="events",
        show_default=True,
        help="geojson, kml, jsonl: events, movements or all (jsonl all: figures too, unless --bbox).",
    )
    @filters
    @m.store_options
    @click.pass_obj
    def export(state: Any, fmt: str, output: str | None, kind: str, **kw: Any) -> None:
        """Export merged events (and movements) as ACLED CSV, GeoJSON, KML, JSON Lines,
        FollowTheMoney or Parquet."""

        def body() -> int:
            from fftrack.cli_output import warn

            q = m.build_query(**kw)
            has_filters = any(kw.get(k) not in (None, "", False) for k in _FILTER_NAMES) or bool(
                kw.get("offset")
            )
            n, what = export_store(state.config.db, fmt, output, kind, q, has_filters)
            where = "" if fmt == "parquet" else f" to {output}" if output and output != "-" else ""
            warn(f"exported {n} {what}{where}")
            return 0

        m.run_guarded(body)

    @click.command(name="datasette-metadata")
    @click.option("-o", "--output", type=click.Path(), help="File to write (stdout if left out).")
    @click.option(
        "--database",
        help="Datasette's name for the store (default: the store file's name without .db).",
    )
    @m.store_options
    @click.pass_obj
    def datasette_metadata(state: Any, output: str | None, database: str | None) -> None:
        """Write metadata.json for `datasette STORE.db -m metadata.json`."""

        def body() -> int:
            from fftrack.cli_output import json_text, open_output
            from fftrack.export.datasette import build_metadata

            name = database or Path(str(state.config.db)).stem
            with open_output(output) as out:
                out.write(json_text(build_metadata(name), indent=2))
                out.write("\n")
            return 0

        m.run_guarded(body)

    cli.add_command(export)
    cli.add_command(datasette_metadata)

    @click.group(name="import")
    def import_group() -> None:
        """Import reference events (coded by others), kept apart from fftrack's own."""

    def import_command(source: str, doc: str) -> None:
        @import_group.command(name=source, help=doc)
        @click.argument("path", type=click.Path(dir_okay=False))
        @m.store_options
        @click.pass_obj
        def import_cmd(state: Any, path: str) -> None:
            def body() -> int:
                from fftrack.cli_output import warn

                n, bad = import_reference_file(state.config.db, source, path, warn)
                warn(f"imported {n} {source} reference events from {path}; {bad} lines skipped")
                return 1 if bad else 0

            m.run_guarded(body)

    import_command("acled", "Import an ACLED CSV export (ACLED's own, or `export --format acled`).")
    import_command(
        "gdelt",
        "Import a GDELT 2.0 event export (YYYYMMDDHHMMSS.export.CSV or .CSV.zip: "
        "tab-separated, 61 columns).",
    )

    @click.command(name="compare")
    @click.option(
        "--with",
        "with_",
        type=click.Choice(REFERENCE_SOURCES),
        required=True,
        help="Reference source (imported with `fftrack import acled|gdelt`).",
    )
    @click.option(
        "-o",
        "--unmatched",
        type=click.Path(),
        help="Write the unmatched events of both sides to this CSV, for review.",
    )
    @click.option(
        "--per-report",
        is_flag=True,
        help="Match each report's events, not events merged across sources (as ACLED codes "
        "each note).",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
    @filters
    @m.store_options
    @click.pass_obj
    def compare_cmd(
        state: Any, with_: str, unmatched: str | None, per_report: bool, as_json: bool, **kw: Any
    ) -> None:
        """Match fftrack's merged events to imported reference events (ACLED, GDELT) and print
        matched / only-fftrack / only-reference, place error and fatality differences."""

        def body() -> int:
            from fftrack.cli_output import json_text

            q = m.build_query(**kw)
            summary = compare_store(state.config.db, with_, q, unmatched, per_report)
            if as_json:
                click.echo(json_text(summary, indent=2))
            else:
                for line in summary_lines(summary, q, unmatched, per_report):
                    click.echo(line)
            return 0

        m.run_guarded(body)

    cli.add_command(import_group)
    cli.add_command(compare_cmd)
