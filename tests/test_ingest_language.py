"""Language identification at ingest (py3langid) and the pipeline's per-document report
for a language its model does not read."""

from __future__ import annotations

import json

import pytest

from fftrack.ingest import read_file
from fftrack.ingest.language import detect_language
from fftrack.records import Document
from fftrack.runner import run_ingest
from fftrack.store import Store, StoreReader

FRENCH = (
    "Des frappes aériennes ont tué au moins vingt civils à Raqqa mardi, selon "
    "l'Observatoire syrien des droits de l'homme, qui accuse la coalition."
)


@pytest.mark.parametrize(
    "text, expected",
    [
        (FRENCH, "fr"),
        ("Las fuerzas del régimen bombardearon la ciudad de Alepo el martes.", "es"),
        ("Die Armee hat die Stadt am Dienstag zurückerobert.", "de"),
        # short English, and English notes full of foreign names, stay English
        ("Raqqa fell.", "en"),
        ("ISIS", "en"),
        ("Al-Shabaab attacked Mogadishu.", "en"),
        ("Regime forces shelled Alzaafaranah village in northern Homs.", "en"),
        (
            "Pro Houthi forces reportedly shelled residential areas in Al Dabab in Sabir "
            "of Taizz. There were no reports of human casualties or material damage.",
            "en",
        ),
        ("", "en"),
        ("12 34", "en"),
        # another script than Latin: unknown, as before
        ("أعلنت قوات سوريا الديمقراطية السيطرة على الرقة", None),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_undeclared_french_is_recorded_as_fr(tmp_path) -> None:
    (tmp_path / "fr.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "fr.jsonl").write_text(
        json.dumps({"text": FRENCH}) + "\n" + json.dumps({"text": FRENCH, "language": "en"}),
        encoding="utf-8",
    )
    assert [d.language for d in read_file(tmp_path / "fr.txt")] == ["fr"]
    # a declared language always wins over the guess
    assert [d.language for d in read_file(tmp_path / "fr.jsonl")] == ["fr", "en"]


def test_pipeline_says_it_has_no_french_model(pipeline) -> None:
    fr = Document(id="fr1", text=FRENCH, language="fr")
    en = Document(id="en1", text="Air strikes killed at least 20 civilians in Raqqa.")
    unknown = Document(id="u1", text="Air strikes hit Raqqa.", language=None)
    results = list(pipeline.process_safe([fr, en, unknown]))
    assert [d.id for d, _, _ in results] == ["fr1", "en1", "u1"]
    (_, x_fr, err), (_, x_en, _), (_, x_unknown, _) = results
    assert err is None and x_fr is not None
    assert x_fr.warnings == ("no model for fr: not processed (the model reads en)",)
    assert not (x_fr.places or x_fr.events or x_fr.actors or x_fr.figures or x_fr.movements)
    assert x_en is not None and x_en.events and not x_en.warnings
    assert x_unknown is not None and not x_unknown.warnings  # unknown is read as English
    assert [x.document.id for x in pipeline.process([fr, en])] == ["fr1", "en1"]


def test_ingest_stores_french_with_its_language_and_reports_it(tmp_path, pipeline) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "fr.txt").write_text(FRENCH, encoding="utf-8")
    (inputs / "en.txt").write_text("Gunmen killed 8 people near London Bridge.", encoding="utf-8")
    with Store.open(tmp_path / "s.db") as store:
        report = run_ingest([inputs], store=store, pipeline=pipeline)
    assert report.stored["documents"] == 2 and not report.failed
    (warning,) = report.warnings
    assert warning.source.endswith("fr.txt") and "no model for fr" in warning.reason
    with StoreReader(tmp_path / "s.db") as reader:
        languages = sorted(d["language"] for d in reader.documents())
    assert languages == ["en", "fr"]


def test_script_counts_are_letters_and_latin_letters() -> None:
    from fftrack.ingest.language import _script_counts

    def by_character(text: str) -> tuple[int, int]:
        letters = [ch for ch in text if ch.isalpha()]
        return len(letters), sum(ch < "\u0250" for ch in letters)

    for text in ("", "12 34", FRENCH, "ǅemal ɐ Ḁ 10 Ωmega", "قوات سوريا Raqqa", "x\ud800y"):
        assert _script_counts(text) == by_character(text)


@pytest.fixture
def fresh_identifier():
    """The identifier built again by the test (and by the next user after it)."""
    from fftrack.ingest import language

    language._identifier.cache_clear()
    yield language
    language._identifier.cache_clear()


SAMPLES = (FRENCH, "Die Armee hat die Stadt am Dienstag zurückerobert.", "Raqqa fell to the SDF.")


def test_the_model_is_kept_in_the_cache_dir_and_answers_the_same(
    tmp_path, monkeypatch, fresh_identifier
) -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from fftrack.config import Config, using

    language = fresh_identifier
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    reference.set_languages(list(language.CANDIDATES))
    with using(Config(cache_dir=tmp_path)):
        first = [language._identifier().classify(t) for t in SAMPLES]
        kept = language.model_cache_path(tmp_path)
        assert kept.is_file() and kept.parent == tmp_path
        assert [p.name for p in tmp_path.iterdir()] == [kept.name]  # no temporary file left
        # the second build reads the kept arrays: py3langid's archive is not unpacked
        language._identifier.cache_clear()
        monkeypatch.setattr(language, "_restricted_arrays", lambda: pytest.fail("unpacked"))
        second = [language._identifier().classify(t) for t in SAMPLES]
    assert first == second == [reference.classify(t) for t in SAMPLES]
    assert [lang for lang, _ in first] == ["fr", "de", "en"]


def test_an_unusable_cache_is_passed_over(tmp_path, fresh_identifier) -> None:
    from fftrack.config import Config, using

    language = fresh_identifier
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with using(Config(cache_dir=blocked)):  # cannot be written: unpacked each time
        assert language.detect_language(FRENCH) == "fr"
    language._identifier.cache_clear()
    damaged = language.model_cache_path(tmp_path)
    damaged.write_bytes(b"PK\x03\x04 cut short")
    with using(Config(cache_dir=tmp_path)):  # damaged: made again
        assert language.detect_language(FRENCH) == "fr"
    assert damaged.stat().st_size > 1_000_000


def test_the_kept_transition_table_is_mapped_not_read(tmp_path, fresh_identifier) -> None:
    import numpy as np

    from fftrack.config import Config, using

    language = fresh_identifier
    with using(Config(cache_dir=tmp_path)):
        language._identifier()  # writes the kept arrays
    kept = language.model_cache_path(tmp_path)
    arrays = language._cached_arrays(kept)
    assert arrays is not None and isinstance(arrays["nextmove"], memoryview)
    with np.load(kept) as data:
        assert bytes(arrays["nextmove"]) == data["nextmove"].tobytes()
    # an archive written compressed is read as before, and answers the same (written
    # beside it and moved over it, as the cache is: a mapped file is never rewritten)
    other = tmp_path / "compressed.npz"
    np.savez_compressed(other, **{k: np.array(v) for k, v in arrays.items()})
    other.replace(kept)
    assert language._mapped(kept, "nextmove") is None
    language._identifier.cache_clear()
    with using(Config(cache_dir=tmp_path)):
        assert [language._identifier().classify(t)[0] for t in SAMPLES] == ["fr", "de", "en"]
