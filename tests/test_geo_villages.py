"""geo.resolve.v3/v4 on short texts we wrote: villages from a tiny GeoNames dump we write,
containers, compass directions, and the errors seen on real reports (default gazetteer)."""

from __future__ import annotations

import os

import pytest

from fftrack.config import default_cache_dir
from fftrack.geo import Gazetteer, Geoparser
from fftrack.geo.gazetteer import (
    ADDED_MIN_ROWS,
    KIND_FOLD,
    KIND_SKELETON,
    KIND_VARIANT,
    Entry,
    base_index,
)
from fftrack.geo.resolve import RESOLVER_NAME, _lies_towards, contains, haversine_km
from fftrack.geo.sources import add_sources
from fftrack.records import Document


def geo_row(gid: int, name: str, lat: float, lon: float, admin1: str) -> str:
    cols = [str(gid), name, name, "", str(lat), str(lon), "P", "PPL", "SY", "", admin1]
    cols += ["", "", "", "0", "", "300", "Asia/Damascus", "2018-07-01"]
    return "\t".join(cols)


ROWS = [
    geo_row(9910001, "Zurzur", 36.35, 37.10, "09"),  # north of Aleppo
    geo_row(9910002, "Zurzur", 35.49, 36.85, "12"),  # in southern Idlib
    geo_row(9910003, "Tarmala", 35.52, 36.48, "12"),
    geo_row(9910004, "Raffa", 35.55, 36.80, "12"),  # a namesake of Raffa in Italy
]
ADMIN1 = "SY.12\tIdlib\tIdlib\t169387\nSY.09\tAleppo\tAleppo\t170063\n"


@pytest.fixture(scope="module")
def village_gp(tmp_path_factory: pytest.TempPathFactory) -> Geoparser:
    src = tmp_path_factory.mktemp("dumps")
    (src / "SY.txt").write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    (src / "admin1CodesASCII.txt").write_text(ADMIN1, encoding="utf-8")
    cache = tmp_path_factory.mktemp("cache")
    embedded = base_index(default_cache_dir())
    os.symlink(embedded, cache / embedded.name)
    add_sources(cache, [src / "admin1CodesASCII.txt", src / "SY.txt"])
    return Geoparser(Gazetteer.open(cache))


@pytest.fixture(scope="module")
def gp() -> Geoparser:
    return Geoparser(Gazetteer.open(None))


def _resolve(gp: Geoparser, text: str, *names: str) -> list:  # type: ignore[type-arg]
    spans = [(text.index(n), text.index(n) + len(n)) for n in names]
    return gp.resolve_spans(None, Document(id="t", text=text), spans)


def _km(p, lat: float, lon: float) -> float:  # type: ignore[no-untyped-def]
    assert p.lat is not None and p.lon is not None
    return haversine_km(p.lat, p.lon, lat, lon)


def test_version_name() -> None:
    assert RESOLVER_NAME == "geo.resolve.v9"


def test_village_in_the_governorate_the_text_names(village_gp: Geoparser) -> None:
    text = "Regime forces shelled Zurzur village in southern Idleb."
    z, _ = _resolve(village_gp, text, "Zurzur", "Idleb")
    assert _km(z, 35.49, 36.85) < 5  # the Idlib Zurzur, not Aleppo's, nor the city of Idlib
    assert z.extractor == RESOLVER_NAME


def test_village_beats_a_namesake_abroad_inside_its_container(village_gp: Geoparser) -> None:
    text = "Regime forces shelled Raffa village in southeast Idleb."
    (r, _) = _resolve(village_gp, text, "Raffa", "Idleb")
    assert r.country == "SY" and _km(r, 35.55, 36.80) < 5


def test_vowel_variant_of_a_village(village_gp: Geoparser) -> None:
    text = "Warplanes struck Termala village in Idlib countryside."
    (t, _) = _resolve(village_gp, text, "Termala", "Idlib")
    assert _km(t, 35.52, 36.48) < 5
    assert any(k == KIND_FOLD for _, k in village_gp.gazetteer.candidates("Termala"))


