"""Places named inside facilities and institutions, and unknown names holding a known one."""

from fftrack.records import Document


def places(pipeline, text):
    doc = Document(id="t", text=text)
    return {p.name: p for p in pipeline.geoparser.geoparse(pipeline.nlp(text), doc)}


def test_place_inside_a_facility_name_is_found(pipeline):
    got = places(
        pipeline,
        "A bomb exploded in the foyer of Manchester Arena, Greater Manchester Police said. "
        "The blast was near Victoria railway station. "
        "The wounded were taken to hospitals across Greater Manchester.",
    )
    assert got["Manchester"].country == "GB"
    # unknown names fall back to the place they contain or the document's own places
    assert got["Greater Manchester"].country == "GB" and got["Greater Manchester"].precision >= 2
    assert dict(got["Greater Manchester"].features).get("fallback") == 1.0
    assert got["Victoria"].country == "GB"  # not Hong Kong (alternate name "Victoria")
