"""The command line: parse, call the library, print, map errors to exit codes.

Exit codes: 0 ok, 1 some documents failed (or a runtime error), 2 usage error.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

import click

from fftrack.cli_output import json_text
from fftrack.config import Config, activate, load_config, using
from fftrack.errors import FftrackError, UsageError

log = logging.getLogger("fftrack")

FORMATS = ("table", "json", "jsonl", "csv", "geojson", "kml")
KINDS = ("events", "movements", "figures", "actors", "places")


class State:
    def __init__(
        self, config: Config, db: str | None = None, config_path: str | None = None
    ) -> None:
        self.config = config
        self.db = db
        self.config_path = config_path

    def reload(self) -> None:
        """The configuration again, after ``--db``/``--config`` given after the command."""
        try:
            self.config = load_config(self.config_path, overrides={"db": self.db})
        except FftrackError as exc:
            fail(str(exc), exc.exit_code)
        activate(self.config)


def fail(message: str, code: int = 2) -> None:
    from fftrack.cli_tables import terminal_safe

    click.echo(f"fftrack: error: {terminal_safe(message)}", err=True)
    sys.exit(code)


DB_HELP = "SQLite store (default ./fftrack.db, env FFTRACK_DB)."
CONFIG_HELP = "TOML config file (env FFTRACK_CONFIG)."


def _late_setting(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        state = ctx.find_object(State)
        if value is None or state is None:
            return
        setattr(state, name, value)
        state.reload()

    return callback


def store_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--db`` and ``--config`` after the command too (``fftrack ingest --db x.db ...``),
    as before it; given in both places, the one after the command wins."""
    fn = click.option(
        "--config",
        type=click.Path(dir_okay=False),
        expose_value=False,
        callback=_late_setting("config_path"),
        help=CONFIG_HELP,
    )(fn)
    return click.option(
        "--db",
        type=click.Path(dir_okay=False),
        expose_value=False,
        callback=_late_setting("db"),
        help=DB_HELP,
    )(fn)


