#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xc5_account
short_description: Manage accounts of an XC5-XS soft-switch
version_added: 0.2.0
description:
  - Creates, updates or deletes an account of the XC5-XS C(/api-sys/) API - an organisation (a virtual
    PBX such as V(acmebrick.x.co.nz)), a user (V(reception@acmebrick.x.co.nz)), a hunt group, a blast
    group or any other account.
  - An account is found by its name, compared case-insensitively as the API does. A child account is
    created under its O(parent) and inherits the parent's virtual PBX features (call rules, pickup group,
    menus, recording); leave a field unset to keep inheriting it.
  - Only the fields the task sets are compared, and only those that differ are sent, in one C(PATCH).
  - The server generates a password for every new account. Give O(account_password) to set a known one
    (needed to provision a phone); it is compared with the one the server shows and masked in results
    and diffs.
  - Names starting with C(_) are the platform's own accounts (C(_unassigned.pool), C(_carrier.*), ...);
    the module refuses them unless O(allow_reserved) is set.
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
      - The account name (also the SIP authentication user name). Required unless O(items) is given.
    type: str
    aliases: [name]
  parent:
    description:
      - The parent account by name. Required to create a child account; unset creates a top-level account
        (a partitioned API login can only create below its own account).
      - Setting a different parent on an existing account moves it.
    type: str
  description:
    description: Free text.
    type: str
  enabled:
    description: Whether the account is active.
    type: bool
  pin_reference:
    description: Ask for a billing reference on every call (stored in the CDR).
    type: bool
  dnd:
    description: Do not disturb - behave as unregistered and go to the diversions.
    type: bool
  private:
    description: Present all outgoing calls as private.
    type: bool
  block_privacy:
    description: Reject private (anonymous) callers.
    type: bool
  callerid:
    description: Present caller details to this user.
    type: bool
  cfna_duration:
    description: Seconds to ring the account's devices before its diversions (the no-answer timer).
    type: int
  trunking:
    description: SIP trunking (the DDI in the request line may vary).
    type: bool
  concurrent_call_limit:
    description: The most concurrent calls; V(0) means no limit.
    type: int
  pickup_group:
    description:
      - The call pickup group name. Set it on the organisation to let all its users pick up each
        other's calls (inherited), or on single users.
    type: str
  account_password:
    description:
      - The account's SIP and API password. Unset keeps the password the server generated.
      - Compared with the password the server shows, so a change is detected and written.
    type: str
  update_password:
    description:
      - For servers that do not show passwords - V(on_create) sets O(account_password) only when
        the account is created, V(always) sends it on every run (then always reported as a change).
    type: str
    choices: [always, on_create]
    default: on_create
  allow_reserved:
    description: Allow managing an account whose name starts with C(_) (the platform's own accounts).
    type: bool
    default: false
  release_numbers:
    description:
      - With O(state=absent), first release the account's numbers (they go back to C(_unassigned.pool)).
        Without it, the server refuses to delete an account that still has numbers.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the account; V(absent) deletes it. Child accounts must be deleted
        first (the server refuses otherwise).
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - Several accounts in one task. Each entry takes the options above; an option an entry does not
        set is taken from the task. Accounts under the same parent are read with one listing of the
        parent's children where the lean listing holds every field the entry sets.
    type: list
    elements: dict
    suboptions:
      account:
        description: The account name.
        type: str
        required: true
        aliases: [name]
      parent:
        description: The parent account by name.
        type: str
      description:
        description: Free text.
        type: str
      enabled:
        description: Whether the account is active.
        type: bool
      pin_reference:
        description: Ask for a billing reference on every call.
        type: bool
      dnd:
        description: Do not disturb.
        type: bool
      private:
        description: Present outgoing calls as private.
        type: bool
      block_privacy:
        description: Reject anonymous callers.
        type: bool
      callerid:
        description: Present caller details.
        type: bool
      cfna_duration:
        description: Seconds to ring before diversions.
        type: int
      trunking:
        description: SIP trunking.
        type: bool
      concurrent_call_limit:
        description: The most concurrent calls.
        type: int
      pickup_group:
        description: The call pickup group name.
        type: str
      account_password:
        description: The account's password.
        type: str
      update_password:
        description: When to send O(items[].account_password) to a server that does not show it.
        type: str
        choices: [always, on_create]
      release_numbers:
        description: Release the account's numbers before deleting it.
        type: bool
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
notes:
  - A lost answer to a create is handled - the module finds the account the server did create instead
    of failing or creating a second one.
seealso:
  - module: voip.provisioning.xc5_number
  - module: voip.provisioning.xc5_info
"""

EXAMPLES = r"""
- name: Connection once for all XC5 tasks
  module_defaults:
    group/voip.provisioning.xc5:
      url: https://xc5.example.net
      username: x.co.nz
      password: "{{ xc5_password }}"
  block:
    - name: The organisation (a virtual PBX) under the reseller's account, with a pickup group
      voip.provisioning.xc5_account:
        account: acmebrick.x.co.nz
        parent: x.co.nz
        pickup_group: Alpha

    - name: The receptionist with a known SIP password and a short no-answer timer
      voip.provisioning.xc5_account:
        account: reception@acmebrick.x.co.nz
        parent: acmebrick.x.co.nz
        account_password: "{{ reception_sip_password }}"
        cfna_duration: 10

    - name: Several users in one task
      voip.provisioning.xc5_account:
        parent: acmebrick.x.co.nz
        items:
          - account: sales@acmebrick.x.co.nz
          - account: main_entry@acmebrick.x.co.nz
            description: hunt group

    - name: Remove a user and give its DDIs back to the pool
      voip.provisioning.xc5_account:
        account: sales@acmebrick.x.co.nz
        state: absent
        release_numbers: true
"""

RETURN = r"""
account:
  description: The account as the API returns it (the verbose record; the password masked).
  returned: when the account exists after the task (not after a deletion, not in check mode before creation)
  type: dict
  sample: {"guid": "2C86E05A-15A2-4348-A740-30E03FE82A9E", "username": "reception@acmebrick.x.co.nz",
           "password": "********", "parent": "acmebrick.x.co.nz", "cfna_duration": 10, "pickup_group": ""}
diff:
  description: Before and after (the fields the task sets), when run with C(--diff); secrets masked.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"cfna_duration": 20}, "after": {"cfna_duration": 10}}
results:
  description: One result per entry of O(items), each with C(changed), C(account), C(item) and, on error, C(failed) and C(msg).
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

from ansible_collections.voip.provisioning.plugins.module_utils.xc5.accounts import Account
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.connection import xc5_module

MODULE = xc5_module(Account, mutually_exclusive=[("account", "items")], required_one_of=[("account", "items")])


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
