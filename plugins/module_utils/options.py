# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Moved to core/options.py (Options, NoLogScrubber) and core/auth.py (connection
argument specs); these re-exports keep the modules working until they move.
RunContext stays here until core/context.py replaces it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.options import (  # noqa: F401 pylint: disable=unused-import
    NO_LOG_MASK, NoLogScrubber, Options)


class RunContext:
    """What a run needs from its caller: check mode, diff mode and a way to warn."""

    def __init__(self, check_mode=False, diff=False, warn=None):
        self.check_mode = bool(check_mode)
        self.diff = bool(diff)
        self.warnings = []
        self._warn = warn

    def warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)
            if self._warn:
                self._warn(message)
