#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vtx_user_feature
short_description: Set or reset the call forwards and DND of VTX users
version_added: 0.2.0
description:
  - Sets one feature of a VTX VoIP OpenAPI user - do-not-disturb (V(DND)) or a call forward
    (V(CFU) unconditional, V(CFB) on busy, V(CFNR) on no reply, V(CFNL) when not logged in) - or,
    with O(state=absent), resets it to the platform's default (inactive, no destination, scope
    V(ALL), ring timeout 20 s).
  - Many users and features in one task with O(items); they run concurrently (O(workers)).
  - Idempotent - only the fields the task sets are compared, and only a feature that differs is
    written (one C(PUT) of the whole feature). A second identical run sends no write.
  - Users are named by login name, number or id and resolved through O(directory).
  - B(Assumed API) - the feature paths (C(/v1/users/{id}/features/{type})), the type names and the
    fields are not public (the swagger is IP-restricted); they follow the collection's VTX
    specification and sit in one adapter (C(plugins/module_utils/vtx/api.py)) to be corrected in one place.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.vtx_connection
  - voip.provisioning.vtx_connection.DIRECTORY
  - voip.provisioning.attributes
  - voip.provisioning.vtx_connection.GROUP
  - voip.provisioning.bulk
options:
  user:
    description:
      - The user - a login name (V(+41225662194@m.ipvoip.ch)), a number (V(+41225662194), quoted in
        YAML) or a numeric user id (V(176125)); see O(directory).
      - Required unless O(items) is given.
    type: str
  type:
    description:
      - The feature.
      - Required unless O(items) is given.
    type: str
    choices: [DND, CFU, CFB, CFNR, CFNL]
  active:
    description: Whether the feature is on.
    type: bool
  destination:
    description:
      - Where a forward goes - an E.164 number (V(+41791234567)), a national number (V(0791234567))
        or an extension (V(201)); digits only, stored and compared as given.
      - Quote numbers in YAML - an unquoted V(+41791234567) is read as an integer and loses its C(+).
      - Required to activate a forward that has none yet. Not for V(DND).
    type: str
  scope:
    description:
      - Which calls a forward applies to. Not for V(DND).
    type: str
    choices: [ALL, EXTERNAL, INTERNAL]
  ring_timeout:
    description:
      - Seconds to ring before V(CFNR) forwards (5 to 120). Only for V(CFNR).
    type: int
  state:
    description:
      - V(present) sets the fields given; V(absent) resets the feature to the platform's default.
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - Many features in one task; each entry takes O(user), O(type), O(active), O(destination),
        O(scope), O(ring_timeout) and O(state). What an entry leaves out, it takes from the task.
      - The result then has RV(results) (one per entry, in order) and RV(summary).
    type: list
    elements: dict
    suboptions:
      user:
        description: As O(user).
        type: str
        required: true
      type:
        description: As O(type).
        type: str
        required: true
        choices: [DND, CFU, CFB, CFNR, CFNL]
      active:
        description: As O(active).
        type: bool
      destination:
        description: As O(destination).
        type: str
      scope:
        description: As O(scope).
        type: str
        choices: [ALL, EXTERNAL, INTERNAL]
      ring_timeout:
        description: As O(ring_timeout).
        type: int
      state:
        description: As O(state); an entry without it takes the task's O(state).
        type: str
        choices: [present, absent]
notes:
  - Bad input - an unknown user, a malformed number, a ring timeout out of range, a field the
    feature does not have, activating a forward without a destination - fails naming the field
    before that feature is written.
seealso:
  - module: voip.provisioning.vtx_server_info
  - module: voip.provisioning.vtx_presence_info
"""

EXAMPLES = r"""
- name: Connection and directory once for every VTX task
  module_defaults:
    group/voip.provisioning.vtx:
      username: openapi@291908.bus.ent
      password: "{{ vtx_password }}"
      service_psk: "{{ vtx_service_psk }}"
      directory: "{{ vtx_directory }}"   # [{login_name: ..., number: ..., user_id: ...}, ...]
  block:
    - name: Forward external calls of the reception to a mobile
      voip.provisioning.vtx_user_feature:
        user: "+41225662194"
        type: CFU
        active: true
        destination: "+41791234567"
        scope: EXTERNAL

    - name: Night service for several users in one task
      voip.provisioning.vtx_user_feature:
        items:
          - {user: "+41225662195@m.ipvoip.ch", type: DND, active: true}
          - {user: "+41225662196", type: CFNR, active: true, destination: "201", ring_timeout: 30}

    - name: Check-out - back to the defaults
      voip.provisioning.vtx_user_feature:
        user: "+41225662194"
        type: CFU
        state: absent

    - name: Check-out of a hotel room - every feature of the user reset, one task
      voip.provisioning.vtx_user_feature:
        state: absent
        items:
          - {user: "+41225662197", type: DND}
          - {user: "+41225662197", type: CFU}
          - {user: "+41225662197", type: CFB}
          - {user: "+41225662197", type: CFNR}
          - {user: "+41225662197", type: CFNL}
"""

RETURN = r"""
feature:
  description: The feature as the platform holds it after the task (in check mode, as it was), with the user's id.
  returned: success, without O(items)
  type: dict
  sample: {"type": "CFU", "active": true, "destination": "+41791234567", "scope": "EXTERNAL", "userId": 176125}
diff:
  description: The compared fields before and after (with O(ignore:--diff)).
  returned: when diff mode is on, without O(items)
  type: dict
  sample: {"before": {"active": false, "destination": null, "scope": "ALL"}, "after": {"active": true, "destination": "+41791234567", "scope": "EXTERNAL"}}
results:
  description: One result per entry of O(items), in order, each with C(changed), C(feature), C(item) and, on failure, C(failed) and C(msg).
  returned: with O(items)
  type: list
  elements: dict
summary:
  description: Counts of the entries of O(items) - C(total), C(changed), C(failed).
  returned: with O(items)
  type: dict
  sample: {"total": 2, "changed": 1, "failed": 0}
  contains:
    total:
      description: The number of entries in O(items).
      returned: always
      type: int
      sample: 2
    changed:
      description: The entries that changed (in check mode, that would change).
      returned: always
      type: int
      sample: 1
    failed:
      description: The entries that failed, invalid ones included.
      returned: always
      type: int
      sample: 0
    not_applied:
      description:
        - "The valid entries that were not applied because invalid entries stopped the task before
          any request (O(continue_on_error=false), the default); each of them is in RV(results) with
          C(changed=null) and the message C(not applied: item N (...) is invalid)."
        - It is then C(total) minus C(failed).
      returned: when invalid entries stopped the task; never with O(continue_on_error=true), which applies the valid entries
      type: int
      sample: 1
"""

from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.connection import argument_spec, run_task
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import DIRECTORY_OPTIONS
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.features import FIELDS, UserFeature


def run(options, ctx):
    return run_task(UserFeature, options, ctx)


MODULE = ModuleSpec(
    argument_spec(**dict(FIELDS.argument_spec(items=True), **DIRECTORY_OPTIONS)), run,
    required_one_of=[["user", "items"]],
    required_together=[["user", "type"]],
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
