"""Actor resolution: every way sources name an actor, clustered to one canonical actor.

``ActorResolver.resolve(name)`` goes through, in order:

1. the user's alias tables (YAML files given as ``extra_paths`` or in the ``actors`` setting:
   the ``FFTRACK_ACTORS`` environment variable, ``os.pathsep``-separated, or a list in the
   config file) - a user's table wins over the curated one;
2. the curated table (``fftrack.extract.actors.normalize_actor``, which reads
   ``fftrack/data/actors.yaml``), plus the aliases read from that YAML for fuzzy matching;
3. state forces by country: "Iraqi army", "Syrian government forces", "Turkish troops"
   -> "Military Forces of Iraq" (ACLED's naming), "Iraqi police" -> "Police Forces of Iraq";
4. fuzzy, transliteration-aware matching against every known alias: names are folded to a
   key (accents stripped, apostrophes and hyphens dropped, Arabic article variants
   al-/el-/ad-/ash-... unified, common romanisation pairs folded: ou/u, ee/i, q/k, kh/k,
   double letters) and compared with rapidfuzz (``fuzz.ratio`` >= 90 on the folded keys,
   or an identical consonant skeleton of >= 5 letters). Names shorter than 5 letters (IS,
   ISIL, HTS) only ever match exactly: a fuzzy match on an acronym is a guess.

rapidfuzz was chosen over jellyfish and rigour: it is already a pinned dependency (no new
install), it is a compiled, MIT-licensed library with the edit-distance and token ratios we
need and batch ``process.extractOne`` over thousands of aliases in microseconds; jellyfish
adds phonetic codes (Soundex/Metaphone) that are tuned for English surnames, not for
romanised Arabic/Persian/Russian group names, and rigour/nomenklatura pull in a large
dependency tree built for person/company sanctions matching, which is not our job (people
appear only as named actors, see DEVELOPERS.md). The transliteration folding above is ours
and small enough to read.

Names that match nothing are their own canonical actor (cleaned). ``cluster_names`` also
groups such unknown names with each other (deterministically: by frequency, then name).
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fftrack.config import Config, load_config, settings
from fftrack.errors import ConfigError
from fftrack.folding import strip_marks

if TYPE_CHECKING:
    from fftrack.resolve.merged import Row

log = logging.getLogger(__name__)

ALGORITHM = "resolve.actors.v1"
FUZZY_MIN = 90.0
MIN_FUZZY_LEN = 5

# Demonyms of the countries fftrack's sources report on most; extend as needed.
DEMONYMS: dict[str, tuple[str, str]] = {
    "afghan": ("AF", "Afghanistan"),
    "algerian": ("DZ", "Algeria"),
    "american": ("US", "United States"),
    "us": ("US", "United States"),
    "u.s.": ("US", "United States"),
    "british": ("GB", "United Kingdom"),
    "uk": ("GB", "United Kingdom"),
    "burkinabe": ("BF", "Burkina Faso"),
    "chadian": ("TD", "Chad"),
    "egyptian": ("EG", "Egypt"),
    "ethiopian": ("ET", "Ethiopia"),
    "french": ("FR", "France"),
    "indian": ("IN", "India"),
    "iranian": ("IR", "Iran"),
    "iraqi": ("IQ", "Iraq"),
    "israeli": ("IL", "Israel"),
    "jordanian": ("JO", "Jordan"),
    "kenyan": ("KE", "Kenya"),
    "lebanese": ("LB", "Lebanon"),
    "libyan": ("LY", "Libya"),
    "malian": ("ML", "Mali"),
    "nigerian": ("NG", "Nigeria"),
    "nigerien": ("NE", "Niger"),
    "pakistani": ("PK", "Pakistan"),
    "russian": ("RU", "Russia"),
    "saudi": ("SA", "Saudi Arabia"),
    "somali": ("SO", "Somalia"),
    "sudanese": ("SD", "Sudan"),
    "syrian": ("SY", "Syria"),
    "tunisian": ("TN", "Tunisia"),
    "turkish": ("TR", "Turkey"),
    "ukrainian": ("UA", "Ukraine"),
    "yemeni": ("YE", "Yemen"),
}
_MILITARY = (
    "army|armed forces|forces|troops|military|soldiers|security forces|government forces"
    "|regime forces|air force|airforce|warplanes|jets|navy|special forces"
)
_POLICE = "police|police forces|policemen|gendarmerie"
_STATE_RE = re.compile(
    r"^(?:the\s+)?(?P<dem>[a-z.]+)\s+(?:(?:government|regime|state)\s+)?(?P<what>"
    + _MILITARY
    + "|"
    + _POLICE
    + r")$"
)

_APOS = re.compile(r"[\u2018\u2019\u02bc\u02bf\u02be'`\u00b4]")
_NONWORD = re.compile(r"[^0-9a-z ]+")
_ARTICLE = re.compile(r"\b(?:al|el|ad|ed|ash|esh|as|es|ar|er|at|et|az|ez|an|en|ul)\s+(?=\w{3})")
_FOLDS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("kh", "k"), ("q", "k"), ("dh", "d"), ("ph", "f"))
_DOUBLE = re.compile(r"([a-z])\1+")


def fold(name: str) -> str:
    """Case-, accent- and transliteration-folded key of a name."""
    s = strip_marks(name).casefold()
    s = _APOS.sub("", s)
    s = s.replace("-", " ").replace(".", "")
    s = _NONWORD.sub(" ", s)
    s = " ".join(s.split())
    if s.startswith("the "):
        s = s[4:]
    s = _ARTICLE.sub("al ", s)
    for a, b in _FOLDS:
        s = s.replace(a, b)
    s = _DOUBLE.sub(r"\1", s)
    return s


def skeleton(key: str) -> str:
    """Consonant skeleton of a folded key (vowels and spaces dropped)."""
    return re.sub(r"[aeiouy ]", "", key)


# Descriptions that name no particular actor: never evidence that two events share one.
GENERIC = frozenset(
    fold(x)
    for x in (
        "the group",
        "group",
        "militants",
        "gunmen",
        "attackers",
        "assailants",
        "fighters",
        "insurgents",
        "rebels",
        "jihadists",
        "terrorists",
        "unknown",
        "unidentified gunmen",
        "armed men",
        "a suicide bomber",
        "suicide bomber",
        "bomber",
        "the militants",
        "security forces",
        "forces",
        "troops",
        "soldiers",
        "police",
        "civilians",
    )
)


def is_generic(name: str) -> bool:
    return fold(name) in GENERIC


def clean(name: str) -> str:
    return " ".join(name.split()).strip(" .,;:")


@dataclass(frozen=True)
class ResolvedActor:
    """An actor name resolved: canonical name, kind, country, and how it was matched."""

    canonical: str
    kind: str | None
    country: str | None
    method: str  # user, curated, state, fuzzy, normalized, unknown
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "canonical": self.canonical,
            "kind": self.kind,
            "country": self.country,
            "method": self.method,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True)
class _Entry:
    canonical: str
    kind: str | None
    country: str | None
    source: str  # user | curated


def load_alias_file(path: str | os.PathLike[str], source: str = "user") -> list[tuple[str, _Entry]]:
    """Read an alias YAML file: ``(alias, entry)`` pairs.

    Accepted shapes: a mapping ``canonical: {aliases: [...], kind: ..., country: ...}``
    (or ``canonical: [aliases]``), or a list of ``{name|canonical, aliases, kind, country}``;
    either may sit under a top-level ``actors:`` key.
    """
    import yaml

    p = Path(path).expanduser()
    try:
        # libyaml's parser where PyYAML was built with it (the same data, a sixth of the time)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=loader)
    except FileNotFoundError as exc:
        raise ConfigError(f"actor alias file not found: {p}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"actor alias file {p} is not valid YAML: {exc}") from exc
    if isinstance(data, dict) and "actors" in data and len(data) <= 2:
        data = data["actors"]
    items: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        for it in data:
            if isinstance(it, dict):
                name = it.get("canonical") or it.get("name")
                if name:
                    items.append((str(name), it))
    elif data is not None:
        raise ConfigError(f"actor alias file {p}: expected a mapping or a list")
    out: list[tuple[str, _Entry]] = []
    for canonical, spec in items:
        aliases: list[str] = []
        kind = country = None
        if isinstance(spec, dict):
            aliases = [str(a) for a in (spec.get("aliases") or [])]
            kind = spec.get("kind")
            country = spec.get("country")
        elif isinstance(spec, list):
            aliases = [str(a) for a in spec]
        entry = _Entry(str(canonical), kind, country.upper() if country else None, source)
        for alias in [str(canonical), *aliases]:
            out.append((alias, entry))
    return out


def _curated_paths() -> list[Path]:
    p = Path(__file__).resolve().parents[1] / "data" / "actors.yaml"
    return [p] if p.is_file() else []


@functools.lru_cache(maxsize=1)
def _curated_entries() -> tuple[tuple[str, _Entry], ...]:
    """The curated table's (folded alias, entry) pairs, read once per process."""
    out: list[tuple[str, _Entry]] = []
    for path in _curated_paths():
        try:
            out.extend((fold(alias), entry) for alias, entry in load_alias_file(path, "curated"))
        except ConfigError as exc:
            log.warning("cannot read the curated actor table: %s", exc)
    return tuple(out)


