#!/usr/bin/env python3
"""The measuring half of bench/records/run.sh (which starts the platform and passes
BENCH_* settings): seeds the agency, then measures through the Gateway."""
import os
import random
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from bench_platform import GATEWAY, PG, WORK, agency_admin, call, expect, psql, rotating, wrk  # noqa: E402

RECORDS_PID = int(os.environ["BENCH_RECORDS_PID"])
PEOPLE = int(os.environ["PEOPLE"])
IMPORT_ROWS = int(os.environ["IMPORT_ROWS"])
DURATION = os.environ["DURATION"]
CONNECTIONS = os.environ["CONNECTIONS"]
RECORDS_EACH, CERTIFICATIONS_EACH = 100, 5


def seed(schema, token):
    started = time.monotonic()
    for code, name in [("firearms", "Firearms"), ("use_of_force", "Use of force"), ("legal", "Legal updates")]:
        expect(call("POST", "/api/v1/categories", {"code": code, "name": name}, token), 201)
    expect(call("POST", "/api/v1/courses", {"code": "FA-QUAL", "title": "Firearms qualification", "hours": 4,
                                            "category_hours": {"firearms": 4}}, token), 201)
    for code in ["firearms_instructor", "taser", "cpr", "first_aid", "emergency_driving"]:
        expect(call("POST", "/api/v1/certification-types", {"code": code, "name": code.replace("_", " ").title(), "validity_months": 24}, token), 201)
    roster = "badge_number,first_name,last_name,hire_date,rank\n" + "".join(
        "B%05d,First%d,Last%d,2015-01-%02d,Officer\n" % (n, n, n, n % 28 + 1) for n in range(PEOPLE))
    expect(call("POST", "/api/v1/imports/personnel", roster.encode(), token, "text/csv"), 201)
    # 100 records and 5 certifications per person, straight into the agency's schema.
    psql("muster_records", """
        SET search_path TO %s;
        INSERT INTO training_records (id, person_id, title, completed_on, quarter_hours, category_hours, outcome, score, status, source,
                                      created_by, updated_by)
        SELECT gen_random_uuid(), p.id, 'In-service training ' || n, DATE '2021-01-01' + n * 14,
               4 * (1 + n %% 8), jsonb_build_object('firearms', 4), CASE WHEN n %% 10 = 0 THEN 'passed' ELSE 'completed' END,
               CASE WHEN n %% 10 = 0 THEN 90 + n %% 10 END, 'approved', 'import', p.id, p.id
        FROM personnel p, generate_series(1, %d) n;
        INSERT INTO certifications (id, person_id, type_id, number, issued_on, expires_on, created_by, updated_by)
        SELECT gen_random_uuid(), p.id, t.id, 'N-' || p.badge_number || '-' || t.code, DATE '2024-03-01', DATE '2026-03-01', p.id, p.id
        FROM personnel p, certification_types t;
        ANALYZE;
        """ % (schema, RECORDS_EACH))
    records = int(psql("muster_records", "SELECT count(*) FROM %s.training_records" % schema))
    certifications = int(psql("muster_records", "SELECT count(*) FROM %s.certifications" % schema))
    print("seeded %d people, %d training records, %d certifications in %.1f s" % (PEOPLE, records, certifications, time.monotonic() - started))
    return records


def wrk_person_records(schema, token):
    ids = psql("muster_records", "SELECT id FROM %s.personnel ORDER BY random()" % schema).split()
    rate, p50, p99, bad = wrk("person", rotating(ids, "/api/v1/personnel/{id}/training-records"), token, CONNECTIONS, DURATION)
    print("\nGET /api/v1/personnel/{id}/training-records  (wrk -t2 -c%s -d%ss, %d people rotating, 50 records a page)" % (CONNECTIONS, DURATION, len(ids)))
    print("  requests/s %.0f   p50 %.2f ms   p99 %.2f ms   non-2xx %d   (goal: p99 <= 15 ms)" % (rate, p50, p99, bad))


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        return int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1))


