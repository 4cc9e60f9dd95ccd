"""The map page in a real browser: Playwright (Python) driving Debian's Chromium.

Never downloads a browser: it uses /usr/bin/chromium (``make test`` installs it with
apt-get where it can) and skips with a clear message where that is missing. The server
runs with uvicorn on 127.0.0.1 and a free port, in a thread, over a hand-made store.
A screenshot is written to test-artifacts/.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("FFTRACK_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
    pytest.skip(
        f"browser tests skipped: no Chromium at {CHROMIUM} "
        "(install it with `apt-get install -y chromium`, or set FFTRACK_CHROMIUM)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser tests skipped: the playwright package is not installed"
)
pytest.importorskip("uvicorn")

from conftest_web import XSS_IMG, XSS_SCRIPT, build_newcomer_db, build_sample_db  # noqa: E402


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _running(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 and a free port, in a thread."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from fftrack.web import create_app

    app = create_app(build_sample_db(tmp_path_factory.mktemp("browser") / "web.db"))
    if not app.state.assets_dir:
        pytest.skip("browser tests skipped: web assets missing (run `make install` / `npm ci`)")
    with _running(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server: str):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.set_default_timeout(45000)  # generous: the test machine may be busy; no timing asserted
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
    pg.on(
        "console",
        lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    # offline: any request leaving 127.0.0.1 fails the test
    outside: list[str] = []
    pg.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(server)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    pg.outside = outside  # type: ignore[attr-defined]
    yield pg
    ctx.close()


def _loaded(pg, n: int = 1) -> None:
    pg.wait_for_function(
        "n => Number(document.body.dataset.loads || 0) >= n"
        " && document.body.dataset.state === 'ready'",
        arg=n,
        timeout=60000,
    )


def test_map_page_end_to_end(page, server: str) -> None:
    page.goto(server + "/")
    _loaded(page)
    # basemap of country borders, served by the app itself
    page.wait_for_selector("path.fft-country", state="attached", timeout=60000)
    # events: markers (or clusters) drawn
    page.wait_for_selector(".fft-event, .marker-cluster", timeout=60000)
    assert page.locator(".fft-event, .marker-cluster").count() >= 1
    # flows: LineStrings with arrowheads, the twice-reported one wider
    flows = page.locator("path.fft-flow")
    assert flows.count() == 2  # Istanbul -> Raqqa (reported twice), London -> Raqqa
    reports = sorted(int(flows.nth(i).get_attribute("data-reports")) for i in range(flows.count()))
    assert reports == [1, 2]
    widths = sorted(float(flows.nth(i).get_attribute("stroke-width")) for i in range(2))
    assert widths[0] < widths[1]
    assert flows.first.get_attribute("marker-end") == "url(#fft-arrow)"
    # side panel lists the located events in view
    assert page.locator("#event-list li[data-id]").count() == 3
    assert "4 events" in page.locator("#status").inner_text()
    # timeline and figures
    assert page.locator("#timeline rect").count() == 4
    assert page.locator("#figures tbody tr").count() == 2

    # filter by date: June-July 2017 only
    page.fill("#since", "2017-06-01")
    page.fill("#until", "2017-07-31")
    page.dispatch_event("#until", "change")
    _loaded(page, 2)
    page.wait_for_function(
        "() => document.querySelectorAll('#event-list li[data-id]').length === 2"
    )
    assert "2 events" in page.locator("#status").inner_text()

    # click an event in the list: its source sentence with the span highlighted
    page.locator("#event-list li", has_text="Raqqa").locator("button").click()
    page.wait_for_selector("#detail .sentence mark")
    sentence = page.locator("#detail .sentence").first.inner_text()
    assert sentence.startswith("On 5 June 2017, Islamic State fighters attacked")
    assert page.locator("#detail .sentence mark").first.inner_text() == (
        "attacked army positions in Raqqa, killing 12 soldiers"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-map.png"), full_page=True)
    assert not page.problems, page.problems
    assert not page.outside, page.outside


def test_marker_click_shows_source(page, server: str) -> None:
    page.goto(server + "/?")
    _loaded(page)
    page.fill("#country", "IQ")
    _loaded(page, 2)
    page.wait_for_function(
        "() => document.querySelectorAll('#event-list li[data-id]').length === 1"
    )
    page.locator(".fft-event").first.click()
    page.wait_for_selector("#detail .sentence mark")
    assert "car bomb exploded in Mosul" in page.locator("#detail .sentence").first.inner_text()
    assert not page.problems, page.problems


def test_untrusted_text_stays_text(page, server: str) -> None:
    page.goto(server + "/")
    _loaded(page)
    page.locator("#event-list li", has_text="Protests").locator("button").click()
    page.wait_for_selector("#detail .sentence mark")
    text = page.locator("#detail .sentence").first.inner_text()
    assert XSS_SCRIPT in text and XSS_IMG in text
    assert XSS_SCRIPT in page.locator("#detail .source .title").first.inner_text()
    # nothing from the text became markup, nothing ran
    assert page.locator("#detail script, #detail img, #detail b").count() == 0
    assert page.evaluate("document.title") == "fftrack map"
    assert page.locator("#detail mark").first.inner_text() == f"chanting {XSS_SCRIPT}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-untrusted.png"))
    assert not page.problems, page.problems


def test_bad_filter_shows_message(page, server: str) -> None:
    page.goto(server + "/")
    _loaded(page)
    page.fill("#country", "Q1")
    page.wait_for_function("() => document.body.dataset.state === 'error'")
    assert "country" in page.locator("#status").inner_text()


def test_docs_page_offline(page, server: str) -> None:
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=60000)
    assert page.locator(".opblock-summary-path", has_text="/api/events.geojson").count() >= 1
    assert not [p for p in page.problems if "Content Security Policy" in p], page.problems
    assert not page.outside, page.outside


def test_no_chromium_message_is_clear() -> None:
    # the skip message above names the path and the fix; keep the constant honest
    assert CHROMIUM.endswith("chromium") or shutil.which(CHROMIUM)


@pytest.mark.slow
def test_sample_corpus_page(browser, pipeline, corpus_dir: Path, tmp_path: Path) -> None:
    """The whole pipeline over examples/corpus, then the page (opt-in: FFTRACK_SLOW=1)."""
    from fftrack.runner import run_ingest
    from fftrack.store import Store, StoreReader
    from fftrack.web import create_app

    db = tmp_path / "corpus.db"
    store = Store.open(db)
    try:
        run_ingest([corpus_dir], store=store, pipeline=pipeline)
    finally:
        store.close()
    with StoreReader(db) as r:
        located = [e for e in r.events() if (e.get("place") or {}).get("lat") is not None]
    if not located:
        pytest.skip("the pipeline located no events in the sample corpus")
    app = create_app(db)
    with _running(app) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = ctx.new_page()
        pg.set_default_timeout(45000)
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(url + "/")
        _loaded(pg)
        pg.wait_for_selector(".fft-event, .marker-cluster")
        first = pg.locator("#event-list li[data-id] button").first
        first.click()
        pg.wait_for_selector("#detail .sentence mark")
        assert pg.locator("#detail .sentence").first.inner_text().strip()
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "web-corpus.png"), full_page=True)
        ctx.close()
        assert not errors, errors


def test_osm_tiles_only_when_asked(page, server: str) -> None:
    page.goto(server + "/")
    _loaded(page)
    page.wait_for_selector("path.fft-country", state="attached")
    assert page.outside == []  # offline by default: nothing but the app itself
    with page.expect_request(lambda r: r.url.startswith("https://tile.openstreetmap.org/")):
        page.check("#osm")
    assert page.outside and all(
        u.startswith("https://tile.openstreetmap.org/") for u in page.outside
    )


def test_month_slider_filters(page, server: str) -> None:
    page.goto(server + "/")
    _loaded(page)
    # months 2017-06 .. 2017-10: move the first handle to 2017-08
    page.locator("#range-from").fill("2")
    _loaded(page, 2)
    assert page.input_value("#since") == "2017-08-01"
    assert page.input_value("#until") == "2017-10-31"
    page.wait_for_function(
        "() => document.querySelectorAll('#event-list li[data-id]').length === 1"
    )
    assert "2 events" in page.locator("#status").inner_text()  # Aleppo + the unlocated clash
    assert not page.problems, page.problems


def test_missing_assets_say_so(browser, tmp_path: Path) -> None:
    from fftrack.web import create_app

    app = create_app(build_sample_db(tmp_path / "na.db"), assets_dir=tmp_path / "empty")
    assert app.state.assets_dir is None
    with _running(app) as url:
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(url + "/")
        pg.wait_for_function("() => document.body.dataset.state === 'error'")
        assert "make install" in pg.locator("#status").inner_text()
        ctx.close()


# -- a newcomer's corpus: what the sample lacks (issue 15 items 13-17) -----------------------


@pytest.fixture(scope="module")
def newcomer_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from fftrack.web import create_app

    app = create_app(build_newcomer_db(tmp_path_factory.mktemp("newcomer") / "n.db"))
    if not app.state.assets_dir:
        pytest.skip("browser tests skipped: web assets missing (run `make install` / `npm ci`)")
    with _running(app) as url:
        yield url


@pytest.fixture
def npage(browser, newcomer_server: str):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.set_default_timeout(45000)
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
    pg.on(
        "console",
        lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    pg.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(newcomer_server) else route.abort()
        ),
    )
    pg.goto(newcomer_server + "/")
    _loaded(pg)
    yield pg
    ctx.close()


def test_one_ended_movements_are_drawn_and_the_rest_counted(npage) -> None:
    """Item 13: one-ended movements are markers at their known end; the page says how many
    it cannot draw."""
    assert npage.locator("path.fft-flow").count() == 2
    to = npage.locator('.fft-flow-end[data-ends="destination"]')
    away = npage.locator('.fft-flow-end[data-ends="origin"]')
    assert to.count() == 1 and away.count() == 1
    assert "toward Deir ez-Zor" in (to.get_attribute("title") or "")
    assert "from Gaziantep" in (away.get_attribute("title") or "")
    text = npage.locator("#status").inner_text()
    assert "2 flows of movements" in text
    assert "2 movements with one end located, shown at that end" in text
    assert "1 movement not drawn (no located place)" in text
    assert "origin not located" in npage.locator("#legend").inner_text()
    to.click()
    npage.wait_for_selector("#detail .record-head")
    assert "Deir ez-Zor" in npage.locator("#detail .record-head").first.inner_text()
    assert not npage.problems, npage.problems


def test_timeline_shows_coarse_events_and_counts_undated(npage) -> None:
    """Item 14: events dated to a month or a year are bands over their period."""
    bands = npage.locator("#timeline rect.coarse")
    assert bands.count() == 2
    precisions = sorted(bands.nth(i).get_attribute("data-precision") for i in range(2))
    assert precisions == ["month", "year"]
    year = npage.locator('#timeline rect.coarse[data-precision="year"]')
    month = npage.locator('#timeline rect.coarse[data-precision="month"]')
    assert float(year.get_attribute("width")) > 8 * float(month.get_attribute("width"))
    note = npage.locator("#timeline-note").inner_text()
    assert "2 events are dated only to a month or coarser" in note
    assert "1 undated event is not in the chart" in note
    # item 15 for the chart too: the 2005 mention is counted, the weeks cover the bulk
    assert "1 event before 2017-01 (outside the bulk of the reports) not drawn" in note
    assert npage.get_attribute("#timeline", "data-first-week") == "2016-12-26"
    assert npage.get_attribute("#timeline", "data-last-week") == "2017-12-25"
    ARTIFACTS.mkdir(exist_ok=True)
    npage.screenshot(path=str(ARTIFACTS / "web-newcomer.png"), full_page=True)
    assert not npage.problems, npage.problems


def test_slider_covers_the_bulk_and_reaches_the_rest(npage) -> None:
    """Item 15: one report of 2005 among 2017's does not stretch the slider."""
    assert npage.get_attribute("#range-from", "max") == "12"  # "earliest", then 12 months
    assert npage.locator("#range-label").inner_text() == "earliest (2005-03) \u2013 2017-12"
    assert npage.input_value("#since") == "" and npage.input_value("#until") == ""
    assert "70 events" in npage.locator("#status").inner_text()  # nothing filtered out
    npage.locator("#range-from").fill("1")
    _loaded(npage, 2)
    assert npage.input_value("#since") == "2017-01-01"
    assert npage.locator("#range-label").inner_text() == "2017-01 \u2013 2017-12"
    npage.locator("#range-to").fill("0")  # both handles at the earliest step: before 2017
    _loaded(npage, 3)
    assert (npage.input_value("#since"), npage.input_value("#until")) == ("", "2016-12-31")
    npage.wait_for_function("() => /^1 events/.test(document.getElementById('status').textContent)")
    assert npage.get_attribute("#timeline", "data-first-week") == "2005-03-14"  # now drawn
    npage.locator("#range-to").fill("12")
    npage.locator("#range-from").fill("0")
    _loaded(npage, 4)
    assert (npage.input_value("#since"), npage.input_value("#until")) == ("", "2017-12-31")
    assert not npage.problems, npage.problems


