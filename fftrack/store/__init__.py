"""The SQLite store: schema and migrations, the writer, read-only views and queries.

- ``Store.open(path)``: creates/migrates the file (WAL, foreign keys, busy timeout);
  ``write(extractions) -> WriteStats`` (one transaction per call, idempotent),
  ``known_documents(ids)``, ``record_failures([(source, line, reason)])``, ``close()``;
  ``clusters()``, the cluster repository ``fftrack.resolve`` clusters through.
- ``StoreReader(path)``: read-only; ``events|movements|figures|actors|places(Query)``,
  ``select(kind, Query)``, ``count(kind, Query)``, ``merged_count(Query)``,
  ``record(id)``, ``document(id)``, ``documents()`` and ``failures()`` (typed rows of
  ``fftrack.readmodel``), ``stats()``; the rows
  the merged views are built from (``merged_rows``: ``cluster_page_rows``,
  ``cluster_rows_of``, ``iter_cluster_batches``, ``movement_rows``, ``actor_rows``).
  The merged views themselves (``merged_events``, ``merged_event``, ``flows``,
  ``resolved_actors``) merge those rows with ``fftrack.resolve``: they live in
  ``fftrack.views``, whose ``StoreReader`` (``fftrack.StoreReader``) has them as methods.
  The store imports nothing from ``fftrack.resolve`` and resolve nothing from the store
  (tests/test_boundaries.py).
- Exports read a batch at a time: ``iter_select``, ``iter_table`` (``streams``),
  ``iter_reference`` (reference events, ``Store.import_reference``);
  ``fftrack.views.iter_merged_events`` for merged events.
- Datasette and sqlite-utils read the file as it is (``datasette``: FTS5 over documents,
  the ``merged_events`` and ``event_sources`` views).
- ``Query``: the filters (since, until, country, place, type, actor, bbox, limit,
  offset); ``Query.parse(...)`` builds one from user strings.

Rows are the records' ``to_dict()`` plus ``document_id`` and ``sources`` (events also
``cluster_id``); ``fftrack.export.write_rows`` writes them as json, jsonl, csv, geojson
or kml.
"""

from fftrack.store.query import Query
from fftrack.store.reader import StoreReader
from fftrack.store.writer import Store, WriteStats

__all__ = ["Query", "Store", "StoreReader", "WriteStats"]
