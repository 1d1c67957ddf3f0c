#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: converge a C5 tenant of N subscribers with the c5_tenant role, and with the
plain ansible.builtin.uri playbook operators write today, against the bundled emulator.

Shapes (``--shape``): ``standard`` -- each subscriber has two alias numbers, a cfna call
forward with two destinations and three preferences; ``real50`` -- the tenant of the
real-platform measurement of issue 10 (the seed life cycle's build stage, then subscribers
with two alias numbers, all seven call-forward types with time, source and B-number sets,
and eight preferences of five types), see ``tenant_real()``.
For every (profile, N) it measures, in one run on one machine:
1. first run on an empty platform (role), 2. converged re-run, 3. one subscriber
changed, 4. the uri baseline's first run and re-run (where asked for).
On the c5-real profile the role runs once per authentication method (Basic, JWT
bearer, client certificate), each on a fresh platform.
Reported: wall time, HTTP requests by method and by path pattern (from the emulator's
request log), API writes and JWT logins (``POST /login_jwt``) apart, and the controller's
peak RSS.  Writes the rows as JSON, the table as
Markdown (performance-results.md next to the JSON) and prints the ratios last.

    scripts/benchmark.sh                       # the documented default run
    scripts/benchmark.sh --profile fast --sizes 20 --baseline-sizes 20     # a quick check
    scripts/benchmark.sh --profile c5-real --shape real50 --real-sizes 50 --auth basic,jwt \
        --runs first,rerun --baseline-sizes 0 --collections /tmp/old-collection   # another copy
"""

import argparse
import io
import json
import os
import re
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from base64 import b64encode

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "emulator"))

from voip_emulator.core.profiles import resolve_profile  # noqa: E402  pylint: disable=wrong-import-position
from voip_emulator.testing import EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

WRITES = ("POST", "PUT", "PATCH", "DELETE")
RUNS = {"first": ("first run", 0), "rerun": ("re-run", 0), "changed": ("one changed", 1)}


def server_profile(name):
    """The emulator's profile ``name``: its worker count and request costs give the floor, so a
    recalibrated profile changes the floor with it."""
    return resolve_profile(name)


def tenant(size, variant=0):
    """The tenant variable for N subscribers; ``variant`` changes subscriber 0's preferences."""
    subscribers = []
    for index in range(size):
        sn = "%06d" % (100000 + index)
        prefs = {"block_in_clir": True, "block_in_list": ["4366412345", "431*"], "concurrent_max": 2}
        if index == 0 and variant:
            prefs["concurrent_max"] = 2 + variant
        subscribers.append({
            "username": "bench_%s" % sn,
            "password": "pw-%s-secret" % sn,
            "primary_number": {"cc": 43, "ac": "9876", "sn": sn},
            "alias_numbers": [{"cc": 43, "ac": "9877", "sn": sn}, {"cc": 43, "ac": "9878", "sn": sn}],
            "call_forwards": {"cfna": {"destinations": [{"destination": "4366610001", "timeout": 10},
                                                        {"destination": "4366710001", "timeout": 300}]}},
            "preferences": prefs,
        })
    return {
        "reseller": 1,
        "domain": "bench.example.com",
        "billing_profile": "default",
        "contact": {"email": "bench@example.com", "firstname": "Bench", "lastname": "Mark"},
        "customer": {"external_id": "bench-customer", "type": "sipaccount"},
        "subscribers": subscribers,
    }


# The tenant of the real-platform measurement (issue 10 §5): every call-forward type
# c5_callforward accepts, with time sets (cfu, cfna), a source set (cfr), a B-number set
# (cfo) and cft's ring timeout; eight preferences of five types (boolean, int, string,
# enum, list).  Types as in tests/fixtures/c5-real-defs/subscriberpreferencedefs.json.
REAL_CALL_FORWARDS = {
    "cfu": {"destinations": [{"destination": "voicebox"}],
            "times": [{"wday": "1", "hour": "0-23"}]},
    "cfb": {"destinations": [{"destination": "voicebox", "timeout": 300}]},
    "cft": {"destinations": [{"destination": "4366610002", "timeout": 20},
                             {"destination": "voicebox", "timeout": 300}],
            "ringtimeout": 25},
    "cfna": {"destinations": [{"destination": "4366610001", "timeout": 10},
                              {"destination": "4366710001", "timeout": 300}],
             "times": [{"wday": "2-6", "hour": "8-17"}]},
    "cfs": {"destinations": [{"destination": "sip:sms@bench.example.com"}]},
    "cfr": {"destinations": [{"destination": "4366610003"}],
            "sources": ["4312345*", "4366412345"], "sources_mode": "whitelist"},
    "cfo": {"destinations": [{"destination": "4366610004"}],
            "bnumbers": ["4390*"], "bnumbers_mode": "blacklist"},
}


