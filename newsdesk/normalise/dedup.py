"""Stable identifiers, so storing an item twice is an update; and syndicated-copy detection.

A syndicated copy (the same text under another URL on another source) is found in
two steps: SimHash bands shared with the new article pick candidates cheaply from an
index, then word-shingle Jaccard similarity confirms them.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np

SYNDICATED_JACCARD = 0.8
BANDS = 4
_WORD = re.compile(r"\w+")


def article_id(source_id: int, guid_key: str) -> str:
    """A short stable id from the source and the item's guid (or its fallback key)."""
    return _digest(f"{source_id}\n{guid_key}")


def content_hash(*parts: str) -> str:
    """A fingerprint of the text, to tell a changed item from an unchanged one."""
    return _digest("\n\x1f".join(parts))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def fingerprint(text: str) -> str:
    """A 64-bit SimHash of the text (16 hex digits), equal or close for near-identical texts.

    The value is trafilatura's ``Simhash(text).hash`` (the same tokens and token hashes),
    with the bit votes counted by numpy rather than a Python loop per token and bit.
    """
    from trafilatura.deduplication import sample_tokens  # here: trafilatura takes a tenth of a second to import

    tokens = sample_tokens(text, 64)
    if not tokens:
        return f"{(1 << 64) - 1:016x}"  # no votes: every bit's zero sum counts as set, as in trafilatura
    hashes = np.frombuffer(b"".join(map(_token_hash, tokens)), dtype=np.uint8).reshape(-1, 8)
    ones = np.unpackbits(hashes[:, ::-1], axis=1, bitorder="little").sum(axis=0, dtype=np.int64)
    bits = np.packbits(2 * ones >= len(tokens), bitorder="little")
    return f"{int.from_bytes(bits.tobytes(), 'little'):016x}"


@lru_cache(maxsize=2**16)
def _token_hash(token: str) -> bytes:
    return hashlib.blake2b(token.encode(), digest_size=8).digest()


def band_keys(fingerprint_hex: str) -> list[str]:
    """The fingerprint cut into 4 bands of 16 bits; texts within 3 bits share at least one band."""
    width = len(fingerprint_hex) // BANDS
    return [f"{i}:{fingerprint_hex[i * width:(i + 1) * width]}" for i in range(BANDS)]


def shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    """Word n-grams of the lower-cased text."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def shingle_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word 3-grams."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def is_syndicated_copy(text: str, other: str) -> bool:
    """True when two texts are the same story in (nearly) the same words."""
    return shingle_similarity(text, other) >= SYNDICATED_JACCARD
