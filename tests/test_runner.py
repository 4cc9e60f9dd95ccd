"""The ingest job: batches, skipping known documents, failures that do not stop a batch."""

from __future__ import annotations

import json

from fftrack.records import Document
from fftrack.runner import run_ingest
from fftrack.store import Store, StoreReader


def write_inputs(root):
    (root / "a.txt").write_text(
        "Published: 2017-06-05\n\nGunmen killed 8 people near London Bridge.", encoding="utf-8"
    )
    (root / "b.jsonl").write_text(
        json.dumps({"text": "Shelling hit Idlib on Friday, killing three."})
        + "\n"
        + "{not json\n"
        + json.dumps({"title": "no text"})
        + "\n",
        encoding="utf-8",
    )
    (root / "c.bin.txt").write_bytes(bytes(range(256)) * 4)


def test_failures_are_reported_and_the_rest_is_stored(tmp_path, pipeline):
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_inputs(inputs)
    with Store.open(tmp_path / "s.db") as store:
        report = run_ingest([inputs], store=store, pipeline=pipeline, batch_size=1)
    assert report.read == 2
    sources = sorted((f.source.rsplit("/", 1)[-1], f.line) for f in report.failed)
    assert [s for s, _ in sources] == ["b.jsonl", "b.jsonl", "c.bin.txt"]
    assert {line for _, line in sources if line} == {2, 3}
    assert report.stored["documents"] == 2
    assert StoreReader(tmp_path / "s.db").stats()["documents"] == 2


def test_rerun_skips_and_duplicates_in_one_run_are_skipped(tmp_path, pipeline):
    doc = "Clashes were reported in Deir ez-Zor on Monday."
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "one.txt").write_text(doc, encoding="utf-8")
    (inputs / "copy.txt").write_text(doc + "\n\n", encoding="utf-8")  # same normalised text
    with Store.open(tmp_path / "s.db") as store:
        first = run_ingest([inputs], store=store, pipeline=pipeline)
        second = run_ingest([inputs], store=store, pipeline=pipeline)
    assert first.stored["documents"] == 1 and first.skipped == 1
    assert second.skipped == 2 and sum(second.stored.values()) == 0


def test_extractor_crash_loses_only_that_document(tmp_path, pipeline, monkeypatch):
    original = pipeline.extract_doc

    def flaky(document: Document, sdoc):
        if "explode" in document.text:
            raise RuntimeError("extractor bug")
        return original(document, sdoc)

    monkeypatch.setattr(pipeline, "extract_doc", flaky)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "1.txt").write_text("Fighting in Hajin.", encoding="utf-8")
    (inputs / "2.txt").write_text("This one will explode the extractor.", encoding="utf-8")
    (inputs / "3.txt").write_text("Air strikes on Baghuz.", encoding="utf-8")
    with Store.open(tmp_path / "s.db") as store:
        report = run_ingest([inputs], store=store, pipeline=pipeline)
    assert report.stored["documents"] == 2
    assert len(report.failed) == 1 and "extractor bug" in report.failed[0].reason


def test_store_inside_the_input_folder_is_not_read(tmp_path, pipeline):
    from fftrack.config import Config

    (tmp_path / "a.txt").write_text("Shelling hit Idlib on Friday.", encoding="utf-8")
    config = Config(db=tmp_path / "here.db")
    with Store.open(config.db) as store:
        run_ingest([tmp_path], store=store, pipeline=pipeline, config=config)
        report = run_ingest([tmp_path], store=store, pipeline=pipeline, config=config)
    assert report.failed == [] and report.skipped == 1


def test_a_bad_input_is_logged_once_across_reruns(tmp_path, pipeline):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "bad.jsonl").write_text('{"title": "no text"}\n', encoding="utf-8")
    with Store.open(tmp_path / "s.db") as store:
        run_ingest([inputs], store=store, pipeline=pipeline)
        again = run_ingest([inputs], store=store, pipeline=pipeline)
    assert len(again.failed) == 1  # still reported to the user
    assert StoreReader(tmp_path / "s.db").stats()["failures"] == 1  # logged once


class _Ahead:
    """An extractor that, like the Dask one, starts a batch (``submit``) and gives its
    results later; it logs what the runner asks, in order."""

    def __init__(self, pipeline):
        self.pipeline = pipeline
        self.log: list[str] = []

    def __call__(self, documents):
        return self.submit(documents)()

    def submit(self, documents):
        names = ",".join(d.text.split()[0] for d in documents)
        self.log.append(f"submit {names}")

        def collect():
            self.log.append(f"collect {names}")
            return list(self.pipeline.process_safe(documents))

        return collect


