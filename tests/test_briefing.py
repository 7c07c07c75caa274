"""Weekly briefings on the demo database: sections, numbers equal to direct queries, determinism,
hostile text inert in every format, an empty week, the PDF's fetcher, the CLI and email delivery."""

from __future__ import annotations

import copy
import io
import json
import re
from datetime import timedelta
from html import unescape

import pytest
from pypdf import PdfReader

from newsdesk.analyse.weeks import week_bounds, week_of
from newsdesk.cli import cli
from newsdesk.clock import from_iso
from newsdesk.config import Settings
from newsdesk.present.briefing.content import gather_briefing, to_json
from newsdesk.present.briefing.html import CSP, render_html
from newsdesk.present.briefing.markdown import render_markdown
from newsdesk.present.briefing.pdf import embedded_only_fetcher, render_pdf
from newsdesk.store import open_db
from pipelines.brief import email_briefing, last_complete_week, make_briefing
from tests.local_servers import smtp_inbox

SECTIONS = ["## What you need to know", "## Headline figures", "## Top stories", "## By theme", "### Labour", "### Legal", "### Technology",
            "### Business", "## What changed since last week", "**New storylines**",
            "**Continuing storylines**", "**Gone quiet**", "## Rising entities", "## Impact matrix",
            "## The last 12 weeks"]
HOSTILE = {
    "script": "<script>alert('x')</script> Studio memo",
    "image": "![tracker](http://attacker.invalid/pixel.png) Dubbing start-up",
    "link": "[Read the filing](javascript:alert(1)) Novelists sue",
    "formula": '=HYPERLINK("http://attacker.invalid","click") Charts',
}


@pytest.fixture
def week() -> str:
    return last_complete_week()


def _relevant_in_week(db, week: str, extra: str = "", params: tuple = ()) -> int:
    start, end = week_bounds(week)
    return db.execute(
        f"""SELECT COUNT(DISTINCT a.id) FROM articles a JOIN enrichments e ON e.article_id = a.id AND e.relevant = 1
            {extra} WHERE a.published_at >= ? AND a.published_at < ? AND a.duplicate_of IS NULL""",
        [*params, start, end]).fetchone()[0]


