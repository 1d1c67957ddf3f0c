# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VTX "VoIP OpenAPI" (a TELES/Communi5 C5 platform, not Sipwise C5) as an
emulator application: ``app.VtxApp`` (HTTP), ``backend.VtxBackend`` (models that
know no HTTP), ``notifier`` (push delivery), ``seed`` and ``timefmt``.
Facts and assumptions: ``shared/specs/vtx-openapi.md``."""
