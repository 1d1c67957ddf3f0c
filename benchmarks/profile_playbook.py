#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-playbook under cProfile, its task workers included.

``python -m cProfile $(which ansible-playbook)`` sees only the main process, which
spends most of a run waiting: every task runs in a forked worker process
(templating, argument validation, the action plugin, the result's
serialisation), and a forked child never writes the parent's profile.  This
runs ansible-playbook in-process with the main process profiled
(``main.prof``) and every worker profiled on its own (``worker-<pid>.prof``);
:func:`merged` adds them up.

    python benchmarks/profile_playbook.py OUTDIR -i localhost, -c local play.yml
"""

import cProfile
import os
import sys


def install(out_dir):
    """Profile every WorkerProcess._run of this process into ``out_dir``."""
    from ansible.executor.process import worker  # pylint: disable=import-outside-toplevel

    original = worker.WorkerProcess._run

    def profiled_run(self):
        profile = cProfile.Profile()
        try:
            return profile.runcall(original, self)
        finally:
            profile.dump_stats(os.path.join(out_dir, "worker-%d.prof" % os.getpid()))

    worker.WorkerProcess._run = profiled_run


def merged(out_dir, which=("main", "worker")):
    """One pstats.Stats of the profiles in ``out_dir`` whose names start with ``which``."""
    import pstats  # pylint: disable=import-outside-toplevel

    files = sorted(os.path.join(out_dir, name) for name in os.listdir(out_dir)
                   if name.endswith(".prof") and name.startswith(tuple(which)))
    stats = pstats.Stats(files[0])
    for path in files[1:]:
        stats.add(path)
    return stats


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    install(out_dir)
    from ansible.cli.playbook import main as playbook_main  # pylint: disable=import-outside-toplevel

    sys.argv = ["ansible-playbook"] + sys.argv[2:]
    profile = cProfile.Profile()
    try:
        profile.runcall(playbook_main)
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    finally:
        profile.dump_stats(os.path.join(out_dir, "main.prof"))
    sys.exit(code)


if __name__ == "__main__":
    main()
