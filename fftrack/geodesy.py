"""Distances on the globe: one great-circle formula for every stage that measures one.

Kept apart from ``geo/`` (which loads gazetteers and the recogniser) so that ``resolve/``
and ``export/`` can measure a distance without importing the geoparser.
"""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


__all__ = ["EARTH_RADIUS_KM", "haversine_km"]
