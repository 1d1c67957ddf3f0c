# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The platform-neutral HTTP(S) core of the emulator: server, TLS and test CA,
request log, latency profiles, worker limits, fault injection, SQLite store and
control API.  Platform applications implement :class:`voip_emulator.core.app.App`."""
