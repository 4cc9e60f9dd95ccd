"""fetch_url against a local http.server (127.0.0.1) and httpx mock transports. No internet."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from fftrack.errors import FetchError, FftrackError
from fftrack.ingest import fetch as fetch_mod
from fftrack.ingest import fetch_url
from fftrack.ingest.fetch import RateLimiter

PAGE = b"""<!DOCTYPE html><html><head><title>Raqqa convoy</title>
<meta property="article:published_time" content="2017-10-15"></head><body><article>
<h1>Raqqa convoy</h1><p>Buses carried hundreds of fighters and their families out of Raqqa
toward the Euphrates valley, local officials said on Sunday, under a deal with the SDF.</p>
<p>The convoy was later seen near al-Mayadin, according to residents reached by phone.</p>
</article></body></html>"""

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local Wire</title>
<item><title>One</title><link>http://example.org/1</link><description>First item.</description></item>
<item><title>Two</title><link>http://example.org/2</link><description>Second item.</description></item>
</channel></rss>"""

BOMB = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<rss version="2.0"><channel><title>&b;</title><item><title>&b;</title></item></channel></rss>"""

SEEN: list[dict[str, str]] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(
        self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        SEEN.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        path = self.path
        if path == "/page":
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif path == "/feed":
            self._send(200, FEED, "application/rss+xml")
        elif path == "/bomb":
            self._send(200, BOMB, "application/rss+xml")
        elif path == "/text":
            self._send(200, b"Published: 2017-06-04\n\nPlain report.", "text/plain")
        elif path.startswith("/hop"):
            n = int(path[4:] or 0)
            target = "/page" if n >= 3 else f"/hop{n + 1}"
            self._send(302, b"", "text/plain", {"Location": target})
        elif path == "/loop":
            self._send(302, b"", "text/plain", {"Location": "/loop"})
        elif path == "/big":
            self._send(200, b"<p>" + b"x" * 5000 + b"</p>", "text/html")
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the size is only known by reading
            for _ in range(50):
                self.wfile.write(b"<p>" + b"y" * 200 + b"</p>")
            self.close_connection = True
        elif path == "/slow":
            time.sleep(3)
            self._send(200, PAGE, "text/html")
        elif path == "/json":
            self._send(
                200,
                b'[{"text": "From JSON.", "id": "j1"}, {"title": "no text"}]',
                "application/json",
            )
        elif path == "/binary":
            self._send(200, b"\x00\x01\x02PNG" * 100, "image/png")
        else:
            self._send(404, b"not here", "text/plain")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (timeout, size limit) breaks the pipe: expected here


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _fetch(url: str, **kw: object) -> list:
    kw.setdefault("allow_private", True)
    kw.setdefault("rate_limiter", RateLimiter(0))
    kw.setdefault("timeout", 5.0)
    return fetch_url(url, **kw)  # type: ignore[arg-type]


def test_fetch_html_page(server: str) -> None:
    (doc,) = _fetch(server + "/page")
    assert "Buses carried hundreds of fighters" in doc.text
    assert doc.title == "Raqqa convoy"
    assert doc.published.isoformat() == "2017-10-15"
    assert doc.url == server + "/page"
    assert doc.origin == server + "/page"


def test_user_agent_and_host_header(server: str) -> None:
    SEEN.clear()
    _fetch(server + "/page")
    ua = SEEN[-1]["user-agent"]
    assert ua.startswith("fftrack/") and ua.endswith("(+research)")
    assert SEEN[-1]["host"] == server.removeprefix("http://")


def test_fetch_feed(server: str) -> None:
    docs = _fetch(server + "/feed")
    assert [d.title for d in docs] == ["One", "Two"]
    assert all(d.source == "Local Wire" for d in docs)


def test_fetch_plain_text(server: str) -> None:
    (doc,) = _fetch(server + "/text")
    assert doc.text == "Plain report." and doc.published.isoformat() == "2017-06-04"


def test_xml_bomb_refused(server: str) -> None:
    with pytest.raises(FetchError, match="XML bomb"):
        _fetch(server + "/bomb")


def test_loopback_refused_without_allow_private(server: str) -> None:
    with pytest.raises(FetchError, match="non-public address 127.0.0.1"):
        _fetch(server + "/page", allow_private=False)
    port = server.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match="non-public"):
        _fetch(f"http://localhost:{port}/page", allow_private=False)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/x", "gopher://x", "javascript:alert(1)", "http://"],
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError) as info:
        _fetch(url)
    assert isinstance(info.value, FftrackError)
    assert "\n" not in str(info.value)


def test_redirects_followed_and_bounded(server: str) -> None:
    (doc,) = _fetch(server + "/hop0")  # hop0 -> hop1 -> hop2 -> hop3 -> page
    assert doc.title == "Raqqa convoy"
    with pytest.raises(FetchError, match="too many redirects"):
        _fetch(server + "/hop0", max_redirects=2)
    with pytest.raises(FetchError, match="too many redirects"):
        _fetch(server + "/loop")


def test_size_limits(server: str) -> None:
    with pytest.raises(FetchError, match="too large"):
        _fetch(server + "/big", max_bytes=1000)
    with pytest.raises(FetchError, match="too large"):
        _fetch(server + "/chunked", max_bytes=1000)
    assert _fetch(server + "/chunked", max_bytes=1_000_000)


def test_timeout(server: str) -> None:
    with pytest.raises(FetchError, match="timed out"):
        _fetch(server + "/slow", timeout=0.3)


def test_http_errors_and_binary(server: str) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        _fetch(server + "/missing")
    with pytest.raises(FetchError, match="not text"):
        _fetch(server + "/binary")


def test_connection_refused_is_fetch_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="network error"):
        _fetch(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize(
    "addr,public",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("2002:7f00:1::", False),
        ("64:ff9b::7f00:1", False),  # NAT64 spelling of 127.0.0.1
        ("64:ff9b::808:808", True),
        ("8.8.8.8", True),
        ("93.184.216.34", True),
        ("2001:4860:4860::8888", True),
    ],
)
def test_public_address_classification(addr: str, public: bool) -> None:
    assert fetch_mod._is_public(ipaddress.ip_address(addr)) is public


def _fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, str | list[str]]) -> None:
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: int, *args: object, **kwargs: object) -> list:
        if host in table:
            addrs = table[host]
            out = []
            for addr in [addrs] if isinstance(addrs, str) else addrs:
                fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
                out.append((fam, socket.SOCK_STREAM, 6, "", (addr, port)))
            return out
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fetch_mod.socket, "getaddrinfo", getaddrinfo)


def test_every_redirect_hop_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, {"news.example": "93.184.216.34", "intranet.example": "10.0.0.5"})
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "http://intranet.example/admin"})

    with pytest.raises(FetchError, match="non-public address 10.0.0.5"):
        fetch_url(
            "http://news.example/story",
            transport=httpx.MockTransport(handler),
            rate_limiter=RateLimiter(0),
        )
    # one request went out, to the checked address, with the original host name
    assert len(seen) == 1
    assert seen[0].url.host == "93.184.216.34"
    assert seen[0].headers["host"] == "news.example"


def test_connection_pinned_to_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, {"news.example": "93.184.216.34"})

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "93.184.216.34"
        assert request.extensions.get("sni_hostname") == "news.example"
        return httpx.Response(200, content=PAGE, headers={"Content-Type": "text/html"})

    (doc,) = fetch_url(
        "https://news.example/story",
        transport=httpx.MockTransport(handler),
        rate_limiter=RateLimiter(0),
    )
    assert doc.url == "https://news.example/story"


def test_rate_limiter_spaces_requests_per_host() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    limiter = RateLimiter(1.0, clock=lambda: now[0], sleep=sleep)
    assert limiter.wait("a.example") == 0.0
    assert limiter.wait("A.example") == pytest.approx(1.0)  # same host, case-insensitive
    assert limiter.wait("b.example") == 0.0  # another host is not held up
    now[0] += 5.0
    assert limiter.wait("a.example") == 0.0
    assert slept == [pytest.approx(1.0)]


def test_fetch_uses_the_rate_limiter(server: str) -> None:
    calls: list[str] = []

    class Recording(RateLimiter):
        def wait(self, host: str) -> float:
            calls.append(host)
            return 0.0

    _fetch(server + "/hop2", rate_limiter=Recording())  # hop2 -> hop3 -> page
    assert calls == ["127.0.0.1"] * 3


def test_fetch_json(server: str) -> None:
    (doc,) = _fetch(server + "/json")
    assert doc.id == "j1" and doc.text == "From JSON." and doc.url == server + "/json"


def test_one_private_address_among_public_ones_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, {"mixed.example": ["93.184.216.34", "192.168.0.10"]})
    with pytest.raises(FetchError, match="192.168.0.10"):
        fetch_url("http://mixed.example/", rate_limiter=RateLimiter(0))


def test_next_address_tried_when_refused(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    port = server.rsplit(":", 1)[1]
    _fake_dns(monkeypatch, {"multi.example": ["127.0.0.2", "127.0.0.1"]})
    SEEN.clear()
    (doc,) = _fetch(f"http://multi.example:{port}/page")
    assert doc.title == "Raqqa convoy"
    assert SEEN[-1]["host"] == f"multi.example:{port}"


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1]/",
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://0x7f.1/",
        "http://127.1/",
        "http://0.0.0.0/",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_odd_spellings_of_private_addresses_refused(url: str) -> None:
    with pytest.raises(FetchError, match="refused|cannot resolve"):
        fetch_url(url, rate_limiter=RateLimiter(0), timeout=2.0)


def test_international_host_name(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, {"xn--exmple-cua.org": "93.184.216.34"})

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["host"] == "xn--exmple-cua.org"
        return httpx.Response(200, content=PAGE, headers={"Content-Type": "text/html"})

    (doc,) = fetch_url(
        "http://exämple.org/story",
        transport=httpx.MockTransport(handler),
        rate_limiter=RateLimiter(0),
    )
    assert doc.title == "Raqqa convoy"


def test_refusal_names_the_url() -> None:
    with pytest.raises(FetchError) as info:
        fetch_url("http://127.0.0.1:9/x", rate_limiter=RateLimiter(0))
    assert str(info.value).startswith("http://127.0.0.1:9/x: refused")