def tenant_real(size, variant=0):
    """The ``real50`` shape: the standard subscribers with all seven call-forward types and
    eight preferences of five types; ``variant`` changes subscriber 0's concurrent_max."""
    variables = tenant(size, variant)
    for index, subscriber in enumerate(variables["subscribers"]):
        sn = "%06d" % (100000 + index)
        subscriber["call_forwards"] = json.loads(json.dumps(REAL_CALL_FORWARDS))
        subscriber["preferences"] = {
            "block_in_clir": True,                                  # boolean
            "clir": False,                                          # boolean
            "concurrent_max": 2 + (variant if index == 0 else 0),   # int
            "concurrent_max_out": 2,                                # int
            "cli": "439876%s" % sn,                                 # string
            "language": "de",                                       # enum
            "block_in_list": ["4366412345", "431*"],                # list (string, max_occur 0)
            "block_out_list": ["4390*"],                            # list (string, max_occur 0)
        }
    return variables


SHAPES = {"standard": tenant, "real50": tenant_real}


def ansible_command(name):
    """ansible-playbook next to this Python (the venv), else from PATH."""
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    return candidate if os.path.exists(candidate) else name


def run_playbook(playbook, variables, env, workers, log_path=None):
    fd, vars_file = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"c5_tenant": variables, "c5_tenant_workers": workers}, handle)
    command = [ansible_command("ansible-playbook"), "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=%s" % sys.executable, "-e", "@%s" % vars_file, playbook]
    # Every measured run logs in afresh (with auth_method jwt one login per run, shared by
    # its tasks through the token cache): a token left by an earlier run, or issued by an
    # emulator since restarted, would hide the login's cost or fail with 403.
    env = dict(env, VOIP_PROVISIONING_TOKEN_CACHE_DIR=tempfile.mkdtemp(prefix="voip-bench-tokens-"))
    started = time.monotonic()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as output:
        proc = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, text=True)
        # wait4: the rusage of the playbook and of every process it waited for; ru_maxrss
        # is the largest resident set among them (KiB on Linux).
        _pid, status, usage = os.wait4(proc.pid, 0)
        took = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    os.unlink(vars_file)
    if log_path:
        with open(log_path, "w", encoding="utf-8") as handle:
            handle.write(text)
    if proc.returncode != 0:
        raise SystemExit("%s failed (exit %s):\n%s" % (playbook, proc.returncode, text[-6000:]))
    recap = [line for line in text.splitlines() if "changed=" in line and "ok=" in line]
    return took, usage.ru_maxrss / 1024.0, recap[-1].strip() if recap else ""


def path_pattern(method, target):
    """``GET /api/subscribers/?domain=..&page=2`` -> ``GET /api/subscribers/?domain (list)``;
    ``PUT /api/callforwards/17`` -> ``PUT /api/callforwards/<id>``."""
    path, _sep, query = target.partition("?")
    path = re.sub(r"/\d+(?=/|$)", "/<id>", path)
    if path.endswith("/") and method == "GET" and path.startswith("/api/") and path.count("/") == 3:
        keys = sorted(set(part.split("=", 1)[0] for part in query.split("&") if part) - {"page", "rows"})
        return "%s %s%s (list)" % (method, path, "?" + ",".join(keys) if keys else "")
    return "%s %s" % (method, path)


def summarise(entries):
    by_method, by_pattern, statuses = {}, {}, {}
    for entry in entries:
        by_method[entry["method"]] = by_method.get(entry["method"], 0) + 1
        pattern = path_pattern(entry["method"], entry["path"])
        by_pattern[pattern] = by_pattern.get(pattern, 0) + 1
        if entry["status"] >= 400:
            key = "%s %s" % (pattern, entry["status"])
            statuses[key] = statuses.get(key, 0) + 1
    return by_method, by_pattern, statuses


