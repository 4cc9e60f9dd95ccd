"""URL and feed fetching: the only code in fftrack that opens network connections.

Guards, each failing with a one-line :class:`~fftrack.errors.FetchError`:

- only ``http`` and ``https`` URLs, with a host;
- the host is resolved here and *every* address must be public: loopback, private,
  link-local, shared (CGNAT), multicast, reserved and unspecified addresses are refused
  unless ``allow_private`` (SSRF). The connection then goes to the address that was
  checked (the ``Host`` header and TLS server name keep the original host name), so a
  second DNS answer cannot swap in a private address;
- redirects are followed by hand, at most ``max_redirects``, each hop checked again;
- a timeout per network operation and an overall deadline of ``4 * timeout``;
- the body is streamed and refused past ``max_bytes`` (and up front when the declared
  ``Content-Length`` is larger);
- a user agent ``fftrack/<version> (+research)``; environment proxies are not used;
- a polite per-host rate limit (default: at least 1 s between requests to one host,
  within this process).

The response is read as a feed (RSS/Atom, behind the same defusedxml guard as files),
an HTML page (trafilatura), plain text, JSON or JSON Lines, by content type and content
(and by the URL's extension, ``.jsonl``/``.json``, when the type is
``application/octet-stream``), by the same rules as a file: :func:`fetch_items` returns
a bad JSON Lines line as a failure with its line number, as for a file.
A host's addresses are tried in turn (at most 3) when a connection is refused.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import httpx

from fftrack.errors import FetchError
from fftrack.ingest.base import ReadFailure, Warn, report_warning
from fftrack.ingest.decode import BinaryContent, decode_detail
from fftrack.ingest.feeds import looks_like_feed, read_feed
from fftrack.ingest.html import read_html
from fftrack.ingest.jsonl import read_json, read_jsonl_bytes
from fftrack.ingest.text import read_text
from fftrack.records import Document

log = logging.getLogger(__name__)

FETCH_VERSION = "ingest.fetch.v1"
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 20_000_000
DEFAULT_INTERVAL = 1.0
_REDIRECTS = frozenset((301, 302, 303, 307, 308))
_MAX_ADDRESSES = 3  # addresses of one host tried in turn when a connection is refused


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("fftrack")
    except Exception:  # not installed (running from a checkout)
        return "0.1.0"


DEFAULT_USER_AGENT = f"fftrack/{_version()} (+research)"


class RateLimiter:
    """At least ``interval`` seconds between the starts of two requests to one host."""

    def __init__(
        self,
        interval: float = DEFAULT_INTERVAL,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        """Block until ``host`` may be asked again; returns the seconds waited."""
        key = host.lower()
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(key, now))
            self._next[key] = start + self.interval
        delay = start - now
        if delay > 0:
            self._sleep(delay)
        return max(delay, 0.0)


_LIMITER = RateLimiter()
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is None and ip in _NAT64:
            mapped = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if mapped is not None:
            return _is_public(mapped)
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve_host(
    host: str, port: int, *, allow_private: bool, source: str | None = None
) -> list[str]:
    """The addresses to connect to for ``host``; refuses if any is non-public (SSRF)."""
    source = source or host
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}", source=source) from exc
    addresses: list[str] = []
    for info in infos:
        addr = str(info[4][0]).split("%", 1)[0]
        if addr not in addresses:
            addresses.append(addr)
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}", source=source)
    if not allow_private:
        for addr in addresses:
            if not _is_public(ipaddress.ip_address(addr)):
                raise FetchError(
                    f"refused: {host} resolves to non-public address {addr} "
                    "(use --allow-private to permit)",
                    source=source,
                )
    return addresses


def _check_url(url: str) -> tuple[str, str, int]:
    """``(scheme, ASCII host, port)`` of an http(s) URL, or a FetchError."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii").strip("[]").rstrip(".").lower()
    except (ValueError, UnicodeError, httpx.InvalidURL) as exc:
        raise FetchError(f"bad URL: {_one_line(exc)}", source=url) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            f"refused: only http and https URLs (got {scheme or 'none'!r})", source=url
        )
    if not host:
        raise FetchError("bad URL: no host", source=url)
    return scheme, host, parsed.port or (443 if scheme == "https" else 80)


def _pinned(url: str, address: str) -> httpx.URL:
    return httpx.URL(url).copy_with(host=address)


