#!/usr/bin/env python3
"""Stands in for Audit during the benchmark: takes every audit event batch Notify's
outbox relay sends (POST /internal/events) and acknowledges every id, as Audit
would, so that the relay deletes its rows instead of retrying them. Without it the
relay would keep rescheduling rows against a missing service, which is not the
steady state being measured.

    audit_stub.py <port>
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ids = [event["id"] for event in json.loads(body).get("events", [])]
        answer = json.dumps({"accepted": ids}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *arguments):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
