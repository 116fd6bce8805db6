"""A webhook receiver for tests: an HTTP server on 127.0.0.1 (random port) in a thread, which
answers each POST with the next status of its script (then 200) and keeps what it got."""

import http.server
import json
import threading
from dataclasses import dataclass


@dataclass
class Received:
    headers: object  # an email.message.Message: names are case-insensitive
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    def __init__(self):
        self.received: list[Received] = []
        self.script: list[int] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(Received(self.headers, body))  # case-insensitive
                status = receiver.script.pop(0) if receiver.script else 200
                answer = f"answer {status} " + "x" * 3000
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/jxc"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
