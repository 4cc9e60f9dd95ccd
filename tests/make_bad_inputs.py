"""Write the bad-input corpus (issue #7 item 1) and say what fftrack does with each file.

Usage: ``python tests/make_bad_inputs.py [DEST] [--no-huge] [--check]`` (default
``tests/data/bad/``, which git ignores; ``--check`` then reads it back and prints how many
files were handled as documented). The tests build the same corpus in a temporary folder
through :func:`make_bad_inputs`; ``benchmarks/robustness.py`` can use :func:`make_bad_inputs`,
:func:`verify` (tried, handled as documented, documents lost) and :data:`EXPECTED`.

Documented behaviour, file by file (``iter_documents`` over the folder):

==========================  =========================================  =======================
file                        what it is                                 behaviour
==========================  =========================================  =======================
``empty.txt``               0 bytes                                    failure "empty"
``blank.txt``               only spaces and newlines                   failure "empty"
``binary.txt``              PNG-like bytes with NULs, named .txt       failure "binary file"
``control_chars.txt``       no NUL, mostly control characters          failure "binary file"
``invalid_utf8.txt``        UTF-8 text with stray 0xFF/0xC3 bytes      read; detected encoding,
                                                                       warning "not UTF-8"
``arabic_cp1256.txt``       Arabic in Windows-1256                     read, decoded exactly;
                                                                       warning "not UTF-8"
``latin1.txt``              French/German text in ISO-8859-1           read, decoded exactly;
                                                                       warning "not UTF-8"
``utf16_bom.txt``           UTF-16 LE with BOM                         read, decoded exactly
``utf8_bom.txt``            UTF-8 with BOM                             read, BOM dropped
``huge_200mb.txt``          200 MB (sparse) text file                  failure "too large",
                                                                       refused from its size
``deep_nesting.html``       100,000 nested ``<div>``                   read (tags stripped
                                                                       without recursion)
``billion_laughs.xml``      RSS with nested entity expansion           failure "refused ...
                                                                       XML bomb"
``xxe_feed.rss``            RSS with an external entity (file://)      failure "refused"
``not_a_feed.xml``          plain prose under a feed extension         failure "not a
                                                                       readable feed"
``gzip_bomb.txt.gz``        60 MB of zeros in 60 KB of gzip            failure "too large ...
                                                                       when decompressed"
``truncated.jsonl.gz``      gzip cut in the middle                     failure "corrupt gzip"
``mixed.jsonl``             3 good lines, a malformed line (line 2),   3 documents; failures
                            a record without ``text`` (line 4)         at lines 2 and 4
``missing_text.jsonl``      one record without ``text``                failure at line 1
``bad_byte.jsonl``          UTF-8 lines, one with a stray 0xFF byte    2 documents, exact
                            (line 2) (issue 14 item 2)                 text; failure at line 2
``nul_line.jsonl``          good lines, one with a NUL byte (line 2)   2 documents; failure
                            (issue 14 item 7)                          at line 2
``deep_json.jsonl``         a line of 100,000 ``[`` (line 1)           1 document; failure
                                                                       at line 1
``svg_root.html``           an SVG image named .html                   failure "not an HTML
                                                                       page"
``bad_published.txt``       header ``Published: 2017-13-45``           read, no publication
                            (issue 15 item 2)                          date; warning at line 3
``non_news.txt``            a recipe                                   read (nothing to
                                                                       extract, no error)
``numbers_only.txt``        only numbers                               read (nothing to
                                                                       extract, no error)
``good_*``                  good documents (text, HTML, RSS, JSONL,    all read
                            gzipped JSONL)
==========================  =========================================  =======================

Folder cases, written with ``make_bad_inputs(..., walk=True)`` (what ``main`` and
``benchmarks/robustness.py`` write; the per-file tests read each file alone, where a
folder's rules do not apply):

==========================  =========================================  =======================
``deep/d/d/.../deep.txt``   a report 1,500 folders down (issue 14      read (the walk is
                            item 6)                                    iterative)
``outside_link.txt``        a symbolic link to ``/etc/passwd``, out    not read: a warning
                            of the folder (issue 14 item 12)           "symlink outside ..."
==========================  =========================================  =======================

"Failure" means a ``ReadFailure(source=file, line=N or None, reason=...)`` is yielded and the
iteration goes on; every good document around the bad ones is still read. A "warning" is a
``ReadWarning`` handed to the ``warn`` callback (the ingest summary lists them).
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

HUGE_BYTES = 200 * 1024 * 1024
NESTING = 100_000

ARABIC = (
    "أعلنت قوات سوريا الديمقراطية السيطرة الكاملة على مدينة الرقة بعد معارك استمرت "
    "أربعة أشهر، وقال مسؤولون إن مئات المقاتلين الأجانب غادروا المدينة باتجاه دير الزور."
)
LATIN1 = (
    "Réfugiés à Zürich: selon le ministère, des combattants français sont partis de "
    "Raqqa vers la vallée de l'Euphrate. Über 800 Männer aus Großbritannien, dit-on, "
    "étaient déjà là-bas. Señor García a confirmé les chiffres à la fenêtre du café."
)
UTF16 = "Mosul: Iraqi forces retook the old city in July 2017 — «the end of the caliphate»."
GOOD_TEXT = (
    "Title: Fighters leave Raqqa\nSource: Test Gazette\nPublished: 2017-10-15\n\n"
    "Buses carried hundreds of fighters out of Raqqa toward Deir ez-Zor, officials said.\n"
)
GOOD_HTML = """<!DOCTYPE html><html><head><title>Mosul retaken</title>
<meta property="article:published_time" content="2017-07-10"></head>
<body><article><h1>Mosul retaken</h1>
<p>Iraqi forces said on Monday that they had retaken the old city of Mosul after nine
months of fighting, and that the last pockets of resistance near the river had fallen.</p>
</article></body></html>
"""
GOOD_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test Wire</title>
<item><title>Clashes near al-Mayadin</title><link>https://example.org/1</link>
<pubDate>Mon, 16 Oct 2017 10:00:00 GMT</pubDate>
<description>Clashes were reported on the edge of al-Mayadin.</description></item>
<item><title>Abu Kamal retaken</title><link>https://example.org/2</link>
<pubDate>Thu, 09 Nov 2017 10:00:00 GMT</pubDate>
<description>Syrian forces said they had retaken Abu Kamal.</description></item>
</channel></rss>
"""
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><description>&lol9;</description></item>
</channel></rss>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title>
<item><title>leak</title><description>&xxe;</description></item></channel></rss>
"""
NON_NEWS = (
    "Lemon drizzle cake\n\nCream 175 g of butter with 175 g of caster sugar, beat in two eggs, "
    "fold in 175 g of self-raising flour and the zest of a lemon. Bake for 45 minutes at "
    "180 degrees, then pour over the juice of the lemon mixed with sugar.\n"
)
NUMBERS = "1 2 3 4 5 6 7 8 9 10\n3.14159 2.71828 1.41421\n100 200 300 400 500\n"
ZURICH = "Fighting was reported near Zürich, officials in Genève said."
BAD_PUBLISHED = (
    "Title: A report with a bad date\nSource: Test Gazette\nPublished: 2017-13-45\n\n"
    "Fighters left Hajin for Baghuz yesterday, officials said.\n"
)
DEEP_LEVELS = 1500
DEEP_FILE = "/".join(["deep", *["d"] * DEEP_LEVELS, "deep.txt"])
OUTSIDE_TARGET = "/etc/passwd"
SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>logo</title>
<text x="1" y="5">Raqqa</text></svg>
"""


