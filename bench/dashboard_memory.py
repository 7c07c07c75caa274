"""The dashboard server's memory after a visitor has opened every page, at a million articles.

    python bench/make_synthetic_db.py /tmp/bench-1m.db
    python bench/dashboard_memory.py /tmp/bench-1m.db

Starts `newsdesk dashboard` on 127.0.0.1, opens each page in headless Chromium (Debian's package),
then prints the server's resident memory (RSS). Target (issue #18): < 600 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

PAGES = ("overview", "stories", "articles", "entities", "matrix", "sources", "briefings", "review", "watchlists")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--metrics-recording-only", "--no-pings"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc; `newsdesk dashboard` execs Streamlit in its own process)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1000
    return 0.0


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("skipped: no Chromium on this machine (apt-get install chromium)")
    port = _free_port()
    newsdesk = str(Path(sys.executable).with_name("newsdesk"))
    server = subprocess.Popen([newsdesk, "dashboard", "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env={**os.environ, "NEWSDESK_DB": str(args.path)})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        print(f"server up: {_rss_mb(server.pid):.0f} MB")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for path in PAGES:
                started = time.perf_counter()
                page.goto(f"{url}/{path}", wait_until="domcontentloaded")
                page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=120_000)
                page.wait_for_timeout(1500)  # let the page finish its charts and tables
                print(f"{path:<11} shown in {time.perf_counter() - started:5.1f} s; server {_rss_mb(server.pid):5.0f} MB")
            browser.close()
        print(f"after every page: {_rss_mb(server.pid):.0f} MB (target < 600 MB)")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
