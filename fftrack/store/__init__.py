"""The SQLite store: schema and migrations, the writer, read-only views and queries."""

from fftrack.store.query import Query
from fftrack.store.reader import StoreReader
from fftrack.store.writer import Store, WriteStats

__all__ = ["Query", "Store", "StoreReader", "WriteStats"]
