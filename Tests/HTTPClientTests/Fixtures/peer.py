#!/usr/bin/env python3
"""The peer of the HTTP client tests: a real HTTP/1.1 keep-alive server (the
standard library's), with endpoints that misbehave on purpose.

Prints one JSON line {"port": …, "blackhole_port": …} once listening, and exits
when its stdin closes, so that it never outlives the test process.
The blackhole port accepts no connection at all: its listen backlog is full,
so a connect to it times out.

Endpoints (query parameters in brackets; `key` counts hits per key):
  /echo                      200, JSON: method, path, headers (lower-cased names), body (text)
  /json[status]              the request body back as JSON, with that status (default 200)
  /error[status, code]       the uniform Muster error body
  /delay[ms]                 200 after sleeping
  /flaky[key, failures]      503 for the key's first `failures` hits (default 1), then 200
  /drop                      reads the request, closes the connection without answering
  /bytes[count, chunked]     `count` bytes of the pattern i % 251; chunked transfer coding if chunked=1
  /redirect                  302 to /echo
  /stats                     JSON: connections accepted, hits per key, aborted (client went away mid-body)
"""
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

lock = threading.Lock()
stats = {"connections": 0, "hits": {}, "aborted": 0}
PATTERN = bytes(i % 251 for i in range(251 * 1024))


def pattern(offset, count):
    start = offset % 251
    out = bytearray()
    while len(out) < count:
        out += PATTERN[start:start + count - len(out)]
        start = 0
    return bytes(out)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle holds the body for the client's delayed ACK.
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        with lock:
            stats["connections"] += 1

    def log_message(self, *args):
        pass

    def respond(self, status, body=b"", content_type="text/plain", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def respond_json(self, status, value):
        self.respond(status, json.dumps(value).encode(), "application/json")

    def handle_any(self):
        url = urlsplit(self.path)
        query = {name: values[-1] for name, values in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        key = query.get("key")
        hits = 0
        if key:
            with lock:
                hits = stats["hits"].get(key, 0) + 1
                stats["hits"][key] = hits
        route = url.path
        if route == "/echo":
            self.respond_json(200, {
                "method": self.command, "path": self.path,
                "headers": {name.lower(): value for name, value in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
            })
        elif route == "/json":
            self.respond(int(query.get("status", 200)), body, "application/json")
        elif route == "/error":
            self.respond_json(int(query.get("status", 409)), {"error": {
                "code": query.get("code", "conflict"), "message": "It clashes.", "request_id": "req-1"}})
        elif route == "/delay":
            time.sleep(int(query.get("ms", 1000)) / 1000)
            self.respond(200, b"done")
        elif route == "/flaky":
            failing = hits <= int(query.get("failures", 1))
            self.respond(503, b"busy") if failing else self.respond(200, b"ok")
        elif route == "/drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif route == "/bytes":
            self.send_bytes(int(query["count"]), query.get("chunked") == "1")
        elif route == "/redirect":
            self.respond(302, b"", headers=[("Location", "/echo")])
        elif route == "/stats":
            with lock:
                self.respond_json(200, stats)
        else:
            self.respond(404, b"no such endpoint")

    def send_bytes(self, count, chunked):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding" if chunked else "Content-Length", "chunked" if chunked else str(count))
        self.end_headers()
        try:
            sent = 0
            while sent < count:
                piece = pattern(sent, min(65536, count - sent))
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                sent += len(piece)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            with lock:
                stats["aborted"] += 1

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        pass  # clients that go away mid-response are part of the tests


def blackhole():
    """A listener whose backlog is already full: further SYNs are dropped."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(listener.getsockname())
        except BlockingIOError:
            pass
        fillers.append(filler)
    return listener, fillers


def main():
    server = Server(("127.0.0.1", 0), Handler)
    hole = blackhole()
    print(json.dumps({"port": server.server_address[1], "blackhole_port": hole[0].getsockname()[1]}), flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
