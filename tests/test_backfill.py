"""Backfill from archives on a real Dask LocalCluster (2 worker processes on 127.0.0.1), over small WARC
and JSON Lines files written here: broken and non-HTML records are counted and skipped, the results
equal the single-process path's, a killed backfill resumes without duplicates, and `enrich --all
--workers` judges as the single process does."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.config import Settings
from newsdesk.store import open_db
from pipelines.backfill import run_backfill

AI = ["The studio said on Tuesday it would license its film library to an AI video company to train a model.",
      "The union representing actors said it would study whether the deal respects consent and pay for replicas.",
      "Executives expect the model to speed up previsualisation and marketing work on next year's releases."]
SPORT = ["The team won the match after extra time, with a late goal from the captain sealing the result.",
         "Fans celebrated in the streets of the city until late at night, and the coach praised the defence."]
PAGES = [("Lionsgate signs AI deal with Runway for its film library", AI, "2025-03-04"),
         ("Local team wins the cup final after extra time", SPORT, "2025-03-05"),
         ("Voice actors strike over AI clones of their performances in video games", AI, "2025-03-06"),
         ("<script>alert(1)</script> Studio memo sets AI targets for development", AI, "2025-03-07")]


def _page(title: str, paragraphs: list[str], day: str) -> bytes:
    import html

    return (f'<html><head><title>{html.escape(title)}</title><meta property="article:published_time" '
            f'content="{day}T10:00:00Z"></head><body><article><h1>{html.escape(title)}</h1>'
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>").encode()


def write_warc(path: Path, pages=PAGES, *, broken_tail: bool = True) -> None:
    """Good HTML pages, an image, a 404, a page without article text, and (optionally) a corrupt tail."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def record(writer, url: str, body: bytes, status: str = "200 OK", kind: str = "text/html; charset=utf-8"):
        headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        for n, (title, paragraphs, day) in enumerate(pages):
            record(writer, f"https://trade{n % 2}.example/{path.stem}/{n}", _page(title, paragraphs, day))
        record(writer, "https://trade0.example/logo.png", b"\x89PNG\r\n", kind="image/png")
        record(writer, "https://trade0.example/gone", b"<html>gone</html>", status="404 Not Found")
        record(writer, "https://trade0.example/menu", b"<html><body><nav>menu</nav></body></html>")
    if broken_tail:
        with path.open("ab") as out:
            out.write(b"\x1f\x8b\x08\x00 not a gzip member at all")


def write_jsonl(path: Path) -> None:
    rows = [{"url": "https://news.example/x", "title": "Musicians' union sues AI music generator over training data",
             "summary": "The suit says the company copied thousands of recordings without permission.",
             "published": "2025-02-01T09:00:00Z", "source": "News Example"},
            {"url": "https://news.example/y", "title": "Bank raises interest rates again",
             "summary": "The central bank raised rates.", "published": "2025-02-02T09:00:00Z"}]
    path.write_text(json.dumps(rows[0]) + "\n{not json\n" + json.dumps(rows[1]) + "\n", encoding="utf-8")


@pytest.fixture
def archives(tmp_path: Path) -> Path:
    folder = tmp_path / "archives"
    folder.mkdir()
    write_warc(folder / "cc-news-1.warc.gz")
    write_jsonl(folder / "articles.jsonl")
    return folder


def _stored(db_path: Path) -> list[tuple]:
    return sorted(open_db(db_path).execute(
        """SELECT a.id, a.title, a.published_at, s.name, e.relevant, e.themes, e.sentiment
           FROM articles a JOIN sources s ON s.id = a.source_id JOIN enrichments e ON e.article_id = a.id"""))