def test_next_batch_is_submitted_before_the_last_is_written(tmp_path, pipeline):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i, town in enumerate(["Raqqa", "Idlib", "Mosul"]):
        (inputs / f"{i}.txt").write_text(f"D{i} Shelling hit {town} on Friday.", encoding="utf-8")
    ahead = _Ahead(pipeline)
    with Store.open(tmp_path / "s.db") as store:
        report = run_ingest([inputs], store=store, extract=ahead, batch_size=1, cluster=False)
        again = run_ingest([inputs], store=store, extract=ahead, batch_size=1, cluster=False)
    assert ahead.log[:5] == ["submit D0", "submit D1", "collect D0", "submit D2", "collect D1"]
    assert report.read == 3 and report.stored["documents"] == 3 and not report.failed
    assert again.skipped == 3 and again.stored["documents"] == 0
    assert StoreReader(tmp_path / "s.db").stats()["documents"] == 3


def test_a_resumed_ingest_identifies_no_language_of_a_stored_document(tmp_path, monkeypatch):
    import fftrack.ingest.language as language
    from fftrack.records import Extraction

    french = "Des frappes aériennes ont touché la ville de Raqqa vendredi, selon des témoins."
    (tmp_path / "in.jsonl").write_text(
        "\n".join(
            json.dumps(r)
            for r in (
                {"id": "fr", "text": french},
                {
                    "id": "en",
                    "text": "Air strikes hit the town of Raqqa on Friday, witnesses said.",
                },
                {"id": "de", "text": "Declared, not identified.", "language": "de"},
            )
        ),
        encoding="utf-8",
    )
    texts: list[str] = []
    real = language.detect_language
    monkeypatch.setattr(language, "detect_language", lambda t, *a: texts.append(t) or real(t, *a))
    given: dict[str, str | None] = {}

    def extract(documents):
        for d in documents:
            given[d.id] = d.language
            yield d, Extraction(document=d), None

    with Store.open(tmp_path / "s.db") as store:
        first = run_ingest([tmp_path / "in.jsonl"], store=store, extract=extract, cluster=False)
        assert given == {"fr": "fr", "en": "en", "de": "de"}  # as the readers identify them
        assert len(texts) == 2  # the undeclared ones
        texts.clear()
        again = run_ingest([tmp_path / "in.jsonl"], store=store, extract=extract, cluster=False)
    assert first.stored["documents"] == 3 and again.skipped == 3
    assert texts == []  # skipped before any language work
    languages = {d["id"]: d["language"] for d in StoreReader(tmp_path / "s.db").documents()}
    assert languages == {"fr": "fr", "en": "en", "de": "de"}


def test_ingest_tells_the_input_bytes_done_batch_by_batch(tmp_path):
    from fftrack.config import Config
    from fftrack.records import Extraction
    from fftrack.runner import input_bytes

    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    lines = [
        json.dumps({"id": f"d{i}", "text": f"Report {i}: shelling hit Idlib."}) for i in range(6)
    ]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("Air strikes hit Raqqa.", encoding="utf-8")
    (folder / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    config = Config(db=tmp_path / "s.db")
    total = input_bytes([folder], config)
    assert total == sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert input_bytes([folder, "-"], config) is None  # stdin: unknown until its end
    told: list[int] = []
    inputs: list[int] = []

    def extract(documents):
        return [(d, Extraction(document=d), None) for d in documents]

    with Store.open(config.db) as store:
        report = run_ingest(
            [folder],
            store=store,
            config=config,
            extract=extract,
            cluster=False,
            batch_size=2,
            progress=inputs.append,
            on_bytes=told.append,
        )
    assert report.stored["documents"] == 7 and len(report.failed) == 1
    assert sum(told) == total and sum(inputs) == 8
    # the JSON Lines file is counted as its lines are read: the bar moves inside it
    assert len(told) >= 4 and all(n > 0 for n in told)


def test_ingest_tells_how_many_documents_the_store_already_held(tmp_path) -> None:
    """A resumed ingest tells ``on_skipped`` of the documents it passes over, before the
    batch's ``progress``, so a bar's rate can leave them out."""
    from fftrack.config import Config
    from fftrack.records import Extraction

    src = tmp_path / "a.jsonl"
    src.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": f"Report {i}."}) + "\n" for i in range(5)),
        encoding="utf-8",
    )
    config = Config(db=tmp_path / "s.db")

    def extract(documents):
        return [(d, Extraction(document=d), None) for d in documents]

    def run(n: int | None) -> list[tuple[str, int]]:
        told: list[tuple[str, int]] = []
        lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
        part = tmp_path / "part.jsonl"
        part.write_text("".join(lines[:n]), encoding="utf-8")
        with Store.open(config.db) as store:
            run_ingest(
                [part],
                store=store,
                config=config,
                extract=extract,
                cluster=False,
                batch_size=2,
                progress=lambda k: told.append(("done", k)),
                on_skipped=lambda k: told.append(("skipped", k)),
            )
        return told

    assert run(3) == [("done", 2), ("done", 1)]  # nothing held: never told
    assert run(None) == [("skipped", 2), ("done", 2), ("skipped", 1), ("done", 2), ("done", 1)]
