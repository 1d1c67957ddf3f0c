#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xc5_fork
short_description: Manage the forks (blast or ring group) of an XC5-XS account
version_added: 0.2.0
description:
  - Manages the forks of an XC5-XS account (C(/api-sys/account/{acct}/fork)) - the DDIs a call to the
    account rings in parallel, which makes the account a blast (ring) group.
  - Forks are matched by destination; with O(exclusive) the group is exactly the listed numbers.
    Creates go to a client-chosen guid, so a create whose answer was lost is never duplicated.
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
      - The account whose forks these are, by name or guid. Required unless O(items) is given.
    type: str
  entries:
    description:
      - The forks the account should have. An entry is matched to an existing one by the fields of
        O(match_by); a match that differs in other fields is changed in place (one C(PATCH)), a missing one
        is created.
    type: list
    elements: dict
    suboptions:
      destination:
        description:
          - A DDI rung in parallel with the other forks, E.164 without C(+) (the API does not take account
            names here yet).
        type: str
        required: true
  match_by:
    description:
      - The fields that identify an entry (the API has no key of its own). Unset fields count as the
        server's defaults (V(0), V(false), empty).
    type: list
    elements: str
    choices: [destination]
    default: [destination]
  exclusive:
    description:
      - Delete the account's own forks that O(entries) does not list. Entries the account inherits from
        its parent are not its own and are never deleted.
    type: bool
    default: false
  state:
    description:
      - V(present) creates and changes the listed entries; V(absent) deletes the listed entries (all of the
        account's own forks when O(entries) is not given).
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
        description: The forks, as O(entries).
        type: list
        elements: dict
        suboptions:
          destination:
            description: A DDI rung in parallel with the other forks, E.164 without C(+) (the API does not take account names here yet).
            type: str
            required: true
      match_by:
        description: As O(match_by).
        type: list
        elements: str
        choices: [destination]
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
    - name: Blast group ringing two DDIs at once
      voip.provisioning.xc5_fork:
        account: blast@acmebrick.x.co.nz
        exclusive: true
        entries:
          - destination: "6499290088"
          - destination: "6499290089"
"""

RETURN = r"""
forks:
  description: The account's own forks after the task, each as the module compares it (with its C(guid)).
  returned: always (for one account)
  type: list
  elements: dict
diff:
  description: The forks before and after (C(entries)), when run with C(--diff).
  returned: when diff mode is on
  type: dict
results:
  description: One result per entry of O(items), each with C(changed), C(forks), C(item) and, on error, C(failed) and C(msg).
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
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.entries import Fork

MODULE = xc5_module(Fork, mutually_exclusive=[("account", "items")], required_one_of=[("account", "items")])


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
