"""What the Python halves of the platform benches share (bench/records, bench/compliance): calls through the
Gateway, psql against the bench's cluster, an agency with a signed-in admin, and wrk runs. The bench's run.sh
starts the platform (bench/lib/cluster.sh) and passes BENCH_GATEWAY, BENCH_PG, BENCH_IDENTITY and BENCH_WORK.

    from bench_platform import agency_admin, wrk, rotating
    schema, token = agency_admin("bench-pd")
    rate, p50, p99, bad = wrk("person", rotating(ids, "/api/v1/personnel/{id}"), token, connections="16", duration="15")
"""
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request

GATEWAY = os.environ["BENCH_GATEWAY"]
PG = os.environ["BENCH_PG"]
WORK = os.environ["BENCH_WORK"]
PASSWORD = "Bench harbour lanterns 2026!"


def call(method, path, body=None, token=None, content_type="application/json"):
    data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(GATEWAY + path, method=method, data=data)
    request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()[:2000]


def expect(status_body, *statuses):
    status, body = status_body
    if status not in statuses:
        raise SystemExit("unexpected answer %s: %s" % (status, body))
    return body


def psql(database, sql, *options):
    return subprocess.run(["psql", "%s/%s" % (PG, database), "-qtAX", "-v", "ON_ERROR_STOP=1", *options, "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def invitation(address):
    """The invitation token mailed to `address`: from Identity's outbox while Notify has not
    taken it yet, else from the mail Notify wrote to its folder."""
    pattern = re.compile(r"mit\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43}")
    folder = os.path.join(WORK, "mail")
    for _ in range(300):
        token = psql("muster_identity", "SELECT payload->'data'->>'token' FROM platform.outbox WHERE payload->>'template' = 'invitation'"
                     " AND payload->'recipient'->>'address' = '%s' ORDER BY created_at DESC LIMIT 1" % address)
        if token:
            return token
        for name in sorted(os.listdir(folder) if os.path.isdir(folder) else [], reverse=True):
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as file:
                text = file.read().replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
            found = pattern.search(text) if address in text else None
            if found:
                return found.group(0)
        time.sleep(0.1)
    raise SystemExit("no invitation for " + address)


def login(agency, address):
    return expect(call("POST", "/api/v1/auth/login", {"agency": agency, "email": address, "password": PASSWORD}), 200)["access_token"]


def agency_admin(slug="bench-pd"):
    """A new active agency `slug` and its first admin signed in: (the agency's schema name, the admin's access token)."""
    subprocess.run([os.environ["BENCH_IDENTITY"], "create-operator", "--email", "ops@bench.test"], input=PASSWORD + "\n",
                   text=True, check=True, capture_output=True)
    ops = login("platform", "ops@bench.test")
    agency = expect(call("POST", "/api/v1/platform/agencies", {"slug": slug, "name": "Bench PD", "admin_email": "admin@bench.test",
                                                                "admin_name": "Bench Admin"}, ops), 201)["id"]
    for _ in range(300):
        if expect(call("GET", "/api/v1/platform/agencies/" + agency, token=ops), 200)["status"] == "active":
            break
        time.sleep(0.1)
    expect(call("POST", "/api/v1/auth/invitations/accept", {"token": invitation("admin@bench.test"), "password": PASSWORD}), 204)
    return "agency_" + agency.replace("-", ""), login(slug, "admin@bench.test")


def ms(value):
    """wrk's latency text (`812.00us`, `3.41ms`, `1.02s`) in milliseconds."""
    number = float(re.match(r"[0-9.]+", value).group())
    return number / 1000 if value.endswith("us") else number * 1000 if value.endswith("s") and not value.endswith("ms") else number


def wrk(name, lua, token, connections, duration):
    """wrk -t2 with the Lua `lua` (which defines `request`), after a 3 s warm-up: (requests/s, p50 ms, p99 ms, non-2xx)."""
    script = os.path.join(WORK, name + ".lua")
    with open(script, "w") as file:
        file.write('wrk.headers["Authorization"] = "Bearer %s"\n' % token)
        file.write(lua)
        file.write('done = function(summary, latency, requests) io.write(string.format("non_2xx %d\\n", summary.errors.status)) end\n')
    subprocess.run(["wrk", "-t2", "-c" + connections, "-d3s", "-s", script, GATEWAY], check=True, capture_output=True)
    out = subprocess.run(["wrk", "-t2", "-c" + connections, "-d%ss" % duration, "--latency", "-s", script, GATEWAY],
                         check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    p50 = ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    return rate, p50, p99, int(re.search(r"non_2xx (\d+)", out).group(1))


def rotating(ids, path):
    """A wrk `request` function rotating over `ids`, each put into `path` in place of `{id}`."""
    head, tail = path.split("{id}")
    return ("local ids = {%s}\nlocal n = 0\nrequest = function()\n  n = n + 1\n"
            '  return wrk.format("GET", "%s" .. ids[(n %% #ids) + 1] .. "%s")\nend\n' % (",".join('"%s"' % i for i in ids), head, tail))
