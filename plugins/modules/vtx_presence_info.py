#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vtx_presence_info
short_description: Read the presence of VTX users
version_added: 0.2.0
description:
  - Reads C(GET /v1/users/{id}/presence) of the VTX VoIP OpenAPI for each user named, or for every
    user of the directory, O(workers) at a time.
  - Returns the effective state (C(current)) flattened next to the platform's four states
    (C(current), C(c5), C(lastC5), C(thirdParty)); C(modifiedOn) is given in UTC in one style.
  - C(activity) and C(enhancedActivity) are open lists (C(ONLINE), C(UNKNOWN), C(IN_A_CALL), C(NONE)
    were seen); values are passed through.
  - The platform has no presence push; to react to changes, poll with the C(vtx_presence) event source
    rather than running this module in a tight loop.
  - Never changes anything.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.vtx_connection
  - voip.provisioning.vtx_connection.DIRECTORY
  - voip.provisioning.attributes.INFO_MODULE
  - voip.provisioning.vtx_connection.GROUP
options:
  users:
    description:
      - The users - login names, numbers or user ids (see O(directory)).
      - Not set means every user of the directory.
    type: list
    elements: str
notes:
  - Runs in check mode like in normal mode, since it only reads.
seealso:
  - module: voip.provisioning.vtx_cdr_info
"""

EXAMPLES = r"""
- name: Who is on the phone?
  voip.provisioning.vtx_presence_info:
  register: presence

- name: Users in a call
  ansible.builtin.debug:
    msg: "{{ presence.presence | selectattr('enhanced_activity', 'eq', 'IN_A_CALL') | map(attribute='login_name') | list }}"
"""

RETURN = r"""
presence:
  description: One entry per user, in the order named (directory order without O(users)).
  returned: success
  type: list
  elements: dict
  contains:
    user_id:
      description: The user's id.
      type: int
    login_name:
      description: The login name (from the directory; null when unknown).
      type: str
    number:
      description: The number (from the directory; null when unknown).
      type: str
    domain_id:
      description: The enterprise (domain) id the platform reports.
      type: int
    activity:
      description: C(current.activity).
      type: str
    enhanced_activity:
      description: C(current.enhancedActivity).
      type: str
    modified_on:
      description: C(current.modifiedOn) in UTC (null when the platform sends none).
      type: str
    states:
      description: The platform's answer without C(userId)/C(domainId) - C(current), C(c5), C(lastC5), C(thirdParty).
      type: dict
  sample:
    - user_id: 176125
      login_name: "+41225662194@m.ipvoip.ch"
      number: "+41225662194"
      domain_id: 16317
      activity: ONLINE
      enhanced_activity: IN_A_CALL
      modified_on: "2024-11-04T13:17:49.457Z"
      states:
        current: {activity: ONLINE, enhancedActivity: IN_A_CALL, modifiedOn: "2024-11-04T14:17:49.457+01:00"}
        c5: {activity: ONLINE, enhancedActivity: IN_A_CALL, modifiedOn: "2024-11-04T14:17:49.457+01:00"}
        lastC5: {activity: ONLINE, enhancedActivity: NONE, modifiedOn: "2024-11-04T14:02:03.389+01:00"}
        thirdParty: {activity: UNKNOWN, enhancedActivity: NONE}
"""

from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.connection import argument_spec
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import DIRECTORY_OPTIONS
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.presence import read_presence


def run(options, ctx):
    return read_presence(options, ctx)


MODULE = ModuleSpec(argument_spec(users=dict(type="list", elements="str"), **DIRECTORY_OPTIONS), run)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
