"""HTML to text: trafilatura (lxml) for pages, the stdlib's event-driven parser for
fragments and as the fallback. Why the fallback is not lxml: libxml2 drops every text
node below its nesting limit (255 levels), so a deeply nested page would come back empty;
html.parser keeps no stack of its own and reads it whole."""

from __future__ import annotations

from fftrack.ingest.base import strip_html
from fftrack.ingest.html import read_html

SENTENCE = "Gunmen killed 8 people near London Bridge on Saturday night, police said."


def _nested(depth: int) -> str:
    return (
        "<html><head><title>T</title></head><body>"
        + "<div>" * depth
        + f"<p>{SENTENCE}</p>"
        + "</div>" * depth
        + "<p>More after the nesting.</p></body></html>"
    )


def test_a_page_nested_past_libxml2s_limit_keeps_its_text() -> None:
    lxml_html = __import__("lxml.html").html
    assert "Gunmen" not in "".join(lxml_html.document_fromstring(_nested(300)).itertext())
    (doc,) = list(read_html(_nested(300), "deep.html"))
    assert doc.text == f"{SENTENCE}\n\nMore after the nesting."
    assert doc.title == "T"


def test_fragment_to_text() -> None:
    fragment = (
        "<p>Shelling hit <b>Idlib</b> &amp; Maarat al-Numan</p><script>alert(1)</script>"
        "<ul><li>three killed</li><li>five injured</li></ul>"
    )
    assert strip_html(fragment) == (
        "Shelling hit Idlib & Maarat al-Numan\n\nthree killed\n\nfive injured"
    )