def floor_seconds(profile, entries, password_auth):
    """The server time the writes of a run need (the profile's cost of each successful API
    write, + its auth cost with Basic), spread over the server's workers."""
    server = server_profile(profile)
    total = 0.0
    for entry in entries:
        if entry["method"] in WRITES and entry["status"] < 400 and entry["path"].startswith("/api/"):
            resource = [p for p in entry["path"].partition("?")[0].split("/") if p][1]
            total += server.request_cost(entry["method"], "%s %s" % (entry["method"], resource))
            total += server.auth_cost if password_auth else 0.0
    return total / (server.workers or 1)


def issue_client_cert(emulator, directory):
    """A client certificate from the API, as an operator gets one (POST /api/admincerts/)."""
    request = urllib.request.Request(emulator.url + "/api/admincerts/", data=b"{}", method="POST", headers={
        "Content-Type": "application/json",
        "Authorization": "Basic " + b64encode(b"administrator:administrator").decode(),
    })
    context = ssl.create_default_context(cafile=emulator.ca_file)
    with urllib.request.urlopen(request, context=context, timeout=120) as response:
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    name = [n for n in archive.namelist() if n.endswith(".pem")][0]
    path = os.path.join(directory, "client.pem")
    with open(path, "wb") as handle:
        handle.write(archive.read(name))
    return path


