"""The web view: a read-only HTTP API and an offline map page over the store.

``create_app(db_path)`` returns the ASGI app; ``serve(db_path, host, port)`` runs it with
uvicorn on 127.0.0.1 by default. FastAPI is imported only when one of them is called.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "serve"]


def create_app(db_path: str | os.PathLike[str], **kwargs: Any) -> FastAPI:
    from fftrack.web.app import create_app as _create_app

    return _create_app(db_path, **kwargs)


def serve(
    db_path: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000, **kwargs: Any
) -> None:
    from fftrack.web.app import serve as _serve

    _serve(db_path, host=host, port=port, **kwargs)
