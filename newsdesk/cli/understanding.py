"""Judgements: ``enrich``, ``classify``, ``evaluate``, ``train``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsdesk.cli.base import cli, console, err_console, open_database, settings_of, skipped_note


@cli.command()
@click.option("--all", "redo_all", is_flag=True, help="Re-enrich every article, not only new or outdated ones.")
@click.option("--workers", type=click.IntRange(min=1), help="Judge on a LocalCluster of this many worker processes "
                                                            "(Dask) instead of this process.")
@click.option("--scheduler", help="Judge on the Dask cluster with this scheduler address.")
@click.pass_context
def enrich(ctx: click.Context, redo_all: bool, workers: int | None, scheduler: str | None) -> None:
    """Judge relevance, themes, sentiment, entities and segments of articles not yet enriched.

    Incremental: only articles never enriched, or enriched by another model version. With --workers
    or --scheduler the articles are judged on Dask, in chunks, and written back chunk by chunk.

    Example: newsdesk enrich --all --workers 8
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pipelines.enrich import run_enrich, run_enrich_on_dask

    with Progress(TextColumn("enriching"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err_console, transient=True) as progress:
        task = progress.add_task("enrich", total=None)
        progress_hooks = {"on_start": lambda total: progress.update(task, total=total),
                          "on_batch": lambda done: progress.advance(task, done)}
        if workers or scheduler:
            report = run_enrich_on_dask(settings_of(ctx), open_database(ctx), workers=workers or 0,
                                        scheduler=scheduler or "", redo_all=redo_all, **progress_hooks)
        else:
            report = run_enrich(settings_of(ctx), open_database(ctx), redo_all=redo_all, **progress_hooks)
    if report.notice:
        console.print(report.notice)
    if report.enriched == 0:
        console.print(f"Nothing to enrich: every article is judged by the current model {report.model_version}.")
        return
    console.print(f"Enriched {report.enriched} articles ({report.relevant} relevant) "
                  f"with model {report.model_version}.")


CLASSIFY_CHUNK = 256  # items judged between two progress updates


@cli.command()
@click.option("--in", "in_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON Lines: objects with id, title, and optionally summary and text.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write one JSON object per classified line.")
@click.pass_context
def classify(ctx: click.Context, in_path: Path, out_path: Path) -> None:
    """Classify a JSON Lines file without a database.

    Bad lines are reported with their line number and skipped; the rest are classified.

    Example: newsdesk classify --in headlines.jsonl --out judged.jsonl
    """
    from newsdesk.enrich.batchfile import read_items
    from pipelines.enrich import make_enricher

    items, problems = read_items(in_path)
    for problem in problems:
        click.echo(problem, err=True)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    enricher = make_enricher(settings_of(ctx))
    if enricher.notice:
        click.echo(enricher.notice, err=True)
    with out_path.open("w", encoding="utf-8") as out, Progress(
            TextColumn("classifying"), BarColumn(), MofNCompleteColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task("classify", total=len(items))
        for start in range(0, len(items), CLASSIFY_CHUNK):
            for enrichment in enricher.enrich(items[start:start + CLASSIFY_CHUNK]):
                out.write(json.dumps(enrichment.as_record(), ensure_ascii=False) + "\n")
            bar.advance(task, len(items[start:start + CLASSIFY_CHUNK]))
    console.print(f"Classified {len(items)} items into {out_path}" + skipped_note(problems))


@cli.command()
@click.option("--labelled", "labelled", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON Lines with headline, lede, relevant, themes and sentiment.")
@click.option("--cv", "folds", type=click.IntRange(min=2), default=None,
              help="K-fold cross-validation grouped by event on this file (trains K models on it plus the seed set).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def evaluate(ctx: click.Context, labelled: Path, folds: int | None, as_json: bool) -> None:
    """Measure relevance, themes and sentiment against labelled items, beside the baselines,
    with bootstrap 95% intervals.

    Without --cv the installed model judges the file; with --cv K, models trained on K-1 folds
    (and the seed set) judge the K-th, items of one event never straddling folds.

    Example: newsdesk evaluate --labelled ../shared/corpus/labelled/dev.jsonl
    """
    from newsdesk.enrich.enricher import bundled_model_path
    from newsdesk.enrich.evaluation import read_labelled
    from newsdesk.enrich.model import Classifiers
    from newsdesk.present.evaluation import print_reports
    from pipelines.evaluate import cross_validated_reports, held_out_reports

    settings = settings_of(ctx)
    items = read_labelled(labelled)
    with console.status("evaluating") as status:
        def step(message: str) -> None:
            status.update(f"evaluating: {message}")

        if folds:
            reports, intervals = cross_validated_reports(items, folds, on_step=step)
            title = f"{labelled} ({len(items)} items, grouped {folds}-fold CV)"
        else:
            reports, intervals = held_out_reports(Classifiers.load(settings.model_path or bundled_model_path()),
                                                  items, on_step=step)
            title = f"{labelled} ({len(items)} items)"
    if as_json:
        click.echo(json.dumps([{**r.as_dict(), "intervals": i} for r, i in zip(reports, intervals, strict=True)],
                              indent=2))
        return
    print_reports(console, reports, title=title, intervals=intervals)


@cli.command("train")
@click.option("--force", is_flag=True, help="Install the new model even if it does worse on the corrections.")
@click.pass_context
def train_command(ctx: click.Context, force: bool) -> None:
    """Retrain the classifiers from the seed set, the labelled training file (when present) and the
    corrections stored in the database.

    Prints, per label, how the current model and the new one do on the corrections (each correction
    judged by a model not trained on it); installs only a model that differs and is not worse,
    unless --force.

    Example: newsdesk train
    """
    from newsdesk.present.evaluation import print_reports
    from pipelines.train import run_train

    with console.status("training") as status:
        report = run_train(settings_of(ctx), open_database(ctx), force=force,
                           on_step=lambda step: status.update(f"training: {step}"))
    if report.unchanged:
        console.print(f"Nothing new to learn from ({report.corrections} corrections, all already in the current "
                      f"model {report.version}); nothing installed, so nothing needs re-enriching.")
        return
    if report.before is not None and report.after is not None:
        print_reports(console, [report.before, report.after],
                      title=f"{report.corrections} corrections, each judged by a model not trained on it")
    elif report.corrections:
        console.print(f"{report.corrections} correction(s) about too few distinct events to hold any out: "
                      "not measured on the corrections.")
    if report.reference_before is not None and report.reference_after is not None:
        print_reports(console, [report.reference_before, report.reference_after],
                      title="the held-out part of the seed set")
    if report.installed:
        console.print(f"Installed {report.version} at {report.path}. Run 'newsdesk enrich' to apply it.")
    elif not report.corrections:
        raise click.ClickException("train: no corrections to learn from yet (make some on the dashboard's Review "
                                   "page); kept the current model (use --force to retrain anyway)")
    else:
        raise click.ClickException(
            "train: the new model does worse on the corrections or on the held-out seed set; kept the current one "
            "(use --force to install)")
