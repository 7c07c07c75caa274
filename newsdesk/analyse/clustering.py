"""Story clustering: articles about the same event become one story, incrementally.

Each article is a TF-IDF vector of its title (weighted double) and summary, with document
frequencies from the whole collection. In time order, an article joins the most similar story
still active (last seen within the window) when the cosine with the story's centroid reaches
``join_threshold``; otherwise it starts a new story. After each batch, active stories whose
centroids have converged (cosine >= ``merge_threshold``) are merged, largest first, so a story
told in different words by different outlets comes together as coverage grows; two stories alike
in wording whose heaviest terms are each absent from the other (two companies' bankruptcies) stay
apart.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from newsdesk.analyse.stopwords import STOP_WORDS

JOIN_THRESHOLD = 0.25  # for title + summary; bare headlines (fewer terms) need about 0.09
TITLE_ONLY_JOIN_THRESHOLD = 0.09
MERGE_THRESHOLD = 0.30
TITLE_ONLY_MERGE_THRESHOLD = 0.20  # bare headlines' centroids converge at lower cosines, as they join at lower ones
MERGE_SHARED_HEAVY = 2  # two stories merge only when they share two of their heaviest terms
MIN_SHARED_TERMS = 2
CENTROID_TERMS = 80  # a stored centroid keeps its heaviest terms only
_MERGE_PROBE_TERMS = 20
# A word: a compound written in capitals (SAG-AFTRA, AT&T, GBP/USD, U.S), a number with its
# decimals (7.1, 3,000), or letters and digits with an apostrophe ending. Any other compound splits
# at its hyphens, dots, slashes and ampersands, so "Comcast-Time Warner" and "Mt.Gox" share words
# with "Comcast" and "Mt. Gox".
_WORD = re.compile(r"[A-Z0-9]+(?:[-&/.][A-Z0-9]+)+(?![A-Za-z0-9])|\d+(?:[.,]\d+)+|[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_STOP = STOP_WORDS | {"says", "said", "new", "report", "reports", "watch", "video", "update",
                                         "news", "just", "year", "day", "week", "photos", "vs", "amid"}
# A date says when, not what: two stories dated the same day are not one story.
_CALENDAR = frozenset({"january", "february", "march", "april", "june", "july", "august", "september", "october",
                       "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                       "sunday", "today", "tonight", "yesterday", "tomorrow"})
_YEAR = re.compile(r"(19|20)\d\d")


def terms(text: str) -> list[str]:
    """Lower-cased content words of a text, possessives folded (Disney's is disney), dates dropped."""
    folded = (_fold(word) for word in _words(text))
    return [w for w in folded if len(w) > 1 and w not in _STOP and w not in _CALENDAR and not _YEAR.fullmatch(w)]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.replace("\u2019", "'"))


def _fold(word: str) -> str:
    return word.lower().removesuffix("'s")


_GENERIC_CAPS = frozenset({"ai", "a.i", "tv", "vfx", "ceo", "us", "uk", "eu", "ip", "ar", "vr", "dj", "tts", "llm",
                            "i", "ii", "iii", "new", "report", "exclusive", "update", "breaking", "watch"})


def headline_names(title: str) -> frozenset[str]:
    """The names a sentence-case headline gives (capitalised words after the first, lower-cased):
    who sues whom, who signs with whom. Empty for Title Case headlines, where capitals say nothing."""
    first, *words = _words(title) or [""]
    words = [w for w in words if w[0].isalpha()]
    capitalised = [w for w in words if w[0].isupper()]
    if not words or len(capitalised) * 2 >= len(words):
        return frozenset()
    if len(first) > 1 and (first.isupper() or any(c.isupper() for c in first[1:])):
        capitalised.append(first)  # an acronym or a brand (IATSE, SAG-AFTRA, YouTube) leads many headlines
    names = {_fold(w) for w in capitalised}
    return frozenset(n for n in names if len(n) > 1 and n not in _STOP and n not in _GENERIC_CAPS)


def party_names(canonical_names: Iterable[str]) -> frozenset[str]:
    """How a party is named when comparing stories: the first word of each entity's canonical name
    ("Google DeepMind" is google, "Universal Music Group" universal)."""
    return frozenset(words[0] for words in map(terms, canonical_names) if words)


