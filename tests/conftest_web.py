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


# -- a second store for the map page's newcomer items (issue 15 items 13-17) -----------------

HAJIN = (34.6917, 40.8311, "SY")
HAJIN_EAST = (34.6917, 40.8420, "SY")  # about 1 km east: one cluster until close zoom


def _doc(id_: str, text: str, published: date | None, title: str | None = None) -> Document:
    return Document(
        id=id_,
        text=text,
        title=title or text.split(".")[0][:60],
        url=f"https://example.org/{id_}",
        published=published,
        source="Example Wire",
    )


def _at(doc: Document, name: str, where: tuple[float, float, str] | None) -> Place:
    if where is None:  # named in the text, not found in the gazetteer
        return Place(name=name, span=_span(doc, name), score=0.1, confidence=0.1)
    lat, lon, cc = where
    return Place(
        name=name,
        span=_span(doc, name),
        lat=lat,
        lon=lon,
        country=cc,
        feature="P.PPL",
        precision=1,
        resolved_name=name,
        score=0.9,
        confidence=0.9,
    )


def newcomer_extractions() -> list[Extraction]:
    """The sample plus what a real corpus has and the sample lacks: movements with one end
    (or none) located, events dated to a month, a year or not at all, one historical
    mention (2005) among 60 reports of 2017, two events 1 km apart, and a second report of
    the Mosul bombing giving other figures (clustered by :func:`build_newcomer_db`)."""
    out = sample_extractions()
    a = _doc(
        "doc-ends",
        "More than 200 fighters travelled to Deir ez-Zor in March 2017. "
        "Others left Gaziantep in March 2017. "
        "A third group moved from Qaryat al-Nur to Tall Hamid in March 2017.",
        date(2017, 4, 1),
    )
    march = TimeRef(date(2017, 3, 1), date(2017, 3, 31), "month", "March 2017")
    fighters = Actor("fighters", _span(a, "fighters"), "fighters", "armed_group")
    to_deir = Movement(
        _span(a, "travelled to Deir ez-Zor"),
        actor=fighters,
        destination=_at(a, "Deir ez-Zor", PLACES["Deir ez-Zor"]),
        manner="travelled",
        date=march,
        size=Quantity(200, "more_than", text="More than 200"),
        confidence=0.7,
    )
    from_gaz = Movement(
        _span(a, "left Gaziantep"),
        origin=_at(a, "Gaziantep", PLACES["Gaziantep"]),
        manner="left",
        date=march,
        confidence=0.6,
    )
    nowhere = Movement(
        _span(a, "moved from Qaryat al-Nur to Tall Hamid"),
        origin=_at(a, "Qaryat al-Nur", None),
        destination=_at(a, "Tall Hamid", None),
        manner="moved",
        date=march,
        confidence=0.5,
    )
    out.append(Extraction(a, actors=(fighters,), movements=(to_deir, from_gaz, nowhere)))

    def event(doc: Document, needle: str, when: TimeRef | None, place: Place | None, **kw):
        return Event(
            kw.pop("event_type", "Battles"),
            kw.pop("sub_event_type", "Armed clash"),
            _span(doc, needle),
            date=when,
            place=place,
            confidence=0.6,
            **kw,
        )

    b = _doc(
        "doc-mosul-2",
        "A car bomb in Mosul on 10 July 2017 killed 35 civilians and wounded 50 others.",
        date(2017, 7, 12),
        "Mosul bombing toll rises",
    )
    mosul2 = event(
        b,
        "A car bomb in Mosul",
        _day(2017, 7, 10),
        _at(b, "Mosul", PLACES["Mosul"]),
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        fatalities=Quantity(35),
        injured=Quantity(50),
    )
    out.append(Extraction(b, events=(mosul2,)))

    c = _doc(
        "doc-month",
        "Fighting around Raqqa in July 2017 killed 9 people and wounded 15.",
        date(2017, 8, 2),
    )
    out.append(
        Extraction(
            c,
            events=(
                event(
                    c,
                    "Fighting around Raqqa",
                    TimeRef(date(2017, 7, 1), date(2017, 7, 31), "month", "July 2017"),
                    _at(c, "Raqqa", PLACES["Raqqa"]),
                    fatalities=Quantity(9),
                    injured=Quantity(15),
                ),
            ),
        )
    )
    d = _doc("doc-year", "Protests were held in Aleppo during 2017.", date(2018, 1, 5))
    out.append(
        Extraction(
            d,
            events=(
                event(
                    d,
                    "Protests were held in Aleppo",
                    TimeRef(date(2017, 1, 1), date(2017, 12, 31), "year", "2017"),
                    _at(d, "Aleppo", PLACES["Aleppo"]),
                    event_type="Protests",
                    sub_event_type="Peaceful protest",
                ),
            ),
        )
    )
    e = _doc("doc-undated", "Shelling hit Mosul, residents said.", None)
    out.append(
        Extraction(
            e,
            events=(
                event(
                    e,
                    "Shelling hit Mosul",
                    None,
                    _at(e, "Mosul", PLACES["Mosul"]),
                    event_type="Explosions/Remote violence",
                    sub_event_type="Shelling/artillery/missile attack",
                ),
            ),
        )
    )
    f = _doc(
        "doc-history",
        "The group was founded in Aleppo after a raid on 14 March 2005, a history recalls.",
        date(2017, 11, 20),
    )
    out.append(
        Extraction(
            f,
            events=(
                event(f, "a raid on 14 March 2005", _day(2005, 3, 14), _at(f, "Aleppo", None)),
            ),
        )
    )
    for name, where in (("Hajin", HAJIN), ("Hajin east", HAJIN_EAST)):
        g = _doc(
            f"doc-{name.replace(' ', '-').lower()}",
            f"Clashes broke out in {name} on 12 November 2017.",
            date(2017, 11, 13),
        )
        out.append(
            Extraction(
                g,
                events=(
                    event(
                        g, f"Clashes broke out in {name}", _day(2017, 11, 12), _at(g, name, where)
                    ),
                ),
            )
        )
    for i in range(60):  # the bulk: 60 reports over 2017, five a month
        month, day = 1 + i // 5, 1 + 5 * (i % 5)
        h = _doc(
            f"doc-bulk-{i:02d}",
            f"Report {i}: an airstrike hit Deir ez-Zor on {day} {month} 2017.",
            date(2017, month, day),
        )
        out.append(
            Extraction(
                h,
                events=(
                    event(
                        h,
                        "an airstrike hit Deir ez-Zor",
                        _day(2017, month, day),
                        _at(h, "Deir ez-Zor", PLACES["Deir ez-Zor"]),
                        event_type="Explosions/Remote violence",
                        sub_event_type="Air/drone strike",
                    ),
                ),
            )
        )
    return out


def build_newcomer_db(path: Path) -> Path:
    """:func:`newcomer_extractions` in a new store at ``path``, the two Mosul reports in one
    event cluster (as cross-source dedup would put them)."""
    from fftrack.store import Store

    extractions = newcomer_extractions()
    store = Store.open(path)
    try:
        store.write(extractions)
        ids = [
            ev.id
            for x in extractions
            if x.document.id in ("doc-mosul", "doc-mosul-2")
            for ev in x.events
        ]
        store.set_cluster([(i, "cluster-mosul") for i in ids])
    finally:
        store.close()
    return path
