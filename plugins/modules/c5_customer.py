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
"""

from ansible_collections.voip.provisioning.plugins.module_utils.c5 import (
    C5References, c5_argument_spec, matching_contacts, norm_bool, run_c5,
)
from ansible_collections.voip.provisioning.plugins.module_utils.client import InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.engine import Resource, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.runner import ModuleSpec

# Keys of a customer representation that are read-only or describe the billing
# history; they are not sent back on update.
READ_ONLY = ("id", "_links", "_embedded", "create_timestamp", "activate_timestamp", "modify_timestamp",
             "terminate_timestamp", "all_billing_profiles", "billing_profiles", "billing_profile_definition")
VIEW_FIELDS = ("external_id", "contact_id", "billing_profile_id", "type", "status", "max_subscribers", "vat_rate", "add_vat")


def contact_id_by_email(api, shared, email, reseller_id, field="contact"):
    """The id of the one customer contact with this e-mail within the reseller."""
    key = (str(email).strip().lower(), reseller_id)
    cache = shared.setdefault("c5_contact_ids", {})
    with shared["lock"]:
        cached = key in cache
        found_id = cache.get(key)
    if not cached:
        found = matching_contacts(api, email, reseller_id)
        if len(found) > 1:
            raise VoipError("%s: e-mail '%s' is ambiguous, %d customer contacts have it (ids %s); give contact_id instead%s"
                            % (field, email, len(found), ", ".join(str(c.get("id")) for c in found),
                               "" if reseller_id is not None else " or set reseller"))
        found_id = found[0]["id"] if found else None
        with shared["lock"]:
            cache[key] = found_id
    if found_id is None:
        raise Unresolved("%s: no customer contact with e-mail '%s'%s exists; create it first "
                         "(voip.provisioning.c5_customer_contact) or give contact_id"
                         % (field, email, "" if reseller_id is None else " in reseller %s" % reseller_id))
    return found_id


class Customer(Resource):
    name = "customer"
    key_options = ("external_id",)

    def desired(self, item):
        external_id = item.get("external_id")
        if not external_id:
            raise InputError("external_id is required (or give items)")
        if item.get("contact") is not None and item.get("contact_id") is not None:
            raise InputError("give contact or contact_id, not both (an entry of items may not override one with the other)")
        desired = {"external_id": str(external_id)}
        refs = C5References(self.api, self.shared)
        reseller_id = refs.reseller_id(item.get("reseller"))
        if item.get("state", "present") == "absent":
            return desired
        if item.get("contact_id") is not None:
            desired["contact_id"] = int(item["contact_id"])
        elif item.get("contact") is not None:
            desired["contact_id"] = contact_id_by_email(self.api, self.shared, item["contact"], reseller_id)
        if item.get("billing_profile") is not None:
            desired["billing_profile_id"] = refs.billing_profile_id(item["billing_profile"], reseller_id)
        for field in ("type", "status"):
            if item.get(field) is not None:
                desired[field] = item[field]
        if item.get("max_subscribers") is not None:
            value = int(item["max_subscribers"])
            if value < -1:
                raise InputError("max_subscribers must be -1 (unlimited) or a count >= 0, not %d" % value)
            desired["max_subscribers"] = None if value == -1 else value
        if item.get("vat_rate") is not None:
            rate = float(item["vat_rate"])
            if not 0 <= rate <= 100:
                raise InputError("vat_rate must be between 0 and 100, not %s" % item["vat_rate"])
            desired["vat_rate"] = rate
        if item.get("add_vat") is not None:
            desired["add_vat"] = bool(item["add_vat"])
        return desired

    def _reseller_id(self, item):
        return C5References(self.api, self.shared).reseller_id(item.get("reseller"))

    def find(self, item, desired):
        external_id = desired["external_id"]
        filters = {"external_id": external_id, "not_status": "terminated"}
        reseller_id = self._reseller_id(item)
        if reseller_id is not None:
            filters["reseller_id"] = reseller_id
        found = [c for c in self.api.list("customers", filters)
                 if c.get("external_id") == external_id and c.get("status") != "terminated"]
        if len(found) > 1:
            raise VoipError("customer external_id '%s' is ambiguous: %d customers that are not terminated have it (ids %s); "
                            "external ids are not unique on the C5, but this module uses them as the key%s"
                            % (external_id, len(found), ", ".join(str(c.get("id")) for c in found),
                               "" if reseller_id is not None else " (set reseller if they belong to different resellers)"))
        raw = found[0] if found else None
        if raw is not None and item.get("state", "present") == "present" and desired.get("type") \
                and raw.get("type") and raw["type"] != desired["type"]:
            raise VoipError("customer '%s' (id %s) is a %s; the C5 cannot change the type of a customer to %s "
                            "(its API ignores it). Remove the option type, or terminate the customer "
                            "(state=absent) and create a new one."
                            % (external_id, raw.get("id"), raw["type"], desired["type"]))
        return raw

    def view(self, raw):
        view = dict((field, raw.get(field)) for field in VIEW_FIELDS)
        view["add_vat"] = norm_bool(raw.get("add_vat"))
        return view

    def differs(self, field, current, wanted):
        if field in ("vat_rate",):
            try:
                return float(current or 0) != float(wanted or 0)
            except (TypeError, ValueError):
                return current != wanted
        if field in ("contact_id", "billing_profile_id", "max_subscribers"):
            return (None if current is None else int(current)) != (None if wanted is None else int(wanted))
        if field == "add_vat":
            return norm_bool(current) != norm_bool(wanted)
        return current != wanted

    def create(self, item, desired):
        missing = [name for name, key in (("contact or contact_id", "contact_id"), ("billing_profile", "billing_profile_id"))
                   if desired.get(key) is None]
        if missing:
            raise InputError("customer '%s' does not exist; to create it set %s" % (desired["external_id"], " and ".join(missing)))
        body = dict(desired)
        body.setdefault("type", "sipaccount")
        body.setdefault("status", "active")
        new_id = self.api.create("customers", body)
        C5References(self.api, self.shared).forget(("customer", desired["external_id"]))
        return self.api.get("customers", new_id) or dict(body, id=new_id)

    def update(self, item, raw, desired, changes):
        # Customers keep omitted columns, but contact_id, status and
        # billing_profile_id are required on every PUT: send the merged document.
        body = dict((k, v) for k, v in raw.items() if k not in READ_ONLY)
        body.update(desired)
        updated = self.api.put("customers", raw["id"], body)
        return updated if updated is not None else self.api.get("customers", raw["id"])

    def delete(self, item, raw):
        # No DELETE on customers: termination is a status, and it is one-way.
        self.api.patch("customers", raw["id"], [{"op": "replace", "path": "/status", "value": "terminated"}],
                       representation=False)
        C5References(self.api, self.shared).forget(("customer", raw.get("external_id")))

    def absent_view(self):
        return {"status": "terminated"}


def _customer_options(for_items=False):
    return dict(
        external_id=dict(type="str", required=True) if for_items else dict(type="str"),
        contact=dict(type="str"),
        contact_id=dict(type="int"),
        reseller=dict(type="str"),
        billing_profile=dict(type="str"),
        type=dict(type="str", choices=["sipaccount", "pbxaccount"]),
        status=dict(type="str", choices=["active", "locked", "pending"]),
        max_subscribers=dict(type="int"),
        vat_rate=dict(type="float"),
        add_vat=dict(type="bool"),
        state=dict(type="str", choices=["present", "absent"]) if for_items else
        dict(type="str", choices=["present", "absent"], default="present"),
    )


def _argument_spec():
    spec = _customer_options()
    spec["items"] = dict(type="list", elements="dict", options=_customer_options(for_items=True),
                         mutually_exclusive=[("contact", "contact_id")])
    return c5_argument_spec(**spec)


MODULE = ModuleSpec(
    argument_spec=_argument_spec(),
    run_function=lambda options, ctx: run_c5(Customer, options, ctx),
    mutually_exclusive=[("external_id", "items"), ("contact", "contact_id")],
    required_one_of=[("external_id", "items")],
)


def main():
    MODULE.main()


if __name__ == "__main__":
    main()
