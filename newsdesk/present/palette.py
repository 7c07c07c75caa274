"""One colour per theme everywhere: the dashboard's charts and the briefing's (HTML and PDF)."""

from __future__ import annotations

THEME_COLOURS = {"business": "#1f77b4", "labour": "#d62728", "legal": "#2ca02c", "technology": "#ff7f0e"}
OTHER_COLOURS = ("#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def theme_colours(names: list[str]) -> dict[str, str]:
    """A colour for each theme: the built-in themes always the same; the user's own themes in order."""
    others = iter(OTHER_COLOURS * (1 + len(names) // len(OTHER_COLOURS)))
    return {name: THEME_COLOURS.get(name) or next(others) for name in sorted(names)}


def nice_ticks(high: float, *, most: int = 5) -> list[float]:
    """Round axis ticks from 0 to at least ``high``: steps of 1, 2 or 5 times a power of ten."""
    if high <= 0:
        return [0, 1]
    magnitude = 10 ** max(0, len(str(int(high / most))) - 1) if high >= most else 1
    for multiple in (1, 2, 5, 10):
        step = multiple * magnitude
        if high / step <= most:
            break
    count = int(-(-high // step))
    return [step * i for i in range(count + 1)]