class Terminated(BaseException):
    """SIGTERM arrived: unwind (open transactions roll back) and exit 143.

    A BaseException, like KeyboardInterrupt, so no `except Exception` swallows it.
    """


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def run_guarded(fn: Callable[[], int | None]) -> None:
    """Run a command body; users see one line for their own mistakes, never a traceback."""
    try:
        code = fn()
    except FftrackError as exc:
        fail(str(exc), getattr(exc, "exit_code", 1))
    except sqlite3.DatabaseError as exc:  # one the store did not translate: still one line
        fail("store error: " + " ".join(str(exc).split()), 1)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except Terminated:
        fail("terminated", 143)
    except BrokenPipeError:  # `fftrack events | head`
        sys.stderr.close()
        sys.exit(0)
    sys.exit(code or 0)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False), help=DB_HELP)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help=CONFIG_HELP)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="fftrack")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config_path: str | None, verbose: int) -> None:
    """fftrack: sourced, geocoded records of conflict events, movements and figures."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(config_path, overrides={"db": db})
    except FftrackError as exc:
        fail(str(exc), exc.exit_code)
    # the library reads its settings (web cache, assets, actor tables) through this one
    ctx.with_resource(using(config))
    ctx.obj = State(config, db=db, config_path=config_path)


def make_pipeline(config: Config) -> Any:
    from fftrack.pipeline import Pipeline

    return Pipeline(config)


def _extractor(config: Config, workers: int, scheduler: str | None, use_dask: bool) -> Any:
    """Where extraction runs besides this process: a Dask cluster (``--scheduler``, or
    ``--dask`` for a local one, or where ``fork`` is missing), else forked workers."""
    from fftrack.scale.local import LocalPool, can_fork

    if scheduler or use_dask or not can_fork():
        from fftrack.scale import DaskExtractor

        return DaskExtractor(config, workers=workers, address=scheduler)
    return LocalPool(make_pipeline(config), workers=workers)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@store_options
@click.option(
    "--workers",
    type=int,
    default=1,
    show_default=True,
    help="Worker processes (1: in process); forked from this one, one writer.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run the extraction on an existing dask.distributed cluster (tcp://HOST:PORT).",
)
@click.option("--dask", "use_dask", is_flag=True, help="Workers in a local Dask cluster.")
@click.option(
    "--batch-size", type=int, default=64, show_default=True, help="Documents per write transaction."
)
@click.option(
    "--allow-private", is_flag=True, help="Allow fetching URLs on loopback/private addresses."
)
@click.option("--follow-links", is_flag=True, help="Read symbolic links that lead out of a folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def ingest(
    state: State,
    inputs: tuple[str, ...],
    workers: int,
    scheduler: str | None,
    use_dask: bool,
    batch_size: int,
    allow_private: bool,
    follow_links: bool,
    as_json: bool,
) -> None:
    """Read files, folders, feeds, JSONL, WARC, URLs or - (stdin) into the store.

    Files: text, HTML, RSS/Atom, JSON Lines, WARC, CSV news exports; .gz and .zst too."""

    def body() -> int:
        from dataclasses import replace

        from fftrack.cli_progress import ingest_progress, job_progress
        from fftrack.runner import check_inputs, input_bytes, run_ingest
        from fftrack.store import Store

        if batch_size < 1 or workers < 1:
            raise UsageError("--batch-size and --workers must be >= 1")
        config = replace(state.config, allow_private=allow_private or state.config.allow_private)
        check_inputs(inputs)
        parallel = workers > 1 or bool(scheduler) or use_dask
        with Store.open(config.db) as store, ExitStack() as stack:
            # workers start (fork) before the progress bar's thread does
            extractor = (
                stack.enter_context(_extractor(config, workers, scheduler, use_dask))
                if parallel
                else None
            )
            quiet = as_json or not sys.stderr.isatty()
            # by the bytes of the input files read where their size is known: a time left
            total = None if quiet else input_bytes(inputs, config, follow_links=follow_links)
            console = _console(err=True)
            progress = (
                job_progress("ingest", console=console, disable=quiet)
                if total is None
                else ingest_progress(console=console, disable=quiet)
            )
            with progress:
                task = progress.add_task("ingest", total=total, docs=0, skipped=0)
                done = [0, 0]  # documents done with, of them already in the store

                def advance(n: int) -> None:
                    done[0] += n
                    if total is None:
                        progress.advance(task, n)
                    else:
                        progress.update(task, docs=done[0], skipped=done[1])

                def skipped(n: int) -> None:
                    done[1] += n

                report = run_ingest(
                    inputs,
                    store=store,
                    config=config,
                    stdin=sys.stdin,
                    batch_size=batch_size,
                    progress=advance,
                    on_bytes=None if total is None else lambda n: progress.advance(task, n),
                    on_skipped=skipped,
                    extract=extractor or _lazy_extract(config),
                    follow_links=follow_links,
                )
        if as_json:
            click.echo(json_text(report.to_dict(), indent=2))
        else:
            _print_report(report)
        return 1 if report.failed else 0

    run_guarded(body)


def _lazy_extract(config: Config) -> Callable[[list[Any]], Any]:
    """The in-process pipeline's ``process_safe``, the model loaded at the first batch
    with a document to read: a resumed ingest of stored documents loads none."""
    pipeline: list[Any] = []

    def extract(documents: list[Any]) -> Any:
        if not documents:
            return iter(())
        if not pipeline:
            pipeline.append(make_pipeline(config))
        return pipeline[0].process_safe(documents)

    return extract


def _console(err: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=err, highlight=False, soft_wrap=False)


def _print_report(report: Any) -> None:
    from fftrack.cli_tables import terminal_safe

    stored = ", ".join(f"{v} {k}" for k, v in report.stored.items())
    click.echo(f"documents read: {report.read}")
    click.echo(f"skipped (already in store): {report.skipped}")
    click.echo(f"failed: {len(report.failed)}")
    for f in report.failed:
        where = f"{f.source}:{f.line}" if f.line is not None else f.source
        click.echo(terminal_safe(f"  {where}: {f.reason}"))
    click.echo(f"stored: {stored}")
    if report.warnings:
        click.echo(f"warnings: {len(report.warnings)}")
        for w in report.warnings:
            click.echo(terminal_safe(f"  {w}"))


# what --type and --country mean for each listing command
TYPE_HELP = {
    "events": "Event type or sub-type, as `stats` lists them (Battles, Air/drone strike).",
    "movements": "Movement manner (fled, travelled, returned, transferred, ...).",
    "figures": "Figure category (killed, fighters, detained, ...).",
    "actors": "Actor kind (armed_group, state_forces, civilians, group, person, ...).",
    "places": "GeoNames feature class or code of the place (P, P.PPL, A.ADM1).",
}
COUNTRY_HELP = {
    "events": "ISO2 code of the event's place; `unknown`: no country.",
    "movements": "ISO2 code of the origin or destination; `unknown`: either end has none.",
    "figures": "ISO2 code of the figure's origin; `unknown`: no country.",
    "actors": "ISO2 code of the actor's nationality; `unknown`: none given.",
    "places": "ISO2 code of the place; `unknown`: not resolved to a country.",
}
DATED = ("events", "movements", "figures")


def query_options(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The filter and output options of the listing command for ``kind``."""
    since_help = "From this date (YYYY, YYYY-MM, YYYY-MM-DD)."
    if kind in DATED:
        since_help += " Records without a date of their own are left out (--include-undated)."
    else:
        since_help += " By the publication date of the report that mentions it."
    return lambda fn: _query_options(kind, since_help, fn)


