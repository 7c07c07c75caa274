"""The dashboard in a real browser: the README's own command, `./dev dashboard`, on 127.0.0.1 with the
demo database, opened in headless Chromium (Debian's package) through Playwright."""

from __future__ import annotations

import os
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
        search = page.get_by_label("Search articles (words, within the filters)")
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
                         "Review"]
        for path, title, content in PAGES:
            page.goto(f"{dashboard}/{path}", wait_until="domcontentloaded")
            page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=60_000)
            page.locator(content).first.wait_for(timeout=60_000)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            page.screenshot(path=str(tmp_path / f"{path}.png"), full_page=True)
        browser.close()


@pytest.mark.timeout(600)
def test_a_correction_on_the_review_page_is_learnt_by_the_next_train(dashboard, demo_db, tmp_path):
    """The teaching loop end to end: sign the correction with a name, change a judgement on the Review
    page, see it under recent corrections, then `newsdesk train` learns from it."""
    import subprocess
    import sys

    from playwright.sync_api import sync_playwright

    from newsdesk.store import open_db

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(f"{dashboard}/review", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Review", exact=True).wait_for(timeout=60_000)
        name = page.get_by_label("Your name (recorded with each correction)")
        name.fill("Dana")
        name.press("Enter")
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
