"""Readers: text, HTML, feeds, JSON Lines, JSON, folders, stdin, dispatch."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from fftrack.ingest import ReadFailure, document_id, iter_documents, read_bytes, read_file
from fftrack.records import Document, content_id

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Euphrates Monitor</title><link>https://example.org/</link><language>en-gb</language>
<item>
  <title>Convoy leaves Raqqa</title>
  <link>https://example.org/convoy</link>
  <pubDate>Sun, 15 Oct 2017 09:00:00 GMT</pubDate>
  <description>&lt;p&gt;Buses carried fighters out of &lt;b&gt;Raqqa&lt;/b&gt; toward Deir ez-Zor.&lt;/p&gt;</description>
</item>
<item>
  <title>Fighting near al-Mayadin</title>
  <link>https://example.org/mayadin</link>
  <pubDate>Mon, 16 Oct 2017 10:00:00 GMT</pubDate>
  <description>Clashes were reported on the edge of al-Mayadin.</description>
</item>
</channel></rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Mosul Notes</title>
  <entry>
    <title>Old city retaken</title>
    <link href="https://example.org/mosul"/>
    <updated>2017-07-10T12:00:00Z</updated>
    <content type="html">&lt;p&gt;Iraqi forces said the old city of Mosul had been retaken.&lt;/p&gt;</content>
  </entry>
</feed>
"""

HTML = """<!DOCTYPE html>
<html lang="en"><head>
<title>Attack on Westminster Bridge</title>
<meta property="article:published_time" content="2017-03-23">
<meta property="og:site_name" content="Example Times">
<link rel="canonical" href="https://example.org/westminster">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Attack on Westminster Bridge</h1>
<p>A man drove a car into pedestrians on Westminster Bridge in London on Wednesday,
killing four people and injuring more than fifty, police said.</p>
<p>He then stabbed a police officer in the grounds of Parliament before he was shot dead.
The attack lasted less than two minutes, according to the police account given later.</p>
</article>
<footer>Copyright Example Times</footer>
</body></html>
"""


def _docs(items: list) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def _fails(items: list) -> list[ReadFailure]:
    return [i for i in items if isinstance(i, ReadFailure)]


def test_document_id_normalises_text() -> None:
    a = document_id("Fighters  fled\nRaqqa. ")
    assert a == document_id("Fighters fled Raqqa.")
    assert a == content_id("Fighters fled Raqqa.")
    assert len(a) == 16 and all(c in "0123456789abcdef" for c in a)
    # NFC: a composed and a decomposed e-acute are the same document
    assert document_id("caf\u00e9") == document_id("cafe\u0301")
    assert document_id("a") != document_id("b")


def test_text_with_header_block(tmp_path: Path) -> None:
    p = tmp_path / "report.txt"
    p.write_text(
        "Title: Convoy leaves Raqqa\nSource: Example Gazette\nPublished: 2017-06-04\n"
        "URL: https://example.org/c\n\nBuses left Raqqa at dawn.\nThey headed east.\n",
        encoding="utf-8",
    )
    (doc,) = list(read_file(p))
    assert isinstance(doc, Document)
    assert doc.text == "Buses left Raqqa at dawn.\nThey headed east."
    assert doc.title == "Convoy leaves Raqqa"
    assert doc.source == "Example Gazette"
    assert doc.published == date(2017, 6, 4)
    assert doc.url == "https://example.org/c"
    assert doc.id == document_id(doc.text)
    assert doc.origin == str(p)


def test_text_header_other_date_forms_and_id(tmp_path: Path) -> None:
    p = tmp_path / "r.md"
    p.write_text("Date: 4 June 2017\nId: my-doc\n\nLondon Bridge.\n", encoding="utf-8")
    (doc,) = list(read_file(p))
    assert doc.published == date(2017, 6, 4)
    assert doc.id == "my-doc"


def test_text_without_header_first_line_is_title(tmp_path: Path) -> None:
    p = tmp_path / "plain.txt"
    body = "Fighters flee down the Euphrates\n\nReports said hundreds left Raqqa.\n"
    p.write_text(body, encoding="utf-8")
    (doc,) = list(read_file(p))
    assert doc.title == "Fighters flee down the Euphrates"
    assert doc.text.startswith("Fighters flee down the Euphrates")
    assert doc.published is None