def test_every_section_is_there_and_the_numbers_match_the_database(demo_db, week):
    db = open_db(demo_db)
    content = gather_briefing(db, week)
    markdown = render_markdown(content)
    positions = [markdown.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    head = content["headline"]
    assert head["articles"]["now"] == _relevant_in_week(db, week) > 0
    previous = week_of(from_iso(week_bounds(week)[0]) - timedelta(days=7))
    assert head["articles"]["before"] == _relevant_in_week(db, previous)
    assert f"| Relevant articles | {head['articles']['now']} | {head['articles']['before']} |" in markdown
    for section in content["themes"]:
        expected = _relevant_in_week(db, week, "JOIN article_themes t ON t.article_id = a.id AND t.theme = ?",
                                     (section["theme"],))
        assert section["articles"]["now"] == expected
        assert f"\n{expected} articles (" in markdown.split(f"### {section['theme'].capitalize()}")[1]
    start, end = week_bounds(week)
    assert content["top_stories"], "the demo week has stories"
    for story in content["top_stories"]:
        outlets = db.execute(
            """SELECT COUNT(DISTINCT a.source_id) FROM article_stories m JOIN articles a ON a.id = m.article_id
               WHERE m.story_id = ? AND a.published_at >= ? AND a.published_at < ?""",
            [story["id"], start, end]).fetchone()[0]
        assert story["outlets"] == outlets == len(story["links"])
        assert 1 <= len(story["summary"]) <= 3
    impacts = [s["impact"] for s in content["top_stories"]]
    assert impacts == sorted(impacts, reverse=True)
    method = content["methodology"]
    assert method["articles"] == db.execute("SELECT COUNT(*) FROM articles WHERE published_at >= ? AND "
                                            "published_at < ?", [start, end]).fetchone()[0]
    assert method["model_versions"] and method["model_versions"][0] in markdown


def test_stories_are_told_from_the_weeks_articles_without_boilerplate(demo_db, week):
    """Title, summary and links come from the week's articles, at least one of them about AI; the
    sample's stock paragraphs (shared by many stories) never make a summary; a story sits in its main
    theme's section only."""
    from newsdesk.sample import build

    stock = {" ".join(s.lower().split()) for group in build._load("templates.json")["paragraphs"].values() for s in group}
    db = open_db(demo_db)
    content = gather_briefing(db, week)
    start, end = week_bounds(week)
    assert content["top_stories"]
    for story in content["top_stories"]:
        assert not stock & {" ".join(s.lower().split()) for s in story["summary"]}, story["summary"]
        assert 1 <= len(story["summary"]) <= 2
        week_titles = {row[0] for row in db.execute(
            """SELECT a.title FROM article_stories m JOIN articles a ON a.id = m.article_id
               WHERE m.story_id = ? AND a.published_at >= ? AND a.published_at < ?""", [story["id"], start, end])}
        assert story["title"] in week_titles
        assert {link["title"] for link in story["links"]} <= week_titles
    shown = [s["id"] for section in content["themes"] for s in section["stories"]]
    for story_id in {s["id"] for s in content["top_stories"]} | set(shown):
        assert db.execute(  # a story whose week brought nothing about AI is not news of the week
            """SELECT 1 FROM article_stories m JOIN articles a ON a.id = m.article_id
               JOIN enrichments e ON e.article_id = a.id AND e.relevant = 1
               WHERE m.story_id = ? AND a.published_at >= ? AND a.published_at < ?""", [story_id, start, end]).fetchone()
    assert len(shown) == len(set(shown)), "a story appears in more than one theme section"
    assert len(content["key_points"]) == 3
    assert content["top_stories"][0]["title"] in content["key_points"][1]


def test_continuing_storylines_and_one_date_header_in_every_format(demo_db, week):
    db = open_db(demo_db)
    content = gather_briefing(db, week)
    start, _ = week_bounds(week)
    last_week = week_bounds(week_of(from_iso(start) - timedelta(days=3)))[0]
    for story in content["changes"]["continuing"]:
        before = db.execute("""SELECT COUNT(*) FROM article_stories m JOIN articles a ON a.id = m.article_id
                               WHERE m.story_id = ? AND a.published_at >= ? AND a.published_at < ?""",
                            [story["id"], last_week, start]).fetchone()[0]
        assert before >= 1
    assert content["changes"]["continuing"], "the demo's last week continues at least one storyline"
    header = content["period"]
    assert re.fullmatch(r"\d{1,2}(–\d{1,2} \w+| \w+ – \d{1,2} \w+)( \d{4})?(.*\d{4})?", header)
    assert header in render_markdown(content)
    assert header in render_html(content)
    assert json.loads(to_json(content))["period"] == header


def test_the_matrix_shows_segments_and_stakeholders_apart(demo_db, week):
    from newsdesk.models import INDUSTRY_SEGMENTS, STAKEHOLDERS

    content = gather_briefing(open_db(demo_db), week)
    markdown = render_markdown(content)
    segments = markdown.split("| Segment |", 1)[1].split("| Stakeholder |", 1)[0]
    stakeholders = markdown.split("| Stakeholder |", 1)[1].split("## ", 1)[0]
    rows = lambda table: [line.split("|")[1].strip() for line in table.splitlines()[2:] if line.startswith("|")]  # noqa: E731
    assert rows(segments) and set(rows(segments)) <= set(INDUSTRY_SEGMENTS)
    assert rows(stakeholders) and set(rows(stakeholders)) <= set(STAKEHOLDERS)
    html = render_html(content)
    assert "<th>Segment</th>" in html and "<th>Stakeholder</th>" in html


def test_markdown_and_json_are_byte_identical_for_the_same_database_and_week(demo_db, week):
    first = make_briefing(Settings(), open_db(demo_db), week)
    second = make_briefing(Settings(), open_db(demo_db), week)
    assert first.markdown == second.markdown and first.json == second.json and first.html == second.html
    assert json.loads(first.json)["week"] == week


def test_one_theme_only(demo_db, week):
    content = gather_briefing(open_db(demo_db), week, theme="labour")
    assert [s["theme"] for s in content["themes"]] == ["labour"]
    assert all("labour" in s["themes"] for s in content["top_stories"])
    assert content["headline"]["articles"]["now"] == content["themes"][0]["articles"]["now"]


def test_an_empty_week_gives_a_short_clear_briefing(demo_db):
    content = gather_briefing(open_db(demo_db), "2001-W10")
    markdown = render_markdown(content)
    assert "No relevant articles were collected this week." in markdown
    assert "## Top stories" not in markdown and len(markdown.splitlines()) < 15
    assert "No relevant articles" in render_html(content)
    assert json.loads(to_json(content))["headline"]["articles"]["now"] == 0


def _hostile(content: dict) -> dict:
    content = copy.deepcopy(content)
    story = content["top_stories"][0]
    story["title"] = HOSTILE["script"]
    story["summary"] = [HOSTILE["image"], HOSTILE["formula"]]
    story["links"] = [{"outlet": HOSTILE["link"], "title": "x", "url": "javascript:alert(1)"},
                      {"outlet": "<b>Outlet</b>", "title": "y", "url": "https://example.org/a?b=1&c=\"><script>"}]
    content["changes"]["quiet"] = [{"id": "q", "title": HOSTILE["link"], "last_seen": "2026-01-01", "outlets": 2,
                                    "event_type": "other"}]
    content["rising"] = [{"entity": "x", "name": HOSTILE["formula"], "type": "org", "count": 3, "baseline": 0.1,
                          "factor": 3.0, "z": 2.5}]
    return content


def test_hostile_feed_text_is_inert_in_every_format(demo_db, week, pdf_support):
    content = _hostile(gather_briefing(open_db(demo_db), week))
    markdown = render_markdown(content)
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "![tracker]" not in markdown and "\\!\\[tracker\\]" in markdown
    assert "](javascript:" not in markdown.replace("\\](javascript:", "")  # only as escaped text
    html = render_html(content)
    assert "<script" not in html.lower() and "&lt;script&gt;" in html
    policy_meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert unescape(policy_meta.group(1)) == CSP and "script-src" not in CSP and "default-src 'none'" in CSP
    assert "<b>Outlet</b>" not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    assert all(src.startswith("data:image/svg+xml;base64,") for src in re.findall(r'src="([^"]*)"', html))
    data = json.loads(to_json(content))
    assert data["top_stories"][0]["title"] == HOSTILE["script"]  # JSON keeps the literal text for other tools
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(html))).pages)
    assert "<script>alert('x')</script> Studio memo" in " ".join(pdf_text.split())  # shown as text


