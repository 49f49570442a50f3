"""The platform the browser tests run against: `deploy/dev/run.sh` with the debug
build (`swift build` made it), its own state folder and free ports, the demo agency
seeded by demo.py, rate limits off. With MUSTER_TEST_DATABASE_URL (make test) it uses
that cluster; otherwise run.sh starts a PostgreSQL of its own.

    python3 Tests/web/muster_platform.py      # start one by hand and keep it running (Ctrl-C stops)
"""
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Platform:
    def __init__(self):
        self.state = pathlib.Path(tempfile.mkdtemp(prefix="muster-web-"))
        self.state.chmod(0o755)  # a PostgreSQL run.sh starts runs as postgres and keeps its data in here
        self.port = free_port()
        # localhost, not 127.0.0.1: Chromium treats http://localhost as a secure context, so it
        # keeps the refresh token's Secure cookie; MUSTER_PUBLIC_URL is the origin a cookie refresh must come from.
        self.url = "http://localhost:%d" % self.port
        self.logins = {}
        self.process = None

    def start(self, timeout=600):
        environment = dict(os.environ)
        environment.update({
            "MUSTER_STATE": str(self.state),
            "MUSTER_BIN": environment.get("MUSTER_BIN", str(ROOT / ".build/debug")),
            "MUSTER_WEB_ROOT": str(self.state / "web"),
            "MUSTER_PUBLIC_URL": self.url,
            "MUSTER_RATE_LIMITS": "off",
            "MUSTER_GATEWAY_PORT": str(self.port),
            "MUSTER_PG_PORT": str(free_port()),
        })
        for service in ("IDENTITY", "RECORDS", "AUDIT", "NOTIFY"):
            environment["MUSTER_%s_PORT" % service] = str(free_port())
        if os.environ.get("MUSTER_TEST_DATABASE_URL"):
            environment["MUSTER_DATABASE_URL"] = os.environ["MUSTER_TEST_DATABASE_URL"]
        self.log = open(self.state / "run.log", "w+")
        self.process = subprocess.Popen([str(ROOT / "deploy/dev/run.sh")], cwd=ROOT, env=environment,
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = (self.state / "run.log").read_text()
            if "Muster is running" in text:
                self._read_logins(text)
                return self
            if self.process.poll() is not None:
                raise RuntimeError("run.sh ended early:\n" + text[-3000:])
            time.sleep(0.5)
        self.stop()
        raise RuntimeError("the platform did not start in %d s:\n%s" % (timeout, (self.state / "run.log").read_text()[-3000:]))

    def _read_logins(self, text):
        for agency, email, password, roles in re.findall(r"^\s+(\S+) / (\S+@\S+) / (.+?)\s{3}\((.+)\)$", text, re.M):
            self.logins[email.split("@")[0]] = {"agency": agency, "email": email, "password": password, "roles": roles}

    def stop(self):
        """Stops what run.sh started (a PostgreSQL of its own too) and removes the state folder."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if (self.state / "pg").exists():
            subprocess.run([str(ROOT / "deploy/dev/postgres.sh"), "stop", str(self.state / "pg")], capture_output=True)
        shutil.rmtree(self.state, ignore_errors=True)

    def service_log(self, name):
        path = self.state / "logs" / (name + ".log")
        return path.read_text() if path.exists() else ""


if __name__ == "__main__":
    platform = Platform().start()
    print(platform.url, platform.logins, platform.state, flush=True)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        platform.stop()
