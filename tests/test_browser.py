"""The dashboard in a real browser: the README's own command, `./dev dashboard`, on 127.0.0.1 with the
demo database, opened in headless Chromium (Debian's package) through Playwright."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.local_servers import free_port, running

DEV = Path(__file__).resolve().parents[1] / "dev"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Without the background-networking flags Chromium tries to reach Google's hosts at every start.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
         "--metrics-recording-only", "--no-pings"]
HOSTILE = "<script>alert('newsdesk-xss')</script> Leaked studio memo sets targets for AI use in development"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium; "
                                                         ".ci/run installs it)")


@pytest.fixture
def dashboard(demo_db, tmp_path):
    port = free_port()
    with running([str(DEV), "dashboard", "--port", str(port)], port, tmp_path / "streamlit.log",
                 env={**os.environ, "NEWSDESK_DB": str(demo_db)}, cwd=tmp_path) as url:
        yield url


def test_overview_charts_and_hostile_title_as_text_in_chromium(dashboard, tmp_path):
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: outside.append(request.url)
                if not request.url.startswith((dashboard, "data:", "blob:")) else None)
        page.goto(dashboard, wait_until="domcontentloaded")
        page.get_by_text("What happened in AI and entertainment").wait_for(timeout=60_000)
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        charts.nth(1).wait_for(timeout=60_000)
        assert charts.count() >= 2
        page.locator('[data-testid="stMetric"]').first.wait_for()
        assert page.locator('[data-testid="stMetric"]').count() == 4
        page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)

        page.goto(f"{dashboard}/articles?all=1", wait_until="domcontentloaded")
        search = page.get_by_label("Search articles", exact=False)
        search.wait_for(timeout=60_000)
        search.fill("Leaked studio memo")
        search.press("Enter")
        heading = page.get_by_role("heading", name=HOSTILE)
        heading.wait_for(timeout=60_000)
        assert heading.inner_text().strip() == HOSTILE  # the tag is shown as text
        assert page.evaluate("document.querySelectorAll('script:not([src])').length") == page.evaluate(
            "[...document.scripts].filter(s => !s.src).length")
        assert page.evaluate("[...document.scripts].every(s => !s.textContent.includes('newsdesk-xss'))")
        page.screenshot(path=str(tmp_path / "articles.png"), full_page=True)
        browser.close()
    assert dialogs == []  # alert('newsdesk-xss') never ran
    assert outside == []  # the page loaded nothing from outside the dashboard
    assert (tmp_path / "overview.png").stat().st_size > 10_000


# Each page of the router, and what only that page shows once its data has rendered.
PAGES = [
    ("overview", "What happened in AI and entertainment", '[data-testid="stVegaLiteChart"]'),
    ("stories", "Stories", '[data-testid="stDataFrame"]'),
    ("articles", "Articles", '[data-testid="stTextInput"]'),
    ("entities", "Entities", '[data-testid="stDataFrame"]'),
    ("matrix", "Impact matrix", '[data-testid="stVegaLiteChart"]'),
    ("sources", "Sources", '[data-testid="stDataFrame"]'),
    ("briefings", "Briefings", '[data-testid="stMarkdownContainer"] h1'),
    ("review", "Review", '[data-testid="stRadio"]'),
    ("watchlists", "Watchlists", '[data-testid="stForm"]'),
]


def test_every_page_of_dev_dashboard_renders_its_content(dashboard, tmp_path):
    """Not a blank page: the sidebar lists newsdesk's pages (not Streamlit's file list) and each page
    renders its title and its data, with no exception box."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(dashboard, wait_until="domcontentloaded")
        nav = page.locator('[data-testid="stSidebarNav"]')
        nav.wait_for(timeout=60_000)
        links = [text.strip() for text in nav.locator("a").all_inner_texts()]
        assert links == ["Overview", "Stories", "Articles", "Entities", "Impact matrix", "Sources", "Briefings",
                         "Review", "Watchlists"]
        for path, title, content in PAGES:
            page.goto(f"{dashboard}/{path}", wait_until="domcontentloaded")
            page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=60_000)
            page.locator(content).first.wait_for(timeout=60_000)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            page.screenshot(path=str(tmp_path / f"{path}.png"), full_page=True)
        browser.close()