def export(records):
    peak, stop = [rss_kib(RECORDS_PID)], threading.Event()
    before = peak[0]
    def sample():
        while not stop.is_set():
            peak.append(rss_kib(RECORDS_PID))
            time.sleep(0.02)
    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.monotonic()
    out = subprocess.run(["curl", "-sS", "-o", os.path.join(WORK, "export.csv"), "-w", "%{http_code} %{size_download}",
                          "-H", "Authorization: Bearer " + TOKEN, GATEWAY + "/api/v1/training-records.csv"],
                         check=True, capture_output=True, text=True).stdout.split()
    elapsed = time.monotonic() - started
    stop.set(); sampler.join()
    after = rss_kib(RECORDS_PID)
    status, size = int(out[0]), int(out[1])
    with open(os.path.join(WORK, "export.csv"), "rb") as file:
        rows = sum(1 for _ in file) - 1  # no embedded newlines in the seeded data
    print("\nGET /api/v1/training-records.csv  (%d rows, %.1f MB, status %d)" % (rows, size / 1e6, status))
    print("  %.2f s   %.1f MB/s   (goal: >= 50 MB/s)" % (elapsed, size / 1e6 / elapsed))
    print("  Records RSS: before %.1f MB, highest during %.1f MB, after %.1f MB: growth %.1f MB   (goal: < 20 MB)"
          % (before / 1024, max(peak) / 1024, after / 1024, (max(peak) - before) / 1024))
    if rows != records:
        raise SystemExit("the export has %d rows, the table %d" % (rows, records))


def import_and_copy(schema, token):
    badges = ["B%05d" % n for n in range(PEOPLE)]
    rng = random.Random(7)
    lines = ["badge_number,course_code,title,completed_on,hours,category_hours,outcome,score"]
    for n in range(IMPORT_ROWS):
        course = n % 5 == 0
        lines.append("%s,%s,%s,2025-%02d-%02d,%s,%s,%s,%s" % (
            badges[n % PEOPLE], "FA-QUAL" if course else "", "" if course else '"Patrol tactics, part %d"' % (n % 12),
            1 + n % 12, 1 + n % 28, "" if course else ["2", "1.5", "8", "0.75"][n % 4],
            "" if course else "use_of_force:%s" % ["1", "0.5", "4", "0.25"][n % 4],
            "passed" if course else "completed", "%d.5" % rng.randint(70, 99) if course else ""))
    body = ("\r\n".join(lines) + "\r\n").encode()
    count_before = int(psql("muster_records", "SELECT count(*) FROM %s.training_records" % schema))
    started = time.monotonic()
    result = expect(call("POST", "/api/v1/imports/training-records", body, token, "text/csv"), 201)
    elapsed = time.monotonic() - started
    written = int(psql("muster_records", "SELECT count(*) FROM %s.training_records" % schema)) - count_before
    # The same rows as the import wrote them, with fresh ids (the import's own are taken), COPYed into the same
    # table in a transaction that is rolled back.
    columns = psql("muster_records", "SELECT string_agg(CASE column_name WHEN 'id' THEN 'gen_random_uuid()' ELSE column_name END, ','"
                   " ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = '%s' AND table_name = 'training_records'"
                   % schema)
    rows = psql("muster_records", "COPY (SELECT %s FROM %s.training_records WHERE import_id = '%s') TO STDOUT WITH (FORMAT csv)"
                % (columns, schema, result["id"]))
    timing = subprocess.run(["psql", "%s/muster_records" % PG, "-qtAX", "-v", "ON_ERROR_STOP=1"], check=True, capture_output=True, text=True,
                            input="SET search_path TO %s;\nBEGIN;\n\\timing on\nCOPY training_records FROM STDIN WITH (FORMAT csv);\n"
                                  "%s\n\\.\n\\timing off\nROLLBACK;\n" % (schema, rows)).stdout
    copy_ms = float(re.search(r"Time: ([0-9.]+) ms", timing).group(1))
    print("\nPOST /api/v1/imports/training-records  (%d rows, %.1f MB of CSV)" % (IMPORT_ROWS, len(body) / 1e6))
    print("  %.2f s end to end, %d rows written   (goal: <= 10 s)" % (elapsed, written))
    print("  PostgreSQL COPY of the same rows into the same table: %.2f s   import/COPY ratio %.1fx" % (copy_ms / 1000, elapsed * 1000 / copy_ms))


schema, TOKEN = agency_admin()
total = seed(schema, TOKEN)
wrk_person_records(schema, TOKEN)
export(total)
import_and_copy(schema, TOKEN)
