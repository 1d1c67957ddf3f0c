#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: c5_customer
short_description: Manage customers (customer contracts) on a Sipwise C5
version_added: 0.1.0
description:
  - Creates, updates or terminates a customer (C(/api/customers/)) of a Sipwise C5 / sip:carrier.
  - The C5 has no unique key for customers. This module identifies a customer by O(external_id),
    looking only at customers that are not terminated; the task fails and names the ids when
    several customers share the external id.
  - Only the options that are set are compared and changed; every other field keeps its value.
  - B(A terminated customer is never found again.) With O(state=present) and an O(external_id)
    whose only customer is terminated, a B(new) customer is created.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.c5_connection
  - voip.provisioning.attributes
  - voip.provisioning.attributes.C5_GROUP
  - voip.provisioning.bulk
options:
  external_id:
    description:
      - The customer's external id, the key this module finds it by. Required unless O(items) is given.
    type: str
  contact:
    description:
      - The customer contact, by e-mail address, looked up within O(reseller)
        (see M(voip.provisioning.c5_customer_contact)).
      - Required to create a customer unless O(contact_id) is given. Mutually exclusive with O(contact_id).
    type: str
  contact_id:
    description:
      - The customer contact, by id. Mutually exclusive with O(contact).
    type: int
  reseller:
    description:
      - The reseller, by id or by name, within which O(contact) and O(billing_profile) are looked up
        and the customer is looked for.
      - Administrators should set it; reseller logins leave it out (they only see their own objects).
    type: str
  billing_profile:
    description:
      - The billing profile, by handle (looked up within O(reseller)) or by id. Required to create a customer.
      - Changing it on an existing customer makes the new profile effective now; the C5 keeps the
        earlier profiles in the customer's billing history (C(all_billing_profiles)).
    type: str
  type:
    description:
      - The product of the customer. V(sipaccount) when creating and not set.
      - The C5 cannot change the type of an existing customer (its API silently ignores it), so a
        different type on an existing customer fails the task.
    type: str
    choices: [sipaccount, pbxaccount]
  status:
    description:
      - V(active), V(locked) or V(pending); V(active) when creating and not set.
      - The C5 copies a status change to all subscribers of the customer (V(locked) sets their lock
        level to 4, V(active) clears it). Avoid V(pending) on customers that have subscribers.
      - To terminate a customer use O(state=absent).
    type: str
    choices: [active, locked, pending]
  max_subscribers:
    description:
      - The most subscribers the customer may have. V(-1) removes the limit (unlimited).
    type: int
  vat_rate:
    description: VAT rate in percent (0 to 100).
    type: float
  add_vat:
    description: Whether VAT is added to the customer's invoices.
    type: bool
  billing_profiles:
    description:
      - A billing profile schedule (C(billing_profile_definition=profiles) of the C5), for example a
        promotional profile for one month. Each entry is an interval in which its profile applies.
      - The intervals still to come are exactly the listed ones (compared as the C5 returns them, in
        C(billing_profiles)); an update replaces them. Intervals that have started are the customer's
        billing history (C(all_billing_profiles)); the C5 keeps them, and listing them again is no change.
      - An entry without O(billing_profiles[].start) and O(billing_profiles[].stop) is the base profile, the
        same as O(billing_profile) (at most one; needed to create a customer unless O(billing_profile) is given).
      - Times are the C5's local time. A start must lie in the future when the interval is written (the
        C5 refuses others with HTTP 422).
      - While a listed interval is in force the C5 shows its profile as C(billing_profile_id); that is no
        change of O(billing_profile).
      - V([]) removes every interval still to come.
    type: list
    elements: dict
    suboptions:
      profile:
        description: The billing profile of the interval, by handle (within O(reseller)) or by id.
        type: raw
        required: true
      start:
        description: When the interval begins, C(YYYY-MM-DD HH:MM:SS) or C(YYYY-MM-DD) (midnight).
        type: str
      stop:
        description: When it ends (the base profile applies again); none for open-ended. Needs O(billing_profiles[].start).
        type: str
      network:
        description:
          - A billing network the interval is limited to (C(/api/billingnetworks/)), by name or id.
          - A name must be unique among the networks of O(reseller) and those of no reseller; it is looked up
            before anything is written (an unknown name or one of another reseller fails naming the interval).
        type: raw
  state:
    description:
      - V(present) creates the customer or updates the fields that are set.
      - V(absent) B(terminates) the customer (C(status=terminated)). B(This is one-way and cannot be undone.)
        The C5 also terminates all of its subscribers and removes its PBX devices; the customer stays
        visible with status C(terminated) but can no longer be changed or used.
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - Several customers in one task. Each entry takes the options above; an option an entry does not
        set is taken from the task.
    type: list
    elements: dict
    suboptions:
      external_id:
        description: The external id.
        type: str
        required: true
      contact:
        description: The contact's e-mail address.
        type: str
      contact_id:
        description: The contact's id.
        type: int
      reseller:
        description: The reseller, by id or name.
        type: str
      billing_profile:
        description: The billing profile, by handle or id.
        type: str
      type:
        description: The product.
        type: str
        choices: [sipaccount, pbxaccount]
      status:
        description: The status.
        type: str
        choices: [active, locked, pending]
      max_subscribers:
        description: The most subscribers; V(-1) for unlimited.
        type: int
      vat_rate:
        description: VAT rate in percent.
        type: float
      add_vat:
        description: Whether VAT is added.
        type: bool
      billing_profiles:
        description: A billing profile schedule, as O(billing_profiles).
        type: list
        elements: dict
        suboptions:
          profile:
            description: The billing profile, by handle or id.
            type: raw
            required: true
          start:
            description: When the interval begins.
            type: str
          stop:
            description: When it ends.
            type: str
          network:
            description: A billing network, by name or id.
            type: raw
      state:
        description: V(present) or V(absent) (terminate, one-way).
        type: str
        choices: [present, absent]
