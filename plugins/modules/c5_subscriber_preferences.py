#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: c5_subscriber_preferences
short_description: Manage the preferences of a Sipwise C5 subscriber
version_added: 0.1.0
description:
  - Sets or removes preferences of one subscriber (C(/api/subscriberpreferences/<subscriber id>))
    of a Sipwise C5 / sip:carrier, for example C(block_in_list), C(clir), C(concurrent_max),
    C(display_name), C(language).
  - The subscriber is named by O(sip_username) and O(domain), or by O(subscriber_id).
  - Names and values are checked against the platform's definitions
    (C(/api/subscriberpreferencedefs/), read once per task) before anything is written. An
    unknown name fails the task and suggests close names; a value of the wrong type fails
    naming the preference, the expected type and, for enumerations, the allowed values.
  - Values are converted the way the C5 stores them before comparing (booleans from
    V(yes)/V(1)/V(true), integers from numeric strings, numbers to strings for text
    preferences, a single value to a one-element list for multi-valued preferences), so a
    second identical run reports no change.
  - Only the preferences that differ are written, with one JSON Patch request (C(add) for a
    new or changed value, C(remove) for a removal). The module never sends a PUT, which on a C5
    would delete every preference not in its body.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.c5_connection
  - voip.provisioning.attributes
  - voip.provisioning.attributes.C5_GROUP
  - voip.provisioning.c5_subscriber_ref
  - voip.provisioning.bulk
options:
  preferences:
    description:
      - Preference name to value.
      - Multi-valued preferences (C(block_in_list), C(block_out_list), C(allowed_clis),
        C(allowed_ips), ...) take a list, in the order the C5 should keep it.
      - A value of V(null) (or V([]) for a multi-valued preference) removes that preference.
      - With O(state=absent) only the names matter; the values are ignored.
      - Reference preferences take the name of the object they refer to, as the C5 shows them.
        C(ncos), C(adm_ncos), C(adm_cf_ncos) an NCOS level (C(/api/ncoslevels/)); C(ncos_set),
        C(adm_ncos_set), C(adm_cf_ncos_set) an NCOS set (created with the C5's v2 API,
        C(/api/v2/ncos/sets)); C(rewrite_rule_set) a rewrite rule set (C(/api/rewriterulesets/));
        C(header_rule_set) a header rule set (C(/api/headerrulesets/), C5 PRO/Carrier);
        C(emergency_mapping_container) an emergency mapping container
        (C(/api/emergencymappingcontainers/)); C(sound_set) and C(contract_sound_set) a sound set
        (C(/api/soundsets/)). The object must exist for the subscriber's reseller; this is checked
        before anything is written (an unknown name, a sound set name that several sets share, or a
        rewrite or header rule set of another reseller fails naming the preference). Where the C5
        has no collection to look in (an HTTP 404 answer, from a C5 without the v2 API or a CE
        without header rule sets) the name is sent as given and the C5 checks it. The C5 finds them
        case-insensitively, so the name is written in its stored spelling and compared
        case-insensitively; another spelling is no change.
      - C(prepaid_library) is not a subscriber preference (the C5 answers HTTP 422 for it); it is
        rejected before anything is written.
      - A task that sets C(peer_auth_pass) should use C(no_log); the value is masked in the
        result and the diff.
    type: dict
    default: {}
  remove_others:
    description:
      - V(true) removes every preference of the subscriber that O(preferences) does not list,
        except those in O(keep).
      - V(false) leaves unlisted preferences alone.
    type: bool
    default: false
  keep:
    description:
      - Preferences O(remove_others=true) never removes unless they are listed in O(preferences).
      - The default protects what the C5 sets itself on every subscriber (C(cc), C(ac) and
        C(allowed_clis) from the numbers, C(call_log_level) and C(emergency_location_format) from
        their definitions' defaults) and C(lock), whose removal would unlock the subscriber.
      - Set it to V([]) to make O(remove_others=true) remove those too.
    type: list
    elements: str
    default: [cc, ac, allowed_clis, call_log_level, emergency_location_format, lock]
  state:
    description:
      - V(present) sets the listed preferences.
      - V(absent) removes the listed preference names (values ignored).
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - The preferences of several subscribers in one task, each entry with the options above.
        An option an entry does not set is taken from the task (for example O(domain)).
      - The definitions are read once for all entries; subscribers are looked up with few
        requests (a domain many entries name is listed page by page when that is cheaper).
    type: list
    elements: dict
    suboptions:
      username:
        description: The subscriber's SIP user name (with O(items[].domain) or the task's O(domain)).
        type: str
        aliases: [sip_username]
      domain:
        description: The subscriber's SIP domain.
        type: str
      subscriber_id:
        description: The subscriber's id, instead of a username.
        type: int
      preferences:
        description: Preference name to value (V(null) removes it).
        type: dict
      remove_others:
        description: Remove the preferences this entry does not list (except O(items[].keep)).
        type: bool
      keep:
        description: Preferences O(items[].remove_others) never removes unless listed.
        type: list
        elements: str
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
notes:
  - A subscriber that does not exist fails the task; in check mode it is assumed to be created by
    an earlier task (reported as a change, with a warning). With O(state=absent) it is not an error.
  - Some preferences have side effects on the C5, for example C(cli) and C(voicemail_echo_number)
    renumber the voicemail box, C(peer_auth_*) re-register the peer.
  - C(lock) is the lock level the C5 also shows on the subscriber; prefer the subscriber's
    C(lock)/C(status).
  - The C5 adds a subscriber's numbers to its C(allowed_clis) preference and leaves them there when a
    number is removed from the subscriber or moves to another one (also with
    M(voip.provisioning.c5_subscriber)). This module does not clean them up by itself, not even when it
    manages other preferences of that subscriber in the same run, because it cannot tell a number the
    C5 left behind from one an operator allowed on purpose (a company's main number held by another
    subscriber, a mobile number). To keep C(allowed_clis) exact, list it in O(preferences) with the
    subscriber's numbers (for example from the same variables that give C(primary_number) and
    C(alias_numbers)). The listed numbers are set and every other one is removed.
