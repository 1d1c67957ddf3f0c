#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: an XC5 vPBX of N users (each: account, DDI, voicemail route, extension call
rule; plus 5 hunt groups and 3 blast groups) converged by the xc5_vpbx role - first run,
converged re-run, one extension changed - and by the plain ansible.builtin.uri playbook
(benchmarks/xc5_uri_baseline.yml: first run, re-run), side by side in one run against the
bundled emulator's fast profile. Reported: wall time and HTTP requests by method (from the
emulator's request log).

    ANSIBLE_COLLECTIONS_PATH=... python benchmarks/xc5_run.py --size 200 --baseline-size 200
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

WRITES = ("PUT", "PATCH", "DELETE")
LOGIN = ("dave@dcom", "dcom-secret")


def vpbx(size, extension_of_user0=None):
    """The vPBX variable; DDIs come from the emulator pool's 6493000000-6493000599 block."""
    org = "bench.x.co.nz"
    users = []
    for index in range(size):
        users.append({"name": "u%04d" % index, "ddi": "64930%05d" % index, "extension": str(2000 + index),
                      "voicemail": "u%04d@%s" % (index, org)})
    if extension_of_user0:
        users[0]["extension"] = extension_of_user0
    hunts = [{"name": "hunt%d" % g, "ddi": "64930%05d" % (590 + g),
              "members": ["u%04d" % ((g * 4 + k) % size) for k in range(4)]} for g in range(5)]
    blasts = [{"name": "blast%d" % b, "destinations": ["64930%05d" % ((b * 2 + k) % size) for k in range(2)]}
              for b in range(3)]
    return {"name": org, "parent": "x.co.nz", "pickup_group": "Bench", "users": users, "hunt_groups": hunts,
            "blast_groups": blasts}


def run(emulator, playbook, variables, label):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(variables, handle)
        path = handle.name
    env = dict(os.environ, XC5_URL=emulator.url, XC5_USERNAME=LOGIN[0], XC5_PASSWORD=LOGIN[1], ANSIBLE_NOCOLOR="1")
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=" + sys.executable, "-e", "@" + path, os.path.join(HERE, playbook)]
    emulator.clear_requests()
    started = time.monotonic()
    proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    wall = time.monotonic() - started
    os.unlink(path)
    if proc.returncode:
        sys.exit("%s failed:\n%s" % (label, proc.stdout[-5000:]))
    methods = {}
    for entry in emulator.requests():
        if entry["path"].startswith("/api-sys"):
            methods[entry["method"]] = methods.get(entry["method"], 0) + 1
    row = {"run": label, "wall_s": round(wall, 1), "requests": sum(methods.values()), "by_method": methods,
           "writes": sum(n for m, n in methods.items() if m in WRITES)}
    print(json.dumps(row), flush=True)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--baseline-size", type=int, default=200, help="0 skips the uri baseline")
    parser.add_argument("--profile", default="fast")
    args = parser.parse_args()
    rows = []
    with EmulatorProcess(platform="xc5", profile=args.profile) as emulator:
        role_vars = {"xc5_vpbx": vpbx(args.size)}
        rows.append(run(emulator, "xc5_vpbx_role.yml", role_vars, "role first run (N=%d)" % args.size))
        rows.append(run(emulator, "xc5_vpbx_role.yml", role_vars, "role re-run"))
        changed = {"xc5_vpbx": vpbx(args.size, extension_of_user0="1999")}
        rows.append(run(emulator, "xc5_vpbx_role.yml", changed, "role, one extension changed"))
        if args.baseline_size:
            emulator.reset()
            base_vars = {"bench_vpbx": vpbx(args.baseline_size)}
            rows.append(run(emulator, "xc5_uri_baseline.yml", base_vars, "uri first run (N=%d)" % args.baseline_size))
            rows.append(run(emulator, "xc5_uri_baseline.yml", base_vars, "uri re-run"))
    print("\n| run | wall (s) | requests | by method | writes |\n| --- | --- | --- | --- | --- |")
    for row in rows:
        methods = ", ".join("%s %d" % kv for kv in sorted(row["by_method"].items()))
        print("| %s | %.1f | %d | %s | %d |" % (row["run"], row["wall_s"], row["requests"], methods, row["writes"]))


if __name__ == "__main__":
    main()
