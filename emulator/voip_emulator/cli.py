# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line of the emulator.

    python -m voip_emulator [serve] --platform c5 [--host 127.0.0.1] [--port 0]
        [--state-dir DIR] [--tls] [--client-certs] [--profile NAME | --profile-file F]
        [--time-scale X] [--seed N] [--port-file F] [--pid-file F] [--daemon] [--verbose]
    python -m voip_emulator stop --pid-file F      (or: --stop --pid-file F)

Once listening it prints one line, ``voip-emulator c5 listening on
http://127.0.0.1:PORT``, and writes that URL to ``--port-file``.  State (the
SQLite file ``<platform>.sqlite`` and the TLS material under ``tls/``) lives in
``--state-dir``; without one a fresh temporary directory is used and removed on
exit.  ``--daemon`` returns once the server listens, leaving it running in its
own session (output in ``<state-dir>/emulator.log``).  SIGTERM/SIGINT stop the
server cleanly.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from voip_emulator import PLATFORMS, load_platform
from voip_emulator.core.clock import Clock
from voip_emulator.core import tls
from voip_emulator.core.profiles import PROFILES, ProfileError, load_profile_file, resolve_profile
from voip_emulator.core.server import Emulator, EmulatorServer
from voip_emulator.core.store import Store

#: Seconds ``--daemon`` waits for the server to listen, and ``stop`` for it to exit.
WAIT_SECONDS = 30.0


def build_parser():
    parser = argparse.ArgumentParser(prog="voip-emulator", description="Loopback emulator of VoIP provisioning APIs.")
    parser.add_argument("command", nargs="?", choices=("serve", "stop"), default="serve", help="serve (default) or stop a daemon")
    parser.add_argument("--platform", choices=sorted(PLATFORMS), default="c5")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--state-dir", help="where the SQLite store and TLS material live (default: fresh temp dir)")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a test CA kept in <state-dir>/tls/")
    parser.add_argument("--client-certs", action="store_true", help="accept TLS client certificates issued by the test CA (implies --tls)")
    profile = parser.add_mutually_exclusive_group()
    profile.add_argument("--profile", choices=sorted(PROFILES), help="latency/capacity profile (default: none)")
    profile.add_argument("--profile-file", help="JSON profile; may name a built-in \"base\" profile it extends")
    parser.add_argument("--time-scale", type=float, default=1.0, help="multiply every simulated delay (0.1 = ten times faster)")
    parser.add_argument("--seed", type=int, help="seed of the random choices (parallel conflict 500s)")
    parser.add_argument("--port-file", help="write the URL here once listening")
    parser.add_argument("--pid-file", help="write the server's pid here (required by stop)")
    parser.add_argument("--daemon", action="store_true", help="detach once listening")
    parser.add_argument("--stop", action="store_true", help="same as the stop command")
    parser.add_argument("--verbose", action="store_true", help="log every request and connection error to stderr")
    # Internal: a daemon child removes the temporary state dir its parent created.
    parser.add_argument("--remove-state-dir", action="store_true", help=argparse.SUPPRESS)
    return parser


def _write_atomically(path, text):
    temp_path = "%s.tmp.%d" % (path, os.getpid())
    with open(temp_path, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temp_path, path)


def _remove_if_mine(path, content):
    """Remove ``path`` if it still holds ``content`` (not a newer server's)."""
    try:
        with open(path, encoding="utf-8") as stream:
            if stream.read().strip() != content:
                return
        os.unlink(path)
    except OSError:
        pass


def _load_profile(args):
    if args.profile_file:
        profile = load_profile_file(args.profile_file)
        return profile, {profile.name: profile}
    return resolve_profile(args.profile or "none"), {}