seealso:
  - module: voip.provisioning.c5_subscriber
  - module: voip.provisioning.c5_info
"""

EXAMPLES = r"""
- name: Reject anonymous callers and callers from a block list
  voip.provisioning.c5_subscriber_preferences:
    url: https://c5.example.com:1443
    username: administrator
    password: "{{ c5_password }}"
    subscriber_id: 42
    preferences:
      block_in_clir: true
      block_in_list:
        - "4366412345"
        - "431*"

- name: Connection once for all C5 tasks
  module_defaults:
    group/voip.provisioning.c5:
      url: https://c5.example.com:1443
      username: administrator
      password: "{{ c5_password }}"
  block:
    - name: Display name and call limit; remove the music on hold setting
      voip.provisioning.c5_subscriber_preferences:
        sip_username: alice
        domain: sip.example.com
        preferences:
          display_name: Alice Example
          concurrent_max: 2
          music_on_hold: null

    - name: Preferences of many subscribers in one task
      voip.provisioning.c5_subscriber_preferences:
        domain: sip.example.com
        items:
          - username: alice
            preferences: {clir: true}
          - username: bob
            preferences: {language: de}

    - name: Exactly these preferences (besides the ones the platform manages)
      voip.provisioning.c5_subscriber_preferences:
        sip_username: alice
        domain: sip.example.com
        remove_others: true
        preferences:
          display_name: Alice Example

    - name: Reference preferences by name (NCOS level, rewrite rule set, sound set of the reseller)
      voip.provisioning.c5_subscriber_preferences:
        sip_username: alice
        domain: sip.example.com
        preferences:
          ncos: local only
          rewrite_rule_set: e164
          sound_set: office prompts

    - name: Allowed CLIs exactly the subscriber's numbers (a number moved away is removed)
      voip.provisioning.c5_subscriber_preferences:
        sip_username: alice
        domain: sip.example.com
        preferences:
          allowed_clis: ["4319876100", "4319876101"]

    - name: Remove two preferences
      voip.provisioning.c5_subscriber_preferences:
        sip_username: alice
        domain: sip.example.com
        state: absent
        preferences:
          block_in_list:
          block_in_clir:
"""

RETURN = r"""
preferences:
  description: The subscriber's preferences as the API returns them (only the ones that have a value), with C(id) and C(subscriber_id).
  returned: when the subscriber exists
  type: dict
  sample: {"id": 42, "subscriber_id": 42, "cc": "43", "ac": "1", "allowed_clis": ["43150001"],
           "block_in_clir": true, "block_in_list": ["4366412345", "431*"], "call_log_level": "notice",
           "emergency_location_format": "cirpack"}
diff:
  description: Before and after, when run with C(--diff); a removed preference is missing after (V(null) in check mode).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"cc": "43"}, "after": {"cc": "43", "clir": true}}
results:
  description: One result per entry of O(items), each with C(changed), C(preferences), C(item) and, on error, C(failed) and C(msg).
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

from ansible_collections.voip.provisioning.plugins.module_utils.c5.preferences import Preferences
from ansible_collections.voip.provisioning.plugins.module_utils.c5.task import c5_module

MODULE = c5_module(
    Preferences,
    mutually_exclusive=[("sip_username", "subscriber_id"), ("sip_username", "items"), ("subscriber_id", "items")],
    required_one_of=[("sip_username", "subscriber_id", "items")],
    required_by={"sip_username": "domain"},
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
