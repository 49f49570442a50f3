#!/usr/bin/env bash
# Installs Muster on a plain systemd host from a release build of this checkout.
#
#   swift build -c release && sudo deploy/systemd/install.sh
#
# Creates the `muster` user, copies binaries and their resource bundles to
# /opt/muster/bin, the units to /etc/systemd/system, and example settings to
# /etc/muster (never overwriting existing ones). Prepare the database cluster first
# with deploy/postgres/prepare-cluster.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
release=.build/release
install -d -m 755 /opt/muster/bin /etc/muster
id muster >/dev/null 2>&1 || useradd --system --home /var/lib/muster --shell /usr/sbin/nologin muster
for service in identity records audit notify gateway; do
  install -m 755 "$release/$service" /opt/muster/bin/
done
cp -R "$release"/*.resources /opt/muster/bin/ 2>/dev/null || true
install -m 644 deploy/systemd/muster@.service deploy/systemd/muster.target /etc/systemd/system/
[ -f /etc/muster/common.env ] || install -m 640 -g muster deploy/systemd/common.env.example /etc/muster/common.env
systemctl daemon-reload
echo "Edit /etc/muster/*.env, then: systemctl enable --now muster.target"
