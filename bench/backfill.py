"""Backfill benchmark: a generated archive of article pages through the single-process path, a Dask
LocalCluster of 1 worker and one of 2 workers.

    python bench/backfill.py [--pages 20000] [--files 20] [--keep DIR]

The archive is written here, as WARC.gz files of HTML pages shaped like real article pages (a header,
navigation, about 800 words of text in paragraphs, a footer); 5% of them are about AI in
entertainment. Prints pages/s and peak memory per worker for each run, Dask's overhead at 1 worker
against the single process, and the speed-up at 2 workers. Targets (issue #19): overhead <= 10%,
speed-up >= 1.7x on this 2-core machine.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from newsdesk.config import Settings
from newsdesk.store import open_db
from pipelines.backfill import run_backfill

COMMON = ["the", "of", "and", "to", "in", "a", "that", "for", "on", "with", "as", "was", "said", "it", "by", "at", "from", "his", "her", "their", "has", "have", "been", "will", "would", "more", "after", "over", "new", "year", "people", "city", "council", "market", "report", "week", "season", "plan", "local", "team", "officials", "company", "time", "first", "two", "last", "public", "support", "service", "government", "school", "police", "water", "price", "growth", "data", "research", "health", "weather", "travel", "food", "energy"]
SCREEN = ["studio", "film", "series", "streaming", "actors", "union", "contract", "likeness", "consent", "generative", "model", "video", "voice", "dubbing", "visual", "effects", "writers", "guild", "producers", "licensing", "library", "training", "copyright", "lawsuit", "music", "label", "artists", "game", "developers", "animation"]
AI = ("artificial intelligence", "AI", "generative AI", "AI model", "machine learning")


def _sentence(rng: random.Random, words: list[str], ai: bool) -> str:
    picked = [rng.choice(words) for _ in range(rng.randint(12, 24))]
    if ai:
        picked[rng.randrange(len(picked))] = rng.choice(AI)
    return picked[0].capitalize() + " " + " ".join(picked[1:]) + "."


def _page(rng: random.Random, n: int, relevant: bool) -> tuple[str, bytes]:
    words = COMMON + (SCREEN * 3 if relevant else [])
    title = (f"Studio signs AI deal as union weighs consent terms, report {n}" if relevant
             else f"Council approves new plan for the city centre, report {n}")
    paragraphs = ["<p>" + " ".join(_sentence(rng, words, relevant and rng.random() < 0.3) for _ in range(4)) + "</p>"
                  for _ in range(10)]  # about 800 words
    html = (f"<!DOCTYPE html><html><head><title>{title} | The Daily Example</title>"
            f'<meta property="article:published_time" content="2025-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00Z">'
            "</head><body><header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a>"
            f"</nav></header><main><article><h1>{title}</h1><p class='byline'>By A. Reporter</p>"
            + "".join(paragraphs) + "</article></main><footer>Copyright The Daily Example. All rights reserved."
            "</footer></body></html>")
    return f"https://daily{n % 40}.example/news/{n}", html.encode()


def write_archive(folder: Path, pages: int, files: int, *, seed: int = 7) -> list[Path]:
    """``pages`` generated pages split over ``files`` WARC.gz files."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    paths = []
    per_file = -(-pages // files)
    for f in range(files):
        path = folder / f"CC-NEWS-bench-{f:03d}.warc.gz"
        with path.open("wb") as out:
            writer = WARCWriter(out, gzip=True)
            for n in range(f * per_file, min(pages, (f + 1) * per_file)):
                url, body = _page(rng, n, relevant=rng.random() < 0.05)
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                              http_headers=headers))
        paths.append(path)
    return paths


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000


def _run(folder: Path, work: Path, workers: int) -> tuple[float, int, list[float]]:
    """Seconds for the judging stage (the tasks), pages seen, and the peak memory of each worker in MB."""
    from pipelines import backfill

    peaks: list[float] = []
    original = backfill._run_tasks

    def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started = time.perf_counter()
        results = original(*args, **kwargs)
        timed.seconds = time.perf_counter() - started
        return results

    backfill._run_tasks = timed
    original_client = backfill.dask_client

    @contextmanager
    def measuring_client(**kwargs):  # noqa: ANN003, ANN202
        with original_client(**kwargs) as client:
            yield client
            peaks.extend(v / 1000 for v in client.run(
                lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss).values())

    backfill.dask_client = measuring_client
    try:
        with tempfile.TemporaryDirectory() as scratch:
            report = run_backfill(Settings(), open_db(Path(scratch) / "bench.db"), [folder], work_dir=work,
                                  workers=workers)
    finally:
        backfill._run_tasks, backfill.dask_client = original, original_client
    return timed.seconds, report.pages, peaks or [_peak_mb()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="Write the archive here (and keep it) instead of a temporary folder.")
    parser.add_argument("--runs", default="0,1,2", help="Which runs: 0 the single process, N a LocalCluster of N.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch) / "archive"
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        files = write_archive(folder, args.pages, args.files)
        size = sum(f.stat().st_size for f in files) / 1e6
        print(f"archive: {args.pages:,} pages in {len(files)} WARC.gz files, {size:.0f} MB, written in "
              f"{time.perf_counter() - started:.0f} s")
        figures = {}
        for workers in (int(n) for n in args.runs.split(",")):
            label = "single process" if workers == 0 else f"Dask, {workers} worker{'s' * (workers != 1)}"
            seconds, pages, peaks = _run(folder, Path(scratch) / f"work-{workers}", workers)
            figures[workers] = pages / seconds
            print(f"{label:<16} {pages / seconds:7.1f} pages/s  ({seconds:6.1f} s; peak memory per worker "
                  + ", ".join(f"{p:.0f} MB" for p in peaks) + ")")
        if {0, 1, 2} <= set(figures):
            print(f"Dask overhead at 1 worker: {1 - figures[1] / figures[0]:+.0%} (target <= 10%); "
                  f"speed-up at 2 workers: {figures[2] / figures[0]:.2f}x (target >= 1.7x)")


if __name__ == "__main__":
    main()
