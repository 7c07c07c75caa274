import json

from newsdesk.cli import cli


def test_add_list_remove(runner, db_path):
    added = runner.invoke(cli, ["sources", "add", "https://feeds.example/ai.xml", "--name", "AI", "--tag", "tech"], obj={})
    assert added.exit_code == 0 and "Added source 1" in added.output
    listed = json.loads(runner.invoke(cli, ["sources", "list", "--json"], obj={}).output)
    assert [(r["id"], r["name"], json.loads(r["tags"])) for r in listed] == [(1, "AI", ["tech"])]
    declined = runner.invoke(cli, ["sources", "remove", "1"], input="n\n", obj={})
    assert declined.exit_code == 1 and "Remove AI (https://feeds.example/ai.xml) and its 0 articles?" in declined.output
    assert len(json.loads(runner.invoke(cli, ["sources", "list", "--json"], obj={}).output)) == 1
    removed = runner.invoke(cli, ["sources", "remove", "1", "--yes"], obj={})
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


def test_variants_of_one_feed_are_one_source_and_opml_gets_the_same_checks(runner, db_path, tmp_path):
    added = runner.invoke(cli, ["sources", "add", "HTTPS://Feeds.Example/ai/?utm_source=x"], obj={})
    assert added.exit_code == 0 and "https://feeds.example/ai/" in added.output
    for variant in ("https://feeds.example/ai", "https://FEEDS.example/ai/?utm_medium=rss"):
        again = runner.invoke(cli, ["sources", "add", variant], obj={})
        assert again.exit_code == 1 and "already followed as https://feeds.example/ai/" in again.output
    opml = tmp_path / "feeds.opml"
    opml.write_text("""<?xml version="1.0"?><opml version="2.0"><body>
      <outline type="rss" text="dup" xmlUrl="https://feeds.example/ai?utm_campaign=y"/>
      <outline type="rss" text="local" xmlUrl="file:///etc/passwd"/>
      <outline type="rss" text="js" xmlUrl="javascript:alert(1)"/>
      <outline type="rss" text="ftp" xmlUrl="ftp://feeds.example/x.xml"/>
      <outline type="rss" text="new" xmlUrl="HTTPS://Other.Example/feed.xml"/>
    </body></opml>""")
    result = runner.invoke(cli, ["sources", "import-opml", str(opml)], obj={})
    assert result.exit_code == 0, result.output
    assert "Imported 1 sources (1 already followed, 3 refused)" in result.output
    assert result.output.count("only http and https") == 3 and "Traceback" not in result.output
    urls = [r["url"] for r in json.loads(runner.invoke(cli, ["sources", "list", "--json"], obj={}).output)]
    assert urls == ["https://feeds.example/ai/", "https://other.example/feed.xml"]
