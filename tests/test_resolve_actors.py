"""resolve.actors: curated aliases, user tables, state forces, fuzzy transliteration."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fftrack.errors import ConfigError
from fftrack.records import Actor, Document, Extraction, Span
from fftrack.resolve.actors import ActorResolver, fold, state_forces
from fftrack.store import Query, Store
from fftrack.views import resolved_actors


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver(env={})


@pytest.mark.parametrize(
    "name", ["ISIS", "ISIL", "Daesh", "Da'esh", "Islamic State", "the Islamic State"]
)
def test_islamic_state_aliases(resolver: ActorResolver, name: str) -> None:
    assert resolver.resolve(name).canonical == "Islamic State"


def test_state_forces_by_country() -> None:
    r = state_forces("Turkish police")
    assert r is not None and r.canonical == "Police Forces of Turkey" and r.country == "TR"
    r = state_forces("the Malian army")
    assert r is not None and r.canonical == "Military Forces of Mali" and r.kind == "state_forces"
    assert state_forces("Martian army") is None and state_forces("Islamic State") is None


def test_fuzzy_transliteration(resolver: ActorResolver) -> None:
    r = resolver.resolve("Boko Harem")
    assert r.canonical == "Boko Haram" and r.method == "fuzzy"
    assert fold("Kata'ib Hezbollah") == fold("Kataib Hezbollah")
    assert fold("ash-Sham") == fold("al Sham")
    # short names never match fuzzily
    assert resolver.resolve("ISIZ").method == "unknown"


def test_unknown_names_group_with_each_other(resolver: ActorResolver) -> None:
    names = [("Kata'ib Sayyid al-Shuhada", None)] * 2 + [
        ("Kataib Sayyid al Shuhadaa", None),
        ("Liwa Fatemiyoun", None),
    ]
    out = resolver.cluster_names(names)
    assert out[("Kataib Sayyid al Shuhadaa", None)] == "Kata'ib Sayyid al-Shuhada"
    assert out[("Liwa Fatemiyoun", None)] == "Liwa Fatemiyoun"


def test_user_table_extends_and_wins(tmp_path: Path) -> None:
    p = tmp_path / "mine.yaml"
    # the two accepted shapes: a list under actors:, and a mapping by canonical name
    q = tmp_path / "more.yaml"
    q.write_text(
        "Islamic State:\n  aliases: [Dawla Islamiya]\n  kind: armed_group\n", encoding="utf-8"
    )
    p.write_text(
        "actors:\n  - name: Jaysh al-Fatah\n    kind: armed_group\n    country: SY\n"
        "    aliases: [Army of Conquest]\n",
        encoding="utf-8",
    )
    r = ActorResolver(env={"FFTRACK_ACTORS": f"{p}:{q}"})
    got = r.resolve("Army of Conquest")
    assert (got.canonical, got.country, got.method) == ("Jaysh al-Fatah", "SY", "user")
    assert r.resolve("Dawla Islamiya").canonical == "Islamic State"
    assert ActorResolver([q], env={}).resolve("dawla islamiya").canonical == "Islamic State"
    with pytest.raises(ConfigError):
        ActorResolver([tmp_path / "missing.yaml"], env={})
    bad = tmp_path / "bad.yaml"
    bad.write_text("[unclosed", encoding="utf-8")
    with pytest.raises(ConfigError):
        ActorResolver([bad], env={})


def test_resolved_actor_listing(tmp_path: Path, resolver: ActorResolver) -> None:
    text = "ISIS fighters attacked. Daesh claimed it. Iraqi troops and the Iraqi army responded."
    doc = Document(id="d1", text=text, published=date(2017, 6, 1))

    def mention(name: str, normalized: str | None = None) -> Actor:
        i = text.index(name)
        return Actor(name, Span("d1", i, i + len(name), 0, len(text)), normalized=normalized)

    ex = Extraction(
        document=doc,
        actors=(
            mention("ISIS", "Islamic State"),
            mention("Daesh", "Islamic State"),
            mention("Iraqi troops"),
            mention("Iraqi army"),
        ),
    )
    with Store.open(tmp_path / "a.db") as s:
        s.write([ex])
        rows = resolved_actors(s.conn, Query(), resolver)
    by = {r["name"]: r for r in rows}
    assert by["Islamic State"]["mentions"] == 2
    assert set(by["Islamic State"]["aliases"]) == {"ISIS", "Daesh"}
    state = [r for r in rows if r["country"] == "IQ"]
    assert len(state) == 1 and state[0]["mentions"] == 2
