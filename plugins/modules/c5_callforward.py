#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: c5_callforward
short_description: Manage the call forwards of a Sipwise C5 subscriber
version_added: 0.1.0
description:
  - Sets or clears the call forwards of one subscriber (C(/api/callforwards/<subscriber id>))
    of a Sipwise C5 / sip:carrier, by type
    (O(cfu), O(cfb), O(cft), O(cfna), O(cfs), O(cfr), O(cfo)).
  - The subscriber is named by O(sip_username) and O(domain), or by O(subscriber_id).
  - A C5 PUT of call forwards replaces all seven types (an omitted type is cleared). The module
    therefore reads the current call forwards, puts the given types over them and writes the
    complete document back, so the types a task does not give are kept as they are
    (unless O(clear_others=true)). Nothing is written when the given types already match.
  - Each given type is set exactly as described. C(times), C(sources) and C(bnumbers) that a type
    does not list mean no restriction (always, from anyone, to any called number).
    The ring timeout of O(cft) (O(cft.ringtimeout)) is kept when not given.
  - Desired destinations are normalised the way the C5 returns them before comparing. Special
    destinations (V(voicebox), V(fax2mail), V(conference), V(callingcard), V(callthrough),
    V(autoattendant), V(officehours), V(customhours), V(managersecretary)) stay short names, any
    other destination becomes C(sip:<user>@<domain>) (a number without domain gets the
    subscriber's domain), C(timeout) defaults to 300 and C(priority) to none, C(times) values
    are strings. A second identical run reports no change and sends no write.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.c5_connection
  - voip.provisioning.attributes
  - voip.provisioning.attributes.C5_GROUP
  - voip.provisioning.c5_subscriber_ref
  - voip.provisioning.bulk
options:
  cfu:
    description:
      - Call forward unconditional (every call is forwarded).
      - An empty dict or an empty C(destinations) list means no call forward of this type.
      - Not given means the type is left as it is (unless O(clear_others=true)).
    type: dict
    suboptions: &cf_suboptions
      destinations: &cf_destinations
        description:
          - The destinations, tried by C(priority), then in the listed order.
          - Written in the listed order, which the C5 keeps (priorities V(1), V(2), V(1) stay in that order).
            They are compared by the order in which they are tried, so listing the same destinations in
            another order that is tried the same way is no change.
          - Empty means no call forward of this type.
        type: list
        elements: dict
        suboptions:
          destination:
            description:
              - A number (V(4366610001), V(+4366610001); digits, V(*) and V(#), no spaces), a SIP URI
                (V(sip:alice@example.org), V(sips:bob), V(alice@example.org)) or a special
                destination (V(voicebox), V(fax2mail), V(conference), V(callingcard),
                V(callthrough), V(localuser), V(autoattendant), V(officehours), V(customhours), V(managersecretary)).
              - A number or user without domain is stored with the subscriber's domain.
              - Anything else (a word such as V(voicemail), text with spaces) fails before any request, because
                the C5 would store it as a SIP URI of the subscriber's domain that reaches nobody.
            type: str
            required: true
          timeout:
            description: Seconds to ring this destination before the next one is tried.
            type: int
            default: 300
          priority:
            description: The order of the destination (lowest first); none by default.
            type: int
          announcement_id:
            description:
              - The announcement played before the call is forwarded, by the id of a sound handle of the group
                C(custom_announcements) (C(/api/soundhandles/)).
              - Only with the destination V(customhours) (the C5 refuses it on any other); checked before any write.
            type: int
          announcement:
            description:
              - The announcement by the name of its sound handle (for example V(custom_announcement_0)), looked up
                in the group C(custom_announcements); an unknown name fails and lists the names there are.
              - Only with the destination V(customhours). With O(cfu.destinations[].announcement_id) too, both must
                name the same handle.
            type: str
      times: &cf_times
        description:
          - When the call forward applies; empty means always.
          - Each entry is one period; every key not given is unrestricted.
          - Each value is a number or a range C(n-m) within the key's range (a range may wrap, for example
            V(7-2)); a value outside it (V(wday=9)) fails before any request naming the period and the key.
        type: list
        elements: dict
        suboptions:
          year:
            description: A year or range, for example V(2026) or V(2026-2027).
            type: str
          month:
            description: A month (1-12) or range.
            type: str
          mday:
            description: A day of the month (1-31) or range.
            type: str
          wday:
            description: A day of the week, B(1 = Sunday ... 7 = Saturday), or range, for example V(2-6) for Monday to Friday.
            type: str
          hour:
            description: An hour (0-23) or range, for example V(8-17).
            type: str
          minute:
            description: A minute (0-59) or range.
            type: str
      sources: &cf_sources
        description: Calling numbers (patterns such as V(4312345*)) the call forward applies to (or not, see C(sources_mode)); empty means every caller.
        type: list
        elements: str
      sources_mode: &cf_sources_mode
        description: Whether C(sources) lists the callers that are forwarded (V(whitelist)) or the ones that are not (V(blacklist)).
        type: str
        choices: [whitelist, blacklist]
        default: whitelist
      sources_is_regex: &cf_sources_is_regex
        description: Whether C(sources) are regular expressions rather than shell patterns.
        type: bool
        default: false
      bnumbers: &cf_bnumbers
        description: Called numbers (patterns) the call forward applies to (or not, see C(bnumbers_mode)); empty means every called number.
        type: list
        elements: str
      bnumbers_mode: &cf_bnumbers_mode
        description: Whether C(bnumbers) lists the called numbers that are forwarded (V(whitelist)) or the ones that are not (V(blacklist)).
        type: str
        choices: [whitelist, blacklist]
        default: whitelist
      bnumbers_is_regex: &cf_bnumbers_is_regex
        description: Whether C(bnumbers) are regular expressions rather than shell patterns.
        type: bool
        default: false
  cfb:
    type: dict
    suboptions: *cf_suboptions
    description:
      - Call forward on busy.
      - An empty dict or an empty C(destinations) list means no call forward of this type.
      - Not given means the type is left as it is (unless O(clear_others=true)).
  cft:
    description:
      - Call forward on timeout (the subscriber does not answer within C(ringtimeout) seconds).
      - An empty dict or an empty C(destinations) list means no call forward of this type.
      - Not given means the type is left as it is (unless O(clear_others=true)).
    type: dict
    suboptions: &cft_suboptions
      destinations: *cf_destinations
      times: *cf_times
      sources: *cf_sources
      sources_mode: *cf_sources_mode
      sources_is_regex: *cf_sources_is_regex
      bnumbers: *cf_bnumbers
      bnumbers_mode: *cf_bnumbers_mode
      bnumbers_is_regex: *cf_bnumbers_is_regex
      ringtimeout:
        description:
          - Seconds the subscriber's own devices ring before the call is forwarded (a positive number).
          - The C5 stores it as the subscriber's C(ringtimeout) preference. Not given keeps the current value.
        type: int
  cfna:
    type: dict
    suboptions: *cf_suboptions
    description:
      - Call forward when not available (the subscriber is not registered).
      - An empty dict or an empty C(destinations) list means no call forward of this type.
      - Not given means the type is left as it is (unless O(clear_others=true)).
  cfs:
    type: dict
    suboptions: *cf_suboptions
    description:
      - Call forward of SMS.
      - An empty dict or an empty C(destinations) list means no call forward of this type.
      - Not given means the type is left as it is (unless O(clear_others=true)).
  cfr:
    type: dict
    suboptions: *cf_suboptions
    description:
      - Call forward on response (rerouting on a failure response).
      - An empty dict or an empty C(destinations) list means no call forward of this type.
      - Not given means the type is left as it is (unless O(clear_others=true)).
  cfo:
    type: dict
    suboptions: *cf_suboptions
    description:
      - Call forward on overflow.
      - An empty dict or an empty C(destinations) list means no call forward of this type.
      - Not given means the type is left as it is (unless O(clear_others=true)).
  clear_others:
    description:
      - V(false) manages only the types given; the others are left as they are.
      - V(true) also clears every type not given (the task then describes all call forwards).
      - Ignored with O(state=absent).
    type: bool
    default: false
  state:
    description:
      - V(present) sets the given types.
      - V(absent) clears the given types (their content does not matter, for example V(cfu={})),
        or every call forward when no type is given (then with a C(DELETE)).
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - The call forwards of several subscribers in one task, each entry with the options above.
        An option an entry does not set is taken from the task (for example O(domain)).
      - The subscribers are looked up with few requests (a domain many entries name is listed
        page by page when that is cheaper than one look-up per entry).
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
      cfu:
        description: Call forward unconditional.
        type: dict
        suboptions: *cf_suboptions
      cfb:
        description: Call forward on busy.
        type: dict
        suboptions: *cf_suboptions
      cft:
        description: Call forward on timeout.
        type: dict
        suboptions: *cft_suboptions
      cfna:
        description: Call forward when not available.
        type: dict
        suboptions: *cf_suboptions
      cfs:
        description: Call forward of SMS.
        type: dict
        suboptions: *cf_suboptions
      cfr:
        description: Call forward on response.
        type: dict
        suboptions: *cf_suboptions
      cfo:
        description: Call forward on overflow.
        type: dict
        suboptions: *cf_suboptions
      clear_others:
        description: Clear the types this entry does not give.
        type: bool
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
notes:
  - The C5 answers HTTP 422 C(Not a simple cf) when a subscriber has several mappings of one
    type (built with C(/api/cfmappings/)); such subscribers cannot be managed with this module.
  - A subscriber that does not exist fails the task; in check mode it is assumed to be created by
    an earlier task (reported as a change, with a warning). With O(state=absent) it is not an error.
seealso:
  - module: voip.provisioning.c5_subscriber
  - module: voip.provisioning.c5_info
"""

EXAMPLES = r"""
- name: Forward to two numbers when the subscriber is not registered
  voip.provisioning.c5_callforward:
    url: https://c5.example.com:1443
    username: administrator
    password: "{{ c5_password }}"
    subscriber_id: 42
    cfna:
      destinations:
        - destination: "4366610001"
          timeout: 10
        - destination: "4366710001"

- name: Connection once for all C5 tasks
  module_defaults:
    group/voip.provisioning.c5:
      url: https://c5.example.com:1443
      username: administrator
      password: "{{ c5_password }}"
  block:
    - name: Office hours to the mailbox on busy, the rest unconditionally to a colleague
      voip.provisioning.c5_callforward:
        sip_username: alice
        domain: sip.example.com
        cfb:
          destinations:
            - destination: voicebox
          times:
            - wday: "2-6"
              hour: "8-17"
        cft:
          ringtimeout: 20
          destinations:
            - destination: sip:bob@sip.example.com
              timeout: 30
            - destination: voicebox

    - name: Exactly these call forwards, nothing else
      voip.provisioning.c5_callforward:
        sip_username: alice
        domain: sip.example.com
        clear_others: true
        cfu:
          destinations:
            - destination: "+4366610001"

    - name: Call forwards of many subscribers in one task
      voip.provisioning.c5_callforward:
        domain: sip.example.com
        items:
          - username: alice
            cfna:
              destinations: [{destination: voicebox}]
          - username: bob
            cfb:
              destinations: [{destination: "4366610002"}]
              sources: ["43*"]
              sources_mode: blacklist

    - name: Remove the busy call forward only
      voip.provisioning.c5_callforward:
        sip_username: alice
        domain: sip.example.com
        cfb: {}
        state: absent

    - name: Remove every call forward
      voip.provisioning.c5_callforward:
        sip_username: alice
        domain: sip.example.com
        state: absent
"""

RETURN = r"""
callforwards:
  description:
    - The call forwards as the API returns them (all seven types, C({}) for an unset type),
      plus C(subscriber_id).
  returned: when the subscriber exists
  type: dict
  sample:
    subscriber_id: 42
    cfu: {}
    cfb: {}
    cft: {}
    cfs: {}
    cfr: {}
    cfo: {}
    cfna:
      destinations:
        - destination: sip:4366610001@sip.example.com
          simple_destination: "4366610001"
          timeout: 10
          priority: null
          announcement_id: null
      times: []
      sources: []
      sources_mode: whitelist
      sources_is_regex: false
      bnumbers: []
      bnumbers_mode: whitelist
      bnumbers_is_regex: false
      destination_set: {"id": 11, "name": "quickset_cfna"}
      time_set: null
      source_set: null
      bnumber_set: null
diff:
  description: Before and after (normalised, all seven types), when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"cfu": {}}, "after": {"cfu": {"destinations": [{"destination": "voicebox", "timeout": 300, "priority": null}]}}}
results:
  description: One result per entry of O(items), each with C(changed), C(callforwards), C(item) and, on error, C(failed) and C(msg).
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

from ansible_collections.voip.provisioning.plugins.module_utils.c5.callforwards import CallForwards
from ansible_collections.voip.provisioning.plugins.module_utils.c5.task import c5_module

MODULE = c5_module(
    CallForwards,
    mutually_exclusive=[("sip_username", "subscriber_id"), ("sip_username", "items"), ("subscriber_id", "items")],
    required_one_of=[("sip_username", "subscriber_id", "items")],
    required_by={"sip_username": "domain"},
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
