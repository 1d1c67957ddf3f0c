# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection options of every VTX VoIP OpenAPI module.  Each has an environment
    # fallback with a flat name, so an AWX / AAP custom credential type can inject it.
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the VTX VoIP OpenAPI; requests go to C(<url>/v1/...).
      - If not set, the environment variable E(VTX_URL) is used, else the production URL.
      - The API only answers allow-listed source addresses (Swiss and French IPs by default);
        from elsewhere connections time out or are reset.
    type: str
    default: https://api.ipvoip.ch/openapi
  username:
    description:
      - The enterprise's API login for HTTP Basic authentication, for example
        V(openapi@291908.bus.ent) (issued by VTX support; an C(ENTERPRISE_ADMIN) of one enterprise).
      - If not set, the environment variable E(VTX_USERNAME) is used.
    type: str
  password:
    description:
      - Password of O(username).
      - If not set, the environment variable E(VTX_PASSWORD) is used.
    type: str
  service_psk:
    description:
      - The "Service PSK" VTX support issues, sent as the C(X-C5-Application) header with every
        request. A secret like the password (never logged). It is not the C(applicationId) the
        platform shows on subscriptions.
      - If not set, the environment variable E(VTX_SERVICE_PSK) is used.
    type: str
  auth_method:
    description:
      - How the modules authenticate; the platform offers HTTP Basic plus O(service_psk) only.
      - If not set, the environment variable E(VTX_AUTH_METHOD) is used.
    type: str
    choices: [basic]
    default: basic
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - If not set, the environment variable E(VTX_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM) to verify the server certificate with.
      - If not set, the environment variable E(VTX_CA_PATH) is used.
    type: path
  timeout:
    description:
      - Seconds to wait for one answer.
      - If not set, the environment variable E(VTX_TIMEOUT) is used.
    type: float
    default: 120
  retries:
    description:
      - How often a read, or a write that cannot have been applied, is sent again after a
        connection error or HTTP 429/502/503/504 (with backoff). A create is never repeated blindly.
      - If not set, the environment variable E(VTX_RETRIES) is used.
    type: int
    default: 3
  workers:
    description:
      - The most requests in flight at once (with O(ignore:items) many items run concurrently).
      - If not set, the environment variable E(VTX_WORKERS) is used.
    type: int
    default: 2
"""

    # The users directory: how modules that name users resolve them to ids.
    DIRECTORY = r"""
options:
  directory:
    description:
      - The enterprise's users as VTX support lists them, one entry per user. The platform can
        neither list an enterprise's users nor turn a login name or a number into the numeric
        user id its URLs need, so the modules take this table and let tasks name users by login
        name, number or id.
      - Usually set once for all VTX tasks with C(module_defaults) and an inventory variable.
      - A user reference is resolved so, never guessed - digits only are a user id; C(+) and
        digits are an E.164 number, looked up here; C(name@domain) is a login name, looked up
        here, else asked of the platform when it supports login names (version 7.8 and later).
      - Every id is checked once per task with C(GET /users/{id}/presence); an id the platform
        does not know, or one of another enterprise, fails naming the field.
    type: list
    elements: dict
    suboptions:
      user_id:
        description: The platform's numeric user id.
        type: int
        required: true
      login_name:
        description: The login name, for example V(+41225662194@m.ipvoip.ch).
        type: str
      number:
        description:
          - The user's number in E.164 form, for example V(+41225662194).
          - Defaults to the user part of O(directory[].login_name) when that is a number.
        type: str
  directory_file:
    description:
      - A JSON or YAML file with more directory entries (a list, or a mapping holding one list),
        read on the host the module runs on. Entries of O(directory) and of this file are merged;
        a user id, number or login name declared twice with different values is an error.
    type: path
"""

    GROUP = r"""
attributes:
  action_group:
    description: Use C(group/voip.provisioning.vtx) in C(module_defaults) to set the connection options and the directory.
    support: full
    membership:
      - voip.provisioning.vtx
"""
