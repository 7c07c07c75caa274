"""Event types of stories, from what their headlines say, so storylines can be followed."""

from __future__ import annotations

import re
from collections import Counter

EVENT_TYPES = ("ruling/settlement", "lawsuit filed", "ratification", "vote", "negotiation", "strike/walk-out",
               "legislation/regulation", "deal/partnership", "product launch", "other")
_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "ruling/settlement": r"\b(ruled|ruling|judge|verdict|settle(s|d|ment)?|dismiss(es|ed|al)?|court (sides|allows|rejects))\b",
        "lawsuit filed": r"\b(sues?|sued|suing|lawsuit|class action|files? (a )?(suit|complaint)|takes? .* to court)\b",
        "ratification": r"\b(ratif\w+)\b",
        "vote": r"\b(votes?|voted|voting|ballot\w*|authori[sz]\w* (a )?(strike|action|walk-?outs?))\b",
        "negotiation": r"\b(talks|negotiat\w*|tentative (deal|agreement)|bargain\w*)\b",
        "strike/walk-out": r"\b(strikes?|striking|walk(s|ed|ing)? (out|off)|walk-?outs?|picket\w*)\b",
        "legislation/regulation": r"\b(bill|act|law|laws|legislat\w+|lawmakers|senators?|parliament|regulat\w+|governor signs)\b",
        "deal/partnership": r"\b(deal|partner(s|ship)?|licens\w+|agreement|signs|teams up|acquires?|acquisition|invest\w*|raises)\b",
        "product launch": r"\b(launch\w*|unveil\w*|releases?|rolls? out|debuts?|introduc\w+|new (model|tool|version|feature))\b",
    }.items()
}


def event_type(headlines: list[str]) -> str:
    """The event type most of the headlines point to, in priority order on ties; 'other' if none."""
    votes: Counter[str] = Counter()
    for headline in headlines:
        for name in EVENT_TYPES[:-1]:
            if _PATTERNS[name].search(headline):
                votes[name] += 1
                break  # the first (most specific) type a headline matches
    if not votes:
        return "other"
    best = max(votes.values())
    return next(name for name in EVENT_TYPES if votes.get(name) == best)
