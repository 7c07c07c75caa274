"""Stories and trends: ``stories``, ``analyse``, ``cluster``, ``trends``, ``rising``, ``matrix``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from newsdesk.cli.base import cli, console, open_database, plain, settings_of, skipped_note


@cli.command()
@click.option("--week", help="ISO week like 2026-W47 (default: all stories).")
@click.option("--all", "include_all", is_flag=True, help="Include stories not about AI in entertainment.")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def stories(ctx: click.Context, week: str | None, include_all: bool, limit: int, as_json: bool) -> None:
    """List stories (articles about one event across outlets), highest impact first.

    Example: newsdesk stories --week 2026-W47
    """
    from newsdesk.analyse.weeks import week_bounds
    from newsdesk.store.stories import list_stories

    start, end = week_bounds(week) if week else (None, None)
    rows = list_stories(open_database(ctx), start=start, end=end, relevant_only=not include_all, limit=limit)
    if as_json:
        click.echo(json.dumps([{k: v for k, v in r.items() if k != "centroid"} for r in rows], indent=2))
        return
    if not rows:
        console.print("No stories yet. Run 'newsdesk demo', or 'newsdesk crawl' then 'newsdesk enrich' and 'newsdesk analyse'.")
        return
    table = Table(title=f"Stories{' in ' + week if week else ''}")
    for column in ("id", "impact", "articles", "outlets", "first seen", "event", "themes", "sentiment", "story"):
        table.add_column(column, overflow="fold")
    for r in rows:
        sentiment = "-" if r["mean_sentiment"] is None else f"{r['mean_sentiment']:+.2f}"
        table.add_row(plain(str(r["id"])), f"{r['impact']:.0f}", str(r["article_count"]), str(r["outlet_count"]),
                      r["first_seen"][:10], r["event_type"], ", ".join(r["themes"]), sentiment, plain(r["title"]))
    console.print(table)


@cli.command()
@click.pass_context
def analyse(ctx: click.Context) -> None:
    """Put newly enriched articles into stories and refresh the stories they touched.

    Example: newsdesk analyse
    """
    from pipelines.analyse import run_analyse

    report = run_analyse(settings_of(ctx), open_database(ctx))
    console.print(f"Assigned {report.assigned} articles; {report.stories_touched} stories created or updated, "
                  f"{report.merged} merged.")


@cli.command()
@click.option("--in", "in_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON Lines: objects with id, title, date (ISO), source and optionally text.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write one {id, story_id} object per line.")
@click.option("--window-days", default=7, show_default=True, help="How long a story stays open without coverage.")
@click.option("--join-threshold", type=float, help="Cosine needed to join a story (default: 0.25, or 0.09 for titles only).")
def cluster(in_path: Path, out_path: Path, window_days: int, join_threshold: float | None) -> None:
    """Cluster an offline dataset into stories, without a database.

    Example: newsdesk cluster --in headlines.jsonl --out stories.jsonl
    """
    from datetime import timedelta

    from newsdesk.analyse.clustering import cluster_offline
    from newsdesk.analyse.offline import read_offline_items

    items, problems = read_offline_items(in_path)
    for problem in problems:
        click.echo(problem, err=True)
    assigned = cluster_offline(items, window=timedelta(days=window_days), join_threshold=join_threshold)
    with out_path.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps({"id": item.id, "story_id": assigned[item.id]}) + "\n")
    console.print(f"{len(items)} items in {len(set(assigned.values()))} stories, written to {out_path}"
                  + skipped_note(problems))


def _week_or_current(week: str | None) -> str:
    from newsdesk.analyse.weeks import week_of
    from newsdesk.clock import utc_now

    return week or week_of(utc_now())


def busiest(series: dict[str, list[dict[str, Any]]], top: int) -> dict[str, list[dict[str, Any]]]:
    """The ``top`` series with the most articles over the range, the others summed into one "others (N)"."""
    ranked = sorted(series, key=lambda key: (-sum(point["articles"] for point in series[key]), key))
    kept = {key: series[key] for key in ranked[:top]}
    rest = [series[key] for key in ranked[top:]]
    if rest:
        kept[f"others ({len(rest)})"] = [{"articles": sum(s[i]["articles"] for s in rest)} for i in range(len(rest[0]))]
    return kept


@cli.command()
@click.option("--week", help="Last ISO week of the range (default: this week).")
@click.option("--weeks", default=12, show_default=True, type=click.IntRange(min=1), help="How many weeks.")
@click.option("--by", type=click.Choice(["none", "theme", "segment", "source"]), default="theme", show_default=True)
@click.option("--all", "include_all", is_flag=True, help="Count all articles, not only those about AI in entertainment.")
@click.option("--daily", is_flag=True, help="One row per day instead of per ISO week.")
@click.option("--top", default=8, show_default=True, type=click.IntRange(min=1),
              help="Columns for the busiest themes, segments or sources; the rest are summed as 'others' "
                   "(--json has them all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def trends(ctx: click.Context, week: str | None, weeks: int, by: str, include_all: bool, daily: bool, top: int,
           as_json: bool) -> None:
    """Weekly (or daily) volume and mean sentiment with 95% interval, overall and per theme, segment or source.

    Example: newsdesk trends --weeks 8 --by segment
    """
    from newsdesk.analyse.trends import series_by_key, weekly_series
    from newsdesk.analyse.weeks import days_ending, week_bounds, weeks_ending
    from newsdesk.store.trends import cached_weekly_by, cached_weekly_volume

    db = open_database(ctx)
    mondays = weeks_ending(_week_or_current(week), weeks)
    periods = days_ending(_week_or_current(week), weeks) if daily else mondays
    period = "day" if daily else "week"
    start, end = f"{mondays[0]}T00:00:00Z", week_bounds(_week_or_current(week))[1]
    overall = weekly_series(cached_weekly_volume(db, start, end, relevant_only=not include_all, period=period), periods)
    split = {} if by == "none" else series_by_key(
        cached_weekly_by(db, by, start, end, relevant_only=not include_all, period=period), periods)
    if as_json:
        click.echo(json.dumps({"overall": overall, "by": by, "series": split}, indent=2))
        return
    table = Table(title=f"{'Daily' if daily else 'Weekly'} trends "
                        f"({'all articles' if include_all else 'about AI in entertainment'})")
    table.add_column("day" if daily else "week of")
    table.add_column("articles", justify="right")
    table.add_column("change", justify="right")
    table.add_column("stories", justify="right")
    table.add_column("sentiment (95% CI)", justify="right")
    split = busiest(split, top)
    for key in split:
        table.add_column(key, justify="right")
    for i, row in enumerate(overall):
        s = row["sentiment"]
        interval = "-" if s["mean"] is None else f"{s['mean']:+.2f} ({s['low']:+.2f}..{s['high']:+.2f})"
        delta = "-" if row["change"] is None else f"{row['change']:+.0%}"
        table.add_row(row["week"], str(row["articles"]), delta, str(row["stories"]), interval,
                      *(str(series[i]["articles"]) for series in split.values()))
    console.print(table)


@cli.command()
@click.option("--week", help="ISO week (default: this week).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def rising(ctx: click.Context, week: str | None, as_json: bool) -> None:
    """Entities and headline terms used far more this week than in the 8 weeks before, with their burst factor.

    Example: newsdesk rising --week 2026-W38
    """
    from newsdesk.analyse.trends import rising_entities, weekly_term_counts
    from newsdesk.analyse.weeks import week_bounds, weeks_ending
    from newsdesk.store.cache import cached
    from newsdesk.store.trends import cached_weekly_entity_counts, weekly_titles

    target = _week_or_current(week)
    mondays = weeks_ending(target, 9)
    db = open_database(ctx)
    start, end = f"{mondays[0]}T00:00:00Z", week_bounds(target)[1]
    found = rising_entities(cached_weekly_entity_counts(db, start, end), mondays[-1], mondays[:-1])
    term_counts = cached(db, f"weekly_terms:{start}:{end}", lambda: weekly_term_counts(weekly_titles(db, start, end)))
    found += rising_entities(term_counts, mondays[-1], mondays[:-1])
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in found], indent=2))
        return
    if not found:
        console.print(f"No entity is rising in {target}.")
        return
    table = Table(title=f"Rising in {target} (against the 8 weeks before)")
    for column in ("entity", "type", "this week", "weekly baseline", "factor", "z"):
        table.add_column(column)
    for r in found:
        table.add_row(plain(r.name), r.type, str(r.count), f"{r.baseline:.1f}", f"x{r.factor:.1f}", f"{r.z:.1f}")
    console.print(table)


@cli.command()
@click.option("--week", help="Last ISO week of the period (default: this week).")
@click.option("--weeks", default=4, show_default=True, type=click.IntRange(min=1),
              help="Length of the period in weeks; compared with the one before.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def matrix(ctx: click.Context, week: str | None, weeks: int, as_json: bool) -> None:
    """The impact matrix: segments x themes, volume and mean sentiment, change against the previous period.

    Example: newsdesk matrix --weeks 13
    """
    from newsdesk.analyse.trends import impact_matrix
    from newsdesk.analyse.weeks import week_bounds, weeks_ending
    from newsdesk.store.trends import cached_matrix_cells

    db = open_database(ctx)
    target = _week_or_current(week)
    mondays = weeks_ending(target, weeks * 2)
    start, middle, end = f"{mondays[0]}T00:00:00Z", f"{mondays[weeks]}T00:00:00Z", week_bounds(target)[1]
    cells = impact_matrix(cached_matrix_cells(db, middle, end), cached_matrix_cells(db, start, middle))
    if as_json:
        click.echo(json.dumps(cells, indent=2))
        return
    themes = sorted({c["theme"] for c in cells})
    title = f"Impact matrix, {weeks} weeks to {target}: articles (mean sentiment) [change in volume]"
    table = Table(title=plain(title))
    table.add_column("segment")
    for theme in themes:
        table.add_column(theme, justify="right")
    for segment in sorted({c["segment"] for c in cells}):
        row = []
        for theme in themes:
            cell = next((c for c in cells if c["segment"] == segment and c["theme"] == theme), None)
            if cell is None:
                row.append("")
                continue
            delta = "new" if cell["volume_change"] is None else f"{cell['volume_change']:+.0%}"
            row.append(plain(f"{cell['articles']} ({cell['mean_sentiment']:+.2f}) [{delta}]"))
        table.add_row(segment, *row)
    console.print(table)
