"""Entity precision, judged by a person: a reproducible random sample of entity mentions to check.

    python bench/entities.py [--n 60] [--seed 1]

Runs the enricher (gazetteer + en_core_web_sm, as `newsdesk enrich` does) over the bundled sample
news and over the relevant-looking items of the real feeds in ../shared/corpus/feeds/real (skipped
with the reason when absent), and prints N random mentions from each with their type, canonical id
and the text around them. Mark each right or wrong and divide: that is the precision to report.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.enrich.enricher import Enricher, TextItem
from newsdesk.enrich.lexicon import AI_CUES, ENTERTAINMENT_CUES, find_cues
from newsdesk.errors import FeedParseError
from newsdesk.parse.feed import parse_feed
from newsdesk.parse.sanitise import html_to_text
from newsdesk.sample.build import build_items

FEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "feeds" / "real"


def sample_texts() -> list[TextItem]:
    return [TextItem(str(i), item.title, item.summary) for i, item in enumerate(build_items(datetime.now(UTC)))]


def feed_texts() -> list[TextItem]:
    items = []
    for path in sorted(FEEDS.rglob("*")):
        if not path.is_file():
            continue
        try:
            feed = parse_feed(path.read_bytes(), url=f"https://corpus.example/{path.name}")
        except FeedParseError:
            continue
        for entry in feed.entries:
            text = f"{entry.title}. {html_to_text(entry.summary_html)[:400]}"
            if find_cues(text, AI_CUES) or find_cues(text, ENTERTAINMENT_CUES):
                items.append(TextItem(f"{path.name}:{len(items)}", entry.title, html_to_text(entry.summary_html)))
    return items


def mentions(enricher: Enricher, items: list[TextItem]) -> list[tuple[str, str, str, str]]:
    found = []
    for item, enrichment in zip(items, enricher.enrich(items), strict=True):
        text = item.judged_text()
        for entity in enrichment.entities:
            at = text.find(entity.text)
            context = text[max(0, at - 50): at + len(entity.text) + 50] if at >= 0 else text[:100]
            found.append((entity.text, entity.label, entity.id, context.replace("\n", " ")))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    enricher = Enricher()
    sets = {"sample news": sample_texts()}
    if FEEDS.is_dir():
        sets["shared real feeds"] = feed_texts()
    else:
        print(f"(no {FEEDS}: the shared feeds are measured on project machines only)")
    for name, items in sets.items():
        found = mentions(enricher, items)
        picked = random.Random(args.seed).sample(found, min(args.n, len(found)))
        print(f"\n== {name}: {len(items)} items, {len(found)} entity mentions; {len(picked)} picked")
        for number, (text, label, entity_id, context) in enumerate(picked, 1):
            print(f"{number:3d}. {text!r:32} {label:8} {entity_id:40} …{context}…")


if __name__ == "__main__":
    main()
