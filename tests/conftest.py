"""Shared fixtures: a database file per test, settings, the CLI runner and ../shared/corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.config import Settings
from newsdesk.store import open_db

SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "newsdesk.db"
    monkeypatch.setenv("NEWSDESK_DB", str(path))
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return path


@pytest.fixture
def db(db_path: Path):
    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """../shared/corpus, or a skip that says why it is missing."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED_CORPUS} (it sits beside the repo on project machines)")
    return SHARED_CORPUS
