"""Reading JSON Lines input where a bad line is reported with its number and skipped, never fatal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def read_jsonl(path: Path, parse: Callable[[dict], T], *, stage: str, expects: str) -> tuple[list[T], list[str]]:
    """(parsed rows, problems): ``parse`` turns each JSON object into a record or raises on a bad one.

    Problems read like "classify: in.jsonl line 3: needs an object with 'id' and a string 'title' (...); skipped".
    """
    rows: list[T] = []
    problems: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
                if not isinstance(value, dict):
                    raise TypeError("not a JSON object")
                rows.append(parse(value))
            except json.JSONDecodeError as exc:
                problems.append(f"{stage}: {path} line {number}: not JSON ({exc.msg}); skipped")
            except (KeyError, TypeError, ValueError) as exc:
                problems.append(f"{stage}: {path} line {number}: needs {expects} ({exc}); skipped")
    return rows, problems
