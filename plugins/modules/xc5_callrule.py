#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xc5_callrule
short_description: Manage the call rules (rules for calls made) of an XC5-XS account
version_added: 0.2.0
description:
  - Manages the call rules of an XC5-XS account (C(/api-sys/account/{acct}/callrule)) - rules for calls
    the account makes - extension plans, destination blocking, call recording, early digit translation.
  - Rules set on an organisation apply to all its users (inherited); a user without its own copy of a
    rule is not missing it.
  - "Rules are matched by O(match_by) (default: order, prefix_raw, prefix, location and early_rule, as
    several conditional rules share one order), changed in place, and created under a client-chosen guid
    so that a create whose answer was lost is never duplicated."
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
      - The account whose call rules these are, by name or guid. Required unless O(items) is given.
    type: str
  entries:
    description:
      - The call rules the account should have. An entry is matched to an existing one by the fields of
        O(match_by); a match that differs in other fields is changed in place (one C(PATCH)), a missing one
        is created.
    type: list
    elements: dict
    suboptions:
      order:
        description:
          - When the rule applies - ascending. Vendor convention - V(-14) destination blocking, V(-12)
            recording, V(-2) extension plan and early rules. Several rules may share an order.
        type: int
        required: true
      prefix:
        description: Condition on the E.164-translated dialled number.
        type: str
      prefix_raw:
        description: Condition on the dialled digits as dialled (extensions such as V(600)).
        type: str
      location:
        description:
          - Condition on a destination class, for example V(<CallRule-International>); checked against
            C(GET /api-sys/location) before any write.
        type: str
      username:
        description: The target account; must exist.
        type: str
      destination:
        description:
          - The rewrite or action - V(:600) an internal number, V(drop:<SIP code>:<text>) rejects the call,
            V(*%) replaces the matched prefix with C(*).
        type: str
      early_rule:
        description: Apply before smart-code handling (digit translation such as V(14) to V(*)).
        type: bool
      record_email:
        description: Record the calls and mail the recording to this address.
        type: str
  match_by:
    description:
      - The fields that identify an entry (the API has no key of its own). Unset fields count as the
        server's defaults (V(0), V(false), empty).
    type: list
    elements: str
    choices: [order, prefix, prefix_raw, location, username, destination, early_rule, record_email]
    default: [order, prefix_raw, prefix, location, early_rule]
  exclusive:
    description:
      - Delete the account's own call rules that O(entries) does not list. Entries the account inherits from
        its parent are not its own and are never deleted.
    type: bool
    default: false
  state:
    description:
      - V(present) creates and changes the listed entries; V(absent) deletes the listed entries (all of the
        account's own call rules when O(entries) is not given).
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
        description: The call rules, as O(entries).
        type: list
        elements: dict
        suboptions:
          order:
            description: When the rule applies.
            type: int
            required: true
          prefix:
            description: Condition on the E.164-translated dialled number.
            type: str
          prefix_raw:
            description: Condition on the dialled digits as dialled (extensions such as V(600)).
            type: str
          location:
            description: Condition on a destination class, for example V(<CallRule-International>).
            type: str
          username:
            description: The target account.
            type: str
          destination:
            description: The rewrite or action.
            type: str
          early_rule:
            description: Apply before smart-code handling (digit translation such as V(14) to V(*)).
            type: bool
          record_email:
            description: Record the calls and mail the recording to this address.
            type: str
      match_by:
        description: As O(match_by).
        type: list
        elements: str
        choices: [order, prefix, prefix_raw, location, username, destination, early_rule, record_email]
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
    - name: Extension plan on the organisation (inherited by every user)
      voip.provisioning.xc5_callrule:
        account: acmebrick.x.co.nz
        entries:
          - {order: -2, prefix_raw: "600", username: reception@acmebrick.x.co.nz, destination: ":600"}
          - {order: -2, prefix_raw: "608", username: sales@acmebrick.x.co.nz, destination: ":608"}
          - {order: -2, prefix_raw: "14", destination: "*%", early_rule: true}

    - name: Reception - record calls, block international and mobile destinations
      voip.provisioning.xc5_callrule:
        account: reception@acmebrick.x.co.nz
        entries:
          - {order: -12, record_email: reception@acmebrick.x.co.nz}
          - {order: -14, location: "<CallRule-International>", destination: "drop:404:destination blocked"}
          - {order: -14, location: "<CallRule-Mobile>", destination: "drop:404:destination blocked"}
"""

RETURN = r"""
callrules:
  description: The account's own call rules after the task, each as the module compares it (with its C(guid)).
  returned: always (for one account)
  type: list
  elements: dict
diff:
  description: The call rules before and after (C(entries)), when run with C(--diff).
  returned: when diff mode is on
  type: dict
results:
  description: One result per entry of O(items), each with C(changed), C(callrules), C(item) and, on error, C(failed) and C(msg).
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
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.entries import CallRule

MODULE = xc5_module(CallRule, mutually_exclusive=[("account", "items")], required_one_of=[("account", "items")])


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
