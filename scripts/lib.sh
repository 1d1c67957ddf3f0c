# shellcheck shell=bash
# Shared set-up for scripts/demo.sh and scripts/test.sh. Source it; do not run it.
#
# After `voip_setup` the environment has:
#   VOIP_REPO          the checkout (this repository)
#   VOIP_VENV          a virtualenv OUTSIDE the checkout with requirements-dev.txt + requirements.txt
#   VOIP_COLLECTIONS   a collections dir; VOIP_ROOT is a fresh copy of the checkout at
#                      $VOIP_COLLECTIONS/ansible_collections/voip/provisioning (ansible-test needs that path)
#   ANSIBLE_COLLECTIONS_PATH, PYTHONPATH (emulator), PATH (venv first), ANSIBLE_PYTHON_INTERPRETER
#
# Knobs (environment): VOIP_PYTHON (default python3.11, else python3), VOIP_VENV, VOIP_COLLECTIONS,
# VOIP_FORCE_INSTALL=1 (reinstall even when the stamp matches), VOIP_LOCK (lock file serialising runs).

VOIP_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export VOIP_REPO

voip_log() { printf '%s\n' "==> $*" >&2; }

voip_die() {
  printf '%s\n' "ERROR: $*" >&2
  exit 1
}

# Pick the interpreter: Python 3.11 (ansible-core 2.19 supports 3.11-3.13; this project pins 3.11).
voip_find_python() {
  local candidate
  for candidate in ${VOIP_PYTHON:-} python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info[:2] >= (3, 11) else 1)' >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  voip_die "no usable Python >= 3.11 with venv/ensurepip found (tried ${VOIP_PYTHON:-} python3.11 python3); on Debian: apt-get install python3 python3-venv"
}

