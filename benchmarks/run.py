#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: converge a C5 tenant of N subscribers with the c5_tenant role, and with the
plain ansible.builtin.uri playbook operators write today, against the bundled emulator.

Each subscriber has two alias numbers, a cfna call forward with two destinations and
three preferences.  For every (profile, N) it measures, in one run on one machine:
1. first run on an empty platform (role), 2. converged re-run, 3. one subscriber
changed, 4. the uri baseline's first run and re-run (where asked for).
Reported: wall time, HTTP requests by method (from the emulator's request log) and the
controller's peak RSS.  Writes the table to docs/performance.md and prints the ratios last.

    scripts/benchmark.sh                       # the documented default run
    python benchmarks/run.py --profile fast --sizes 100,1000 --baseline-sizes 100
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "emulator"))

from voip_emulator.testing import EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

WRITES = ("POST", "PUT", "PATCH", "DELETE")


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


def run_playbook(playbook, variables, env, workers):
    fd, vars_file = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"c5_tenant": variables, "c5_tenant_workers": workers}, handle)
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=%s" % sys.executable, "-e", "@%s" % vars_file, playbook]
    started = time.monotonic()
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=devnull, text=True)
        output = proc.stdout.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
    took = time.monotonic() - started
    os.unlink(vars_file)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("%s failed:\n%s" % (playbook, output[-4000:]))
    recap = [line for line in output.splitlines() if "changed=" in line]
    return took, usage.ru_maxrss / 1024.0, recap[-1].strip() if recap else ""


def count_requests(emulator):
    counts = {}
    for entry in emulator.requests():
        counts[entry["method"]] = counts.get(entry["method"], 0) + 1
    return counts


def measure(emulator, label, playbook, variables, env, workers):
    emulator.clear_requests()
    took, rss_mb, recap = run_playbook(playbook, variables, env, workers)
    counts = count_requests(emulator)
    row = {"run": label, "seconds": round(took, 2), "requests": counts,
           "writes": sum(v for k, v in counts.items() if k in WRITES), "peak_rss_mb": round(rss_mb, 1), "recap": recap}
    print(json.dumps(row), flush=True)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", action="append", help="emulator profile(s): fast, c5-real (default: both)")
    parser.add_argument("--sizes", default="100,1000", help="tenant sizes for the fast profile")
    parser.add_argument("--real-sizes", default="100", help="tenant sizes for the c5-real profile")
    parser.add_argument("--baseline-sizes", default="100", help="sizes at which the uri baseline also runs")
    parser.add_argument("--workers", type=int, default=0, help="client workers (default: the profile's server workers)")
    parser.add_argument("--time-scale", type=float, default=1.0, help="scale the emulator's simulated costs")
    parser.add_argument("--output", default=os.path.join(REPO, "docs", "performance-results.json"))
    args = parser.parse_args()

    profiles = args.profile or ["fast", "c5-real"]
    baseline_sizes = set(int(s) for s in args.baseline_sizes.split(",") if s)
    rows = []
    for profile in profiles:
        sizes = args.sizes if profile == "fast" else args.real_sizes
        server_workers = 8 if profile == "fast" else 2
        workers = args.workers or server_workers
        for size in [int(s) for s in sizes.split(",") if s]:
            with EmulatorProcess(platform="c5", profile=profile, time_scale=args.time_scale) as emulator:
                env = dict(os.environ, C5_URL=emulator.url, C5_USERNAME="administrator", C5_PASSWORD="administrator",
                           ANSIBLE_NOCOLOR="1")
                role_playbook = os.path.join(HERE, "tenant_role.yml")
                for label, variables in (("first run", tenant(size)), ("re-run", tenant(size)), ("one changed", tenant(size, 1))):
                    row = measure(emulator, label, role_playbook, variables, env, workers)
                    row.update(profile=profile, size=size, tool="c5_tenant role", workers=workers)
                    rows.append(row)
                if size in baseline_sizes:
                    emulator.reset()
                    baseline = os.path.join(HERE, "uri_baseline.yml")
                    for label in ("first run", "re-run"):
                        row = measure(emulator, label, baseline, tenant(size), env, 1)
                        row.update(profile=profile, size=size, tool="uri baseline", workers=1)
                        rows.append(row)
    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=1)
    print("results written to %s" % args.output)


if __name__ == "__main__":
    main()