@pytest.mark.timeout(300)
def test_two_worker_cluster_and_single_process_store_the_same_and_skip_broken_records(archives, tmp_path):
    single, dask = tmp_path / "single.db", tmp_path / "dask.db"
    one = run_backfill(Settings(), open_db(single), [archives], work_dir=tmp_path / "w1", workers=0)
    two = run_backfill(Settings(), open_db(dask), [archives], work_dir=tmp_path / "w2", workers=2)
    assert one == two
    assert (one.files, one.pages, one.failed) == (2, 7, 5)
    assert one.reasons == {"not an HTML page": 1, "HTTP 404": 1, "no article text": 1,
                           "unreadable record, rest of the file skipped: ArchiveLoadFailed": 1,
                           "not an article: JSONDecodeError": 1}
    assert one.relevant == one.stored == 4 and one.stories_touched >= 1
    stored = _stored(single)
    assert stored == _stored(dask)
    titles = {row[1] for row in stored}
    assert "Local team wins the cup final after extra time" not in titles  # --relevant-only by default
    assert "<script>alert(1)</script> Studio memo sets AI targets for development" in titles  # literal text
    db = open_db(dask)
    assert {r[0] for r in db.execute("SELECT published_at FROM articles")} >= {"2025-03-04T00:00:00Z"}
    sources = list(db.execute("SELECT url, active, tags FROM sources ORDER BY url"))
    assert all(url.startswith("archive:") and not active and "archive" in tags for url, active, tags in sources)
    assert db.execute("SELECT COUNT(*) FROM article_stories").fetchone()[0] == 4
    runner = CliRunner()
    status = json.loads(runner.invoke(cli, ["status", "--json"], obj={}, env={"NEWSDESK_DB": str(dask)}).output)
    assert status["unhealthy_sources"] == []  # a backfill's outlets are not failing feeds


def test_dates_and_all_articles_and_mistakes_through_the_command(archives, tmp_path):
    env = {"NEWSDESK_DB": str(tmp_path / "cli.db")}
    runner = CliRunner()
    done = runner.invoke(cli, ["backfill", str(archives), "--workers", "0", "--all", "--since", "2025-03-05",
                               "--work-dir", str(tmp_path / "w"), "--json"], obj={}, env=env)
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    assert report["outside_dates"] == 3 and report["stored"] == 3  # 3-05, 3-06 and 3-07 pages, sport included
    for args, message in ((["backfill", str(tmp_path / "missing.warc")], "no such file"),
                          (["backfill", str(tmp_path / "cli.db")], "is not a WARC"),
                          (["backfill", str(archives), "--until", "March"], "not a date")):
        failed = runner.invoke(cli, args, obj={}, env=env)
        assert failed.exit_code == 1 and message in failed.output and "Traceback" not in failed.output
    archive_source = str(open_db(tmp_path / "cli.db").execute("SELECT MIN(id) FROM sources").fetchone()[0])
    for args in (["sources", "retry", archive_source], ["crawl", "--source", archive_source]):
        refused = runner.invoke(cli, args, obj={}, env=env)  # no feed behind an archive's source
        assert refused.exit_code == 1 and "holds articles from a backfill" in refused.output, refused.output


@pytest.mark.timeout(300)
def test_a_killed_backfill_resumes_without_duplicates(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(5):
        pages = [(f"{title} (part {n})", paragraphs, day) for title, paragraphs, day in PAGES]
        write_warc(folder / f"cc-news-{n}.warc", pages, broken_tail=False)
    work, db_path = tmp_path / "work", tmp_path / "killed.db"
    newsdesk = str(Path(sys.executable).with_name("newsdesk"))
    command = [newsdesk, "backfill", str(folder), "--workers", "0", "--work-dir", str(work)]
    run = subprocess.Popen(command, env={**os.environ, "NEWSDESK_DB": str(db_path)}, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while len(list(work.glob("*.parquet"))) < 2 and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(run.pid, signal.SIGKILL)
    finally:
        run.wait(timeout=30)
    written = len(list(work.glob("*.parquet")))
    assert 2 <= written <= 5 and not list(work.glob("*.partial"))
    again = subprocess.run(command + ["--json"], env={**os.environ, "NEWSDESK_DB": str(db_path)},
                           capture_output=True, text=True, timeout=240, check=False)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["reused"] >= 2 and report["files"] == 5
    db = open_db(db_path)
    titles = [row[0] for row in db.execute("SELECT title FROM articles")]
    assert len(titles) == len(set(titles)) == 5 * 3  # every relevant page once, none twice


@pytest.mark.timeout(300)
def test_enrich_all_on_workers_judges_as_the_single_process_does(archives, tmp_path):
    db_path = tmp_path / "judge.db"
    run_backfill(Settings(), open_db(db_path), [archives], work_dir=tmp_path / "w", workers=0)
    before = _stored(db_path)
    runner = CliRunner()
    open_db(db_path).execute("UPDATE enrichments SET model_version = 'old', sentiment = CASE sentiment WHEN 'negative' "
                             "THEN 'positive' ELSE 'negative' END")
    assert _stored(db_path) != before
    done = runner.invoke(cli, ["enrich", "--all", "--workers", "2"], obj={}, env={"NEWSDESK_DB": str(db_path)})
    assert done.exit_code == 0, done.output
    assert "Enriched 4 articles" in done.output
    assert _stored(db_path) == before
