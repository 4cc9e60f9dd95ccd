"""A newcomer's first hour (issue 15) and two CLI items of issue 14, over short texts.

Each test is named after the item it checks: output paths, bad JSONL lines in extract and
geoparse, --db/--config after the command, stats values as filters, one id in `show`,
date filters and undated rows, the geoparse contract, per-command --type help, quiet
Dask, the Makefile's chromium line, and terminal escapes in every printed field.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from fftrack import cli as cli_module

ROOT = Path(__file__).resolve().parents[1]

ESC_TITLE = "\u001b[2J\u001b]0;pwned\u0007Bridge attack"
ESC_SOURCE = "\u001b]8;;https://evil.example\u001b\\Wire A\u001b]8;;\u001b\\\u009b31m"

DOCS = [
    {
        "id": "w1",
        "published": "2017-03-23",
        "source": ESC_SOURCE,
        "title": ESC_TITLE,
        "url": "https://example.org/w1",
        "text": "A man drove a car into pedestrians on Westminster Bridge in London on "
        "22 March 2017. Four people were killed.",
    },
    {
        "id": "w2",
        "published": "2017-03-24",
        "source": "Wire B",
        "title": "Four dead",
        "text": "Four people were killed on 22 March 2017 when a car hit pedestrians on "
        "Westminster Bridge in London.",
    },
    {
        "id": "u1",
        "published": "2017-08-01",
        "source": "Wire C",
        "text": "Rebels clashed with government soldiers. Three fighters were killed in the "
        "fighting.",
    },
    {
        "id": "m1",
        "published": "2017-09-01",
        "source": "Wire D",
        "text": "Dozens of foreign fighters fled Raqqa toward al-Mayadin. An air strike on "
        "Deir ez-Zor killed 12 civilians on 3 September 2017.",
    },
]


def invoke(args: list[str], input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli_module.cli, args, input=input, catch_exceptions=False)


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def assert_one_line_error(result) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("fftrack: error: "), result.stderr


@pytest.fixture(scope="module")
def monkeypatch_module():  # type: ignore[no-untyped-def]
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline, monkeypatch_module) -> Path:  # type: ignore[no-untyped-def]
    """A store filled once by `fftrack ingest` (the session pipeline is reused)."""
    monkeypatch_module.setattr(cli_module, "make_pipeline", lambda config: pipeline)
    tmp = tmp_path_factory.mktemp("newcomer")
    src = write_jsonl(tmp / "docs.jsonl", DOCS)
    path = tmp / "n.db"
    result = invoke(["--db", str(path), "ingest", str(src), "--json"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def use_session_pipeline(pipeline, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli_module, "make_pipeline", lambda config: pipeline)


def rows_of(db: Path, *args: str) -> list[dict]:
    result = invoke(["--db", str(db), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- item 1: every output path gives one line and exit 2 ------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["events", "--format", "json"],
        ["events", "--per-report", "--format", "csv"],
        ["movements", "--flows", "--format", "json"],
        ["figures", "--format", "jsonl"],
        ["actors"],
        ["places", "--format", "geojson"],
        ["movements", "--format", "kml"],
    ],
)
def test_item1_unwritable_output_is_one_line_error(db: Path, tmp_path: Path, args) -> None:  # type: ignore[no-untyped-def]
    for target in (tmp_path / "no" / "such" / "dir" / "out.txt", tmp_path):
        result = invoke(["--db", str(db), *args, "-o", str(target)])
        assert_one_line_error(result)
        assert str(target) in result.stderr


def test_item1_failed_query_leaves_existing_output_untouched(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "keep.json"
    out.write_text("my earlier export\n", encoding="utf-8")
    result = invoke(["--db", str(db), "figures", "--bbox", "0,0,1,1", "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "my earlier export\n"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind
    ok = invoke(["--db", str(db), "events", "--format", "json", "-o", str(out)])
    assert ok.exit_code == 0, ok.output
    assert isinstance(json.loads(out.read_text(encoding="utf-8")), list)


# -- item 3 (= issue 14 item 8): bad JSONL lines are reported, the rest processed --------


def _bad_input(tmp_path: Path) -> Path:
    src = tmp_path / "bad.jsonl"
    lines = [
        json.dumps({"id": "good1", "text": "Clashes were reported in Idlib on Monday."}),
        "not json",
        "[" * 100_000,
        json.dumps({"id": "no-text", "title": "no text here"}),
        json.dumps(
            {
                "id": "good2",
                "text": "Fighters fled to Mosul.",
                "toponyms": [{"start": 17, "end": 22}],
            }
        ),
    ]
    src.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe not utf-8\n")
    return src


def _check_bad_lines(result, src: Path) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == ["good1", "good2"]
    for n in (2, 3, 4, 6):
        assert f"{src}:{n}:" in result.stderr, result.stderr
    assert "nested too deeply" in result.stderr


def test_item3_extract_reports_bad_lines_and_goes_on(tmp_path: Path, use_session_pipeline) -> None:  # type: ignore[no-untyped-def]
    src = _bad_input(tmp_path)
    _check_bad_lines(invoke(["extract", str(src)]), src)


def test_item3_geoparse_reports_bad_lines_and_goes_on(tmp_path: Path) -> None:
    src = _bad_input(tmp_path)
    _check_bad_lines(invoke(["geoparse", str(src)]), src)


def test_item3_geoparse_spans_bad_toponyms_is_one_line(tmp_path: Path) -> None:
    src = write_jsonl(
        tmp_path / "s.jsonl",
        [
            {"id": "a", "text": "They fled to Mosul.", "toponyms": [{"start": 13, "end": 99}]},
            {"id": "b", "text": "They fled to Mosul.", "toponyms": [{"start": 13, "end": 18}]},
        ],
    )
    result = invoke(["geoparse", str(src), "--spans"])
    assert result.exit_code == 1, result.output
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["b"]
    assert f"{src}:1:" in result.stderr


# -- item 4: --db and --config before or after the command ----------------------------------


def test_item4_db_and_config_after_the_command(
    db: Path, tmp_path: Path, use_session_pipeline
) -> None:  # type: ignore[no-untyped-def]
    src = write_jsonl(tmp_path / "one.jsonl", DOCS[2:3])
    new = tmp_path / "after.db"
    result = invoke(["ingest", "--db", str(new), str(src), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stored"]["documents"] == 1
    assert new.exists()
    stats = invoke(["stats", "--db", str(db), "--format", "json"])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["documents"] == len(DOCS)
    # after the command wins over before it
    both = invoke(["--db", str(new), "stats", "--db", str(db), "--format", "json"])
    assert json.loads(both.stdout)["documents"] == len(DOCS)
    cfg = tmp_path / "f.toml"
    cfg.write_text(f'db = "{db}"\n', encoding="utf-8")
    via_config = invoke(["events", "--config", str(cfg), "--format", "json"])
    assert via_config.exit_code == 0, via_config.output
    assert json.loads(via_config.stdout)
    missing = invoke(["events", "--config", str(tmp_path / "none.toml")])
    assert_one_line_error(missing)
    assert "--db" in invoke(["events", "--help"]).output


# -- item 5: every value stats prints is usable as a filter ---------------------------------


def test_item5_every_stats_value_is_a_filter(db: Path) -> None:
    data = json.loads(invoke(["--db", str(db), "stats", "--format", "json"]).stdout)
    assert "unknown" in data["events_by_country"], data
    table = invoke(["--db", str(db), "stats"]).stdout
    for country, n in data["events_by_country"].items():
        assert country in table
        rows = rows_of(db, "events", "--per-report", "--country", country)
        assert len(rows) == n, country
        if country == "unknown":
            assert all(not (r.get("place") or {}).get("country") for r in rows)
        assert rows_of(db, "events", "--country", country)
    for type_, n in data["events_by_type"].items():
        assert len(rows_of(db, "events", "--per-report", "--type", type_)) == n, type_
    for month, n in data["events_by_month"].items():
        assert len(rows_of(db, "events", "--per-report", "--since", month, "--until", month)) >= n
    # the web API and library parse the same way
    from fftrack.store import Query

    assert Query.parse(country="Unknown").country == Query.parse(country="unknown").country


# -- item 7: `show` gives one id for what was asked, the members as members ----------------


def _merged(db: Path) -> dict:
    merged = [r for r in rows_of(db, "events") if len(r.get("members") or []) > 1]
    assert merged, "the two Westminster reports are one event"
    return merged[0]


def test_item7_show_cluster_gives_one_id_and_lists_members(db: Path) -> None:
    ev = _merged(db)
    cid, members = ev["cluster_id"], ev["members"]
    for asked in (cid, *members):
        shown = json.loads(invoke(["--db", str(db), "show", asked, "--format", "json"]).stdout)
        assert shown["id"] == cid
        assert sorted(shown["members"]) == sorted(members)
        text = invoke(["--db", str(db), "show", asked]).stdout
        head, *rest = text.splitlines()
        assert cid in head
        ids_shown = set(re.findall(r"\b[0-9a-f]{16}\b", head))
        assert ids_shown <= {cid, asked}, head
        assert not any(re.match(r"\s+id: ", ln) for ln in rest), text
        member_lines = [ln for ln in rest if ln.strip().startswith("members:")]
        assert member_lines and all(m in member_lines[0] for m in members), text


def test_item7_show_unclustered_event_uses_its_own_id(db: Path) -> None:
    single = [r for r in rows_of(db, "events", "--per-report") if r["document_id"] == "u1"][0]
    shown = json.loads(invoke(["--db", str(db), "show", single["id"], "--format", "json"]).stdout)
    assert shown["id"] in (single["id"], single.get("cluster_id"))
    assert single["id"] in shown["members"]


# -- item 8: a date filter keeps dated rows; --include-undated for the rest ---------------


@pytest.mark.parametrize("kind, field", [("movements", "date"), ("figures", "as_of")])
def test_item8_date_filter_keeps_only_dated_rows(db: Path, kind: str, field: str) -> None:
    every = rows_of(db, kind)
    assert any(r.get(field) is None for r in every), "the corpus has undated records"
    dated = rows_of(db, kind, "--since", "2017-01", "--until", "2017-12")
    assert all(r.get(field) for r in dated), dated
    more = rows_of(db, kind, "--since", "2017-01", "--until", "2017-12", "--include-undated")
    assert any(r.get(field) is None for r in more)
    assert {r["id"] for r in dated} <= {r["id"] for r in more}
    # no date filter: undated rows are there as before
    assert len(rows_of(db, kind)) >= len(more)


def test_item8_query_include_undated_round_trip() -> None:
    from fftrack.store.query import Query, where_clause

    strict, _ = where_clause("events", Query.parse(since="2017"))
    loose, _ = where_clause("events", Query.parse(since="2017", include_undated=True))
    assert strict != loose
    assert where_clause("places", Query.parse(since="2017")) == where_clause(
        "places", Query.parse(since="2017", include_undated=True)
    )


# -- item 9: geoparse output and the README contract agree --------------------------------


def _readme_place_fields() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"\*\*place\*\*: `\{([^}]*)\}`", readme)
    assert m, "README documents the place record"
    return set(re.findall(r'"(\w+)"', m.group(1)))


def test_item9_geoparse_gives_every_documented_field(tmp_path: Path) -> None:
    fields = _readme_place_fields()
    assert {"resolved_name", "admin1", "features", "extractor", "confidence"} <= fields
    text = "Shelling hit Idlib and Hama."
    src = write_jsonl(
        tmp_path / "g.jsonl",
        [{"id": "a", "text": text, "toponyms": [{"start": 13, "end": 18}]}],
    )
    for args in (["geoparse", str(src)], ["geoparse", str(src), "--spans"]):
        result = invoke(args)
        assert result.exit_code == 0, result.output
        places = json.loads(result.stdout)["places"]
        assert places
        for p in places:
            assert fields <= set(p), fields - set(p)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '"toponyms": [{"start"' in readme


# -- item 10: each listing command has its own --type help ---------------------------------


def test_item10_type_help_is_per_command() -> None:
    def type_help(kind: str) -> str:
        out = invoke([kind, "--help"]).output
        m = re.search(r"--type TEXT\s+(.*?)(?=\n\s+--|\Z)", out, re.S)
        assert m, out
        return " ".join(m.group(1).split())

    helps = {k: type_help(k) for k in ("events", "movements", "figures", "actors", "places")}
    assert len(set(helps.values())) == len(helps), helps
    assert "feature" in helps["places"] and "event" not in helps["places"].lower()
    assert "kind" in helps["actors"] and "event" not in helps["actors"].lower()
    assert "manner" in helps["movements"]
    assert "category" in helps["figures"]


# -- item 11: Dask stays quiet unless -v ---------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.parametrize("verbose", [False, True])
def test_item11_dask_is_quiet_unless_verbose(verbose: bool) -> None:
    from fftrack.config import Config
    from fftrack.scale import DaskExtractor

    fftrack_log = logging.getLogger("fftrack")
    old = fftrack_log.level
    fftrack_log.setLevel(logging.INFO if verbose else logging.WARNING)
    seen = _Collect()
    dist = logging.getLogger("distributed")
    dist.addHandler(seen)
    try:
        with DaskExtractor(Config(), workers=1):
            pass
    finally:
        dist.removeHandler(seen)
        fftrack_log.setLevel(old)
    info = [r for r in seen.records if r.levelno < logging.WARNING]
    if verbose:
        assert info
    else:
        assert info == [], [r.getMessage() for r in info][:5]
        assert not any("jupyter-server-proxy" in r.getMessage() for r in seen.records)


# -- item 12: `make test` says before it installs Chromium ---------------------------------


def test_item12_chromium_install_is_announced() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nchromium:", 1)[1].split("\n\n", 1)[0]
    assert "apt-get install" in recipe
    assert "echo" in recipe and recipe.index("echo") < recipe.index("apt-get update")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme.split("`make test` runs", 1)[1].split("\n\n", 1)[0]
    assert "root" in paragraph and "Chromium" in paragraph, "README says so"


# -- issue 14 item 4: no terminal escapes from stored text ---------------------------------

_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def test_terminal_safe_cleans_escapes() -> None:
    from fftrack.cli_tables import terminal_safe

    out = terminal_safe("a\u001b[2Jb\u001b]0;pwned\u0007c\u009b31md\re\u202eF\nG\tH")
    assert not _RAW.search(out.replace("\n", "").replace("\t", "")), repr(out)
    assert "\u202e" not in out
    assert "pwned" in out  # made visible, not silently dropped
    assert "\n" in out and "\t" in out
    assert terminal_safe("Raqqa, al-Mayadin — 12 killed") == "Raqqa, al-Mayadin — 12 killed"


def test_issue14_item4_show_and_tables_print_no_escapes(db: Path) -> None:
    w1 = [r for r in rows_of(db, "events", "--per-report") if r["document_id"] == "w1"][0]
    outputs = {
        "show": invoke(["--db", str(db), "show", w1["id"]]).stdout,
        "events": invoke(["--db", str(db), "events", "--per-report"]).stdout,
        "places": invoke(["--db", str(db), "places"]).stdout,
        "stats": invoke(["--db", str(db), "stats"]).stdout,
    }
    assert "pwned" in outputs["show"], outputs["show"]
    # JSON keeps the value, with what a terminal obeys written as \\u escapes
    as_json = invoke(["--db", str(db), "show", w1["id"], "--format", "json"]).stdout
    outputs["show --format json"] = as_json
    assert ESC_SOURCE in {s["source"] for s in json.loads(as_json)["sources"]}
    for name, out in outputs.items():
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out, name
        assert not _RAW.search(out.replace("\n", "").replace("\t", "")), (name, out)


# -- item 6: one meaning per word for counts, the other count beside it --------------------


def test_item6_counts_say_what_they_count(db: Path) -> None:
    data = json.loads(invoke(["--db", str(db), "stats", "--format", "json"]).stdout)
    merged, per_report = rows_of(db, "events"), rows_of(db, "events", "--per-report")
    assert data["events_merged"] == len(merged) < data["events"] == len(per_report)
    table = invoke(["--db", str(db), "stats"]).stdout
    assert f"{len(merged)} ({len(per_report)} reports)" in table
    assert f"{data['actors']} mentions" in table
    events = invoke(["--db", str(db), "events"]).stdout.splitlines()[-1]
    assert events == f"{len(merged)} events (merged from {len(per_report)} event reports)"
    reports = invoke(["--db", str(db), "events", "--per-report"]).stdout.splitlines()[-1]
    assert reports.startswith(f"{len(per_report)} event reports")
    actors = rows_of(db, "actors")
    line = invoke(["--db", str(db), "actors"]).stdout.splitlines()[-1]
    assert line == f"{len(actors)} actors ({data['actors']} mentions)"