def test_north_of_a_city(village_gp: Geoparser) -> None:
    text = "Clashes broke out in Zurzur, 20 km north of Aleppo, on Monday."
    z, _ = _resolve(village_gp, text, "Zurzur", "Aleppo")
    assert _km(z, 36.35, 37.10) < 5


def test_unknown_village_falls_back_to_its_governorate_not_elsewhere(
    village_gp: Geoparser,
) -> None:
    text = "Shelling hit Qqqzzya town in southern Idleb."
    q, _ = _resolve(village_gp, text, "Qqqzzya", "Idleb")
    assert q.country == "SY" and q.precision >= 2 and ("fallback", 1.0) in q.features


# -- spelling variants in a country whose dump was added (geo.resolve.v4) ----------------
VARIANT_ROWS = [
    geo_row(9920001, "Ghariyah al Gharbiyah", 35.60, 36.60, "12"),
    geo_row(9920002, "Ghariyah ash Sharqiyah", 35.61, 36.75, "12"),
    geo_row(9920003, "Abu az Zuwayr", 35.74, 37.10, "12"),
    geo_row(9920004, "Sunaysil", 35.45, 36.55, "12"),
    geo_row(9920005, "Dahiyat al Asad", 35.30, 36.40, "12"),
    geo_row(9920006, "Mudayra", 35.35, 36.70, "12"),
] + [  # filler villages, so that SY counts as an added country
    geo_row(9921000 + i, f"Qaryat Bqx{i:03d}", 35.0 + i * 0.002, 36.95, "12")
    for i in range(ADDED_MIN_ROWS)
]


def ir_row(gid: int, name: str, lat: float, lon: float) -> str:
    cols = [str(gid), name, name, "", str(lat), str(lon), "P", "PPL", "IR", "", "26"]
    cols += ["", "", "", "0", "", "1200", "Asia/Tehran", "2018-07-01"]
    return "\t".join(cols)


@pytest.fixture(scope="module")
def variant_gp(tmp_path_factory: pytest.TempPathFactory) -> Geoparser:
    src = tmp_path_factory.mktemp("vdumps")
    (src / "SY.txt").write_text("\n".join(VARIANT_ROWS) + "\n", encoding="utf-8")
    # an exact namesake in a country the user did not add (too few rows)
    (src / "IR.txt").write_text(ir_row(9930001, "Sensil", 35.7, 51.4) + "\n", encoding="utf-8")
    (src / "admin1CodesASCII.txt").write_text(ADMIN1, encoding="utf-8")
    cache = tmp_path_factory.mktemp("vcache")
    embedded = base_index(default_cache_dir())
    os.symlink(embedded, cache / embedded.name)
    add_sources(cache, [src / "admin1CodesASCII.txt", src / "SY.txt", src / "IR.txt"])
    gaz = Gazetteer.open(cache)
    assert gaz.added_countries == {"SY"}
    return Geoparser(gaz)


def _kinds(gp: Geoparser, name: str) -> dict[str, int]:
    return {e.name: k for e, k in gp.gazetteer.candidates(name)}


def test_english_qualifier_finds_the_arabic_one(variant_gp: Geoparser) -> None:
    assert _kinds(variant_gp, "Western Ghariyeh").get("Ghariyah al Gharbiyah") == KIND_VARIANT
    text = "Regime forces shelled Western Ghariyeh in Idlib."
    w, _ = _resolve(variant_gp, text, "Western Ghariyeh", "Idlib")
    assert _km(w, 35.60, 36.60) < 1 and ("translit", -1.0) in w.features
    assert w.extractor == RESOLVER_NAME
    text = "Regime forces shelled Eastern Ghariyeh in Idlib."
    e, _ = _resolve(variant_gp, text, "Eastern Ghariyeh", "Idlib")
    assert _km(e, 35.61, 36.75) < 1


