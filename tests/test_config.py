from pathlib import Path

import pytest

from newsdesk.cli import cli
from newsdesk.config import documented_keys, load_settings
from newsdesk.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsdesk.toml"
    path.write_text(text)
    return path


def test_defaults_without_a_file(db_path):
    settings = load_settings()
    assert settings.source_file is None
    assert settings.fetch.allow_private_networks is False
    assert settings.fetch.per_host_concurrency == 2
    assert "newsdesk/" in settings.fetch.effective_user_agent()
    assert settings.fetch.contact_url in settings.fetch.effective_user_agent()


def test_file_in_working_directory_is_found_and_overrides(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSDESK_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, '[store]\npath = "data/news.db"\n[fetch]\nconcurrency = 4\ntimeout = 5\n')
    settings = load_settings()
    assert settings.fetch.concurrency == 4
    assert settings.fetch.timeout == 5.0
    assert settings.db_path == tmp_path / "data" / "news.db"


def test_newsdesk_db_overrides_the_store_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, '[store]\npath = "data/news.db"\n')
    monkeypatch.setenv("NEWSDESK_DB", str(tmp_path / "other.db"))
    assert load_settings().db_path == tmp_path / "other.db"


def test_newsdesk_config_env_names_the_file(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    path.write_text("[fetch]\nper_host_concurrency = 1\n")
    monkeypatch.setenv("NEWSDESK_CONFIG", str(path))
    assert load_settings().fetch.per_host_concurrency == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("[fetch]\nconcurency = 3\n", r"unknown key 'fetch.concurency' in .*newsdesk.toml"),
        ("[fetch]\nallow_private_networks = \"yes\"\n", r"'fetch.allow_private_networks' in .* must be a boolean"),
        ("[fetch]\nconcurrency = 2.5\n", r"'fetch.concurrency' in .* must be an integer"),
        ("[fetch]\ntimeout = -1\n", r"'fetch.timeout' .* must not be negative"),
        ("[stor]\npath = 'x.db'\n", r"unknown section \[stor\] in .*newsdesk.toml"),
        ("store = 3\n", r"'store' in .* must be a table"),
        ("[fetch\n", r"newsdesk.toml is not valid TOML"),
    ],
)
def test_bad_files_are_rejected_naming_key_and_file(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "nope.toml")


def test_cli_prints_one_line_without_traceback(runner, tmp_path, db_path):
    path = _write(tmp_path, "[fetch]\nbogus = 1\n")
    result = runner.invoke(cli, ["--config", str(path), "info"], obj={})
    assert result.exit_code == 1
    assert "unknown key 'fetch.bogus'" in result.output
    assert "Traceback" not in result.output
    assert result.output.count("\n") == 1


def test_debug_flag_shows_the_exception(runner, tmp_path, db_path):
    path = _write(tmp_path, "[fetch]\nbogus = 1\n")
    result = runner.invoke(cli, ["--debug", "--config", str(path), "info"], obj={})
    assert result.exit_code == 1
    assert isinstance(result.exception, ConfigError)


def test_config_command_prints_a_valid_file_with_every_key(runner, tmp_path, db_path):
    result = runner.invoke(cli, ["config"], obj={})
    assert result.exit_code == 0
    path = _write(tmp_path, result.output)
    settings = load_settings(path)
    assert settings.fetch.max_redirects == 5
    for key in documented_keys():
        assert f"{key.name} = " in result.output
