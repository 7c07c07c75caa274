"""Where the classifiers' training examples come from: the seed set written here, and the real
labelled news in ../shared/corpus/labelled/train.jsonl (read in place, never copied).

``NEWSDESK_TRAIN_DATA`` names another labelled file; otherwise the checkout's sibling
``shared/corpus/labelled/train.jsonl`` is used when it exists.
"""

from __future__ import annotations

import os
from pathlib import Path

from newsdesk.enrich.evaluation import LabelledItem, read_labelled
from newsdesk.enrich.model import TrainingExample
from newsdesk.enrich.seed import load_seed
from newsdesk.errors import NewsdeskError

ENV = "NEWSDESK_TRAIN_DATA"
SHARED_TRAIN = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "labelled" / "train.jsonl"


class TrainingDataMissing(NewsdeskError):
    """The real labelled training file is not where newsdesk looks for it."""


def shared_training_file() -> Path | None:
    """The labelled training file to use, or None when there is none."""
    named = os.environ.get(ENV)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise TrainingDataMissing(f"{ENV}={named}: no such file")
        return path
    return SHARED_TRAIN if SHARED_TRAIN.is_file() else None


def require_training_file() -> Path:
    """The labelled training file, or a clear error naming where it was looked for."""
    path = shared_training_file()
    if path is None:
        raise TrainingDataMissing(
            f"the labelled training file was not found at {SHARED_TRAIN} (the shared corpus sits beside the "
            f"checkout on project machines); set {ENV} to a labelled JSON Lines file. Refusing to build a "
            "weaker model from the seed set alone.")
    return path


def bundled_seed_weight() -> float:
    """The seed weight the shipped model was built with (chosen by grouped CV, kept in its meta)."""
    from newsdesk.enrich.model import Classifiers
    from newsdesk.enrich.versions import bundled_model_path

    return float(Classifiers.load(bundled_model_path()).meta.get("seed_weight", 1.0))


def seed_examples(weight: float) -> list[TrainingExample]:
    """The whole seed set as training examples of the given weight (shorter and plainer than real news,
    so it counts less: the build chooses the weight by grouped CV and records it in the model's meta)."""
    return [TrainingExample(e.text, e.relevant, e.themes, e.sentiment, weight) for e in load_seed()]


def real_items(path: Path | None) -> list[LabelledItem]:
    """The labelled items of ``path`` (none when it is None)."""
    return read_labelled(path) if path is not None else []
