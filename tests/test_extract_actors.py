"""Actor normalisation from the curated alias table, nationality and language."""

from __future__ import annotations

import pytest

from fftrack.extract.actors import language_code, load_table, nationality, normalize_actor


@pytest.mark.parametrize(
    "name", ["ISIS", "ISIL", "IS", "Islamic State", "Daesh", "Islamic State of Iraq and Syria"]
)
def test_islamic_state_aliases(name: str) -> None:
    assert normalize_actor(name) == ("Islamic State", "armed_group", None)


@pytest.mark.parametrize(
    ("name", "canonical", "kind"),
    [
        ("SDF", "Syrian Democratic Forces", "armed_group"),
        ("U.S.-backed Arab and Kurdish forces", "Syrian Democratic Forces", "armed_group"),
        ("the YPG", "People's Protection Units", "armed_group"),
        ("Iraqi Security Forces", "Iraqi Security Forces", "state_forces"),
        ("regime forces", "Syrian Arab Army", "state_forces"),
        ("Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham", "armed_group"),
        ("HTS", "Hayat Tahrir al-Sham", "armed_group"),
        ("the coalition", "Global Coalition against Daesh", "coalition"),
    ],
)
def test_normalize(name: str, canonical: str, kind: str) -> None:
    got = normalize_actor(name)
    assert got is not None
    assert got[:2] == (canonical, kind)


def test_unknown_actor() -> None:
    assert normalize_actor("the local football club") is None
    assert normalize_actor("") is None


def test_table_is_well_formed() -> None:
    table = load_table()
    names = [e.name for e in table]
    assert len(names) == len(set(names))
    kinds = {
        "armed_group",
        "state_forces",
        "coalition",
        "civilians",
        "protesters",
        "rioters",
        "organisation",
    }
    assert {e.kind for e in table} <= kinds
    for e in table:
        assert e.country is None or (len(e.country) == 2 and e.country.isupper())


def test_nationality_and_language() -> None:
    assert nationality("British") == "GB"
    assert nationality("Britons") == "GB"
    assert nationality("French") == "FR"
    assert nationality("Martian") is None
    assert language_code("French") == "fr"
    assert language_code("Arabic") == "ar"


def test_actor_name_holds_no_count(pipeline) -> None:
    from fftrack.records import Document

    text = "Between 3,000 and 4,000 jihadists remain in the city."
    ex = pipeline.extract_doc(Document(id="a", text=text), pipeline.nlp(text))
    assert [a.name for a in ex.actors] == ["jihadists"]


def test_the_alias_alternation_by_first_letter_matches_as_the_plain_one() -> None:
    """The actor table's case-insensitive pattern is factored by first letter for speed;
    it finds what the plain alternation of the same aliases, longest first, finds."""
    import re

    from fftrack.extract.actors import _alias_pattern, _is_strict, _matchers, load_table

    loose = sorted(
        (a for e in load_table() for a in e.aliases if not _is_strict(a)), key=len, reverse=True
    )
    plain = re.compile(
        r"(?<![\w-])(?:" + "|".join(_alias_pattern(a) for a in loose) + r")(?![\w-])", re.I
    )
    factored = _matchers()[0]
    text = " ".join(
        [*loose, *(a.upper() for a in loose), *(a.lower() + "s" for a in loose)]
        + ["Islamic-State fighters and the  Free Syrian Army's men met the \u212aurdish YPG."]
    )
    assert [m.span() for m in factored.finditer(text)] == [m.span() for m in plain.finditer(text)]
