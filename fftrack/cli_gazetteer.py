"""``fftrack gazetteer``: add GeoNames' own dump files to the gazetteer, list, remove, download.

Registered on the main command group by :mod:`fftrack.cli`. The library does the work
(:mod:`fftrack.geo.sources`, :mod:`fftrack.ingest.download`); this module prints.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fftrack.cli_output import json_text
from fftrack.cli_tables import terminal_safe

if TYPE_CHECKING:
    from fftrack.cli import State


def echo(message: str) -> None:
    """A line of text to stdout, terminal-safe (paths and rows come from files)."""
    click.echo(terminal_safe(message))


def run_guarded(fn: Any) -> None:
    from fftrack.cli import run_guarded as guarded

    guarded(fn)


ATTRIBUTION = "GeoNames data: GeoNames (https://www.geonames.org), CC BY 4.0"


@click.group()
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Cache directory holding the index (default: the user cache, env FFTRACK_CACHE_DIR).",
)
@click.pass_obj
def gazetteer(state: State, cache_dir: str | None) -> None:
    """Add GeoNames dump files (villages) to the gazetteer, or go back to the default."""
    if cache_dir:
        state.config = replace(state.config, cache_dir=Path(cache_dir).expanduser())


@contextmanager
def _bytes_progress(label: str, quiet: bool) -> Iterator[Any]:
    from rich.console import Console

    from fftrack.cli_progress import job_progress

    progress = job_progress(
        label,
        unit="bytes",
        console=Console(stderr=True, highlight=False, soft_wrap=False),
        disable=quiet or not sys.stderr.isatty(),
    )
    with progress:
        yield progress, progress.add_task(label, total=None)


def _add(state: State, paths: list[Path], as_json: bool, examples: int) -> int:
    from fftrack.geo.sources import add_sources

    cache_dir = state.config.resolved_cache_dir
    with _bytes_progress("gazetteer", as_json) as (progress, task):
        result = add_sources(
            cache_dir,
            paths,
            progress=lambda n: progress.advance(task, n),
            on_total=lambda total: progress.update(task, total=total),
            max_examples=examples,
        )
    report = result.report
    if as_json:
        out: dict[str, Any] = {
            "index": str(result.index),
            "added": result.added,
            "skipped": result.skipped,
        }
        if report is not None:
            out.update(
                rows=report.rows,
                places=report.places,
                seconds=round(report.seconds, 1),
                bad_rows=dict(report.bad.counts),
                bad_examples=[
                    {"file": f, "line": ln, "reason": r} for f, ln, r in report.bad.examples
                ],
            )
        click.echo(json_text(out, indent=1))
        return 0
    for p in result.skipped:
        echo(f"already added: {p}")
    if report is None:
        echo(f"nothing new to add; index: {result.index}")
        return 0
    for st in report.files:
        line = f"{Path(st.path).name}: {st.rows} rows"
        if st.kind == "geoname":
            line += f", {st.added} new places, {st.merged} merged into existing ones"
        if st.bad:
            line += f", {st.bad} bad rows skipped"
        echo(line)
    echo(
        f"rows read: {report.rows}; bad rows: {report.bad.total};"
        f" places in the index: {report.places} ({report.seconds:.1f} s)"
    )
    for reason, n in report.bad.counts.most_common():
        echo(f"  bad rows, {reason}: {n}")
    for file, line_no, reason in report.bad.examples:
        echo(f"  {file}:{line_no}: {reason}")
    if report.bad.total > len(report.bad.examples):
        echo(f"  ... and {report.bad.total - len(report.bad.examples)} more")
    echo(f"index: {result.index}")
    echo(ATTRIBUTION)
    return 0


@gazetteer.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option(
    "--examples", type=int, default=20, show_default=True, help="Bad rows to show by file:line."
)
@click.pass_obj
def add(state: State, paths: tuple[Path, ...], as_json: bool, examples: int) -> None:
    """Add GeoNames dump files: CC.zip / CC.txt, allCountries.zip, cities500.zip, ...,
    admin1CodesASCII.txt, admin2Codes.txt, alternateNamesV2.zip. Builds the index once."""
    run_guarded(lambda: _add(state, list(paths), as_json, examples))


@gazetteer.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def info(state: State, as_json: bool) -> None:
    """The added sources, per-country counts, data version and index path."""

    def body() -> int:
        from fftrack.geo.sources import describe

        d = describe(state.config.resolved_cache_dir)
        if as_json:
            click.echo(json_text(d, indent=1))
            return 0
        echo(f"data version: {d.get('version', d['data_version'])}")
        built = "" if d["built"] else " (not built yet: built on first use)"
        echo(f"index: {d['index']}{built}")
        if "places" in d:
            echo(f"places: {d['places']}")
        if not d["sources"]:
            echo("sources: the embedded default only (`fftrack gazetteer add` adds more)")
            return 0
        echo("sources:")
        for s in d["sources"]:
            echo(
                f"  {s['path']}  {s.get('kind', '?')}  {s.get('size', 0)} bytes"
                f"  {s.get('rows', 0)} rows  {s.get('bad', 0)} bad  sha256 {s['sha256'][:12]}"
            )
        if d["countries"]:
            echo("countries (places in the index / rows from added files):")
            for cc, c in d["countries"].items():
                echo(f"  {cc}  {c['places']} / {c['from_files']}")
        echo(ATTRIBUTION)
        return 0

    run_guarded(body)


@gazetteer.command()
@click.pass_obj
def remove(state: State) -> None:
    """Forget the added files and go back to the embedded default gazetteer."""

    def body() -> int:
        from fftrack.geo.sources import remove_sources

        removed = remove_sources(state.config.resolved_cache_dir)
        if removed:
            echo(f"removed {len(removed)} files; back to the embedded default gazetteer")
        else:
            echo("no sources were added; the embedded default gazetteer is in use")
        return 0

    run_guarded(body)


@gazetteer.command()
@click.argument("codes", nargs=-1, required=True)
@click.option("--refresh", is_flag=True, help="Download again files already downloaded.")
@click.option("--allow-private", is_flag=True, help="Allow a loopback/private download server.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def download(
    state: State, codes: tuple[str, ...], refresh: bool, allow_private: bool, as_json: bool
) -> None:
    """Download GeoNames dumps (CC.zip per country code, e.g. SY IQ; or allCountries,
    cities500) with admin1CodesASCII.txt and admin2Codes.txt, then add them.

    From FFTRACK_GEONAMES_URL (default https://download.geonames.org/export/dump);
    resumable: run again after an interruption."""

    def body() -> int:
        from fftrack.ingest.download import download_geonames

        config = state.config
        dest = config.resolved_cache_dir / "geonames"
        with _bytes_progress("download", as_json) as (progress, task):

            def on_file(name: str) -> None:
                progress.update(task, description=name, completed=0, total=None)

            def on_bytes(done: int, total: int | None) -> None:
                progress.update(task, completed=done, total=total)

            paths = download_geonames(
                list(codes),
                dest,
                base_url=config.geonames_url,
                refresh=refresh,
                on_file=on_file,
                progress=on_bytes,
                timeout=config.fetch_timeout,
                allow_private=allow_private or config.allow_private,
            )
        if not as_json:
            echo(f"downloaded to {dest}: {', '.join(p.name for p in paths)}")
        return _add(state, paths, as_json, 20)

    run_guarded(body)
