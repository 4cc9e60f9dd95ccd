"""The public API is what fftrack/__init__.py exports in __all__; this test keeps it so."""

import subprocess
import sys

import fftrack

EXPECTED = {
    "Actor",
    "Config",
    "ConfigError",
    "DaskExtractor",
    "Document",
    "Event",
    "Extraction",
    "FetchError",
    "FftrackError",
    "Figure",
    "Gazetteer",
    "Geoparser",
    "IngestReport",
    "InputError",
    "ModelError",
    "Movement",
    "NlpPipeline",
    "NotFoundError",
    "Pipeline",
    "Place",
    "Quantity",
    "Query",
    "ReadFailure",
    "Span",
    "Store",
    "StoreError",
    "StoreReader",
    "TimeRef",
    "UsageError",
    "__version__",
    "extract_records",
    "iter_documents",
    "load_config",
    "run_ingest",
}


def test_all_is_the_public_api():
    assert set(fftrack.__all__) == EXPECTED


def test_every_name_resolves():
    for name in fftrack.__all__:
        assert getattr(fftrack, name) is not None, name


def test_import_does_no_heavy_work():
    code = "import sys, fftrack; print('spacy' in sys.modules, 'fftrack.store' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_errors_share_one_root():
    for name in (
        "ConfigError",
        "FetchError",
        "InputError",
        "ModelError",
        "NotFoundError",
        "StoreError",
        "UsageError",
    ):
        assert issubclass(getattr(fftrack, name), fftrack.FftrackError)


def test_errors_sit_under_their_kind():
    """Model and data errors are ModelError; a bad geoparse line is an InputError; the
    classes keep their old import paths."""
    from fftrack import errors
    from fftrack.geo import GazetteerError
    from fftrack.geo.cli_support import GeoparseInputError
    from fftrack.geo.gazetteer import GazetteerError as FromGazetteer

    assert GazetteerError is FromGazetteer is errors.GazetteerError
    assert issubclass(GazetteerError, fftrack.ModelError)
    assert GeoparseInputError is errors.GeoparseInputError
    assert issubclass(GeoparseInputError, fftrack.InputError)
    assert str(GeoparseInputError("needs a string 'text'")) == "needs a string 'text'"


def test_read_failure_is_public():
    """iter_documents yields ReadFailure, so the public API names it."""
    from fftrack.ingest import ReadFailure

    assert fftrack.ReadFailure is ReadFailure


def test_lint_and_types_are_clean_where_tools_are_installed():
    """ruff and mypy stay clean (make lint); skipped where the dev tools are missing."""
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    bindir = Path(sys.executable).parent
    ruff = shutil.which("ruff", path=str(bindir)) or shutil.which("ruff")
    if ruff is None:
        import pytest

        pytest.skip("ruff not installed")
    out = subprocess.run(
        [ruff, "check", "fftrack", "tests", "benchmarks"], cwd=root, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout
    mypy = shutil.which("mypy", path=str(bindir)) or shutil.which("mypy")
    if mypy is None:
        import pytest

        pytest.skip("mypy not installed")
    out = subprocess.run([mypy, "fftrack"], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