# Create (or reuse) the virtualenv and install the requirements.
# A stamp file holding a hash of the requirement files and the interpreter version makes reruns instant.
voip_setup_venv() {
  local python stamp want have log
  VOIP_VENV="${VOIP_VENV:-$HOME/.cache/voip-provisioning/venv}"
  export VOIP_VENV
  case "$VOIP_VENV" in
    "$VOIP_REPO"|"$VOIP_REPO"/*) voip_die "VOIP_VENV ($VOIP_VENV) must be outside the checkout: ansible-test sanity would scan it" ;;
  esac

  python="$(voip_find_python)" || exit 1
  stamp="$VOIP_VENV/.voip-requirements.sha256"
  want="$(cat "$VOIP_REPO/requirements-dev.txt" "$VOIP_REPO/requirements.txt" \
          <("$python" -c 'import sys; print(sys.version)') | sha256sum | cut -d' ' -f1)"
  have="$(cat "$stamp" 2>/dev/null || true)"

  if [ "$want" = "$have" ] && [ -x "$VOIP_VENV/bin/python" ] && [ "${VOIP_FORCE_INSTALL:-0}" != 1 ]; then
    voip_log "venv up to date: $VOIP_VENV"
  else
    log="$VOIP_VENV.install.log"
    mkdir -p "$(dirname "$VOIP_VENV")"
    : >"$log"
    # Recreate only when forced or when the venv's Python differs; otherwise pip installs the delta.
    if [ "${VOIP_FORCE_INSTALL:-0}" = 1 ] || ! "$VOIP_VENV/bin/python" -c 'import sys; sys.exit(0)' >/dev/null 2>&1 \
       || [ "$("$VOIP_VENV/bin/python" -c 'import sys; print(sys.version)')" != "$("$python" -c 'import sys; print(sys.version)')" ]; then
      voip_log "building venv $VOIP_VENV with $python (log: $log)"
      rm -rf "$VOIP_VENV"
      if ! { "$python" -m venv "$VOIP_VENV" \
             && "$VOIP_VENV/bin/python" -m pip install --disable-pip-version-check --upgrade pip; } >>"$log" 2>&1; then
        tail -n 40 "$log" >&2
        voip_die "creating the virtualenv $VOIP_VENV failed (full log: $log)"
      fi
    else
      voip_log "updating venv $VOIP_VENV: requirements changed (log: $log)"
    fi
    if ! "$VOIP_VENV/bin/python" -m pip install --disable-pip-version-check \
         -r "$VOIP_REPO/requirements-dev.txt" -r "$VOIP_REPO/requirements.txt" >>"$log" 2>&1; then
      grep -v "is ignored: it is neither a file nor a directory" "$log" | tail -n 40 >&2
      voip_die "installing the Python requirements failed (full log: $log)"
    fi
    printf '%s\n' "$want" >"$stamp"
  fi

  export PATH="$VOIP_VENV/bin:$PATH"
  export VIRTUAL_ENV="$VOIP_VENV"
  hash -r
}

# ansible-test bootstraps pip in each venv it manages with a get-pip script it downloads from a host
# these machines cannot reach, unless ~/.ansible/test/cache/get_pip_<version>.py exists. Put the
# offline stand-in there under every pip version the installed ansible-test may ask for.
voip_install_get_pip_stub() {
  local cache versions version
  cache="$HOME/.ansible/test/cache"
  mkdir -p "$cache"
  versions="$("$VOIP_VENV/bin/python" - <<'PY'
import os, re, ansible_test
path = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
with open(path) as handle:
    text = handle.read()
found = set(re.findall(r"""pip\s*=\s*['"]([0-9][0-9.]*)['"]""", text))
found |= set(re.findall(r"""['"]pip['"]\s*:\s*['"]([0-9][0-9.]*)['"]""", text))
print(' '.join(sorted(found)))
PY
)" || voip_die "could not read the pip version pinned by ansible-test"
  [ -n "$versions" ] || voip_die "found no pip version pinned by ansible-test (has python_requirements.py changed?)"
  for version in $versions; do
    cp "$VOIP_REPO/tests/ansible-test-offline/get_pip_stub.py" "$cache/get_pip_${version//./_}.py" \
      || voip_die "could not write $cache/get_pip_${version//./_}.py"
  done
  voip_log "get-pip stand-in installed for pip $versions in $cache"
}

# Make $VOIP_COLLECTIONS/ansible_collections/voip/provisioning a fresh copy of the checkout.
# Git-tracked and untracked-but-not-ignored files are copied (what `git status` would show), so
# .git, tests/output, .ansible, caches and venvs never reach it. Outside git, a walk with the same
# exclusions is used. A copy, not a symlink: ansible-test resolves the real path of the current
# directory and must find it under ansible_collections/<namespace>/<name>.
voip_sync_collection() {
  VOIP_COLLECTIONS="${VOIP_COLLECTIONS:-$HOME/.cache/voip-provisioning/collections}"
  VOIP_ROOT="$VOIP_COLLECTIONS/ansible_collections/voip/provisioning"
  export VOIP_COLLECTIONS VOIP_ROOT
  case "$VOIP_COLLECTIONS" in
    "$VOIP_REPO"|"$VOIP_REPO"/*) voip_die "VOIP_COLLECTIONS must be outside the checkout" ;;
  esac
  "$VOIP_VENV/bin/python" - "$VOIP_REPO" "$VOIP_ROOT" <<'PY' || voip_die "copying the checkout to $VOIP_ROOT failed"
import os, shutil, subprocess, sys

src, dst = sys.argv[1], sys.argv[2]
SKIP_DIRS = {'.git', '.ansible', '.cache', '.venv', 'venv', '__pycache__', '.pytest_cache', '.tox', '.mypy_cache'}
SKIP_SUFFIXES = ('.pyc', '.pyo', '.tar.gz')


def skipped(rel):
    parts = rel.split('/')
    if any(part in SKIP_DIRS for part in parts[:-1]):
        return True
    if rel.startswith('tests/output/'):
        return True
    return rel.endswith(SKIP_SUFFIXES)


def git_files():
    try:
        out = subprocess.run(['git', '-C', src, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                             check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [name for name in out.decode('utf-8', 'surrogateescape').split('\0') if name]


def walk_files():
    files = []
    for root, dirs, names in os.walk(src):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in names:
            files.append(os.path.relpath(os.path.join(root, name), src).replace(os.sep, '/'))
    return files


files = git_files()
if files is None:
    files = walk_files()

if os.path.lexists(dst):
    if os.path.islink(dst) or not os.path.isdir(dst):
        os.unlink(dst)
    else:
        shutil.rmtree(dst)
os.makedirs(dst)

count = 0
for rel in sorted(set(files)):
    if skipped(rel):
        continue
    source = os.path.join(src, rel)
    if not os.path.lexists(source):  # deleted but not yet staged
        continue
    target = os.path.join(dst, rel)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.islink(source):
        os.symlink(os.readlink(source), target)
    elif os.path.isfile(source):
        shutil.copy2(source, target)
    else:
        continue
    count += 1
print('==> copied %d files to %s' % (count, dst), file=sys.stderr)
PY
}

voip_export_env() {
  export ANSIBLE_COLLECTIONS_PATH="$VOIP_COLLECTIONS"
  # The emulator is importable as `voip_emulator` (from the copy, so tests and playbooks agree).
  export PYTHONPATH="$VOIP_ROOT/emulator${PYTHONPATH:+:$PYTHONPATH}"
  # The transcripts recorded from a real C5 are test data of this repository; the
  # tests run from the copy, which carries them too.
  export VOIP_C5_FIXTURES="$VOIP_ROOT/tests/fixtures/c5-real"
  # A broken python3.13 shim may be on PATH: never let Ansible discover an interpreter.
  # Inventories set ansible_python_interpreter="{{ ansible_playbook_python }}" too; this is the default.
  export ANSIBLE_PYTHON_INTERPRETER="$VOIP_VENV/bin/python"
  export ANSIBLE_NOCOLOR="${ANSIBLE_NOCOLOR:-1}"
  export ANSIBLE_FORCE_COLOR=0
  export PY_COLORS=0
}

# Two runs sharing the venv and the collection copy would wipe each other's files: hold a lock for
# the whole run (released when the script exits). Processes the run leaves behind must not keep it:
# the emulator's --daemon child does not (Python closes inherited descriptors).
voip_lock() {
  # One lock per collection copy: runs with their own VOIP_COLLECTIONS do not wait for each other.
  local lock="${VOIP_LOCK:-${VOIP_COLLECTIONS:-$HOME/.cache/voip-provisioning/collections}.lock}"
  command -v flock >/dev/null 2>&1 || return 0
  mkdir -p "$(dirname "$lock")"
  exec 9>"$lock"
  if ! flock -n 9; then
    voip_log "another demo.sh/test.sh run holds $lock; waiting (up to 60 min)"
    flock -w 3600 9 || voip_die "timed out waiting for $lock"
  fi
}

# System tools the suite needs beyond Python: shellcheck (ansible-test sanity checks the shell
# scripts with it, and silently skips that test without it) and a Java runtime (ansible-rulebook,
# for the Event-Driven Ansible sources). Installed from Debian's packages when missing and we are
# root; otherwise say what to install. VOIP_SKIP_SYSTEM_PACKAGES=1 skips this step.
voip_system_packages() {
  local missing=() log
  [ "${VOIP_SKIP_SYSTEM_PACKAGES:-0}" = 1 ] && return 0
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    voip_log "WARNING: missing system packages: ${missing[*]} (Debian: sudo apt-get install ${missing[*]})"
    return 0
  fi
  log="${TMPDIR:-/tmp}/voip-apt.log"
  voip_log "installing system packages: ${missing[*]} (log: $log)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    voip_die "installing ${missing[*]} with apt-get failed (full log: $log)"
  fi
}

# Everything: lock, system packages, venv, get-pip stand-in, collection copy, environment.
voip_setup() {
  voip_lock
  voip_system_packages
  voip_setup_venv
  voip_install_get_pip_stub
  voip_sync_collection
  voip_export_env
}
