"""Library side of ``fftrack geoparse IN.jsonl [--spans]``.

Each input dict has ``"id"`` and ``"text"`` (and with ``spans=True`` a list
``"toponyms": [{"start", "end"}]`` whose spans are resolved exactly); each output dict is
``{"id", "places": [...]}``, each place as ``fftrack extract`` gives it
(:meth:`fftrack.records.Place.to_dict`: ``id``, ``name``, ``start``, ``end``, ``lat``,
``lon``, ``geonameid``, ``country``, ``feature``, ``precision``, ``resolved_name``,
``admin1``, ``score``, ``features``, ``extractor``, ``confidence``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from fftrack.errors import GeoparseInputError
from fftrack.records import Document, Place

if TYPE_CHECKING:
    from fftrack.geo.geoparser import Geoparser
    from fftrack.nlp.pipeline import NlpPipeline

log = logging.getLogger(__name__)


def place_record(p: Place) -> dict[str, Any]:
    """A place as the extraction contract gives it (the same fields as ``extract``)."""
    return p.to_dict()


def check_line(line: Any, spans: bool) -> None:
    """Raise GeoparseInputError, naming the problem, for a line geoparse cannot take."""
    if not isinstance(line, dict) or not isinstance(line.get("text"), str):
        raise GeoparseInputError("needs a string 'text'")
    if spans:
        _spans_of(line, len(line["text"]))


def _spans_of(line: dict[str, Any], n: int) -> list[tuple[int, int]]:
    raw = line.get("toponyms")
    if not isinstance(raw, list):
        raise GeoparseInputError(f"line {line.get('id')!r}: --spans needs a 'toponyms' list")
    out = []
    for t in raw:
        try:
            s, e = int(t["start"]), int(t["end"])
        except (KeyError, TypeError, ValueError) as exc:
            raise GeoparseInputError(
                f"line {line.get('id')!r}: each toponym needs integer 'start' and 'end'"
            ) from exc
        if not (0 <= s <= e <= n):
            raise GeoparseInputError(f"line {line.get('id')!r}: span {s}:{e} outside the text")
        out.append((s, e))
    return out


def geoparse_records(
    lines: Iterable[dict[str, Any]],
    pipeline_nlp: NlpPipeline | None,
    geoparser: Geoparser,
    spans: bool,
) -> Iterator[dict[str, Any]]:
    """Geoparse JSON records in order (see the module docstring).

    With ``spans=True`` the language model is not needed for resolution; it is still used
    for sentence bounds when given. Lines without a string ``text`` raise
    :class:`GeoparseInputError` when reached.
    """
    buf: list[dict[str, Any]] = []

    def flush(batch: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        texts = [b["text"] for b in batch]
        docs: Iterable[Any]
        if pipeline_nlp is not None:
            docs = pipeline_nlp.pipe(texts)
        else:
            docs = [None] * len(batch)
        for line, sdoc in zip(batch, docs, strict=True):
            doc = Document(id=str(line.get("id", "")), text=line["text"])
            if spans:
                places = geoparser.resolve_spans(sdoc, doc, _spans_of(line, len(doc.text)))
            else:
                if sdoc is None:
                    raise GeoparseInputError("geoparse without --spans needs the language model")
                places = geoparser.geoparse(sdoc, doc)
            yield {"id": line.get("id"), "places": [place_record(p) for p in places]}

    for line in lines:
        if not isinstance(line, dict) or not isinstance(line.get("text"), str):
            yield from flush(buf)
            buf = []
            raise GeoparseInputError(
                f"line {line.get('id') if isinstance(line, dict) else '?'!r}: needs a string 'text'"
            )
        buf.append(line)
        if len(buf) >= 64:
            yield from flush(buf)
            buf = []
    if buf:
        yield from flush(buf)
