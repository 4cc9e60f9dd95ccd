"""Human-readable output for the CLI: tables, one record with its sources, stats.

Everything printed here passes through :func:`~fftrack.cli_output.terminal_safe` first:
stored text (titles, sources, sentences, names) comes from documents anyone may have
written, and a terminal must not obey escape sequences hidden in it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fftrack.cli_output import terminal_safe


def safe_text(value: object, style: str = "") -> Text:
    """A rich Text of ``value`` made :func:`terminal_safe` (never read as console markup)."""
    return Text(terminal_safe(value), style=style)


def qty(q: dict[str, Any] | None) -> str:
    """A number with its qualifier as a reader writes it: ">50", "~40000", "27000-31000"."""
    if not q:
        return ""
    marks = {
        "exact": "",
        "about": "~",
        "more_than": ">",
        "at_least": ">=",
        "fewer_than": "<",
        "at_most": "<=",
    }
    value = q.get("value")
    if q.get("upper") is not None:
        return f"{value}-{q['upper']}"
    return f"{marks.get(q.get('qualifier') or 'exact', '')}{value}"


def reported_str(rep: dict[str, Any]) -> str:
    """Figures as sources report them: "22-25, most say 22; by source: 22 (a1b2), >=25 (c3d4)"."""
    lo, hi, mode = rep.get("min"), rep.get("max"), rep.get("mode")
    head = f"{lo}" if lo == hi else f"{lo}-{hi}, most say {mode}"
    each = ", ".join(
        f"{qty(s)} ({str(s.get('document_id'))[:12]})" for s in rep.get("by_source") or []
    )
    return f"{head}; by source: {each}" if each else head


def place_str(p: dict[str, Any] | None) -> str:
    if not p:
        return ""
    name = p.get("resolved_name") or p.get("name") or ""
    return f"{name} ({p['country']})" if p.get("country") else name


def actors_str(actors: list[dict[str, Any]] | None) -> str:
    return "; ".join(a.get("normalized") or a.get("name") or "" for a in (actors or []))


def sources_str(row: dict[str, Any]) -> str:
    srcs = row.get("sources") or []
    return str(len(srcs)) if srcs else ""


def fatalities_str(row: dict[str, Any]) -> str:
    """One figure, or the range sources give with each source's figure after merging."""
    rep = row.get("fatalities_reported")
    if rep and rep.get("min") is not None and rep.get("min") != rep.get("max"):
        return f"{rep['min']}-{rep['max']} (mode {rep.get('mode')})"
    return qty(row.get("fatalities"))


Column = tuple[str, Callable[[dict[str, Any]], str]]

COLUMNS: dict[str, list[Column]] = {
    "events": [
        ("id", lambda r: r.get("cluster_id") or r.get("id", "")),
        ("date", lambda r: r.get("date") or ""),
        ("type", lambda r: r.get("event_type") or ""),
        ("sub-type", lambda r: r.get("sub_event_type") or ""),
        ("place", lambda r: place_str(r.get("place"))),
        ("actors", lambda r: actors_str(r.get("actors"))),
        ("killed", fatalities_str),
        ("injured", lambda r: qty(r.get("injured"))),
        ("sources", sources_str),
    ],
    "movements": [
        ("id", lambda r: r.get("id", "")),
        ("date", lambda r: r.get("date") or ""),
        ("actor", lambda r: (r.get("actor") or {}).get("name") or ""),
        ("nat.", lambda r: r.get("nationality") or ""),
        ("manner", lambda r: r.get("manner") or ""),
        ("from", lambda r: place_str(r.get("origin"))),
        ("to", lambda r: place_str(r.get("destination"))),
        ("sources", sources_str),
    ],
    "flows": [
        ("from", lambda r: place_str(r.get("origin"))),
        ("to", lambda r: place_str(r.get("destination"))),
        ("actors", lambda r: ", ".join(r.get("actors") or [])),
        ("reports", lambda r: str(r.get("reports", ""))),
        ("first", lambda r: r.get("first_date") or ""),
        ("last", lambda r: r.get("last_date") or ""),
    ],
    "figures": [
        ("id", lambda r: r.get("id", "")),
        (
            "value",
            lambda r: qty(
                {"value": r.get("value"), "qualifier": r.get("qualifier"), "upper": r.get("upper")}
            ),
        ),
        ("category", lambda r: r.get("category") or ""),
        ("subject", lambda r: r.get("subject") or ""),
        ("origin", lambda r: r.get("origin") or ""),
        ("group", lambda r: r.get("group") or ""),
        ("as of", lambda r: r.get("as_of") or ""),
        ("source", lambda r: r.get("attributed_to") or ""),
    ],
    "actors": [
        ("name", lambda r: r.get("normalized") or r.get("name") or ""),
        ("kind", lambda r: r.get("kind") or ""),
        ("country", lambda r: r.get("country") or ""),
        ("aliases", lambda r: ", ".join(r.get("aliases") or [])),
        ("mentions", lambda r: str(r.get("mentions", ""))),
    ],
    "places": [
        ("name", lambda r: r.get("resolved_name") or r.get("name") or ""),
        ("country", lambda r: r.get("country") or ""),
        ("lat", lambda r: f"{r['lat']:.4f}" if r.get("lat") is not None else ""),
        ("lon", lambda r: f"{r['lon']:.4f}" if r.get("lon") is not None else ""),
        ("precision", lambda r: str(r.get("precision") or "")),
        ("geonameid", lambda r: str(r.get("geonameid") or "")),
        ("mentions", lambda r: str(r.get("mentions", ""))),
    ],
}