def test_colon_line_is_not_a_header(tmp_path: Path) -> None:
    p = tmp_path / "quote.txt"
    p.write_text("Note: this is prose, not a header.\n\nMore prose.\n", encoding="utf-8")
    (doc,) = list(read_file(p))
    assert doc.text.startswith("Note: this is prose")


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    p = tmp_path / "docs.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "Raqqa fell.", "published": "2017-10-17", "source": "X"}),
        "",
        "{not json",
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "Mosul was retaken.", "title": "Mosul", "language": "en"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": 7, "text": "Seven."}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_file(p))
    docs, fails = _docs(items), _fails(items)
    assert [d.id for d in docs] == ["a1", document_id("Mosul was retaken."), "7"]
    assert docs[0].published == date(2017, 10, 17)
    assert docs[0].source == "X"
    assert docs[0].origin == f"{p}:1"
    assert docs[1].origin == f"{p}:5"
    assert [(f.line, f.source) for f in fails] == [(3, str(p)), (4, str(p)), (6, str(p))]
    assert "invalid JSON" in fails[0].reason
    assert "text" in fails[1].reason
    assert str(fails[1]).startswith(f"{p}:4: ")


def test_json_list_and_object(tmp_path: Path) -> None:
    p = tmp_path / "list.json"
    p.write_text(json.dumps([{"text": "One."}, {"text": ""}, {"text": "Two."}]), encoding="utf-8")
    items = list(read_file(p))
    assert [d.text for d in _docs(items)] == ["One.", "Two."]
    assert "item 2" in _fails(items)[0].reason
    q = tmp_path / "one.json"
    q.write_text(json.dumps({"text": "Alone.", "published": "2019-03-23"}), encoding="utf-8")
    (doc,) = list(read_file(q))
    assert doc.text == "Alone." and doc.published == date(2019, 3, 23)


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(HTML, encoding="utf-8")
    (doc,) = list(read_file(p))
    assert isinstance(doc, Document)
    assert "Westminster Bridge in London" in doc.text
    assert "Copyright" not in doc.text and "Home" not in doc.text
    assert doc.title == "Attack on Westminster Bridge"
    assert doc.published == date(2017, 3, 23)
    assert doc.url == "https://example.org/westminster"
    assert doc.id == document_id(doc.text)


def test_tiny_html_falls_back_to_stripped_text() -> None:
    (doc,) = list(
        read_bytes(b"<html><body><p>Short note.</p></body></html>", "x.html", kind=".html")
    )
    assert isinstance(doc, Document)
    assert doc.text == "Short note."


def test_rss_feed_entries(tmp_path: Path) -> None:
    p = tmp_path / "feed.rss"
    p.write_bytes(RSS)
    docs = list(read_file(p))
    assert len(docs) == 2 and all(isinstance(d, Document) for d in docs)
    first = docs[0]
    assert first.title == "Convoy leaves Raqqa"
    assert (
        first.text
        == "Convoy leaves Raqqa\n\nBuses carried fighters out of Raqqa toward Deir ez-Zor."
    )
    assert first.url == "https://example.org/convoy"
    assert first.published == date(2017, 10, 15)
    assert first.source == "Euphrates Monitor"
    assert first.language == "en"
    assert first.origin == f"{p}#1"
    assert docs[1].published == date(2017, 10, 16)


def test_atom_feed_and_sniffing(tmp_path: Path) -> None:
    p = tmp_path / "feed.xml"
    p.write_bytes(ATOM)
    (doc,) = list(read_file(p))
    assert doc.source == "Mosul Notes"
    assert doc.published == date(2017, 7, 10)
    assert "old city of Mosul" in doc.text
    # a feed saved under a .txt name or no extension is still read as a feed
    for name in ("feed.txt", "feed"):
        q = tmp_path / name
        q.write_bytes(RSS)
        assert len(_docs(list(read_file(q)))) == 2


def test_html_sniffed_without_extension(tmp_path: Path) -> None:
    p = tmp_path / "page"
    p.write_text(HTML, encoding="utf-8")
    (doc,) = list(read_file(p))
    assert doc.title == "Attack on Westminster Bridge"


def test_jsonl_sniffed_for_unknown_extension(tmp_path: Path) -> None:
    p = tmp_path / "dump.data"
    p.write_text('{"text": "A."}\n{"text": "B."}\n', encoding="utf-8")
    assert [d.text for d in _docs(list(read_file(p)))] == ["A.", "B."]


def test_not_a_feed(tmp_path: Path) -> None:
    p = tmp_path / "broken.xml"
    p.write_text("this is not xml at all", encoding="utf-8")
    items = list(read_file(p))
    assert len(items) == 1 and isinstance(items[0], ReadFailure)


def test_folder_walk_sorted_hidden_skipped(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"text": "Third."}\n', encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hidden too.", encoding="utf-8")
    texts = [d.text for d in _docs(list(iter_documents([tmp_path])))]
    assert texts == ["First.", "Second.", "Third."]
    assert texts == [d.text for d in _docs(list(iter_documents([str(tmp_path)])))]


