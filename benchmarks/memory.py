#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller memory of the c5_tenant role at N subscribers, with the tenant's subscribers
passed as Ansible variables (``-e @tenant.json``: ``vars``) or read by the module from a
file (``c5_tenant_subscribers_file``: ``file``), side by side in one run against one
fast emulator.

For every step of the plan it prints the wall time, the peak RSS of ansible-playbook's
process tree (``wait4``'s ``ru_maxrss``: the largest process) and the peaks of the
biggest processes sampled from /proc every 50 ms (which process holds the peak, and
when), the requests sent, and the task times.

    # the figures of docs/performance.md, "Memory at N=10,000"
    python benchmarks/memory.py --size 10000 --plan file:first,file:rerun,vars:rerun
    # a quick look
    python benchmarks/memory.py --size 2000 --plan vars:first,vars:rerun,file:rerun

The collection under test is the one on ANSIBLE_COLLECTIONS_PATH (scripts/benchmark.sh
sets it), or ``--collections PATH``.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import run as bench  # noqa: E402  pylint: disable=wrong-import-position
from rerun_compare import playbook_command, task_times  # noqa: E402  pylint: disable=wrong-import-position


def process_tree(root):
    """The pids of ``root`` and all its descendants (from /proc)."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (IOError, OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except (IOError, OSError):
        pass
    return 0.0


def run_sampled(vars_file, env):
    """(seconds, ru_maxrss MB, [(peak MB, at s)] of the 4 biggest processes, output)."""
    started = time.monotonic()
    proc = subprocess.Popen(playbook_command(vars_file), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    peaks, done = {}, []

    def sample():
        while not done:
            for pid in process_tree(proc.pid):
                value = rss_mb(pid)
                if value > peaks.get(pid, (0.0, 0.0))[0]:
                    peaks[pid] = (value, time.monotonic() - started)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    done.append(True)
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("the role failed:\n%s" % output[-6000:])
    biggest = sorted(peaks.values(), reverse=True)[:4]
    return time.monotonic() - started, usage.ru_maxrss / 1024.0, biggest, output


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000, help="subscribers in the tenant")
    parser.add_argument("--plan", default="file:first,file:rerun,vars:rerun",
                        help="comma-separated MODE:RUN steps, MODE vars|file, RUN first|rerun (first resets the platform)")
    parser.add_argument("--workers", type=int, default=8, help="the role's c5_tenant_workers")
    parser.add_argument("--collections", default="", help="collection path (default: ANSIBLE_COLLECTIONS_PATH)")
    args = parser.parse_args()
    plan = [step.split(":") for step in args.plan.split(",")]
    for mode, run_name in plan:
        if mode not in ("vars", "file") or run_name not in ("first", "rerun"):
            parser.error("--plan steps are vars|file:first|rerun, not %s:%s" % (mode, run_name))

    tenant = bench.tenant(args.size)
    workdir = tempfile.mkdtemp(prefix="voip-memory-")
    subscribers_file = os.path.join(workdir, "subscribers.json")
    with open(subscribers_file, "w", encoding="utf-8") as handle:
        json.dump(tenant["subscribers"], handle)
    vars_files = {}
    for mode, variables in (
            ("vars", {"c5_tenant": tenant, "c5_tenant_workers": args.workers}),
            ("file", {"c5_tenant": dict(tenant, subscribers=[]), "c5_tenant_workers": args.workers,
                      "c5_tenant_subscribers_file": subscribers_file})):
        vars_files[mode] = os.path.join(workdir, mode + ".json")
        with open(vars_files[mode], "w", encoding="utf-8") as handle:
            json.dump(variables, handle)

    with bench.EmulatorProcess(platform="c5", profile="fast") as emulator:
        env = bench.connection_env(emulator, "basic", None)
        env.update(ANSIBLE_CALLBACKS_ENABLED="voip_task_times",
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback_plugins"))
        if args.collections:
            env["ANSIBLE_COLLECTIONS_PATH"] = args.collections
        print("N=%d, fast profile, workers %d; load before: %s" % (args.size, args.workers, os.getloadavg()))
        for mode, run_name in plan:
            if run_name == "first":
                emulator.reset()
            emulator.clear_requests()
            took, peak, biggest, output = run_sampled(vars_files[mode], env)
            requests = emulator.requests()
            writes = sum(1 for entry in requests if entry["method"] in bench.WRITES)
            print("%-5s %-6s %7.1f s  peak RSS %4.0f MB  requests %d (writes %d)  biggest processes: %s"
                  % (mode, run_name, took, peak, len(requests), writes,
                     ", ".join("%.0f MB at %.0f s" % item for item in biggest)), flush=True)
            for name, seconds in task_times(output):
                if seconds >= 0.5:
                    print("        %7.2f s  %s" % (seconds, name))


if __name__ == "__main__":
    main()
