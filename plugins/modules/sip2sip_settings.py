#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sip2sip_settings
short_description: Manage the call forwarding, do-not-disturb, privacy and reject list of SIP2SIP accounts
version_added: 0.2.0
description:
  - Converges the settings of one SIP2SIP account (AG Projects CDRTool C(settings.phtml)), or of
    many accounts with O(items) - call forwarding per condition, do-not-disturb (on, off, or on for
    some minutes), privacy (caller id hidden on outgoing calls) and the list of rejected callers.
  - Only what the task sets is managed; everything else is left as it is.
  - The module reads first and writes only what differs, so a second identical run sends no write
    (except for O(privacy), which the platform cannot read back, see there).
  - Forwarding targets are compared the way the platform stores them. The platform appends the
    account's domain to a target without one, replaces the domain of a number (a target starting
    with C(+) or C(0)) with the account's domain, adds C(sip:), and reads targets back without
    C(sip:). The module applies the same rules to the wanted value, so V(+41791234567),
    V(+41791234567@sip2sip.info) and V(sip:+41791234567@sip2sip.info) all mean the same target.
  - Targets the platform would silently turn into something else are refused before any request
    (a number with a foreign domain, C(sips:) URIs, unknown C(<...>) keywords,
    V(<mobile-number>) on an account without mobile number).
  - Everything is read and checked before the first write; after a write the module reads the
    setting back and fails if the platform stored something else.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.sip2sip_connection
  - voip.provisioning.attributes
  - voip.provisioning.sip2sip_connection.ACTION_GROUP
  - voip.provisioning.bulk
options:
  forwarding:
    description:
      - Call forwarding targets by condition. A condition not given is left as it is; an empty
        string V("") removes its forwarding.
      - A target is V(<voice-mailbox>) (the account's voicemail), V(<mobile-number>) (the mobile
        number of the account, which must have one), a number (V(+41791234567), V(0041791234567)),
        a user of the account's domain (V(bob)) or V(user@domain), optionally with V(sip:).
    type: dict
    suboptions:
      unconditional:
        description: Forward every call (C(FUNC)).
        type: str
        aliases: [FUNC]
      not_online:
        description: Forward when no device of the account is registered (C(FNOL)).
        type: str
        aliases: [FNOL]
      busy:
        description: Forward when the account is busy (C(FBUS)).
        type: str
        aliases: [FBUS]
      no_answer:
        description: Forward when the call is not answered within the account's no-answer timeout (C(FNOA)).
        type: str
        aliases: [FNOA]
      unavailable:
        description: Forward calls refused by the accept rules or do-not-disturb (C(FUNV)).
        type: str
        aliases: [FUNV]
  dnd:
    description:
      - Do-not-disturb. V(true) refuses every call (calls go to the C(unavailable) forwarding when
        one is set), V(false) accepts calls again as the account's accept rules say.
      - Without O(dnd_minutes), V(true) means until V(false) is set; a running timed DND is then
        made permanent (a change).
    type: bool
  dnd_minutes:
    description:
      - With O(dnd=true), do-not-disturb for this many minutes (1 to 1440), after which it lapses by
        itself.
      - A timed DND is an action, not a state. It is started only when DND is off, and the task
        then reports C(changed). When DND is already on (timed or not) nothing is sent and the task
        reports no change; the minutes left are in the result. So a second run within the time is
        unchanged, and a run after the DND lapsed starts it again.
    type: int
  privacy:
    description:
      - V(true) hides the caller id on outgoing calls, V(false) shows it.
      - B(The platform has no way to read this setting.) V(true) is sent every run; the platform
        refuses it for an account that is already private, which the module reports as unchanged
        (C(privacy_before=true)). V(false) is sent every run and always reported as a change with
        C(privacy_before=unknown), because the platform answers the same whether the account was
        private or not - the module never claims "unchanged" without knowing.
      - In check mode nothing is sent, the state is unknown and reported as a change.
    type: bool
  reject_rules:
    description:
      - The exact list of callers (SIP URIs, V(sip:) added when missing) whose calls are rejected.
        V([]) empties it. Not given leaves it as it is.
      - The platform's JSON API has no setter for it; the module uses the web form action
        C(set reject) and verifies the result with C(get_reject_rules).
    type: list
    elements: str
  items:
    description:
      - The settings of several accounts in one task, each entry with its own O(items[].account)
        and O(items[].password) and the options above; an option an entry does not set is taken
        from the task.
      - Accounts are independent logins; up to O(workers) accounts are worked on at once.
    type: list
    elements: dict
    suboptions:
      account:
        description: The SIP address of the account (user@domain).
        type: str
      password:
        description: Its web password, or its SIP password when it has none.
        type: str
      forwarding:
        description: Forwarding targets by condition, as O(forwarding).
        type: dict
        suboptions:
          unconditional:
            description: Forward every call (C(FUNC)).
            type: str
            aliases: [FUNC]
          not_online:
            description: Forward when not registered (C(FNOL)).
            type: str
            aliases: [FNOL]
          busy:
            description: Forward on busy (C(FBUS)).
            type: str
            aliases: [FBUS]
          no_answer:
            description: Forward on no answer (C(FNOA)).
            type: str
            aliases: [FNOA]
          unavailable:
            description: Forward when unavailable (C(FUNV)).
            type: str
            aliases: [FUNV]
      dnd:
        description: Do-not-disturb, as O(dnd).
        type: bool
      dnd_minutes:
        description: Minutes of a timed DND, as O(dnd_minutes).
        type: int
      privacy:
        description: Hide the caller id, as O(privacy).
        type: bool
      reject_rules:
        description: Rejected callers, as O(reject_rules).
        type: list
        elements: str
