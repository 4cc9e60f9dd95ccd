"""The main job: documents in, extractions out (nlp -> geo -> extract).

Models and gazetteers are loaded in the constructor, once, and reused for every batch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from fftrack.config import Config
from fftrack.errors import DocumentLimitError
from fftrack.extract import extract_records
from fftrack.geo import Gazetteer, Geoparser
from fftrack.nlp import NlpPipeline
from fftrack.parts import Guard, join_parts, split_document, time_limit
from fftrack.records import Document, Extraction

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


class Pipeline:
    """Runs the language model, the geoparser and the extractors over documents."""

    def __init__(
        self,
        config: Config | None = None,
        *,
        nlp: NlpPipeline | None = None,
        geoparser: Geoparser | None = None,
    ) -> None:
        self.config = config or Config()
        self.nlp = nlp or NlpPipeline(
            self.config.model, batch_size=self.config.batch_size, n_process=self.config.n_process
        )
        if geoparser is None:
            geoparser = Geoparser(Gazetteer.open(self.config.resolved_cache_dir))
        self.geoparser = geoparser

    def model_gap(self, document: Document) -> str | None:
        """Why ``document`` is not run through the model: its language (declared, or
        identified at ingest) is not the model's. ``None`` (unknown) is read as English.

        Such a document is stored with its language and no records, and reported per
        document: the English model on French text tags French words as English ones
        and gives records nobody can trust, worse for research than a known gap."""
        language = document.language
        model_lang = getattr(self.nlp, "lang", "en")
        if language is None or language == model_lang:
            return None
        return f"no model for {language}: not processed (the model reads {model_lang})"

    def _unread(self, document: Document, gap: str) -> Extraction:
        log.info("%s: %s", document.origin or document.id, gap)  # the caller reports it
        return Extraction(document=document, warnings=(gap,))

    def process(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """Yield one Extraction per document, in order (see :meth:`model_gap`)."""
        docs = list(documents)
        readable = self._readable(docs)
        done = self._process(readable)
        for document in docs:
            gap = self.model_gap(document)
            yield self._unread(document, gap) if gap else next(done)

    def _readable(self, documents: list[Document]) -> list[Document]:
        return [d for d in documents if self.model_gap(d) is None]

    def _process(self, docs: list[Document]) -> Iterator[Extraction]:
        limit = self.config.part_chars
        sdocs = self.nlp.pipe(d.text for d in docs if len(d.text) <= limit)
        for document in docs:
            if len(document.text) > limit:
                yield self.extract_in_parts(document)
            else:
                yield self.extract_doc(document, next(sdocs))

    def process_safe(
        self, documents: list[Document]
    ) -> Iterator[tuple[Document, Extraction | None, Exception | None]]:
        """Like ``process`` but one document's failure is reported, not raised.

        A document in a language the model does not read gives an extraction without
        records whose ``warnings`` say so (:meth:`model_gap`)."""
        done = self._process_safe(self._readable(documents))
        for document in documents:
            gap = self.model_gap(document)
            yield (document, self._unread(document, gap), None) if gap else next(done)

    def _process_safe(
        self, documents: list[Document]
    ) -> Iterator[tuple[Document, Extraction | None, Exception | None]]:
        """The work of ``process_safe`` over documents the model reads.

        Yields ``(document, extraction, None)`` or ``(document, None, error)``. If the
        language model fails inside a batch, the rest of the batch is run one by one so
        that only the document at fault is lost. A document longer than
        ``config.part_chars`` is read in parts (``fftrack.parts``); one past the
        per-document guard (time, memory) is a failure with the reason.
        """
        limit = self.config.part_chars
        sdocs = self.nlp.pipe(d.text for d in documents if len(d.text) <= limit)
        for i, document in enumerate(documents):
            if len(document.text) > limit:
                yield self._in_parts_safe(document)
                continue
            try:
                sdoc = next(sdocs)
            except Exception:
                log.warning("language model failed in a batch; running the rest one by one")
                yield from self._one_by_one(documents[i:])
                return
            yield self._extract_safe(document, sdoc)

    def _one_by_one(
        self, documents: list[Document]
    ) -> Iterator[tuple[Document, Extraction | None, Exception | None]]:
        for document in documents:
            if len(document.text) > self.config.part_chars:
                yield self._in_parts_safe(document)
                continue
            try:
                sdoc = self.nlp(document.text)
            except Exception as exc:
                log.warning("language model failed on %s: %s", document.origin or document.id, exc)
                yield document, None, exc
                continue
            yield self._extract_safe(document, sdoc)

    def _extract_safe(
        self, document: Document, sdoc: Doc
    ) -> tuple[Document, Extraction | None, Exception | None]:
        try:
            with time_limit(self.config.doc_time_limit, document):
                return document, self.extract_doc(document, sdoc), None
        except DocumentLimitError as exc:
            log.warning("%s", exc)
            return document, None, exc
        except Exception as exc:  # an extractor bug must not stop the batch
            log.exception("extraction failed on %s", document.origin or document.id)
            return document, None, exc

    def _in_parts_safe(
        self, document: Document
    ) -> tuple[Document, Extraction | None, Exception | None]:
        try:
            with time_limit(self.config.doc_time_limit, document):
                return document, self.extract_in_parts(document), None
        except DocumentLimitError as exc:
            log.warning("%s", exc)
            return document, None, exc
        except Exception as exc:  # a model or extractor failure on one part
            log.exception("extraction failed on %s", document.origin or document.id)
            return document, None, exc

    def extract_in_parts(self, document: Document) -> Extraction:
        """The records of a long document, read part by part (see ``fftrack.parts``)."""
        parts = split_document(document, self.config.part_chars)
        guard = Guard(document, self.config.doc_time_limit, self.config.doc_memory_limit_mb)
        log.info(
            "%s: %d characters, read in %d parts",
            document.origin or document.id,
            len(document.text),
            len(parts),
        )
        done: list[tuple[int, Extraction]] = []
        for offset, part in parts:
            done.append((offset, self.extract_doc(part, self.nlp(part.text))))
            guard.check(len(done), len(parts))
        return join_parts(document, done)

    def extract_doc(self, document: Document, sdoc: Doc) -> Extraction:
        places = self.geoparser.geoparse(sdoc, document)
        actors, events, movements, figures = extract_records(sdoc, document, places)
        return Extraction(
            document=document,
            places=tuple(places),
            actors=tuple(actors),
            events=tuple(events),
            movements=tuple(movements),
            figures=tuple(figures),
        )
