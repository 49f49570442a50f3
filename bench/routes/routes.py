#!/usr/bin/env python3
"""bench/routes: measures the real routes of a running platform (started by run.sh).

Seeds an agency of 2,000 users on the demo agency `make run` creates, then for
each route: wrk at 16 and 64 connections through the Gateway and direct to the
service; /proc CPU per request of the Gateway, the service and PostgreSQL (the
Gateway cell at 64 connections); transactions (counted in one captured request), statements
(pg_stat_statements) and round trips (the service's muster_db_round_trips) per
request; and, for reads, pgbench replaying the statements the route sent
(captured with log_statement=all, parameters inlined) at the same concurrency.
"""
import base64
import hashlib
import http.client
import json
import os
import pathlib
import re
import subprocess
import sys
import time
import urllib.request
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[2]
STATE = pathlib.Path(os.environ["MUSTER_STATE"])
DURATION = os.environ.get("DURATION", "3")
ONLY = set(filter(None, os.environ.get("ROUTES", "").split(",")))
CONNECTIONS = [int(c) for c in os.environ.get("CONNECTIONS", "16,64").split(",")]
SAMPLE = 200  # requests of the counting pass
# Routes also measured through nginx proxying to the same service (the Gateway's yardstick).
NGINX_ROUTES = set(filter(None, os.environ.get("NGINX_ROUTES", "me,jwks").split(",")))
sys.path.insert(0, str(ROOT / "deploy/dev"))
import demo  # noqa: E402  the demo agency's people and the API helpers make run uses


