#!/usr/bin/env bash
# Demo: install what is needed, start the bundled emulator of each platform and run its demo
# playbook stage by stage, each stage twice: the first run changes the platform (a compact summary
# of the writes it sent is printed), the second run must report changed=0.
#
#   scripts/demo.sh                         # every platform whose demo playbook exists
#   scripts/demo.sh c5 xc5                  # some platforms
#   scripts/demo.sh --keep-running c5       # leave the emulators running afterwards and print how
#                                           # to reach them (URL, login, CA) and how to stop them
#   scripts/demo.sh -- -v                   # extra ansible-playbook arguments after --
#
# Platforms: c5 (playbooks/c5_seed_lifecycle.yml), xc5 (playbooks/xc5_acmebrick.yml),
# vtx (playbooks/vtx_demo.yml), sip2sip (playbooks/sip2sip_demo.yml).
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_PLATFORMS=(c5 xc5 vtx sip2sip)
KEEP_RUNNING=0
PLATFORMS=()
EXTRA_ARGS=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --keep-running) KEEP_RUNNING=1 ;;
    --) shift; EXTRA_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *)
      case " ${ALL_PLATFORMS[*]} " in
        *" $1 "*) PLATFORMS+=("$1") ;;
        *) voip_die "unknown platform or option '$1' (platforms: ${ALL_PLATFORMS[*]}; options: --keep-running, -- ARGS)" ;;
      esac
      ;;
  esac
  shift
done

voip_setup

STATE_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/voip-demo.XXXXXX")"
STARTED=()   # platforms whose emulator runs

stop_emulators() {
  local platform
  if [ "$KEEP_RUNNING" = 1 ]; then
    return 0
  fi
  for platform in "${STARTED[@]}"; do
    python -m voip_emulator stop --pid-file "$STATE_ROOT/$platform/emulator.pid" >/dev/null 2>&1 || true
  done
  [ "${#STARTED[@]}" -eq 0 ] || voip_log "emulators stopped: ${STARTED[*]}"
  rm -rf "$STATE_ROOT"
}
trap stop_emulators EXIT

# start_emulator PLATFORM [serve options]: start it as a daemon; sets EMULATOR_URL and EMULATOR_DIR.
start_emulator() {
  local platform="$1"
  shift
  EMULATOR_DIR="$STATE_ROOT/$platform"
  mkdir -p "$EMULATOR_DIR"
  voip_log "starting the $platform emulator"
  python -m voip_emulator serve --platform "$platform" --state-dir "$EMULATOR_DIR" \
    --port-file "$EMULATOR_DIR/emulator.url" --pid-file "$EMULATOR_DIR/emulator.pid" --daemon "$@" \
    || voip_die "the $platform emulator did not start (its log is shown above)"
  STARTED+=("$platform")
  EMULATOR_URL="$(cat "$EMULATOR_DIR/emulator.url")"
}

# write_summary URL: the write requests the emulator received since the last call, grouped by
# method and path pattern (ids replaced), then the request log is cleared.
write_summary() {
  python - "$1" "${2:-}" <<'PY'
import json, re, ssl, sys, urllib.request
url, ca = sys.argv[1].rstrip("/"), sys.argv[2]
context = ssl.create_default_context(cafile=ca) if ca else None
def call(method):
    request = urllib.request.Request(url + "/__emulator__/requests", method=method)
    with urllib.request.urlopen(request, context=context, timeout=30) as answer:
        return answer.read()
entries = json.loads(call("GET") or b"[]")
if isinstance(entries, dict):
    entries = entries.get("requests", [])
call("DELETE")
counts = {}
reads = 0
for entry in entries:
    method = entry.get("method", "?")
    path = entry.get("path", "").split("?")[0]
    if method in ("GET", "HEAD", "OPTIONS"):
        reads += 1
        continue
    pattern = re.sub(r"/(\d+|[0-9A-Fa-f]{8}-[0-9A-Fa-f-]{27})(?=/|$)", "/{id}", path)
    counts[(method, pattern)] = counts.get((method, pattern), 0) + 1
writes = sum(counts.values())
print("    requests: %d reads, %d writes" % (reads, writes))
for (method, pattern), n in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    print("      %-6s %-50s x%d" % (method, pattern, n))
PY
}