def _query_options(kind: str, since_help: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.option(
            "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True
        ),
        click.option("--since", help=since_help),
        click.option("--until", help="Up to this date (the same rule)."),
        click.option("--country", help=COUNTRY_HELP[kind]),
        click.option("--place", help="Place name, as written or resolved."),
        click.option("--type", "type_", help=TYPE_HELP[kind]),
        click.option("--actor", help="Actor name or normalised name (substring)."),
        click.option("--bbox", help="W,S,E,N in degrees."),
        click.option("--limit", type=int, help="At most N rows."),
        click.option("--offset", type=int, default=0, help="Skip N rows."),
        click.option("-o", "--output", type=click.Path(), help="Write to a file, not stdout."),
    ]
    if kind in DATED:
        opts.insert(
            3,
            click.option(
                "--include-undated",
                is_flag=True,
                help="With --since/--until, also records without a date of their own whose "
                "report was published in the period.",
            ),
        )
    fn = store_options(fn)
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def build_query(**kw: Any) -> Any:
    """A validated store Query from the CLI's filter options (one parser for CLI and API)."""
    from fftrack.store import Query

    return Query.parse(
        since=kw.get("since"),
        until=kw.get("until"),
        country=kw.get("country"),
        place=kw.get("place"),
        type=kw.get("type_"),
        actor=kw.get("actor"),
        bbox=kw.get("bbox"),
        limit=kw.get("limit"),
        offset=kw.get("offset"),
        include_undated=bool(kw.get("include_undated")),
    )


def emit_rows(kind: str, rows: list[dict[str, Any]], fmt: str, out: TextIO) -> None:
    """Write rows to ``out`` as a table or in an export format."""
    from fftrack.export import write_rows

    if fmt == "table":
        from fftrack.cli_tables import render_table

        render_table(kind, rows, out)
    else:
        write_rows(rows, fmt, out, kind)


def list_command(kind: str) -> Callable[..., Any]:
    @click.pass_obj
    def command(
        state: State,
        fmt: str,
        output: str | None,
        flows: bool = False,
        per_report: bool = False,
        mentions: bool = False,
        **kw: Any,
    ) -> None:
        def body() -> int:
            from fftrack.cli_output import open_output
            from fftrack.views import StoreReader

            q = build_query(**kw)
            with StoreReader(state.config.db) as reader, open_output(output) as out:
                if flows:
                    emit_rows("flows", reader.flows(q), fmt, out)
                elif kind == "events" and not per_report:
                    emit_rows(kind, reader.merged_events(q), fmt, out)
                elif kind == "actors" and not mentions:
                    emit_rows(kind, reader.resolved_actors(q), fmt, out)
                else:
                    emit_rows(kind, reader.select(kind, q), fmt, out)
            return 0

        run_guarded(body)

    command.__doc__ = f"List stored {kind}, filtered."
    command.__name__ = kind
    return command


for _kind in KINDS:
    _cmd = query_options(_kind)(list_command(_kind))
    if _kind == "movements":
        _cmd = click.option(
            "--flows", is_flag=True, help="Aggregate movements into flows between places."
        )(_cmd)
    if _kind == "events":
        _cmd = click.option(
            "--per-report",
            is_flag=True,
            help="One row per report, not one per event merged across sources.",
        )(_cmd)
    if _kind == "actors":
        _cmd = click.option(
            "--mentions", is_flag=True, help="Every mention, not one row per resolved actor."
        )(_cmd)
    cli.command(name=_kind)(_cmd)


