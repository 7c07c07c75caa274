"""The impact matrix's rows in two groups, as the briefing shows them: industry segments, then stakeholders."""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsdesk.models import INDUSTRY_SEGMENTS, STAKEHOLDERS


def matrix_groups(cells: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """[("Segment", rows), ("Stakeholder", rows)], each group's rows in order of volume (empty groups left out)."""
    volume: Counter[str] = Counter()
    for cell in cells:
        volume[cell["segment"]] += cell["articles"]
    groups = []
    for heading, names in (("Segment", INDUSTRY_SEGMENTS), ("Stakeholder", STAKEHOLDERS)):
        rows = sorted((n for n in volume if n in names), key=lambda n: (-volume[n], n))
        rows += sorted(n for n in volume if n not in INDUSTRY_SEGMENTS + STAKEHOLDERS and heading == "Segment")
        if rows:
            groups.append((heading, rows))
    return groups
