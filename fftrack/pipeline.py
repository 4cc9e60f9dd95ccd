"""The main job: documents in, extractions out (nlp -> geo -> extract).

Models and gazetteers are loaded in the constructor, once, and reused for every batch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from fftrack.config import Config
from fftrack.extract import extract_records
from fftrack.geo import Gazetteer, Geoparser
from fftrack.nlp import NlpPipeline
from fftrack.records import Document, Extraction

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

    def process(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """Yield one Extraction per document, in order."""
        docs = list(documents) if not isinstance(documents, list) else documents
        for document, sdoc in zip(docs, self.nlp.pipe(d.text for d in docs), strict=True):
            yield self.extract_doc(document, sdoc)

    def process_safe(
        self, documents: list[Document]
    ) -> Iterator[tuple[Document, Extraction | None, Exception | None]]:
        """Like ``process`` but one document's failure is reported, not raised.

        Yields ``(document, extraction, None)`` or ``(document, None, error)``. If the
        language model fails inside a batch, the rest of the batch is run one by one so
        that only the document at fault is lost.
        """
        sdocs = self.nlp.pipe(d.text for d in documents)
        for i, document in enumerate(documents):
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
            try:
                sdoc = self.nlp(document.text)
            except Exception as exc:
                log.warning("language model failed on %s: %s", document.origin or document.id, exc)
                yield document, None, exc
                continue
            yield self._extract_safe(document, sdoc)

    def _extract_safe(
        self, document: Document, sdoc: object
    ) -> tuple[Document, Extraction | None, Exception | None]:
        try:
            return document, self.extract_doc(document, sdoc), None
        except Exception as exc:  # an extractor bug must not stop the batch
            log.exception("extraction failed on %s", document.origin or document.id)
            return document, None, exc

    def extract_doc(self, document: Document, sdoc: object) -> Extraction:
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
