"""Scale-out through Dask: extraction runs in worker processes, the store keeps one writer.

Each worker process builds its own Pipeline once (the model and gazetteer load in the
worker, on first use) and keeps it for every later partition. The parent process
writes what comes back, batch by batch, in one transaction each.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from fftrack.config import Config
from fftrack.records import Document, Extraction

log = logging.getLogger(__name__)

_PIPELINES: dict[Config, Any] = {}

Result = tuple[Document, Extraction | None, Exception | None]


def _pipeline(config: Config) -> Any:
    """The worker's Pipeline for this config, built on first use and kept."""
    pipeline = _PIPELINES.get(config)
    if pipeline is None:
        from fftrack.pipeline import Pipeline

        pipeline = _PIPELINES[config] = Pipeline(config)
    return pipeline


def extract_partition(documents: list[Document], config: Config) -> list[Result]:
    """Run on a worker: one partition of documents through the pipeline."""
    return list(_pipeline(config).process_safe(documents))


def partitions(documents: list[Document], n: int) -> list[list[Document]]:
    """Split into at most ``n`` contiguous, non-empty parts (order kept)."""
    n = max(1, min(n, len(documents)))
    size, extra = divmod(len(documents), n)
    parts, pos = [], 0
    for i in range(n):
        step = size + (1 if i < extra else 0)
        parts.append(documents[pos : pos + step])
        pos += step
    return [p for p in parts if p]


class DaskExtractor:
    """A callable for ``runner.ingest(extract=...)`` backed by a local Dask cluster.

    Pass ``address`` to use an existing ``dask.distributed`` scheduler instead.
    """

    def __init__(self, config: Config, *, workers: int = 2, address: str | None = None) -> None:
        from dask.distributed import Client, LocalCluster

        self.config = config
        self.workers = workers
        self.cluster = None
        if address:
            self.client = Client(address)
        else:
            self.cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self.client = Client(self.cluster)
        log.info("dask client %s with %d workers", self.client, workers)

    def __call__(self, documents: list[Document]) -> Iterator[Result]:
        if not documents:
            return iter(())
        parts = partitions(documents, self.workers)
        futures = self.client.map(extract_partition, parts, config=self.config, pure=False)
        return (result for future in futures for result in future.result())

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["DaskExtractor", "extract_partition", "partitions"]