def test_click_zooms_no_closer_than_the_base_map(npage) -> None:
    """Item 16: two events 1 km apart; clicking one stops at the offline base map's zoom."""
    assert npage.get_attribute("#map", "data-max-zoom") == "8"
    npage.locator("#event-list li", has_text="Hajin east").locator("button").click()
    npage.wait_for_selector("#detail .sentence mark")
    npage.wait_for_function("() => Number(document.getElementById('map').dataset.zoom) >= 6")
    assert int(npage.get_attribute("#map", "data-zoom")) <= 8
    assert "km" in npage.locator(".leaflet-control-scale-line").inner_text()
    assert not npage.problems, npage.problems
    npage.check("#osm")  # with the OSM tiles on, closer zooms are allowed
    npage.wait_for_function("() => document.getElementById('map').dataset.maxZoom === '14'")
    npage.uncheck("#osm")
    npage.wait_for_function("() => document.getElementById('map').dataset.maxZoom === '8'")
    assert int(npage.get_attribute("#map", "data-zoom")) <= 8
    assert npage.locator(".fft-event, .marker-cluster").count() >= 1  # events redrawn


def test_source_panel_figures_actor_filter_and_movements(npage) -> None:
    """Item 17: an actor filter; a list of movements; injured counts and each source's
    figures, as `show` gives them."""
    # the actor filter narrows events, flows and movements
    npage.fill("#actor", "islamic")
    _loaded(npage, 2)
    npage.wait_for_function(
        "() => document.querySelectorAll('#event-list li[data-id]').length === 1"
    )
    assert "1 events" in npage.locator("#status").inner_text()
    assert npage.locator("#movement-list li[data-id]").count() == 0
    npage.fill("#actor", "british")
    _loaded(npage, 3)
    npage.wait_for_function(
        "() => document.querySelectorAll('#movement-list li[data-id]').length === 1"
    )
    assert npage.locator("path.fft-flow").count() == 1
    # the movements list: every movement, one-ended ones too; a click shows its source
    npage.fill("#actor", "")
    _loaded(npage, 4)
    assert npage.locator("#movement-count").inner_text() == "(6)"
    assert npage.locator("#movement-list li[data-id]").count() == 6
    npage.locator("#movement-list li", has_text="Deir ez-Zor").locator("button").click()
    npage.wait_for_selector("#detail .sentence mark")
    assert "travelled to Deir ez-Zor" in npage.locator("#detail mark").first.inner_text()
    # a merged event: its figures, and what each source says
    npage.fill("#country", "IQ")
    _loaded(npage, 5)
    npage.locator("#event-list li", has_text="Explosions").first.locator("button").click()
    npage.wait_for_selector("#detail .per-source")
    detail = npage.locator("#detail")
    text = detail.inner_text()
    assert "Injured" in text and "50" in text
    assert "30\u201335 (2 sources" in text  # fatalities reported, min-max
    per = sorted(detail.locator(".per-source").all_inner_texts())
    assert per == ["this source: killed: 30", "this source: killed: 35 \u00b7 injured: 50"]
    assert detail.locator(".source").count() == 2
    assert not npage.problems, npage.problems


