"""GeoNames dump files added to the gazetteer: reading, bad rows, merging, CLI, download.

The dump files are written here (a few rows each, bad ones included); downloads come from
a loopback HTTP server in a thread. Nothing reaches the internet. The embedded index is
built once (the user cache, as the other geo tests use) and linked into temporary cache
directories; the merged index is built once for the module.
"""

from __future__ import annotations

import http.server
import io
import json
import os
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fftrack import cli as cli_module
from fftrack.config import default_cache_dir
from fftrack.errors import FetchError
from fftrack.geo import Gazetteer
from fftrack.geo.dumps import DumpError, classify
from fftrack.geo.gazetteer import DATA_VERSION, base_index
from fftrack.geo.sources import add_sources, index_path, read_sources, remove_sources
from fftrack.ingest import fetch
from fftrack.ingest.download import download_file, download_geonames, part_path


def geo_row(
    gid: object,
    name: str,
    lat: object,
    lon: object,
    cc: str = "SY",
    fclass: str = "P",
    fcode: str = "PPL",
    admin1: str = "12",
    admin2: str = "",
    alts: str = "",
    pop: str = "0",
) -> str:
    cols = [str(gid), name, name, alts, str(lat), str(lon), fclass, fcode, cc, "", admin1]
    cols += [admin2, "", "", pop, "", "300", "Asia/Damascus", "2018-07-01"]
    return "\t".join(cols)


SY_ROWS = [
    geo_row(9900001, "Somevillage", 35.93, 36.63, admin2="1234", alts="Some Village,Somvilaj"),
    "\t".join(geo_row(9900002, "Shortrow", 35.9, 36.6).split("\t")[:18]),  # 18 columns
    geo_row(9900003, "Radiansville", 0.6251, 0.6399),  # coordinates in radians
    geo_row(9900004, "Wrongcountry", 48.0, 9.0),  # in Germany, filed under SY
    geo_row(9900005, "Badfeature", 35.5, 36.5, fcode="XXXX"),
    geo_row("12ab", "Badid", 35.5, 36.5),
    # Saraqib is an embedded cities500 entry: this row complements it
    geo_row(164816, "Saraqib", 35.86447, 36.80591, alts="Saraqeb Junction", pop="0"),
    geo_row(9900006, "Kafr Testaya", 35.81, 36.71, fcode="PPLQ", admin1="12"),
]
IQ_ROWS = [geo_row(9900101, "Otherhamlet", 36.2, 43.1, cc="IQ", admin1="77")]
ADMIN1 = "SY.12\tIdlib\tIdlib\t169387\nIQ.77\tMuhafazat Testprovince\tMuhafazat Testprovince\t0\n"
ADMIN2 = "SY.12.1234\tJisr ash Shughur District\tJisr ash Shughur District\t0\n"
ALTNAMES = "1\t9900001\tar\tسمفيلج\t\t\t\t\t\t\n2\t777777777\ten\tNowhere Place\t\t\t\t\t\t\n"


def write_zip(path: Path, member: str, text: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, text)
    return path


def zip_bytes(member: str, text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, text)
    return buf.getvalue()


@pytest.fixture(scope="session")
def embedded_index() -> Path:
    return base_index(default_cache_dir())