def fetch_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    user_agent: str = DEFAULT_USER_AGENT,
    max_redirects: int = 5,
    rate_limiter: RateLimiter | None = None,
    transport: httpx.BaseTransport | None = None,
) -> list[Document]:
    """Fetch an HTML page or a feed and return its documents.

    Raises :class:`~fftrack.errors.FetchError` (one line) for anything that goes wrong;
    nothing else escapes. ``transport`` is for tests (``httpx.MockTransport``). Failed
    parts of a response that also gave documents (bad JSON Lines lines, feed items) are
    logged; :func:`fetch_items` returns them instead.
    """
    items = fetch_items(
        url,
        timeout=timeout,
        max_bytes=max_bytes,
        allow_private=allow_private,
        user_agent=user_agent,
        max_redirects=max_redirects,
        rate_limiter=rate_limiter,
        transport=transport,
    )
    docs = [d for d in items if isinstance(d, Document)]
    failures = [f for f in items if isinstance(f, ReadFailure)]
    if not docs:
        raise FetchError(failures[0].reason if failures else "no documents", source=url)
    for failure in failures:
        log.warning("%s", failure)
    return docs


def fetch_items(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    user_agent: str = DEFAULT_USER_AGENT,
    max_redirects: int = 5,
    rate_limiter: RateLimiter | None = None,
    transport: httpx.BaseTransport | None = None,
    warn: Warn | None = None,
) -> list[Document | ReadFailure]:
    """Fetch a URL and return its documents and failures, read by the rules a file's
    content is read by: a bad JSON Lines line is a failure with its line number, as it
    would be in a file. Never empty.

    Raises :class:`~fftrack.errors.FetchError` (one line) when the URL cannot be fetched
    or read at all; nothing else escapes. A guessed encoding is a warning (``warn``).
    """
    try:
        return _fetch(
            url,
            timeout=timeout,
            max_bytes=max_bytes,
            allow_private=allow_private,
            user_agent=user_agent,
            max_redirects=max_redirects,
            rate_limiter=rate_limiter,
            transport=transport,
            warn=warn,
        )
    except FetchError:
        raise
    except Exception as exc:  # a URL is one input: it fails alone, with a clear reason
        log.warning("%s: unexpected fetch error", url, exc_info=True)
        raise FetchError(
            f"unexpected error: {type(exc).__name__}: {_one_line(exc)}", source=url
        ) from exc


def _fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    user_agent: str = DEFAULT_USER_AGENT,
    max_redirects: int = 5,
    rate_limiter: RateLimiter | None = None,
    transport: httpx.BaseTransport | None = None,
    warn: Warn | None = None,
) -> list[Document | ReadFailure]:
    limiter = rate_limiter or _LIMITER
    deadline = time.monotonic() + 4 * timeout
    current = url
    headers = {
        "User-Agent": user_agent,
        "Accept": "text/html, application/rss+xml, "
        "application/atom+xml, application/xml;q=0.9, text/plain;q=0.8, */*;q=0.1",
    }
    with httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
        transport=transport,
    ) as client:
        for _hop in range(max_redirects + 1):
            response = send_pinned(
                client,
                current,
                headers,
                allow_private=allow_private,
                limiter=limiter,
                timeout=timeout,
                source=url,
            )
            try:
                target = redirect_target(response, current, url)
                if target is not None:
                    current = target
                    log.info("redirect %s -> %s", url, current)
                    continue
                check_status(response, url)
                body = _read_body(response, max_bytes, deadline, url, timeout)
                content_type = response.headers.get("content-type", "")
                charset = response.charset_encoding
            finally:
                response.close()
            return _documents(body, current, content_type, charset, warn)
    raise FetchError(f"too many redirects (more than {max_redirects})", source=url)


def send_pinned(
    client: httpx.Client,
    current: str,
    headers: dict[str, str],
    *,
    allow_private: bool,
    limiter: RateLimiter,
    timeout: float,
    source: str,
) -> httpx.Response:
    """One streamed GET of ``current``: its host checked and resolved once, the request
    sent to a pinned address (so a DNS answer cannot change between check and connect),
    the next address tried when one refuses the connection."""
    scheme, host, port = _check_url(current)
    addresses = resolve_host(host, port, allow_private=allow_private, source=current)
    limiter.wait(host)
    bracketed = f"[{host}]" if ":" in host else host
    default_port = 443 if scheme == "https" else 80
    host_header = bracketed if port == default_port else f"{bracketed}:{port}"
    tries = min(len(addresses), _MAX_ADDRESSES)
    for attempt, address in enumerate(addresses[:_MAX_ADDRESSES], start=1):
        request = client.build_request(
            "GET",
            _pinned(current, address),
            headers={**headers, "Host": host_header},
            extensions={"sni_hostname": host} if scheme == "https" else {},
        )
        try:
            return client.send(request, stream=True)
        except httpx.ConnectError as exc:
            if attempt < tries:
                log.info("%s: cannot connect to %s, trying the next address", host, address)
                continue
            raise FetchError(f"network error: {_one_line(exc)}", source=source) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out after {timeout:g} s", source=source) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"network error: {_one_line(exc)}", source=source) from exc
    raise FetchError("network error: no address to connect to", source=source)


