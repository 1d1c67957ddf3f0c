#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: c5_customer_contact
short_description: Manage customer contacts on a Sipwise C5
version_added: 0.1.0
description:
  - Creates, updates or deletes a customer contact (C(/api/customercontacts/)) of a Sipwise C5 / sip:carrier.
  - The C5 has no unique key for contacts; B(e-mail is not unique server-side). This module
    identifies a contact by its e-mail address (compared case-insensitively, as the C5 does)
    within its reseller. When several contacts of that reseller share the e-mail the task fails
    and names their ids; remove or rename the duplicates first.
  - Only the options that are set are compared and changed; every other field keeps its value.
    An update reads the contact, overlays the wanted values and writes the complete document back,
    because a C5 C(PUT) clears C(country) and C(timezone) when they are omitted.
author:
  - VoIP provisioning maintainers (@voip-provisioning)
extends_documentation_fragment:
  - voip.provisioning.c5_connection
  - voip.provisioning.attributes
  - voip.provisioning.attributes.C5_GROUP
  - voip.provisioning.bulk
options:
  email:
    description:
      - The contact's e-mail address, the key of the contact. Required unless O(items) is given.
      - Checked with the C5's rule before any request (a plain address such as V(someuser@example.com),
        ASCII, a domain with at least two labels).
    type: str
  reseller:
    description:
      - The reseller the contact belongs to, by id or by name.
      - Administrators must set it to create a contact and should set it to find one (without it a
        contact with this e-mail is looked for in every reseller). Reseller logins leave it out; the
        C5 always uses their own reseller.
    type: str
  firstname:
    description: First name. An empty string removes the value (likewise for every text option below).
    type: str
  lastname:
    description: Last name.
    type: str
  company:
    description: Company name.
    type: str
  street:
    description: Street and house number.
    type: str
  postcode:
    description: Postal code.
    type: str
  city:
    description: City.
    type: str
  country:
    description:
      - Country as an ISO 3166-1 alpha-2 code such as V(AT) (compared case-insensitively, sent in upper case).
      - Anything else (a country name such as V(Austria), an unassigned code) fails before any request.
    type: str
  phonenumber:
    description: Phone number (free text).
    type: str
  mobilenumber:
    description: Mobile number (free text).
    type: str
  faxnumber:
    description: Fax number (free text).
    type: str
  iban:
    description: IBAN of the bank account.
    type: str
  bic:
    description: BIC of the bank.
    type: str
  vatnum:
    description: VAT number.
    type: str
  comregnum:
    description: Commercial register number.
    type: str
  bankname:
    description: Name of the bank.
    type: str
  timezone:
    description:
      - Time zone database name such as V(Europe/Vienna).
      - The C5 stores a link name as its target (V(US/Eastern) as V(America/New_York)); both are
        treated as the same zone, so neither causes a change on the next run.
      - A name the tz database does not know fails before any request (checked against the
        controller's tz database, C(zoneinfo), when it has one). An empty string or V(default)
        removes the zone (the contact inherits it).
    type: str
  gpp:
    description:
      - The general purpose fields C(gpp0) to C(gpp9), as a dict with those keys and text values.
      - Only the keys given are compared and changed; an empty string removes a value.
    type: dict
  state:
    description:
      - V(present) creates the contact or updates the fields that are set.
      - V(absent) deletes it. The C5 refuses (HTTP 423) while a customer or subscriber that is not
        terminated uses the contact; terminate those first. A contact only used by terminated
        customers is hidden by the C5 instead of deleted.
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - Several contacts in one task. Each entry takes the options above; an option an entry does
        not set is taken from the task.
    type: list
    elements: dict
    suboptions:
      email:
        description: The e-mail address.
        type: str
        required: true
      reseller:
        description: The reseller, by id or name.
        type: str
      firstname:
        description: First name.
        type: str
      lastname:
        description: Last name.
        type: str
      company:
        description: Company name.
        type: str
      street:
        description: Street.
        type: str
      postcode:
        description: Postal code.
        type: str
      city:
        description: City.
        type: str
      country:
        description: ISO 3166-1 alpha-2 country code.
        type: str
      phonenumber:
        description: Phone number.
        type: str
      mobilenumber:
        description: Mobile number.
        type: str
      faxnumber:
        description: Fax number.
        type: str
      iban:
        description: IBAN.
        type: str
      bic:
        description: BIC.
        type: str
      vatnum:
        description: VAT number.
        type: str
      comregnum:
        description: Commercial register number.
        type: str
      bankname:
        description: Name of the bank.
        type: str
      timezone:
        description: Time zone name.
        type: str
      gpp:
        description: General purpose fields C(gpp0) to C(gpp9).
        type: dict
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
notes:
  - Check mode sends no write request; with C(--diff) the before and after states are shown.
"""

EXAMPLES = r"""
- name: A customer contact of reseller 1
  voip.provisioning.c5_customer_contact:
    url: https://c5.example.com:1443
    username: administrator
    password: "{{ c5_password }}"
    reseller: default
    email: john.doe@example.com
    firstname: John
    lastname: Doe
    country: AT
    timezone: Europe/Vienna
    gpp:
      gpp0: CRM-4711

- name: Several contacts at once, connection from module_defaults
  module_defaults:
    group/voip.provisioning.c5:
      url: https://c5.example.com:1443
      username: administrator
      password: "{{ c5_password }}"
  block:
    - name: Contacts of one reseller
      voip.provisioning.c5_customer_contact:
        reseller: 1
        items:
          - email: alice@example.com
            company: Alice Ltd
          - email: bob@example.com
            company: Bob AG

    - name: Remove a contact that is no longer used
      voip.provisioning.c5_customer_contact:
        reseller: 1
        email: old@example.com
        state: absent
"""

RETURN = r"""
customer_contact:
  description: The contact as the API returns it (absent after a deletion and in check mode before creation).
  returned: when the contact exists
  type: dict
  sample: {"id": 3, "email": "john.doe@example.com", "reseller_id": 1, "firstname": "John", "lastname": "Doe",
           "country": "AT", "timezone": "Europe/Vienna", "gpp0": "CRM-4711"}
diff:
  description: Before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"city": null}, "after": {"city": "Vienna"}}
results:
  description: One result per entry of O(items), each with C(changed), C(customer_contact), C(item) and, on error, C(failed) and C(msg).
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

from ansible_collections.voip.provisioning.plugins.module_utils.c5.contacts import CustomerContact
from ansible_collections.voip.provisioning.plugins.module_utils.c5.task import c5_module

MODULE = c5_module(CustomerContact, mutually_exclusive=[("email", "items")], required_one_of=[("email", "items")])


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