def test_missing_path_is_a_failure_and_iteration_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Still read.", encoding="utf-8")
    items = list(iter_documents([tmp_path / "missing.txt", good]))
    assert isinstance(items[0], ReadFailure) and "no such file" in items[0].reason
    assert isinstance(items[1], Document) and items[1].text == "Still read."


def test_stdin_jsonl_and_text() -> None:
    stream = io.StringIO('{"text": "From stdin one."}\n\n{"text": "Two.", "id": "t2"}\n')
    docs = list(iter_documents(["-"], stdin=stream))
    assert [d.text for d in docs] == ["From stdin one.", "Two."]
    assert docs[0].origin == "<stdin>:1"
    stream = io.StringIO("Published: 2017-05-22\n\nManchester Arena.\n")
    (doc,) = list(iter_documents(["-"], stdin=stream))
    assert doc.text == "Manchester Arena." and doc.published == date(2017, 5, 22)
    stream = io.StringIO('{"text": "a"}\nplain line\n')
    (doc,) = list(iter_documents(["-"], stdin=stream))
    assert doc.text.startswith('{"text": "a"}')


def test_stdin_empty() -> None:
    (item,) = list(iter_documents(["-"], stdin=io.StringIO("  \n")))
    assert isinstance(item, ReadFailure) and item.source == "<stdin>"


def test_max_bytes(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text("x " * 1000, encoding="utf-8")
    (item,) = list(iter_documents([p], max_bytes=100))
    assert isinstance(item, ReadFailure) and "too large" in item.reason
    (item,) = list(iter_documents(["-"], stdin=io.StringIO("y" * 500), max_bytes=100))
    assert isinstance(item, ReadFailure) and "too large" in item.reason


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("2017-06-04", date(2017, 6, 4)),
        ("2017-06-04T10:00:00Z", date(2017, 6, 4)),
        ("Sun, 04 Jun 2017 10:00:00 GMT", date(2017, 6, 4)),
        ("June 4, 2017", date(2017, 6, 4)),
        ("not a date", None),
        ("2017-13-45", None),
    ],
)
def test_parse_date(raw: str, expected: date | None) -> None:
    from fftrack.ingest import parse_date

    assert parse_date(raw) == expected


def test_jsonl_text_kept_verbatim_unless_control_chars(tmp_path: Path) -> None:
    p = tmp_path / "v.jsonl"
    p.write_text(
        json.dumps({"text": "  Line one.\r\nLine two.  "})
        + "\n"
        + json.dumps({"text": "a\u0000b"})
        + "\n",
        encoding="utf-8",
    )
    first, second = list(read_file(p))
    assert first.text == "  Line one.\r\nLine two.  "  # offsets index the text as given
    assert second.text == "ab"


def test_prolog_sniffing_is_linear_on_hostile_heads() -> None:
    from fftrack.ingest.dispatch import looks_like_html
    from fftrack.ingest.feeds import looks_like_feed

    for head in ["<!-- -->" * 600 + "x", "<!--" * 1500, "<?" * 3000, "<!DOCTYPE x" * 500]:
        assert not looks_like_feed(head) and not looks_like_html(head)
    assert looks_like_feed(
        '<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE rss [<!ENTITY a "b">]>\n<rss>'
    )
    assert looks_like_html("\ufeff<!-- x --><!DOCTYPE html><html>")


def test_language_default_by_script(tmp_path: Path) -> None:
    p = tmp_path / "ar.txt"
    p.write_bytes("أعلنت قوات سوريا الديمقراطية السيطرة على الرقة".encode("cp1256"))
    (doc,) = list(read_file(p))
    assert doc.language is None
    q = tmp_path / "ar2.txt"
    q.write_text("Language: ar\n\nأعلنت قوات سوريا الديمقراطية", encoding="utf-8")
    assert next(iter(read_file(q))).language == "ar"
    r = tmp_path / "en.jsonl"
    r.write_text('{"text": "Raqqa fell."}\n{"text": "x", "language": "fr-FR"}\n', encoding="utf-8")
    assert [d.language for d in read_file(r)] == ["en", "fr"]


