"""Archives of past news, read record by record: WARC and WARC.gz files (the CC-NEWS layout: HTTP
response records of HTML pages, read with warcio) and JSON Lines of articles (``url``, ``title``,
optional ``summary``, ``text``, ``published``, ``source``).

A record that cannot be read, or is not an HTML page, is reported as skipped with its reason; it never
stops the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".jsonl", ".jsonl.gz")
MAX_PAGE_BYTES = 5_000_000


@dataclass(frozen=True)
class ArchivedItem:
    """One article from an archive: an HTML page to extract, or an article already in text."""

    url: str
    source: str  # the outlet: the JSON Lines ``source``, else the page's host
    html: bytes | None = None
    title: str = ""
    summary: str = ""
    text: str = ""
    published: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A record left out, and why."""

    where: str
    reason: str


def archive_files(paths: list[Path]) -> list[Path]:
    """The archive files named, folders searched for them (sorted); anything else is an error."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(ARCHIVE_SUFFIXES))
        elif path.is_file() and path.name.endswith(ARCHIVE_SUFFIXES):
            found.append(path)
        elif not path.exists():
            raise FileNotFoundError(2, "no such file or folder", str(path))
        else:
            raise ValueError(f"backfill: {path} is not a WARC (.warc, .warc.gz) or JSON Lines (.jsonl) file")
    return found


def read_archive(path: Path) -> Iterator[ArchivedItem | Skipped]:
    """Every article of one archive file, and every record skipped with its reason."""
    if path.name.endswith((".jsonl", ".jsonl.gz")):
        yield from _jsonl(path)
    else:
        yield from _warc(path)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "unknown").lower().removeprefix("www.")


def _jsonl(path: Path) -> Iterator[ArchivedItem | Skipped]:
    import gzip

    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path.name} line {number}"
            try:
                row = json.loads(line)
                url, title = str(row["url"]), str(row.get("title") or "")
            except (ValueError, KeyError, TypeError) as exc:
                yield Skipped(where, f"not an article: {type(exc).__name__}: {exc}")
                continue
            if not title and not row.get("text"):
                yield Skipped(where, "neither a title nor a text")
                continue
            yield ArchivedItem(url, str(row.get("source") or _host(url)), title=title,
                               summary=str(row.get("summary") or ""), text=str(row.get("text") or ""),
                               published=row.get("published"))


def _warc(path: Path) -> Iterator[ArchivedItem | Skipped]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        while True:
            where = f"{path.name} at byte {records.offset}"
            try:
                record = next(records)
            except StopIteration:
                return
            except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
                yield Skipped(where, f"unreadable record, rest of the file skipped: {type(exc).__name__}: {exc}")
                return
            if record.rec_type != "response":
                continue  # request, metadata and warcinfo records carry no page
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            where = url or where
            try:
                status = record.http_headers.get_statuscode() if record.http_headers else None
                kind = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
                if status != "200":
                    yield Skipped(where, f"HTTP {status or 'status missing'}")
                    continue
                if "html" not in kind.lower():
                    yield Skipped(where, f"not an HTML page ({kind or 'no Content-Type'})")
                    continue
                body = record.content_stream().read(MAX_PAGE_BYTES + 1)
            except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
                yield Skipped(where, f"unreadable record: {type(exc).__name__}: {exc}")
                continue
            if len(body) > MAX_PAGE_BYTES:
                yield Skipped(where, f"larger than {MAX_PAGE_BYTES:,} bytes")
                continue
            yield ArchivedItem(url, _host(url), html=body,
                               published=record.rec_headers.get_header("WARC-Date"))
