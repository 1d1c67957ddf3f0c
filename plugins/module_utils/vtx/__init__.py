# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VTX VoIP OpenAPI (a TELES/Communi5 C5 platform, unrelated to Sipwise C5):
its connection options, dialect, API adapter (``api.py`` holds every path, the
assumed ones marked), user directory, timestamps and resources."""
