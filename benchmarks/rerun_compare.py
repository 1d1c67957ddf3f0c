#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Side by side: the c5_tenant role's controller time in two (or more) copies of the
collection, against one emulator, in one session.

The machine is shared, so a lone absolute time says little: this runs the copies
alternately (A, B, A, B, ...) on the same converged tenant and reports each one's
median and the ratio.  The emulator's request log is the oracle that a speed-up
changed nothing on the wire: for the first run (each copy on a freshly reset
platform), the converged re-run and the re-run with one subscriber changed, the
multiset of requests (method, path, body) of every copy must be the same.

    # "before" and "after" as collection paths (each holding ansible_collections/voip/provisioning)
    python benchmarks/rerun_compare.py --collections /tmp/before /tmp/after --size 1000 --reps 5
    # plus one cProfile of the re-run per copy (top entries printed, .prof files kept)
    python benchmarks/rerun_compare.py --collections /tmp/before /tmp/after --size 1000 --reps 0 \\
        --cprofile /tmp/profiles

See docs/performance.md, "Controller time of a converged re-run".
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import run as bench  # noqa: E402  pylint: disable=wrong-import-position
from profile_playbook import merged  # noqa: E402  pylint: disable=wrong-import-position


def playbook_command(vars_file, profile_out=None):
    command = [bench.ansible_command("ansible-playbook"), "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=%s" % sys.executable, "-e", "@%s" % vars_file,
               os.path.join(HERE, "tenant_role.yml")]
    if profile_out:
        # The workers too: every task runs in a forked worker (profile_playbook.py).
        command = [sys.executable, os.path.join(HERE, "profile_playbook.py"), profile_out] + command[1:]
    return command


