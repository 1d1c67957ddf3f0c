# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SIP2SIP "SIP Account Management API" (``settings.phtml?action=...``) of
AG Projects' CDRTool, as an emulator platform (spec: shared/specs/sip2sip-settings.md).

``models``   the backend (NGNPro state, CDRTool journal): no HTTP, time from the clock
``app``      the HTTP layer: Digest auth, parameter merging, the response quirks
``seed``     the accounts, loaded from ``accounts.json`` and an optional extension file
"""
