#!/usr/bin/env python3
"""Verify a Muster audit export offline, with nothing of Muster's code.

    verify_export.py EXPORT.jsonl [--keys KEYS.json] [--checkpoints KEPT.json]

EXPORT.jsonl  GET /api/v1/audit/events/export?format=jsonl (first line describes
              the export, then one event per line, in seq order).
--keys        the JWK set of GET /api/v1/audit/keys, fetched separately: pins the
              signing keys. Without it, the keys inside the export are used, which
              only proves the file is self-consistent.
--checkpoints a JSON array of checkpoints kept outside Muster (downloaded earlier,
              or from the weekly email); each one inside the export's range must
              match the event it names.

Checks: every event's hash recomputes from its canonical encoding (below); each
prev_hash is the hash before it; seqs are consecutive; the export's checkpoint is
signed by a known key and names the export's last event and its hash.

Canonical encoding (Services/Audit/README.md): the event object without "hash",
keys sorted by code point, no white space, strings escaped as Python's
json.dumps(s, ensure_ascii=False) does, numbers exactly as they stand in the file.
hash = SHA-256 of its UTF-8 bytes, lower-case hex. A checkpoint's signature is
Ed25519 over the same encoding of the checkpoint without "signature".

Prints {"ok", "events", "first_broken_seq", "checkpoints"}; exits 0 when ok, 1 when not.
Needs python3 and the `cryptography` package (Debian: python3-cryptography).
"""
import argparse
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class Number(str):
    """A JSON number kept exactly as written, so it re-encodes byte for byte."""


def loads(text):
    return json.loads(text, parse_int=Number, parse_float=Number)


def canonical(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(value[k]) for k in sorted(value)) + "}"
    raise ValueError("not JSON: %r" % (value,))


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_keys(jwks):
    keys = {}
    for jwk in jwks.get("keys", []):
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519" and "kid" in jwk:
            keys[jwk["kid"]] = Ed25519PublicKey.from_public_bytes(b64url(jwk["x"]))
    return keys


def signature_holds(checkpoint, keys):
    body = {k: v for k, v in checkpoint.items() if k != "signature"}
    key = keys.get(checkpoint.get("kid"))
    if key is None:
        return False
    try:
        key.verify(b64url(checkpoint["signature"]), canonical(body).encode("utf-8"))
        return True
    except (InvalidSignature, ValueError, KeyError):
        return False


def verify(lines, keys, kept):
    header = loads(lines[0])
    if header.get("type") != "audit_export":
        raise SystemExit("not an audit export: the first line must describe it")
    broken = []
    hashes = {}
    previous_seq = None
    previous_hash = None
    count = 0
    for line in lines[1:]:
        if not line.strip():
            continue
        event = loads(line)
        count += 1
        seq = int(event["seq"])
        stored = event.pop("hash")
        computed = hashlib.sha256(canonical(event).encode("utf-8")).hexdigest()
        expected_seq = int(header["first_seq"]) if previous_seq is None else previous_seq + 1
        if seq != expected_seq:
            broken.append(min(seq, expected_seq))
        elif stored != computed or event.get("agency_id") != header.get("agency_id"):
            broken.append(seq)
        elif previous_hash is not None and event["prev_hash"] != previous_hash:
            broken.append(seq)
        if previous_seq is None:
            hashes[seq - 1] = event["prev_hash"]
        hashes[seq] = stored
        previous_seq, previous_hash = seq, stored

    checked = 0
    last_seq = header.get("last_seq")
    if last_seq is not None and previous_seq != int(last_seq):
        broken.append((previous_seq or int(header["first_seq"]) - 1) + 1)
    checkpoint = header.get("checkpoint")
    if checkpoint is not None:
        checked += 1
        seq = int(checkpoint["seq"])
        if not signature_holds(checkpoint, keys) or checkpoint.get("agency_id") != header.get("agency_id"):
            broken.append(seq)
        elif last_seq is None or seq != int(last_seq) or hashes.get(seq) != checkpoint["hash"]:
            broken.append(seq)
    elif last_seq is not None:
        broken.append(int(last_seq))
    for other in kept:
        seq = int(other["seq"])
        if seq not in hashes or other.get("agency_id") != header.get("agency_id"):
            continue
        checked += 1
        if not signature_holds(other, keys) or hashes[seq] != other["hash"]:
            broken.append(seq)
    first_broken = min(broken) if broken else None
    return {"ok": first_broken is None, "events": count, "first_broken_seq": first_broken, "checkpoints": checked}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export")
    parser.add_argument("--keys", help="JWK set from GET /api/v1/audit/keys")
    parser.add_argument("--checkpoints", help="JSON array of checkpoints kept elsewhere")
    arguments = parser.parse_args()
    with open(arguments.export, encoding="utf-8") as file:
        lines = file.read().split("\n")
    if arguments.keys:
        with open(arguments.keys, encoding="utf-8") as file:
            keys = load_keys(json.load(file))
    else:
        keys = load_keys(json.loads(lines[0]).get("keys", {}))
    kept = []
    if arguments.checkpoints:
        with open(arguments.checkpoints, encoding="utf-8") as file:
            kept = loads(file.read())
    report = verify(lines, keys, kept)
    print(json.dumps(report))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
