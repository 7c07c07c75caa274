"""Small self-contained SVG charts for the HTML and PDF briefing (embedded as data: URIs)."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape, quoteattr

from newsdesk.present.palette import nice_ticks, theme_colours

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 44, 120, 12, 36


def _frame(weeks: list[str], low: float, high: float, ticks: list[float], fmt: str) -> list[str]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fafafa" stroke="#ccc"/>']
    for tick in ticks:
        y = TOP + plot_h * (1 - (tick - low) / ((high - low) or 1))
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{format(tick, fmt)}</text>')
    step = max(1, len(weeks) // 6)
    for i in range(0, len(weeks), step):
        x = LEFT + plot_w * (i + 0.5) / len(weeks)
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 14}" text-anchor="middle">{escape(weeks[i][5:])}</text>')
    return parts


def _legend(names: list[str]) -> list[str]:
    parts = []
    colours = theme_colours(names)
    for i, name in enumerate(names):
        y = TOP + 14 + i * 18
        parts.append(f'<rect x="{WIDTH - RIGHT + 12}" y="{y - 9}" width="10" height="10" fill="{colours[name]}"/>')
        parts.append(f'<text x="{WIDTH - RIGHT + 28}" y="{y}">{escape(name)}</text>')
    return parts


def _svg(title: str, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="11" '
            f'role="img" aria-label={quoteattr(title)}><title>{escape(title)}</title>{"".join(parts)}</svg>')


def volume_chart(weeks: list[str], series: dict[str, list[int]]) -> str:
    """Grouped weekly bars, one colour per theme."""
    names = sorted(series)
    ticks = nice_ticks(max([v for s in series.values() for v in s] + [1]))
    high = ticks[-1]
    parts = _frame(weeks, 0, high, ticks, ",d")
    colours = theme_colours(names)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(weeks), 1)
    bar = slot * 0.8 / max(len(names), 1)
    for n, name in enumerate(names):
        for i, value in enumerate(series[name]):
            h = plot_h * value / high
            x = LEFT + slot * i + slot * 0.1 + bar * n
            parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{colours[name]}"/>')
    return _svg("Relevant articles per week, by theme", parts + _legend(names))


def sentiment_chart(weeks: list[str], series: dict[str, list[float | None]]) -> str:
    """Weekly mean sentiment per theme as lines on a -1..+1 scale (gaps where a week had no article)."""
    names = sorted(series)
    parts = _frame(weeks, -1, 1, [-1, -0.5, 0, 0.5, 1], "+.1f")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    colours = theme_colours(names)
    for name in names:
        colour = colours[name]
        points = [(LEFT + plot_w * (i + 0.5) / len(weeks), TOP + plot_h * (1 - (v + 1) / 2))
                  for i, v in enumerate(series[name]) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in points]
    return _svg("Mean sentiment per week, by theme", parts + _legend(names))


def data_uri(svg: str) -> str:
    """An SVG as a data: URI, for an <img> that needs nothing fetched."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