notes:
  - Check mode sends no write request; with C(--diff) the before and after states are shown.
  - An update reads the customer, overlays the wanted values and writes the whole document back
    (C(contact_id), C(status) and C(billing_profile_id) are required on every C5 update).
"""

EXAMPLES = r"""
- name: A customer of reseller 1 with the default billing profile
  voip.provisioning.c5_customer:
    url: https://c5.example.com:1443
    username: administrator
    password: "{{ c5_password }}"
    reseller: default
    external_id: cust-1001
    contact: john.doe@example.com
    billing_profile: default
    max_subscribers: 10

- name: A promotional billing profile for February, the default one before and after
  voip.provisioning.c5_customer:
    url: https://c5.example.com:1443
    username: administrator
    password: "{{ c5_password }}"
    reseller: default
    external_id: cust-1001
    billing_profile: default
    billing_profiles:
      - profile: promo
        start: "2030-02-01 00:00:00"
        stop: "2030-03-01 00:00:00"

- name: Lock it
  voip.provisioning.c5_customer:
    url: https://c5.example.com:1443
    username: administrator
    password: "{{ c5_password }}"
    external_id: cust-1001
    status: locked

- name: Remove the limit of subscribers
  voip.provisioning.c5_customer:
    url: https://c5.example.com:1443
    username: administrator
    password: "{{ c5_password }}"
    external_id: cust-1001
    max_subscribers: -1

- name: Terminate it (one-way; its subscribers are terminated too)
  voip.provisioning.c5_customer:
    url: https://c5.example.com:1443
    username: administrator
    password: "{{ c5_password }}"
    external_id: cust-1001
    state: absent
"""

RETURN = r"""
customer:
  description: The customer as the API returns it (absent in check mode before creation).
  returned: when the customer exists
  type: dict
  sample: {"id": 5, "external_id": "cust-1001", "contact_id": 3, "billing_profile_id": 1, "type": "sipaccount",
           "status": "active", "max_subscribers": 10, "vat_rate": 0, "add_vat": false}
diff:
  description: Before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"status": "active"}, "after": {"status": "locked"}}
results:
  description: One result per entry of O(items), each with C(changed), C(customer), C(item) and, on error, C(failed) and C(msg).
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

from ansible_collections.voip.provisioning.plugins.module_utils.c5.customers import Customer
from ansible_collections.voip.provisioning.plugins.module_utils.c5.task import c5_module

MODULE = c5_module(Customer, item_rules=dict(mutually_exclusive=[("contact", "contact_id")]),
                   mutually_exclusive=[("external_id", "items"), ("contact", "contact_id")],
                   required_one_of=[("external_id", "items")])


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
