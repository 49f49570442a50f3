#!/usr/bin/env bash
# The deployment artefacts' tests (Tests/deploy, Python unittest, seconds): the
# kustomize overlays render and validate against the Kubernetes schemas, workloads
# are probed and locked down, network policies match the call graph, the
# CloudNativePG manifests and the Containerfile (hadolint). `make test` runs them too.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v kubectl >/dev/null || { echo "test-deploy: kubectl (1.27+, for kubectl kustomize) is not installed" >&2; exit 1; }
python3 -m unittest discover -s Tests/deploy -p 'test_*.py' "$@"
