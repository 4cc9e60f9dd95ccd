"""Where the browser libraries come from: npm packages installed by ``make`` (not committed).

``make install`` runs ``npm ci`` at the repository root, so ``node_modules/`` holds
leaflet, leaflet.markercluster, topojson-client, world-atlas and swagger-ui-dist. The app
serves files from an allow-list of those packages only. ``FFTRACK_WEB_ASSETS`` may point
at another ``node_modules`` directory (for an installed, non-editable package).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from fftrack.config import settings

log = logging.getLogger(__name__)

PACKAGES = (
    "leaflet",
    "leaflet.markercluster",
    "topojson-client",
    "world-atlas",
    "swagger-ui-dist",
)
EXTENSIONS = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
# files the map page cannot work without
REQUIRED = (
    "leaflet/dist/leaflet.js",
    "leaflet/dist/leaflet.css",
    "leaflet.markercluster/dist/leaflet.markercluster.js",
    "topojson-client/dist/topojson-client.min.js",
    "world-atlas/countries-50m.json",
)


def find_assets_dir(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The first ``node_modules`` directory that holds the required files, or None.

    An ``explicit`` directory is the only one tried; otherwise the ``web_assets`` setting
    (``FFTRACK_WEB_ASSETS``),
    then ``fftrack/web/vendor``, then the repository's ``node_modules``."""
    candidates: list[Path] = []
    here = Path(__file__).resolve()
    if explicit:
        candidates.append(Path(explicit))
    else:
        configured = settings().web_assets  # the web_assets setting, FFTRACK_WEB_ASSETS
        if configured is not None:
            candidates.append(configured)
        candidates.append(here.parent / "vendor")
        candidates.append(here.parents[2] / "node_modules")
    for c in candidates:
        if all((c / r).is_file() for r in REQUIRED):
            return c.resolve()
    log.warning(
        "web assets not found (looked in %s); run `make install` (npm ci) for the map page",
        ", ".join(str(c) for c in candidates),
    )
    return None


def resolve_asset(root: Path | None, package: str, path: str) -> Path | None:
    """The file for ``/vendor/{package}/{path}``, or None if not allowed or absent."""
    if root is None or package not in PACKAGES:
        return None
    if not path or "\\" in path or "\x00" in path:
        return None
    base = (root / package).resolve()
    target = (base / path).resolve()
    if not target.is_relative_to(base) or target.suffix not in EXTENSIONS:
        return None
    return target if target.is_file() else None
