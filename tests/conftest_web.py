"""Hand-made stores for the web tests (imported by tests/test_web_*.py; not a pytest conftest).

Five short documents we wrote ourselves, with events in Syria and Iraq, movements
(Istanbul -> Raqqa reported twice, London -> Raqqa once), figures, one event without
coordinates and one document whose text carries HTML/JS that must stay text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fftrack.records import (
    Actor,
    Document,
    Event,
    Extraction,
    Figure,
    Movement,
    Place,
    Quantity,
    Span,
    TimeRef,
)

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=\"document.title='pwned'\">"

PLACES = {
    "Raqqa": (35.9528, 39.0079, "SY"),
    "Mosul": (36.3400, 43.1300, "IQ"),
    "Aleppo": (36.2021, 37.1343, "SY"),
    "Istanbul": (41.0138, 28.9497, "TR"),
    "Gaziantep": (37.0594, 37.3825, "TR"),
    "London": (51.5085, -0.1257, "GB"),
    "Deir ez-Zor": (35.3359, 40.1408, "SY"),
}


def _span(doc: Document, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(needle, start + 1)
    end = start + len(needle)
    s0 = doc.text.rfind(". ", 0, start)
    s0 = 0 if s0 < 0 else s0 + 2
    s1 = doc.text.find(". ", end)
    s1 = len(doc.text) if s1 < 0 else s1 + 1
    return Span(doc.id, start, end, s0, s1)


def _place(doc: Document, name: str, nth: int = 0) -> Place:
    lat, lon, cc = PLACES[name]
    return Place(
        name=name,
        span=_span(doc, name, nth),
        lat=lat,
        lon=lon,
        country=cc,
        feature="P.PPL",
        precision=1,
        resolved_name=name,
        score=0.9,
        confidence=0.9,
    )


def _day(y: int, m: int, d: int, text: str | None = None) -> TimeRef:
    return TimeRef(date(y, m, d), date(y, m, d), "day", text)


def sample_extractions() -> list[Extraction]:
    out: list[Extraction] = []

    a = Document(
        id="doc-raqqa",
        text=(
            "On 5 June 2017, Islamic State fighters attacked army positions in Raqqa, "
            "killing 12 soldiers. The fighting went on for hours."
        ),
        title="Fighting in Raqqa",
        url="https://example.org/raqqa",
        published=date(2017, 6, 6),
        source="Example Wire",
    )
    is_a = Actor(
        "Islamic State fighters", _span(a, "Islamic State fighters"), "Islamic State", "armed_group"
    )
    raqqa = _place(a, "Raqqa")
    ev_a = Event(
        "Battles",
        "Armed clash",
        _span(a, "attacked army positions in Raqqa, killing 12 soldiers"),
        date=_day(2017, 6, 5, "5 June 2017"),
        place=raqqa,
        actors=(is_a,),
        fatalities=Quantity(12),
        trigger="attacked",
        confidence=0.8,
    )
    out.append(Extraction(a, places=(raqqa,), actors=(is_a,), events=(ev_a,)))

    b = Document(
        id="doc-mosul",
        text=(
            "A car bomb exploded in Mosul on 10 July 2017, killing 30 civilians. "
            "Dozens of foreign fighters travelled from Istanbul to Raqqa via Gaziantep in July 2017."
        ),
        title="Car bomb in Mosul",
        url="https://example.org/mosul",
        published=date(2017, 7, 11),
        source="Example Wire",
    )
    mosul = _place(b, "Mosul")
    ev_b = Event(
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        _span(b, "A car bomb exploded in Mosul"),
        date=_day(2017, 7, 10, "10 July 2017"),
        place=mosul,
        fatalities=Quantity(30),
        trigger="exploded",
        confidence=0.8,
    )
    ff = Actor("foreign fighters", _span(b, "foreign fighters"), "foreign fighters", "armed_group")
    ist, raq, gaz = _place(b, "Istanbul"), _place(b, "Raqqa"), _place(b, "Gaziantep")
    mv_b = Movement(
        _span(b, "travelled from Istanbul to Raqqa via Gaziantep"),
        actor=ff,
        origin=ist,
        destination=raq,
        via=(gaz,),
        manner="travelled",
        date=TimeRef(date(2017, 7, 1), date(2017, 7, 31), "month", "July 2017"),
        size=Quantity(24, "about", text="Dozens"),
        confidence=0.7,
    )
    out.append(
        Extraction(
            b, places=(mosul, ist, raq, gaz), actors=(ff,), events=(ev_b,), movements=(mv_b,)
        )
    )

    c = Document(
        id="doc-aleppo",
        text=(
            f"Protesters gathered in Aleppo on 20 August 2017 chanting {XSS_SCRIPT} and "
            f"waving {XSS_IMG} banners. Nobody was hurt."
        ),
        title=f"Protest in Aleppo {XSS_SCRIPT}",
        url="https://example.org/aleppo",
        published=date(2017, 8, 21),
        source="Example <b>Wire</b>",
    )
    aleppo = _place(c, "Aleppo")
    prot = Actor("Protesters", _span(c, "Protesters"), "Protesters", "civilians")
    ev_c = Event(
        "Protests",
        "Peaceful protest",
        _span(c, f"chanting {XSS_SCRIPT}"),
        date=_day(2017, 8, 20, "20 August 2017"),
        place=aleppo,
        actors=(prot,),
        trigger="gathered",
        confidence=0.6,
    )
    out.append(Extraction(c, places=(aleppo,), actors=(prot,), events=(ev_c,)))

    d = Document(
        id="doc-figures",
        text=(
            "More than 800 fighters from Britain travelled to Syria, officials said in September 2017. "
            "Roughly 40,000 foreign fighters joined the group in all. "
            "Some British fighters travelled from London to Raqqa. "
            "Others went from Istanbul to Raqqa by bus."
        ),
        title="Foreign fighters by the numbers",
        url="https://example.org/figures",
        published=date(2017, 9, 15),
        source="Example Review",
    )
    f1 = Figure(
        "fighters from Britain",
        Quantity(800, "more_than", text="More than 800"),
        _span(d, "More than 800 fighters from Britain"),
        category="fighters",
        origin="GB",
        destination="SY",
        group="Islamic State",
        as_of=TimeRef(date(2017, 9, 1), date(2017, 9, 30), "month"),
        confidence=0.8,
    )
    f2 = Figure(
        "foreign fighters",
        Quantity(40000, "about", text="Roughly 40,000"),
        _span(d, "Roughly 40,000 foreign fighters"),
        category="fighters",
        group="Islamic State",
        confidence=0.7,
    )
    bf = Actor(
        "British fighters", _span(d, "British fighters"), "British fighters", "group", country="GB"
    )
    lon_, raq2 = _place(d, "London"), _place(d, "Raqqa")
    mv_d1 = Movement(
        _span(d, "travelled from London to Raqqa"),
        actor=bf,
        origin=lon_,
        destination=raq2,
        manner="travelled",
        date=TimeRef(date(2017, 9, 1), date(2017, 9, 30), "month"),
        confidence=0.7,
    )
    ist2, raq3 = _place(d, "Istanbul"), _place(d, "Raqqa", 1)
    mv_d2 = Movement(
        _span(d, "went from Istanbul to Raqqa"),
        origin=ist2,
        destination=raq3,
        manner="travelled",
        date=TimeRef(date(2017, 9, 1), date(2017, 9, 30), "month"),
        confidence=0.6,
    )
    out.append(
        Extraction(
            d,
            places=(lon_, raq2, ist2, raq3),
            actors=(bf,),
            movements=(mv_d1, mv_d2),
            figures=(f1, f2),
        )
    )

    e = Document(
        id="doc-unlocated",
        text="Clashes were reported somewhere in the east on 3 October 2017, killing 4 people.",
        title="Clashes somewhere",
        published=date(2017, 10, 4),
        source="Example Wire",
    )
    ev_e = Event(
        "Battles",
        "Armed clash",
        _span(e, "Clashes were reported"),
        date=_day(2017, 10, 3),
        fatalities=Quantity(4),
        confidence=0.4,
    )
    out.append(Extraction(e, events=(ev_e,)))
    return out


def build_sample_db(path: Path) -> Path:
    """Write the sample extractions to a new store at ``path``."""
    from fftrack.store import Store

    store = Store.open(path)
    try:
        store.write(sample_extractions())
    finally:
        store.close()
    return path
