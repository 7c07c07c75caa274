"""User errors give one line and exit 1, never a traceback (the README's promise)."""

from __future__ import annotations

import sqlite3

import pytest

from newsdesk.cli import cli


@pytest.mark.parametrize("args", [
    ["trends", "--weeks", "0"],
    ["trends", "--weeks", "-3"],
    ["matrix", "--weeks", "-1"],
    ["sources", "add", "http://[::1"],
    ["sources", "add", "http://example.com:notaport/feed"],
    ["briefing", "--out", "/nonexistent-folder/briefing.md"],
    ["briefing", "--theme", "no-such-theme"],
    ["briefing", "--week", "1999-W01"],
])
def test_user_errors_are_one_line_without_a_traceback(runner, demo_db, args):
    result = runner.invoke(cli, args, obj={})
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, (IndexError, ValueError, OSError))
    assert "Error:" in result.output


def test_an_empty_week_is_refused_and_not_saved(runner, demo_db):
    from newsdesk.store import open_db

    before = open_db(demo_db).execute("SELECT COUNT(*) FROM briefings").fetchone()[0]
    result = runner.invoke(cli, ["briefing", "--week", "1999-W01"], obj={})
    assert result.exit_code == 1 and "no relevant article was published in 1999-W01" in result.output
    assert open_db(demo_db).execute("SELECT COUNT(*) FROM briefings").fetchone()[0] == before


def test_theme_names_are_case_insensitive(runner, demo_db, tmp_path):
    from pipelines.brief import last_complete_week

    out = tmp_path / "labour.md"
    result = runner.invoke(cli, ["briefing", "--theme", "Labour", "--week", last_complete_week(), "--out", str(out)],
                           obj={})
    assert result.exit_code == 0, result.output
    assert "(0 relevant articles)" not in result.output and out.read_text()


@pytest.mark.parametrize("error", [sqlite3.OperationalError("attempt to write a readonly database"),
                                   sqlite3.OperationalError("database or disk is full"),
                                   OSError(28, "No space left on device", "/data/newsdesk.db")])
def test_storage_faults_are_one_line(runner, db_path, monkeypatch, error):
    import newsdesk.cli.sources as cli_module

    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(cli_module, "add_source", failing)
    result = runner.invoke(cli, ["sources", "add", "https://feeds.example/a.xml"], obj={})
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(error.args[-1] if isinstance(error, sqlite3.Error) else error.strerror) in result.output
    assert len(result.output.strip().splitlines()) == 1
