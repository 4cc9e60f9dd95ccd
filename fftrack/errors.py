"""One exception root for everything fftrack raises on purpose.

The CLI maps these to one-line messages and exit codes; a user never sees a traceback
for their own mistake (a bad path, a bad date, a file that is not a feed).
"""

from __future__ import annotations


class FftrackError(Exception):
    """Root of every error fftrack raises deliberately."""

    exit_code = 1


class ConfigError(FftrackError):
    """A setting is missing, malformed or out of range."""

    exit_code = 2


class UsageError(FftrackError):
    """The user asked for something that cannot be done as asked (bad filter, bad id)."""

    exit_code = 2


class InputError(FftrackError):
    """One input (file, line, URL) cannot be read. Batches report it and go on."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.source = source
        self.line = line
        where = source or ""
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message


class FetchError(InputError):
    """A URL or feed could not be fetched (network, size, scheme, private address)."""


class DocumentLimitError(InputError):
    """One document went past the per-document guard (time or memory): it is reported as
    a failed document and the batch goes on."""


class StoreError(FftrackError):
    """The store cannot be opened, migrated or written."""


class NotFoundError(UsageError):
    """No record with that id."""


class ModelError(FftrackError):
    """A language model or gazetteer cannot be loaded."""


class GazetteerError(ModelError):
    """The gazetteer index could not be built or opened (a data error: a ModelError)."""


class GeoparseInputError(InputError):
    """An input line of ``fftrack geoparse`` lacks a field it needs (reported, then skipped)."""