def check_status(response: httpx.Response, source: str) -> None:
    """An HTTP error answer is a FetchError naming its status."""
    if response.status_code >= 400:
        raise FetchError(
            f"HTTP {response.status_code} {response.reason_phrase}".strip(), source=source
        )


def redirect_target(response: httpx.Response, current: str, source: str) -> str | None:
    """Where a redirect points (resolved against ``current``), or None for no redirect."""
    if response.status_code not in _REDIRECTS:
        return None
    location = response.headers.get("location")
    if not location:
        raise FetchError(f"HTTP {response.status_code} without a Location", source=source)
    return urljoin(current, location)


def _read_body(
    response: httpx.Response, max_bytes: int, deadline: float, url: str, timeout: float
) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise FetchError(f"too large: {declared} bytes (limit {max_bytes})", source=url)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"too large: over {max_bytes} bytes", source=url)
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise FetchError(f"timed out: body not read within {4 * timeout:g} s", source=url)
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {timeout:g} s", source=url) from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"network error: {_one_line(exc)}", source=url) from exc
    return b"".join(chunks)


_GENERIC_TYPES = frozenset(("", "application/octet-stream", "binary/octet-stream"))
_JSONL_TYPES = frozenset(("application/x-ndjson", "application/jsonl", "application/jsonlines"))


def _kind(url: str, ctype: str) -> str:
    """``"jsonl"``/``"json"`` from the content type, or from the URL's extension when the
    type says nothing (``application/octet-stream``, as ``python -m http.server`` serves
    ``.jsonl``); else ``""``."""
    if ctype in _JSONL_TYPES:
        return "jsonl"
    if ctype == "application/json":
        return "json"
    if ctype in _GENERIC_TYPES:
        path = urlsplit(url).path.lower()
        if path.endswith((".jsonl", ".ndjson")):
            return "jsonl"
        if path.endswith(".json"):
            return "json"
    return ""


def _documents(
    body: bytes, url: str, content_type: str, charset: str | None, warn: Warn | None = None
) -> list[Document | ReadFailure]:
    if not body.strip():
        raise FetchError("empty response", source=url)
    ctype = content_type.split(";", 1)[0].strip().lower()
    kind = _kind(url, ctype)
    items: list[Document | ReadFailure]
    if kind == "jsonl":  # line by line, as from a file
        items = list(read_jsonl_bytes(body, url))
        return [_with_url(d, url) if isinstance(d, Document) and not d.url else d for d in items]
    try:
        decoded = decode_detail(body, charset)
    except BinaryContent as exc:
        raise FetchError(f"not text ({content_type or 'unknown type'})", source=url) from exc
    if decoded.guessed:
        report_warning(warn, url, None, decoded.warning())
    text = decoded.text
    try:
        if looks_like_feed(text) or (
            ctype.endswith(("rss+xml", "atom+xml", "rdf+xml"))
            and "<html" not in text[:2000].lower()
        ):
            items = list(read_feed(body, url, text=text, origin=url))
        elif ctype == "text/plain":
            items = list(read_text(text, url, origin=url))
        elif kind == "json":
            items = list(read_json(text, url))
        else:
            items = list(read_html(text, url, url=url, origin=url))
    except Exception as exc:  # readers should not raise; never let one escape as a crash
        log.warning("%s: unexpected reader error", url, exc_info=True)
        raise FetchError(f"unreadable: {type(exc).__name__}: {exc}", source=url) from exc
    if not items:
        raise FetchError("no documents", source=url)
    return [_with_url(d, url) if isinstance(d, Document) and not d.url else d for d in items]


def _with_url(doc: Document, url: str) -> Document:
    from dataclasses import replace

    return replace(doc, url=url)


def _one_line(exc: BaseException) -> str:
    msg = str(exc).split("\n", 1)[0] or type(exc).__name__
    return msg[:200]
