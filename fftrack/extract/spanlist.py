"""Records with spans, indexed by where they start, for the lookups every extractor makes.

An extractor asks, for each of its candidates, which places or actors lie inside a clause
or cover a name. Scanning every record of the document for each candidate is quadratic in
a long report's length; ``SpanList`` answers those questions by bisection. It is a tuple,
so code given a plain list or tuple gets the same answers, by a linear scan.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar


class _HasSpan(Protocol):
    @property
    def span(self) -> _Span: ...


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=_HasSpan)


class SpanList(tuple[T, ...]):
    """A tuple of span-bearing records in their given order, with an index by start."""

    _order: list[int]  # positions sorted by span start
    _starts: list[int]
    _longest: int

    def __new__(cls, items: Iterable[T] = ()) -> SpanList[T]:
        self = super().__new__(cls, items)
        self._order = sorted(range(len(self)), key=lambda k: self[k].span.start)
        self._starts = [self[k].span.start for k in self._order]
        self._longest = max((r.span.end - r.span.start for r in self), default=0)
        return self

    def _positions(self, lo: int, hi: int) -> list[int]:
        """Positions (in given order) of records whose start is in ``[lo, hi]``."""
        a = bisect_left(self._starts, lo)
        b = bisect_right(self._starts, hi)
        return sorted(self._order[a:b])


def spans_within(records: Sequence[T], start: int, end: int) -> list[T]:
    """The records whose span lies inside ``[start, end)``, in their given order."""
    if isinstance(records, SpanList):
        return [r for k in records._positions(start, end) if (r := records[k]).span.end <= end]
    return [r for r in records if r.span.start >= start and r.span.end <= end]


def spans_covering(records: Sequence[T], start: int, end: int) -> list[T]:
    """The records whose span holds all of ``[start, end)``, in their given order."""
    if isinstance(records, SpanList):
        return [
            r
            for k in records._positions(start - records._longest, start)
            if (r := records[k]).span.end >= end
        ]
    return [r for r in records if r.span.start <= start and end <= r.span.end]


def spans_starting(records: Sequence[T], lo: int, hi: int) -> list[T]:
    """The records whose span starts in ``[lo, hi)``, in their given order."""
    if isinstance(records, SpanList):
        return [records[k] for k in records._positions(lo, hi - 1)]
    return [r for r in records if lo <= r.span.start < hi]


__all__ = ["SpanList", "spans_covering", "spans_starting", "spans_within"]
