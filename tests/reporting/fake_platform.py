"""A stand-in for the municipal platform's HTTP upload endpoint, served on a free local port."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer


class FakePlatform(BaseHTTPRequestHandler):
    """The municipal platform's upload endpoint: answers the queued status codes, then 200 with a receipt."""

    answers: list[int] = []
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        code = self.answers.pop(0) if self.answers else 200
        if code == 200:
            self.received.append(body)
            if self.headers.get("Authorization") != "Bearer s3cret":
                code = 401
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"receipt": f"RCPT-{len(self.received)}"} if code == 200 else {}).encode())

    def log_message(self, *args):
        pass


def serve_fake_platform() -> Iterator[HTTPServer]:
    """Serve ``FakePlatform`` with empty queues until the generator is closed."""
    FakePlatform.answers, FakePlatform.received = [], []
    server = HTTPServer(("127.0.0.1", 0), FakePlatform)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
