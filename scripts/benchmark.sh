#!/usr/bin/env bash
# Benchmark: the c5_tenant role against the plain ansible.builtin.uri baseline, on the
# bundled C5 emulator's "fast" and "c5-real" profiles (see docs/performance.md).
#
#   scripts/benchmark.sh                              # the documented run (about 30 minutes)
#   scripts/benchmark.sh --profile fast --sizes 20 --baseline-sizes 20   # a quick check
#   scripts/benchmark.sh --profile c5-real --shape real50 --real-sizes 50 --auth basic,jwt \
#       --runs first,rerun --baseline-sizes 0 --results-dir /tmp/rb   # the real-platform tenant
#                                                     # of issue 10 (docs/performance.md), ~4 minutes
#   scripts/benchmark.sh --help                       # every option of benchmarks/run.py
#
# Installs what is needed (like scripts/demo.sh), then runs benchmarks/run.py with the
# venv's Python against the fresh collection copy. Results: docs/performance-results.json
# (and, with --write-doc, the table in docs/performance.md). Do not run two benchmarks at once.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

voip_setup

cd "$VOIP_ROOT"
voip_log "running benchmarks/run.py $*"
exec "$VOIP_VENV/bin/python" "$VOIP_ROOT/benchmarks/run.py" --results-dir "$VOIP_REPO/docs" "$@"
