# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection options of every XC5-XS /api-sys/ module.  Each has an environment
    # fallback with a flat name, so an AWX / AAP custom credential type can inject it.
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the XC5-XS server, for example V(https://xc5.example.net); requests go to
        C(<url>/api-sys/...). A URL that already ends in C(/api-sys) is accepted too.
      - HTTPS in production; HTTP only for in-house provisioning.
      - If not set, the environment variable E(XC5_URL) is used. Required.
    type: str
  username:
    description:
      - The XC5 account to log in as (HTTP Basic). It must be enabled and have API access
        (C(accountresource:api_access=system) for every account, C(=user) for its own account and
        descendants only); only the XC5 operator can grant that.
      - If not set, the environment variable E(XC5_USERNAME) is used.
    type: str
  password:
    description:
      - Password of O(username).
      - If not set, the environment variable E(XC5_PASSWORD) is used.
    type: str
  auth_method:
    description:
      - How the modules authenticate; the modules support HTTP Basic (the API's JWT cookie is undocumented).
      - If not set, the environment variable E(XC5_AUTH_METHOD) is used.
    type: str
    choices: [basic]
    default: basic
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - If not set, the environment variable E(XC5_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM) to verify the server certificate with.
      - If not set, the environment variable E(XC5_CA_PATH) is used.
    type: path
  timeout:
    description:
      - Seconds to wait for one answer.
      - If not set, the environment variable E(XC5_TIMEOUT) is used.
    type: float
    default: 120
  retries:
    description:
      - How often a request is sent again after a connection error or HTTP 429/502/503/504 (with backoff).
        Creates go to client-chosen ids or are looked up again first, so a repeated request never
        duplicates an entry.
      - If not set, the environment variable E(XC5_RETRIES) is used.
    type: int
    default: 3
  workers:
    description:
      - The most requests in flight at once (with O(ignore:items) many items run concurrently).
      - If not set, the environment variable E(XC5_WORKERS) is used.
    type: int
    default: 2
"""

    GROUP = r"""
attributes:
  action_group:
    description: Use C(group/voip.provisioning.xc5) in C(module_defaults) to set the connection options.
    support: full
    membership:
      - voip.provisioning.xc5
"""
