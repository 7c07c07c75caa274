"""Which text representation the classifiers should use, chosen by grouped cross-validation.

    python bench/representations.py [--folds 5]

Grouped K-fold CV on ../shared/corpus/labelled/train.jsonl (the seed set in every fold's training,
at the bundled model's seed weight) of the same recipe with and without the packaged static word
embeddings (wordllama's 256-d table, read offline), plus how fast each judges title+summary texts
on one core. Stops with the reason when ../shared is absent.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

from newsdesk.enrich.crossval import example_of, figures, fold_threshold_predictions, out_of_fold  # noqa: E402
from newsdesk.enrich.evaluation import score  # noqa: E402
from newsdesk.enrich.judge import judge_batch  # noqa: E402
from newsdesk.enrich.model import train  # noqa: E402
from newsdesk.enrich.training_data import (  # noqa: E402
    bundled_seed_weight,
    real_items,
    seed_examples,
    shared_training_file,
)

VARIANTS = {"TF-IDF words + cues": 0.0, "TF-IDF words + cues + word embeddings": 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    path = shared_training_file()
    if path is None:
        sys.exit("bench/representations.py: ../shared/corpus/labelled/train.jsonl not found; nothing to measure")
    items = real_items(path)
    seed = seed_examples(bundled_seed_weight())
    texts = [i.text for i in items] * 4
    print(f"grouped {args.folds}-fold CV on {len(items)} items (relevance F1, theme macro-F1, sentiment macro-F1)")
    for name, weight in VARIANTS.items():
        oof = out_of_fold(items, lambda examples, w=weight: train(examples, embedding_weight=w), k=args.folds,
                          always=seed)
        relevance, themes, sentiment = figures(score(name, items, fold_threshold_predictions(oof)))
        model = train(seed + [example_of(i) for i in items], embedding_weight=weight)
        start = time.perf_counter()
        judge_batch(model, texts)
        rate = len(texts) / (time.perf_counter() - start)
        print(f"  {name:<40} {relevance:.3f}  {themes:.3f}  {sentiment:.3f}   judged {rate:,.0f} texts/s")


if __name__ == "__main__":
    main()
