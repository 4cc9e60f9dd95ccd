"""Per-document views of a spaCy ``Doc`` that spaCy rebuilds on every access.

``Doc.text`` joins every token, ``Doc.ents`` / ``Span.ents`` build a ``Span`` for every
entity of the document and ``Doc.sents`` one for every sentence each time they are read; read once per candidate, they made the
extractors quadratic in a document's length. These helpers compute each view once per
``Doc`` and keep it in ``doc.user_data`` (the language model never changes a parsed doc).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

_TEXT = ("fftrack", "text")
_ENTS = ("fftrack", "ents")
_STARTS = ("fftrack", "ent_starts")
_SENTS = ("fftrack", "sents")
_TOKENS = ("fftrack", "tokens")


def _user_data(doc: Doc) -> dict[Any, Any]:
    data: dict[Any, Any] = doc.user_data  # spaCy types it by str; tuple keys are fine
    return data


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once."""
    cache = _user_data(doc)
    text = cache.get(_TEXT)
    if text is None:
        text = cache[_TEXT] = doc.text
    return str(text)


def doc_ents(doc: Doc) -> tuple[Any, ...]:
    """``doc.ents``, built once."""
    cache = _user_data(doc)
    ents: tuple[Any, ...] | None = cache.get(_ENTS)
    if ents is None:
        ents = cache[_ENTS] = tuple(doc.ents)
        cache[_STARTS] = [e.start for e in ents]
    return ents  # the cached tuple itself: callers look it up per candidate


def doc_tokens(doc: Doc) -> list[Any]:
    """``list(doc)``, built once: ``doc[i]`` makes a new ``Token`` object on every read, an
    item of this list is made once (the same token: its attributes read the same doc)."""
    cache = _user_data(doc)
    toks: list[Any] | None = cache.get(_TOKENS)
    if toks is None:
        toks = cache[_TOKENS] = list(doc)
    return toks


def doc_sents(doc: Doc) -> tuple[Any, ...]:
    """``tuple(doc.sents)``, built once (raises ``ValueError`` as ``doc.sents`` does where
    no sentence boundaries are set)."""
    cache = _user_data(doc)
    sents: tuple[Any, ...] | None = cache.get(_SENTS)
    if sents is None:
        sents = cache[_SENTS] = tuple(doc.sents)
    return sents


def ents_within(doc: Doc, start: int, end: int) -> list[Any]:
    """The entities wholly inside tokens ``[start, end)`` (what ``Span.ents`` gives)."""
    ents = doc_ents(doc)
    starts: list[int] = _user_data(doc)[_STARTS]
    out = []
    for k in range(bisect_left(starts, start), len(ents)):
        ent = ents[k]
        if ent.end > end:
            break
        out.append(ent)
    return out


def ent_at(doc: Doc, i: int) -> Any | None:
    """The entity holding token ``i``, if any."""
    ents = doc_ents(doc)
    starts: list[int] = _user_data(doc)[_STARTS]
    k = bisect_left(starts, i + 1) - 1
    if k >= 0 and ents[k].start <= i < ents[k].end:
        return ents[k]
    return None
