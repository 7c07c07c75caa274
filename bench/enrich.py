"""Enrichment benchmark: articles per second on one core, with and without the statistical model.

    python bench/enrich.py [--n 3000]

Title+summary items and ~800-word full texts, built from the bundled sample; prints articles/s
and peak memory (ru_maxrss of this process) for rules-only (blank spaCy + EntityRuler) and for
en_core_web_sm (tok2vec + ner).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from datetime import UTC, datetime

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the issue measures

from newsdesk.enrich import nlp as nlp_module  # noqa: E402
from newsdesk.enrich.enricher import Enricher, TextItem  # noqa: E402
from newsdesk.sample.build import build_items  # noqa: E402


def sample_items(n: int, *, full_text: bool) -> list[TextItem]:
    items = build_items(datetime(2026, 11, 24, 12, tzinfo=UTC))
    out = []
    for i in range(n):
        item = items[i % len(items)]
        body = " ".join(item.paragraphs)
        text = " ".join([body] * (1 + 800 // max(len(body.split()), 1)))[:6000] if full_text else ""
        out.append(TextItem(f"{i}", f"{item.title} ({i})", item.summary, text))
    return out


def measure(enricher: Enricher, items: list[TextItem], label: str, *, full_text: bool) -> None:
    if full_text:  # judge the whole body, not just title and summary
        items = [TextItem(i.id, i.title, i.text, "") for i in items]
    enricher.max_chars = None if full_text else 2000
    started = time.perf_counter()
    enricher.enrich(items)
    elapsed = time.perf_counter() - started
    words = sum(len(i.judged_text(enricher.max_chars).split()) for i in items)
    print(f"{label:<48} {len(items) / elapsed:8.0f} articles/s  ({words / elapsed:9.0f} words/s)  "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    args = parser.parse_args()
    short = sample_items(args.n, full_text=False)
    long = sample_items(max(args.n // 10, 100), full_text=True)
    with_model = Enricher()
    print(f"statistical model: {with_model.spacy_model}")
    measure(with_model, short, "title+summary, with en_core_web_sm", full_text=False)
    measure(with_model, long, "~800-word full text, with en_core_web_sm", full_text=True)
    saved = nlp_module.FALLBACK_MODELS
    nlp_module.FALLBACK_MODELS = ()
    rules = Enricher(spacy_model="none-rules-only")
    nlp_module.FALLBACK_MODELS = saved
    measure(rules, short, "title+summary, rules only (no statistical model)", full_text=False)
    measure(rules, long, "~800-word full text, rules only", full_text=True)


if __name__ == "__main__":
    main()
