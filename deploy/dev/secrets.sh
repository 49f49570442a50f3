#!/usr/bin/env bash
# Generates the secrets a local platform needs, once: database passwords, one
# Ed25519 service key pair per service, the master key. Prints them as shell
# assignments (sourced by run.sh, kept in .muster/secrets with mode 600).
set -euo pipefail

services=(gateway identity records audit notify)
random() { head -c 24 /dev/urandom | base64 | tr -d '/+=' ; }

# Raw 32-byte Ed25519 keys, base64: the seed is the last 32 bytes of the
# PKCS#8 DER encoding, the public key the last 32 bytes of the SPKI encoding.
public_keys=()
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for service in "${services[@]}"; do
  openssl genpkey -algorithm ed25519 -outform DER -out "$tmp/$service.der" 2>/dev/null
  private=$(tail -c 32 "$tmp/$service.der" | base64 -w0)
  public=$(openssl pkey -inform DER -in "$tmp/$service.der" -pubout -outform DER 2>/dev/null | tail -c 32 | base64 -w0)
  echo "MUSTER_${service^^}_SERVICE_KEY='$private'"
  public_keys+=("$service:$public")
done
echo "MUSTER_SERVICE_PUBLIC_KEYS='$(IFS=,; echo "${public_keys[*]}")'"
for service in identity records audit notify; do
  echo "MUSTER_${service^^}_DB_PASSWORD='$(random)'"
done
echo "MUSTER_MASTER_KEY='$(head -c 32 /dev/urandom | base64 -w0)'"