@dataclass(frozen=True)
class Expect:
    """What reading one file must give."""

    documents: int  # Documents yielded
    failures: tuple[tuple[int | None, str], ...] = ()  # (line, substring of the reason)
    text: str | None = None  # a document's text must contain this exactly (decoded correctly)
    what: str = ""
    warnings: tuple[tuple[int | None, str], ...] = ()  # (line, substring), checked by verify
    undated: bool = False  # its documents have no publication date


GUESSED = ((None, "not UTF-8"),)  # the warning for a guessed encoding
EXPECTED: dict[str, Expect] = {
    "empty.txt": Expect(0, ((None, "empty"),), what="0 bytes"),
    "blank.txt": Expect(0, ((None, "empty"),), what="only whitespace"),
    "binary.txt": Expect(0, ((None, "binary file"),), what="binary named .txt"),
    "control_chars.txt": Expect(0, ((None, "binary file"),), what="control characters"),
    "invalid_utf8.txt": Expect(1, text="Deir ez-Zor", what="invalid UTF-8", warnings=GUESSED),
    "arabic_cp1256.txt": Expect(1, text=ARABIC, what="cp1256 Arabic", warnings=GUESSED),
    "latin1.txt": Expect(1, text=LATIN1, what="latin-1", warnings=GUESSED),
    "utf16_bom.txt": Expect(1, text=UTF16, what="UTF-16 with BOM"),
    "utf8_bom.txt": Expect(1, text="Hajin fell in December 2018.", what="UTF-8 with BOM"),
    "huge_200mb.txt": Expect(0, ((None, "too large"),), what="200 MB text"),
    "deep_nesting.html": Expect(1, text="Deeply nested report", what="100k nested tags"),
    "billion_laughs.xml": Expect(0, ((None, "XML bomb"),), what="billion laughs feed"),
    "xxe_feed.rss": Expect(0, ((None, "refused"),), what="external entity feed"),
    "not_a_feed.xml": Expect(0, ((None, "not a readable feed"),), what="prose named .xml"),
    "mixed.jsonl": Expect(
        3,
        ((2, "invalid JSON"), (4, "no 'text'")),
        text="Second good line.",
        what="malformed line and record without text among good lines",
    ),
    "missing_text.jsonl": Expect(0, ((1, "no 'text'"),), what="record without text"),
    "bad_byte.jsonl": Expect(
        2, ((2, "not valid UTF-8"),), text=ZURICH, what="stray byte on one JSONL line"
    ),
    "nul_line.jsonl": Expect(2, ((2, "NUL byte"),), text="Tal Afar", what="NUL on one line"),
    "deep_json.jsonl": Expect(
        1, ((1, "invalid JSON"),), text="Hajin", what="100k nested JSON arrays on a line"
    ),
    "svg_root.html": Expect(0, ((None, "not an HTML page"),), what="SVG named .html"),
    "bad_published.txt": Expect(
        1,
        text="Fighters left Hajin",
        what="bad Published header",
        warnings=((3, "unreadable Published date"),),
        undated=True,
    ),
    "non_news.txt": Expect(1, text="Lemon drizzle cake", what="non-news text"),
    "numbers_only.txt": Expect(1, text="3.14159", what="only numbers"),
    "good_01.txt": Expect(1, text="Buses carried hundreds of fighters", what="good text"),
    "good_02.html": Expect(1, text="old city of Mosul", what="good HTML"),
    "good_03.rss": Expect(2, text="retaken Abu Kamal", what="good RSS"),
    "good_04.jsonl": Expect(2, text="Baghuz", what="good JSONL"),
    "good_05.jsonl.gz": Expect(1, text="Tal Afar", what="good gzipped JSONL"),
    "gzip_bomb.txt.gz": Expect(0, ((None, "when decompressed"),), what="gzip bomb"),
    "truncated.jsonl.gz": Expect(0, ((None, "corrupt gzip"),), what="truncated gzip"),
}
GOOD_DOCUMENTS = sum(e.documents for e in EXPECTED.values())
WALK_EXPECTED: dict[str, Expect] = {
    DEEP_FILE: Expect(1, text="deep folder", what=f"{DEEP_LEVELS} folders deep"),
    "outside_link.txt": Expect(
        0, what="symlink out of the folder", warnings=((None, "symlink outside"),)
    ),
}