def run_once(collections, variables, env, workers, profile_out=None):
    """Wall seconds, peak RSS MB and the output of one role run with ``collections``."""
    fd, vars_file = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"c5_tenant": variables, "c5_tenant_workers": workers}, handle)
    env = dict(env, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_CALLBACKS_ENABLED="voip_task_times",
               ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback_plugins"))
    started = time.monotonic()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as output:
        proc = subprocess.Popen(playbook_command(vars_file, profile_out), env=env, stdout=output,
                                stderr=subprocess.STDOUT, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        took = time.monotonic() - started
        output.seek(0)
        text = output.read()
    os.unlink(vars_file)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("the role failed with %s:\n%s" % (collections, text[-6000:]))
    return took, usage.ru_maxrss / 1024.0, text


def task_times(text):
    """``[(task name, seconds)]`` from the voip_task_times callback's lines."""
    found = []
    for line in text.splitlines():
        if line.startswith("TASK-TIME "):
            seconds, _sep, name = line[len("TASK-TIME "):].strip().partition(" ")
            found.append((name, float(seconds)))
    return found


def wire(entries):
    """The requests as a sorted multiset (the workers' order varies from run to run)."""
    return sorted(json.dumps([e["method"], e["path"], e.get("body")], sort_keys=True) for e in entries)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--collections", nargs="+", required=True,
                        help="collection paths to compare (each holds ansible_collections/voip/provisioning)")
    parser.add_argument("--labels", nargs="*", help="names of the copies (default: their paths)")
    parser.add_argument("--size", type=int, default=1000, help="subscribers in the tenant")
    parser.add_argument("--reps", type=int, default=5, help="timed re-runs of each copy, alternated")
    parser.add_argument("--workers", type=int, default=8, help="the role's c5_tenant_workers (fast profile: 8)")
    parser.add_argument("--cprofile", default="", help="directory: one cProfile of the re-run per copy")
    parser.add_argument("--top", type=int, default=25, help="profile entries printed (by cumulative and own time)")
    parser.add_argument("--no-oracle", action="store_true", help="skip the request-log comparison")
    parser.add_argument("--json", default="", help="write the timings here")
    args = parser.parse_args()
    labels = args.labels or args.collections
    if len(labels) != len(args.collections):
        parser.error("--labels needs one name per --collections path")

    with bench.EmulatorProcess(platform="c5", profile="fast") as emulator:
        env = bench.connection_env(emulator, "basic", None)
        converged = bench.tenant(args.size)
        failures = []
        if not args.no_oracle:
            logs = {}
            for label, path in zip(labels, args.collections):
                emulator.reset()
                for run_name, variant in (("first run", 0), ("re-run", 0), ("one changed", 1), ("changed back", 0)):
                    emulator.clear_requests()
                    run_once(path, bench.tenant(args.size, variant), env, args.workers)
                    logs.setdefault(run_name, []).append((label, wire(emulator.requests())))
            for run_name, per_copy in logs.items():
                first_label, first = per_copy[0]
                for label, other in per_copy[1:]:
                    same = other == first
                    print("oracle %-12s %s vs %s: %d vs %d requests, %s"
                          % (run_name, first_label, label, len(first), len(other), "same" if same else "DIFFERENT"))
                    if not same:
                        failures.append(run_name)
        else:
            emulator.reset()
            run_once(args.collections[0], converged, env, args.workers)

        times = dict((label, []) for label in labels)
        rss = dict((label, []) for label in labels)
        per_task = dict((label, {}) for label in labels)
        for rep in range(args.reps):
            order = list(zip(labels, args.collections))
            if rep % 2:
                order.reverse()
            for label, path in order:
                emulator.clear_requests()
                took, peak, text = run_once(path, converged, env, args.workers)
                for name, seconds in task_times(text):
                    per_task[label].setdefault(name, []).append(seconds)
                writes = [e for e in emulator.requests() if e["method"] in bench.WRITES]
                if writes:
                    failures.append("%s re-run wrote %d times" % (label, len(writes)))
                times[label].append(took)
                rss[label].append(peak)
                print("rep %d %-24s %.2f s  peak RSS %.0f MB" % (rep, label, took, peak), flush=True)

        if args.cprofile:
            os.makedirs(args.cprofile, exist_ok=True)
            for index, (label, path) in enumerate(zip(labels, args.collections)):
                out = os.path.join(args.cprofile, "rerun-%d" % index)
                took, _peak, _text = run_once(path, converged, env, args.workers, profile_out=out)
                for which in ("main", "worker"):
                    print("\n=== cProfile of the re-run, %s, %s process%s (%.1f s under the profiler): %s"
                          % (label, which, "es" if which == "worker" else "", took, out))
                    stats = merged(out, (which,))
                    stats.sort_stats("cumulative").print_stats(args.top)
                    stats.sort_stats("tottime").print_stats(args.top)

    if args.reps:
        print("\nN=%d converged re-run, %d alternated repetitions" % (args.size, args.reps))
        base = statistics.median(times[labels[0]])
        for label in labels:
            median = statistics.median(times[label])
            print("  %-24s median %.2f s (runs: %s), peak RSS median %.0f MB, %s"
                  % (label, median, " ".join("%.2f" % t for t in times[label]), statistics.median(rss[label]),
                     "x%.2f faster than %s" % (base / median, labels[0]) if label != labels[0] else "reference"))
        print("\nMedian seconds per task (voip_task_times callback):")
        names = []  # every copy's tasks, in order of appearance (copies may differ in their tasks)
        for label in labels:
            names.extend(name for name in per_task[label] if name not in names)
        print("  " + " | ".join("%10s" % label[:10] for label in labels) + " | task")
        for name in names:
            print("  " + " | ".join("%10.2f" % statistics.median(per_task[label].get(name, [0.0])) for label in labels)
                  + " | " + name)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"size": args.size, "times": times, "peak_rss_mb": rss, "per_task": per_task}, handle, indent=1)
    if failures:
        raise SystemExit("FAILED: %s" % ", ".join(failures))


if __name__ == "__main__":
    main()
