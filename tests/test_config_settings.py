"""The one settings object: typed conversion, errors naming the setting and its source,
the settings the web app and the actor resolver read, and the README's table of them."""

import os
import re
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from fftrack.cli import cli
from fftrack.config import Config, env_var, load_config, settings, using
from fftrack.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "raw, expected",
    [("true", True), ("YES", True), (" on ", True), ("1", True), ("false", False), ("0", False)],
)
def test_boolean_words(raw, expected):
    assert load_config(env={"FFTRACK_ALLOW_PRIVATE": raw}).allow_private is expected


def test_a_typo_in_a_boolean_is_an_error_naming_the_variable():
    with pytest.raises(ConfigError) as err:
        load_config(env={"FFTRACK_ALLOW_PRIVATE": "ture"})
    message = str(err.value)
    assert "allow_private" in message and "FFTRACK_ALLOW_PRIVATE" in message
    assert "'ture'" in message and "boolean" in message and "\n" not in message


def test_a_bad_number_names_the_config_file(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text('[fftrack]\nfetch_timeout = "soon"\n')
    with pytest.raises(ConfigError, match=r"fetch_timeout \(config file .*c\.toml\).*number"):
        load_config(f, env={})
    f.write_text("[fftrack]\nbatch_size = 2.5\n")
    with pytest.raises(ConfigError, match="batch_size.*whole number"):
        load_config(f, env={})
    f.write_text('[fftrack]\nallow_private = "ture"\n')
    with pytest.raises(ConfigError, match="allow_private.*config file"):
        load_config(f, env={})


def test_a_bad_flag_value_names_the_flag():
    with pytest.raises(ConfigError, match=r"batch_size \(flag --batch-size\)"):
        load_config(overrides={"batch_size": "many"}, env={})


def test_out_of_range_names_its_source():
    with pytest.raises(ConfigError, match=r"batch_size must be >= 1, got 0 \(environment"):
        load_config(env={"FFTRACK_BATCH_SIZE": "0"})
    with pytest.raises(ConfigError, match="web_cache_mb must be >= 0"):
        load_config(env={"FFTRACK_WEB_CACHE_MB": "-1"})
    with pytest.raises(ConfigError, match="finite"):
        load_config(env={"FFTRACK_WEB_CACHE_MB": "nan"})


def test_types_convert_from_every_source(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    cfg = load_config(
        env={
            "FFTRACK_ACTORS": f"{a}{os.pathsep}{os.pathsep}{b}",
            "FFTRACK_WEB_CACHE_MB": "0.5",
            "FFTRACK_PART_CHARS": "50000",
            "FFTRACK_CACHE_DIR": str(tmp_path),
        }
    )
    assert cfg.actors == (a, b)
    assert cfg.web_cache_bytes == 512 * 1024 and cfg.part_chars == 50_000
    assert cfg.cache_dir == tmp_path
    f = tmp_path / "c.toml"
    f.write_text(f'[fftrack]\nactors = ["{a}"]\nweb_assets = "{tmp_path}"\ncache_dir = ""\n')
    cfg = load_config(f, env={})
    assert cfg.actors == (a,) and cfg.web_assets == tmp_path and cfg.cache_dir is None


def test_cli_bad_setting_is_exit_2_one_line(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "x.db")
    result = runner.invoke(cli, ["--db", db, "stats"], env={"FFTRACK_ALLOW_PRIVATE": "ture"})
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fftrack: error: bad value for allow_private")
    assert "FFTRACK_ALLOW_PRIVATE" in lines[0]
    conf = tmp_path / "c.toml"
    conf.write_text('web_cache_mb = "lots"\n')
    result = runner.invoke(cli, ["--config", str(conf), "--db", db, "stats"], env={})
    assert result.exit_code == 2 and "web_cache_mb" in result.output and "c.toml" in result.output
    result = runner.invoke(cli, ["--db", db, "stats"], env={"FFTRACK_WEB_CACHE_MB": "lots"})
    assert result.exit_code == 2 and "FFTRACK_WEB_CACHE_MB" in result.output


def test_settings_in_force_are_the_installed_ones():
    mine = Config(web_cache_mb=1.0)
    with using(mine):
        assert settings() is mine
    assert settings() is not mine


def _empty_store(path: Path) -> Path:
    from fftrack.store import Store

    with Store.open(path):
        pass
    return path


def test_web_cache_size_comes_from_the_settings(tmp_path, monkeypatch):
    from fftrack.web.app import create_app

    db = _empty_store(tmp_path / "s.db")
    monkeypatch.setenv("FFTRACK_WEB_CACHE_MB", "2")
    assert create_app(db).state.cache.max_bytes == 2 * 1024 * 1024
    monkeypatch.setenv("FFTRACK_WEB_CACHE_MB", "0")
    assert create_app(db).state.cache.max_bytes == 0
    with using(Config(web_cache_mb=3)):
        assert create_app(db).state.cache.max_bytes == 3 * 1024 * 1024
    assert create_app(db, cache_bytes=5).state.cache.max_bytes == 5
    monkeypatch.setenv("FFTRACK_WEB_CACHE_MB", "lots")  # was a warning, now an error
    with pytest.raises(ConfigError, match="FFTRACK_WEB_CACHE_MB"):
        create_app(db)


def test_web_assets_folder_comes_from_the_settings(tmp_path, monkeypatch):
    from fftrack.web.assets import REQUIRED, find_assets_dir

    for rel in REQUIRED:
        (tmp_path / "nm" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "nm" / rel).write_text("x")
    monkeypatch.setenv("FFTRACK_WEB_ASSETS", str(tmp_path / "nm"))
    assert find_assets_dir() == (tmp_path / "nm").resolve()
    monkeypatch.delenv("FFTRACK_WEB_ASSETS")
    with using(Config(web_assets=tmp_path / "nm")):
        assert find_assets_dir() == (tmp_path / "nm").resolve()


def test_actor_tables_come_from_the_settings(tmp_path):
    from fftrack.resolve import ActorResolver

    p = tmp_path / "mine.yaml"
    p.write_text("Jaysh al-Fatah:\n  aliases: [Army of Conquest]\n", encoding="utf-8")
    with using(Config(actors=(p,))):
        assert ActorResolver().resolve("Army of Conquest").canonical == "Jaysh al-Fatah"
    r = ActorResolver(config=Config(actors=(p,)))
    assert r.resolve("Army of Conquest").method == "user"
    assert ActorResolver(config=Config()).resolve("Army of Conquest").method != "user"


def _readme_settings_rows() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        m = re.match(r"\| `([a-z_]+)` \| `(FFTRACK_[A-Z_]+)` \|", line)
        if m:
            rows[m.group(1)] = line
    return rows


def test_every_setting_is_in_the_readme_table():
    rows = _readme_settings_rows()
    for f in fields(Config):
        assert f.name in rows, f"README's settings table lacks {f.name}"
        assert f"`{env_var(f.name)}`" in rows[f.name]
        assert f.metadata.get("meaning"), f"{f.name} has no meaning to list"
    assert set(rows) == {f.name for f in fields(Config)}
