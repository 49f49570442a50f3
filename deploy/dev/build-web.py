#!/usr/bin/env python3
"""Builds the web app's served tree (MUSTER_WEB_ROOT) from Services/Gateway/Web.

    deploy/dev/build-web.py OUT

OUT/index.html       the page, `{{assets}}` replaced by the fingerprinted folder
OUT/routes.json      the app's own routes (the Gateway answers them with index.html)
OUT/assets/<hash>/   Web/app/* plus the Debian browser libraries under vendor/, and
                     versions.json naming each library's package and version

<hash> is the first 16 hex digits of SHA-256 over every asset's path and bytes, so
any change gives new URLs and the Gateway may let browsers cache assets for a year.
Compressible files get a `.gz` sibling the Gateway sends to clients that accept gzip.
The libraries come from the system (deploy/dev/install-deps.sh installs them), never
from the repository.
"""
import gzip
import hashlib
import json
import pathlib
import shutil
import subprocess
import sys

SOURCE = pathlib.Path(__file__).resolve().parents[2] / "Services/Gateway/Web"
# Debian package -> (installed file, path under vendor/).
VENDOR = {
    "libjs-bootstrap5": [("/usr/share/javascript/bootstrap5/css/bootstrap.min.css", "bootstrap.min.css"),
                         ("/usr/share/javascript/bootstrap5/js/bootstrap.bundle.min.js", "bootstrap.bundle.min.js")],
    "libjs-chart.js": [("/usr/share/javascript/chart.js/chart.min.js", "chart.min.js")],
    "node-qrcode-generator": [("/usr/share/javascript/qrcode-generator/qrcode.js", "qrcode.js")],
}
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".txt"}


def package_version(package):
    result = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True)
    if result.returncode != 0 or not result.stdout:
        sys.exit("build-web: %s is not installed (run deploy/dev/install-deps.sh)" % package)
    return result.stdout


def collect():
    """Every asset as (relative path, bytes), sorted by path."""
    files = {}
    for path in (SOURCE / "app").rglob("*"):
        if path.is_file():
            files[path.relative_to(SOURCE / "app").as_posix()] = path.read_bytes()
    versions = {}
    for package, entries in VENDOR.items():
        versions[package] = {"version": package_version(package), "files": [name for _, name in entries]}
        for installed, name in entries:
            files["vendor/" + name] = pathlib.Path(installed).resolve().read_bytes()
    files["vendor/versions.json"] = (json.dumps(versions, indent=2, sort_keys=True) + "\n").encode()
    return dict(sorted(files.items()))


def fingerprint(files):
    digest = hashlib.sha256()
    for name, body in files.items():
        digest.update(name.encode() + b"\0" + len(body).to_bytes(8, "big") + body)
    return digest.hexdigest()[:16]


def write(path, body):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    if path.suffix in COMPRESSIBLE and len(body) > 512:
        (path.parent / (path.name + ".gz")).write_bytes(gzip.compress(body, 9, mtime=0))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: build-web.py OUT")
    out = pathlib.Path(sys.argv[1]).resolve()
    files = collect()
    assets = "/assets/" + fingerprint(files)
    staging = out.with_name(out.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    for name, body in files.items():
        write(staging / assets.lstrip("/") / name, body)
    page = (SOURCE / "index.html").read_text().replace("{{assets}}", assets)
    write(staging / "index.html", page.encode())
    write(staging / "routes.json", files["routes.json"])
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    print(assets)


if __name__ == "__main__":
    main()
