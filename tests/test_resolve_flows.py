"""resolve.flows: movements between the same resolved places merge into flows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fftrack.records import Actor, Document, Extraction, Movement, Place, Quantity, Span, TimeRef
from fftrack.store import Query, Store
from fftrack.views import flows

GEO = {
    "Raqqa": (35.95, 39.01, "SY", 163915),
    "ar-Raqqah": (35.95, 39.01, "SY", 163915),
    "al-Mayadin": (35.02, 40.45, "SY", 170794),
    "Mayadeen": (35.02, 40.45, "SY", 170794),
    "Mosul": (36.34, 43.12, "IQ", 99072),
}


def _place(doc: Document, name: str) -> Place:
    i = doc.text.index(name)
    lat, lon, cc, gid = GEO[name]
    return Place(
        name,
        Span(doc.id, i, i + len(name), 0, len(doc.text)),
        lat=lat,
        lon=lon,
        geonameid=gid,
        country=cc,
        precision=1,
        resolved_name=name.replace("ar-Raqqah", "Raqqa"),
    )


def mv(
    doc_id: str,
    text: str,
    actor: tuple[str, str | None],
    origin: str | None,
    dest: str,
    day: date,
    size: int | None = None,
) -> Extraction:
    doc = Document(id=doc_id, text=text, published=day)
    i = text.index(actor[0])
    a = Actor(actor[0], Span(doc_id, i, i + len(actor[0]), 0, len(text)), normalized=actor[1])
    m = Movement(
        span=Span(doc_id, 0, len(text), 0, len(text)),
        actor=a,
        origin=_place(doc, origin) if origin else None,
        destination=_place(doc, dest),
        manner="fled",
        date=TimeRef(day, day, "day"),
        size=Quantity(size) if size else None,
    )
    return Extraction(document=doc, movements=(m,))


def test_flows_merge_same_resolved_places(tmp_path: Path) -> None:
    exs = [
        mv(
            "f1",
            "ISIS fighters fled from Raqqa to al-Mayadin.",
            ("ISIS", "Islamic State"),
            "Raqqa",
            "al-Mayadin",
            date(2017, 10, 1),
            300,
        ),
        mv(
            "f2",
            "Daesh militants escaped from ar-Raqqah to Mayadeen.",
            ("Daesh", None),
            "ar-Raqqah",
            "Mayadeen",
            date(2017, 10, 5),
            250,
        ),
        mv(
            "f3",
            "Islamic State fighters fled Mosul for Raqqa.",
            ("Islamic State", "Islamic State"),
            "Mosul",
            "Raqqa",
            date(2017, 7, 2),
        ),
    ]
    with Store.open(tmp_path / "f.db") as s:
        s.write(exs)
        rows = flows(s.conn, Query())
        assert len(rows) == 2
        top = rows[0]
        assert top["reports"] == 2 and top["movements"] == 2
        assert top["origin"]["geonameid"] == 163915 and top["destination"]["geonameid"] == 170794
        assert top["actors"] == ["Islamic State"]
        assert (top["first_date"], top["last_date"]) == ("2017-10-01", "2017-10-05")
        assert len(top["movement_ids"]) == 2
        assert top["size_reported"]["min"] == 250 and top["size_reported"]["max"] == 300
        assert top["algorithm"] == "resolve.flows.v1"
        # filters and paging
        assert len(flows(s.conn, Query(since=date(2017, 9, 1)))) == 1
        assert len(flows(s.conn, Query(limit=1, offset=1))) == 1
        assert len(flows(s.conn, Query(), by_actor=True)) == 2
