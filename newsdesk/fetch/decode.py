"""Content-Encoding decoding that never inflates past a byte cap.

httpx decompresses each network chunk in full, so one 64 KiB gzip chunk can
become tens of megabytes before anyone counts it. Here decompression produces
at most 64 KiB per call and counts as it goes, so a gzip, deflate or brotli
bomb is stopped within one step of the cap, not after inflating: the memory a
bomb costs stays under twice the cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import brotli

Step = Callable[[bytes, int], bytes]


class BodyTooLarge(Exception):
    """The decoded body passed the cap."""


class DecodeFailed(Exception):
    """The body is not valid for its declared Content-Encoding."""


STEP_BYTES = 64 * 1024  # output produced per decompression call: a bomb is stopped within one step of the cap


def _zlib_step(wbits: int) -> Step:
    decompressor = zlib.decompressobj(wbits)

    def step(data: bytes, limit: int) -> bytes:
        parts: list[bytes] = []
        size = 0
        try:
            pending = data
            while True:
                out = decompressor.decompress(pending, STEP_BYTES)
                parts.append(out)
                size += len(out)
                if size > limit:
                    raise BodyTooLarge()
                pending = decompressor.unconsumed_tail
                if not pending:
                    break
        except zlib.error as exc:
            raise DecodeFailed(str(exc)) from exc
        return b"".join(parts)

    return step


def _brotli_step() -> Step:
    decompressor = brotli.Decompressor()

    def step(data: bytes, limit: int) -> bytes:
        parts: list[bytes] = []
        size = 0
        try:
            out = decompressor.process(data, output_buffer_limit=STEP_BYTES)
            while True:
                parts.append(out)
                size += len(out)
                if size > limit:
                    raise BodyTooLarge()
                # A full step may have more output behind it, even when the decoder would take more input.
                if len(out) < STEP_BYTES and decompressor.can_accept_more_data():
                    break
                out = decompressor.process(b"", output_buffer_limit=STEP_BYTES)
        except brotli.error as exc:
            raise DecodeFailed(str(exc)) from exc
        return b"".join(parts)

    return step


def _identity(data: bytes, limit: int) -> bytes:
    return data


_STEPS: dict[str, Callable[[], Step]] = {
    "gzip": lambda: _zlib_step(16 + zlib.MAX_WBITS),
    "x-gzip": lambda: _zlib_step(16 + zlib.MAX_WBITS),
    "deflate": lambda: _zlib_step(zlib.MAX_WBITS),
    "br": _brotli_step,
    "identity": lambda: _identity,
}


class BoundedDecoder:
    """Decode a body chunk by chunk through its Content-Encoding(s), at most ``cap`` bytes out."""

    def __init__(self, content_encoding: str, cap: int) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        unknown = [n for n in names if n not in _STEPS]
        if unknown:
            raise DecodeFailed(f"unsupported Content-Encoding {', '.join(unknown)}")
        # Encodings are listed in the order applied, so they are undone in reverse.
        self._steps = [_STEPS[name]() for name in reversed(names)]
        self._cap = cap
        self._size = 0

    def feed(self, raw: bytes) -> bytes:
        """Decode one raw chunk; raises BodyTooLarge as soon as the cap would be passed."""
        data = raw
        for step in self._steps:
            data = step(data, self._cap - self._size)
        self._size += len(data)
        if self._size > self._cap:
            raise BodyTooLarge()
        return data