class ActorResolver:
    """Resolves actor names to canonical actors (see the module docstring)."""

    def __init__(
        self,
        extra_paths: Sequence[str | os.PathLike[str]] | None = None,
        *,
        use_curated: bool = True,
        env: Mapping[str, str] | None = None,
        fuzzy_min: float = FUZZY_MIN,
        config: Config | None = None,
    ) -> None:
        # the user's tables of the ``actors`` setting (FFTRACK_ACTORS): from ``config``, or
        # the settings over ``env``, or the settings in force
        if config is None:
            config = settings() if env is None else load_config(env=env)
        paths: list[str | os.PathLike[str]] = list(extra_paths or [])
        paths.extend(config.actors)
        self.fuzzy_min = fuzzy_min
        self._exact: dict[str, _Entry] = {}
        self._normalize: Any = None
        # user tables first: the first entry for a key wins
        for path in paths:
            for alias, entry in load_alias_file(path, "user"):
                self._exact.setdefault(fold(alias), entry)
        if use_curated:
            try:
                # the package first, not the submodule: a thread that takes a submodule's
                # import lock before its package's can deadlock with one importing the package
                from fftrack.extract import normalize_actor

                self._normalize = normalize_actor
            except ImportError:
                log.debug("fftrack.extract.actors not available: curated table via YAML only")
            for alias_key, entry in _curated_entries():
                self._exact.setdefault(alias_key, entry)
        self._keys = [k for k in self._exact if len(k.replace(" ", "")) >= MIN_FUZZY_LEN]
        self._skeletons: dict[str, str] = {}
        for k in self._keys:
            sk = skeleton(k)
            if len(sk) >= MIN_FUZZY_LEN:
                self._skeletons.setdefault(sk, k)
        self._cache: dict[tuple[str, str | None], ResolvedActor] = {}

    def resolve(self, name: str, normalized: str | None = None) -> ResolvedActor:
        """Resolve one name (``normalized``: what the extractor already normalized it to)."""
        ck = (name, normalized)
        hit = self._cache.get(ck)
        if hit is None:
            hit = self._resolve(name, normalized)
            if len(self._cache) < 100_000:
                self._cache[ck] = hit
        return hit

    def key(self, name: str, normalized: str | None = None) -> str:
        """The folded canonical name: what two mentions of the same actor share."""
        return fold(self.resolve(name, normalized).canonical)

    def _resolve(self, name: str, normalized: str | None) -> ResolvedActor:
        candidates = [n for n in (normalized, name) if n and n.strip()]
        # 1-2: exact alias (user table first, then curated YAML)
        for n in candidates:
            e = self._exact.get(fold(n))
            if e is not None and e.source == "user":
                return ResolvedActor(e.canonical, e.kind, e.country, "user", 1.0)
        if self._normalize is not None:
            for n in candidates:
                try:
                    got = self._normalize(n)
                except Exception:  # another module's bug must not stop resolution
                    log.exception("normalize_actor failed on %r", n)
                    got = None
                if got:
                    canonical, kind, country = got
                    return ResolvedActor(canonical, kind, country, "curated", 1.0)
        for n in candidates:
            e = self._exact.get(fold(n))
            if e is not None:
                return ResolvedActor(e.canonical, e.kind, e.country, e.source, 1.0)
        # 3: state forces by country
        for n in candidates:
            st = state_forces(n)
            if st is not None:
                return st
        # 4: fuzzy, transliteration-aware
        for n in candidates:
            fz = self._fuzzy(fold(n))
            if fz is not None:
                return fz
        if normalized and normalized.strip():
            return ResolvedActor(clean(normalized), None, None, "normalized", 1.0)
        return ResolvedActor(clean(name), None, None, "unknown", 0.0)

    def _fuzzy(self, key: str) -> ResolvedActor | None:
        if len(key.replace(" ", "")) < MIN_FUZZY_LEN or not self._keys:
            return None
        from rapidfuzz import fuzz, process

        sk = skeleton(key)
        if len(sk) >= MIN_FUZZY_LEN and sk in self._skeletons:
            e = self._exact[self._skeletons[sk]]
            return ResolvedActor(e.canonical, e.kind, e.country, "fuzzy", 0.9)
        best = process.extractOne(key, self._keys, scorer=fuzz.ratio, score_cutoff=self.fuzzy_min)
        if best is None:
            return None
        e = self._exact[best[0]]
        return ResolvedActor(e.canonical, e.kind, e.country, "fuzzy", float(best[1]) / 100.0)

    def cluster_names(
        self, names: Iterable[tuple[str, str | None]]
    ) -> dict[tuple[str, str | None], str]:
        """Canonical name of each ``(name, normalized)``; unknown names are also grouped with
        each other by the same fuzzy matching (most frequent spelling first)."""
        from rapidfuzz import fuzz, process

        counts = Counter(names)
        out: dict[tuple[str, str | None], str] = {}
        unknown: list[tuple[str, str | None]] = []
        for nm in counts:
            r = self.resolve(*nm)
            if r.method in ("unknown", "normalized"):
                unknown.append(nm)
            else:
                out[nm] = r.canonical
        heads: dict[str, str] = {}  # folded key -> canonical display name
        for nm in sorted(unknown, key=lambda x: (-counts[x], x[1] or x[0], x[0])):
            r = self.resolve(*nm)
            k = fold(r.canonical)
            if k in heads:
                out[nm] = heads[k]
                continue
            match = None
            if len(k.replace(" ", "")) >= MIN_FUZZY_LEN and heads:
                sk = skeleton(k)
                for hk in heads:
                    if len(sk) >= MIN_FUZZY_LEN and skeleton(hk) == sk:
                        match = hk
                        break
                if match is None:
                    cands = [h for h in heads if len(h.replace(" ", "")) >= MIN_FUZZY_LEN]
                    best = process.extractOne(
                        k, cands, scorer=fuzz.ratio, score_cutoff=self.fuzzy_min
                    )
                    match = best[0] if best else None
            if match is not None:
                out[nm] = heads[match]
            else:
                heads[k] = r.canonical
                out[nm] = r.canonical
        return out


