"""Shared fixtures: one loaded pipeline per test session, paths to shared data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FFTRACK_SHARED_DIR", ROOT.parent / "shared"))
EVAL_DIR = Path(os.environ.get("FFTRACK_EVAL_DIR", SHARED / "eval"))
SEED = SHARED / "seeds" / "000_8e8edac8aa0bf6db.txt"
CORPUS = ROOT / "examples" / "corpus"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("FFTRACK_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow accuracy run: set FFTRACK_SLOW=1 to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def pipeline():
    """The full pipeline (spaCy model + gazetteer), loaded once for the whole session."""
    from fftrack.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def nlp(pipeline):
    return pipeline.nlp


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not EVAL_DIR.is_dir():
        pytest.skip(f"shared evaluation data not found at {EVAL_DIR}")
    return EVAL_DIR


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS
