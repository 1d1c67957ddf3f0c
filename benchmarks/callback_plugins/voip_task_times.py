# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark aid: the wall time of every task, printed at the end of the play.

Enabled by benchmarks/rerun_compare.py (``ANSIBLE_CALLBACKS_ENABLED=voip_task_times``);
not part of the collection.  A task's time runs from its start to its last host
result, so it holds the worker's templating, argument validation, the action
plugin, the result's transfer and the main process's handling of it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: voip_task_times
type: aggregate
short_description: wall time of every task (benchmark aid)
description:
  - Prints the seconds of every task at the end of the playbook, one line each, prefixed C(TASK-TIME).
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "voip_task_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self.started = time.monotonic()
        self.times = []
        self.current = None

    def _close(self):
        if self.current is not None:
            name, began = self.current
            self.times.append((name, time.monotonic() - began))
            self.current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self.current = (task.get_name(), time.monotonic())

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def v2_playbook_on_stats(self, stats):
        self._close()
        for name, took in self.times:
            self._display.display("TASK-TIME %7.3f %s" % (took, name))
        self._display.display("TASK-TIME %7.3f (from the callback's start to the end)" % (time.monotonic() - self.started))
