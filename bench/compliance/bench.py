#!/usr/bin/env python3
"""The measuring half of bench/compliance/run.sh (which starts the platform and passes
BENCH_* settings): seeds the agency, then measures the compliance routes through the Gateway."""
import os
import re
import statistics
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from bench_platform import GATEWAY, PG, WORK, agency_admin, call, expect, psql, rotating, wrk  # noqa: E402

PEOPLE = int(os.environ["PEOPLE"])
DURATION = os.environ["DURATION"]
CONNECTIONS = os.environ["CONNECTIONS"]
SUMMARIES = int(os.environ["SUMMARIES"])
RECORDS_EACH = 100
CATEGORIES = ["firearms", "use_of_force", "de_escalation", "legal", "first_aid"]


def requirements(policy, cpr, taser):
    """Twelve requirements of every kind and period."""
    hours = lambda period, total, **more: dict({"period": period, "total_hours": total}, **more)
    year = {"kind": "calendar_year"}
    return [
        ("annual_hours", "hours", hours(year, 24, category_minimums=[{"category_codes": ["firearms"], "hours": 4}])),
        ("cycle_hours", "hours", hours({"kind": "fixed", "starts_on": "2021-01-01", "months": 24}, 48,
                                       category_minimums=[{"category_codes": ["use_of_force", "de_escalation"], "hours": 8}])),
        ("utah_year", "hours", hours({"kind": "fixed", "starts_on": "2000-07-01", "months": 12}, 40,
                                     new_hires={"prorate_hours_per_month": 3.5})),
        ("licence_period", "hours", hours({"kind": "anchored", "anchor": "hire_date", "months": 36, "ends_on_month_day": "06-30"}, 48,
                                          category_minimums=[{"category_codes": ["legal"], "hours": 2}])),
        ("firearms_yearly", "completion", {"period": year, "course_codes": ["FA-QUAL"], "outcome": "passed"}),
        ("first_aid_yearly", "completion", {"period": year, "category_codes": ["first_aid"], "new_hires": "exempt"}),
        ("legal_cycle", "completion", {"period": {"kind": "fixed", "starts_on": "2021-01-01", "months": 24}, "category_codes": ["legal"]}),
        ("qualification", "recurring", {"every_months": 12, "course_codes": ["FA-QUAL"], "initial_days": 90}),
        ("de_escalation", "recurring", {"every_months": 24, "category_codes": ["de_escalation"]}),
        ("cpr", "certification", {"certification_type_id": cpr, "initial_days": 30}),
        ("taser", "certification", {"certification_type_id": taser}),
        ("use_of_force_policy", "policy", {"policy_id": policy, "within_days": 14}),
    ]


def seed(schema, token):
    started = time.monotonic()
    for code in CATEGORIES:
        expect(call("POST", "/api/v1/categories", {"code": code, "name": code.replace("_", " ").title()}, token), 201)
    expect(call("POST", "/api/v1/courses", {"code": "FA-QUAL", "title": "Firearms qualification", "hours": 4,
                                            "category_hours": {"firearms": 4}}, token), 201)
    types = {code: expect(call("POST", "/api/v1/certification-types", {"code": code, "name": code.title(), "validity_months": 24}, token),
                          201)["id"] for code in ["cpr", "taser"]}
    units = ["Unit %d" % n for n in range(8)]
    for name in units:
        expect(call("POST", "/api/v1/units", {"name": name}, token), 201)
    roster = "badge_number,first_name,last_name,hire_date,rank,unit\n" + "".join(
        "B%05d,First%d,Last%d,%d-%02d-%02d,Officer,%s\n" % (n, n, n, 2005 + n % 20, 1 + n % 12, 1 + n % 28, units[n % len(units)])
        for n in range(PEOPLE))
    expect(call("POST", "/api/v1/imports/personnel", roster.encode(), token, "text/csv"), 201)
    # A policy with one published version (its document is not read here: the bytes are a stand-in).
    policy = str(uuid.uuid4())
    psql("muster_records", """
        SET search_path TO %s;
        INSERT INTO policies (id, code, title, created_by) VALUES ('%s', 'use_of_force', 'Use of force', gen_random_uuid());
        INSERT INTO policy_versions (id, policy_id, version, content_type, size, sha256, sealed, published_on, created_by)
        VALUES (gen_random_uuid(), '%s', 1, 'text/markdown', 1, sha256('x'), 'x', DATE '2024-01-15', gen_random_uuid());
        """ % (schema, policy, policy))
    for code, kind, params in requirements(policy, types["cpr"], types["taser"]):
        expect(call("POST", "/api/v1/requirements", {"code": code, "name": code.replace("_", " "), "kind": kind, "params": params,
                                                      "effective_from": "2000-01-01"}, token), 201)
    # 100 records a person over five years, certifications, and acknowledgements from most.
    psql("muster_records", """
        SET search_path TO %s;
        INSERT INTO training_records (id, person_id, course_id, title, completed_on, quarter_hours, category_hours, outcome, status, source,
                                      created_by, updated_by)
        SELECT gen_random_uuid(), p.id, CASE WHEN n %% 12 = 0 THEN c.id END, 'In-service training ' || n,
               DATE '2021-01-01' + (n * 18 + hashtext(p.badge_number) %% 9), 4 * (1 + n %% 6),
               jsonb_build_object((ARRAY['firearms','use_of_force','de_escalation','legal','first_aid'])[1 + n %% 5], 4),
               CASE WHEN n %% 12 = 0 THEN 'passed' WHEN n %% 17 = 0 THEN 'failed' ELSE 'completed' END, 'approved', 'import', p.id, p.id
        FROM personnel p, courses c, generate_series(1, %d) n;
        INSERT INTO certifications (id, person_id, type_id, issued_on, expires_on, created_by, updated_by)
        SELECT gen_random_uuid(), p.id, t.id, DATE '2024-03-01' + hashtext(p.badge_number) %% 300,
               DATE '2026-03-01' + hashtext(p.badge_number) %% 300, p.id, p.id
        FROM personnel p, certification_types t;
        INSERT INTO policy_acknowledgements (policy_version_id, person_id, sha256, acknowledged_on, user_id)
        SELECT v.id, p.id, v.sha256, DATE '2024-01-20', p.id FROM personnel p, policy_versions v WHERE hashtext(p.id::text) %% 5 <> 0;
        ANALYZE;
        """ % (schema, RECORDS_EACH))
    records = int(psql("muster_records", "SELECT count(*) FROM %s.training_records" % schema))
    print("seeded %d people, %d training records, 12 requirements in %.1f s" % (PEOPLE, records, time.monotonic() - started))


