"""The web view: a read-only HTTP API and an offline map page over the store.

``create_app(db_path)`` returns the ASGI app; ``serve(db_path, host, port)`` runs it with
uvicorn on 127.0.0.1 by default. FastAPI is imported only when one of them is called.

API (every list takes since, until, country, place, type, actor, bbox, limit, offset;
bad values answer 422 with a one-line ``detail``):

- ``/api/events``, ``/api/movements``, ``/api/figures``, ``/api/actors``, ``/api/places``,
  ``/api/flows``: ``{"total", "returned", "limit", "offset", "query", "items"}``;
  ``merged=true`` on events gives one row per event cluster (cross-source dedup).
- ``/api/events.geojson`` (Points), ``/api/movements.geojson`` (LineStrings origin, via,
  destination), ``/api/flows.geojson`` (one LineString per origin/destination pair,
  ``reports`` = distinct documents).
- ``/api/records/{id}``: one record with its sources, sentences and spans.
- ``/api/stats``, ``/api/timeline`` (events per week by type),
  ``/api/figures/by-origin``; ``/docs`` (Swagger UI) and ``/openapi.json``.

Offline assets: leaflet, leaflet.markercluster, topojson-client, world-atlas (country
borders) and swagger-ui-dist come from npm (``make install`` runs ``npm ci`` into
``node_modules/``, not committed) and are served by the app from an allow-list under
``/vendor/``; ``FFTRACK_WEB_ASSETS`` may point at another ``node_modules``. Security:
strict CSP (``script-src 'self'``, no inline code), nosniff, no framing, source text only
through ``textContent``, http(s) links only, read-only store, loopback by default with
Host-header checking. Answers are cached per request until the store files change
(``FFTRACK_WEB_CACHE_MB``, default 128; 0 turns it off) and carry ETags.
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