# run_stages PLATFORM PLAYBOOK STAGE_VAR CA STAGE...: each stage twice; the second must change nothing.
run_stages() {
  local platform="$1" playbook="$2" stage_var="$3" ca="$4" stage n log rc changed first
  shift 4
  for stage in "$@"; do
    for n in 1 2; do
      log="$STATE_ROOT/$platform/$stage-$n.log"
      echo
      voip_log "$platform, stage $stage, run $n: ansible-playbook -i playbooks/inventory.ini $playbook -e $stage_var=$stage ${EXTRA_ARGS[*]:-}"
      rc=0
      ansible-playbook -i playbooks/inventory.ini "$playbook" -e "$stage_var=$stage" "${EXTRA_ARGS[@]}" 2>&1 | tee "$log" \
        || rc=${PIPESTATUS[0]}
      [ "$rc" -eq 0 ] || voip_die "$platform stage $stage run $n failed (exit $rc)"
      grep -q 'PLAY RECAP' "$log" || voip_die "$platform stage $stage run $n printed no PLAY RECAP"
      changed="$(sed -n '/PLAY RECAP/,$p' "$log" | grep -oE 'changed=[0-9]+' | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }')"
      echo
      echo "== $platform stage $stage, run $n: changed=$changed"
      write_summary "$EMULATOR_URL" "$ca"
      if [ "$n" = 1 ]; then
        first="$changed"
        [ "$first" -gt 0 ] || voip_die "$platform stage $stage changed nothing on its first run"
      elif [ "$changed" -ne 0 ]; then
        voip_die "$platform stage $stage: the second run reported changed=$changed: not idempotent"
      fi
    done
    SUMMARY+=("$platform $stage: first run changed=$first, second run changed=0")
  done
}

demo_c5() {
  start_emulator c5 --tls
  export C5_URL="$EMULATOR_URL" C5_USERNAME=administrator C5_PASSWORD=administrator
  export C5_CA_PATH="$EMULATOR_DIR/tls/ca.pem"
  KEEP_INFO+=("c5:      $C5_URL  login administrator/administrator  CA $C5_CA_PATH")
  run_stages c5 playbooks/c5_seed_lifecycle.yml seed_stage "$C5_CA_PATH" build update teardown
}

demo_xc5() {
  start_emulator xc5
  export XC5_URL="$EMULATOR_URL" XC5_USERNAME=dave@dcom XC5_PASSWORD=dcom-secret
  KEEP_INFO+=("xc5:     $XC5_URL  login dave@dcom/dcom-secret")
  run_stages xc5 playbooks/xc5_acmebrick.yml xc5_stage "" "${XC5_STAGES[@]}"
}

demo_vtx() {
  start_emulator vtx
  export VTX_URL="$EMULATOR_URL"
  KEEP_INFO+=("vtx:     $VTX_URL")
  run_stages vtx playbooks/vtx_demo.yml vtx_stage "" "${VTX_STAGES[@]}"
}

demo_sip2sip() {
  start_emulator sip2sip
  export SIP2SIP_URL="$EMULATOR_URL"
  KEEP_INFO+=("sip2sip: $SIP2SIP_URL")
  run_stages sip2sip playbooks/sip2sip_demo.yml sip2sip_stage "" "${SIP2SIP_STAGES[@]}"
}

# Stages of the platforms' demo playbooks (each playbook documents its own).
XC5_STAGES=(one two three four absent)
VTX_STAGES=(features subscription expiry)
SIP2SIP_STAGES=(forwarding dnd aliases)

declare -A DEMO_PLAYBOOK=([c5]=playbooks/c5_seed_lifecycle.yml [xc5]=playbooks/xc5_acmebrick.yml
                          [vtx]=playbooks/vtx_demo.yml [sip2sip]=playbooks/sip2sip_demo.yml)
if [ "${#PLATFORMS[@]}" -eq 0 ]; then
  for platform in "${ALL_PLATFORMS[@]}"; do
    if [ -f "$VOIP_ROOT/${DEMO_PLAYBOOK[$platform]}" ]; then PLATFORMS+=("$platform"); fi
  done
fi

cd "$VOIP_ROOT"
SUMMARY=()
KEEP_INFO=()
for platform in "${PLATFORMS[@]}"; do
  [ -f "${DEMO_PLAYBOOK[$platform]}" ] || voip_die "$platform has no demo playbook yet (${DEMO_PLAYBOOK[$platform]})"
  "demo_$platform"
done

echo
echo "==== demo summary ===="
for line in "${SUMMARY[@]}"; do echo "  $line"; done
echo "demo passed: every stage changed the platform once and nothing on its second run"
if [ "$KEEP_RUNNING" = 1 ]; then
  echo
  echo "The emulators keep running (state in $STATE_ROOT):"
  for line in "${KEEP_INFO[@]}"; do echo "  $line"; done
  echo "Look around, e.g.: curl --cacert $STATE_ROOT/c5/tls/ca.pem -u administrator:administrator '${C5_URL:-https://...}/api/subscribers/'"
  echo "  or, with the C5_* variables above exported and ANSIBLE_COLLECTIONS_PATH=$VOIP_COLLECTIONS:"
  echo "     $VOIP_VENV/bin/ansible localhost -i $VOIP_ROOT/playbooks/inventory.ini -m voip.provisioning.c5_info -a resource=subscribers"
  echo "Stop them with:"
  echo "  for p in $STATE_ROOT/*/emulator.pid; do PYTHONPATH=$VOIP_ROOT/emulator $VOIP_VENV/bin/python -m voip_emulator stop --pid-file \"\$p\"; done"
fi
