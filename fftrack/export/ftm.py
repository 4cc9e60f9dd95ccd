"""FollowTheMoney entities (for Aleph and the ftm tools), one JSON object a line.

From each merged event (``StoreReader.iter_merged_events``):

- ``Article``: each source report (title, publishedAt, publisher, sourceUrl, bodyText:
  the sentences the event was read from), once per document;
- ``Event``: the event (name, summary: the source sentences, date/startDate/endDate,
  country, location, keywords: the ACLED event type and sub-type, involved: the
  organisations taking part, organizer: the claimant where it is one of them, proof:
  the first report, recordId: the fftrack id, sourceUrl);
- ``Documentation``: event <-> each report it was read from (role ``source report``);
- ``Organization``: each named armed group, state force or organisation (name: the
  normalised name, alias: the names as written, country: a nationality where given),
  once per name;
- ``Mention``: every named actor as a report names it (document, name, resolved: the
  Organization; ``detectedSchema``). A person is only ever a Mention (``detectedSchema``
  Person, the name as written, the report): fftrack makes no Person entities, so no
  export builds a profile of an individual.

Generic groups (civilians, protesters, "fighters") are left in the summary. Entity ids
are ``make_entity_id`` over fftrack's own ids: exporting twice gives the same ids. The
builder remembers the ids of the shared entities it has written (reports, organisations,
mentions: a few dozen bytes each), so its memory grows with those, not with the events.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from fftrack.errors import UsageError
from fftrack.export.jsonout import dumps

EXPORT_VERSION = "export.ftm.v1"
ORG_KINDS = ("armed_group", "state_forces", "organisation", "organization")


def _model() -> Any:
    try:
        from followthemoney import model
    except ImportError as exc:
        raise UsageError("ftm export needs followthemoney: pip install 'fftrack[ftm]'") from exc
    return model


def _id(*parts: str) -> str:
    from followthemoney.util import make_entity_id

    return str(make_entity_id("fftrack", *parts))


class FtmBuilder:
    """Turns merged events into entities; remembers which shared entities (reports,
    organisations, mentions) it has given, so each comes once."""

    def __init__(self) -> None:
        self.model = _model()
        self._seen: set[str] = set()

    def _new(self, schema: str, id_: str) -> Any:
        e = self.model.make_entity(schema)
        e.id = id_
        return e

    def _once(self, id_: str) -> bool:
        if id_ in self._seen:
            return False
        self._seen.add(id_)
        return True

    def entities(self, row: dict[str, Any]) -> Iterator[Any]:
        fid = str(row.get("cluster_id") or row.get("id"))
        sources = [s for s in (row.get("sources") or []) if isinstance(s, dict)]
        ev = self._new("Event", _id("event", fid))
        raw_place = row.get("place")
        place: dict[str, Any] = raw_place if isinstance(raw_place, dict) else {}
        where = place.get("resolved_name") or place.get("name")
        head = row.get("sub_event_type") or row.get("event_type") or "Event"
        ev.add("name", f"{head}: {where}" if where else head)
        sentences: list[str] = []
        for s in sources:
            text = " ".join(str(s.get("sentence") or "").split())
            if text and text not in sentences:
                sentences.append(text)
        ev.add("summary", " | ".join(sentences) or None)
        precision = row.get("date_precision")
        if row.get("date_start"):
            if precision == "day":
                ev.add("date", row["date_start"])
            else:
                ev.add("startDate", row["date_start"])
                ev.add("endDate", row.get("date_end"))
        ev.add("country", place.get("country"))
        ev.add("location", where)
        ev.add("keywords", [k for k in (row.get("event_type"), row.get("sub_event_type")) if k])
        ev.add("recordId", fid)
        ev.add("publisher", "fftrack")

        # the reports
        docs: dict[str, str] = {}
        for s in sources:
            did = s.get("document_id")
            if not did:
                continue
            aid = _id("document", str(did))
            docs.setdefault(str(did), aid)
            if s.get("url"):
                ev.add("sourceUrl", s["url"])
            if self._once(aid):
                art = self._new("Article", aid)
                art.add("title", s.get("title") or f"report {did}")
                art.add("publishedAt", s.get("published"))
                art.add("publisher", s.get("source"))
                art.add("sourceUrl", s.get("url"))
                yield art
        if docs:
            ev.add("proof", next(iter(docs.values())))

        # the actors: organisations, and every named actor as a mention in its reports
        orgs: dict[str, str] = {}
        mentions: list[Any] = []
        for a in row.get("actors") or []:
            if not isinstance(a, dict):
                continue
            kind = a.get("kind") or ""
            name = a.get("normalized") or a.get("name")
            if not name or kind not in (*ORG_KINDS, "person"):
                continue
            resolved = None
            if kind in ORG_KINDS:
                resolved = _id("organization", " ".join(str(name).casefold().split()))
                orgs.setdefault(resolved, name)
                if self._once(resolved):
                    org = self._new("Organization", resolved)
                    org.add("name", name)
                    if a.get("name") and a.get("name") != name:
                        org.add("alias", a["name"])
                    org.add("country", a.get("country"))
                    yield org
            written = a.get("name") or name
            for did, aid in docs.items():
                sents = [
                    str(s.get("sentence") or "") for s in sources if s.get("document_id") == did
                ]
                if len(docs) > 1 and not any(written.casefold() in t.casefold() for t in sents):
                    continue
                mid = _id("mention", did, kind, str(written).casefold())
                if not self._once(mid):
                    continue
                m = self._new("Mention", mid)
                m.add("document", aid)
                m.add("name", written)
                m.add("detectedSchema", "Person" if kind == "person" else "Organization")
                if resolved:
                    m.add("resolved", resolved)
                mentions.append(m)
        ev.add("involved", list(orgs))
        claimant = row.get("claimed_by")
        if claimant:
            key = _id("organization", " ".join(str(claimant).casefold().split()))
            if key in orgs:
                ev.add("organizer", key)
        yield ev
        yield from mentions
        for did, aid in docs.items():
            doc = self._new("Documentation", _id("documentation", fid, did))
            doc.add("document", aid)
            doc.add("entity", ev.id)
            doc.add("role", "source report")
            yield doc


def write_ftm(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write merged events as FollowTheMoney entities (JSON Lines). Returns entities written."""
    builder = FtmBuilder()
    n = 0
    for row in rows:
        for entity in builder.entities(row):
            out.write(dumps(entity.to_dict()))
            out.write("\n")
            n += 1
    return n
