"""Calls to the platform's API from the tests (Python's stdlib only), and an RFC 6238
TOTP written from the RFC: the independent oracle for the codes the browser types."""
import base64
import hashlib
import hmac
import json
import struct
import time
import urllib.error
import urllib.request


class API:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None, token=None, headers=None):
        request = urllib.request.Request(self.base + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None)
        request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            return error.code, json.loads(text) if text.startswith("{") else text

    def must(self, method, path, body=None, token=None):
        status, answer = self.call(method, path, body, token)
        assert 200 <= status < 300, "%s %s: %s %s" % (method, path, status, answer)
        return answer

    def token(self, login, code=None):
        answer = self.must("POST", "/api/v1/auth/login", {"agency": login["agency"], "email": login["email"], "password": login["password"]})
        if answer.get("mfa_required"):
            answer = self.must("POST", "/api/v1/auth/mfa", {"mfa_token": answer["mfa_token"], "code": code()})
        return answer["access_token"]


class TOTP:
    """Codes for one secret; never the same time step twice (a used code may be refused)."""

    def __init__(self, secret):
        self.key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
        self.last_step = None

    def at(self, step):
        digest = hmac.new(self.key, struct.pack(">Q", step), hashlib.sha1).digest()
        offset = digest[-1] & 0x0F
        return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)

    def fresh(self):
        step = int(time.time() // 30)
        while step == self.last_step:
            time.sleep(30 - time.time() % 30 + 0.2)
            step = int(time.time() // 30)
        self.last_step = step
        return self.at(step)