@pytest.mark.timeout(600)
def test_a_correction_on_the_review_page_is_learnt_by_the_next_train(dashboard, demo_db, tmp_path):
    """The teaching loop end to end, with accounts on: sign in, change a judgement on the Review page,
    see it under recent corrections with the account's name, then `newsdesk train` learns from it."""
    import subprocess
    import sys

    from playwright.sync_api import sync_playwright

    from newsdesk.store import open_db
    from newsdesk.store.users import add_user

    add_user(open_db(demo_db), "Dana", "correct horse battery", at="2026-11-30T00:00:00Z")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(f"{dashboard}/review", wait_until="domcontentloaded")
        page.get_by_label("Name").wait_for(timeout=60_000)  # accounts exist: sign in first
        assert page.get_by_role("heading", name="Review", exact=True).count() == 0
        page.get_by_role("textbox", name="Name").fill("Dana")
        page.get_by_role("textbox", name="Password").fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Sign out (Dana)").wait_for(timeout=60_000)
        page.locator('[data-testid="stSidebarNav"] a', has_text="Review").click()  # within the signed-in session
        page.get_by_role("heading", name="Review", exact=True).wait_for(timeout=60_000)
        assert page.get_by_label("Your name (recorded with each correction)").count() == 0
        tone = page.locator('[data-testid="stRadio"]').first  # the least sure article's tone
        tone.wait_for(timeout=60_000)
        options = tone.locator('label:has(input[type="radio"])')
        checked = [options.nth(i).locator("input").is_checked() for i in range(options.count())]
        texts = [t.strip() for t in options.all_inner_texts()]
        current = texts[checked.index(True)]
        other = texts[checked.index(False)]
        options.nth(checked.index(False)).click()
        page.get_by_text("Saving will change:").wait_for(timeout=30_000)
        page.get_by_role("button", name="Save correction").click()
        page.get_by_text("Saved for").wait_for(timeout=60_000)
        page.get_by_text(f"dashboard:Dana: sentiment = {other}").first.wait_for(timeout=30_000)
        page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
        browser.close()
    assert current != other
    rows = list(open_db(demo_db).query("SELECT field, value, who FROM labels"))
    assert {r["field"] for r in rows} == {"relevant", "themes", "sentiment"}
    assert {r["who"] for r in rows} == {"dashboard:Dana"}
    assert [r["value"] for r in rows if r["field"] == "sentiment"] == [f'"{other}"']
    newsdesk = str(Path(sys.executable).with_name("newsdesk"))
    trained = subprocess.run([newsdesk, "train", "--force"], capture_output=True, text=True, timeout=600,
                             env={**os.environ, "NEWSDESK_DB": str(demo_db), "COLUMNS": "200"})
    assert trained.returncode == 0, trained.stderr + trained.stdout
    assert "1 correction" in trained.stdout and "Installed trained-" in trained.stdout


MARKDOWN_HOSTILE = ("Studio memo :red[x] :rocket: :material/home: $x$ [t](javascript:alert(1)) "
                    "![i](http://127.0.0.1:9/i.png) see www.attacker.example and http://attacker.example/x")


def test_streamlit_markdown_directives_in_feed_text_render_literally_in_chromium(demo_db, tmp_path):
    """Colour directives, emoji and icon shortcodes, math, links, images and bare URLs stay text."""
    from datetime import UTC, datetime, timedelta

    from playwright.sync_api import sync_playwright

    from newsdesk.config import Settings
    from newsdesk.models import Entry
    from newsdesk.normalise.clean import normalise_entry
    from newsdesk.store import open_db
    from newsdesk.store.articles import upsert_articles
    from pipelines.enrich import run_enrich

    db = open_db(demo_db)
    now = datetime.now(UTC)
    last_week = now - timedelta(days=7)  # inside the default period: the last complete weeks
    source_id = db.execute("SELECT MIN(id) FROM sources").fetchone()[0]
    entry = Entry("hostile-md", "https://outlet.example/hostile-md", MARKDOWN_HOSTILE, "A summary.", "", None,
                  None, last_week)
    upsert_articles(db, [normalise_entry(entry, source_id=source_id, feed_url="https://outlet.example/feed",
                                         fetched_at=now)], now=now.isoformat())
    run_enrich(Settings(), db)  # the Articles page lists judged articles
    db.close()
    port = free_port()
    requested: list[str] = []
    with running([str(DEV), "dashboard", "--port", str(port)], port, tmp_path / "streamlit.log",
                 env={**os.environ, "NEWSDESK_DB": str(demo_db)}, cwd=tmp_path) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{url}/articles?all=1", wait_until="domcontentloaded")
        search = page.get_by_label("Search articles", exact=False)
        search.wait_for(timeout=60_000)
        search.fill("Studio memo rocket")
        search.press("Enter")
        heading = page.locator("h3", has_text="Studio memo")
        heading.wait_for(timeout=60_000)
        shown = heading.inner_text().replace("\u200b", "").strip()
        assert shown == MARKDOWN_HOSTILE
        hrefs = [a.get_attribute("href") or "" for a in heading.locator("a").all()]
        outside = [h for h in hrefs if not h.startswith("#")]  # Streamlit adds a "#" anchor to headings
        assert outside == ["https://outlet.example/hostile-md"]  # only the article's own link: nothing autolinked
        assert heading.locator('img, [data-testid="stIconMaterial"], span[style*="color"]').count() == 0
        assert heading.locator(".katex").count() == 0
        page.screenshot(path=str(tmp_path / "hostile-markdown.png"), full_page=True)
        browser.close()
    assert not [r for r in requested if "127.0.0.1:9" in r]  # the image was never requested


