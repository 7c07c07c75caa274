"""Content-Encoding decoding: exact for honest bodies, and a compression bomb is stopped at the cap
with memory (Python allocations, counted by tracemalloc) under twice the cap."""

from __future__ import annotations

import tracemalloc
import zlib

import brotli
import pytest

from newsdesk.fetch.decode import BodyTooLarge, BoundedDecoder

CAP = 2_000_000


def _compress(encoding: str, data: bytes) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=5)
    wbits = 31 if encoding == "gzip" else zlib.MAX_WBITS
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


def _feed_all(encoding: str, raw: bytes, chunk: int = 65_536) -> bytes:
    decoder = BoundedDecoder(encoding, CAP)
    return b"".join(decoder.feed(raw[i:i + chunk]) for i in range(0, len(raw), chunk))


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_an_honest_body_decodes_exactly_across_chunks(encoding):
    body = b"".join(f"<item><title>Story {i} about AI dubbing</title></item>".encode() for i in range(20_000))
    assert len(body) < CAP
    assert _feed_all(encoding, _compress(encoding, body), chunk=997) == body


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_a_bomb_stops_at_the_cap_with_memory_under_twice_the_cap(encoding):
    bomb = _compress(encoding, b"\0" * (100 * CAP))  # a few hundred KB that inflate to 200 MB
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLarge):
            _feed_all(encoding, bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * CAP, f"{encoding}: peak {peak / CAP:.2f}x the cap"