def as_shown(merged: dict[str, Any]) -> dict[str, Any]:
    """A merged event as ``show`` gives it: ``id`` is the event's one id (its cluster id,
    as the ``events`` table lists it; an unclustered event's own id), ``members`` the
    per-report event ids, ``representative`` the member whose fields are shown."""
    out = {"kind": merged.get("kind", "event")}
    rid = merged.get("cluster_id") or merged.get("id")
    out["id"] = rid
    out["members"] = merged.get("members") or [merged.get("id")]
    out["representative"] = merged.get("id")
    for key, value in merged.items():
        if key not in ("id", "cluster_id", "members", "kind"):
            out[key] = value
    return out


@cli.command()
@click.argument("record_id")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--sources",
    "n_sources",
    type=click.IntRange(1, 10_000),
    default=100,
    show_default=True,
    help="Sources of a merged event to show (a page; see --sources-offset).",
)
@click.option(
    "--sources-offset",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Skip this many sources of a merged event (oldest publication first).",
)
@store_options
@click.pass_obj
def show(state: State, record_id: str, fmt: str, n_sources: int, sources_offset: int) -> None:
    """One record with the source sentence(s) it came from, the span highlighted.

    An event is shown merged across the reports that give it, under the id the
    `events` table lists (the cluster id), whichever member id is asked for."""

    def body() -> int:
        from fftrack.cli_tables import render_record
        from fftrack.views import StoreReader

        with StoreReader(state.config.db) as reader:
            record = reader.record(record_id)
            if record.get("kind") == "event":
                merged = reader.merged_event(
                    record_id, sources_limit=n_sources, sources_offset=sources_offset
                )
                record = as_shown({"kind": "event", **merged})
        if fmt == "json":
            click.echo(json_text(record, indent=2))
        else:
            render_record(record, _console())
        return 0

    run_guarded(body)


@cli.command()
@click.argument("id_a")
@click.argument("id_b")
@store_options
@click.pass_obj
def merge(state: State, id_a: str, id_b: str) -> None:
    """Judge two events (or event clusters) to be one event; later runs respect it."""

    def body() -> int:
        from fftrack.resolve import merge as merge_events
        from fftrack.runner import refresh_merged
        from fftrack.store import Store

        with Store.open(state.config.db) as store:
            cluster = merge_events(store, id_a, id_b)
            refresh_merged(store)
        click.echo(f"merged into cluster {cluster}")
        return 0

    run_guarded(body)


@cli.command()
@click.argument("event_id")
@store_options
@click.pass_obj
def split(state: State, event_id: str) -> None:
    """Judge an event not to belong to its cluster; later runs respect it."""

    def body() -> int:
        from fftrack.resolve import split as split_event
        from fftrack.runner import refresh_merged
        from fftrack.store import Store

        with Store.open(state.config.db) as store:
            cluster = split_event(store, event_id)
            refresh_merged(store)
        click.echo(f"event {event_id} is now its own cluster {cluster}")
        return 0

    run_guarded(body)


def merged_event_count(reader: Any) -> int:
    """Events as `fftrack events` lists them: one per cluster (the store's ``events``
    count is one per report)."""
    return int(reader.merged_count())


@cli.command()
@click.pass_obj
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@store_options
def stats(state: State, fmt: str) -> None:
    """Counts by type, country and month.

    events: the merged events `fftrack events` lists, with the event reports (one per
    report, what `events --per-report` lists and the by-type/country/month tables count)
    beside them; actors and places: mentions."""

    def body() -> int:
        from fftrack.cli_tables import render_stats
        from fftrack.views import StoreReader

        with StoreReader(state.config.db) as reader:
            data = reader.stats()
            data["events_merged"] = merged_event_count(reader)
        if fmt == "json":
            click.echo(json_text(data, indent=2))
        else:
            render_stats(data, _console())
        return 0

    run_guarded(body)


