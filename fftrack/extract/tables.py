"""Tables written as text: rows of cells split by ``|`` under a header row.

Reports and encyclopaedia pages list battles, strikes and attacks as tables ("Date | Battle
| Location | ... | Hezbollah fatalities | Outcome"). A row's events are read from its words
like any sentence; what the words cannot say is which number is the toll. The header does:
the cell under a column named for the dead ("fatalities", "killed", "deaths", "dead") is
the row's toll, read as a researcher reads the table ("28+" is at least 28, "unknown" no
toll); the cell under "Date" is when, the cell under "Location" (or "Place") where.

Pure functions over the text; the rows of one text are found once (``lru_cache``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from fftrack.records import Qualifier, Quantity

_MIN_CELLS = 3
_HEADERS = {
    "toll": re.compile(r"\b(?:fatalit(?:y|ies)|killed|deaths?|dead)\b", re.I),
    "date": re.compile(r"^(?:date|dates|when|period|time)$", re.I),
    "place": re.compile(r"^(?:location|locations|place|places|where|site|town|city)$", re.I),
}
_TOLL_CELL = re.compile(
    r"^\s*(?:(at least|over|more than)\s+)?(\d{1,3}(?:,\d{3})*|\d+)\s*(\+)?\s*$", re.I
)


@dataclass(frozen=True)
class Row:
    start: int
    end: int
    cells: tuple[tuple[int, int], ...]  # each cell's offsets in the text, spaces trimmed
    columns: tuple[tuple[str, int], ...]  # ("toll" | "date" | "place", column index)

    def cell(self, kind: str) -> tuple[int, int] | None:
        """The offsets of this row's cell under the header's column of ``kind``."""
        k = dict(self.columns).get(kind)
        return self.cells[k] if k is not None and k < len(self.cells) else None


def _cells(line: str, at: int) -> tuple[tuple[int, int], ...]:
    out = []
    pos = 0
    for part in line.split("|"):
        lead = len(part) - len(part.lstrip())
        out.append((at + pos + lead, at + pos + len(part.rstrip())))
        pos += len(part) + 1
    return tuple(out)


def _columns(text: str, cells: tuple[tuple[int, int], ...]) -> tuple[tuple[str, int], ...]:
    found: dict[str, int] = {}
    for k, (a, b) in enumerate(cells):
        for kind, pattern in _HEADERS.items():
            if kind not in found and pattern.search(text[a:b]):
                found[kind] = k
    return tuple(found.items())


@lru_cache(maxsize=8)
def table_rows(text: str) -> tuple[Row, ...]:
    """Every row under a header row of every table in ``text``."""
    rows: list[Row] = []
    columns: tuple[tuple[str, int], ...] = ()
    in_table = False
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        body = line.rstrip("\r\n")
        if body.count("|") < _MIN_CELLS - 1:
            in_table = False
            continue
        cells = _cells(body, start)
        if not in_table:
            # the first row of a table is its header when no cell holds a digit
            in_table = True
            columns = ()
            if not any(ch.isdigit() for ch in body):
                columns = _columns(text, cells)
                continue
        rows.append(Row(start, start + len(body), cells, columns))
    return tuple(rows)


@lru_cache(maxsize=8)
def _starts(text: str) -> tuple[int, ...]:
    return tuple(r.start for r in table_rows(text))


def row_at(text: str, at: int) -> Row | None:
    """The table row (under a header) that holds offset ``at``."""
    k = bisect_right(_starts(text), at) - 1
    if k < 0:
        return None
    row = table_rows(text)[k]
    return row if at < row.end else None


def row_toll(text: str, row: Row) -> Quantity | None:
    """The toll the table gives for ``row``: a number under its header's column of the
    dead."""
    cell = row.cell("toll")
    if cell is None:
        return None
    m = _TOLL_CELL.match(text[cell[0] : cell[1]])
    if m is None:
        return None
    value = int(m.group(2).replace(",", ""))
    prefix = (m.group(1) or "").lower()
    qualifier: Qualifier = "exact"
    if prefix in ("over", "more than"):
        qualifier = "more_than"
    elif prefix == "at least" or m.group(3):
        qualifier = "at_least"
    return Quantity(value, qualifier, text=m.group(0).strip())
