#!/usr/bin/env bash
# Install everything this collection's tests need and run the full suite.
#
#   scripts/test.sh                      # all stages
#   scripts/test.sh sanity units         # a subset: sanity units pytest lint molecule
#
# Stages (set-up always runs first; the first failing stage stops the run):
#   setup     virtualenv outside the checkout + a fresh copy of the checkout at
#             $VOIP_COLLECTIONS/ansible_collections/voip/provisioning (all stages run from that copy)
#   sanity    ansible-test sanity --requirements --python 3.11 --venv   (no ignore files)
#   units     ansible-test units --requirements --python 3.11 --local   (tests/unit)
#   pytest    pytest tests/emulator tests/integration tests/eda         (emulators, playbooks and rulebooks against them)
#   lint      ansible-lint --offline (production profile, .ansible-lint)
#   molecule  molecule test --all in every role that has a molecule/ directory
#
# Environment knobs: VOIP_VENV, VOIP_COLLECTIONS, VOIP_PYTHON, VOIP_FORCE_INSTALL=1 (see scripts/lib.sh),
# VOIP_PYTEST_WORKERS (default 2; 0 = serial), VOIP_SANITY_ARGS (extra ansible-test sanity args).
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_STAGES=(sanity units pytest lint molecule)
if [ "$#" -eq 0 ]; then
  STAGES=("${ALL_STAGES[@]}")
else
  for arg in "$@"; do
    case " ${ALL_STAGES[*]} " in
      *" $arg "*) ;;
      *) voip_die "unknown stage '$arg' (choose from: ${ALL_STAGES[*]})" ;;
    esac
  done
  # Always in the canonical order: sanity must scan the copy before lint/molecule/pytest add files to it.
  STAGES=()
  for stage in "${ALL_STAGES[@]}"; do
    case " $* " in *" $stage "*) STAGES+=("$stage") ;; esac
  done
fi

RESULTS=()          # "stage: status (N s)"
TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0
CURRENT_STAGE=""
STAGE_START=0
LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/voip-test.XXXXXX")"

# Any failure (set -e) ends the run here: name the failing stage, then print the summary.
on_exit() {
  local rc=$?
  rm -rf "$LOG_DIR"
  if [ "$rc" -ne 0 ] && [ -n "$CURRENT_STAGE" ]; then
    local took=$(( $(date +%s) - STAGE_START ))
    echo "stage $CURRENT_STAGE: $took s"
    RESULTS+=("$CURRENT_STAGE: FAILED (exit $rc, $took s)")
    summary
    echo "FAILED: stage '$CURRENT_STAGE' exited with $rc — see its output above" >&2
  fi
  exit "$rc"
}
trap on_exit EXIT

# Add the counts from every pytest summary line in file $1 ("1 failed, 28 passed in 31.9s", or
# "=== 3 passed, 1 skipped in 2.1s ==="); ansible-test units runs pytest once per test context.
count_pytest() {
  local line n
  while IFS= read -r line; do
    n="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || true)"; TOTAL_PASSED=$((TOTAL_PASSED + ${n:-0}))
    n="$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || true)"; TOTAL_FAILED=$((TOTAL_FAILED + ${n:-0}))
    n="$(grep -oE '[0-9]+ errors?' <<<"$line" | grep -oE '[0-9]+' || true)"; TOTAL_FAILED=$((TOTAL_FAILED + ${n:-0}))
    n="$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || true)"; TOTAL_SKIPPED=$((TOTAL_SKIPPED + ${n:-0}))
  done < <(grep -E '^(=+ )?([0-9]+ (passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?)(, )?)+ in [0-9.]+s' "$1" || true)
}

# True when directory $1 holds at least one pytest test file.
has_test_files() {
  [ -d "$1" ] && [ -n "$(find "$1" -type f \( -name 'test_*.py' -o -name '*_test.py' \) -print -quit)" ]
}

summary() {
  echo
  echo "==== summary ===="
  local r
  for r in "${RESULTS[@]}"; do echo "  $r"; done
  echo "tests: $TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
}

# run_stage NAME FUNCTION: time it and record it; a failure inside stops the run (see on_exit).
run_stage() {
  local name="$1" fn="$2" took
  echo
  echo "==== stage $name ===="
  CURRENT_STAGE="$name"
  STAGE_START=$(date +%s)
  STAGE_STATUS=passed
  "$fn"
  took=$(( $(date +%s) - STAGE_START ))
  echo "stage $name: $took s"
  RESULTS+=("$name: $STAGE_STATUS ($took s)")
  CURRENT_STAGE=""
}

skip() {
  echo "skipped: $*"
  STAGE_STATUS="skipped: $*"
}

stage_setup() {
  voip_setup
  echo "venv:        $VOIP_VENV ($("$VOIP_VENV/bin/python" --version 2>&1))"
  echo "collection:  $VOIP_ROOT"
  echo "ansible:     ansible-core $(python -c 'from ansible.release import __version__ as v; print(v)')"
}

stage_sanity() {
  cd "$VOIP_ROOT"
  if [ -d tests/sanity ] && [ -n "$(find tests/sanity -name 'ignore-*.txt' -print -quit)" ]; then
    echo "tests/sanity/ignore-*.txt found: this project allows no sanity ignore files" >&2
    return 1
  fi
  # shellcheck disable=SC2086
  env -u PYTHONPATH ansible-test sanity --requirements --python 3.11 --venv --color no ${VOIP_SANITY_ARGS:-}
}

stage_units() {
  cd "$VOIP_ROOT"
  if ! has_test_files tests/unit; then
    skip "no tests yet"
    return 0
  fi
  local rc=0
  env -u PYTHONPATH ansible-test units --requirements --python 3.11 --local --color no 2>&1 \
    | tee "$LOG_DIR/units.log" || rc=${PIPESTATUS[0]}
  count_pytest "$LOG_DIR/units.log"
  return "$rc"
}

stage_pytest() {
  cd "$VOIP_ROOT"
  local dirs=() d with_tests=0 rc=0 workers
  for d in tests/emulator tests/integration tests/eda; do
    if [ -d "$d" ]; then
      dirs+=("$d")
      if has_test_files "$d"; then with_tests=1; fi
    fi
  done
  if [ "${#dirs[@]}" -eq 0 ]; then
    skip "no tests yet"
    return 0
  fi
  workers="${VOIP_PYTEST_WORKERS:-2}"
  local xdist=()
  if [ "$workers" != 0 ]; then xdist=(-n "$workers"); fi
  python -m pytest -q -rs -p no:cacheprovider "${xdist[@]}" "${dirs[@]}" 2>&1 | tee "$LOG_DIR/pytest.log" || rc=${PIPESTATUS[0]}
  count_pytest "$LOG_DIR/pytest.log"
  if [ "$rc" -eq 5 ] && [ "$with_tests" -eq 0 ]; then
    STAGE_STATUS="skipped: no tests yet"
    return 0
  fi
  return "$rc"
}

stage_lint() {
  cd "$VOIP_ROOT"
  ansible-lint --offline
}

stage_molecule() {
  local role ran=0
  for role in "$VOIP_ROOT"/roles/*/; do
    [ -d "$role/molecule" ] || continue
    echo "--- molecule: $(basename "$role")"
    (cd "$role" && molecule test --all)
    ran=$((ran + 1))
  done
  if [ "$ran" -eq 0 ]; then
    skip "no role has a molecule scenario yet"
  fi
}

run_stage setup stage_setup
for stage in "${STAGES[@]}"; do
  run_stage "$stage" "stage_$stage"
done
summary
