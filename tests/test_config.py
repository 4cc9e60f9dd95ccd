from pathlib import Path

import pytest

from fftrack.config import Config, load_config
from fftrack.errors import ConfigError


def test_defaults():
    cfg = load_config(env={})
    assert cfg == Config()
    assert cfg.db == Path("fftrack.db")


def test_precedence_file_env_override(tmp_path):
    f = tmp_path / "fftrack.toml"
    f.write_text('[fftrack]\ndb = "from_file.db"\nbatch_size = 8\n')
    cfg = load_config(f, env={})
    assert cfg.db == Path("from_file.db") and cfg.batch_size == 8
    cfg = load_config(f, env={"FFTRACK_DB": "from_env.db"})
    assert cfg.db == Path("from_env.db") and cfg.batch_size == 8
    cfg = load_config(f, overrides={"db": "cli.db"}, env={"FFTRACK_DB": "from_env.db"})
    assert cfg.db == Path("cli.db")


@pytest.mark.parametrize(
    "content, message",
    [
        ("batch_size = 0", "batch_size"),
        ("nonsense = 1", "unknown setting"),
        ("batch_size = [", "not valid TOML"),
        ('batch_size = "many"', "bad value"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path, content, message):
    f = tmp_path / "c.toml"
    f.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_config(f, env={})


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", env={})