def render_table(kind: str, rows: list[dict[str, Any]], out: TextIO) -> None:
    columns = COLUMNS[kind]
    table = Table(show_lines=False, header_style="bold")
    for name, _ in columns:
        table.add_column(name, overflow="fold")
    for row in rows:
        # Text objects: source text is never read as console markup
        table.add_row(*(safe_text(fn(row)) for _, fn in columns))
    console = Console(file=out, highlight=False, width=160 if not out.isatty() else None)
    console.print(table)
    console.print(count_line(kind, rows))


def count_line(kind: str, rows: list[dict[str, Any]]) -> str:
    """The table's last line: what was counted, and the other count beside it
    (merged events and the per-report events they come from; mentions)."""
    if kind == "events" and rows and all("members" in r for r in rows):
        reports = sum(len(r.get("members") or []) for r in rows)
        return f"{len(rows)} events (merged from {reports} event reports)"
    if kind == "events" and rows:
        return f"{len(rows)} event reports (one row per report)"
    if kind == "actors" and rows and all("aliases" in r for r in rows):
        mentions = sum(int(r.get("mentions") or 0) for r in rows)
        return f"{len(rows)} actors ({mentions} mentions)"
    if kind in ("actors", "places"):
        return f"{len(rows)} {kind[:-1]} mentions"
    return f"{len(rows)} {kind}"


def highlighted_sentence(src: dict[str, Any]) -> Text:
    sentence = src.get("sentence") or ""
    base = src.get("sentence_start") or 0
    start = max(0, (src.get("start") or 0) - base)
    end = min(len(sentence), (src.get("end") or 0) - base)
    if not 0 <= start < end:
        return safe_text(sentence)
    # cleaned piece by piece, so the highlight stays on the span
    text = safe_text(sentence[:start])
    text.append_text(safe_text(sentence[start:end], style="bold reverse"))
    text.append_text(safe_text(sentence[end:]))
    return text


def render_record(record: dict[str, Any], console: Console) -> None:
    kind = record.get("kind", "record")
    console.print(safe_text(f"{kind} {record.get('id')}", style="bold"))
    # the id is in the header; the representative member's id is in --format json
    skip = {"id", "representative", "sources", "kind", "record_kind", "edges"}
    skip |= {"sources_total", "sources_offset"}
    for key, value in record.items():
        if key in skip or value in (None, "", [], {}):
            continue
        if key.endswith("_reported") and isinstance(value, dict):
            value = reported_str(value)
        elif isinstance(value, dict):
            if "value" in value and "qualifier" in value:
                value = qty(value)
            elif "lat" in value:
                value = f"{place_str(value)} [{value.get('lat')}, {value.get('lon')}] precision {value.get('precision')}"
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            value = actors_str(value) if "kind" in value[0] else ", ".join(str(v) for v in value)
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        console.print(safe_text(f"  {key}: {value}"))
    edges = record.get("edges") or []
    if edges:
        console.print(safe_text(f"merged by ({len(edges)} edges):", style="bold"))
        for e in edges:
            feats = ", ".join(f"{k} {v:g}" for k, v in sorted((e.get("features") or {}).items()))
            console.print(
                safe_text(
                    f"  {e.get('a')} ~ {e.get('b')}  {e.get('kind')} score {e.get('score')} "
                    f"{e.get('algorithm') or ''}  [{feats}]"
                )
            )
    sources = record.get("sources") or []
    total, first = record.get("sources_total"), int(record.get("sources_offset") or 0)
    if isinstance(total, int) and (first or total > len(sources)):  # one page of many
        page = f"{first + 1}-{first + len(sources)} of {total}" if sources else f"none of {total}"
        console.print(safe_text(f"sources ({page}, --sources-offset for more):", style="bold"))
    else:
        console.print(safe_text(f"sources ({len(sources)}):", style="bold"))
    for src in sources:
        head = " | ".join(
            str(x)
            for x in (src.get("source"), src.get("published"), src.get("title"), src.get("url"))
            if x
        )
        console.print(safe_text(f"- document {src.get('document_id')}  {head}"))
        figure = src.get("fatalities")
        if figure:
            console.print(safe_text(f"  reports killed: {qty(figure)}"))
        line = Text("  ")
        line.append_text(highlighted_sentence(src))
        console.print(line)


def render_stats(data: dict[str, Any], console: Console) -> None:
    """Counts; each word counts one thing: events as `fftrack events` lists them (merged
    across reports) with the event reports beside them; actor and place mentions."""
    counts = Table(title="records", header_style="bold")
    counts.add_column("kind")
    counts.add_column("count", justify="right")
    for key in ("documents", "events", "movements", "figures", "actors", "places"):
        if key not in data:
            continue
        value = str(data[key])
        if key == "events" and data.get("events_merged") is not None:
            value = f"{data['events_merged']} ({data[key]} reports)"
        elif key in ("actors", "places"):
            value = f"{data[key]} mentions"
        counts.add_row(key, safe_text(value))
    console.print(counts)
    for key, title in (
        ("events_by_type", "events by type"),
        ("events_by_country", "events by country"),
        ("events_by_month", "events by month"),
    ):
        values = data.get(key) or {}
        table = Table(title=title, header_style="bold")
        table.add_column(title.split(" by ")[1])
        table.add_column("event reports", justify="right")
        for name, n in values.items():
            table.add_row(safe_text(name), safe_text(n))
        console.print(table)
