"""A real HTTP server on 127.0.0.1 for crawler tests: each path answers as a Route says."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """How one path answers: status, headers, body, and optional slowness."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    drip: float | None = None  # seconds between body bytes


@dataclass
class Hit:
    path: str
    headers: dict[str, str]


class FeedServer:
    """Serve routes (a Route or a function of the request headers returning one) from a thread."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route | Callable[[dict[str, str]], Route]] = {}
        self.hits: list[Hit] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                headers = {k.lower(): v for k, v in self.headers.items()}
                with server._lock:
                    server.hits.append(Hit(self.path, headers))
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    server._answer(self, headers)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (deadline or size cap): that is what some tests check
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        self._server = ThreadingHTTPServer((host, 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _answer(self, handler: BaseHTTPRequestHandler, headers: dict[str, str]) -> None:
        route = self.routes.get(handler.path)
        if route is None:
            route = Route(b"not found", status=404)
        elif callable(route):
            route = route(headers)
        if route.delay:
            time.sleep(route.delay)
        handler.send_response(route.status)
        for name, value in route.headers.items():
            handler.send_header(name, value)
        if route.drip is None:
            handler.send_header("Content-Length", str(len(route.body)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        if route.drip is None:
            handler.wfile.write(route.body)
            return
        for byte in route.body:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(route.drip)

    def url(self, path: str) -> str:
        return self.base + path

    def hits_for(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
