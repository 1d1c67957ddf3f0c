#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xc5_info
short_description: Read any path of the XC5-XS /api-sys/ API, or its documentation
version_added: 0.2.0
description:
  - Reads C(GET /api-sys/<path>) with optional C(filter) and other query parameters and returns the records
    (the API always answers an array), or with O(documentation) the path's C(OPTIONS) self-documentation -
    its description, methods and fields (the live server's field list is the reference; the vendor's public
    documentation is incomplete).
  - Account passwords and mailbox PINs are masked unless O(show_secrets) is set.
  - Never changes anything.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.xc5_connection
  - voip.provisioning.attributes.INFO_MODULE
  - voip.provisioning.xc5_connection.GROUP
options:
  path:
    description:
      - The path below C(/api-sys/), for example V(account), V(account/acmebrick.x.co.nz/child),
        V(account/reception@acmebrick.x.co.nz/route), V(location), V(hydraaccount/6499878037). A leading
        C(/api-sys/) is accepted. Empty reads the API index.
      - For O(documentation), use V(*) in place of an account or guid, for example V(account/*/number).
    type: str
    default: ""
  filter:
    description:
      - "The API's C(filter) - a SQL C(LIKE) pattern (C(%) any run, C(_) any one character; write C([_]) for a
        literal underscore), on account names, pool numbers (C(numberallocate)) or location names."
    type: str
  query:
    description: "More query parameters, for example V({horizontal: true}) or V({dump-config: true})."
    type: dict
  documentation:
    description: Return the path's C(OPTIONS) documentation instead of reading it.
    type: bool
    default: false
  show_secrets:
    description: Return account passwords and mailbox PINs in clear (use C(no_log) on the task).
    type: bool
    default: false
seealso:
  - module: voip.provisioning.xc5_account
"""

EXAMPLES = r"""
- name: Free numbers ending in 88
  voip.provisioning.xc5_info:
    path: account/reception@acmebrick.x.co.nz/numberallocate
    filter: "%88"
  register: free

- name: Locations for call blocking
  voip.provisioning.xc5_info:
    path: location
    filter: "<CallR%"

- name: What the live server documents for numbers
  voip.provisioning.xc5_info:
    path: account/*/number
    documentation: true

- name: Everything an account has and inherits
  voip.provisioning.xc5_info:
    path: account/reception@acmebrick.x.co.nz
    query:
      dump-config: true
"""

RETURN = r"""
path:
  description: The request path.
  returned: always
  type: str
  sample: /api-sys/location
records:
  description: The records the API returned (secrets masked unless O(show_secrets)).
  returned: unless O(documentation)
  type: list
  elements: dict
  sample: [{"guid": "23EBDD6F-4BFF-5A6C-9736-5547E409D68D", "name": "<CallRule-International>"}]
documentation:
  description: The path's C(OPTIONS) answer - description, methods and fields with their types.
  returned: when O(documentation)
  type: dict
  sample: {"description": "Manage account phonenumbers", "methods": ["GET", "PUT", "PATCH", "DELETE", "OPTIONS"],
           "fields": {"number": {"type": "string", "description": "The e.164 phone number."}}}
"""

from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.connection import argument_spec
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.info import run_info

MODULE = ModuleSpec(
    argument_spec=argument_spec(
        path=dict(type="str", default=""),
        filter=dict(type="str"),
        query=dict(type="dict"),
        documentation=dict(type="bool", default=False),
        show_secrets=dict(type="bool", default=False),
    ),
    run_function=run_info,
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