def entity_names(headline: set[str], entities: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The parties a headline (its ``terms``) names, by the entities found in its article: ``(text as
    found, canonical name)`` pairs whose text is in the headline. Catches the leading name that
    ``headline_names`` cannot tell from a capitalised first word ("Runway raises $40 million")."""
    return party_names(canonical for found, canonical in entities
                       if (found_terms := terms(found)) and headline.issuperset(found_terms))


def article_terms(title: str, summary: str = "") -> list[str]:
    """The terms an article is clustered on: the title's twice, then the summary's first 60."""
    title_terms = terms(title)
    return title_terms + title_terms + terms(summary)[:60]


@dataclass
class Story:
    """A story being built: its centroid (term -> weight), size and time span."""

    id: str
    centroid: dict[str, float]
    first_seen: datetime
    last_seen: datetime
    size: int = 0
    names: set[str] = field(default_factory=set)  # the parties its headlines (or, when stored, key entities) name
    _squared_norm: float | None = None

    def norm(self) -> float:
        if self._squared_norm is None:
            self._squared_norm = sum(v * v for v in self.centroid.values())
        return math.sqrt(self._squared_norm) or 1.0

    def absorb(self, vector: Mapping[str, float]) -> None:
        """Add a vector to the centroid, keeping the norm up to date: |c+v|² = |c|² + 2c·v + |v|²."""
        self.norm()
        dot = sum(w * self.centroid.get(t, 0.0) for t, w in vector.items())
        self._squared_norm = (self._squared_norm or 0.0) + 2 * dot + sum(w * w for w in vector.values())
        for term, weight in vector.items():
            self.centroid[term] = self.centroid.get(term, 0.0) + weight

    def add(self, vector: Mapping[str, float], when: datetime, names: frozenset[str] = frozenset()) -> None:
        self.absorb(vector)
        self.names |= names
        self.size += 1
        self.first_seen = min(self.first_seen, when)
        self.last_seen = max(self.last_seen, when)

    def heaviest(self) -> str | None:
        """The story's heaviest term (the alphabetically first on ties)."""
        return min(self.centroid, key=lambda t: (-self.centroid[t], t), default=None)

    def trimmed(self) -> dict[str, float]:
        """The centroid's heaviest terms, for storage."""
        top = sorted(self.centroid.items(), key=lambda kv: -kv[1])[:CENTROID_TERMS]
        return {t: round(w, 4) for t, w in top}


@dataclass(frozen=True)
class Vectoriser:
    """Document frequencies of a collection, turning term lists into unit TF-IDF vectors."""

    df: Mapping[str, int]
    documents: int

    def vector(self, article: list[str]) -> dict[str, float]:
        counts = Counter(t for t in article if self.df.get(t, 0) >= 2)  # a word seen once links nothing
        weights = {t: (1 + math.log(c)) * (math.log((self.documents + 1) / (self.df[t] + 1)) + 1)
                   for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}


def cosine(vector: Mapping[str, float], story: Story) -> float:
    """Cosine between a unit vector and a story centroid."""
    return sum(w * story.centroid.get(t, 0.0) for t, w in vector.items()) / story.norm()


@dataclass
class Clusterer:
    """Assign articles to stories in time order, within a window; merge converged stories."""

    vectoriser: Vectoriser
    window: timedelta = timedelta(days=7)
    join_threshold: float = JOIN_THRESHOLD
    merge_threshold: float = MERGE_THRESHOLD
    stories: dict[str, Story] = field(default_factory=dict)
    next_number: int = 1  # of the next new story; the store keeps it between runs, so ids never repeat
    _index: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def new_story_id(self, when: datetime) -> str:
        self.next_number += 1
        return f"s{when:%Y%m%d}-{self.next_number - 1:05d}"

    def adopt(self, story: Story) -> None:
        """Take an existing story (from the store) into consideration."""
        self.stories[story.id] = story
        for term in story.centroid:
            self._index[term].add(story.id)

    def assign(self, article: list[str], when: datetime, headline: set[str] | None = None,
               names: frozenset[str] = frozenset()) -> str:
        """The story id this article belongs to (a new one if none is close enough).

        ``headline`` holds the headline's terms: at least two of them (one, for a one-word
        headline) must already be in a story for the article to join it. ``names`` are the
        headline's names (``headline_names``): when the article names parties and the story's
        headlines named others, none in common, it is another event (a suit against another
        company, another union's vote) however alike the wording.
        """
        vector = self.vectoriser.vector(article)
        key_terms = {t for t in (headline if headline is not None else vector) if t in vector}
        needed = min(MIN_SHARED_TERMS, max(len(key_terms), 1))
        candidates = {sid for t in vector for sid in self._index.get(t, ())}
        best, best_score = None, 0.0
        for story_id in sorted(candidates):
            story = self.stories[story_id]
            if when - story.last_seen > self.window or story.first_seen - when > self.window:
                continue
            if sum(1 for t in key_terms if t in story.centroid) < needed:
                continue  # one shared word does not make the same event
            if _other_parties(names, story):
                continue
            score = cosine(vector, story)
            if score > best_score:
                best, best_score = story, score
        if best is None or best_score < self.join_threshold:
            best = Story(self.new_story_id(when), {}, when, when)
            self.stories[best.id] = best
        best.add(vector, when, names)
        for term in vector:
            self._index[term].add(best.id)
        return best.id

    def merge_active(self, now: datetime) -> dict[str, str]:
        """Merge active stories whose centroids converged; returns {absorbed id: surviving id}.

        Stories are visited largest first; each may join the most similar kept story that shares
        MERGE_SHARED_HEAVY of its heaviest terms (one shared name is not the same event).
        """
        active = sorted((s for s in self.stories.values() if now - s.last_seen <= self.window),
                        key=lambda s: (-s.size, s.first_seen, s.id))
        kept: dict[str, Story] = {}
        kept_by_term: dict[str, set[str]] = defaultdict(set)
        merged: dict[str, str] = {}
        for story in active:
            norm = story.norm()
            unit = {t: w / norm for t, w in story.centroid.items()}
            heavy = sorted(unit, key=unit.__getitem__, reverse=True)[:_MERGE_PROBE_TERMS]
            shared = Counter(sid for t in heavy for sid in kept_by_term.get(t, ()))
            candidates = {sid for sid, n in shared.items() if n >= MERGE_SHARED_HEAVY}
            target = max((kept[c] for c in sorted(candidates)
                          if not _other_parties(story.names, kept[c]) and not _other_subjects(story, kept[c])),
                         key=lambda k: cosine(unit, k), default=None)
            if target is not None and cosine(unit, target) >= self.merge_threshold:
                target.absorb(story.centroid)
                for term in story.centroid:
                    self._index[term].add(target.id)
                for term in heavy:
                    kept_by_term[term].add(target.id)
                target.size += story.size
                target.names |= story.names
                target.first_seen = min(target.first_seen, story.first_seen)
                target.last_seen = max(target.last_seen, story.last_seen)
                merged[story.id] = target.id
                del self.stories[story.id]
            else:
                kept[story.id] = story
                for term in heavy:
                    kept_by_term[term].add(story.id)
        for term_ids in self._index.values():
            term_ids.difference_update(merged)
        return merged


def _other_parties(names: frozenset[str] | set[str], story: Story) -> bool:
    """Both sides name parties, and none of the article's is the story's nor in its words."""
    return bool(names) and bool(story.names) and not (names & story.names) \
        and not any(n in story.centroid for n in names)


def _other_subjects(story: Story, other: Story) -> bool:
    """Neither story's heaviest term occurs in the other: alike in wording, about different subjects
    ("Sbarro files for bankruptcy" and "Mt. Gox files for bankruptcy")."""
    return story.heaviest() not in other.centroid and other.heaviest() not in story.centroid


@dataclass(frozen=True)
class OfflineItem:
    """One line of `newsdesk cluster` input."""

    id: str
    title: str
    text: str
    date: datetime
    source: str


def cluster_offline(items: list[OfflineItem], *, window: timedelta = timedelta(days=7),
                    join_threshold: float | None = None, merge_every: int = 500) -> dict[str, str]:
    """Story id per item id, processing items in date order as if they arrived one by one.

    Without an explicit ``join_threshold``, titles-only input (no item has text) uses the
    lower threshold that bare headlines need.
    """
    ordered = sorted(items, key=lambda i: (i.date, i.id))
    documents = [article_terms(i.title, i.text) for i in ordered]
    df = Counter(t for doc in documents for t in set(doc))
    titles_only = not any(i.text for i in items)
    if join_threshold is None:
        join_threshold = TITLE_ONLY_JOIN_THRESHOLD if titles_only else JOIN_THRESHOLD
    clusterer = Clusterer(Vectoriser(df, len(documents)), window=window, join_threshold=join_threshold,
                          merge_threshold=TITLE_ONLY_MERGE_THRESHOLD if titles_only else MERGE_THRESHOLD)
    assigned: dict[str, str] = {}
    for n, (item, doc) in enumerate(zip(ordered, documents, strict=True), 1):
        assigned[item.id] = clusterer.assign(doc, item.date, set(terms(item.title)), headline_names(item.title))
        if n % merge_every == 0 or n == len(ordered):
            _follow(assigned, clusterer.merge_active(item.date))
    for _ in range(2):  # merges can enable further merges
        _follow(assigned, clusterer.merge_active(ordered[-1].date if ordered else datetime.min))
    return assigned


def _follow(assigned: dict[str, str], merged: Mapping[str, str]) -> None:
    if not merged:
        return
    for item_id, story_id in assigned.items():
        while story_id in merged:
            story_id = merged[story_id]
        assigned[item_id] = story_id


def bcubed(gold: Iterable[str], predicted: Iterable[str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a clustering against gold labels."""
    gold, predicted = list(gold), list(predicted)
    gold_sets: dict[str, set[int]] = defaultdict(set)
    predicted_sets: dict[str, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        gold_sets[g].add(i)
        predicted_sets[p].add(i)
    precision = recall = 0.0
    for g, p in zip(gold, predicted, strict=True):
        overlap = len(gold_sets[g] & predicted_sets[p])
        precision += overlap / len(predicted_sets[p])
        recall += overlap / len(gold_sets[g])
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def pairwise(gold: Iterable[str], predicted: Iterable[str]) -> tuple[float, float, float]:
    """Pair-counting precision, recall and F1 (pairs placed together)."""
    gold, predicted = list(gold), list(predicted)

    def pairs(counts: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counts.values())

    together_both = pairs(Counter(zip(gold, predicted, strict=True)))
    precision = together_both / (pairs(Counter(predicted)) or 1)
    recall = together_both / (pairs(Counter(gold)) or 1)
    return precision, recall, (2 * precision * recall / (precision + recall)) if precision + recall else 0.0
