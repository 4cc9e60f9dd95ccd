"""Shared pieces of the readers: failures, document ids, dates, HTML stripping."""

from __future__ import annotations

import email.utils
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, datetime
from html.parser import HTMLParser

from fftrack.errors import InputError
from fftrack.records import Document, content_id

log = logging.getLogger(__name__)

READER_VERSION = "ingest.v1"
DEFAULT_MAX_BYTES = 50_000_000
STDIN_NAME = "<stdin>"

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class ReadFailure:
    """One input that could not be read: the file (or URL), the line if any, and why.

    Readers yield these instead of raising, so that one bad file or line never stops a
    batch. ``str(failure)`` is the one-line message the CLI prints.
    """

    source: str
    line: int | None
    reason: str

    def __post_init__(self) -> None:
        # one line, always: the CLI prints it as is
        reason = " ".join(str(self.reason).split())
        object.__setattr__(self, "reason", reason[:500] or "unreadable")
        object.__setattr__(self, "source", str(self.source).replace("\n", " "))

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.reason}"

    def to_error(self) -> InputError:
        """The same failure as the project's exception (for callers that want to raise)."""
        return InputError(self.reason, source=self.source, line=self.line)

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class ReadWarning:
    """Something a reader did that the user should check, though the input was read: an
    encoding guessed, a symbolic link passed over. Same fields as :class:`ReadFailure`.

    Readers never yield these (their items stay documents and failures); they hand them to
    a ``warn`` callback when one is given (the ingest report collects them), else log them.
    """

    source: str
    line: int | None
    reason: str

    def __post_init__(self) -> None:
        reason = " ".join(str(self.reason).split())
        object.__setattr__(self, "reason", reason[:500] or "warning")
        object.__setattr__(self, "source", str(self.source).replace("\n", " "))

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.reason}"

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "line": self.line, "reason": self.reason}


Warn = Callable[[ReadWarning], None]
# told how many more bytes of the input files have been read (ingest's progress bar)
Meter = Callable[[int], None]


def report_warning(warn: Warn | None, source: str, line: int | None, reason: str) -> None:
    """Hand a warning to ``warn``, or log it when there is no one to hand it to."""
    warning = ReadWarning(source, line, reason)
    if warn is None:
        log.warning("%s", warning)
    else:
        log.info("%s", warning)
        warn(warning)


def normalise_text(text: str) -> str:
    """NFC, every run of whitespace collapsed to one space, stripped."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def document_id(text: str) -> str:
    """The id of a document without one: sha1 of its normalised text, 16 hex digits.

    Two copies of one article that differ only in whitespace or Unicode normalisation
    get the same id, so ingesting both stores one document.
    """
    return content_id(normalise_text(text))


_CONTROLS = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")


def has_stray_controls(text: str) -> bool:
    """True when ``text`` holds NUL or other control characters that :func:`clean_text` drops."""
    return _CONTROLS.search(text) is not None


_SURROGATES = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """Lone surrogates (from JSON ``"\\ud800"`` escapes) become U+FFFD; offsets unchanged."""
    return _SURROGATES.sub("\ufffd", text)


def clean_text(text: str) -> str:
    """Text as stored: NUL and stray control characters dropped, newlines unified, lone
    surrogates replaced by U+FFFD (they cannot be written as UTF-8)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return replace_surrogates(_CONTROLS.sub("", text))


_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_STRPTIME_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y%m%d",
)


def parse_date(value: object) -> date | None:
    """A publication date from what a source gives: ISO, RFC 2822, "4 June 2017", ...

    Returns ``None`` for anything it cannot read; never raises.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 100:
        return None
    m = _ISO_DATE.match(s)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    for fmt in _STRPTIME_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    try:
        import dateparser

        # absolute dates only: "tomorrow" or "3 days ago" would be counted from the clock
        parsed = dateparser.parse(
            s,
            settings={
                "REQUIRE_PARTS": ["year", "month"],
                "PREFER_DAY_OF_MONTH": "first",
                "PARSERS": ["custom-formats", "absolute-time"],
            },
        )
    except Exception:  # dateparser raises a zoo of errors on odd input
        log.debug("dateparser failed on %r", s, exc_info=True)
        return None
    return parsed.date() if parsed else None


def language_code(value: object) -> str | None:
    """``"en-US"`` -> ``"en"``; ``None`` for anything that is not a language tag."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    m = re.match(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value)
    return m.group(1).lower() if m else None