def _many_events_db(path: Path, n: int) -> Path:
    """``n`` located battles, ten to a document, spread over Syria and 2017."""
    from datetime import date, timedelta

    from fftrack.records import Document, Event, Extraction, Place, Span, TimeRef
    from fftrack.store import Store

    extractions = []
    for d in range(0, n, 10):
        doc_id = f"many-{d:05d}"
        parts, events = [], []
        for k in range(d, min(n, d + 10)):
            s0 = sum(len(p) + 1 for p in parts)
            sentence = f"Fighters clashed near Raqqa, report {k}."
            parts.append(sentence)
            span = Span(doc_id, s0, s0 + len(sentence), s0, s0 + len(sentence))
            place = Place(
                "Raqqa",
                Span(doc_id, s0 + 22, s0 + 27, s0, s0 + len(sentence)),
                lat=35.0 + (k % 97) / 50,
                lon=38.0 + (k % 89) / 40,
                country="SY",
                feature="P.PPL",
                precision=1,
                resolved_name="Raqqa",
                confidence=0.9,
            )
            day = date(2017, 1, 1) + timedelta(days=k % 365)
            events.append(
                Event("Battles", "Armed clash", span, date=TimeRef(day, day, "day"), place=place)
            )
        doc = Document(doc_id, " ".join(parts), title=doc_id, source="test")
        extractions.append(
            Extraction(doc, places=tuple(e.place for e in events), events=tuple(events))
        )
    store = Store.open(path)
    try:
        store.write(extractions)
    finally:
        store.close()
    return path


def test_map_follows_the_event_pages(browser, tmp_path: Path) -> None:
    """Item 13.5: events come a page at a time (the map asks for 2,000); the map asks for
    each next page until the last."""
    from fftrack.web import create_app

    app = create_app(_many_events_db(tmp_path / "many.db", 2_500))
    if not app.state.assets_dir:
        pytest.skip("browser tests skipped: web assets missing (run `make install` / `npm ci`)")
    with _running(app) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = ctx.new_page()
        pg.set_default_timeout(45000)
        problems: list[str] = []
        pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        asked: list[str] = []
        pg.on(
            "request",
            lambda r: asked.append(r.url) if "/api/events.geojson" in r.url else None,
        )
        pg.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith(url) else route.abort(),
        )
        pg.goto(url + "/")
        _loaded(pg)
        status = pg.locator("#status").inner_text()
        assert "2,500 events (2,500 on the map" in status, status
        assert len(asked) == 2 and sum("after=" in u for u in asked) == 1, asked
        pg.wait_for_selector(".fft-event, .marker-cluster")
        ctx.close()
        assert not problems, problems
