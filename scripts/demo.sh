#!/usr/bin/env bash
# Demo: install what is needed, start the bundled Sipwise C5 emulator (HTTPS, test CA),
# run playbooks/c5_seed_lifecycle.yml stage by stage (build, update, teardown), each twice:
# the second run of each stage must report changed=0,
# then stop the emulator.
#
#   scripts/demo.sh [extra ansible-playbook args, e.g. -v or -e seed_stage=update]
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

voip_setup

STATE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/voip-demo.XXXXXX")"
PID_FILE="$STATE_DIR/emulator.pid"
URL_FILE="$STATE_DIR/emulator.url"

stop_emulator() {
  if [ -f "$PID_FILE" ]; then
    python -m voip_emulator stop --pid-file "$PID_FILE" >/dev/null 2>&1 || true
    voip_log "emulator stopped"
  fi
  rm -rf "$STATE_DIR"
}
trap stop_emulator EXIT

voip_log "starting the C5 emulator"
python -m voip_emulator serve --platform c5 --tls --state-dir "$STATE_DIR" \
  --port-file "$URL_FILE" --pid-file "$PID_FILE" --daemon \
  || voip_die "the emulator did not start (its log is shown above)"

export C5_URL; C5_URL="$(cat "$URL_FILE")"
export C5_USERNAME=administrator
export C5_PASSWORD=administrator
export C5_CA_PATH="$STATE_DIR/tls/ca.pem"
voip_log "C5_URL=$C5_URL C5_CA_PATH=$C5_CA_PATH"

cd "$VOIP_ROOT"

# run_playbook N [args]: run the life cycle (output shown) and set CHANGED to the recap's changed= sum.
CHANGED=0
run_playbook() {
  local n="$1" log="$STATE_DIR/run$1.log" rc=0
  shift
  echo
  voip_log "run $n: ansible-playbook -i playbooks/inventory.ini playbooks/c5_seed_lifecycle.yml $*"
  ansible-playbook -i playbooks/inventory.ini playbooks/c5_seed_lifecycle.yml "$@" 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || voip_die "run $n of the playbook failed (exit $rc)"
  grep -q 'PLAY RECAP' "$log" || voip_die "run $n printed no PLAY RECAP"
  CHANGED="$(sed -n '/PLAY RECAP/,$p' "$log" | grep -oE 'changed=[0-9]+' | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }')"
}

# The seed's life cycle in three stages, each run twice: the first run of a stage
# changes the platform, the second must change nothing.
for stage in build update teardown; do
  run_playbook "$stage-1" -e "seed_stage=$stage" "$@"
  first="$CHANGED"
  [ "$first" -gt 0 ] || voip_die "stage $stage changed nothing on its first run"
  run_playbook "$stage-2" -e "seed_stage=$stage" "$@"
  second="$CHANGED"
  echo
  echo "stage $stage: first run changed=$first; second run changed=$second"
  [ "$second" -eq 0 ] || voip_die "stage $stage: the second run reported changed=$second: not idempotent"
done
echo "demo passed: every stage changed the platform once and nothing on its second run"
