"""Scale-out through Dask: extraction runs in worker processes, the store keeps one writer.

Each worker process builds its own Pipeline once (the model and gazetteer load in the
worker, on first use) and keeps it for every later partition. The parent process
writes what comes back, batch by batch, in one transaction each.

Dask logs as much as fftrack does: its ``distributed`` loggers get the level of the
``fftrack`` logger (WARNING unless ``-v``), in this process and in the workers, and the
scheduler serves no dashboard.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
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


def quiet_dask_logging() -> dict[str, Any]:
    """Give Dask's ``distributed`` loggers the ``fftrack`` logger's level (WARNING unless
    ``-v``) here, and return the dask config that does the same in worker processes."""
    level = logging.getLogger("fftrack").getEffectiveLevel()
    logging.getLogger("distributed").setLevel(level)
    return {"logging": {"distributed": logging.getLevelName(level).lower()}}


class DaskExtractor:
    """A callable for ``runner.ingest(extract=...)`` backed by a local Dask cluster.

    Pass ``address`` to use an existing ``dask.distributed`` scheduler instead.
    """

    def __init__(self, config: Config, *, workers: int = 2, address: str | None = None) -> None:
        import dask
        from dask.distributed import Client, LocalCluster

        self.config = config
        self.workers = workers
        self.cluster = None
        settings = quiet_dask_logging()  # after the import: it sets its own levels
        with dask.config.set(settings):
            if address:
                self.client = Client(address)
            else:
                self.cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    # no dashboard; the scheduler's HTTP routes on a free loopback port
                    scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                )
                self.client = Client(self.cluster)
        log.info("dask client %s with %d workers", self.client, workers)

    def __call__(self, documents: list[Document]) -> Iterator[Result]:
        return iter(self.submit(documents)())

    def submit(self, documents: list[Document]) -> Callable[[], list[Result]]:
        """Start a batch on the workers; the returned callable waits for its results (in
        the order given). The runner submits the next batch before it writes this one,
        so the workers never wait for the writer."""
        if not documents:
            return list
        # smaller parts than workers: a worker that finishes early takes the next part
        parts = partitions(documents, self.workers * 2)
        futures = self.client.map(extract_partition, parts, config=self.config, pure=False)
        return lambda: [result for future in futures for result in future.result()]

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["DaskExtractor", "extract_partition", "partitions"]