notes:
  - Do-not-disturb is written by the platform together with all accept rules, in a shape that
    keeps one persistent rule per set of days. When the accept rules read back differently after
    a DND change, the task warns.
  - On deployments that store absolute voicemail URIs the platform may read V(<voice-mailbox>)
    back empty; the module then fails after the write naming that cause.
seealso:
  - module: voip.provisioning.sip2sip_alias
  - module: voip.provisioning.sip2sip_info
"""

EXAMPLES = r"""
- name: Voicemail on no answer, mobile when not registered, DND for 30 minutes
  voip.provisioning.sip2sip_settings:
    account: alice@sip2sip.info
    password: "{{ sip2sip_web_password }}"
    forwarding:
      no_answer: <voice-mailbox>
      not_online: <mobile-number>
    dnd: true
    dnd_minutes: 30

- name: Remove the busy forwarding, accept calls again, show the caller id
  voip.provisioning.sip2sip_settings:
    account: alice@sip2sip.info
    password: "{{ sip2sip_web_password }}"
    forwarding:
      busy: ""
    dnd: false
    privacy: false

- name: Many accounts, four at a time
  voip.provisioning.sip2sip_settings:
    workers: 4
    items:
      - account: bob@sip2sip.info
        password: "{{ vault_passwords.bob }}"
        forwarding: {unconditional: "+41791234567"}
      - account: carol@sip2sip.info
        password: "{{ vault_passwords.carol }}"
        reject_rules: [sip:spam@example.com]
"""

RETURN = r"""
settings:
  description:
    - The managed settings after the task (in check mode, as they would be). Only the parts the
      task manages are present.
    - C(forwarding) has all five conditions (C(null) = not set), targets as the platform reads
      them back (no C(sip:)). C(dnd) is whether do-not-disturb is on, C(dnd_minutes_left) the minutes left of a
      timed DND (C(null) when untimed or off).
  returned: success, without O(items)
  type: dict
  sample:
    forwarding:
      unconditional: null
      not_online: +31612345678@sip2sip.info
      busy: null
      no_answer: <voice-mailbox>
      unavailable: null
    dnd: true
    dnd_minutes_left: 30
account:
  description: The account the task worked on (lower-case user@domain).
  returned: success, without O(items)
  type: str
  sample: alice@sip2sip.info
privacy_before:
  description:
    - What privacy was before the task, as far as it can be known; V(unknown) after
      O(privacy=false) and in check mode (the platform cannot read it).
  returned: when O(privacy) is set
  type: raw
  sample: unknown
diff:
  description: The managed settings before and after (with C(--diff)).
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
  sample: {total: 10, changed: 2, failed: 0}
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
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.api import connection_spec, with_accounts
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.settings import AccountSettings


def run(options, ctx):
    return with_accounts(options, ctx, lambda accounts: run_resource(AccountSettings, accounts, options, ctx))


def _argument_spec():
    spec = connection_spec()
    spec.update(AccountSettings.fields.argument_spec(items=True))
    return spec


MODULE = ModuleSpec(
    argument_spec=_argument_spec(),
    run_function=run,
    required_by={"dnd_minutes": "dnd"},
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
