"""Local servers for tests, all on 127.0.0.1 and all stopped with their test: a free loopback port, a
Streamlit server started as a child process and waited for until it answers its health check, an SMTP
server (aiosmtpd) and a webhook receiver."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(command: list[str], port: int, log_path: Path, **popen) -> Iterator[str]:  # noqa: ANN003
    """Run ``command`` (which serves on ``port``), yield its base URL once healthy, then stop it."""
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **popen)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the dashboard did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=20)


class Inbox:
    """What the test SMTP server received: (recipients, message) pairs."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 (aiosmtpd's hook)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted"


@contextmanager
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 (aiosmtpd) and what it received."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()  # aiosmtpd checks readiness on the port it is given, so it cannot be 0
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class Receiver:
    """A webhook receiver's record: the JSON bodies it accepted, and how many requests to fail first."""

    def __init__(self, fail_first: int = 0) -> None:
        self.bodies: list[dict] = []
        self.attempts = 0
        self.fail_first = fail_first
        self.url = ""


@contextmanager
def webhook_receiver(fail_first: int = 0) -> Iterator[Receiver]:
    """An HTTP server on 127.0.0.1 that records each POSTed JSON body (answering 500 to the first
    ``fail_first`` requests)."""
    record = Receiver(fail_first)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's hook)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            record.attempts += 1
            if record.attempts <= record.fail_first:
                self.send_response(500)
            else:
                record.bodies.append(json.loads(body))
                self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass  # quiet test output

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    record.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()
