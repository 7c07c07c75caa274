"""Extractive story summaries: the two or three sentences of a story's articles that say most of it."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from newsdesk.analyse.clustering import terms

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])")
_CLOSERS = (".", "!", "?", '"', "'", "”", "’", ")")
MIN_WORDS, MAX_WORDS = 6, 60


def sentences(text: str) -> list[str]:
    """Sentences of a plain text: each line on its own (a headline above its text is not part of the
    first sentence), split after . ! ? before a capital or digit."""
    found = []
    for line in text.splitlines():
        found += [s.strip() for s in _SENTENCE_END.split(" ".join(line.split())) if s.strip()]
    return found


def sentence_key(sentence: str) -> str:
    """A sentence as compared for repeats: lower case, single spaces."""
    return " ".join(sentence.lower().split())


def boilerplate(texts_by_story: Mapping[str, Sequence[str]], *, min_stories: int = 3) -> frozenset[str]:
    """Sentences (as ``sentence_key``) found in the articles of ``min_stories`` or more stories: a
    publisher's standing paragraphs and stock context say nothing about one story, so summaries skip
    them. (Two stories can share a sentence honestly: a follow-up repeating the original lede.)"""
    stories_of: dict[str, set[str]] = defaultdict(set)
    for story, texts in texts_by_story.items():
        for text in texts:
            for sentence in sentences(text):
                stories_of[sentence_key(sentence)].add(story)
    return frozenset(key for key, stories in stories_of.items() if len(stories) >= min_stories)


def extractive_summary(texts: list[str], centroid: Mapping[str, float], *, max_sentences: int = 3,
                       max_words: int = 75, skip: Collection[str] = ()) -> list[str]:
    """The sentences closest to the story's centroid, without near-repeats, in the order they came.

    ``texts`` are the articles' texts, earliest first; a sentence scores the centroid weight of its
    distinct terms over the square root of its length, with a small bonus for leading sentences.
    Sentences in ``skip`` (``sentence_key`` form, e.g. from ``boilerplate``) are never chosen, except
    as the first sentence of an article: a lede is that article's own, however often it recurs.
    """
    candidates: list[tuple[float, int, str, set[str]]] = []
    order = 0
    for text in texts:
        lede = True
        for position, sentence in enumerate(sentences(text)):
            words = len(sentence.split())
            if not MIN_WORDS <= words <= MAX_WORDS or not sentence.endswith(_CLOSERS):  # headlines have no stop
                continue
            if not lede and sentence_key(sentence) in skip:  # an article's lead sentence is its own
                continue
            lede = False
            found = set(terms(sentence))
            if not found:
                continue
            score = sum(centroid.get(t, 0.0) for t in found) / math.sqrt(len(found)) + 0.05 / (1 + position)
            candidates.append((score, order, sentence, found))
            order += 1
    chosen: list[tuple[int, str]] = []
    kept: list[set[str]] = []
    words_used = 0
    for _score, position, sentence, found in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if len(chosen) == max_sentences:
            break
        if any(len(found & other) / len(found | other) > 0.5 for other in kept):
            continue
        words = len(sentence.split())
        if chosen and words_used + words > max_words:
            continue
        chosen.append((position, sentence))
        kept.append(found)
        words_used += words
    return [sentence for _, sentence in sorted(chosen)]