def sql_ms(schema, sql, runs=5):
    """The median time PostgreSQL takes for `sql` (psql's \\timing, the rows discarded)."""
    script = "SET search_path TO %s;\n\\o /dev/null\n\\timing on\n" % schema + (sql + ";\n") * runs
    out = subprocess.run(["psql", "%s/muster_records" % PG, "-qtAX", "-v", "ON_ERROR_STOP=1"], input=script, check=True,
                         capture_output=True, text=True).stdout
    return statistics.median(float(t) for t in re.findall(r"Time: ([0-9.]+) ms", out))


# A plain query that only sums each person's hours per calendar year: what any status needs at the least.
SUMS = ("SELECT person_id, date_part('year', completed_on) AS year, sum(quarter_hours) FROM training_records"
        " WHERE status = 'approved' AND outcome <> 'failed' %s GROUP BY 1, 2")


def person_compliance(schema, token):
    ids = psql("muster_records", "SELECT id FROM %s.personnel ORDER BY random()" % schema).split()
    rate, p50, p99, bad = wrk("compliance", rotating(ids, "/api/v1/personnel/{id}/compliance"), token, CONNECTIONS, DURATION)
    one = sql_ms(schema, SUMS % ("AND person_id = '%s'" % ids[0]), runs=20)
    print("\nGET /api/v1/personnel/{id}/compliance  (wrk -t2 -c%s -d%ss, %d people rotating, 12 requirements)" % (CONNECTIONS, DURATION, len(ids)))
    print("  requests/s %.0f   p50 %.2f ms   p99 %.2f ms   non-2xx %d   (goal: p99 <= 20 ms)" % (rate, p50, p99, bad))
    print("  PostgreSQL summing one person's hours per year: %.2f ms" % one)


def summary(schema, token):
    times = []
    for _ in range(SUMMARIES):
        started = time.monotonic()
        expect(call("GET", "/api/v1/compliance/summary", token=token), 200)
        times.append((time.monotonic() - started) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print("\nGET /api/v1/compliance/summary  (%d sequential requests, %d people × 12 requirements)" % (SUMMARIES, PEOPLE))
    print("  p50 %.1f ms   p99 %.1f ms   (goals: p50 <= 150 ms, p99 <= 300 ms)" % (statistics.median(times), p99))
    print("  PostgreSQL summing every person's hours per year: %.1f ms" % sql_ms(schema, SUMS % ""))


def csv(schema, token):
    path = os.path.join(WORK, "compliance.csv")
    started = time.monotonic()
    out = subprocess.run(["curl", "-sS", "-o", path, "-w", "%{http_code} %{size_download}", "-H", "Authorization: Bearer " + token,
                          GATEWAY + "/api/v1/compliance.csv"], check=True, capture_output=True, text=True).stdout.split()
    elapsed = time.monotonic() - started
    with open(path, "rb") as file:
        rows = sum(1 for _ in file) - 1
    print("\nGET /api/v1/compliance.csv  (%d rows, %.1f MB, status %s)" % (rows, int(out[1]) / 1e6, out[0]))
    print("  %.2f s   (goal: <= 1 s)" % elapsed)
    print("  PostgreSQL summing every person's hours per year: %.1f ms" % sql_ms(schema, SUMS % ""))
    if rows != PEOPLE * 12:
        raise SystemExit("the export has %d rows, not %d" % (rows, PEOPLE * 12))


schema, TOKEN = agency_admin()
seed(schema, TOKEN)
person_compliance(schema, TOKEN)
summary(schema, TOKEN)
csv(schema, TOKEN)
