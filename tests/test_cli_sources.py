import json

from newsdesk.cli import cli


def test_add_list_remove(runner, db_path):
    added = runner.invoke(cli, ["sources", "add", "https://feeds.example/ai.xml", "--name", "AI", "--tag", "tech"], obj={})
    assert added.exit_code == 0 and "Added source 1" in added.output
    listed = json.loads(runner.invoke(cli, ["sources", "list", "--json"], obj={}).output)
    assert [(r["id"], r["name"], json.loads(r["tags"])) for r in listed] == [(1, "AI", ["tech"])]
    removed = runner.invoke(cli, ["sources", "remove", "1"], obj={})
    assert removed.exit_code == 0
    assert json.loads(runner.invoke(cli, ["sources", "list", "--json"], obj={}).output) == []


def test_duplicate_and_bad_urls_are_one_line_errors(runner, db_path):
    runner.invoke(cli, ["sources", "add", "https://feeds.example/ai.xml"], obj={})
    duplicate = runner.invoke(cli, ["sources", "add", "https://feeds.example/ai.xml"], obj={})
    assert duplicate.exit_code == 1 and "already followed" in duplicate.output
    bad = runner.invoke(cli, ["sources", "add", "file:///etc/passwd"], obj={})
    assert bad.exit_code == 1 and "only http and https" in bad.output
    missing = runner.invoke(cli, ["sources", "remove", "42"], obj={})
    assert missing.exit_code == 1 and "no source with id 42" in missing.output
    for result in (duplicate, bad, missing):
        assert "Traceback" not in result.output


def test_crawl_without_sources_says_what_to_do(runner, db_path):
    result = runner.invoke(cli, ["crawl"], obj={})
    assert result.exit_code == 1
    assert "newsdesk sources add" in result.output