def test_th_for_z_and_abul_and_a_facility_word(variant_gp: Geoparser) -> None:
    text = "Warplanes struck Abul Thuweir Military Airport in Idlib."
    a, _ = _resolve(variant_gp, text, "Abul Thuweir Military Airport", "Idlib")
    assert _km(a, 35.74, 37.10) < 1


def test_glued_article(variant_gp: Geoparser) -> None:
    assert _kinds(variant_gp, "Dahiet Elasad").get("Dahiyat al Asad") == KIND_VARIANT


def test_a_namesake_elsewhere_does_not_hide_the_village(variant_gp: Geoparser) -> None:
    kinds = _kinds(variant_gp, "Sensil")
    assert kinds.get("Sensil") == 0 and kinds.get("Sunaysil") == KIND_SKELETON
    text = "Clashes were reported in Sensil village in southern Idlib."
    s, _ = _resolve(variant_gp, text, "Sensil", "Idlib")
    assert _km(s, 35.45, 36.55) < 1


def test_a_near_spelling_abroad_has_no_more_prior_than_a_village(variant_gp: Geoparser) -> None:
    # "Modira" is a vowel variant of Madurai (India, a million people) and of Mudayra, a
    # village of the added country: the size of a city abroad does not decide it
    kinds = _kinds(variant_gp, "Modira")
    assert kinds.get("Madurai") is not None and kinds.get("Mudayra") == KIND_FOLD
    (m,) = _resolve(variant_gp, "Warplanes struck Modira town.", "Modira")
    assert _km(m, 35.35, 36.70) < 1 and "spelling" in dict(m.features)


def test_no_variants_without_an_added_country(gp: Geoparser) -> None:
    # the embedded default alone: a spelling rule never adds a candidate
    assert not gp.gazetteer.added_countries
    assert all(k != KIND_VARIANT for _, k in gp.gazetteer.candidates("Western Ghariyeh"))


def test_compass_direction_from_a_point() -> None:
    c = Entry(1, "C", 35.0, 36.0, "SY", "Idlib", "A.ADM1", 0)
    east = Entry(2, "E", 35.0, 36.5, "SY", "Idlib", "P.PPL", 0)
    assert _lies_towards(c, east, "e") and not _lies_towards(c, east, "w")
    assert _lies_towards(c, Entry(3, "N", 35.4, 35.98, "SY", "", "P.PPL", 0), "n")


def test_admin1_containment_by_code() -> None:
    unit = Entry(1, "Idlib", 35.8, 36.6, "SY", "Idlib", "A.ADM1", 0, "12")
    inside = Entry(2, "X", 35.2, 36.9, "SY", "Idlib", "P.PPL", 0, "12")
    other = Entry(3, "Y", 35.2, 36.9, "SY", "Idlib", "P.PPL", 0, "10")
    assert contains(unit, inside) and not contains(unit, other)
    city = Entry(4, "Idlib", 35.93, 36.63, "SY", "Idlib", "P.PPL", 128840, "12")
    assert not contains(city, inside) and contains(city, inside, regional=True)


# -- errors seen on real reports (default gazetteer, spaCy) ---------------------------------
@pytest.fixture(scope="module")
def parse(gp: Geoparser, nlp):  # type: ignore[no-untyped-def]
    def run(text: str) -> dict[str, object]:
        places = gp.geoparse(nlp.nlp(text), Document(id="t", text=text))
        return {p.name: p for p in places}

    return run


def test_palmyra_keeps_its_own_place_beside_mosul(parse) -> None:  # type: ignore[no-untyped-def]
    got = parse("Fighting in Mosul and Palmyra continued on Sunday.")
    assert _km(got["Palmyra"], 34.56, 38.28) < 25


def test_a_district_of_mosul_is_not_in_morocco(parse) -> None:  # type: ignore[no-untyped-def]
    got = parse("Iraqi forces entered the al-Jadida district of Mosul.")
    assert got["al-Jadida"].country == "IQ"


