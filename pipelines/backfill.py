"""The backfill job: years of archived news at once, on Dask (a LocalCluster of processes on this
machine, or a cluster given its scheduler's address), then into the store through the usual code.

Each archive file is one task: read its records, extract the main text of each page, judge it with
the same Enricher the crawl uses (loaded once per worker process), and write one Parquet part into
the work folder, whole or not at all. A rerun skips the parts already written, so a backfill stopped
by a crash or Ctrl+C resumes where it was. The parts are then stored in file order: normalised as
crawled items are, de-duplicated by canonical URL against everything stored, judged rows saved with
them; finally the new articles are put into stories.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from newsdesk.archive import ArchivedItem, Skipped, archive_files, read_archive
from newsdesk.clock import to_iso, utc_now
from newsdesk.config import Settings
from newsdesk.errors import ExtractionError, NewsdeskError
from newsdesk.models import Entry
from newsdesk.normalise.clean import normalise_entry
from newsdesk.parse.jsonfeed import parse_date
from newsdesk.store.articles import upsert_articles
from newsdesk.store.enrichments import EnrichmentRow, save_enrichments
from newsdesk.store.sources import ARCHIVE_SOURCE, add_source, find_source_by_url

JUDGE_BATCH = 256
PART_FIELDS = ("url", "source", "title", "summary", "text", "published", "relevant", "relevance", "themes",
               "theme_scores", "sentiment", "sentiment_score", "segments", "evidence", "entities", "model_version")


@dataclass
class PartCounts:
    """What one archive file held."""

    file: str
    pages: int = 0
    relevant: int = 0
    kept: int = 0
    outside_dates: int = 0
    failed: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    reused: bool = False  # the part was already written by an earlier run


@dataclass
class BackfillReport:
    """What a backfill did, over all files."""

    files: int = 0
    reused: int = 0
    pages: int = 0
    relevant: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    outside_dates: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    stories_touched: int = 0


def part_path(work_dir: Path, archive: Path, options: dict[str, Any]) -> Path:
    """Where an archive file's part goes: named by the file (path, size, time) and the options."""
    stat = archive.stat()
    key = json.dumps([str(archive.resolve()), stat.st_size, stat.st_mtime_ns, options], sort_keys=True)
    return work_dir / f"{archive.name}.{hashlib.sha1(key.encode()).hexdigest()[:12]}.parquet"


def _reason(text: str) -> str:
    """A failure's kind, to count by: 'HTTP 404', 'not an article: JSONDecodeError' (details left out)."""
    return ": ".join(text.split(" (")[0].split(": ")[:2])[:80]


def _items(archive: Path, counts: PartCounts, since: str | None, until: str | None) -> Iterator[tuple[ArchivedItem,
                                                                                                       str, str]]:
    """(item, title, text) of every readable article within the dates; failures counted by reason."""
    from newsdesk.parse.article import extract_page

    for item in read_archive(archive):
        if isinstance(item, Skipped):
            counts.failed += 1
            counts.reasons[_reason(item.reason)] = counts.reasons.get(_reason(item.reason), 0) + 1
            continue
        counts.pages += 1
        title, text, published = item.title, item.text, item.published
        if item.html is not None:
            try:
                page = extract_page(item.html, url=item.url)
            except ExtractionError as exc:
                counts.failed += 1
                reason = "no article text" if "no article text" in str(exc) else "extraction failed"
                counts.reasons[reason] = counts.reasons.get(reason, 0) + 1
                continue
            title, text, published = page.title or title, page.text, page.date or published
        day = (parse_date(published) or utc_now()).date().isoformat() if published else None
        if day is not None and ((since and day < since) or (until and day > until)):
            counts.outside_dates += 1
            continue
        yield ArchivedItem(item.url, item.source, title=title, summary=item.summary, text=text,
                           published=published), title, text