_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table td th tr ul title".split()
)
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "head", "svg"))


class _Stripper(HTMLParser):
    """Event-driven (no recursion), so any nesting depth is safe.

    Pages go to trafilatura (lxml) first; this is for fragments (feed titles and
    summaries) and the fallback when trafilatura gives no text. lxml is not used here
    because libxml2 drops every text node below its nesting limit (255 levels, with or
    without ``huge_tree``): the page that needs the fallback most would come back empty
    (tests/test_ingest_html_text.py)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def strip_html(markup: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, blocks on lines."""
    if "<" not in markup and "&" not in markup:
        return tidy_lines(markup)
    parser = _Stripper()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # html.parser is lenient, but never let a fragment stop a batch
        log.debug("html.parser failed; falling back to a regex strip", exc_info=True)
        return tidy_lines(re.sub(r"<[^<>]*>", " ", markup))
    return tidy_lines("".join(parser.parts))


def tidy_lines(text: str) -> str:
    """Spaces collapsed inside lines, blank-line runs collapsed to one, ends stripped."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


_SPACES = re.compile(r"[ \t\f\v\u00a0]+")


def skip_prolog(text: str, limit: int = 4096) -> str:
    """``text`` from its first element on: skips whitespace, a BOM, ``<?...?>``, comments
    and a ``<!DOCTYPE ...>`` (with an internal subset). Linear time, no regex backtracking.
    """
    head = text[:limit]
    pos = 0
    n = len(head)
    while pos < n:
        while pos < n and (head[pos].isspace() or head[pos] == "\ufeff"):
            pos += 1
        if head.startswith("<?", pos):
            end = head.find("?>", pos + 2)
            if end < 0:
                return ""
            pos = end + 2
        elif head.startswith("<!--", pos):
            end = head.find("-->", pos + 4)
            if end < 0:
                return ""
            pos = end + 3
        elif head[pos : pos + 9].upper() == "<!DOCTYPE":
            bracket = head.find("[", pos)
            close = head.find(">", pos)
            if close < 0:
                return ""
            if 0 <= bracket < close:
                end = head.find("]", bracket)
                close = head.find(">", end) if end >= 0 else -1
                if close < 0:
                    return ""
            if head[pos : pos + 14].lower() == "<!doctype html":
                return head[pos:]
            pos = close + 1
        else:
            break
    return head[pos:]


# the ``language`` of a document read under :func:`deferred_language` that declares none:
# not a language code; :func:`settle_language` replaces it with the identified one
LANGUAGE_PENDING = "(pending)"
_DEFERRED: ContextVar[bool] = ContextVar("fftrack_deferred_language", default=False)


def default_language(text: str, sample: int = 5000) -> str | None:
    """The language to assume when a source declares none (see :mod:`fftrack.ingest.language`):
    ``None`` (unknown) when most letters are of another script than Latin; for Latin-script
    text, py3langid's answer among the candidate languages when it is confident, else
    ``"en"``. Under :func:`deferred_language`: :data:`LANGUAGE_PENDING`, for later."""
    if _DEFERRED.get():
        return LANGUAGE_PENDING
    from fftrack.ingest.language import detect_language

    return detect_language(text, sample)


@contextmanager
def deferred_language() -> Iterator[None]:
    """While open, readers leave the language of a document that declares none to be
    identified later (:data:`LANGUAGE_PENDING`), when :func:`settle_language` is given
    the document: ingest identifies it only for the documents the store does not have
    yet, so that a resumed run spends nothing on the ones it skips. Every reader passes
    the document's own text to :func:`default_language`, so the answer is the same."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def settle_language(document: Document) -> Document:
    """``document`` with its language identified where it was left pending."""
    if document.language != LANGUAGE_PENDING:
        return document
    from fftrack.ingest.language import detect_language

    return replace(document, language=detect_language(document.text))
