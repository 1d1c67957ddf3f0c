#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: c5_subscriber
short_description: Manage SIP subscribers on a Sipwise C5
version_added: 0.1.0
description:
  - Creates, updates or terminates a subscriber (C(/api/subscribers/)) of a Sipwise C5 / sip:carrier.
  - A subscriber is identified by its SIP user name (O(sip_username), or C(username) in O(items)) and
    O(domain) (the domain compared case-insensitively).
  - Only the options that are set are compared and changed; every other field keeps its value.
    An update reads the subscriber, overlays the wanted values and writes the B(complete) document
    back, because a C5 C(PUT) clears what it is not sent (alias numbers, lock level, status,
    external id, web user name, e-mail, time zone, ...). Read-only keys are dropped, and the
    passwords are only sent when they are to be changed.
  - Numbers are compared by their digits (country code + area code + subscriber number), alias
    numbers as a set (the C5 does not keep their order).
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.c5_connection
  - voip.provisioning.attributes
  - voip.provisioning.attributes.C5_GROUP
  - voip.provisioning.bulk
options:
  sip_username:
    description:
      - The SIP user name of the subscriber, part of the key, for a task that manages one subscriber.
        Required unless O(items) is given (where each entry names it as C(username)).
      - The options O(username) and O(password) are the B(API login), as in every module of this
        collection (they are usually set once with C(module_defaults) for C(group/voip.provisioning.c5)),
        so the subscriber's own user name and SIP password are O(sip_username) and O(sip_password) at
        task level, and C(username) and C(password) (or the same C(sip_) names) in the entries of O(items).
      - Compared exactly; the C5 itself treats user names case-insensitively, so a subscriber whose
        name differs only in case is reported as an error instead of creating a second one.
    type: str
  domain:
    description:
      - The SIP domain name, part of the key. It must exist (see M(voip.provisioning.c5_domain)).
      - Required, in the task or in each entry of O(items).
    type: str
  customer:
    description:
      - The customer, by its external id (see M(voip.provisioning.c5_customer)); terminated customers
        are not considered. Mutually exclusive with O(customer_id).
      - One of O(customer) and O(customer_id) is required to create a subscriber.
      - The customer of an existing subscriber cannot be changed on the C5; a subscriber found under
        another customer fails the task.
    type: str
  customer_id:
    description:
      - The customer, by id. Mutually exclusive with O(customer).
    type: int
  sip_password:
    description:
      - The SIP password of the subscriber (C(password) in the entries of O(items)).
      - When the login may read passwords (the C5 admin flag C(show_passwords)) the current password
        is compared and changed when it differs, whatever O(update_password) says; it is never shown
        (masked in the result and the diff).
      - When the login cannot read it, it is sent only on creation, or on every run with
        O(update_password=always).
    type: str
  webusername:
    description:
      - The user name for the customer self-care web interface. The C5 uses the SIP user name when a
        subscriber is created without one. An empty string removes it.
    type: str
  webpassword:
    description:
      - The password for the customer self-care web interface.
      - The C5 stores it hashed and never returns it, so it cannot be compared. It is sent when the
        subscriber is created, and with O(update_password=always) on every run (each run then
        reports a change, and a C5 with password history enforcement may refuse a repeated password).
    type: str
  update_password:
    description:
      - V(on_create) sets O(sip_password) and O(webpassword) only when creating the subscriber, except that
        a readable SIP password (see O(sip_password)) is compared and corrected.
      - V(always) also sends them on every run when they cannot be compared; for O(webpassword) that is
        a write (and a reported change) on every run.
    type: str
    choices: [on_create, always]
    default: on_create
  primary_number:
    description:
      - The primary number, either a dict with the keys C(cc), C(ac) and C(sn) (integers or digit
        strings) or an E.164 string.
      - In a string with separators (space, V(-), V(.) or V(/)), such as V(+43 9876 10001) or
        V(+43-9876-10001), the groups are country code, area code and subscriber number.
      - In a string without separators, such as V(+43987610001), the country code is found with the
        ITU-T country code table and the rest is the subscriber number (an empty area code). The
        number is the same as C(+43 9876 10001) for comparisons, but the C5 derives the C(ac)
        preference from the area code, so give the groups when that matters.
      - V(00) may stand for V(+) (V(0043 9876 10001)).
      - A string with neither V(+) nor V(00) is B(ambiguous) (V(5550002) could be +55 50002 in Brazil)
        and fails the task before any request, unless O(default_cc) says which country it belongs to.
        Then, as in the C5's own rules for dialled numbers, a leading V(0) is the national trunk
        prefix followed by the area code and the subscriber number (V(09876 10001)), and a number
        without it is a local number in the area O(default_ac) (V(10001)). A YAML number (unquoted
        V(+43987610001)) has lost its V(+), so quote numbers.
      - Recent C5 versions require a primary number for subscribers of C(sipaccount) customers.
    type: raw
  alias_numbers:
    description:
      - The complete list of alias numbers, each in one of the forms of O(primary_number); a dict may
        add C(is_devid) (boolean, default V(false)).
      - Aliases not in the list are removed, so V([]) removes all; without this option the aliases
        are left as they are. The order does not matter.
    type: list
    elements: raw
  default_cc:
    description:
      - The country code (digits, for example V(43)) of the numbers in O(primary_number) and
        O(alias_numbers) that are written without V(+) or V(00) (national numbers). Without it such
        numbers are refused.
      - Not for Italy, San Marino and the Vatican (V(39), V(378), V(379)), where the leading V(0) is
        part of the number; write E.164 there.
    type: raw
  default_ac:
    description:
      - The area code (digits without the trunk prefix V(0), for example V(1) for Vienna) of the
        local numbers in O(primary_number) and O(alias_numbers), those written without V(+), V(00)
        or a leading V(0). Needs O(default_cc).
    type: raw
  external_id:
    description: A free external id of the subscriber (not unique on the C5). An empty string removes it.
    type: str
  status:
    description:
      - V(active) or V(locked). V(locked) makes the C5 set the lock level to 4 unless O(lock) is set.
      - Changing a V(locked) subscriber to V(active) without setting O(lock) also removes the lock
        level, as the C5 does. To terminate a subscriber use O(state=absent).
    type: str
    choices: [active, locked]
  lock:
    description:
      - The lock level, V(1) (foreign), V(2) (outgoing), V(3) (incoming and outgoing), V(4) (global) or
        V(5) (ported), or V(none) to remove a lock. A YAML null means "leave it as it is".
      - V(0) is not a lock level on the C5 (its API rejects it); use V(none).
      - V(none) together with O(status=locked) is refused, since the C5 forces level 4 on locked subscribers.
    type: raw
  administrative:
    description: Whether the subscriber is an administrator of its customer (may manage the other subscribers).
    type: bool
  email:
    description: The subscriber's e-mail address (checked with the C5's rule before any request). An empty string removes it.
    type: str
  timezone:
    description:
      - A time zone database name such as V(Europe/Vienna), checked before any request. An empty string
        (or V(default)) removes it.
      - A link name (V(US/Eastern)) is stored as its target by the C5; both count as the same zone.
    type: str
  display_name:
    description:
      - The display name (caller name).
      - The C5 keeps it in the subscriber preference C(display_name) and ignores it on subscribers of
        C(sipaccount) customers, so this module writes it through C(/api/subscriberpreferences/) with a
        JSON Patch of that one preference (other preferences are untouched). An empty string removes it.
      - Do not also manage C(display_name) with M(voip.provisioning.c5_subscriber_preferences).
    type: str
  profile_set_id:
    description:
      - The id of the subscriber profile set (of the customer's reseller).
      - The C5 keeps the set and the profile on every update (this module sends them back with every C(PUT)).
    type: int
  profile_id:
    description: The id of a subscriber profile of O(profile_set_id) (its default profile when not set).
    type: int
  profile_set:
    description:
      - The subscriber profile set by name (or id), instead of O(profile_set_id). It must belong to the reseller
        of the subscriber's domain; names compare case-insensitively, as on the C5.
      - Without O(profile) or O(profile_id) the subscriber gets the set's default profile.
      - An unknown set or a name several sets share fails before any write.
    type: raw
  profile:
    description:
      - The subscriber profile by name (or id) within O(profile_set) (or O(profile_set_id)), instead of
        O(profile_id). An unknown profile fails before any write, naming the set.
    type: raw
  call_forwards:
    description:
      - The subscriber's call forwards, set right after the subscriber itself (by the same worker, so
        with O(items) a subscriber's settings are written while the next subscriber is created).
      - A dict of call forward types, V(cfu), V(cfb), V(cft), V(cfna), V(cfs), V(cfr), V(cfo), each with
        the suboptions of that option of M(voip.provisioning.c5_callforward) (C(destinations), C(times),
        C(sources), C(bnumbers), ... and C(ringtimeout) for V(cft)), plus C(clear_others) (overrides
        O(call_forwards_clear_others) for this subscriber). They are checked with the same rules before
        any request, the error naming the subscriber and the key.
      - Compared and written exactly as M(voip.provisioning.c5_callforward) does; types not listed are
        left as they are. Not given means the call forwards are not managed.
      - Ignored with O(state=absent).
    type: dict
  preferences:
    description:
      - The subscriber's preferences by name, set right after the subscriber itself, exactly as
        O(voip.provisioning.c5_subscriber_preferences#module:preferences) sets them (V(null) unsets one;
        reference preferences such as C(ncos) or C(sound_set) by name).
      - Checked against the platform's preference definitions before the subscriber is written, so an
        unknown name or a refused value fails the subscriber's entry before any write of it.
      - Not given means the preferences are not managed. Ignored with O(state=absent).
    type: dict
  call_forwards_clear_others:
    description:
      - Remove the call forward types a subscriber's O(call_forwards) does not list (as O(voip.provisioning.c5_callforward#module:clear_others)).
      - Only for subscribers that set O(call_forwards).
    type: bool
    default: false
  preferences_remove_others:
    description:
      - Remove the preferences a subscriber's O(preferences) does not list, except the ones C5 sets itself
        (C(cc), C(ac), C(allowed_clis), C(call_log_level), C(emergency_location_format), C(lock); see
        O(voip.provisioning.c5_subscriber_preferences#module:keep)).
      - Only for subscribers that set O(preferences).
    type: bool
    default: false
  state:
    description:
      - V(present) creates the subscriber or updates the fields that are set.
      - V(absent) B(terminates) it (C(DELETE)). B(This is one-way.) A terminated subscriber disappears from
        the API, its numbers are released, and the same user name can be created again as a new subscriber.
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - Several subscribers in one task. Each entry takes the options above, with C(username) and
        C(password) for the SIP user name and password; an option an entry does not set is taken from
        the task (for example O(domain) and O(customer)). The API login (O(username), O(password)) is
        never taken as an entry's SIP user name or password.
      - When many entries share a customer, its subscribers are listed once (page by page) instead of
        being looked up one by one.
    type: list
    elements: dict
    suboptions:
      username:
        description: The SIP user name (not the API login).
        type: str
        required: true
        aliases: [sip_username]
      domain:
        description: The SIP domain name.
        type: str
      customer:
        description: The customer's external id.
        type: str
      customer_id:
        description: The customer's id.
        type: int
      password:
        description: The SIP password (not the password of the API login); see O(sip_password).
        type: str
        aliases: [sip_password]
      webusername:
        description: The web user name.
        type: str
      webpassword:
        description: The web password.
        type: str
      update_password:
        description: V(on_create) or V(always).
        type: str
        choices: [on_create, always]
      primary_number:
        description: The primary number (dict or E.164 string; a national one with O(default_cc)).
        type: raw
      alias_numbers:
        description: The complete list of alias numbers.
        type: list
        elements: raw
      default_cc:
        description: The country code of this entry's national numbers; see O(default_cc).
        type: raw
      default_ac:
        description: The area code of this entry's local numbers; see O(default_ac).
        type: raw
      external_id:
        description: The external id.
        type: str
      status:
        description: V(active) or V(locked).
        type: str
        choices: [active, locked]
      lock:
        description: The lock level 1 to 5, or V(none).
        type: raw
      administrative:
        description: Whether the subscriber is an administrator of its customer.
        type: bool
      email:
        description: The e-mail address.
        type: str
      timezone:
        description: The time zone name.
        type: str
      display_name:
        description: The display name.
        type: str
      profile_set_id:
        description: The subscriber profile set id.
        type: int
      profile_id:
        description: The subscriber profile id.
        type: int
      profile_set:
        description: The subscriber profile set by name (or id).
        type: raw
      profile:
        description: The subscriber profile by name (or id) within the set.
        type: raw
      call_forwards:
        description: This subscriber's call forwards; see O(call_forwards).
        type: dict
      preferences:
        description: This subscriber's preferences; see O(preferences).
        type: dict
      state:
        description: V(present) or V(absent) (terminate, one-way).
        type: str
        choices: [present, absent]
notes:
  - Check mode sends no write request; with C(--diff) the before and after states are shown with the
    passwords masked.
  - The C5 copies the status of a customer to its subscribers (locking a customer locks them).
  - With O(items), a number can move from one subscriber to another in one task. Every subscriber
    that gives a number up (or is terminated) is written first, then the others, whatever O(workers)
    and the order of the entries (the C5 refuses a number another subscriber still holds).
  - The C5 adds a subscriber's numbers to its C(allowed_clis) preference and leaves them there when
    they are removed or moved away. Neither O(preferences) here nor
    M(voip.provisioning.c5_subscriber_preferences) removes such numbers by itself, because a
    number in C(allowed_clis) that the subscriber no longer holds may have been allowed on purpose (a
    company's main number held by another subscriber), which cannot be told from one the C5 left
    behind. To keep C(allowed_clis) exact, list it with M(voip.provisioning.c5_subscriber_preferences)
    (the subscriber's numbers, from the same variables), which then sets it to the listed numbers and
    removes the others.
"""

EXAMPLES = r"""
- name: A subscriber with a primary number and two aliases
  voip.provisioning.c5_subscriber:
    url: https://c5.example.com:1443
    username: administrator            # the API login
    password: "{{ c5_password }}"
    domain: sip.tenant.example.com
    customer: cust-1001
    sip_username: "10001"
    sip_password: "{{ sip_password }}"
    webpassword: "{{ web_password }}"
    primary_number: "+43 9876 10001"
    alias_numbers:
      - "+43-9877-10001"
      - {cc: 43, ac: 9878, sn: 10001, is_devid: true}
    display_name: Reception

- name: Connection once, many subscribers of one customer in one task
  module_defaults:
    group/voip.provisioning.c5:
      url: https://c5.example.com:1443
      username: administrator
      password: "{{ c5_password }}"
  block:
    - name: Subscribers of cust-1001
      voip.provisioning.c5_subscriber:
        domain: sip.tenant.example.com
        customer: cust-1001
        items:
          - username: "10002"
            password: "{{ vault_sip['10002'] }}"
            primary_number: "+43 9876 10002"
          - username: "10003"
            password: "{{ vault_sip['10003'] }}"
            primary_number: "+43 9876 10003"
            lock: 2

    - name: National numbers (Vienna, +43 1) - without default_cc they fail before any request
      voip.provisioning.c5_subscriber:
        domain: sip.tenant.example.com
        customer: cust-1001
        default_cc: 43
        default_ac: 1
        continue_on_error: true            # apply the valid entries even if one is invalid
        items:
          - username: "10004"
            password: "{{ vault_sip['10004'] }}"
            primary_number: "5550004"      # local: +43 1 5550004
            alias_numbers: ["0316 5550004"]  # national: +43 316 5550004

    - name: Subscribers with their call forwards and preferences, one task for the whole tenant
      voip.provisioning.c5_subscriber:
        domain: sip.tenant.example.com
        customer: cust-1001
        item_results: compact                # unchanged subscribers: only changed and item
        items:
          - username: "10005"
            password: "{{ vault_sip['10005'] }}"
            primary_number: "+43 9876 10005"
            call_forwards:
              cfna:
                destinations:
                  - destination: "+4366610005"
                    timeout: 20
                  - destination: voicebox
            preferences:
              block_in_clir: true
              concurrent_max: 2

    - name: Unlock a subscriber
      voip.provisioning.c5_subscriber:
        domain: sip.tenant.example.com
        sip_username: "10003"
        lock: none

    - name: The subscriber profile "Full" of the profile set "Office" (names of the reseller's objects)
      voip.provisioning.c5_subscriber:
        domain: sip.tenant.example.com
        sip_username: "10003"
        profile_set: Office
        profile: Full

    - name: Terminate a subscriber (one-way)
      voip.provisioning.c5_subscriber:
        domain: sip.tenant.example.com
        sip_username: "10002"
        state: absent
"""

RETURN = r"""
subscriber:
  description:
    - The subscriber as the API returns it (absent after termination and in check mode before creation).
    - C(password) is masked.
  returned: when the subscriber exists
  type: dict
  sample: {"id": 9, "username": "10001", "domain": "sip.tenant.example.com", "customer_id": 5, "status": "active",
           "lock": null, "primary_number": {"cc": 43, "ac": "9876", "sn": "10001", "number_id": 13},
           "alias_numbers": [], "password": "********", "webusername": "10001"}
diff:
  description: Before and after, when run with C(--diff); passwords are masked.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"lock": null}, "after": {"lock": 2}}
call_forwards:
  description:
    - When O(call_forwards) is given, its result as M(voip.provisioning.c5_callforward) returns it (C(changed),
      C(callforwards)); its diff is the key C(call_forwards) of the subscriber's diff.
    - In check mode, for a subscriber still to be created, only C(changed).
  returned: when O(call_forwards) is given and O(state=present)
  type: dict
  sample: {"changed": true, "callforwards": {"subscriber_id": 9, "cfu": {"destinations": [{"destination": "voicebox"}]}}}
preferences:
  description:
    - When O(preferences) is given, its result as M(voip.provisioning.c5_subscriber_preferences) returns it
      (C(changed), C(preferences), secrets masked); its diff is the key C(preferences) of the subscriber's diff.
  returned: when O(preferences) is given and O(state=present)
  type: dict
  sample: {"changed": false, "preferences": {"block_in_clir": true, "concurrent_max": 2}}
results:
  description:
    - One result per entry of O(items), each with C(changed), C(subscriber), C(item), C(call_forwards) and
      C(preferences) when the entry sets them and, on error, C(failed) and C(msg).
    - With O(item_results=compact), an entry that did not change keeps only C(changed) and C(item).
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
      description: The number of entries of O(items).
      type: int
    changed:
      description: How many of them changed.
      type: int
    failed:
      description: How many of them failed.
      type: int
    not_applied:
      description:
        - When invalid entries stopped the task before any request (O(continue_on_error=false)), how many valid
          entries were not applied; each of their results says that it was not applied and which item is invalid.
      type: int
      returned: when an invalid entry stopped the task
"""

from ansible_collections.voip.provisioning.plugins.module_utils.c5.subscriber_settings import SubscriberWithSettings
from ansible_collections.voip.provisioning.plugins.module_utils.c5.task import c5_module

MODULE = c5_module(SubscriberWithSettings, item_rules=dict(mutually_exclusive=[("customer", "customer_id")]),
                   mutually_exclusive=[("sip_username", "items"), ("sip_password", "items"), ("customer", "customer_id")],
                   required_one_of=[("sip_username", "items")])


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