def process_archive(archive: str, work_dir: str, settings: Settings, *, relevant_only: bool = True,
                    since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """One task: an archive file into a judged Parquet part in ``work_dir`` (reused when already there)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsdesk.enrich.enricher import TextItem
    from pipelines.enrich import to_row, worker_enricher

    path, folder = Path(archive), Path(work_dir)
    options = {"relevant_only": relevant_only, "since": since, "until": until}
    part = part_path(folder, path, options)
    summary = part.with_suffix(".json")
    if part.exists() and summary.exists():
        return {**json.loads(summary.read_text()), "reused": True}
    counts = PartCounts(path.name)
    rows: list[dict[str, Any]] = []
    batch: list[tuple[ArchivedItem, str, str]] = []

    def judge() -> None:
        enrichments = worker_enricher(settings).enrich([TextItem(str(n), title, item.summary, text)
                                                  for n, (item, title, text) in enumerate(batch)])
        for (item, _title, _text), enrichment in zip(batch, enrichments, strict=True):
            counts.relevant += enrichment.judgement.relevant
            if relevant_only and not enrichment.judgement.relevant:
                continue
            row = asdict(to_row(enrichment))
            rows.append({"url": item.url, "source": item.source, "title": item.title, "summary": item.summary,
                         "text": item.text, "published": item.published, "relevant": row["relevant"],
                         "relevance": row["relevance"], "sentiment": row["sentiment"],
                         "sentiment_score": row["sentiment_score"], "model_version": row["model_version"],
                         **{k: json.dumps(row[k]) for k in ("themes", "theme_scores", "segments", "evidence",
                                                             "entities")}})
        batch.clear()

    for found in _items(path, counts, since, until):
        batch.append(found)
        if len(batch) >= JUDGE_BATCH:
            judge()
    if batch:
        judge()
    counts.kept = len(rows)
    folder.mkdir(parents=True, exist_ok=True)
    partial = part.with_name(part.name + ".partial")
    table = pa.Table.from_pylist(rows, schema=pa.schema(
        [(name, pa.float64() if name in ("relevance", "sentiment_score") else pa.bool_() if name == "relevant"
          else pa.string()) for name in PART_FIELDS]))
    pq.write_table(table, partial)
    summary.write_text(json.dumps(asdict(counts)))
    os.replace(partial, part)  # the part exists whole, or not at all
    return asdict(counts)


def _archive_source(db: Database, name: str, cache_: dict[str, int]) -> int:
    if name not in cache_:
        url = f"{ARCHIVE_SOURCE}{name}"
        found = find_source_by_url(db, url)
        if found is None:
            found = add_source(db, url, name=name, tags=["archive"])
            with db.atomic():
                db.execute("UPDATE sources SET active = 0, deactivated_reason = ? WHERE id = ?",
                           ["archive: articles from a backfill, not a feed", found.id])
        cache_[name] = found.id
    return cache_[name]


def load_part(db: Database, part: Path, *, now: datetime, sources: dict[str, int]) -> tuple[int, int]:
    """Store a part's articles (de-duplicated by canonical URL) with their judgements: (stored, duplicates)."""
    import pyarrow.parquet as pq

    stored = duplicates = 0
    by_source: dict[str, list[dict[str, Any]]] = {}
    for row in pq.read_table(part).to_pylist():
        by_source.setdefault(row["source"], []).append(row)
    for name, rows in sorted(by_source.items()):
        source_id = _archive_source(db, name, sources)
        articles = [normalise_entry(Entry(guid=r["url"], link=r["url"], title=html.escape(r["title"] or ""),
                                          summary_html=html.escape(r["summary"] or ""),
                                          content_html=html.escape(r["text"] or ""), author=None,
                                          published_raw=r["published"], published=parse_date(r["published"])),
                                    source_id=source_id, feed_url=f"https://{name}/", fetched_at=now)
                    for r in rows]
        landed = upsert_articles(db, articles, now=to_iso(now))
        new = set(landed.new_ids)
        save_enrichments(db, [EnrichmentRow(
            article_id=a.id, model_version=r["model_version"], relevant=r["relevant"], relevance=r["relevance"],
            themes=json.loads(r["themes"]), theme_scores=json.loads(r["theme_scores"]), sentiment=r["sentiment"],
            sentiment_score=r["sentiment_score"], segments=json.loads(r["segments"]),
            evidence=json.loads(r["evidence"]), entities=json.loads(r["entities"]))
            for a, r in zip(articles, rows, strict=True) if a.id in new], at=to_iso(now))
        stored += landed.new
        duplicates += landed.duplicates + landed.unchanged + landed.updated
    return stored, duplicates


def run_backfill(settings: Settings, db: Database, paths: list[Path], *, work_dir: Path, workers: int = 0,
                 scheduler: str = "", relevant_only: bool = True, since: str | None = None, until: str | None = None,
                 on_file: Callable[[dict[str, Any]], None] | None = None) -> BackfillReport:
    """Judge every archive file (on Dask when ``workers`` or ``scheduler`` is given, else in this process),
    then store the parts in file order and put the new articles into stories."""
    files = archive_files(paths)
    if not files:
        raise NewsdeskError("backfill: no WARC (.warc, .warc.gz) or JSON Lines (.jsonl) file in " +
                            ", ".join(map(str, paths)))
    options = {"relevant_only": relevant_only, "since": since, "until": until}
    results = _run_tasks([str(f) for f in files], str(work_dir), settings, options, workers=workers,
                         scheduler=scheduler, on_file=on_file)
    report = BackfillReport(files=len(files))
    reasons: Counter[str] = Counter()
    for counts in results:
        report.reused += bool(counts.get("reused"))
        report.pages += counts["pages"]
        report.relevant += counts["relevant"]
        report.failed += counts["failed"]
        report.outside_dates += counts["outside_dates"]
        reasons.update(counts["reasons"])
    report.reasons = dict(reasons.most_common())
    now, sources = utc_now(), {}
    for archive in files:
        stored, duplicates = load_part(db, part_path(work_dir, archive, options), now=now, sources=sources)
        report.stored += stored
        report.duplicates += duplicates
    from pipelines.analyse import run_analyse

    report.stories_touched = run_analyse(settings, db).stories_touched
    return report


def _run_tasks(files: list[str], work_dir: str, settings: Settings, options: dict[str, Any], *, workers: int,
               scheduler: str, on_file: Callable[[dict[str, Any]], None] | None) -> list[dict[str, Any]]:
    """Each file's counts, in file order: in this process, or as Dask tasks."""
    def done(counts: dict[str, Any]) -> dict[str, Any]:
        if on_file is not None:
            on_file(counts)
        return counts

    if not workers and not scheduler:
        return [done(process_archive(f, work_dir, settings, **options)) for f in files]
    from distributed import as_completed

    with dask_client(workers=workers, scheduler=scheduler) as client:
        futures = client.map(process_archive, files, work_dir=work_dir, settings=settings, **options, pure=False)
        order = {future.key: n for n, future in enumerate(futures)}
        results: list[dict[str, Any] | None] = [None] * len(files)
        for future in as_completed(futures):
            results[order[future.key]] = done(future.result())
    return [r for r in results if r is not None]


@contextmanager
def dask_client(*, workers: int, scheduler: str = "") -> Iterator[Any]:
    """A client (distributed.Client) of the cluster at ``scheduler``, or of a LocalCluster of ``workers``
    single-threaded processes on 127.0.0.1 with its web dashboard off, closed with the block even on failure."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    import dask

    logging.getLogger("distributed").setLevel(logging.WARNING)  # its INFO lines would bury the progress bar
    dask.config.set({
        "distributed.worker.profile.enabled": False,  # no stack sampling every 10 ms
        # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in each worker; any fixed value turns off glibc's
        # adaptive mmap threshold, and extraction (lxml, trafilatura) then runs 17% slower (measured on
        # bench/backfill.py's pages: 53.9 pages/s without it, 44.7 with it, 42.4 at 32 MiB)
        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    })
    # the web dashboard off; the scheduler's small HTTP server (health, metrics) on a free loopback port
    with _main_script_hidden():
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                               silence_logs=logging.WARNING)
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


@contextmanager
def _main_script_hidden() -> Iterator[None]:
    """While the worker processes are spawned, hide the ``__main__`` script's path: a spawned process
    runs that script again before its first task, and the tasks need nothing from it (the script may
    not even be importable there, like the one Streamlit's test harness leaves as ``__main__``)."""
    main = sys.modules.get("__main__")
    script = getattr(main, "__file__", None)
    if main is None or script is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = script
