"""What a reader types into a search box, as an FTS5 query: words and "quoted phrases", all required.

User input is never FTS5 syntax: every word and phrase is quoted (a double quote inside is doubled),
so operators, column filters and stray punctuation cannot break or widen the query.
"""

from __future__ import annotations

import re

MARK_START, MARK_END = "\ue000", "\ue001"  # around each match in a snippet (private-use characters)
_PART = re.compile(r'"([^"]*)"?|(\S+)')


def search_terms(text: str) -> list[str]:
    """The phrases and words of a search, in order: 'AI "digital replica"' -> ['AI', 'digital replica']."""
    parts = []
    for phrase, word in _PART.findall(text):
        part = " ".join((phrase or word).split())
        if part.strip("\"'"):
            parts.append(part)
    return parts


def fts_query(text: str) -> str:
    """The FTS5 query matching every word and every phrase of ``text`` ('' when there is none)."""
    return " ".join('"' + part.replace('"', '""') + '"' for part in search_terms(text))

