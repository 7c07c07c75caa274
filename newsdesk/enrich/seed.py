"""The seed set: labelled examples written for this project, expanded from templates.

``data/seed_templates.txt`` holds one labelled headline and lede per line with {slots};
``data/seed_slots.toml`` holds the values. ``data/seed_examples.txt`` holds single
hand-written examples in the same format, without slots. Expansion is deterministic, so
the same repository always yields the same seed set.
"""

from __future__ import annotations

import random
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

EXPANSIONS_PER_TEMPLATE = 4  # more expansions of one template mostly repeat it; chosen on the held-out seed split
_SENTIMENTS = {"pos": "positive", "neu": "neutral", "neg": "negative"}
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Example:
    """One labelled item, shaped like ../shared/corpus/labelled (headline, lede, labels)."""

    id: str
    headline: str
    lede: str
    relevant: bool
    themes: tuple[str, ...]
    sentiment: str
    template: int

    @property
    def text(self) -> str:
        return f"{self.headline}. {self.lede}"


def _data(name: str) -> str:
    return resources.files("newsdesk.enrich").joinpath("data", name).read_text(encoding="utf-8")


def load_seed(*, expansions: int = EXPANSIONS_PER_TEMPLATE) -> list[Example]:
    """Every seed example: each template filled ``expansions`` times with distinct slot values."""
    slots = tomllib.loads(_data("seed_slots.toml"))
    rng = random.Random(2026)
    examples: list[Example] = []
    for number, line in enumerate(_template_lines()):
        relevant, themes, sentiment, headline, lede = line.split("|")
        seen: set[str] = set()
        for attempt in range(expansions * 5):
            fills = {name: rng.choice(values) for name, values in slots.items()}
            filled_headline = _SLOT.sub(lambda m: fills[m.group(1)], headline)
            if filled_headline in seen:
                continue
            seen.add(filled_headline)
            examples.append(
                Example(
                    id=f"seed-{number:03d}-{len(seen)}",
                    headline=filled_headline,
                    lede=_SLOT.sub(lambda m: fills[m.group(1)], lede),
                    relevant=relevant == "1",
                    themes=tuple(t for t in themes.split(",") if t != "-"),
                    sentiment=_SENTIMENTS[sentiment],
                    template=number,
                )
            )
            if len(seen) == expansions or not _SLOT.search(headline):
                break
    return examples


def _template_lines() -> list[str]:
    lines = _data("seed_templates.txt").splitlines() + _data("seed_examples.txt").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def split_by_template(examples: list[Example], *, held_out_share: float = 0.2) -> tuple[list[Example], list[Example]]:
    """(train, held-out), split by template so held-out items are not near-copies of training items."""
    templates = sorted({e.template for e in examples})
    rng = random.Random(7)
    held = set(rng.sample(templates, max(1, int(len(templates) * held_out_share))))
    return [e for e in examples if e.template not in held], [e for e in examples if e.template in held]
