"""Serve the sample site on 127.0.0.1 from a background thread, with ETags."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from newsdesk.sample.build import build_items, render_site

DEFAULT_PORT = 8787


class _SampleHandler(BaseHTTPRequestHandler):
    site: dict[str, tuple[str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        found = self.site.get(self.path.split("?", 1)[0])
        if found is None:
            self.send_error(404, "not in the sample")
            return
        content_type, body = found
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the crawl reports what it fetched."""


def _bind(port: int) -> ThreadingHTTPServer:
    for candidate in (port, 0):
        try:
            return ThreadingHTTPServer(("127.0.0.1", candidate), _SampleHandler)
        except OSError:
            continue
    raise OSError("cannot bind a port on 127.0.0.1 for the sample server")


@contextmanager
def serve_sample(now: datetime, *, port: int = DEFAULT_PORT) -> Iterator[str]:
    """Serve the sample as of ``now`` on 127.0.0.1; yields the base URL.

    The preferred port keeps URLs stable between demo runs; when it is taken, any
    free port is used instead.
    """
    server = _bind(port)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    handler = type("SampleHandler", (_SampleHandler,), {"site": render_site(build_items(now), base_url)})
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, name="newsdesk-sample", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