def state_forces(name: str) -> ResolvedActor | None:
    """ "Iraqi army" -> Military Forces of Iraq (IQ); "Iraqi police" -> Police Forces of Iraq."""
    s = " ".join(name.casefold().replace("\u2019", "'").split())
    m = _STATE_RE.match(s)
    if not m:
        return None
    dem = DEMONYMS.get(m.group("dem"))
    if dem is None:
        return None
    cc, country = dem
    what = m.group("what")
    if re.fullmatch(_POLICE, what):
        return ResolvedActor(f"Police Forces of {country}", "state_forces", cc, "state", 1.0)
    return ResolvedActor(f"Military Forces of {country}", "state_forces", cc, "state", 1.0)


def aggregate_actors(
    mentions: Sequence[Row],
    resolver: ActorResolver | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Actor mention rows (``id``, ``document_id``, ``name``, ``normalized``, ``kind``,
    ``country``) as one row per resolved actor: ``{name, normalized, kind, country,
    aliases, mentions, documents, mention_ids}``, most mentioned first; ``limit`` and
    ``offset`` page the resolved actors. ``fftrack.views.resolved_actors`` reads the
    mentions from a store."""
    resolver = resolver or ActorResolver()
    canon = resolver.cluster_names((r["name"], r["normalized"]) for r in mentions)
    groups: dict[str, dict[str, Any]] = {}
    for r in mentions:
        cname = canon[(r["name"], r["normalized"])]
        res = resolver.resolve(r["name"], r["normalized"])
        g = groups.setdefault(
            cname,
            {
                "name": cname,
                "normalized": cname,
                "kind": None,
                "country": None,
                "aliases": Counter(),
                "mentions": 0,
                "documents": set(),
                "mention_ids": [],
                "algorithm": ALGORITHM,
            },
        )
        g["aliases"][clean(r["name"])] += 1
        g["mentions"] += 1
        g["documents"].add(r["document_id"])
        g["mention_ids"].append(r["id"])
        g["kind"] = g["kind"] or res.kind or r["kind"]
        g["country"] = g["country"] or res.country or r["country"]
    out = []
    for g in groups.values():
        aliases: Counter[str] = g["aliases"]
        g["aliases"] = [a for a, _ in sorted(aliases.items(), key=lambda x: (-x[1], x[0]))]
        g["documents"] = len(g["documents"])
        out.append(g)
    out.sort(key=lambda g: (-g["mentions"], g["name"]))
    if offset:
        out = out[offset:]
    if limit is not None:
        out = out[:limit]
    return out
