#!/usr/bin/env python3
"""The baseline: Python's smtplib sending the same messages over one reused connection.

    smtplib_baseline.py <port> <sink folder> <first> <count>

Sends the messages the sink in <sink folder> stored as its deliveries <first> to
<first + count - 1> (what Notify sent in one round). Reads them all first, then
times sending them; prints one JSON line.
"""
import email.utils
import json
import os
import smtplib
import sys
import time

port, folder, first, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(os.path.join(folder, "deliveries.jsonl")) as log:
    deliveries = [json.loads(line) for line in log][first:first + count]
messages = []
for delivery in deliveries:
    with open(os.path.join(folder, delivery["file"]), "rb") as source:
        messages.append((delivery["mail_from"], delivery["rcpt_tos"], source.read()))

start = time.perf_counter()
with smtplib.SMTP("127.0.0.1", port) as connection:
    connection.ehlo("bench.example")
    for sender, recipients, raw in messages:
        connection.sendmail(sender, recipients, raw)
elapsed = time.perf_counter() - start
print(json.dumps({"messages": len(messages), "seconds": round(elapsed, 3), "per_second": round(len(messages) / elapsed, 1)}))
