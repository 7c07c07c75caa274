"""The briefing as GitHub-flavoured Markdown. Every feed-derived string goes through escape_markdown."""

from __future__ import annotations

from typing import Any

from newsdesk.present.briefing.matrix_groups import matrix_groups
from newsdesk.present.markdown import escape_markdown, markdown_link

BARS = " ▁▂▃▄▅▆▇█"


def _number(value: float | None, fmt: str = ",") -> str:
    return "–" if value is None else format(value, fmt)


def _change(figure: dict[str, Any], *, absolute: bool = False) -> str:
    value = figure["change"]
    if value is None:
        return "–"
    return f"{value:+.2f}" if absolute else f"{value:+.0%}"


def _sparkline(values: list[float | None], low: float, high: float) -> str:
    span = (high - low) or 1.0
    return "".join(" " if v is None else BARS[1 + round((v - low) / span * (len(BARS) - 2))] for v in values)


def _story_line(story: dict[str, Any]) -> str:
    return (f"{escape_markdown(story['title'])} ({story['outlets']} outlet{'s' * (story['outlets'] != 1)}, "
            f"{story['event_type']})")


def render_markdown(briefing: dict[str, Any]) -> str:
    """The whole briefing; deterministic for a given briefing structure."""
    out: list[str] = []
    scope = f" — {briefing['theme']}" if briefing["theme"] else ""
    out += [f"# AI in entertainment: weekly briefing, {briefing['week']}{scope}", "",
            f"*{briefing['period']} · written by newsdesk {briefing['methodology']['newsdesk']}*", ""]
    head = briefing["headline"]
    if not head["articles"]["now"]:
        out += ["**No relevant articles were collected this week.**", "",
                f"newsdesk saw {briefing['methodology']['articles']} article(s) published in this week, none of them "
                "about AI in entertainment. Check the Sources page (or `newsdesk sources list`) if that is unexpected.",
                ""]
        out += _methodology(briefing)
        return "\n".join(out)
    out += ["## What you need to know", ""]
    out += [f"- {escape_markdown(line)}" for line in briefing["key_points"]]
    out += ["", "## Headline figures", "", "| | This week | Last week | Change |", "|---|---:|---:|---:|"]
    for label, key in (("Relevant articles", "articles"), ("Stories", "stories"), ("Outlets", "sources")):
        out.append(f"| {label} | {_number(head[key]['now'])} | {_number(head[key]['before'])} | {_change(head[key])} |")
    sentiment = head["sentiment"]
    out += [f"| Mean sentiment (−1 to +1) | {_number(sentiment['now'], '+.2f')} | "
            f"{_number(sentiment['before'], '+.2f')} | {_change(sentiment, absolute=True)} |", ""]
    out += ["## Top stories", ""]
    for rank, story in enumerate(briefing["top_stories"], 1):
        out += [f"### {rank}. {escape_markdown(story['title'])}", "",
                f"*{story['outlets']} outlet{'s' * (story['outlets'] != 1)} · {story['articles']} article"
                f"{'s' * (story['articles'] != 1)} · themes: {', '.join(story['themes']) or 'none'} · "
                f"sentiment: {story['sentiment']} · event: {story['event_type']}*", "",
                escape_markdown(" ".join(story["summary"])), "",
                "Coverage: " + " · ".join(markdown_link(link["outlet"], link["url"]) for link in story["links"]), ""]
    out += ["## By theme", ""]
    for section in briefing["themes"]:
        articles, tone = section["articles"], section["sentiment"]
        out += [f"### {section['theme'].capitalize()}", "",
                f"{_number(articles['now'])} articles ({_change(articles)} on last week); "
                f"mean sentiment {_number(tone['now'], '+.2f')} ({_change(tone, absolute=True)}).", ""]
        out += [f"- {_story_line(s)}" for s in section["stories"]] or ["- No story this week."]
        out.append("")
    changes = briefing["changes"]
    out += ["## What changed since last week", "", "**New storylines**", ""]
    out += [f"- {_story_line(s)}" for s in changes["new"]] or ["- None."]
    out += ["", "**Continuing storylines** (covered last week and this week)", ""]
    out += [f"- {_story_line(s)}" + (f": {s['from']} → {s['to']}" if s["advanced"] else "")
            for s in changes["continuing"]] or ["- None."]
    out += ["", "**Gone quiet** (covered in the two weeks before, not this week)", ""]
    out += [f"- {escape_markdown(s['title'])} (last seen {s['last_seen']})" for s in changes["quiet"]] or ["- None."]
    out += ["", "## Rising entities", ""]
    if briefing["rising"]:
        out += ["| Entity | Type | This week | Weekly mean before | Factor |", "|---|---|---:|---:|---:|"]
        out += [f"| {escape_markdown(r['name'])} | {r['type']} | {r['count']} | {r['baseline']} | ×{r['factor']} |"
                for r in briefing["rising"]]
    else:
        out.append("No entity stands out this week.")
    out += ["", *_matrix(briefing["matrix"]), "", *_charts(briefing["charts"]), "", *_methodology(briefing)]
    return "\n".join(out)


def _matrix(cells: list[dict[str, Any]]) -> list[str]:
    out = ["## Impact matrix", "", "Articles per segment or stakeholder and theme this week (mean sentiment; change in "
           "volume on last week).", ""]
    if not cells:
        return [*out, "No article had both a segment and a theme."]
    themes = sorted({c["theme"] for c in cells})
    by_cell = {(c["segment"], c["theme"]): c for c in cells}
    for heading, rows in matrix_groups(cells):
        out += [f"| {heading} | " + " | ".join(themes) + " |", "|---|" + "---:|" * len(themes)]
        for segment in rows:
            row = []
            for theme in themes:
                cell = by_cell.get((segment, theme))
                row.append("" if cell is None else
                           f"{cell['articles']} ({_number(cell['mean_sentiment'], '+.2f')}; "
                           f"{'new' if cell['volume_change'] is None else format(cell['volume_change'], '+.0%')})")
            out.append(f"| {segment} | " + " | ".join(row) + " |")
        out.append("")
    return out[:-1]


def _charts(charts: dict[str, Any]) -> list[str]:
    weeks = charts["weeks"]
    out = [f"## The last {len(weeks)} weeks", "", f"From the week of {weeks[0]} to the week of {weeks[-1]}.", "",
           "| Theme | Articles per week | Latest | Sentiment per week | Latest |", "|---|---|---:|---|---:|"]
    volumes = [v for series in charts["volume"].values() for v in series]
    top = max(volumes, default=0)
    for theme in sorted(charts["volume"]):
        volume, tone = charts["volume"][theme], charts["sentiment"][theme]
        out.append(f"| {theme} | `{_sparkline(volume, 0, top)}` | {volume[-1]} | `{_sparkline(tone, -1, 1)}` | "
                   f"{_number(tone[-1], '+.2f')} |")
    return out


def _methodology(briefing: dict[str, Any]) -> list[str]:
    m = briefing["methodology"]
    return ["---", "",
            f"*Method: {m['articles']} articles published this week from {m['publishing_sources']} of "
            f"{m['active_sources']} active sources; {m['enriched']} enriched by model "
            f"{', '.join(m['model_versions']) or 'none'}. Relevance, themes and sentiment are automatic judgements; "
            "stories group articles about one event across outlets and are ranked by impact (breadth, volume, "
            "prominence of who is involved). Sentiment is the tone toward AI's role in entertainment.*", ""]
