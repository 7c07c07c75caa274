import pytest

from newsdesk.cli import cli
from newsdesk.errors import SourceError
from newsdesk.models import Source
from newsdesk.opml import read_opml, write_opml
from newsdesk.store.sources import list_sources

NESTED = b"""<?xml version="1.0"?>
<opml version="1.0"><head><title>mine</title></head><body>
  <outline text="trade">
    <outline type="rss" text="Trade One" xmlUrl="https://one.example/feed" htmlUrl="https://one.example/"/>
    <outline type="rss" title="Trade Two" text="t2" xmlUrl="https://two.example/rss" category="/film,tv"/>
  </outline>
  <outline type="rss" text="Loose" xmlUrl="https://three.example/atom.xml"/>
</body></opml>"""


def test_nested_folders_and_categories_become_tags():
    subs = read_opml(NESTED)
    assert [(s.name, s.url, s.tags) for s in subs] == [
        ("Trade One", "https://one.example/feed", ["trade"]),
        ("Trade Two", "https://two.example/rss", ["film", "trade", "tv"]),
        ("Loose", "https://three.example/atom.xml", []),
    ]
    assert subs[0].site_url == "https://one.example/"


def test_round_trip_keeps_urls_names_and_tags():
    sources = [
        Source(id=1, url="https://a.example/feed?x=1&y=2", name="A & Co <News>", tags=["trade", "tv"]),
        Source(id=2, url="https://b.example/rss", name="B", site_url="https://b.example/"),
    ]
    back = read_opml(write_opml(sources))
    assert [(s.url, s.name, s.tags, s.site_url) for s in back] == [
        ("https://a.example/feed?x=1&y=2", "A & Co <News>", ["trade", "tv"], None),
        ("https://b.example/rss", "B", [], "https://b.example/"),
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<opml version="2.0"><body><outline text="&lol3;" xmlUrl="https://x.example/"/></body></opml>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://x.example/"/></body></opml>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["entity-expansion", "external-entity"])
def test_hostile_opml_is_refused(data):
    with pytest.raises(SourceError, match="refused"):
        read_opml(data, where="evil.opml")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<opml><body><outline", "not well-formed"),
        (b"<rss version='2.0'><channel/></rss>", "root element is <rss>"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
    ],
)
def test_malformed_opml_is_reported_clearly(data, message):
    with pytest.raises(SourceError, match=message):
        read_opml(data, where="bad.opml")


def test_cli_import_then_export_round_trips(runner, tmp_path, db_path):
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(NESTED)
    first = runner.invoke(cli, ["sources", "import-opml", str(opml)], obj={})
    again = runner.invoke(cli, ["sources", "import", str(opml)], obj={})
    assert "Imported 3 sources" in first.output
    assert "Imported 0 sources" in again.output and "3 already followed" in again.output
    out = tmp_path / "out.opml"
    assert runner.invoke(cli, ["sources", "export-opml", str(out)], obj={}).exit_code == 0
    assert sorted(s.url for s in read_opml(out.read_bytes())) == sorted(s.url for s in read_opml(NESTED))


def test_cli_hostile_opml_is_one_line_error(runner, tmp_path, db_path):
    opml = tmp_path / "evil.opml"
    opml.write_bytes(EXTERNAL_ENTITY)
    result = runner.invoke(cli, ["sources", "import-opml", str(opml)], obj={})
    assert result.exit_code == 1
    assert "evil.opml was refused" in result.output
    assert "Traceback" not in result.output


def test_import_defaults_loads_the_curated_publishers(runner, db_path, db):
    result = runner.invoke(cli, ["sources", "import-defaults"], obj={})
    assert result.exit_code == 0, result.output
    names = {s.name for s in list_sources(db)}
    assert {"Variety", "Deadline", "The Hollywood Reporter", "IndieWire", "TheWrap", "The Verge",
            "TechCrunch: AI", "Ars Technica", "Wired: AI"} <= names
    assert all(s.url.startswith("https://") for s in list_sources(db))