def test_the_demo_week_with_hostile_sample_titles_stays_escaped(demo_db):
    db = open_db(demo_db)
    published = db.execute("SELECT published_at FROM articles WHERE title LIKE '<script>%'").fetchone()[0]
    briefing = make_briefing(Settings(), db, week_of(from_iso(published)))
    assert "<script>" not in briefing.markdown and "<script" not in briefing.html.lower()


def test_pdf_has_pages_and_fetches_nothing_remote(demo_db, week, pdf_support):
    html = make_briefing(Settings(), open_db(demo_db), week).html
    fetcher = embedded_only_fetcher()
    pdf = render_pdf(html, fetcher)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1 and "Headline figures" in reader.pages[0].extract_text()
    assert fetcher.refused == [] and len(fetcher.served) == 2  # the two embedded charts
    hostile = html.replace("</body>", '<img src="http://127.0.0.1:9/pixel.png"><link rel="stylesheet" '
                                      'href="file:///etc/passwd"><img src="https://attacker.invalid/x.png"></body>')
    fetcher = embedded_only_fetcher()
    render_pdf(hostile, fetcher)
    assert sorted(fetcher.refused) == ["file:///etc/passwd", "http://127.0.0.1:9/pixel.png",
                                       "https://attacker.invalid/x.png"]


