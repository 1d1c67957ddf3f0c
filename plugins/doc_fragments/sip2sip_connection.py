# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection options of every SIP2SIP module. Each has a SIP2SIP_* environment
    # fallback with a flat name, so an AWX / AAP custom credential type can inject it.
    DOCUMENTATION = r"""
options:
  url:
    description:
      - The SIP2SIP settings page, V(https://enrollment.sipthor.net/settings.phtml) when not set.
      - A URL without a C(.phtml) page gets C(/settings.phtml) appended.
      - If not set, the environment variable E(SIP2SIP_URL) is used.
    type: str
  account:
    description:
      - The SIP address of the account, V(user@domain), for example V(alice@sip2sip.info).
      - Every SIP2SIP account is its own login. The module logs in with HTTP Digest as the
        lower-case user part and sends the domain as the C(realm) parameter, the only form the
        platform accepts once the account has a web password.
      - With C(items) (modules that take several accounts), each entry names its own account.
      - If not set, the environment variable E(SIP2SIP_ACCOUNT) is used.
    type: str
  password:
    description:
      - The account's web password when one is set on the account (it then replaces the SIP
        password for this API), else its SIP password.
      - If not set, the environment variable E(SIP2SIP_PASSWORD) is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - If not set, the environment variable E(SIP2SIP_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM) to verify the server certificate with.
      - If not set, the environment variable E(SIP2SIP_CA_PATH) is used.
    type: path
  timeout:
    description:
      - Seconds to wait for one answer.
      - If not set, the environment variable E(SIP2SIP_TIMEOUT) is used.
    type: float
    default: 60
  retries:
    description:
      - How often a failed read is retried (connection errors, HTTP 429/502/503/504), with
        exponential backoff. Changes are sent as form POSTs and never repeated after an answer
        was lost (the platform does not de-duplicate; the task fails and says so).
      - If not set, the environment variable E(SIP2SIP_RETRIES) is used.
    type: int
    default: 3
  workers:
    description:
      - With C(items) (modules that take several accounts), how many accounts are worked on at once. Each account is its own login
        with its own connection; the requests of one account go one after the other.
      - If not set, the environment variable E(SIP2SIP_WORKERS) is used.
    type: int
    default: 4
notes:
  - All SIP2SIP modules belong to the action group C(voip.provisioning.sip2sip), so
    C(module_defaults) with C(group/voip.provisioning.sip2sip) sets the connection once.
  - The platform answers every call with HTTP 200, errors included; the modules read the body
    (C(success), HTML error fragments, debug text before the JSON) and fail with the server's
    own message. Basic authentication is never accepted by the platform; the modules use Digest.
  - With a local connection the module runs in-process on the controller through its action
    plugin; with any other connection it runs on the target host.
requirements:
  - requests
"""

    ACTION_GROUP = r"""
attributes:
  action_group:
    description: Use C(group/voip.provisioning.sip2sip) in C(module_defaults) to set the connection options.
    support: full
    membership:
      - voip.provisioning.sip2sip
"""
