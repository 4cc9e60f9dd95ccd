"""Numbers with qualifiers: words, digits, vague counts, ranges."""

from __future__ import annotations

import pytest

from fftrack.extract.quantities import find_quantities, parse_quantity, words_to_int
from fftrack.records import Quantity


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "upper"),
    [
        ("more than 50", 50, "more_than", None),
        ("roughly 40,000", 40000, "about", None),
        ("dozens", 12, "at_least", None),
        ("dozens of civilians", 12, "at_least", None),
        ("tens", 10, "at_least", None),
        ("hundreds of people", 100, "at_least", None),
        ("scores of", 20, "at_least", None),
        ("four", 4, "exact", None),
        ("22", 22, "exact", None),
        ("27,000-31,000", 27000, "at_least", 31000),
        ("between 27,000 and 31,000", 27000, "at_least", 31000),
        ("up to 4,761 women", 4761, "at_most", None),
        ("at least one American", 1, "at_least", None),
        ("over 20 air strikes", 20, "more_than", None),
        ("nearly 1.2 million", 1_200_000, "about", None),
        ("twenty-two", 22, "exact", None),
        ("one hundred and five", 105, "exact", None),
        ("fewer than 10", 10, "fewer_than", None),
    ],
)
def test_parse_quantity(text: str, value: int, qualifier: str, upper: int | None) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.qualifier, q.upper) == (value, qualifier, upper)


def test_no_quantity() -> None:
    assert parse_quantity("someone often went") is None
    assert parse_quantity("") is None


def test_find_several_with_offsets() -> None:
    text = "killed four and injured more than 50 others"
    found = find_quantities(text)
    assert [f.quantity.value for f in found] == [4, 50]
    assert [text[f.start : f.end] for f in found] == ["four", "more than 50"]


def test_coordinated_numbers_are_not_a_range() -> None:
    found = find_quantities("Two fighters and one militant")
    assert [f.quantity for f in found] == [
        Quantity(2, "exact", text="Two"),
        Quantity(1, "exact", text="one"),
    ]


def test_words_to_int() -> None:
    assert words_to_int("forty two") == 42
    assert words_to_int("three thousand") == 3000
    assert words_to_int("banana") is None


def test_number_words_that_are_no_one_number() -> None:
    """text2num checks the grammar of number words: side by side, two numbers are read
    as two (ours summed them: "four three" was 7)."""
    assert words_to_int("four three") is None and words_to_int("one one") is None
    assert words_to_int("one hundred and five") == 105
    assert words_to_int("forty five thousand and six hundred") == 45_600
    text = "the killing of five people and wounding four three days ago"
    assert [(f.quantity.value, text[f.start : f.end]) for f in find_quantities(text)] == [
        (5, "five"),
        (4, "four"),
        (3, "three"),
    ]
    text = "more than twenty two fighters"
    (found,) = find_quantities(text)
    assert (found.quantity.value, found.quantity.qualifier) == (22, "more_than")
