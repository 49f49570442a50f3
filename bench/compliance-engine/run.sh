#!/usr/bin/env bash
# The compliance engine alone, one core: 2,000 people x 100 records x 12 requirements,
# judged on one as_of after another. Goal: >= 1,000,000 requirement evaluations per second.
# Usage: bench/compliance-engine/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-3}

swift build -c release --product bench-compliance >/dev/null
taskset -c 0 .build/release/bench-compliance "$seconds"
