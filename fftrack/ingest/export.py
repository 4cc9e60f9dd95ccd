"""News exports in CSV (``.csv``/``.tsv``): Media Cloud story lists, GDELT GKG files.

A CSV is read as an export only when its header names a text column (``text``,
``story_text``, ``full_text``, ``article_text``, ``content``, ``body``) and an id or url
column (``stories_id``, ``story_id``, ``id``, ``url``, ...). Each row is then a record as
in JSON Lines (:func:`~fftrack.ingest.jsonl.record_to_document`): ``title``,
``publish_date``/``published``/``date``, ``media_name``/``source`` and ``language``
are taken where present; a row without text is a failure with its line, and the other
rows are read. A document's origin is ``PATH:LINE``.

An export that lists stories without their texts (a Media Cloud list of urls and
titles; a GDELT GKG file, with or without its header: GKG rows carry no article text)
is one failure that says so: fftrack reads texts, it does not go and fetch them unless
asked to (``fftrack ingest URL``). Any other CSV is not an export and is read as text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from fftrack.ingest.base import ReadFailure, Warn, report_warning
from fftrack.records import Document

EXPORT_READER = "ingest.export.v1"

TEXT_COLUMNS = ("text", "story_text", "full_text", "article_text", "content", "body")
ID_COLUMNS = ("stories_id", "story_id", "id", "guid", "gkgrecordid")
URL_COLUMNS = ("url", "link", "documentidentifier", "sourceurl", "sourceurls")
TITLE_COLUMNS = ("title", "headline")
DATE_COLUMNS = ("publish_date", "published", "publication_date", "pub_date", "date")
SOURCE_COLUMNS = ("media_name", "source", "sourcecommonname", "media_url")
LANGUAGE_COLUMNS = ("language", "lang")
_GKG_HEADER = frozenset(("gkgrecordid", "documentidentifier", "v2themes", "themes"))
# GKG 2.x rows: a record id such as 20170604120000-42 (or -T42) and 27 tab-separated fields
_GKG_ROW = re.compile(r"^\d{14}-T?\d+\t")

NO_TEXTS = (
    "{what} has no article texts (columns: {columns}); fftrack reads texts and does not "
    "fetch pages unless asked: pass the URLs to `fftrack ingest URL` to fetch them"
)


def _first(header: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def read_export(
    data: bytes, source: str, warn: Warn | None = None
) -> Iterator[Document | ReadFailure] | None:
    """The documents of a CSV news export, or ``None`` when ``data`` is not one. An
    encoding that had to be guessed is a warning given to ``warn`` (for an export)."""
    from fftrack.ingest.decode import BinaryContent, decode_detail

    try:
        decoded = decode_detail(data)
    except BinaryContent:
        return None
    items = _export(decoded.text, source)
    if items is not None and decoded.guessed:
        report_warning(warn, source, None, decoded.warning())
    return items


def _export(text: str, source: str) -> Iterator[Document | ReadFailure] | None:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if _GKG_ROW.match(first):
        return iter(
            [
                ReadFailure(
                    source, None, NO_TEXTS.format(what="a GDELT GKG file", columns="none named")
                )
            ]
        )
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(rows)]
    except (StopIteration, csv.Error):
        return None
    text_col = _first(header, TEXT_COLUMNS)
    id_col = _first(header, ID_COLUMNS)
    url_col = _first(header, URL_COLUMNS)
    if text_col is None:
        listed = ", ".join(header[:12]) + (", ..." if len(header) > 12 else "")
        if _GKG_HEADER & set(header):
            what = "a GDELT GKG file"
        elif url_col is not None and (
            id_col is not None or _first(header, TITLE_COLUMNS) is not None
        ):
            what = "this news export"
        else:
            return None
        return iter([ReadFailure(source, None, NO_TEXTS.format(what=what, columns=listed))])
    if id_col is None and url_col is None:
        return None
    return _rows(rows, header, source, text_col, id_col, url_col)


def _rows(
    rows: Iterator[list[str]],
    header: list[str],
    source: str,
    text_col: int,
    id_col: int | None,
    url_col: int | None,
) -> Iterator[Document | ReadFailure]:
    from fftrack.ingest.jsonl import record_to_document

    limit = csv.field_size_limit()
    columns = {
        "title": _first(header, TITLE_COLUMNS),
        "published": _first(header, DATE_COLUMNS),
        "source": _first(header, SOURCE_COLUMNS),
        "language": _first(header, LANGUAGE_COLUMNS),
        "id": id_col,
        "url": url_col,
        "text": text_col,
    }
    seen = 0
    line = 1  # the header's last line
    try:
        csv.field_size_limit(1 << 30)  # article texts outgrow csv's 128 KB default
        while True:
            start = line + 1
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as exc:
                line = rows.line_num  # type: ignore[attr-defined]
                yield ReadFailure(source, start, f"bad CSV row: {exc}")
                continue
            line = rows.line_num  # type: ignore[attr-defined]
            if not any(cell.strip() for cell in row):
                continue
            seen += 1
            record = {key: row[i] for key, i in columns.items() if i is not None and i < len(row)}
            if record.get("id") is not None and not record["id"].strip():
                del record["id"]
            doc = record_to_document(record, f"{source}:{start}")
            if isinstance(doc, str):
                yield ReadFailure(source, start, doc.replace("'text'", f"'{header[text_col]}'"))
            else:
                yield doc
    finally:
        csv.field_size_limit(limit)
    if not seen:
        yield ReadFailure(source, None, "empty: a news export with no rows")