def connection_env(emulator, auth, cert_dir):
    env = dict(os.environ, C5_URL=emulator.url, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    for name in ("C5_USERNAME", "C5_PASSWORD", "C5_AUTH_METHOD", "C5_CLIENT_CERT", "C5_CLIENT_KEY", "C5_TOKEN",
                 "C5_CA_PATH", "C5_WORKERS"):
        env.pop(name, None)
    if emulator.ca_file:
        env["C5_CA_PATH"] = emulator.ca_file
    if auth == "cert":
        env["C5_CLIENT_CERT"] = issue_client_cert(emulator, cert_dir)
    else:
        env["C5_USERNAME"] = "administrator"
        env["C5_PASSWORD"] = "administrator"
        env["C5_AUTH_METHOD"] = "jwt" if auth == "jwt" else "basic"
    return env


def measure(emulator, args, profile, size, tool, auth, label, playbook, variables, env, workers):
    emulator.clear_requests()
    log_path = None
    if args.logs:
        os.makedirs(args.logs, exist_ok=True)
        parts = (args.label or "run", profile, size, args.shape, tool.split()[0], auth, label.replace(" ", "_"))
        log_name = "%s-%s-%d-%s-%s-%s-%s.log" % parts
        log_path = os.path.join(args.logs, log_name)
    if log_path:
        # Every task's wall time at the end of its output (the benchmark aid callback).
        env = dict(env, ANSIBLE_CALLBACKS_ENABLED="voip_task_times",
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback_plugins"))
    took, rss_mb, recap = run_playbook(playbook, variables, env, workers, log_path)
    entries = emulator.requests()
    if log_path:
        # The emulator's request log beside the playbook output: when each request started and
        # how long the server took (worker wait + auth + cost), to see where a run's time goes.
        with open(log_path[:-len(".log")] + ".requests.json", "w", encoding="utf-8") as handle:
            json.dump([{k: e.get(k) for k in ("time", "method", "path", "status", "duration_ms", "auth")}
                       for e in entries], handle, indent=0)
    by_method, by_pattern, errors = summarise(entries)
    row = {
        "profile": profile, "size": size, "tool": tool, "auth": auth, "run": label, "workers": workers,
        "shape": args.shape, "collection": args.label,
        "seconds": round(took, 2), "requests": by_method, "total_requests": len(entries),
        # Writes to the API; the JWT logins (POST /login_jwt, one per module task) are no API
        # writes and are counted apart (each one costs the server a password check).
        "writes": sum(1 for e in entries if e["method"] in WRITES and e["path"].startswith("/api/")),
        "logins": sum(1 for e in entries if e["method"] == "POST" and e["path"].startswith("/login_jwt")),
        "patterns": by_pattern, "errors": errors, "peak_rss_mb": round(rss_mb, 1), "recap": recap,
        "floor_seconds": round(floor_seconds(profile, entries, auth == "basic") * args.time_scale, 2),
        "time_scale": args.time_scale,
        # The machine's 1/5/15-minute load averages at the end of the run.
        "load": " ".join("%.2f" % value for value in os.getloadavg()),
    }
    print("%s %s N=%d %s %s %s: %.1f s, %d writes, %d logins, %d requests (uptime: %s)"
          % (args.label or "", profile, size, args.shape, auth, label, took, row["writes"], row["logins"],
             len(entries), row["load"]), file=sys.stderr, flush=True)
    print(json.dumps(row), flush=True)
    return row


def run_size(args, profile, size, rows):
    workers = args.workers or server_profile(profile).workers or 8
    auths = ["basic"] if profile == "fast" else args.auth
    tls = profile != "fast" and "cert" in auths
    with tempfile.TemporaryDirectory() as cert_dir, \
            EmulatorProcess(platform="c5", profile=profile, time_scale=args.time_scale, tls=tls,
                            client_certs=tls) as emulator:
        role_playbook = os.path.join(HERE, "tenant_real.yml" if args.shape == "real50" else "tenant_role.yml")
        make_tenant = SHAPES[args.shape]
        runs = [RUNS[name] for name in args.runs]
        for auth in auths:
            emulator.reset()
            env = connection_env(emulator, auth, cert_dir)
            for label, variant in runs:
                rows.append(measure(emulator, args, profile, size, "c5_tenant role", auth, label, role_playbook,
                                    make_tenant(size, variant), env, workers))
        if size in args.baseline_sizes:
            emulator.reset()
            env = connection_env(emulator, "basic", cert_dir)
            baseline = os.path.join(HERE, "uri_baseline.yml")
            for label in ("first run", "re-run"):
                rows.append(measure(emulator, args, profile, size, "uri baseline", "basic", label, baseline,
                                    make_tenant(size), env, 1))


# --- report ----------------------------------------------------------------------------

def fmt_methods(requests):
    return ", ".join("%s %d" % (m, requests[m]) for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if requests.get(m)) or "-"


def find(rows, **match):
    for row in rows:
        if all(row.get(k) == v for k, v in match.items()):
            return row
    return None


def ratios(rows):
    """(text, value) ratios: baseline time / role time, floor / time."""
    lines = []
    for row in rows:
        if row["tool"] != "c5_tenant role" or row["auth"] != "basic":
            continue
        base = find(rows, profile=row["profile"], size=row["size"], tool="uri baseline", run=row["run"])
        if base:
            lines.append("%s N=%d %s: uri baseline %.1f s / role %.1f s = %.1fx faster"
                         % (row["profile"], row["size"], row["run"], base["seconds"], row["seconds"],
                            base["seconds"] / max(row["seconds"], 0.01)))
    for row in rows:
        if row["tool"] == "c5_tenant role" and row["run"] == "first run" and row["floor_seconds"]:
            lines.append("%s N=%d first run (%s): %.1f s = %.2fx the floor (%.1f s: writes x cost / %d workers)"
                         % (row["profile"], row["size"], row["auth"], row["seconds"],
                            row["seconds"] / row["floor_seconds"], row["floor_seconds"],
                            server_profile(row["profile"]).workers or 1))
    for profile in sorted(set(r["profile"] for r in rows)):
        for run in ("first run", "re-run"):
            basic = find(rows, profile=profile, tool="c5_tenant role", auth="basic", run=run)
            for auth in ("jwt", "cert"):
                other = find(rows, profile=profile, tool="c5_tenant role", auth=auth, run=run,
                             size=basic["size"] if basic else None)
                if basic and other:
                    lines.append("%s N=%d %s: Basic %.1f s / %s %.1f s = %.2fx"
                                 % (profile, basic["size"], run, basic["seconds"], auth, other["seconds"],
                                    basic["seconds"] / max(other["seconds"], 0.01)))
    return lines


def markdown(rows):
    out = ["| profile | N | tool | auth | run | wall s | requests (by method) | writes | logins | floor s "
           "| peak RSS MB | load |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        out.append("| %s | %d | %s | %s | %s | %.1f | %s | %d | %d | %s | %.0f | %s |" % (
            r["profile"], r["size"], r["tool"], r["auth"], r["run"], r["seconds"], fmt_methods(r["requests"]),
            r["writes"], r.get("logins", 0), ("%.1f" % r["floor_seconds"]) if r["tool"] != "uri baseline" else "-",
            r["peak_rss_mb"], r.get("load", "")))
    out.append("")
    out.append("Requests by path pattern:")
    out.append("")
    for r in rows:
        patterns = "; ".join("%s %d" % kv for kv in sorted(r["patterns"].items()))
        out.append("- %s N=%d %s %s %s: %s" % (r["profile"], r["size"], r["tool"], r["auth"], r["run"], patterns))
        if r["errors"]:
            out.append("  - error answers: %s" % "; ".join("%s x%d" % kv for kv in sorted(r["errors"].items())))
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", action="append", choices=("fast", "c5-real"),
                        help="emulator profile(s) (default: fast and c5-real)")
    parser.add_argument("--sizes", default="100,1000", help="tenant sizes for the fast profile")
    parser.add_argument("--real-sizes", default="100", help="tenant sizes for the c5-real profile")
    parser.add_argument("--baseline-sizes", default="100", help="sizes at which the uri baseline also runs")
    parser.add_argument("--auth", default="basic,jwt,cert",
                        help="authentication methods for the c5-real profile (basic, jwt, cert)")
    parser.add_argument("--workers", type=int, default=0, help="client workers (default: the profile's server workers)")
    parser.add_argument("--time-scale", type=float, default=1.0, help="scale the emulator's simulated costs")
    parser.add_argument("--results-dir", default=os.path.join(REPO, "docs"),
                        help="where performance-results.json/.md are written")
    parser.add_argument("--logs", default="", help="directory for the ansible-playbook output of every run")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="standard",
                        help="the tenant: standard (cfna + 3 preferences) or real50 (the real-platform run of "
                             "issue 10: the seed life cycle, all seven call-forward types, 8 preferences)")
    parser.add_argument("--runs", default="first,rerun,changed",
                        help="which role runs, in order: first, rerun, changed (one subscriber changed)")
    parser.add_argument("--collections", default="",
                        help="ANSIBLE_COLLECTIONS_PATH of the collection under test (default: the environment's, "
                             "i.e. the copy scripts/benchmark.sh made); the emulator is always this checkout's")
    parser.add_argument("--label", default="", help="a name for the collection under test, kept in every row")
    args = parser.parse_args()
    args.baseline_sizes = set(int(s) for s in args.baseline_sizes.split(",") if s)
    args.auth = [a for a in args.auth.split(",") if a]
    args.runs = [r for r in args.runs.split(",") if r]
    unknown = sorted(set(args.runs) - set(RUNS))
    if unknown:
        parser.error("--runs: unknown run(s) %s (known: %s)" % (", ".join(unknown), ", ".join(RUNS)))
    if args.collections:
        os.environ["ANSIBLE_COLLECTIONS_PATH"] = args.collections

    profiles = args.profile or ["fast", "c5-real"]
    rows = []
    started = time.monotonic()
    for profile in profiles:
        sizes = args.sizes if profile == "fast" else args.real_sizes
        for size in [int(s) for s in sizes.split(",") if s]:
            run_size(args, profile, size, rows)
    os.makedirs(args.results_dir, exist_ok=True)
    json_path = os.path.join(args.results_dir, "performance-results.json")
    with open(json_path, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=1)
    md_path = os.path.join(args.results_dir, "performance-results.md")
    with open(md_path, "w", encoding="utf-8") as handle:
        handle.write("Benchmark run of %s, %.0f s in all (time scale %s)\n\n" % (
            time.strftime("%Y-%m-%d %H:%M"), time.monotonic() - started, args.time_scale))
        handle.write(markdown(rows))
    print()
    print(markdown(rows))
    print("results written to %s and %s" % (json_path, md_path))
    print()
    print("Ratios:")
    for line in ratios(rows):
        print("  " + line)


if __name__ == "__main__":
    main()
