#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vtx_cdr_info
short_description: Read the call logs (CDRs) of VTX users or of the whole enterprise
version_added: 0.2.0
description:
  - Reads the call logs of the VTX VoIP OpenAPI per user (O(users)) or for the whole enterprise
    (O(enterprise)) over a time range, every page (the platform returns at most C(bulkLimitCommon)
    per page).
  - The platform writes timestamps in four styles (C(2024-09-29T00:00:00Z),
    C(2024-09-27T17:21:42.272678+02:00), C(2024-09-27T08:43:43.76913Z), C(2024-05-28T17:21:44+0200));
    each call log gets RV(call_logs[].call_start) in one style (UTC, milliseconds) next to the
    platform's own C(callStart), and the list is ordered newest first by that instant.
  - C(status) is an undocumented platform code (804 was seen for a completed call); it is passed
    through untouched, not mapped to answered or missed.
  - B(Assumed API) - the call-log paths (C(/v1/users/{id}/callLogs), C(/v1/domains/{id}/callLogs)) and
    their C(from)/C(to)/C(limit)/C(offset) parameters are not public; they sit in one adapter
    (C(plugins/module_utils/vtx/api.py)) to be corrected in one place.
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
      - The users whose call logs to read - login names, numbers or user ids (see O(directory)).
      - One of O(users) and O(enterprise) is required.
    type: list
    elements: str
  enterprise:
    description:
      - Read the call logs of the whole enterprise (every user, also those not in the directory).
      - The enterprise's id is O(domain_id), else learnt from the presence of the first directory user.
    type: bool
  domain_id:
    description: The enterprise's numeric id (the platform's domain id), for O(enterprise).
    type: int
  since:
    description:
      - Only calls that started at or after this instant - ISO 8601 with an offset, in any of the
        platform's styles (V(2024-09-27T00:00:00Z), V(2024-09-27T02:00:00+02:00)).
    type: str
  until:
    description: Only calls that started before this instant (same forms as O(since)).
    type: str
  limit:
    description: At most this many call logs (the newest); not set means all.
    type: int
notes:
  - Runs in check mode like in normal mode, since it only reads.
seealso:
  - module: voip.provisioning.vtx_subscription
    description: Have call logs pushed as calls end instead of polling.
"""

EXAMPLES = r"""
- name: Yesterday's calls of two users
  voip.provisioning.vtx_cdr_info:
    users: ["+41225662194", "+41225662195@m.ipvoip.ch"]
    since: "{{ '%Y-%m-%dT00:00:00Z' | strftime(ansible_date_time.epoch | int - 86400) }}"
    until: "{{ '%Y-%m-%dT00:00:00Z' | strftime }}"
  register: cdrs

- name: The enterprise's last 500 calls
  voip.provisioning.vtx_cdr_info:
    enterprise: true
    limit: 500
  register: latest

- name: Missed inbound calls (zero duration) of the range
  ansible.builtin.debug:
    msg: "{{ cdrs.call_logs | selectattr('direction', 'eq', 'INCOMING') | selectattr('duration', 'eq', 0) | list }}"
"""

RETURN = r"""
call_logs:
  description: The call logs, newest first, as the platform returns them plus the fields below.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The call log's id (UUID).
      type: str
    userId:
      description: The user's id.
      type: int
    callStart:
      description: The start as the platform wrote it (any of its four styles).
      type: str
    call_start:
      description: The start in UTC, C(YYYY-MM-DDTHH:MM:SS.mmmZ).
      type: str
      sample: "2024-09-27T15:26:45.000Z"
    duration:
      description: Seconds.
      type: int
    direction:
      description: C(OUTGOING) or C(INCOMING).
      type: str
    callType:
      description: C(VOICE) (an open list).
      type: str
    status:
      description: The platform's undocumented call status code.
      type: int
    callPartyNumber:
      description: The other party, E.164.
      type: str
    callPartyDialNumber:
      description: What was dialled or presented.
      type: str
    login_name:
      description: The user's login name from the directory (null when the directory lacks the user).
      type: str
    number:
      description: The user's number from the directory (null when the directory lacks the user).
      type: str
  sample:
    - id: 741f1e6a-8fb1-441e-9e0c-e57c68246d5d
      userId: 176129
      callStart: "2024-09-27T15:26:45Z"
      call_start: "2024-09-27T15:26:45.000Z"
      duration: 7
      direction: OUTGOING
      callType: VOICE
      status: 804
      callPartyNumber: "+41225117902"
      callPartyDialNumber: "0225117902"
      login_name: "+41225662195@m.ipvoip.ch"
      number: "+41225662195"
count:
  description: How many call logs were returned.
  returned: success
  type: int
complete:
  description: False when O(limit) cut the list short.
  returned: success
  type: bool
"""

from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.calllogs import read_call_logs
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.connection import argument_spec
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import DIRECTORY_OPTIONS


def run(options, ctx):
    return read_call_logs(options, ctx)


MODULE = ModuleSpec(
    argument_spec(
        users=dict(type="list", elements="str"),
        enterprise=dict(type="bool"),
        domain_id=dict(type="int"),
        since=dict(type="str"),
        until=dict(type="str"),
        limit=dict(type="int"),
        **DIRECTORY_OPTIONS
    ),
    run,
    mutually_exclusive=[["users", "enterprise"]],
    required_one_of=[["users", "enterprise"]],
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
