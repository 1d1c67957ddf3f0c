#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sip2sip_alias
short_description: Add SIP aliases to SIP2SIP accounts, or set them exactly
version_added: 0.2.0
description:
  - Makes sure the given aliases point to the account (V(alias@<account domain>)), adding the
    missing ones. Aliases the task does not name are left as they are.
  - Aliases are names in the account's own domain; the platform lower-cases and trims them, and
    so does the module before comparing.
  - B(The platform shows at most 20 aliases) (sorted by name). An alias not on a page of fewer
    than 20 is absent and added; a refusal then fails the task (another account owns it, or the
    name is refused). An alias not on a B(full) page may exist beyond it; the module tries to add
    it, and a refusal is reported in RV(unverified) with a warning, not as a change. A later run
    cannot tell such aliases apart from missing ones, so it sends the add again (refused again).
  - The platform's JSON API cannot delete aliases. With O(exclusive=true) the module uses the web
    form action C(set aliases) instead, which makes the account's aliases exactly the list
    (adding and deleting), and verifies the result with C(get_aliases).
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.sip2sip_connection
  - voip.provisioning.attributes
  - voip.provisioning.sip2sip_connection.ACTION_GROUP
  - voip.provisioning.bulk
options:
  aliases:
    description:
      - Alias names (V(alice.office)) or addresses in the account's domain
        (V(alice.office@sip2sip.info)). Letters, digits and C(. _ + -).
      - With O(exclusive=true), V([]) removes every alias.
    type: list
    elements: str
  exclusive:
    description:
      - V(false) adds the aliases that are missing and leaves the others.
      - V(true) makes the aliases exactly the list, deleting the others (web form action
        C(set aliases)). Nothing is sent when the platform's page shows exactly the list; on a full
        page of 20 the aliases beyond it cannot be compared, so the set is written on every run and
        reported as a change.
    type: bool
    default: false
  items:
    description:
      - The aliases of several accounts in one task, each entry with its own
        O(items[].account), O(items[].password) and O(items[].aliases).
      - Up to O(workers) accounts are worked on at once.
    type: list
    elements: dict
    suboptions:
      account:
        description: The SIP address of the account (user@domain).
        type: str
      password:
        description: Its web password, or its SIP password when it has none.
        type: str
      aliases:
        description: Alias names, as O(aliases).
        type: list
        elements: str
      exclusive:
        description: Make the aliases exactly the list, as O(exclusive).
        type: bool
seealso:
  - module: voip.provisioning.sip2sip_settings
  - module: voip.provisioning.sip2sip_info
"""

EXAMPLES = r"""
- name: Two aliases for Alice
  voip.provisioning.sip2sip_alias:
    account: alice@sip2sip.info
    password: "{{ sip2sip_web_password }}"
    aliases:
      - alice.smith
      - asmith

- name: Exactly these aliases (the others are deleted)
  voip.provisioning.sip2sip_alias:
    account: alice@sip2sip.info
    password: "{{ sip2sip_web_password }}"
    aliases: [alice.smith]
    exclusive: true

- name: Aliases of many accounts
  voip.provisioning.sip2sip_alias:
    items:
      - account: bob@sip2sip.info
        password: "{{ vault_passwords.bob }}"
        aliases: [bob.jones]
      - account: carol@sip2sip.info
        password: "{{ vault_passwords.carol }}"
        aliases: [carol.white, cwhite]
"""

RETURN = r"""
aliases:
  description: The aliases the platform shows after the task (at most 20, sorted by name).
  returned: success, without O(items)
  type: list
  elements: str
  sample: [alice.smith@sip2sip.info, asmith@sip2sip.info]
added:
  description: The aliases added (in check mode, that would be added).
  returned: success, without O(items)
  type: list
  elements: str
  sample: [asmith@sip2sip.info]
unverified:
  description:
    - Aliases not on a full page of 20 that the platform refused to add, with its message. They
      exist beyond the page or on another account; the platform cannot tell which.
  returned: success, without O(items)
  type: list
  elements: dict
  sample: [{alias: old21@sip2sip.info, message: "Error (SipPort): ngnpro:Fault (1012): Alias exists"}]
removed:
  description: With O(exclusive=true), the aliases deleted (that would be, in check mode), as far as the page shows them.
  returned: with O(exclusive=true)
  type: list
  elements: str
  sample: [old.name@sip2sip.info]
page_full:
  description: Whether the platform's page of 20 aliases was full (absence could not be proven).
  returned: success, without O(items)
  type: bool
account:
  description: The account the task worked on.
  returned: success, without O(items)
  type: str
  sample: alice@sip2sip.info
diff:
  description: The aliases before and after (with C(--diff)).
  returned: with --diff
  type: dict
results:
  description: With O(items), one result per entry (C(item) names the account).
  returned: with O(items)
  type: list
  elements: dict
summary:
  description: With O(items), how many entries there were, changed and failed.
  returned: with O(items)
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

from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import run_resource
from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.aliases import AccountAliases
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.api import connection_spec, with_accounts


def run(options, ctx):
    return with_accounts(options, ctx, lambda accounts: run_resource(AccountAliases, accounts, options, ctx))


def _argument_spec():
    spec = connection_spec()
    spec.update(AccountAliases.fields.argument_spec(items=True))
    return spec


MODULE = ModuleSpec(
    argument_spec=_argument_spec(),
    run_function=run,
    required_one_of=[("aliases", "items")],
    mutually_exclusive=[("aliases", "items")],
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
