"""Downloading large files (GeoNames dumps) resumably, with the guards of ``fetch``.

``download_file(url, dest)`` streams into ``dest + ".part"``; when a ``.part`` is
already there it asks for the rest (HTTP ``Range``) and appends, or starts over when the
server ignores the range. The size is checked against ``Content-Length`` /
``Content-Range``; a short body keeps the ``.part`` (the next run resumes) and raises
:class:`~fftrack.errors.FetchError`. ``check(part)`` may verify the format before the
``.part`` is renamed to ``dest``. Host checks (http/https only, public addresses unless
``allow_private``), pinned addresses, redirects by hand and the per-host rate limit are
those of :mod:`fftrack.ingest.fetch`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

import httpx

from fftrack.errors import FetchError
from fftrack.ingest.fetch import (
    _LIMITER,
    DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
    RateLimiter,
    _one_line,
    check_status,
    redirect_target,
    send_pinned,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_DOWNLOAD = 4_000_000_000  # allCountries.zip is about 400 MB
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")


def part_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part")


def download_file(
    url: str,
    dest: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_DOWNLOAD,
    allow_private: bool = False,
    user_agent: str = DEFAULT_USER_AGENT,
    max_redirects: int = 5,
    rate_limiter: RateLimiter | None = None,
    transport: httpx.BaseTransport | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    check: Callable[[Path], None] | None = None,
) -> Path:
    """Download ``url`` to ``dest`` (resuming a ``.part``); returns ``dest``.

    ``progress(bytes_so_far, total_or_None)`` is called as data arrives. ``check(path)``
    raises to refuse the completed file (the ``.part`` is then deleted). Anything that
    goes wrong is a one-line :class:`FetchError`.
    """
    part = part_path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        _download(
            url,
            part,
            timeout=timeout,
            max_bytes=max_bytes,
            allow_private=allow_private,
            user_agent=user_agent,
            max_redirects=max_redirects,
            limiter=rate_limiter or _LIMITER,
            transport=transport,
            progress=progress,
        )
    except FetchError:
        raise
    except OSError as exc:
        raise FetchError(f"cannot write {part}: {exc}", source=url) from exc
    if check is not None:
        try:
            check(part)
        except Exception as exc:
            part.unlink(missing_ok=True)
            raise FetchError(f"refused: {_one_line(exc)}", source=url) from exc
    os.replace(part, dest)
    return dest


def _download(
    url: str,
    part: Path,
    *,
    timeout: float,
    max_bytes: int,
    allow_private: bool,
    user_agent: str,
    max_redirects: int,
    limiter: RateLimiter,
    transport: httpx.BaseTransport | None,
    progress: Callable[[int, int | None], None] | None,
) -> None:
    offset = part.stat().st_size if part.exists() else 0
    current = url
    with httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
        transport=transport,
    ) as client:
        for _hop in range(max_redirects + 1):
            headers = {"User-Agent": user_agent, "Accept-Encoding": "identity"}
            if offset:
                headers["Range"] = f"bytes={offset}-"
            response = send_pinned(
                client,
                current,
                headers,
                allow_private=allow_private,
                limiter=limiter,
                timeout=timeout,
                source=url,
            )
            try:
                target = redirect_target(response, current, url)
                if target is not None:
                    current = target
                    continue
                if response.status_code == 416 and offset:
                    # the .part is as long as the file, or longer: start over
                    log.info("%s: range not satisfiable, downloading again", url)
                    part.unlink(missing_ok=True)
                    offset = 0
                    continue
                check_status(response, url)
                _save(response, part, offset, max_bytes, url, timeout, progress)
                return
            finally:
                response.close()
    raise FetchError(f"too many redirects (more than {max_redirects})", source=url)


def _save(
    response: httpx.Response,
    part: Path,
    offset: int,
    max_bytes: int,
    url: str,
    timeout: float,
    progress: Callable[[int, int | None], None] | None,
) -> None:
    total: int | None = None
    if response.status_code == 206:
        m = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
        if m is None or int(m.group(1)) != offset:
            raise FetchError("bad Content-Range in a resumed download", source=url)
        total = int(m.group(3)) if m.group(3) != "*" else None
        mode = "ab"
    else:  # 200: the whole file (the server ignored the range)
        offset = 0
        declared = response.headers.get("content-length", "").strip()
        total = int(declared) if declared.isdigit() else None
        mode = "wb"
    if total is not None and total > max_bytes:
        raise FetchError(f"too large: {total} bytes (limit {max_bytes})", source=url)
    size = offset
    with open(part, mode) as f:
        try:
            for chunk in response.iter_raw():  # as received: a cut leaves all it got
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"too large: over {max_bytes} bytes", source=url)
                f.write(chunk)
                if progress is not None:
                    progress(size, total)
        except httpx.TimeoutException as exc:
            raise FetchError(
                f"timed out after {timeout:g} s at {size} bytes; run again to resume", source=url
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchError(
                f"interrupted at {size} of {total or '?'} bytes ({_one_line(exc)});"
                " run again to resume",
                source=url,
            ) from exc
    if total is not None and size != total:
        raise FetchError(
            f"incomplete: got {size} of {total} bytes; run again to resume", source=url
        )
    if size == 0:
        part.unlink(missing_ok=True)
        raise FetchError("empty response", source=url)


GEONAMES_URL = "https://download.geonames.org/export/dump"
GEONAMES_ADMIN_FILES = ("admin1CodesASCII.txt", "admin2Codes.txt")
_GEONAMES_BIG = re.compile(r"^(allCountries|cities(500|1000|5000|15000)|alternateNamesV2)$")


def geonames_file_names(codes: list[str]) -> list[str]:
    """File names to fetch for ``codes`` (country codes, or ``allCountries``, ``cities500``,
    ...): ``CC.zip`` each, then the admin code files. Raises ValueError for a bad code."""
    names: list[str] = []
    for code in codes:
        c = code.strip()
        if re.fullmatch(r"[A-Za-z]{2}", c):
            c = c.upper()
        elif not _GEONAMES_BIG.match(c):
            raise ValueError(
                f"not a country code or GeoNames dump name: {code!r} "
                "(two letters such as SY, or allCountries, cities500, ...)"
            )
        if f"{c}.zip" not in names:
            names.append(f"{c}.zip")
    return names + list(GEONAMES_ADMIN_FILES)


def download_geonames(
    codes: list[str],
    dest_dir: Path,
    *,
    base_url: str = GEONAMES_URL,
    refresh: bool = False,
    on_file: Callable[[str], None] | None = None,
    **kwargs: object,
) -> list[Path]:
    """Download GeoNames dump files for ``codes`` into ``dest_dir``; returns their paths.

    Each file is size-checked while downloading and format-checked after (a zip whose
    member ``CC.txt`` has 19-column rows; admin files with 4 columns) before it takes
    its final name. Files already in ``dest_dir`` are kept unless ``refresh``.
    ``kwargs`` go to :func:`download_file`.
    """
    from fftrack.geo.dumps import classify

    try:
        names = geonames_file_names(codes)
    except ValueError as exc:
        from fftrack.errors import UsageError

        raise UsageError(str(exc)) from exc
    out: list[Path] = []
    for name in names:
        dest = dest_dir / name
        if dest.exists() and not refresh:
            log.info("%s: already downloaded", dest)
            out.append(dest)
            continue
        if on_file is not None:
            on_file(name)

        def check(part: Path, name: str = name) -> None:
            classify(part, name=name)

        url = f"{base_url.rstrip('/')}/{name}"
        out.append(download_file(url, dest, check=check, **kwargs))  # type: ignore[arg-type]
    return out
