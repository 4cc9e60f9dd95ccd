"""Each CLI command with its formats, over a small corpus written here."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fftrack import cli as cli_module

REPORTS = {
    "westminster.txt": (
        "Title: Attack on Westminster Bridge\nSource: Channel Desk\nPublished: 2017-03-23\n\n"
        "A man drove a car into pedestrians on Westminster Bridge in London on Wednesday and then "
        "stabbed a police officer outside Parliament. Four people were killed and more than 50 "
        "were injured. The Islamic State claimed the attack.\n"
    ),
    "raqqa.txt": (
        "Title: Fighters leave Raqqa\nSource: Euphrates Monitor\nPublished: 2017-10-01\n\n"
        "Dozens of foreign fighters fled Raqqa toward al-Mayadin this past summer. "
        "A group of British fighters made it to al-Mayadin. An air strike on Deir ez-Zor killed "
        "12 civilians on Sunday. More than 800 people from Britain joined ISIS.\n"
    ),
}
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Levant Wire</title><link>https://example.org</link>
<description>test</description>
<item><title>Bombing in Manchester</title><link>https://example.org/manchester</link>
<pubDate>Tue, 23 May 2017 08:00:00 GMT</pubDate>
<description>A suicide bombing at the Manchester Arena killed 22 people on Monday night.</description></item>
</channel></rss>
"""
JSONL = [
    {
        "id": "mosul-1",
        "text": "Iraqi forces clashed with Islamic State fighters in Mosul on 9 July 2017. "
        "At least 30 people were killed.",
        "published": "2017-07-10",
        "source": "Wire",
    },
]


