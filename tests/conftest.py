"""Shared fixtures: a database file per test, settings, the CLI runner and ../shared/corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings as hypothesis_settings

from newsdesk.config import Settings
from newsdesk.store import open_db

SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# No test may depend on the machine's speed: hypothesis's 200 ms deadline per example failed on a busy machine.
hypothesis_settings.register_profile("newsdesk", deadline=None)
hypothesis_settings.load_profile("newsdesk")


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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the whole demo in it (crawled, enriched, analysed), built once per session."""
    from datetime import UTC, datetime

    from pipelines.analyse import run_analyse
    from pipelines.demo import run_demo
    from pipelines.enrich import run_enrich

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_db(path)
    run_demo(Settings(), database, now=datetime.now(UTC), port=0)
    run_enrich(Settings(), database)
    run_analyse(Settings(), database)
    database.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, db_path: Path) -> Path:
    """A fresh copy of the demo database at this test's NEWSDESK_DB."""
    import shutil

    shutil.copy(demo_template, db_path)
    return db_path


@pytest.fixture(scope="session")
def pdf_support() -> None:
    """WeasyPrint with its system libraries, or a skip that says what is missing."""
    from newsdesk.present.briefing.pdf import PdfUnavailable, embedded_only_fetcher

    try:
        embedded_only_fetcher()
    except PdfUnavailable as exc:
        pytest.skip(str(exc))