def fresh_cache(root: Path, embedded: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    link = root / embedded.name
    if not link.exists():
        os.symlink(embedded, link)
    return root


@pytest.fixture(scope="module")
def dumps_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("dumps")
    write_zip(d / "SY.zip", "SY.txt", "\n".join(SY_ROWS) + "\n")
    (d / "IQ.txt").write_text("\n".join(IQ_ROWS) + "\n", encoding="utf-8")
    (d / "admin1CodesASCII.txt").write_text(ADMIN1, encoding="utf-8")
    (d / "admin2Codes.txt").write_text(ADMIN2, encoding="utf-8")
    write_zip(d / "alternateNamesV2.zip", "alternateNamesV2.txt", ALTNAMES)
    return d


def invoke(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli_module.cli, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory, dumps_dir: Path, embedded_index: Path):  # type: ignore[no-untyped-def]
    """One cache dir with the dumps added through the CLI: (cache dir, CLI result)."""
    cache = fresh_cache(tmp_path_factory.mktemp("cache"), embedded_index)
    files = [dumps_dir / n for n in ("SY.zip", "IQ.txt", "admin1CodesASCII.txt")]
    files += [dumps_dir / "admin2Codes.txt", dumps_dir / "alternateNamesV2.zip"]
    result = invoke(["gazetteer", "--cache-dir", str(cache), "add", *map(str, files)])
    return cache, result


def test_add_summary_reports_bad_rows_by_file_and_line(merged) -> None:  # type: ignore[no-untyped-def]
    _cache, result = merged
    assert result.exit_code == 0, result.output
    out = result.output
    assert "SY.zip: 3 rows, 2 new places, 1 merged into existing ones, 5 bad rows skipped" in out
    assert "bad rows, outside country: 2" in out
    assert "SY.zip:SY.txt:2: columns: 18 columns, expected 19" in out
    assert "SY.zip:SY.txt:3: outside country" in out  # radians
    assert "SY.zip:SY.txt:4: outside country: 48.0, 9.0" in out
    assert "SY.zip:SY.txt:5: feature: unknown feature class/code 'P.XXXX'" in out
    assert "SY.zip:SY.txt:6: geonameid" in out
    assert "IQ.txt: 1 rows, 1 new places" in out
    assert "CC BY 4.0" in out


def test_village_with_population_0_is_a_candidate(merged) -> None:  # type: ignore[no-untyped-def]
    cache, _ = merged
    gaz = Gazetteer.open(cache)
    hits = {e.id: (e, kind) for e, kind in gaz.candidates("Somevillage")}
    e, kind = hits[9900001]
    assert kind == 0 and e.population == 0 and e.feature == "P.PPL"
    assert (e.country, e.admin1, e.admin1_code) == ("SY", "Idlib", "12")
    assert (e.admin2_code, e.admin2) == ("1234", "Jisr ash Shughur District")
    assert any(x.id == 9900001 for x, _ in gaz.candidates("Some Village"))
    assert any(x.id == 9900001 for x, _ in gaz.candidates("سمفيلج"))  # alternateNamesV2
    assert gaz.get(9900006) is not None and gaz.get(9900006).feature == "P.PPLQ"  # type: ignore[union-attr]
    iq = gaz.get(9900101)
    assert iq is not None and iq.admin1 == "Testprovince"  # from admin1CodesASCII, cleaned
    for bad in (9900002, 9900003, 9900004, 9900005, 777777777):
        assert gaz.get(bad) is None


def test_existing_entry_is_complemented_not_replaced(merged, embedded_index: Path) -> None:  # type: ignore[no-untyped-def]
    cache, _ = merged
    before = Gazetteer(embedded_index).get(164816)
    after = Gazetteer.open(cache).get(164816)
    assert before is not None and after is not None
    assert (after.name, after.lat, after.lon, after.population, after.feature) == (
        before.name,
        before.lat,
        before.lon,
        before.population,
        before.feature,
    )
    assert after.admin1_code == "12" and before.admin1_code == ""
    assert any(e.id == 164816 for e, _ in Gazetteer.open(cache).candidates("Saraqeb Junction"))
    # embedded entries keep their names, and gain their codes from cities500
    assert any(e.id == 164816 for e, _ in Gazetteer.open(cache).candidates("Saraqib"))
    damascus = Gazetteer.open(cache).get(170654)
    assert damascus is not None and damascus.admin1_code == "13"


def test_reopen_does_not_rebuild_and_default_is_untouched(merged, embedded_index: Path) -> None:  # type: ignore[no-untyped-def]
    cache, _ = merged
    path = index_path(cache)
    assert path.name.startswith(DATA_VERSION + "+") and path.exists()
    stamp = path.stat().st_mtime_ns
    gaz = Gazetteer.open(cache)
    assert gaz.path == path and gaz.version == path.stem
    assert path.stat().st_mtime_ns == stamp
    assert not list(cache.glob("*.tmp*"))
    assert Gazetteer(embedded_index).get(9900001) is None  # the embedded index is not changed


def test_readding_the_same_file_does_nothing(merged, dumps_dir: Path) -> None:  # type: ignore[no-untyped-def]
    cache, _ = merged
    n = len(read_sources(cache))
    result = invoke(["gazetteer", "--cache-dir", str(cache), "add", str(dumps_dir / "IQ.txt")])
    assert result.exit_code == 0
    assert "already added" in result.output and "nothing new" in result.output
    assert len(read_sources(cache)) == n


def test_info_lists_sources_and_countries(merged) -> None:  # type: ignore[no-untyped-def]
    cache, _ = merged
    result = invoke(["gazetteer", "--cache-dir", str(cache), "info"])
    assert result.exit_code == 0
    assert "SY.zip" in result.output and "admin2Codes.txt" in result.output
    assert "sha256" in result.output and DATA_VERSION in result.output
    assert str(index_path(cache)) in result.output
    data = json.loads(invoke(["gazetteer", "--cache-dir", str(cache), "info", "--json"]).output)
    assert data["countries"]["IQ"]["from_files"] == 1
    assert data["countries"]["SY"]["from_files"] == 3
    sy = next(s for s in data["sources"] if s["name"] == "SY.zip")
    assert sy["rows"] == 3 and sy["bad"] == 5 and len(sy["sha256"]) == 64


def test_bad_paths_are_one_line_errors(tmp_path: Path, embedded_index: Path) -> None:
    cache = fresh_cache(tmp_path / "c", embedded_index)
    (tmp_path / "SY.zip").write_bytes(b"not a zip at all")
    (tmp_path / "notes.txt").write_text("hello\nworld\n", encoding="utf-8")
    for arg, words in (
        (str(tmp_path / "missing.zip"), "no such file"),
        (str(tmp_path / "SY.zip"), "not a zip file"),
        (str(tmp_path / "notes.txt"), "not a GeoNames geoname dump"),
    ):
        result = invoke(["gazetteer", "--cache-dir", str(cache), "add", arg])
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("fftrack: error: ") and words in result.stderr
        assert "Traceback" not in result.output + result.stderr
    assert read_sources(cache) == []


def test_remove_goes_back_to_the_default(tmp_path: Path, embedded_index: Path) -> None:
    cache = fresh_cache(tmp_path / "c", embedded_index)
    fake = [{"path": "/x/SY.zip", "sha256": "0" * 64}]
    (cache / "gazetteer-sources.json").write_text(json.dumps({"sources": fake}), "utf-8")
    index_path(cache).write_bytes(b"")
    result = invoke(["gazetteer", "--cache-dir", str(cache), "remove"])
    assert result.exit_code == 0 and "back to the embedded default" in result.output
    assert read_sources(cache) == [] and not list(cache.glob("*+*.sqlite"))
    assert Gazetteer.open(cache).path == cache / embedded_index.name
    assert Gazetteer.open(cache).version == DATA_VERSION
    assert remove_sources(cache) == []


def test_missing_merged_index_is_rebuilt_from_the_manifest(
    tmp_path: Path, dumps_dir: Path, embedded_index: Path
) -> None:
    cache = fresh_cache(tmp_path / "c", embedded_index)
    report = add_sources(cache, [dumps_dir / "IQ.txt"])
    assert report.report is not None and report.report.rows == 1
    report.index.unlink()
    gaz = Gazetteer.open(cache)  # builds it again, once
    assert gaz.path == report.index and gaz.get(9900101) is not None


def test_classify_recognises_the_published_file_names(dumps_dir: Path) -> None:
    assert classify(dumps_dir / "SY.zip").member == "SY.txt"
    assert classify(dumps_dir / "admin2Codes.txt").kind == "admin2"
    assert classify(dumps_dir / "alternateNamesV2.zip").kind == "altnames"
    with pytest.raises(DumpError):
        classify(dumps_dir / "nope.zip")


# -- download from a loopback server ---------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    truncate_once: set[str] = set()
    requests: list[tuple[str, str | None]] = []

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        name = self.path.rsplit("/", 1)[-1]
        self.requests.append((name, self.headers.get("Range")))
        body = self.files.get(name)
        if body is None:
            self.send_error(404)
            return
        rng = self.headers.get("Range")
        start = int(rng.split("=")[1].split("-")[0]) if rng else 0
        if start:
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        chunk = body[start:]
        self.send_header("Content-Length", str(len(chunk)))
        self.end_headers()
        if name in self.truncate_once:
            self.truncate_once.discard(name)
            self.wfile.write(chunk[: len(chunk) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(chunk)


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(fetch._LIMITER, "interval", 0.0)
    _Handler.files = {
        "SY.zip": zip_bytes("SY.txt", "\n".join(SY_ROWS * 40) + "\n"),
        "IQ.zip": zip_bytes("IQ.txt", "\n".join(IQ_ROWS) + "\n"),
        "admin1CodesASCII.txt": ADMIN1.encode(),
        "admin2Codes.txt": ADMIN2.encode(),
        "XX.zip": b"<html><body>Not found, but 200</body></html>",
    }
    _Handler.truncate_once = set()
    _Handler.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/export/dump"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_download_resumes_a_truncated_response(server: str, tmp_path: Path) -> None:
    _Handler.truncate_once = {"SY.zip"}
    dest = tmp_path / "SY.zip"
    with pytest.raises(FetchError, match="run again to resume"):
        download_file(f"{server}/SY.zip", dest, allow_private=True)
    part = part_path(dest)
    n = part.stat().st_size
    assert 0 < n < len(_Handler.files["SY.zip"])
    got = download_geonames(["sy"], tmp_path, base_url=server, allow_private=True)
    assert [p.name for p in got] == ["SY.zip", "admin1CodesASCII.txt", "admin2Codes.txt"]
    assert dest.read_bytes() == _Handler.files["SY.zip"] and not part.exists()
    assert ("SY.zip", f"bytes={n}-") in _Handler.requests


def test_download_resumes_from_an_existing_part_file(server: str, tmp_path: Path) -> None:
    body = _Handler.files["IQ.zip"]
    part_path(tmp_path / "IQ.zip").write_bytes(body[:100])
    download_file(f"{server}/IQ.zip", tmp_path / "IQ.zip", allow_private=True)
    assert (tmp_path / "IQ.zip").read_bytes() == body
    assert _Handler.requests == [("IQ.zip", "bytes=100-")]


def test_download_refuses_a_body_that_is_not_a_dump(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="not a zip file"):
        download_geonames(["XX"], tmp_path, base_url=server, allow_private=True)
    assert not (tmp_path / "XX.zip").exists() and not part_path(tmp_path / "XX.zip").exists()
    with pytest.raises(FetchError, match="HTTP 404"):
        download_geonames(["QQ"], tmp_path, base_url=server, allow_private=True)


def test_download_refuses_loopback_unless_allowed(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="non-public"):
        download_file(f"{server}/IQ.zip", tmp_path / "IQ.zip")


def test_cli_download_then_add(
    server: str, tmp_path: Path, embedded_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = fresh_cache(tmp_path / "c", embedded_index)
    monkeypatch.setenv("FFTRACK_GEONAMES_URL", server)
    args = ["gazetteer", "--cache-dir", str(cache), "download", "--allow-private"]
    result = invoke([*args, "IQ"])
    assert result.exit_code == 0, result.output + result.stderr
    assert "IQ.zip: 1 rows, 1 new places" in result.output
    assert Gazetteer.open(cache).get(9900101) is not None
    assert {s["name"] for s in read_sources(cache)} == {
        "IQ.zip",
        "admin1CodesASCII.txt",
        "admin2Codes.txt",
    }
    bad = invoke([*args, "XX"])
    assert bad.exit_code == 1 and bad.stderr.startswith("fftrack: error: ")
    assert "not a zip file" in bad.stderr and "Traceback" not in bad.stderr
    assert invoke([*args, "Syria"]).exit_code == 2
    monkeypatch.setenv("FFTRACK_GEONAMES_URL", "http://127.0.0.1:9/none")
    down = invoke([*args, "--refresh", "IQ"])
    assert down.exit_code == 1 and "network error" in down.stderr