def read_env():
    env = {}
    for line in (STATE / "env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value.strip("'\"")
    return env


ENV = read_env()
PORT = {name: int(ENV["MUSTER_%s_PORT" % name.upper()]) for name in ("gateway", "identity", "audit", "notify")}
PORT["nginx"] = int(os.environ.get("BENCH_NGINX_PORT", "18689"))
PG = "host=%s port=%s user=postgres" % (STATE / "pg", os.environ["MUSTER_PG_PORT"])


def psql(sql, database="postgres"):
    return subprocess.run(["psql", "%s dbname=%s" % (PG, database), "-qtAX", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def call(method, path, token, body=None, content_type="application/json"):
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (PORT["gateway"], path), method=method,
                                     data=body.encode() if body is not None else None)
    request.add_header("Content-Type", content_type)
    request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read().decode() or "{}")


# --- seeding -------------------------------------------------------------------------------------------------------

def seed():
    admin_address, _, _, admin_password = demo.PEOPLE[0]
    admin = demo.login(demo.AGENCY, admin_address, admin_password)
    officer = demo.login(demo.AGENCY, demo.PEOPLE[2][0], demo.PEOPLE[2][3])
    for first in range(0, 1997, 1000):
        rows = ["email,name,roles"] + ["user%04d@bench.example,Bench User %04d,officer" % (i, i)
                                       for i in range(first, min(first + 1000, 1997))]
        call("POST", "/api/v1/users/import", admin, "\n".join(rows) + "\n", "text/csv")
    agency = call("GET", "/api/v1/me", admin)["agency"]["id"]
    schema = "agency_" + agency.replace("-", "")
    psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    # Sessions made in SQL, not by logging in (each login is a deliberate 128 MiB scrypt):
    # the officer's to revoke, the coordinator's whose refresh tokens are rotated.
    officer_id = psql("SELECT id FROM %s.users WHERE email = '%s'" % (schema, demo.PEOPLE[2][0]), "muster_identity")
    coordinator_id = psql("SELECT id FROM %s.users WHERE email = '%s'" % (schema, demo.PEOPLE[1][0]), "muster_identity")
    psql("""INSERT INTO %s.sessions (id, user_id, refresh_hash, amr, idle_expires_at, expires_at)
            SELECT gen_random_uuid(), '%s', sha256(gen_random_uuid()::text::bytea), '{pwd}', now() + interval '1 day',
                   now() + interval '1 day' FROM generate_series(1, 60000)""" % (schema, officer_id), "muster_identity")
    revocable = psql("SELECT id FROM %s.sessions WHERE user_id = '%s' AND revoked_at IS NULL ORDER BY random()"
                     % (schema, officer_id), "muster_identity").split()
    return {"admin": admin, "officer": officer, "agency": agency, "schema": schema,
            "coordinator": coordinator_id, "revocable": revocable}


def refresh_tokens(seeded, count):
    """`count` fresh refresh tokens of the coordinator (sessions inserted directly)."""
    hexid = seeded["agency"].replace("-", "")
    tokens = ["mrt.%s.%s" % (hexid, base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")) for _ in range(count)]
    values = ",".join("(gen_random_uuid(), '%s', '\\x%s', '{pwd}', now() + interval '1 day', now() + interval '1 day')"
                      % (seeded["coordinator"], hashlib.sha256(t.encode()).hexdigest()) for t in tokens)
    psql("INSERT INTO %s.sessions (id, user_id, refresh_hash, amr, idle_expires_at, expires_at) VALUES %s"
         % (seeded["schema"], values), "muster_identity")
    return tokens


# --- routes --------------------------------------------------------------------------------------------------------

# Each of wrk's two threads takes every other line of a file (tokens, session ids).
SHARE = """
local counter = 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function share(path)
  local mine, i = {}, 0
  for line in io.lines(path) do
    if i % 2 == id then table.insert(mine, line) end
    i = i + 1
  end
  return mine
end
"""

LUA = {
    "invite": """
local n = 0
function setup(thread) thread:set("id", math.random(1, 1e9)) end
function request()
  n = n + 1
  -- Headers given to wrk.format replace wrk.headers (the -H token): copy them in.
  local headers = {["Content-Type"] = "application/json"}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  return wrk.format("POST", "/api/v1/users", headers,
    string.format('{"email":"invite-%d-%d@bench.example","name":"Invited %d","roles":["officer"]}', id, n, n))
end
""",
    # A queue of tokens per thread: each answer's new token is used by a later request.
    "refresh": SHARE + """
function init(args) tokens = share(args[1]) end
function request()
  local token = table.remove(tokens, 1) or "none"
  return wrk.format("POST", "/api/v1/auth/refresh", {["Content-Type"] = "application/json"},
    '{"refresh_token":"' .. token .. '"}')
end
function response(status, headers, body)
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then table.insert(tokens, token) end
end
""",
    "revoke": SHARE + """
function init(args)
  ids = share(args[1])
  next_id = 0
end
function request()
  next_id = next_id + 1
  return wrk.format("DELETE", "/api/v1/me/sessions/" .. (ids[next_id] or "00000000-0000-0000-0000-000000000000"))
end
""",
}


def routes(seeded):
    some_user = call("GET", "/api/v1/users?limit=1", seeded["admin"])["items"][0]["id"]
    read = [
        ("me", "/api/v1/me", "identity", None),
        ("me/sessions", "/api/v1/me/sessions", "identity", None),
        ("users?limit=20", "/api/v1/users?limit=20", "identity", None),
        ("users/{id}", "/api/v1/users/" + some_user, "identity", None),
        ("agency/settings", "/api/v1/agency/settings", "identity", None),
        ("agency/locks", "/api/v1/agency/locks", "identity", None),
        ("agency/support-grants", "/api/v1/agency/support-grants", "identity", None),
        ("jwks", "/.well-known/jwks.json", "identity", ""),
        ("audit/events", "/api/v1/audit/events?limit=20", "audit", None),
        ("audit/keys", "/api/v1/audit/keys", "audit", None),
        ("audit/checkpoints", "/api/v1/audit/checkpoints", "audit", None),
        ("audit/retention", "/api/v1/audit/retention", "audit", None),
        ("notify/messages", "/api/v1/notify/messages?limit=20", "notify", None),
        ("notify/templates", "/api/v1/notify/templates", "notify", None),
        ("notify/settings", "/api/v1/notify/settings", "notify", None),
    ]
    table = [dict(name=n, method="GET", path=p, service=s, token=seeded["admin"] if t is None else t, lua=None)
             for n, p, s, t in read]
    table += [
        dict(name="invite (POST users)", method="POST", path="/api/v1/users", service="identity",
             token=seeded["admin"], lua="invite"),
        dict(name="refresh", method="POST", path="/api/v1/auth/refresh", service="identity", token="", lua="refresh"),
        dict(name="revoke (DELETE me/sessions/{id})", method="DELETE", path="/api/v1/me/sessions/{id}",
             service="identity", token=seeded["officer"], lua="revoke"),
    ]
    return [r for r in table if not ONLY or r["name"].split(" ")[0] in ONLY or r["name"] in ONLY]


# --- measuring -----------------------------------------------------------------------------------------------------

def listening_pid(port):
    out = subprocess.run(["ss", "-Htlnp", "sport = :%d" % port], capture_output=True, text=True).stdout
    return int(re.search(r"pid=(\d+)", out).group(1))


def postgres_pids():
    master = int((STATE / "pg" / "postmaster.pid").read_text().split()[0])
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [master] + [int(c) for c in children]


def cpu_ticks(pids):
    """User + system ticks of each process (a backend that ended meanwhile simply drops out)."""
    ticks = {}
    for pid in pids:
        try:
            fields = pathlib.Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
            ticks[pid] = int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return ticks


def cpu_snapshot(service):
    return {"gateway": cpu_ticks([listening_pid(PORT["gateway"])]), "service": cpu_ticks([listening_pid(PORT[service])]),
            "postgres": cpu_ticks(postgres_pids()), "switches": context_switches(listening_pid(PORT[service]))}


def context_switches(pid):
    """The service's context switches so far, all threads (each thread wake-up is one)."""
    total = 0
    for task in pathlib.Path("/proc/%d/task" % pid).iterdir():
        try:
            total += sum(int(line.split()[1]) for line in (task / "status").read_text().splitlines()
                         if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")))
        except FileNotFoundError:
            pass
    return {pid: total}


def cpu_spent(before, after):
    """Ticks spent between two snapshots by the processes alive at the second."""
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items())


def metric(service, name):
    # The Gateway serves /metrics on its admin port only.
    port = int(ENV["MUSTER_GATEWAY_ADMIN_PORT"]) if service == "gateway" else PORT[service]
    text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10).read().decode()
    found = re.search(r"^%s(?:\{[^}]*\})? ([0-9.e+]+)$" % name, text, re.M)
    return float(found.group(1)) if found else 0.0


def wrk(route, connections, port, extra_args=()):
    args = ["wrk", "-t2", "-c%d" % connections, "-d%ss" % DURATION, "--latency"]
    if route["token"]:
        args += ["-H", "Authorization: Bearer " + route["token"]]
    lua_args = []
    if route["lua"]:
        script = STATE / ("%s.lua" % route["lua"])
        script.write_text(LUA[route["lua"]])
        args += ["-s", str(script)]
        lua_args = list(extra_args)
    out = subprocess.run(args + ["http://127.0.0.1:%d%s" % (port, route["path"] if not route["lua"] else "/")] +
                         (["--"] + lua_args if lua_args else []), capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    return {"rate": rate, "total": total, "p50": latency(out, "50%"), "p99": latency(out, "99%"),
            "bad": int(bad.group(1)) if bad else 0, "errors": errors.group(0) if errors else ""}


def latency(out, which):
    value, unit = re.search(r"%s\s+([0-9.]+)(us|ms|s)" % which, out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def keep_alive(route, count):
    """`count` requests on one connection (through the Gateway); the number of 2xx answers."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT["gateway"], timeout=30)
    headers = {"Authorization": "Bearer " + route["token"]} if route["token"] else {}
    ok = 0
    for _ in range(count):
        connection.request(route["method"], route["path"], headers=headers)
        response = connection.getresponse()
        response.read()
        ok += 200 <= response.status < 300
    connection.close()
    return ok


def database_counts(service):
    database = "muster_" + service
    statements = int(psql("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                          "WHERE d.datname = '%s'" % database))
    return statements, metric(service, "muster_db_round_trips")


def counting_pass(route):
    """Statements (pg_stat_statements: BEGIN, COMMIT and SET LOCAL sent as prepared statements are not
    among them) and round trips per request, over SAMPLE requests on one connection."""
    if route["lua"]:
        return None
    before = database_counts(route["service"])
    ok = keep_alive(route, SAMPLE)
    after = database_counts(route["service"])
    if ok == 0:
        return None
    return [(a - b) / ok for a, b in zip(after, before)]


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[(\d+)\] (\S*)@(\S*) (\w+):  (.*)$")


def pgbench_literal(literal):
    """pgbench reads `:name` in a script as a variable: a colon inside a value is written as an escape."""
    if ":" not in literal or not literal.startswith("'"):
        return literal
    return "E" + literal.replace("\\", "\\\\").replace(":", "\\072")


def logged(action):
    """What the services' backends logged while `action` ran: per transaction (or lone
    statement) of a backend, its statements as sent and with their parameters inlined."""
    log = STATE / "pg" / "server.log"
    start = log.stat().st_size
    action()
    time.sleep(0.3)
    with log.open("rb") as handle:
        handle.seek(start)
        text = handle.read().decode(errors="replace")
    entries = []
    for line in text.splitlines():
        found = LOG_LINE.match(line)
        if found:
            entries.append(list(found.groups()))
        elif entries:
            entries[-1][4] += "\n" + line
    open_units, latest, units = {}, {}, []
    for pid, user, db, level, message in entries:
        if level == "LOG":
            sql = re.match(r"(?:execute [^:]*|statement): (.*)", message, re.S)
            if not sql:
                continue
            raw = sql.group(1).strip()
            unit = open_units.get(pid)
            if unit is None:
                unit = {"db": db, "statements": []}
                units.append(unit)
                if raw.startswith("BEGIN"):
                    open_units[pid] = unit
            unit["statements"].append([raw, raw])
            latest[pid] = unit
            if raw.startswith(("COMMIT", "ROLLBACK")):
                open_units.pop(pid, None)
        elif level == "DETAIL" and message.startswith("parameters:"):
            unit = latest.get(pid)
            if unit and unit["statements"]:
                params = dict(re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", message))
                last = unit["statements"][-1]
                last[1] = re.sub(r"\$(\d+)", lambda m: pgbench_literal(params.get(m.group(1), m.group(0))), last[0])
    return units


def captured_statements(route):
    """The statements one request of `route` sent, parameters inlined (log_statement = all), and its
    transactions (each BEGIN … COMMIT or statement on its own; pg_stat_database publishes too late to count)."""
    psql("ALTER SYSTEM SET log_statement = 'all'")
    psql("ALTER SYSTEM SET log_line_prefix = '%m [%p] %u@%d '")
    psql("SELECT pg_reload_conf()")
    time.sleep(0.3)
    # Two requests, each logged alone: what both sent is the route's; what only one
    # did ran beside it (pollers, relays)…
    first, second = (logged(lambda: keep_alive(route, 1)) for _ in range(2))
    idle = logged(lambda: time.sleep(1.0))
    psql("ALTER SYSTEM RESET log_statement")
    psql("SELECT pg_reload_conf()")
    def own(units):
        return [unit for unit in units if unit["db"] == "muster_" + route["service"]]
    again = [[raw for raw, _ in unit["statements"]] for unit in own(second)]
    # … and what also ran while no request did (the outbox relays' polls) is not either.
    background = [[raw for raw, _ in unit["statements"]] for unit in own(idle)]
    statements, transactions = [], 0
    for unit in own(first):
        shape = [raw for raw, _ in unit["statements"]]
        if shape in again and shape not in background:
            again.remove(shape)
            statements += [inlined for _, inlined in unit["statements"]]
            transactions += 1
    return statements, transactions


def pgbench(route, statements, connections):
    script = STATE / ("pgbench-%s.sql" % re.sub(r"\W", "_", route["name"]))
    script.write_text("".join(s.rstrip(";") + ";\n" for s in statements))
    url = ENV["MUSTER_%s_DATABASE_URL" % route["service"].upper()]
    out = subprocess.run(["pgbench", "-n", "-M", "prepared", "-f", str(script), "-c", str(connections), "-j", "2",
                          "-T", DURATION, url], capture_output=True, text=True)
    found = re.search(r"tps = ([0-9.]+)", out.stdout)
    if not found:
        print("pgbench failed on %s: %s" % (route["name"], out.stderr.strip()[-300:]), file=sys.stderr)
    return float(found.group(1)) if found else None


def start_nginx():
    """nginx proxying each service's routes like the Gateway (upstream keep-alive), as bench/gateway runs it."""
    work = STATE / "nginx"
    (work / "logs").mkdir(parents=True, exist_ok=True)
    upstreams = "".join("  upstream %s { server 127.0.0.1:%d; keepalive 128; keepalive_requests 100000000; }\n"
                        % (name, PORT[name]) for name in ("identity", "audit", "notify"))
    locations = "".join("""    location %s {
      proxy_pass http://%s;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Request-Id $request_id;
    }
""" % (prefix, name) for prefix, name in (("/api/v1/audit/", "audit"), ("/api/v1/notify/", "notify"), ("/", "identity")))
    (work / "nginx.conf").write_text("""worker_processes 2;
daemon off;
pid %(w)s/nginx.pid;
error_log %(w)s/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 65;
  keepalive_requests 100000000;
  client_body_temp_path %(w)s/body;
  proxy_temp_path %(w)s/proxy;
  fastcgi_temp_path %(w)s/fastcgi;
  uwsgi_temp_path %(w)s/uwsgi;
  scgi_temp_path %(w)s/scgi;
%(u)s  server {
    listen 127.0.0.1:%(p)d;
%(l)s  }
}
""" % {"w": work, "u": upstreams, "p": PORT["nginx"], "l": locations})
    return subprocess.Popen(["nginx", "-p", str(work), "-c", str(work / "nginx.conf")])


def main():
    nginx = start_nginx()
    try:
        run()
    finally:
        nginx.terminate()
        nginx.wait()


def run():
    print("seeding: the demo agency of %s, 2,000 users…" % demo.AGENCY, flush=True)
    seeded = seed()
    ids_file = STATE / "revocable.txt"
    ids_file.write_text("\n".join(seeded["revocable"]) + "\n")
    revoked = 0
    rows = []
    for route in routes(seeded):
        count = counting_pass(route)
        statements, transactions = captured_statements(route) if route["method"] == "GET" else ([], None)
        if count is not None:
            if count[1] < 0.5:
                # Under one round trip per request: no database of its own (what the log caught was pollers').
                statements, transactions = [], 0
            count = [transactions] + count
        row = {"route": route, "count": count, "cells": {}, "pgbench": {}}
        for connections in CONNECTIONS:
            for via in ("gateway", "direct") + (("nginx",) if route["name"] in NGINX_ROUTES else ()):
                extra = ()
                if route["lua"] == "refresh":
                    tokens_file = STATE / "refresh.txt"
                    tokens_file.write_text("\n".join(refresh_tokens(seeded, connections * 2)) + "\n")
                    extra = (str(tokens_file),)
                elif route["lua"] == "revoke":
                    ids_file.write_text("\n".join(seeded["revocable"][revoked:]) + "\n")
                    extra = (str(ids_file),)
                measure_cpu = via == "gateway" and connections == max(CONNECTIONS)
                before = cpu_snapshot(route["service"]) if measure_cpu else None
                port = PORT[via] if via != "direct" else PORT[route["service"]]
                cell = wrk(route, connections, port, extra)
                if route["lua"] == "revoke":
                    revoked += cell["total"] + connections
                if before:
                    after = cpu_snapshot(route["service"])
                    tick = 1e6 / os.sysconf("SC_CLK_TCK")
                    row["cpu"] = {k: cpu_spent(before[k], after[k]) * tick / max(cell["total"], 1) for k in after}
                    row["cpu"]["switches"] /= tick
                row["cells"][(connections, via)] = cell
            if statements:
                row["pgbench"][connections] = pgbench(route, statements, connections)
        row["statements"] = statements
        rows.append(row)
        print_row(row, header=len(rows) == 1)
    report(rows)


COLUMNS = ("| route | conns | gateway req/s | p50 / p99 ms | direct req/s | p50 / p99 ms | pgbench tps | gateway/pgbench "
           "| nginx req/s (gw/nginx) | CPU µs/req gw / svc / pg | svc context switches/req | xacts / stmts / round trips per req | non-2xx |")


def format_row(row):
    lines = []
    route = row["route"]
    for connections in CONNECTIONS:
        gateway = row["cells"][(connections, "gateway")]
        direct = row["cells"][(connections, "direct")]
        tps = row["pgbench"].get(connections)
        cpu = row.get("cpu") if connections == max(CONNECTIONS) else None
        count = row["count"] if connections == max(CONNECTIONS) else None
        nginx = row["cells"].get((connections, "nginx"))
        lines.append("| %s | %d | %.0f | %.1f / %.1f | %.0f | %.1f / %.1f | %s | %s | %s | %s | %s | %s | %s |" % (
            route["name"] if connections == CONNECTIONS[0] else "", connections,
            gateway["rate"], gateway["p50"], gateway["p99"], direct["rate"], direct["p50"], direct["p99"],
            "%.0f" % tps if tps else "—", "%.2f×" % (gateway["rate"] / tps) if tps else "—",
            "%.0f (%.2f×)" % (nginx["rate"], gateway["rate"] / nginx["rate"]) if nginx else "",
            "%.0f / %.0f / %.0f" % (cpu["gateway"], cpu["service"], cpu["postgres"]) if cpu else "",
            "%.1f" % cpu["switches"] if cpu else "",
            "%s / %.1f / %.1f" % ("—" if count[0] is None else count[0], count[1], count[2]) if count else "",
            "%d / %d" % (gateway["bad"], direct["bad"]) if gateway["bad"] or direct["bad"] else ""))
    return lines


def print_row(row, header):
    if header:
        print(COLUMNS)
        print("|" + "---|" * COLUMNS.count(" | ") + "---|")
    print("\n".join(format_row(row)), flush=True)


def report(rows):
    text = [COLUMNS, "|" + "---|" * COLUMNS.count(" | ") + "---|"]
    for row in rows:
        text += format_row(row)
    text.append("")
    text.append("wrk -t2 for %ss per cell; CPU and counts on the Gateway cell at %d connections; transactions from one captured request, statements "
                "(pg_stat_statements, without BEGIN/COMMIT/SET LOCAL) and round trips over 200; %s" % (
        DURATION, max(CONNECTIONS), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    for row in rows:
        if row["statements"]:
            text.append("\n%s — statements replayed by pgbench:\n" % row["route"]["name"])
            text += ["    " + s.replace("\n", " ") for s in row["statements"]]
    (STATE / "routes.md").write_text("\n".join(text) + "\n")
    print("\ntable and captured statements: %s" % (STATE / "routes.md"))


if __name__ == "__main__":
    main()
