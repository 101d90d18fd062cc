"""Fixtures shared by the test modules.

The repository ships one real page (``samples/``); the development corpus
lives beside the repository in ``../shared`` on the developers' machines but
not in a clean clone, so tests that need it ask for ``shared_dir`` and are
skipped, with the reason shown, where it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[1]
SAMPLES_DIR = REPO_DIR / "samples"
SAMPLE_ID = "000_cb6bebe9d91324f1"
#: The shared folder beside the repository (corpus, gold format, seeds).
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO_DIR


@pytest.fixture(scope="session")
def sample_page_path() -> Path:
    """The seed page: real pdftotext output, blank line after every line."""
    return SAMPLES_DIR / f"{SAMPLE_ID}.txt"


@pytest.fixture(scope="session")
def sample_gold_path() -> Path:
    return SAMPLES_DIR / f"{SAMPLE_ID}.gold.json"


@pytest.fixture(scope="session")
def sample_text(sample_page_path: Path) -> str:
    return sample_page_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (corpus and gold format); skips the test when it is absent,
    as on a clean clone or in CI."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"shared folder {SHARED_DIR} is absent (corpus not available here)")
    return SHARED_DIR