def _binary() -> bytes:
    head = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    body = bytes((i * 37 + 11) % 256 for i in range(4096))
    return head + body


def make_bad_inputs(dest: Path, *, huge: bool = True, walk: bool = False) -> dict[str, Expect]:
    """Write the corpus into ``dest`` (created); returns the expectations for what was written.

    The 200 MB file is sparse (a short head, then ``truncate``), so writing it is instant
    and it takes almost no disk; ``huge=False`` leaves it out. ``walk=True`` adds the
    folder cases (:data:`WALK_EXPECTED`: a deep folder, a link out of the folder); remove
    such a corpus with :func:`remove_corpus` (``shutil.rmtree`` recurses once per level).
    """
    dest.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "blank.txt": b"  \n\n\t \n",
        "binary.txt": _binary(),
        "control_chars.txt": bytes([1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 16] * 200) + b"abc",
        "invalid_utf8.txt": (
            b"Fighters moved from Raqqa to Deir ez-Zor in October 2017. " * 3
            + b"Bad bytes: \xff\xfe\xc3( here. "
            + b"The convoy reached al-Mayadin two days later."
        ),
        "arabic_cp1256.txt": ARABIC.encode("cp1256"),
        "latin1.txt": LATIN1.encode("latin-1"),
        "utf16_bom.txt": UTF16.encode("utf-16"),  # Python writes a BOM
        "utf8_bom.txt": "Hajin fell in December 2018.".encode("utf-8-sig"),
        "deep_nesting.html": (
            "<html><head><title>Deep</title></head><body>"
            + "<div>" * NESTING
            + "<p>Deeply nested report: fighters left Hajin for Baghuz.</p>"
            + "</div>" * NESTING
            + "</body></html>"
        ).encode(),
        "billion_laughs.xml": BILLION_LAUGHS.encode(),
        "xxe_feed.rss": XXE.encode(),
        "not_a_feed.xml": b"This is prose saved with a feed extension, not XML.\n",
        "mixed.jsonl": "\n".join(
            [
                json.dumps({"id": "mixed-1", "text": "First good line about Raqqa."}),
                '{"id": "broken", "text": "unterminated',
                json.dumps({"id": "mixed-3", "text": "Second good line."}),
                json.dumps({"id": "no-text", "title": "a record without text"}),
                json.dumps({"id": "mixed-5", "text": "Third good line about Mosul."}),
            ]
        ).encode()
        + b"\n",
        "missing_text.jsonl": json.dumps({"title": "nothing else"}).encode() + b"\n",
        "bad_byte.jsonl": (
            json.dumps({"text": ZURICH}, ensure_ascii=False).encode()
            + b'\n{"text": "one stray \xff byte"}\n'
            + json.dumps({"text": "Kobani was besieged in 2014."}).encode()
            + b"\n"
        ),
        "nul_line.jsonl": (
            json.dumps({"text": "Iraqi forces retook Tal Afar."}).encode()
            + b'\n{"text": "a NUL \x00 byte"}\n'
            + json.dumps({"text": "Mosul was retaken in July 2017."}).encode()
            + b"\n"
        ),
        "deep_json.jsonl": b"[" * NESTING
        + b"\n"
        + json.dumps({"text": "Hajin was the last town held, near Baghuz."}).encode()
        + b"\n",
        "svg_root.html": SVG.encode(),
        "bad_published.txt": BAD_PUBLISHED.encode(),
        "non_news.txt": NON_NEWS.encode(),
        "numbers_only.txt": NUMBERS.encode(),
        "good_01.txt": GOOD_TEXT.encode(),
        "good_02.html": GOOD_HTML.encode(),
        "good_03.rss": GOOD_RSS.encode(),
        "good_04.jsonl": (
            json.dumps({"text": "Baghuz was the last enclave.", "published": "2019-03-23"})
            + "\n"
            + json.dumps({"text": "Hajin fell after weeks of fighting.", "id": "g4-2"})
            + "\n"
        ).encode(),
    }
    files["good_05.jsonl.gz"] = gzip.compress(
        json.dumps({"text": "Iraqi forces retook Tal Afar in August 2017."}).encode() + b"\n",
        mtime=0,
    )
    bomb = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\x00" * 1_000_000
    files["gzip_bomb.txt.gz"] = b"".join(bomb.compress(block) for _ in range(60)) + bomb.flush()
    full = gzip.compress(
        b"".join(
            json.dumps({"text": f"Line {i} of a cut dump."}).encode() + b"\n" for i in range(500)
        ),
        mtime=0,
    )
    files["truncated.jsonl.gz"] = full[: len(full) // 2]
    for name, data in files.items():
        (dest / name).write_bytes(data)
    expected = {k: v for k, v in EXPECTED.items() if k in files}
    huge_path = dest / "huge_200mb.txt"
    if huge:
        with huge_path.open("wb") as fh:
            fh.write(b"Title: A very large dump\n\n" + b"Raqqa. " * 1000 + b"\n")
            fh.truncate(HUGE_BYTES)
        expected["huge_200mb.txt"] = EXPECTED["huge_200mb.txt"]
    elif huge_path.exists():
        huge_path.unlink()
    if walk:
        deep = dest / DEEP_FILE
        folder = dest
        for part in Path(DEEP_FILE).parts[:-1]:  # os.makedirs recurses once per level
            folder = folder / part
            folder.mkdir(exist_ok=True)
        deep.write_text("Fighters were reported in a deep folder near Hajin in 2018.\n")
        expected[DEEP_FILE] = WALK_EXPECTED[DEEP_FILE]
        link = dest / "outside_link.txt"
        if os.path.exists(OUTSIDE_TARGET) and not link.is_symlink():
            link.symlink_to(OUTSIDE_TARGET)
        if link.is_symlink():
            expected["outside_link.txt"] = WALK_EXPECTED["outside_link.txt"]
    return expected


def remove_corpus(dest: Path) -> None:
    """Delete a corpus folder, its deep chain of folders first, without recursion."""
    top = dest / "deep"
    chain = [top]
    while (chain[-1] / "d").is_dir() and not (chain[-1] / "d").is_symlink():
        chain.append(chain[-1] / "d")
    for folder in reversed(chain):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if not entry.is_dir() or entry.is_symlink():
                entry.unlink()
        folder.rmdir()
    import shutil

    shutil.rmtree(dest, ignore_errors=True)


def _where(name: str, root: Path) -> str:
    """The corpus file an item came from: its path under ``root``, without the ``:LINE``
    or ``#N`` that a document's origin adds."""
    base = name.split("#", 1)[0]
    head, sep, tail = base.rpartition(":")
    if sep and tail.isdigit():
        base = head
    prefix = str(root) + os.sep
    return base[len(prefix) :] if base.startswith(prefix) else base


@dataclass
class Verdict:
    """How reading a corpus went against :data:`EXPECTED` (for tests and benchmarks)."""

    tried: int = 0  # files read
    as_documented: int = 0  # files whose outcome matched the table
    documents: int = 0  # documents read
    documents_expected: int = 0
    mismatches: list[str] | None = None

    @property
    def lost(self) -> int:
        """Good documents that were expected but not read."""
        return max(0, self.documents_expected - self.documents)


def verify(dest: Path, expected: dict[str, Expect] | None = None) -> Verdict:
    """Read the corpus in ``dest`` as ``ingest`` reads a folder (one walk, warnings
    collected) and compare each file's documents, failures and warnings with the table."""
    from fftrack.ingest import ReadFailure, iter_documents
    from fftrack.ingest.base import ReadWarning
    from fftrack.records import Document

    expected = expected if expected is not None else EXPECTED
    verdict = Verdict(mismatches=[])
    assert verdict.mismatches is not None
    warnings: list[ReadWarning] = []
    per: dict[str, list[object]] = {}
    for item in iter_documents([dest], warn=warnings.append):
        src = (item.origin or "") if isinstance(item, Document) else item.source
        per.setdefault(_where(str(src), dest), []).append(item)
    warned: dict[str, list[ReadWarning]] = {}
    for w in warnings:
        warned.setdefault(_where(w.source, dest), []).append(w)
    for name, expect in sorted(expected.items()):
        path = dest / name
        if not (path.exists() or path.is_symlink()):
            continue
        verdict.tried += 1
        items = per.get(name, [])
        docs = [i for i in items if isinstance(i, Document)]
        fails = [i for i in items if isinstance(i, ReadFailure)]
        warns = warned.get(name, [])
        verdict.documents += len(docs)
        verdict.documents_expected += expect.documents
        ok = len(docs) == expect.documents and len(fails) == len(expect.failures)
        ok = ok and all(
            f.line == line and reason in f.reason
            for f, (line, reason) in zip(fails, expect.failures, strict=False)
        )
        ok = ok and len(warns) == len(expect.warnings)
        ok = ok and all(
            w.line == line and reason in w.reason
            for w, (line, reason) in zip(warns, expect.warnings, strict=False)
        )
        if expect.text is not None:
            ok = ok and any(expect.text in d.text for d in docs)
        if expect.undated:
            ok = ok and all(d.published is None for d in docs)
        if ok:
            verdict.as_documented += 1
        else:
            got = [str(i) if isinstance(i, ReadFailure) else "document" for i in items]
            verdict.mismatches.append(f"{name}: got {got}, warnings {[str(w) for w in warns]}")
    return verdict


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    dest = Path(args[0]) if args else Path(__file__).resolve().parent / "data" / "bad"
    written = make_bad_inputs(dest, huge="--no-huge" not in argv, walk=True)
    sys.stdout.write(f"wrote {len(written)} files to {dest}\n")
    if "--check" in argv:
        v = verify(dest, written)
        sys.stdout.write(
            f"bad inputs tried: {v.tried}, handled as documented: {v.as_documented}, "
            f"documents read: {v.documents}/{v.documents_expected}, lost: {v.lost}\n"
        )
        for line in v.mismatches or []:
            sys.stdout.write(f"  mismatch: {line}\n")
        return 0 if v.as_documented == v.tried and v.lost == 0 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
