"""Tolls read from real reporting's sentences: the days of a date are no count."""

from __future__ import annotations

from typing import Any

import pytest

from fftrack.extract.counts import fatalities


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the parse hangs the count on the month: the days before it are a date
        ("Between 26 and 29 March 17 soldiers were killed and 100 wounded.", 17),
        ("On 17 and 18 October three civilians were killed.", 3),
        ("Between 2 and 3 May 2013, 14 soldiers were killed.", 14),
        ("On March 17 three civilians were killed.", 3),
        # a count is still a count
        ("Two fighters and one militant were killed.", 3),
        ("The monitor said air strikes killed 12 civilians on 4 May.", 12),
    ],
)
def test_the_days_of_a_date_are_no_count(nlp: Any, text: str, value: int) -> None:
    q = fatalities(list(nlp(text)), text)
    assert q is not None and q.value == value and q.upper is None
