"""``fftrack serve``: a read-only HTTP API and map page over the store.

The app opens the store read-only (``fftrack.views.StoreReader``), one connection per
worker thread. Everything the page shows comes from the JSON API; the page itself is
static HTML/JS/CSS under ``static/`` plus npm libraries served from ``node_modules``
(see ``assets.py``). Security: strict Content-Security-Policy (no inline scripts or
styles), ``nosniff``, no framing, untrusted article text only ever travels as JSON and
is put into the page with ``textContent``.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi import Path as PathParam
from fastapi import Query as QueryParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fftrack.config import settings
from fftrack.errors import FftrackError, NotFoundError, StoreError, UsageError
from fftrack.store.query import parse_whole
from fftrack.web import assets, geojson, mapview
from fftrack.web.cache import AnswerCache
from fftrack.web.params import (
    DEFAULT_GEOJSON_LIMIT,
    DEFAULT_LIST_LIMIT,
    MAX_LIMIT,
    MAX_OFFSET,
    RECORD_ID,
    echo,
    parse_filters,
)

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from fftrack.store import Query

VERSION = "web.app.v1"
STATIC_DIR = Path(__file__).resolve().parent / "static"
OSM_TILES = "https://tile.openstreetmap.org"
KINDS = ("events", "movements", "figures", "actors", "places")
MAX_SOURCES = 1000  # sources on one page of an event's detail
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src 'self' data: {OSM_TILES}",
        "connect-src 'self'",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
]

DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>fftrack API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/vendor/swagger-ui-dist/swagger-ui.css">
</head><body>
<div id="swagger-ui"><p>Loading the API documentation&hellip; It needs the npm package
swagger-ui-dist (installed by <code>make install</code>). The raw schema is at
<a href="/openapi.json">/openapi.json</a>.</p></div>
<script src="/vendor/swagger-ui-dist/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body></html>
"""


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = scope.get("path", "").startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in names)
                if is_api and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Pure ASGI middleware: a HEAD request is answered as GET would be, without the body
    (same status and headers, ``content-length`` included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def render_json(content: Any) -> bytes:
    """Compact UTF-8 JSON; dates and other odd values in rows become strings."""
    return json.dumps(
        content, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=str
    ).encode("utf-8")


class JSON(JSONResponse):
    """JSON that tolerates dates and other odd values in rows (rendered as strings)."""

    def render(self, content: Any) -> bytes:
        return render_json(content)


class GeoJSON(JSON):
    media_type = "application/geo+json"


class Readers:
    """One read-only ``StoreReader`` per worker thread (sqlite connections are per thread)."""

    def __init__(self, db_path: Path, factory: Callable[[Path], Any]) -> None:
        self.db_path = db_path
        self._factory = factory
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def get(self) -> Any:
        reader = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._factory(self.db_path)
            self._local.reader = reader
            with self._lock:
                self._all.append(reader)
        return reader

    def close(self) -> None:
        with self._lock:
            readers, self._all = self._all, []
        for r in readers:
            close = getattr(r, "close", None)
            if close is None:
                continue
            try:
                close()
            except Exception:  # noqa: BLE001 - a connection owned by another thread
                log.debug("could not close a reader", exc_info=True)


def _rendered(content: Any) -> bytes:
    """An answer's bytes: JSON already rendered (the map's slim rows) or a value to render."""
    return content if isinstance(content, bytes) else render_json(content)


def _error(status: int, message: str) -> JSON:
    return JSON({"detail": message, "status": status}, status_code=status)


async def _raw_filters(
    since: Annotated[
        str | None, QueryParam(description="first day, YYYY-MM-DD (or YYYY-MM, YYYY)")
    ] = None,
    until: Annotated[str | None, QueryParam(description="last day, inclusive")] = None,
    country: Annotated[str | None, QueryParam(description="ISO 3166-1 alpha-2 or name")] = None,
    place: Annotated[str | None, QueryParam(description="place name")] = None,
    type: Annotated[str | None, QueryParam(description="event type (ACLED)")] = None,
    actor: Annotated[str | None, QueryParam(description="actor name or alias")] = None,
    bbox: Annotated[
        str | None, QueryParam(description="min_lon,min_lat,max_lon,max_lat (WGS84)")
    ] = None,
    limit: Annotated[str | None, QueryParam(description=f"1..{MAX_LIMIT}")] = None,
    offset: Annotated[str | None, QueryParam(description="rows to skip, >= 0")] = None,
) -> dict[str, str | None]:
    return {
        "since": since,
        "until": until,
        "country": country,
        "place": place,
        "type": type,
        "actor": actor,
        "bbox": bbox,
        "limit": limit,
        "offset": offset,
    }


RawFilters = Annotated[dict[str, str | None], Depends(_raw_filters)]
Merged = Annotated[
    bool,
    QueryParam(
        description="one row per event cluster (cross-source dedup), with every source kept"
    ),
]
After = Annotated[
    str | None,
    QueryParam(
        description="the `next` of the previous page",
        max_length=mapview.MAX_CURSOR,
    ),
]


def create_app(
    db_path: str | os.PathLike[str],
    *,
    assets_dir: str | os.PathLike[str] | None = None,
    reader_factory: Callable[[Path], Any] | None = None,
    cache_bytes: int | None = None,
    threads: int | None = None,
) -> FastAPI:
    """The ASGI app serving the API and the map page over the store at ``db_path``.

    ``cache_bytes`` bounds the answer cache (0 turns it off; default: the ``web_cache_mb``
    setting, 128 MiB, or ``FFTRACK_WEB_CACHE_MB``). ``threads`` bounds the requests served
    at once (default: the ``web_threads`` setting): the endpoints are plain functions run in
    a thread pool, and twenty threads reading the store at once, each giving up and taking
    back the interpreter lock at every row SQLite returns, spend more CPU on the lock than
    on the answers; the requests over the bound wait their turn in the event loop. Raises
    ``StoreError`` at once when the store cannot be opened.
    """
    if reader_factory is None:
        from fftrack.views import StoreReader

        reader_factory = StoreReader
    # the resolvers are imported now, at start-up: importing them lazily from several
    # request threads at once (the map's first load) could deadlock in the import system
    import fftrack.resolve  # noqa: F401

    path = Path(db_path)
    probe = reader_factory(path)  # fail fast: StoreError for a missing or bad store
    close = getattr(probe, "close", None)
    if close is not None:
        close()
    readers = Readers(path, reader_factory)
    if cache_bytes is None:
        cache_bytes = settings().web_cache_bytes  # a bad FFTRACK_WEB_CACHE_MB: ConfigError
    cache = AnswerCache(path, cache_bytes)
    vendor = assets.find_assets_dir(assets_dir)
    if threads is None:
        threads = settings().web_threads

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # the pool sync endpoints run in (Starlette: anyio's default limiter, 40 threads)
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield
        readers.close()

    app = FastAPI(
        title="fftrack",
        version=VERSION,
        description=(
            "Read-only API over an fftrack store: conflict events (ACLED taxonomy), movements "
            "and reported figures, each with its sources. Every list takes the same filters."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.readers = readers
    app.state.cache = cache
    app.state.assets_dir = vendor
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)

    _error_handlers(app, path)
    shared = _Shared(readers, cache, vendor)
    _record_routes(app, shared)
    _flow_routes(app, shared)
    _one_record_routes(app, shared)
    _summary_routes(app, shared)
    _page_routes(app, shared)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def _query(f: Query, **override: Any) -> Query:
    return replace(f, **override) if override else f


class _Shared:
    """What the routes share: the per-thread readers, the answer cache, the asset folder."""

    def __init__(self, readers: Readers, cache: AnswerCache, vendor: Path | None) -> None:
        self.readers = readers
        self.cache = cache
        self.vendor = vendor

    def cached(
        self, request: Request, make: Callable[[], Any], media_type: str = "application/json"
    ) -> Response:
        # urlencode escapes "&" and "=" inside values, so two queries never share a key
        key = request.url.path + "?" + urlencode(sorted(request.query_params.multi_items()))
        answer = self.cache.get_or_make(key, lambda: _rendered(make()))
        headers = {"etag": answer.etag, "cache-control": "no-cache"}
        match = request.headers.get("if-none-match", "")
        if answer.etag in (t.strip().removeprefix("W/") for t in match.split(",")):
            return Response(status_code=304, headers=headers)
        return Response(answer.body, media_type=media_type, headers=headers)

    def rows_and_total(self, kind: str, f: Query) -> tuple[list[dict[str, Any]], int]:
        """Full rows (movements, figures, actors, places; events: ``mapview``)."""
        reader = self.readers.get()
        q = _query(f)
        return getattr(reader, kind)(q), reader.count(kind, _query(f, limit=None, offset=0))


def _error_handlers(app: FastAPI, path: Path) -> None:
    """Errors as one JSON shape: 404 not found, 422 a bad request, 503 the store."""
    from fftrack.store.migrations import store_error

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError) -> JSON:
        return _error(404, str(exc) or "not found")

    @app.exception_handler(UsageError)
    async def _usage(request: Request, exc: UsageError) -> JSON:
        return _error(422, str(exc))

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSON:
        log.warning("store error: %s", exc)
        return _error(503, f"store unavailable: {exc}")

    @app.exception_handler(sqlite3.DatabaseError)
    async def _sqlite(request: Request, exc: sqlite3.DatabaseError) -> JSON:
        err = store_error(exc, path)  # damaged, locked, ...: the store, not the request
        log.warning("store error: %s", err)
        return _error(503, f"store unavailable: {err}")

    @app.exception_handler(FftrackError)
    async def _fftrack(request: Request, exc: FftrackError) -> JSON:
        log.warning("error serving %s: %s", request.url.path, exc)
        return _error(500, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSON:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path"))
            parts.append(f"{where}: {err.get('msg', 'invalid')}")
        return _error(422, "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSON:
        log.exception("unexpected error serving %s", request.url.path)
        return _error(500, "internal error")


def _record_routes(app: FastAPI, s: _Shared) -> None:
    """The listings (JSON and GeoJSON) of events, movements, figures, actors, places."""

    def listing(kind: str, raw: dict[str, str | None], request: Request) -> Response:
        f = parse_filters(**raw, default_limit=DEFAULT_LIST_LIMIT)

        def make() -> dict[str, Any]:
            items, total = s.rows_and_total(kind, f)
            return {
                "kind": kind,
                "merged": False,
                "total": total,
                "returned": len(items),
                "limit": f.limit,
                "offset": f.offset,
                "query": echo(f),
                "items": items,
            }

        return s.cached(request, make)

    def geo(kind: str, raw: dict[str, str | None], request: Request) -> Response:
        f = parse_filters(**raw, default_limit=DEFAULT_GEOJSON_LIMIT)

        def make() -> dict[str, Any]:
            rows, total = s.rows_and_total(kind, f)
            return geojson.feature_collection(
                rows,
                kind,
                total=total,
                merged=False,
                limit=f.limit,
                offset=f.offset,
                query=echo(f),
            )

        return s.cached(request, make, GeoJSON.media_type)

    @app.get("/api/events", tags=["records"], summary="Conflict events (slim rows, paged)")
    def api_events(
        raw: RawFilters, request: Request, merged: Merged = False, after: After = None
    ) -> Response:
        """What the map shows of each event (``fftrack.web.mapview``); its sources with
        ``/api/events/{id}``. ``limit`` defaults to 100, at most 50,000; page on with
        ``after=<next>``."""
        f = parse_filters(**raw, default_limit=None)
        reader = s.readers.get()
        return s.cached(request, lambda: mapview.event_list(reader, f, after, merged))

    @app.get("/api/movements", tags=["records"], summary="Movements between places")
    def api_movements(raw: RawFilters, request: Request) -> Response:
        return listing("movements", raw, request)

    @app.get("/api/figures", tags=["records"], summary="Reported figures")
    def api_figures(raw: RawFilters, request: Request) -> Response:
        return listing("figures", raw, request)

    @app.get("/api/actors", tags=["records"], summary="Actors as sources name them")
    def api_actors(raw: RawFilters, request: Request) -> Response:
        return listing("actors", raw, request)

    @app.get("/api/places", tags=["records"], summary="Resolved places")
    def api_places(raw: RawFilters, request: Request) -> Response:
        return listing("places", raw, request)

    @app.get(
        "/api/events.geojson",
        tags=["geojson"],
        summary="Located events as GeoJSON Points",
        response_class=GeoJSON,
    )
    def api_events_geojson(
        raw: RawFilters, request: Request, merged: Merged = False, after: After = None
    ) -> Response:
        """Slim properties (``fftrack.web.mapview``); ``limit`` defaults to 250 features
        (clusters when merged) a page, at most 50,000; page on with ``after=<next>``."""
        f = parse_filters(**raw, default_limit=None)
        reader = s.readers.get()
        return s.cached(
            request,
            lambda: mapview.event_geojson(reader, f, after, merged),
            GeoJSON.media_type,
        )

    @app.get(
        "/api/movements.geojson",
        tags=["geojson"],
        summary="Movements as GeoJSON LineStrings (origin, via, destination)",
        response_class=GeoJSON,
    )
    def api_movements_geojson(raw: RawFilters, request: Request) -> Response:
        return geo("movements", raw, request)


def _flow_routes(app: FastAPI, s: _Shared) -> None:
    """Movements aggregated into flows, as JSON and as GeoJSON."""

    def all_flows(f: Query) -> tuple[list[dict[str, Any]], int]:
        rows = s.readers.get().flows(_query(f, limit=None, offset=0))
        end = None if f.limit is None else f.offset + f.limit
        return rows[f.offset : end], len(rows)

    @app.get("/api/flows", tags=["records"], summary="Movements aggregated into flows")
    def api_flows(raw: RawFilters, request: Request) -> Response:
        f = parse_filters(**raw, default_limit=DEFAULT_LIST_LIMIT)

        def make() -> dict[str, Any]:
            items, total = all_flows(f)
            return {
                "kind": "flows",
                "total": total,
                "returned": len(items),
                "limit": f.limit,
                "offset": f.offset,
                "query": echo(f),
                "items": items,
            }

        return s.cached(request, make)

    @app.get(
        "/api/flows.geojson",
        tags=["geojson"],
        summary="Flows as GeoJSON LineStrings; reports = distinct documents",
        response_class=GeoJSON,
    )
    def api_flows_geojson(raw: RawFilters, request: Request) -> Response:
        """Two-ended flows are LineStrings; a flow with one end located is a Point at that
        end (``ends``: origin or destination). ``movements`` says how many of the movements
        matching the filters are in lines, in one-ended markers, and not drawable."""
        f = parse_filters(**raw, default_limit=DEFAULT_GEOJSON_LIMIT)

        def make() -> dict[str, Any]:
            reader = s.readers.get()
            rows = reader.flows(_query(f, limit=None, offset=0))
            end = None if f.limit is None else f.offset + f.limit
            n_movements = reader.count("movements", _query(f, limit=None, offset=0))
            return geojson.feature_collection(
                rows[f.offset : end],
                "flows",
                total=len(rows),
                limit=f.limit,
                offset=f.offset,
                query=echo(f),
                movements=geojson.flow_counts(rows, n_movements),
            )

        return s.cached(request, make, GeoJSON.media_type)


def _one_record_routes(app: FastAPI, s: _Shared) -> None:
    """One record by id; one event merged across its reports."""

    @app.get("/api/records/{record_id}", tags=["records"], summary="One record and its sources")
    def api_record(
        record_id: Annotated[str, PathParam(description="a record id", max_length=128)],
    ) -> JSON:
        if not RECORD_ID.match(record_id):
            raise UsageError("record id: letters, digits and _.:- only, at most 128 characters")
        return JSON(s.readers.get().record(record_id))

    @app.get(
        "/api/events/{event_id}",
        tags=["records"],
        summary="One event merged across its reports, as `fftrack show` gives it",
    )
    def api_event(
        event_id: Annotated[str, PathParam(description="an event or cluster id", max_length=128)],
        sources_limit: Annotated[
            str | None, QueryParam(description=f"sources a page, 1..{MAX_SOURCES} (100)")
        ] = None,
        sources_offset: Annotated[
            str | None, QueryParam(description="sources to skip (oldest first), >= 0")
        ] = None,
    ) -> JSON:
        """The event's fields, ``fatalities_reported`` / ``injured_reported`` (min, max,
        mode and the figure each source gives), ``members`` and a page of its sources
        (``sources_total`` counts them all; page on with ``sources_offset``)."""
        if not RECORD_ID.match(event_id):
            raise UsageError("event id: letters, digits and _.:- only, at most 128 characters")
        limit = parse_whole(sources_limit, "sources_limit", default=100, low=1, high=MAX_SOURCES)
        offset = parse_whole(sources_offset, "sources_offset", default=0, low=0, high=MAX_OFFSET)
        merged = s.readers.get().merged_event(
            event_id, sources_limit=limit, sources_offset=offset or 0
        )
        return JSON({"kind": "event", "record_kind": "event", **merged})


def _summary_routes(app: FastAPI, s: _Shared) -> None:
    """Counts, the timeline, figures by origin."""

    @app.get("/api/stats", tags=["summaries"], summary="Counts by kind, type, country, month")
    def api_stats(request: Request) -> Response:
        return s.cached(request, lambda: s.readers.get().stats())

    @app.get("/api/timeline", tags=["summaries"], summary="Events per week by type")
    def api_timeline(raw: RawFilters, request: Request, merged: Merged = False) -> Response:
        f = parse_filters(**raw, default_limit=MAX_LIMIT)

        def make() -> dict[str, Any]:
            # every event (cluster) matching the filters, counted in the store
            counts = mapview.event_timeline(s.readers.get(), f, merged)
            return {"query": echo(f), "merged": merged, **counts}

        return s.cached(request, make)

    @app.get(
        "/api/figures/by-origin", tags=["summaries"], summary="Reported figures by origin country"
    )
    def api_figures_by_origin(raw: RawFilters, request: Request) -> Response:
        f = parse_filters(**raw, default_limit=MAX_LIMIT)
        q = _query(f)
        return s.cached(
            request,
            lambda: {
                "query": echo(f),
                "items": geojson.figures_by_origin(s.readers.get().figures(q)),
            },
        )


def _page_routes(app: FastAPI, s: _Shared) -> None:
    """The health check, the map page, the API docs and the vendored web assets."""

    @app.get("/api/health", include_in_schema=False)
    def api_health() -> JSON:
        return JSON(
            {
                "ok": True,
                "version": VERSION,
                "assets": s.vendor is not None,
                "cache": s.cache.stats(),
            }
        )

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_HTML)

    @app.get("/vendor/{package}/{path:path}", include_in_schema=False)
    def vendor_file(package: str, path: str) -> Response:
        target = assets.resolve_asset(s.vendor, package, path)
        if target is None:
            return _error(404, "no such asset (run `make install` to fetch the web assets)")
        return FileResponse(
            target,
            media_type=assets.EXTENSIONS[target.suffix],
            headers={"cache-control": "public, max-age=86400"},
        )


def served_app(db_path: str | os.PathLike[str], host: str = "127.0.0.1") -> ASGIApp:
    """``create_app`` as ``serve`` runs it: on loopback, requests whose Host header names
    another machine are refused (DNS rebinding)."""
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    app: ASGIApp = create_app(db_path)
    if host in LOOPBACK:
        return TrustedHostMiddleware(app, allowed_hosts=list(LOOPBACK_NAMES))
    log.warning("serving on %s: reachable from other machines", host)
    return app


def serve(
    db_path: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    log_level: str = "info",
) -> None:
    """Run the app with uvicorn until interrupted. Binds loopback unless told otherwise."""
    import socket

    import uvicorn

    if not (0 < int(port) < 65536):
        raise UsageError(f"port must be between 1 and 65535, got {port}")
    app = served_app(db_path, host)
    # a clear message for a busy port or a bad address, before uvicorn exits on its own
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc}") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(addr)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
