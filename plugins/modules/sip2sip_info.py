#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sip2sip_info
short_description: Read what a SIP2SIP account's settings API shows
version_added: 0.2.0
description:
  - Reads the selected sections of one SIP2SIP account, one platform call each.
  - A section the platform fails to answer (for example C(monthly_usage), which current CDRTool
    versions answer with HTTP 500, or C(prepaid) for an account that is not prepaid) is reported
    in RV(errors) with the platform's message; the other sections are still read.
  - The voicemail password the platform returns in clear text is masked.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.sip2sip_connection
  - voip.provisioning.attributes.INFO_MODULE
  - voip.provisioning.sip2sip_connection.ACTION_GROUP
options:
  gather:
    description:
      - The sections to read. V(all) reads every section.
      - V(identity) name, e-mail, caller id, mobile number, time zone, no-answer timeout;
        V(aliases) (at most 20, the platform's page); V(enum) ENUM numbers (at most 10);
        V(call_forwarding) targets per condition, named as in M(voip.provisioning.sip2sip_settings);
        V(accept_rules) persistent rules keyed by days, the temporary rule, C(dnd) and
        C(dnd_minutes_left); V(reject_rules); V(voicemail) (password masked); V(devices) registered
        devices; V(history) placed and received calls of the last 14 days (at most 50 each);
        V(prepaid) balance; V(balance_history) (at most 200); V(monthly_usage).
    type: list
    elements: str
    choices: [all, identity, aliases, enum, call_forwarding, accept_rules, reject_rules, voicemail,
              devices, history, prepaid, balance_history, monthly_usage]
    default: [identity, aliases, call_forwarding, accept_rules]
seealso:
  - module: voip.provisioning.sip2sip_settings
"""

EXAMPLES = r"""
- name: Identity, forwarding and DND of an account
  voip.provisioning.sip2sip_info:
    account: alice@sip2sip.info
    password: "{{ sip2sip_web_password }}"
  register: alice

- name: Everything, tolerating sections the platform breaks on
  voip.provisioning.sip2sip_info:
    account: alice@sip2sip.info
    password: "{{ sip2sip_web_password }}"
    gather: [all]
  register: everything

- name: Show what failed
  ansible.builtin.debug:
    var: everything.errors
"""

RETURN = r"""
info:
  description:
    - The sections read, by name. Lists the platform answers as C(null) when empty (devices, the
      directions of the history) are empty lists here.
  returned: success
  type: dict
  sample:
    identity: {sip_address: alice@sip2sip.info, first: Alice, lastname: Smith, mobile_number: "+31612345678",
               no_answer_timeout: 35, timezone: Europe/Amsterdam, email: alice@example.com,
               pstn_caller_id: "+31201234567", quick_dial: ""}
    aliases: [alice.smith@sip2sip.info]
    call_forwarding: {unconditional: null, not_online: <voice-mailbox>, busy: null, no_answer: null, unavailable: null}
    accept_rules:
      persistent: {"31": {start: "09:00", stop: "18:00", groups: [everybody]}}
      temporary: {groups: [], duration: 0}
      groups: [everybody, nobody, vip]
      dnd: false
      dnd_minutes_left: null
errors:
  description: Sections the platform failed to answer, with its message.
  returned: success
  type: dict
  sample: {monthly_usage: "HTTP 500 with an empty body (a PHP error on the server; the platform itself breaks on this call)"}
account:
  description: The account read.
  returned: success
  type: str
  sample: alice@sip2sip.info
"""

from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.api import connection_spec, with_accounts
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.info import (
    DEFAULT_SECTIONS, SECTION_NAMES, gather,
)


def run(options, ctx):
    wanted = options.get("gather") or DEFAULT_SECTIONS
    if "all" in wanted:
        wanted = SECTION_NAMES

    def work(accounts):
        api = accounts.api(options)
        info, errors = gather(api, wanted)
        return {"changed": False, "info": info, "errors": errors, "account": api.account}

    return with_accounts(options, ctx, work)


def _argument_spec():
    spec = connection_spec()
    spec["gather"] = dict(type="list", elements="str", choices=["all"] + SECTION_NAMES, default=list(DEFAULT_SECTIONS))
    return spec


MODULE = ModuleSpec(argument_spec=_argument_spec(), run_function=run)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