@pytest.mark.parametrize(
    "text",
    [
        "Fighters held out in Mosul's Old City for weeks.",
        "Iraqi troops fought in Mosul. The Old City was in ruins.",
    ],
)
def test_the_old_city_of_mosul_is_not_jerusalem(parse, text: str) -> None:  # type: ignore[no-untyped-def]
    assert parse(text)["Old City"].country == "IQ"


def test_raqqa_province_is_the_province(parse) -> None:  # type: ignore[no-untyped-def]
    p = parse("Air strikes hit Raqqa province on Monday.")["Raqqa"]
    assert p.country == "SY" and p.precision == 3


def test_western_countries_are_not_a_place(parse) -> None:  # type: ignore[no-untyped-def]
    got = parse("Western countries condemned the attack in Aleppo.")
    assert "Western" not in got and "Aleppo" in got


# -- the countries of the groups a text names (geo.resolve.v6) ------------------------------
def ye_row(gid: int, name: str, lat: float, lon: float) -> str:
    cols = [str(gid), name, name, "", str(lat), str(lon), "P", "PPL", "YE", "", "15"]
    cols += ["", "", "", "0", "", "1200", "Asia/Aden", "2018-07-01"]
    return "\t".join(cols)


@pytest.fixture(scope="module")
def two_country_gp(tmp_path_factory: pytest.TempPathFactory) -> Geoparser:
    """One village name, Bqazzah, in Syria and in Yemen, both countries added."""
    src = tmp_path_factory.mktemp("adumps")
    sy = [geo_row(9940001, "Bqazzah", 35.50, 36.70, "12")]
    sy += [
        geo_row(9941000 + i, f"Qaryat Sqx{i:03d}", 35.0 + i * 0.002, 36.9, "12")
        for i in range(ADDED_MIN_ROWS)
    ]
    ye = [ye_row(9950001, "Bqazzah", 15.30, 44.20)]
    ye += [
        ye_row(9951000 + i, f"Qaryat Yqx{i:03d}", 15.0 + i * 0.002, 44.5)
        for i in range(ADDED_MIN_ROWS)
    ]
    (src / "SY.txt").write_text("\n".join(sy) + "\n", encoding="utf-8")
    (src / "YE.txt").write_text("\n".join(ye) + "\n", encoding="utf-8")
    cache = tmp_path_factory.mktemp("acache")
    embedded = base_index(default_cache_dir())
    os.symlink(embedded, cache / embedded.name)
    add_sources(cache, [src / "SY.txt", src / "YE.txt"])
    gaz = Gazetteer.open(cache)
    assert gaz.added_countries == {"SY", "YE"}
    return Geoparser(gaz)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Houthi fighters shelled the village of Bqazzah.", "YE"),
        ("Regime forces shelled the village of Bqazzah.", "SY"),
        ("QSD forces clashed with IS fighters in Bqazzah.", "SY"),
    ],
)
def test_a_group_names_the_country_of_a_village(
    two_country_gp: Geoparser, nlp, text: str, country: str
) -> None:  # type: ignore[no-untyped-def]
    doc = Document(id="t", text=text)
    s = text.index("Bqazzah")
    (b,) = two_country_gp.resolve_spans(nlp.nlp(text), doc, [(s, s + 7)])
    assert b.country == country and b.extractor == "geo.resolve.v9"


def test_forces_named_by_their_country_fight_abroad(gp: Geoparser, nlp) -> None:  # type: ignore[no-untyped-def]
    # "US forces" say who fought, not that the places of the text are in the United States
    text = (
        "The sergeant served with US forces and US Special Forces near the Turkish border. "
        "US forces said he was born in Manchester and trained in Colchester."
    )
    got = {p.name: p for p in gp.geoparse(nlp.nlp(text), Document(id="t", text=text))}
    assert got["Manchester"].country == "GB" and got["Colchester"].country == "GB"
