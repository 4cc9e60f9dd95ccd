"""KML 2.2: one Placemark per located record, every text value escaped.

Source text is untrusted: names and data values go through XML escaping, and characters
XML 1.0 forbids (most control characters) are dropped, so no input can break out of its
element or make the file unreadable. Viewers (Google Earth, most GIS tools) render a
``<description>`` as HTML, so the description is HTML-escaped text (lines joined by
``<br>``) inside CDATA: after the XML parser and then the HTML renderer, article text is
shown as text and never runs as markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

from fftrack.export.csvout import flatten
from fftrack.export.geojson import GEO_KINDS, geometry, point

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(value: Any) -> str:
    """Text safe inside an XML element."""
    return escape(_INVALID_XML.sub("", "" if value is None else str(value)))


def html_cdata(text: str) -> str:
    """``text`` as an HTML fragment of plain text (line breaks as ``<br>``) in a CDATA
    section; a ``]]>`` can never end it early (the HTML escaping already turns every
    ``>`` into ``&gt;``; the split below is a second guard)."""
    lines = _INVALID_XML.sub("", text).split("\n")
    body = "<br>\n".join(html.escape(line, quote=True) for line in lines)
    return "<![CDATA[" + body.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def attr(value: Any) -> str:
    """A quoted, escaped XML attribute value."""
    return quoteattr(_INVALID_XML.sub("", "" if value is None else str(value)))


def _name(row: dict[str, Any], kind: str) -> str:
    def pname(p: Any) -> str:
        return (p.get("resolved_name") or p.get("name") or "?") if isinstance(p, dict) else "?"

    if kind == "events":
        head = row.get("sub_event_type") or row.get("event_type") or "event"
        return f"{head}: {pname(row.get('place'))} {row.get('date') or ''}".strip()
    if kind in ("movements", "flows"):
        return f"{pname(row.get('origin'))} -> {pname(row.get('destination'))}"
    return str(row.get("resolved_name") or row.get("name") or row.get("id") or kind)


def _description(row: dict[str, Any]) -> str:
    lines = []
    for src in row.get("sources") or []:
        if not isinstance(src, dict):
            continue
        head = " | ".join(
            str(x) for x in (src.get("source"), src.get("published"), src.get("url")) if x
        )
        lines.append(f"{head}\n{src.get('sentence') or ''}".strip())
    return "\n\n".join(lines)


def _coords(g: dict[str, Any]) -> str:
    pts = g["coordinates"] if g["type"] == "LineString" else [g["coordinates"]]
    return " ".join(f"{lon},{lat}" for lon, lat in pts)


def _when(row: dict[str, Any]) -> str:
    """``<TimeStamp>`` for a record dated to one day, ``<TimeSpan>`` for a longer period
    (Google Earth's time slider reads both); nothing for an undated record."""
    start, end = row.get("date_start") or None, row.get("date_end") or None
    if not start:
        return ""
    if not end or end == start:
        return f"<TimeStamp><when>{clean(start)}</when></TimeStamp>\n"
    return f"<TimeSpan><begin>{clean(start)}</begin><end>{clean(end)}</end></TimeSpan>\n"


def _placemark(out: TextIO, row: dict[str, Any], kind: str) -> bool:
    g = geometry(row, kind)
    if g is None:
        return False
    rid = row.get("id")
    # KML ids are XML IDs (NCName): they must not start with a digit
    out.write(f"<Placemark id={attr(kind + '-' + str(rid))}>\n" if rid else "<Placemark>\n")
    out.write(f"<name>{clean(_name(row, kind))}</name>\n")
    desc = _description(row)
    if desc:
        out.write(f"<description>{html_cdata(desc)}</description>\n")
    out.write(_when(row))
    out.write("<ExtendedData>\n")
    out.write(f'<Data name="record_kind"><value>{clean(kind)}</value></Data>\n')
    if kind in ("movements", "flows") and g["type"] == "Point":
        role = "origin" if point(row.get("origin")) else "destination"
        out.write(f'<Data name="role"><value>{role}</value></Data>\n')
    for k, v in flatten(row, kind).items():
        if v is None or v == "":
            continue
        if k == "source_sentence":
            continue
        out.write(f"<Data name={attr(k)}><value>{clean(v)}</value></Data>\n")
    out.write("</ExtendedData>\n")
    if g["type"] == "Point":
        out.write(f"<Point><coordinates>{_coords(g)}</coordinates></Point>\n")
    else:
        out.write(
            f"<LineString><tessellate>1</tessellate><coordinates>{_coords(g)}</coordinates></LineString>\n"
        )
    out.write("</Placemark>\n")
    return True


def write_placemarks(items: Iterable[tuple[str, dict[str, Any]]], out: TextIO, label: str) -> int:
    """Stream ``(kind, row)`` pairs as one KML document (kinds may be mixed). Returns
    the placemarks written."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n')
    out.write(f"<name>{clean('fftrack ' + label)}</name>\n")
    n = 0
    for kind, row in items:
        if kind not in GEO_KINDS:
            geometry({}, kind)  # raises UsageError
        n += _placemark(out, row, kind)
    out.write("</Document>\n</kml>\n")
    return n


def write_kml(rows: Iterable[dict[str, Any]], out: TextIO, kind: str) -> int:
    if kind not in GEO_KINDS:
        geometry({}, kind)  # raises UsageError
    return write_placemarks(((kind, r) for r in rows), out, kind)
