"""geo.resolve.v7: a name written with an Arabic article is no place abroad that the
gazetteer finds only once the article is dropped ("al-Hol" is not Hol in Norway)."""

from __future__ import annotations

from typing import Any

import pytest

from fftrack.geo.gazetteer import Gazetteer
from fftrack.geo.resolve import mention_candidates
from fftrack.records import Document


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.open(None)


def _countries(gaz: Gazetteer, name: str) -> set[str]:
    return {e.country for e, _ in mention_candidates(gaz, name)[0]}


def test_an_article_name_is_read_where_arabic_is_spoken(gaz: Gazetteer) -> None:
    assert "NO" in _countries(gaz, "Hol")  # the name alone: Norway's Hol is a reading
    with_article = _countries(gaz, "al-Hol")
    assert "NO" not in with_article and "SY" in with_article
    assert "SY" in _countries(gaz, "al-Bab")


def test_a_camp_named_with_its_article_is_placed_in_syria(pipeline: Any) -> None:
    text = (
        "More than 70,000 people crowded into the al-Hol camp last month, aid groups said, "
        "after the fall of the last enclave held by the militants."
    )
    places = pipeline.geoparser.geoparse(pipeline.nlp.nlp(text), Document(id="t", text=text))
    hol = [p for p in places if p.name == "al-Hol"]
    assert hol and all(p.country in (None, "SY") for p in hol)
