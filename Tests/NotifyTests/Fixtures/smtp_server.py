#!/usr/bin/env python3
"""A real SMTP server (Debian's python3-aiosmtpd) for Notify's tests, one per test.

Prints one JSON line {"port": N} once listening and exits when its stdin closes,
so that it never outlives the test process.

Options:
  --port N              listen on N (default: a free port)
  --store DIR           write each accepted message to DIR/<n>.eml, and one JSON line per
                        delivery to DIR/deliveries.jsonl: file, peer_port, mail_from,
                        rcpt_tos, tls, authenticated
  --fail CODE:COUNT     answer the first COUNT messages with CODE (e.g. 421, 451) after their
                        data; a 421 also closes the connection, as RFC 5321 says
  --reject CODE         answer every RCPT with CODE (e.g. 550)
  --delay-ms N          wait N ms before answering each message's data
  --tls-cert F --tls-key K   offer STARTTLS with this certificate
  --implicit-tls        with the certificate: TLS from the first byte (smtps) instead of STARTTLS
  --auth USER:PASS      offer AUTH PLAIN/LOGIN (after STARTTLS) and require it
"""
import argparse
import asyncio
import json
import os
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, options):
        self.options = options
        self.failures_left = 0
        self.failure_code = None
        if options.fail:
            code, count = options.fail.split(":")
            self.failure_code, self.failures_left = int(code), int(count)
        self.stored = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.options.reject:
            return f"{self.options.reject} 5.1.1 <{address}>: recipient refused by the test server"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.options.delay_ms:
            await asyncio.sleep(self.options.delay_ms / 1000)
        if self.failures_left > 0:
            self.failures_left -= 1
            if self.failure_code == 421:
                # The reply goes out first; then the server closes the channel.
                server.loop.call_later(0.05, server.transport.close)
                return "421 4.3.2 Service shutting down, try again later"
            return f"{self.failure_code} 4.3.0 Temporary failure, try again later"
        if self.options.store:
            self.stored += 1
            name = f"{self.stored:06d}.eml"
            path = os.path.join(self.options.store, name)
            with open(path + ".tmp", "wb") as out:
                out.write(envelope.original_content)
            os.rename(path + ".tmp", path)
            record = {"file": name, "peer_port": session.peer[1], "mail_from": envelope.mail_from,
                      "rcpt_tos": envelope.rcpt_tos, "tls": session.ssl is not None or self.options.implicit_tls,
                      "authenticated": bool(session.authenticated)}
            with open(os.path.join(self.options.store, "deliveries.jsonl"), "a") as log:
                log.write(json.dumps(record) + "\n")
        return "250 2.0.0 Message accepted for delivery"


def authenticator_for(credentials):
    user, password = credentials.split(":", 1)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
            and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False)
    return authenticate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--store")
    parser.add_argument("--fail")
    parser.add_argument("--reject")
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth")
    options = parser.parse_args()

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Handler(options)
    context = None
    if options.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.tls_cert, options.tls_key)
    implicit = context if options.implicit_tls else None
    settings = {"hostname": "smtp.test", "tls_context": None if implicit else context, "loop": loop}
    if options.auth:
        settings.update(authenticator=authenticator_for(options.auth), auth_required=True,
                        auth_require_tls=not implicit)

    server = loop.run_until_complete(loop.create_server(lambda: SMTP(handler, **settings), "127.0.0.1", options.port,
                                                        ssl=implicit))
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)

    def watch_stdin():
        sys.stdin.read()
        loop.call_soon_threadsafe(loop.stop)
    threading.Thread(target=watch_stdin, daemon=True).start()
    loop.run_forever()


if __name__ == "__main__":
    main()
