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

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.module_utils.vtx import timestamps
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.connection import argument_spec, run_with_api
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import (
    DIRECTORY_OPTIONS, Directory, UserResolver,
)


def flatten(entry, raw):
    current = raw.get("current") or {}
    modified = current.get("modifiedOn")
    try:
        modified = timestamps.render(timestamps.parse(modified, "modifiedOn")) if modified else None
    except ValueError:
        pass
    states = dict((k, v) for k, v in raw.items() if k not in ("userId", "domainId"))
    return {
        "user_id": entry["user_id"], "login_name": entry.get("login_name"), "number": entry.get("number"),
        "domain_id": raw.get("domainId"), "activity": current.get("activity"),
        "enhanced_activity": current.get("enhancedActivity"), "modified_on": modified, "states": states,
    }


def run(options, ctx):
    directory = Directory.from_options(options)
    references = options.get("users")
    if references is None:
        references = [entry["user_id"] for entry in directory.entries]
        if not references:
            raise InputError("users: name the users, or set directory to read every user of it")

    def work(api):
        resolver = UserResolver(api, directory, ctx)
        # The presence read is the check that the user exists: one request per user.
        entries = [resolver.resolve(reference, "users", verify=False) for reference in references]

        def read(entry):
            try:
                return api.presence(entry["user_id"])
            except ApiError as exc:
                raise resolver.unknown(entry, "users", exc)

        with ThreadPoolExecutor(max_workers=max(1, min(options.get("workers", 2), len(entries) or 1))) as pool:
            answers = list(pool.map(read, entries))
        known = [dict(entry, **dict((k, v) for k, v in (directory.entry(entry["user_id"]) or {}).items() if v)) for entry in entries]
        return {"changed": False, "presence": [flatten(entry, raw) for entry, raw in zip(known, answers)]}

    return run_with_api(options, ctx, work)


MODULE = ModuleSpec(argument_spec(users=dict(type="list", elements="str"), **DIRECTORY_OPTIONS), run)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
