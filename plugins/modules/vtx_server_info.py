#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vtx_server_info
short_description: Check the connection to the VTX VoIP OpenAPI and read the platform version
version_added: 0.2.0
description:
  - Reads C(GET /v1/system/server) of the VTX VoIP OpenAPI (a C5 platform of TELES/Communi5, unrelated to
    Sipwise C5) - the cheapest call that proves the URL, the source-IP allow-list, the Basic credentials and
    the C(X-C5-Application) PSK are right.
  - Returns the build version and what it means for the other modules (users addressable by login name from
    7.8 on) and the page size of listings (C(bulkLimitCommon)).
  - With O(check_directory), also checks that every user id of the O(directory) exists on the platform and
    belongs to the API login's enterprise.
  - Never changes anything.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.vtx_connection
  - voip.provisioning.vtx_connection.DIRECTORY
  - voip.provisioning.attributes.INFO_MODULE
  - voip.provisioning.vtx_connection.GROUP
options:
  check_directory:
    description:
      - Check every entry of O(directory) and O(directory_file) against the platform (one
        C(GET /v1/users/{id}/presence) each); the task fails naming the first entry the platform does not know.
    type: bool
    default: false
notes:
  - Runs in check mode like in normal mode, since it only reads.
seealso:
  - module: voip.provisioning.vtx_user_feature
  - module: voip.provisioning.vtx_subscription
"""

EXAMPLES = r"""
- name: Check the connection and credentials
  voip.provisioning.vtx_server_info:
    username: openapi@291908.bus.ent
    password: "{{ vtx_password }}"
    service_psk: "{{ vtx_service_psk }}"
  register: vtx

- name: Connection and directory once for every VTX task
  module_defaults:
    group/voip.provisioning.vtx:
      username: openapi@291908.bus.ent
      password: "{{ vtx_password }}"
      service_psk: "{{ vtx_service_psk }}"
      directory: "{{ vtx_directory }}"
  block:
    - name: Check that every directory entry exists on the platform
      voip.provisioning.vtx_server_info:
        check_directory: true
"""

RETURN = r"""
server:
  description: The platform's answer, unchanged.
  returned: success
  type: dict
  sample:
    buildCustomer: Release
    buildVersion: 7.7.2.12
    buildNumber: "1"
    buildDate: "2024-05-28T17:21:44+0200"
    bulkLimitCommon: 100
    bulkLimitAddUser: 100
    bulkLimitAddAddressBookEntry: 1000
version:
  description: C(buildVersion) as a list of integers, for comparisons.
  returned: success
  type: list
  elements: int
  sample: [7, 7, 2, 12]
build_date:
  description: C(buildDate) in UTC, in the one timestamp style this collection returns.
  returned: success
  type: str
  sample: "2024-05-28T15:21:44.000Z"
login_names_supported:
  description: Whether users can be addressed by login name in URLs (platform 7.8 and later).
  returned: success
  type: bool
  sample: false
page_size:
  description: The most items a listing returns per page (C(bulkLimitCommon)).
  returned: success
  type: int
  sample: 100
directory_users:
  description: How many users the directory declares.
  returned: success
  type: int
  sample: 4
directory_checked:
  description: Whether every directory entry was checked against the platform (O(check_directory)).
  returned: success
  type: bool
  sample: true
"""

from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.connection import argument_spec
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import DIRECTORY_OPTIONS
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.server import read_server


def run(options, ctx):
    return read_server(options, ctx)


MODULE = ModuleSpec(argument_spec(check_directory=dict(type="bool", default=False), **DIRECTORY_OPTIONS), run)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