@pytest.mark.timeout(600)
def test_an_analysts_monday_through_newsdesk_dashboard_with_accounts_on(demo_db, tmp_path):
    """The README's `newsdesk dashboard`, accounts on: sign in, walk every page from the sidebar, filter
    by a theme, open a story from its card, search a phrase and download the results as CSV."""
    import csv
    import sys

    from playwright.sync_api import sync_playwright

    from newsdesk.store import open_db
    from newsdesk.store.users import add_user

    add_user(open_db(demo_db), "Ana", "a long enough secret", at="2026-11-30T00:00:00Z")
    newsdesk = str(Path(sys.executable).with_name("newsdesk"))
    port = free_port()
    with running([newsdesk, "dashboard", "--port", str(port)], port, tmp_path / "streamlit.log",
                 env={**os.environ, "NEWSDESK_DB": str(demo_db)}, cwd=tmp_path) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_role("textbox", name="Name").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # nothing before signing in
        page.get_by_role("textbox", name="Name").fill("Ana")
        page.get_by_role("textbox", name="Password").fill("a long enough secret")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Sign out (Ana)").wait_for(timeout=60_000)
        page.reload(wait_until="domcontentloaded")  # a new Streamlit session: the browser stays signed in
        page.get_by_text("Sign out (Ana)").wait_for(timeout=60_000)
        nav = page.locator('[data-testid="stSidebarNav"]')
        for path, title, content in PAGES:
            nav.locator("a", has_text=title if path != "overview" else "Overview").first.click()
            page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=60_000)
            page.locator(content).first.wait_for(timeout=60_000)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            page.screenshot(path=str(tmp_path / f"signed-in-{path}.png"), full_page=True)

        nav.locator("a", has_text="Overview").click()
        articles_metric = page.locator('[data-testid="stMetric"]').first
        articles_metric.wait_for(timeout=60_000)
        everything = int(articles_metric.locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))
        themes = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        themes.click()
        page.get_by_role("option", name="legal").click()
        page.keyboard.press("Escape")
        page.wait_for_function(
            """n => { const v = document.querySelector('[data-testid="stMetricValue"]');
                      return v && parseInt(v.innerText.replace(/,/g, '')) < n; }""", arg=everything, timeout=60_000)
        assert "theme=legal" in page.url

        card = page.locator('[class*="st-key-card-"]').first  # a story card (a keyed container)
        card.wait_for(timeout=60_000)
        title = card.locator("strong").first.inner_text().strip()
        card.get_by_role("button", name="Open story").click()
        page.get_by_role("heading", name="Stories", exact=True).wait_for(timeout=60_000)
        page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
        assert "legal" in themes.inner_text()  # the filter holds across pages
        page.screenshot(path=str(tmp_path / "opened-story.png"), full_page=True)

        nav.locator("a", has_text="Articles").click()
        search = page.get_by_label("Search articles", exact=False)
        search.wait_for(timeout=60_000)
        search.fill('"AI music"')
        search.press("Enter")
        page.get_by_text(re.compile(r"^\d+ match(es)?")).wait_for(timeout=60_000)
        bold = page.locator('[data-testid="stMarkdownContainer"] strong', has_text=re.compile("ai music", re.IGNORECASE))
        bold.first.wait_for(timeout=60_000)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Download these articles as CSV").click()
        saved = tmp_path / "results.csv"
        download.value.save_as(saved)
        page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
        page.get_by_role("button", name="Sign out (Ana)").click()
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        page.reload(wait_until="domcontentloaded")  # signed out for good: the cookie's token is void
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        browser.close()
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert rows and set(rows[0]) == {"published", "source", "title", "themes", "sentiment", "url"}
    assert all("legal" in r["themes"] for r in rows)  # the theme filter holds on the search too
