# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The XC5-XS "JSON System Provisioning" API (``/api-sys/``) as an emulator
platform (spec: shared/specs/xc5-api-sys.md).

``docs``  the field documentation OPTIONS answers (exactly the spec's fields)
``model`` the backend: accounts, numbers, routes, call rules, forks, prompts,
          HydraAccount lines - plain Python on core Tables, no HTTP
``seed``  the operator's starting state (logins, the number pool, locations)
``app``   ``XC5App``: routes, Basic auth, JSON-array framing, HAL links
"""