def invoke(args: list[str], input: str | None = None):
    runner = CliRunner()
    return runner.invoke(cli_module.cli, args, input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for name, text in REPORTS.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "feeds").mkdir()
    (root / "feeds" / "wire.xml").write_text(FEED, encoding="utf-8")
    (root / "wire.jsonl").write_text(
        "\n".join(json.dumps(r) for r in JSONL) + "\n", encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def db(corpus, tmp_path_factory, pipeline, monkeypatch_module) -> Path:
    """A store filled by `fftrack ingest` over the corpus (the session pipeline is reused)."""
    monkeypatch_module.setattr(cli_module, "make_pipeline", lambda config: pipeline)
    path = tmp_path_factory.mktemp("db") / "t.db"
    result = invoke(["--db", str(path), "ingest", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["read"] == 4 and report["failed"] == []
    assert report["stored"]["documents"] == 4
    return path


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_ingest_again_stores_nothing_new(db, corpus):
    result = invoke(["--db", str(db), "ingest", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["skipped"] == 4
    assert all(v == 0 for v in report["stored"].values())


def test_ingest_of_stored_documents_only_loads_no_model(db, corpus, monkeypatch):
    """A resumed ingest with nothing new to read never loads the language model."""

    def no_model(config):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(cli_module, "make_pipeline", no_model)
    result = invoke(["--db", str(db), "ingest", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["skipped"] == 4


def test_ingest_summary_lists_failures_and_goes_on(tmp_path, pipeline, monkeypatch):
    monkeypatch.setattr(cli_module, "make_pipeline", lambda config: pipeline)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("Clashes were reported in Idlib on Monday.", encoding="utf-8")
    (inputs / "bad.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (inputs / "empty.txt").write_bytes(b"")
    result = invoke(["--db", str(tmp_path / "x.db"), "ingest", str(inputs)])
    assert result.exit_code == 1
    assert "documents read: 1" in result.output
    assert "failed: 2" in result.output and "bad.txt" in result.output
    assert "stored: 1 documents" in result.output


def test_ingest_stdin(tmp_path, pipeline, monkeypatch):
    monkeypatch.setattr(cli_module, "make_pipeline", lambda config: pipeline)
    lines = "\n".join(json.dumps(r) for r in JSONL)
    result = invoke(["--db", str(tmp_path / "s.db"), "ingest", "-", "--json"], input=lines)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["stored"]["documents"] == 1


def test_ingest_missing_path_is_usage_error(tmp_path):
    result = invoke(["--db", str(tmp_path / "m.db"), "ingest", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such file" in result.output


@pytest.mark.parametrize("kind", ["events", "movements", "figures", "actors", "places"])
@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "geojson", "kml"])
def test_list_commands_in_every_format(db, kind, fmt):
    result = invoke(["--db", str(db), kind, "--format", fmt])
    if fmt in ("geojson", "kml") and kind in ("figures", "actors"):
        # no coordinates to map: a usage error that says so
        assert result.exit_code == 2 and "coordinates" in result.output
        return
    assert result.exit_code == 0, result.output
    out = result.output
    if fmt == "json":
        rows = json.loads(out)
        assert isinstance(rows, list)
    elif fmt == "jsonl":
        for line in out.splitlines():
            json.loads(line)
    elif fmt == "csv":
        list(csv.reader(io.StringIO(out)))
    elif fmt == "geojson":
        assert json.loads(out)["type"] == "FeatureCollection"
    elif fmt == "kml":
        assert "<kml" in out


def test_events_json_have_sources_with_sentences(db):
    rows = json.loads(invoke(["--db", str(db), "events", "--format", "json"]).output)
    assert rows, "the corpus reports several attacks"
    for row in rows:
        assert row["sources"], row
        for src in row["sources"]:
            assert {"document_id", "start", "end", "sentence"} <= set(src)
            assert src["sentence"]


def test_places_are_resolved(db):
    rows = json.loads(invoke(["--db", str(db), "places", "--format", "json"]).output)
    names = {r.get("resolved_name") or r["name"] for r in rows if r.get("lat") is not None}
    assert any("Raqqa" in n for n in names)


def test_filters(db):
    all_rows = json.loads(invoke(["--db", str(db), "events", "--format", "json"]).output)
    limited = json.loads(
        invoke(["--db", str(db), "events", "--format", "json", "--limit", "1"]).output
    )
    assert len(limited) == min(1, len(all_rows))
    none = json.loads(
        invoke(["--db", str(db), "events", "--format", "json", "--until", "2000"]).output
    )
    assert none == []
    world = json.loads(
        invoke(["--db", str(db), "events", "--format", "json", "--bbox", "-180,-90,180,90"]).output
    )
    assert len(world) == len([r for r in all_rows if (r.get("place") or {}).get("lat") is not None])


@pytest.mark.parametrize(
    "args, message",
    [
        (["events", "--since", "2017-13"], "bad date"),
        (["events", "--bbox", "1,2,3"], "bad bbox"),
        (["events", "--country", "Syria"], "ISO 3166-1 alpha-2"),
        (["events", "--limit", "-1"], "limit must be"),
        (["events", "--since", "2018", "--until", "2017"], "after"),
    ],
)
def test_bad_filters_are_usage_errors(db, args, message):
    result = invoke(["--db", str(db), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_show_lists_sources_with_sentence(db):
    rows = json.loads(invoke(["--db", str(db), "events", "--format", "json"]).output)
    record_id = rows[0].get("cluster_id") or rows[0]["id"]
    result = invoke(["--db", str(db), "show", record_id])
    assert result.exit_code == 0, result.output
    assert "sources" in result.output
    sentence = rows[0]["sources"][0]["sentence"]
    assert sentence.split()[0] in result.output
    as_json = json.loads(invoke(["--db", str(db), "show", record_id, "--format", "json"]).output)
    assert as_json["sources"]


def test_show_unknown_id(db):
    result = invoke(["--db", str(db), "show", "no-such-id"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_stats(db):
    result = invoke(["--db", str(db), "stats", "--format", "json"])
    data = json.loads(result.output)
    assert data["documents"] == 4
    assert data["events"] >= 1
    table = invoke(["--db", str(db), "stats"]).output
    assert "events by type" in table


def test_query_on_missing_store_is_clear(tmp_path):
    result = invoke(["--db", str(tmp_path / "none.db"), "events"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_extract_is_stateless_jsonl(tmp_path, pipeline, monkeypatch):
    monkeypatch.setattr(cli_module, "make_pipeline", lambda config: pipeline)
    text = REPORTS["raqqa.txt"].split("\n\n", 1)[1]
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "d1", "text": text}) + "\n" + json.dumps({"text": "Nothing."}) + "\n"
    )
    result = invoke(["extract", str(src), "--published", "2017-10-01"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert [
        set(x) >= {"id", "places", "actors", "events", "movements", "figures"} for x in lines
    ] == [True, True]
    assert lines[0]["id"] == "d1"
    for key in ("places", "actors", "events", "movements", "figures"):
        for rec in lines[0][key]:
            assert 0 <= rec["start"] <= rec["end"] <= len(text)
    raqqa = [p for p in lines[0]["places"] if p["name"] == "Raqqa"]
    assert raqqa and text[raqqa[0]["start"] : raqqa[0]["end"]] == "Raqqa"


def test_extract_bad_line_names_it(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"text": "ok"}\nnot json\n')
    result = invoke(["extract", str(src)])
    # reported with its line, the other lines still extracted (exit code 1, as ingest)
    assert result.exit_code == 1
    assert "bad.jsonl:2" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_geoparse_spans(tmp_path):
    text = "Fighters fled Raqqa for Idlib."
    src = tmp_path / "g.jsonl"
    src.write_text(
        json.dumps({"id": "g", "text": text, "toponyms": [{"start": 14, "end": 19}]}) + "\n"
    )
    result = invoke(["geoparse", str(src), "--spans"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [(p["start"], p["end"]) for p in out["places"]] == [(14, 19)]
    assert out["places"][0]["country"] == "SY"


def test_events_merged_by_default_per_report_on_request(db):
    merged = json.loads(invoke(["--db", str(db), "events", "--format", "json"]).output)
    per_report = json.loads(
        invoke(["--db", str(db), "events", "--format", "json", "--per-report"]).output
    )
    assert len(merged) <= len(per_report)
    assert all("n_sources" in r for r in merged)
    assert sum(r["n_sources"] for r in merged) >= len({r["document_id"] for r in per_report}) - 1


def test_merge_and_split_are_kept(db, tmp_path):
    import shutil

    path = tmp_path / "copy.db"
    shutil.copy(db, path)
    rows = json.loads(
        invoke(["--db", str(path), "events", "--format", "json", "--per-report"]).output
    )
    assert len(rows) >= 2
    a, b = rows[0]["id"], rows[1]["id"]
    result = invoke(["--db", str(path), "merge", a, b])
    assert result.exit_code == 0, result.output
    shown = json.loads(invoke(["--db", str(path), "show", a, "--format", "json"]).output)
    assert {a, b} <= set(shown["members"])
    result = invoke(["--db", str(path), "split", b])
    assert result.exit_code == 0, result.output
    shown = json.loads(invoke(["--db", str(path), "show", a, "--format", "json"]).output)
    assert b not in shown["members"]
    assert invoke(["--db", str(path), "merge", a, "nope"]).exit_code == 2


def test_movement_flows_and_actor_mentions(db):
    result = invoke(["--db", str(db), "movements", "--flows", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.output), list)
    resolved = json.loads(invoke(["--db", str(db), "actors", "--format", "json"]).output)
    mentions = json.loads(
        invoke(["--db", str(db), "actors", "--format", "json", "--mentions"]).output
    )
    assert len(resolved) <= len(mentions)
    assert all("aliases" in r for r in resolved)
