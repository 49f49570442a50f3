#!/usr/bin/env bash
# Installs the Debian packages Muster builds, runs and tests with, when missing.
set -euo pipefail

# python3-jwt, python3-cryptography, python3-pyotp: independent oracles for the crypto tests.
packages=(libpq-dev libssl-dev libcurl4-openssl-dev pkg-config postgresql postgresql-contrib
          python3 python3-aiosmtpd oathtool nginx-light wrk curl openssl
          python3-jwt python3-cryptography python3-pyotp)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