def test_stdin_bytes_decoded_like_files() -> None:
    arabic = "أعلنت قوات سوريا الديمقراطية السيطرة على الرقة"
    stream = io.TextIOWrapper(io.BytesIO(arabic.encode("cp1256")), encoding="utf-8")
    (doc,) = list(iter_documents(["-"], stdin=stream))
    assert doc.text == arabic
    stream = io.TextIOWrapper(io.BytesIO(b"\x00\x01\x02\x03binary"), encoding="utf-8")
    (item,) = list(iter_documents(["-"], stdin=stream))
    assert isinstance(item, ReadFailure) and item.reason == "binary file"
    stream = io.TextIOWrapper(io.BytesIO('{"text": "x"}\n'.encode("utf-16")), encoding="utf-8")
    (doc,) = list(iter_documents(["-"], stdin=stream))
    assert doc.text == "x" and doc.origin == "<stdin>:1"


def test_read_failure_is_one_line() -> None:
    f = ReadFailure("a.txt", 3, "bad\nthing\r\n  here")
    assert f.reason == "bad thing here"
    assert str(f) == "a.txt:3: bad thing here"
    assert f.to_dict() == {"source": "a.txt", "line": 3, "reason": "bad thing here"}
    assert str(f.to_error()) == "a.txt:3: bad thing here"


def test_html_date_from_byline_never_from_body_text() -> None:
    body = (
        "<html><head><title>Report</title></head><body><article><h1>Report</h1>{byline}"
        "<p>On 4 June 2017 attackers drove a van into pedestrians on London Bridge, and later "
        "stabbed people in Borough Market, police said in a statement afterwards.</p>"
        "<p>The earlier attack, on 22 March 2017, killed four people on Westminster Bridge.</p>"
        "</article></body></html>"
    )
    (doc,) = list(read_bytes(body.format(byline="").encode(), "x.html", kind=".html"))
    assert doc.published is None  # 4 June 2017 is the event's date, not the page's
    for byline in (
        "<p>Published: 10 June 2017</p>",
        "<span>Posted on Saturday, June 10, 2017</span>",
        '<time datetime="2017-06-10">10 June</time>',
    ):
        (doc,) = list(read_bytes(body.format(byline=byline).encode(), "x.html", kind=".html"))
        assert doc.published == date(2017, 6, 10), byline


def test_gzip_files(tmp_path: Path) -> None:
    import gzip

    p = tmp_path / "dump.jsonl.gz"
    p.write_bytes(gzip.compress(b'{"text": "One."}\n') + gzip.compress(b'{"text": "Two."}\n'))
    assert [d.text for d in read_file(p)] == ["One.", "Two."]  # both gzip members
    assert next(iter(read_file(p))).origin == f"{p}:1"
    q = tmp_path / "page.html.gz"
    q.write_bytes(gzip.compress(HTML.encode()))
    (doc,) = list(read_file(q))
    assert doc.title == "Attack on Westminster Bridge"
    r = tmp_path / "big.txt.gz"
    r.write_bytes(gzip.compress(b"word " * 10_000))
    (item,) = list(iter_documents([r], max_bytes=1000))
    assert isinstance(item, ReadFailure) and "when decompressed" in item.reason
    s = tmp_path / "bad.gz"
    s.write_bytes(b"\x1f\x8bnot really gzip")
    (item,) = list(read_file(s))
    assert isinstance(item, ReadFailure) and "corrupt gzip" in item.reason


def test_fifo_is_refused_not_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (item,) = list(read_file(fifo))  # must not block waiting for a writer
    assert isinstance(item, ReadFailure) and "not a regular file" in item.reason


def test_lone_surrogates_never_reach_a_document(tmp_path: Path) -> None:
    p = tmp_path / "s.jsonl"
    p.write_text('{"text": "ab\\ud800cd"}\n', encoding="utf-8")
    (doc,) = list(read_file(p))
    assert doc.text == "ab\ufffdcd"  # one character for one: offsets unchanged
    feed = RSS.replace(b"toward Deir ez-Zor.", b"toward Deir ez-Zor &amp;#xD800; &#55296;.")
    docs = _docs(list(read_bytes(feed, "f.rss", kind=".rss")))
    assert len(docs) == 2
    for d in docs:
        d.text.encode("utf-8")


@pytest.mark.parametrize("encoding", ["utf-16", "cp1256", "utf-8-sig"])
def test_feeds_in_other_encodings(encoding: str) -> None:
    feed = (
        f'<?xml version="1.0" encoding="{encoding.replace("-sig", "")}"?>'
        '<rss version="2.0"><channel><title>Wire</title><item><title>الرقة</title>'
        "<description>قوات سوريا الديمقراطية في الرقة</description></item></channel></rss>"
    )
    (doc,) = list(read_bytes(feed.encode(encoding), "f.xml", kind=".xml"))
    assert doc.title == "الرقة"
    assert doc.text == "الرقة\n\nقوات سوريا الديمقراطية في الرقة"
    assert doc.source == "Wire"
