#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xc5_route
short_description: Manage the routes (what happens to calls) of an XC5-XS account
version_added: 0.2.0
description:
  - Manages the routes of an XC5-XS account (C(/api-sys/account/{acct}/route)) - the steps a call to
    the account goes through, by O(entries[].order) - voicemail diverts, hunt group members, IVR menus with
    digit maps and time definitions, prompts.
  - "The API appends a new route on every create and has no key: routes are matched by O(match_by)
    (default: O(entries[].order) and O(entries[].menu_level), so menus sharing order V(-8) are told apart
    by their level), changed in place, and created under a client-chosen guid so that a create whose answer
    was lost is never duplicated."
  - A second identical run only reads (one listing of the account's routes).
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.xc5_connection
  - voip.provisioning.attributes
  - voip.provisioning.xc5_connection.GROUP
  - voip.provisioning.bulk
options:
  account:
    description:
      - The account whose routes these are, by name or guid. Required unless O(items) is given.
    type: str
  entries:
    description:
      - The routes the account should have. An entry is matched to an existing one by the fields of
        O(match_by); a match that differs in other fields is changed in place (one C(PATCH)), a missing one
        is created.
    type: list
    elements: dict
    suboptions:
      order:
        description:
          - When the step runs - routes run in ascending order. V(0) rings the account's own devices, negative
            orders run before (vendor convention - menus V(-8), recording V(-12)), positive after (hunt members
            V(100), V(101), voicemail V(200)). Several routes may share an order.
        type: int
        required: true
      menu_level:
        description: The IVR menu number this route is (V(1) the entry menu; V(0) or unset - not a menu).
        type: int
      destination:
        description:
          - Where to send the call - an account name, V(email:<address>) (voicemail to e-mail),
            V(conference:<room>) or a number.
        type: str
      username:
        description: The account to ring (with O(entries[].hunt_user), a hunt group member); must exist.
        type: str
      hunt_user:
        description: A sequential hunt member - rung only when not busy, its own routes not applied.
        type: bool
      ring_seconds:
        description: Seconds to ring in this step.
        type: int
      digit_map:
        description:
          - DTMF map of a menu, comma-separated V(key=action) - V(#n) jumps to menu n, V(T) is the timeout,
            a whole PIN may map to a destination (V(5666=conference:6499290085)). Checked before any request.
        type: str
      time_definition:
        description:
          - When the route applies, for example V(nz_holidays,!Mon-Thur 08:30-17:00) - calendar names and
            day/time ranges, V(!) negates. Checked before any request.
        type: str
      prompt:
        description:
          - The prompt to play - a prompt guid, or the description of one of the account's prompts
            (see M(voip.provisioning.xc5_prompt)); the API's C(promptguid).
        type: str
  match_by:
    description:
      - The fields that identify an entry (the API has no key of its own). Unset fields count as the
        server's defaults (V(0), V(false), empty).
    type: list
    elements: str
    choices: [order, menu_level, destination, username, hunt_user, ring_seconds, digit_map, time_definition, prompt]
    default: [order, menu_level]
  exclusive:
    description:
      - Delete the account's own routes that O(entries) does not list. Entries the account inherits from
        its parent are not its own and are never deleted.
    type: bool
    default: false
  state:
    description:
      - V(present) creates and changes the listed entries; V(absent) deletes the listed entries (all of the
        account's own routes when O(entries) is not given).
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - Several accounts in one task, each entry with the options above; an option an entry does not set is
        taken from the task.
    type: list
    elements: dict
    suboptions:
      account:
        description: The account.
        type: str
      entries:
        description: The routes, as O(entries).
        type: list
        elements: dict
        suboptions:
          order:
            description: When the step runs.
            type: int
            required: true
          menu_level:
            description: The IVR menu number this route is (V(1) the entry menu.
            type: int
          destination:
            description: Where to send the call.
            type: str
          username:
            description: The account to ring (with O(entries[].hunt_user), a hunt group member).
            type: str
          hunt_user:
            description: A sequential hunt member.
            type: bool
          ring_seconds:
            description: Seconds to ring in this step.
            type: int
          digit_map:
            description: DTMF map of a menu, comma-separated V(key=action).
            type: str
          time_definition:
            description: When the route applies, for example V(nz_holidays,!Mon-Thur 08:30-17:00).
            type: str
          prompt:
            description: The prompt to play.
            type: str
      match_by:
        description: As O(match_by).
        type: list
        elements: str
        choices: [order, menu_level, destination, username, hunt_user, ring_seconds, digit_map, time_definition, prompt]
      exclusive:
        description: As O(exclusive).
        type: bool
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
seealso:
  - module: voip.provisioning.xc5_account
"""

EXAMPLES = r"""
- name: Connection once for all XC5 tasks
  module_defaults:
    group/voip.provisioning.xc5:
      url: https://xc5.example.net
      username: x.co.nz
      password: "{{ xc5_password }}"
  block:
    - name: Reception - voicemail to e-mail after ringing
      voip.provisioning.xc5_route:
        account: reception@acmebrick.x.co.nz
        entries:
          - order: 200
            destination: email:reception@acmebrick.x.co.nz

    - name: Hunt group with an after-hours menu, exactly these routes
      voip.provisioning.xc5_route:
        account: main_entry@acmebrick.x.co.nz
        exclusive: true
        entries:
          - {order: -8, menu_level: 1, time_definition: "nz_holidays,!Mon-Thur 08:30-17:00",
             digit_map: "1=#3,5=#2,T=#3", prompt: After Hours Menu}
          - {order: -8, menu_level: 2, username: blast@acmebrick.x.co.nz}
          - {order: -8, menu_level: 3, destination: "email:dave@dcom.co.nz", prompt: MyMessageGreeting}
          - {order: 100, username: reception@acmebrick.x.co.nz, hunt_user: true, ring_seconds: 10}
          - {order: 101, username: sales@acmebrick.x.co.nz, hunt_user: true, ring_seconds: 10}
          - {order: 200, destination: "email:reception@acmebrick.x.co.nz", prompt: MyMessageGreeting}
"""

RETURN = r"""
routes:
  description: The account's own routes after the task, each as the module compares it (with its C(guid)).
  returned: always (for one account)
  type: list
  elements: dict
diff:
  description: The routes before and after (C(entries)), when run with C(--diff).
  returned: when diff mode is on
  type: dict
results:
  description: One result per entry of O(items), each with C(changed), C(routes), C(item) and, on error, C(failed) and C(msg).
  returned: when O(items) is given
  type: list
  elements: dict
summary:
  description: Counts of the O(items) results.
  returned: when O(items) is given
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

from ansible_collections.voip.provisioning.plugins.module_utils.xc5.connection import xc5_module
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.entries import Route

MODULE = xc5_module(Route, mutually_exclusive=[("account", "items")], required_one_of=[("account", "items")])


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