def serve(args):
    # Everything that can fail on bad arguments first, before any state dir exists.
    try:
        profile, extra_profiles = _load_profile(args)
        app_class = load_platform(args.platform)
    except (ProfileError, OSError, ValueError, ImportError) as exc:
        print("voip-emulator: %s" % exc, file=sys.stderr)
        return 2
    remove_state_dir = args.remove_state_dir or not args.state_dir
    state_dir = args.state_dir or tempfile.mkdtemp(prefix="voip-emulator-")
    os.makedirs(state_dir, exist_ok=True)
    tls_dir = os.path.join(state_dir, "tls")
    use_tls = args.tls or args.client_certs
    store = Store(os.path.join(state_dir, "%s.sqlite" % args.platform))
    options = {"state_dir": state_dir, "tls_dir": tls_dir, "tls": use_tls, "client_certs": args.client_certs, "seed": args.seed}
    app = app_class(store, options, clock=Clock())
    emulator = Emulator(
        app, args.platform, profile, time_scale=args.time_scale, seed=args.seed, extra_profiles=extra_profiles,
        state_dir=state_dir, tls_dir=tls_dir if use_tls else None,
    )
    context = tls.server_context(tls_dir, client_certs=args.client_certs) if use_tls else None
    try:
        server = EmulatorServer((args.host, args.port), emulator, context, verbose=args.verbose)
    except OSError as exc:
        print("voip-emulator: cannot listen on %s:%d: %s" % (args.host, args.port, exc), file=sys.stderr)
        store.close()
        if remove_state_dir:
            shutil.rmtree(state_dir, ignore_errors=True)
        return 2
    emulator.url = server.url

    stop_requested = threading.Event()

    def request_stop(_signum, _frame):
        stop_requested.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="voip-emulator", daemon=True)
    thread.start()
    pid = str(os.getpid())
    # The pid file first: whoever sees the port file may rely on the pid file.
    if args.pid_file:
        _write_atomically(args.pid_file, pid + "\n")
    if args.port_file:
        _write_atomically(args.port_file, server.url + "\n")
    print("voip-emulator %s listening on %s" % (args.platform, server.url), flush=True)
    try:
        # A timed wait keeps the main thread responsive to signals.
        while not stop_requested.wait(1.0):
            pass
    finally:
        server.shutdown()
        server.server_close()
        store.close()
        if args.pid_file:
            _remove_if_mine(args.pid_file, pid)
        if args.port_file:
            _remove_if_mine(args.port_file, server.url)
        if remove_state_dir:
            shutil.rmtree(state_dir, ignore_errors=True)
    return 0


def _child_argv(args, state_dir, port_file):
    argv = [sys.executable, "-m", "voip_emulator", "serve", "--platform", args.platform, "--host", args.host,
            "--port", str(args.port), "--state-dir", state_dir, "--port-file", port_file, "--time-scale", repr(args.time_scale)]
    if args.tls:
        argv.append("--tls")
    if args.client_certs:
        argv.append("--client-certs")
    if args.profile:
        argv += ["--profile", args.profile]
    if args.profile_file:
        argv += ["--profile-file", os.path.abspath(args.profile_file)]
    if args.seed is not None:
        argv += ["--seed", str(args.seed)]
    if args.pid_file:
        argv += ["--pid-file", os.path.abspath(args.pid_file)]
    if args.verbose:
        argv.append("--verbose")
    if not args.state_dir:
        argv.append("--remove-state-dir")
    return argv


def daemonize(args):
    """Start the server in a new session, wait until it listens, print its line."""
    state_dir = os.path.abspath(args.state_dir) if args.state_dir else tempfile.mkdtemp(prefix="voip-emulator-")
    os.makedirs(state_dir, exist_ok=True)
    port_file = os.path.abspath(args.port_file) if args.port_file else os.path.join(state_dir, "url")
    if os.path.exists(port_file):
        os.unlink(port_file)
    env = dict(os.environ)
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    log_path = os.path.join(state_dir, "emulator.log")
    with open(log_path, "ab") as log, open(os.devnull, "rb") as devnull:
        child = subprocess.Popen(  # pylint: disable=consider-using-with
            _child_argv(args, state_dir, port_file), stdin=devnull, stdout=log, stderr=log, env=env, start_new_session=True
        )
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if os.path.exists(port_file):
            with open(port_file, encoding="utf-8") as stream:
                url = stream.read().strip()
            print("voip-emulator %s listening on %s" % (args.platform, url), flush=True)
            return 0
        if child.poll() is not None:
            break
        time.sleep(0.05)
    with open(log_path, encoding="utf-8", errors="replace") as stream:
        output = stream.read()[-4000:]
    if child.poll() is None:
        child.terminate()
        child.wait(10)
    if not args.state_dir:
        shutil.rmtree(state_dir, ignore_errors=True)
    print("voip-emulator: the daemon did not start:\n%s" % output, file=sys.stderr)
    return 1


def _is_emulator(pid):
    """True if ``pid`` runs this emulator (a stale pid file may name another process)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as stream:
            return b"voip_emulator" in stream.read()
    except FileNotFoundError:
        return False
    except OSError:
        # No /proc (not Linux): trust the pid file.
        return True


def stop(args):
    if not args.pid_file:
        print("voip-emulator: stop needs --pid-file", file=sys.stderr)
        return 2
    try:
        with open(args.pid_file, encoding="utf-8") as stream:
            pid = int(stream.read().strip())
    except (OSError, ValueError) as exc:
        print("voip-emulator: no running emulator (%s)" % exc, file=sys.stderr)
        return 1
    if not _is_emulator(pid):
        print("voip-emulator: process %d is not running the emulator; removing stale %s" % (pid, args.pid_file), file=sys.stderr)
        _remove_if_mine(args.pid_file, str(pid))
        return 1
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and _is_emulator(pid):
        time.sleep(0.05)
    if _is_emulator(pid):
        print("voip-emulator: process %d did not stop within %d s" % (pid, WAIT_SECONDS), file=sys.stderr)
        return 1
    _remove_if_mine(args.pid_file, str(pid))
    return 0


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.stop or args.command == "stop":
        return stop(args)
    if args.daemon:
        return daemonize(args)
    return serve(args)
