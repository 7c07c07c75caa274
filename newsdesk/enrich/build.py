"""Rebuild the classifiers shipped in the package from the seed set and ../shared's train.jsonl.

    python -m newsdesk.enrich.build

Stops with a clear message when the labelled training file is absent, rather than building a
weaker model from the seed set alone. The same inputs always give the same model version.
"""

from __future__ import annotations

import sys

from rich.console import Console

from newsdesk.enrich.enricher import bundled_model_path
from newsdesk.errors import NewsdeskError
from pipelines.train import build_bundled_model


def main() -> None:
    """Choose the seed weight and thresholds by grouped CV, train, write newsdesk/enrich/models/classifiers.skops."""
    console = Console(stderr=True)
    try:
        with console.status("building") as status:
            models = build_bundled_model(on_step=lambda step: status.update(f"building: {step}"))
    except NewsdeskError as exc:
        console.print(f"[red]build: {exc}[/red]")
        sys.exit(1)
    path = bundled_model_path()
    models.save(path)
    relevance, themes, sentiment = models.meta["cv_figures"]
    console.print(f"wrote {path} ({path.stat().st_size // 1024} KiB), version {models.version}; seed weight "
                  f"{models.meta['seed_weight']}, theme thresholds {models.theme_thresholds}; grouped "
                  f"{models.meta['cv_folds']}-fold CV on {models.meta['labelled_items']} labelled items: relevance F1 "
                  f"{relevance:.3f}, theme macro-F1 {themes:.3f}, sentiment macro-F1 {sentiment:.3f}")


if __name__ == "__main__":
    main()
