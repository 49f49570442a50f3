#!/usr/bin/env python3
"""An independent reading of RFC 5322 / MIME messages: Python's email package.

Reads the .eml files named on the command line and prints one JSON object per
file: decoded headers, the text and HTML parts, the raw header names, the
longest line in octets, and whether every line ends in CRLF.
"""
import json
import sys
from email import policy
from email.parser import BytesParser


def describe(path):
    raw = open(path, "rb").read()
    message = BytesParser(policy=policy.default).parsebytes(raw)
    lines = raw.split(b"\r\n")
    parts = {}
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts[part.get_content_type()] = {
                "content": part.get_content(),
                "charset": part.get_content_charset(),
                "encoding": part.get("Content-Transfer-Encoding"),
            }
    return {
        "subject": str(message["Subject"]),
        "from": str(message["From"]),
        "from_name": message["From"].addresses[0].display_name,
        "from_address": message["From"].addresses[0].addr_spec,
        "to": str(message["To"]),
        "to_name": message["To"].addresses[0].display_name,
        "to_address": message["To"].addresses[0].addr_spec,
        "reply_to": str(message["Reply-To"]) if message["Reply-To"] else None,
        "message_id": str(message["Message-ID"]),
        "date": str(message["Date"]),
        "date_parsed": message["Date"].datetime.isoformat() if message["Date"].datetime else None,
        "content_type": message.get_content_type(),
        "header_names": list(message.keys()),
        "parts": parts,
        "defects": [str(d) for d in message.defects] + [str(d) for p in message.walk() for d in p.defects],
        "max_line_octets": max(len(line) for line in lines),
        "crlf_only": b"\n" not in raw.replace(b"\r\n", b""),
    }


print(json.dumps([describe(path) for path in sys.argv[1:]]))
