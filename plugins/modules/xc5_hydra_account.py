#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: xc5_hydra_account
short_description: Manage basic POTS lines of an XC5-XS soft-switch (HydraAccount, beta)
version_added: 0.2.0
description:
  - Creates, updates or deletes a basic telephone line through the XC5-XS C(HydraAccount) facade (beta) -
    one call provisions the line's password, no-answer forward, voicemail box, call hold and caller
    presentation, keyed by the line's number.
  - The facade's field names differ from an account's; the module takes the account's names and maps them -
    O(account_password) is C(password), O(cfna_destination) is C(cfna_dest), O(mailbox_pin) is C(ums_pin),
    O(concurrent_call_limit) is C(concurrent_limit), O(private) (a boolean) is C(private) V(0)/V(1).
  - The password and mailbox PIN are compared with what the server shows and masked in results and diffs.
  - Which regular account the facade creates for the line is not documented by the vendor; the module
    only uses the facade.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.xc5_connection
  - voip.provisioning.attributes
  - voip.provisioning.xc5_connection.GROUP
  - voip.provisioning.bulk
options:
  number:
    description: The line's phone number, E.164 without C(+) (for example V(6499878037)). Required unless O(items) is given.
    type: str
  account_password:
    description: The line's SIP password.
    type: str
  cfna_destination:
    description: Forward on no answer and on busy to this number (or voicemail number), E.164 without C(+).
    type: str
  cfna_active:
    description: Whether the no-answer/busy forward is active; a new line needs O(cfna_destination) for it.
    type: bool
  mailbox:
    description:
      - V(false) removes the voicemail box (the facade's C(ums_pin=null)); V(true) needs O(mailbox_pin).
      - Unset leaves the mailbox as it is.
    type: bool
  mailbox_pin:
    description: Creates the voicemail box or resets its PIN (4 to 10 digits).
    type: str
  concurrent_call_limit:
    description: V(2) allows call hold, V(1) disables it (single lines only).
    type: int
  private:
    description: Present the line's calls as private.
    type: bool
  callerid:
    description: Show the caller on the phone.
    type: bool
  state:
    description: V(present) creates or updates the line; V(absent) deletes it (its number goes back to the pool).
    type: str
    choices: [present, absent]
    default: present
  items:
    description: Several lines in one task; each entry takes the options above, unset ones come from the task.
    type: list
    elements: dict
    suboptions:
      number:
        description: The line's number.
        type: str
        required: true
      account_password:
        description: The SIP password.
        type: str
      cfna_destination:
        description: The no-answer/busy forward target.
        type: str
      cfna_active:
        description: Whether the forward is active.
        type: bool
      mailbox:
        description: V(false) removes the mailbox.
        type: bool
      mailbox_pin:
        description: The mailbox PIN.
        type: str
      concurrent_call_limit:
        description: V(2) call hold, V(1) none.
        type: int
      private:
        description: Private caller presentation.
        type: bool
      callerid:
        description: Show the caller.
        type: bool
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
seealso:
  - module: voip.provisioning.xc5_account
"""

EXAMPLES = r"""
- name: A POTS line with voicemail, call hold and private presentation
  voip.provisioning.xc5_hydra_account:
    number: "6499878037"
    account_password: "{{ line_password }}"
    cfna_destination: "6499650085"
    cfna_active: true
    mailbox_pin: "5676"
    concurrent_call_limit: 2
    private: true
    callerid: true

- name: Remove the line's mailbox
  voip.provisioning.xc5_hydra_account:
    number: "6499878037"
    mailbox: false
"""

RETURN = r"""
hydra_account:
  description: The line as the facade returns it (password and mailbox PIN masked).
  returned: when the line exists after the task (not in check mode before creation)
  type: dict
  sample: {"number": "6499878037", "password": "********", "cfna_dest": "6499650085", "cfna_active": true,
           "ums_pin": "********", "concurrent_limit": 2, "private": 1, "callerid": true}
diff:
  description: Before and after in the module's option names, secrets masked, when run with C(--diff).
  returned: when diff mode is on
  type: dict
results:
  description: One result per entry of O(items).
  returned: when O(items) is given
  type: list
  elements: dict
summary:
  description: Counts of the O(items) results.
  returned: when O(items) is given
  type: dict
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
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.hydra import HydraAccount

MODULE = xc5_module(HydraAccount, mutually_exclusive=[("number", "items"), ("mailbox_pin", "items")],
                    required_one_of=[("number", "items")])


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