class _BadLines:
    """Counts and reports (on stderr, ``fftrack: FILE:LINE: reason``) the input lines
    ``extract`` and ``geoparse`` skip."""

    def __init__(self, infile: str) -> None:
        self.infile = infile
        self.count = 0

    def __call__(self, line: int, reason: str) -> None:
        from fftrack.cli_output import warn

        self.count += 1
        warn(f"{self.infile}:{line}: {reason}")

    def exit_code(self, done: int) -> int:
        if not self.count:
            return 0
        from fftrack.cli_output import warn

        lines = "line" if self.count == 1 else "lines"
        warn(f"{self.count} input {lines} skipped, {done} written")
        return 1


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@cli.command()
@click.argument("infile", type=click.Path(allow_dash=True))
@click.option("--published", help="Publication date for documents that give none (YYYY-MM-DD).")
@store_options
@click.pass_obj
def extract(state: State, infile: str, published: str | None) -> None:
    """Stateless: documents (JSONL) in, one JSON line of records per document out.

    A bad line is reported on stderr with its line number and skipped (exit code 1)."""

    def body() -> int:
        from dataclasses import replace

        from fftrack.cli_output import read_jsonl_objects, warn
        from fftrack.ingest.jsonl import record_to_document
        from fftrack.store.query import parse_date

        if infile != "-" and not Path(infile).exists():
            raise UsageError(f"no such file: {infile}")
        default_pub = parse_date(published) if published else None
        pipeline = make_pipeline(state.config)
        bad = _BadLines(infile)
        written = 0

        def documents() -> Iterator[Any]:
            for n, obj in read_jsonl_objects(infile, bad):
                doc = record_to_document(obj, origin=f"{infile}:{n}")
                if isinstance(doc, str):
                    bad(n, doc)
                    continue
                # offsets index the text exactly as given, so keep it unchanged
                doc = replace(doc, text=obj["text"])
                if doc.published is None and default_pub is not None:
                    doc = replace(doc, published=default_pub)
                yield doc

        for batch in _batches(documents(), 256):
            for document, extraction, error in pipeline.process_safe(batch):
                if extraction is None:
                    bad.count += 1
                    warn(f"{document.origin}: extraction failed: {error}")
                    continue
                for note in extraction.warnings:  # no model for the document's language
                    warn(f"{document.origin}: {note}")
                click.echo(json_text(extraction.to_dict()))
                written += 1
        return bad.exit_code(written)

    run_guarded(body)


@cli.command()
@click.argument("infile", type=click.Path(allow_dash=True))
@click.option(
    "--spans",
    is_flag=True,
    help='Resolve exactly the input\'s "toponyms": [{"start", "end"}] spans (resolution only).',
)
@store_options
@click.pass_obj
def geoparse(state: State, infile: str, spans: bool) -> None:
    """Find and resolve the places in documents (JSONL in, JSONL out).

    A bad line is reported on stderr with its line number and skipped (exit code 1)."""

    def body() -> int:
        from fftrack.cli_output import read_jsonl_objects
        from fftrack.geo import Gazetteer, Geoparser
        from fftrack.geo.cli_support import GeoparseInputError, check_line, geoparse_records
        from fftrack.nlp import NlpPipeline

        if infile != "-" and not Path(infile).exists():
            raise UsageError(f"no such file: {infile}")
        config = state.config
        nlp = NlpPipeline(config.model, batch_size=config.batch_size)
        geoparser = Geoparser(Gazetteer.open(config.resolved_cache_dir))
        bad = _BadLines(infile)
        written = 0

        def lines() -> Iterator[dict[str, Any]]:
            for n, obj in read_jsonl_objects(infile, bad):
                try:
                    check_line(obj, spans)
                except GeoparseInputError as exc:
                    bad(n, str(exc))
                    continue
                yield obj

        for out in geoparse_records(lines(), nlp, geoparser, spans):
            click.echo(json_text(out))
            written += 1
        return bad.exit_code(written)

    run_guarded(body)


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default)."
)
@click.option("--port", type=int, default=8000, show_default=True)
@store_options
@click.pass_obj
def serve(state: State, host: str, port: int) -> None:
    """Serve the read-only map and HTTP API over the store."""

    def body() -> int:
        from fftrack.web import serve as run_server

        if not Path(state.config.db).exists():
            raise UsageError(f"no store at {state.config.db}: run `fftrack ingest` first")
        run_server(state.config.db, host=host, port=port)
        return 0

    run_guarded(body)


def _register() -> None:
    from fftrack.cli_export import register as register_export
    from fftrack.cli_gazetteer import gazetteer

    cli.add_command(gazetteer)
    register_export(cli)


_register()


def main(argv: list[str] | None = None) -> None:
    """Entry point: click's own parse errors become one line and exit code 2."""
    args = sys.argv[1:] if argv is None else argv
    import signal

    signal.signal(signal.SIGTERM, _on_sigterm)
    if not args:
        click.echo(cli.get_help(click.Context(cli, info_name="fftrack")))
        sys.exit(0)
    try:
        rv = cli.main(args=args, prog_name="fftrack", standalone_mode=False)
    except click.exceptions.UsageError as exc:
        where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        fail(f"{exc.format_message()}{where}", 2)
    except click.exceptions.Abort:
        fail("interrupted", 130)
    except click.ClickException as exc:
        fail(exc.format_message(), exc.exit_code or 1)
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
