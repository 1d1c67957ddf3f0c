#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xc5_number
short_description: Assign, allocate and release DDIs of XC5-XS accounts
version_added: 0.2.0
description:
  - Gives an XC5-XS account a phone number (DDI) - a given O(number), or one allocated from the
    C(_unassigned.pool) account by a C(LIKE) filter (O(pool_filter)) - and sets the number's own
    fields (pilot number, call-forward-all, distinctive ring, account code).
  - "Allocation is idempotent: when the account already holds a number that matches O(pool_filter), that
    number is the result and nothing is allocated. Allocating moves the pool's record to the account
    (the number keeps its guid)."
  - Numbers are unique system-wide. A number another account holds is an error naming that account,
    unless O(move) is set.
  - V(absent) releases the number - it goes back to C(_unassigned.pool).
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
      - The account that holds (or is to hold) the number, by name or guid. Required.
    type: str
  number:
    description:
      - The DDI in E.164 form without C(+), for example V(6491231234) (6 to 15 digits). An V(a:) prefix
        marks a number that may exist more than once (allowed for outgoing rewrite).
      - Mutually exclusive with O(pool_filter); one of them is required.
    type: str
  pool_filter:
    description:
      - Allocate a free number of C(_unassigned.pool) whose digits match this SQL C(LIKE) pattern
        (C(%) any digits, C(_) exactly one), for example V(%88) or V(649929____).
      - Only with O(state=present). When no free number matches, the task fails before any write.
    type: str
  is_pilot:
    description: Use this number as the account's caller number when the presented one is invalid.
    type: bool
  cfa:
    description: Call-forward-all for calls to this number, an E.164 number without C(+); V("") removes it.
    type: str
  alert_info:
    description: The SIP C(Alert-Info) value for distinctive ring (the API's C(alert-info)).
    type: str
  account_code:
    description: Free data stored with the number (the API's C(account-code)).
    type: str
  move:
    description:
      - When O(number) is held by another account, release it there and assign it to O(account).
        Finding the holder reads the numbers of the accounts this login sees.
    type: bool
    default: false
  state:
    description: V(present) assigns or allocates; V(absent) releases O(number) to the pool.
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - Several numbers in one task (for example one DDI per user). Each entry takes the options above;
        an option an entry does not set is taken from the task.
    type: list
    elements: dict
    suboptions:
      account:
        description: The account that holds the number.
        type: str
      number:
        description: The DDI.
        type: str
      pool_filter:
        description: A C(LIKE) pattern to allocate a number from the pool.
        type: str
      is_pilot:
        description: Pilot number.
        type: bool
      cfa:
        description: Call-forward-all target.
        type: str
      alert_info:
        description: Distinctive ring.
        type: str
      account_code:
        description: Free data.
        type: str
      move:
        description: Move the number from another account.
        type: bool
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
notes:
  - Allocation and assignment are naturally idempotent on the server (the same number on the same account
    is updated, not duplicated), so a lost answer is safely repeated.
  - When several tasks allocate from the same filter at once, a number taken in between is skipped and
    the next free one is tried.
seealso:
  - module: voip.provisioning.xc5_account
"""

EXAMPLES = r"""
- name: The receptionist's DDI, a given number
  voip.provisioning.xc5_number:
    account: reception@acmebrick.x.co.nz
    number: "6491231234"
    is_pilot: true

- name: Allocate one number ending in 88 from the pool (a re-run allocates nothing)
  voip.provisioning.xc5_number:
    account: reception@acmebrick.x.co.nz
    pool_filter: "%88"

- name: One DDI per user from a block of the pool
  voip.provisioning.xc5_number:
    items:
      - account: sales@acmebrick.x.co.nz
        number: "6499290089"
      - account: support@acmebrick.x.co.nz
        pool_filter: "64930000__"

- name: Release a DDI to the pool
  voip.provisioning.xc5_number:
    account: sales@acmebrick.x.co.nz
    number: "6499290089"
    state: absent
"""

RETURN = r"""
number:
  description: The number record as the API returns it (C(assigned) is the holding account).
  returned: when the number is held after the task (not in check mode before an assignment)
  type: dict
  sample: {"guid": "D5A51C5C-F762-4E82-8B3E-7CB15662D40C", "number": "6499290188",
           "assigned": "reception@acmebrick.x.co.nz", "is-pilot": false, "cfa": "", "alert-info": "", "account-code": ""}
diff:
  description: Before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
results:
  description: One result per entry of O(items), each with C(changed), C(number), C(item) and, on error, C(failed) and C(msg).
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
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.numbers import Number

MODULE = xc5_module(Number, mutually_exclusive=[("number", "pool_filter"), ("account", "items")],
                    required_one_of=[("account", "items")])


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