def test_cli_writes_each_format_and_explains_mistakes(demo_db, runner, tmp_path, week, pdf_support):
    result = runner.invoke(cli, ["briefing", "--week", week])
    assert result.exit_code == 0 and result.output.startswith(f"# AI in entertainment: weekly briefing, {week}")
    result = runner.invoke(cli, ["briefing", "--week", week, "--format", "json"])
    assert json.loads(result.output)["week"] == week
    out = tmp_path / "b.pdf"
    result = runner.invoke(cli, ["briefing", "--week", week, "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
    result = runner.invoke(cli, ["briefing", "--format", "pdf"])
    assert result.exit_code == 2 and "--out" in result.output
    result = runner.invoke(cli, ["briefing", "--week", "2026-47"])
    assert result.exit_code == 1 and "not an ISO week like 2026-W47" in result.output
    assert "Traceback" not in result.output
    assert [r["week"] for r in open_db(demo_db).query("SELECT week FROM briefings")] == [week]


@pytest.fixture
def smtp_server():
    with smtp_inbox() as served:
        yield served


def test_email_arrives_with_html_body_and_pdf_attached(demo_db, week, smtp_server, pdf_support):
    inbox, port = smtp_server
    settings = Settings().replace("email", host="127.0.0.1", port=port, security="none",
                                  sender="newsdesk@example.org", to=["analyst@example.org", "desk@example.org"])
    briefing = make_briefing(settings, open_db(demo_db), week)
    assert email_briefing(settings, briefing) == ["analyst@example.org", "desk@example.org"]
    (recipients, message), = inbox.messages
    assert recipients == ["analyst@example.org", "desk@example.org"]
    assert message["Subject"] == f"AI in entertainment: weekly briefing {week}"
    html = message.get_body(("html",)).get_content()
    assert "Headline figures" in html and "Content-Security-Policy" in html
    assert message.get_body(("plain",)).get_content().startswith("# AI in entertainment")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"newsdesk-{week}.pdf"
    assert attachment.get_content().startswith(b"%PDF")


def test_cli_email_uses_the_config_and_reports_missing_setup(demo_db, runner, tmp_path, week, smtp_server):
    inbox, port = smtp_server
    result = runner.invoke(cli, ["briefing", "--week", week, "--email"])
    assert result.exit_code == 1 and "[briefing.email]" in result.output
    config = tmp_path / "newsdesk.toml"
    config.write_text(f'[briefing.email]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
                      'sender = "newsdesk@example.org"\nto = ["analyst@example.org"]\n')
    result = runner.invoke(cli, ["--config", str(config), "briefing", "--week", week, "--email", "--out",
                                 str(tmp_path / "b.md")])
    assert result.exit_code == 0, result.output
    assert "emailed to analyst@example.org" in result.output
    assert len(inbox.messages) == 1


def test_the_smtp_password_is_never_sent_unencrypted_unless_allowed(demo_db, week, smtp_server, monkeypatch):
    from newsdesk.present.briefing.mail import EmailError

    inbox, port = smtp_server
    monkeypatch.setenv("NEWSDESK_SMTP_PASSWORD", "s3cret")
    settings = Settings().replace("email", host="127.0.0.1", port=port, security="none", user="desk",
                                  sender="newsdesk@example.org", to=["analyst@example.org"])
    briefing = make_briefing(settings, open_db(demo_db), week)
    with pytest.raises(EmailError, match="unencrypted"):
        email_briefing(settings, briefing)
    assert inbox.messages == []  # refused before connecting: nothing sent, no password on the wire


def test_one_colour_per_theme_in_dashboard_and_briefing_and_nice_ticks():
    from newsdesk.present.briefing.charts import volume_chart
    from newsdesk.present.palette import THEME_COLOURS, nice_ticks, theme_colours

    assert theme_colours(["technology", "labour", "mytheme"]) == {
        "labour": THEME_COLOURS["labour"], "mytheme": "#9467bd", "technology": THEME_COLOURS["technology"]}
    svg = volume_chart(["2026-11-02", "2026-11-09"], {"labour": [3, 13], "legal": [1, 0]})
    assert f'fill="{THEME_COLOURS["labour"]}"' in svg and f'fill="{THEME_COLOURS["legal"]}"' in svg
    assert nice_ticks(13) == [0, 5, 10, 15] and nice_ticks(1234) == [0, 500, 1000, 1500]
    import re

    assert re.findall(r'text-anchor="end">([^<]+)<', svg) == ["0", "5", "10", "15"]  # not 0, 3, 6, 10, 13
