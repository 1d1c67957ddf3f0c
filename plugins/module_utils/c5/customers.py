# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""C5 customers (``/api/customers/``), found by external_id; terminated, never deleted."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.c5.domains import STATE
from ansible_collections.voip.provisioning.plugins.module_utils.c5.references import C5References
from ansible_collections.voip.provisioning.plugins.module_utils.c5.values import differs_bool, differs_int, norm_bool
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import find_unique
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import ObjectResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet

# Keys of a customer representation that are read-only or describe the billing
# history; they are not sent back on update.
READ_ONLY = ("id", "_links", "_embedded", "create_timestamp", "activate_timestamp", "modify_timestamp",
             "terminate_timestamp", "all_billing_profiles", "billing_profiles", "billing_profile_definition")


def _max_subscribers(value):
    value = int(value)
    if value < -1:
        raise InputError("max_subscribers must be -1 (unlimited) or a count >= 0, not %d" % value)
    return None if value == -1 else value


def _vat_rate(value):
    rate = float(value)
    if not 0 <= rate <= 100:
        raise InputError("vat_rate must be between 0 and 100, not %s" % value)
    return rate


def _differs_rate(current, wanted):
    try:
        return float(current or 0) != float(wanted or 0)
    except (TypeError, ValueError):
        return current != wanted


def _resolve_contact(resource, value, item):
    if item.get("contact_id") is not None:
        return None  # contact_id wins (both at once is refused by desired())
    return resource.refs.contact_id(value, resource.refs.reseller_id(item.get("reseller")))


def _resolve_billing_profile(resource, value, item):
    return resource.refs.billing_profile_id(value, resource.refs.reseller_id(item.get("reseller")))


class Customer(ObjectResource):
    name = "customer"
    key = ("external_id",)
    fields = FieldSet(
        Field("external_id", key=True, normalise=str),
        Field("contact", api=False),
        Field("contact_id", type="int", normalise=int, compare=differs_int),
        Field("contact_by_email", api_name="contact_id", option="contact", in_task=False, in_items=False,
              resolve=_resolve_contact),
        Field("reseller", api=False),
        Field("billing_profile_id", option="billing_profile", compare=differs_int, resolve=_resolve_billing_profile),
        Field("type", choices=["sipaccount", "pbxaccount"]),
        Field("status", choices=["active", "locked", "pending"]),
        Field("max_subscribers", type="int", normalise=_max_subscribers, compare=differs_int),
        Field("vat_rate", type="float", normalise=_vat_rate, compare=_differs_rate),
        Field("add_vat", type="bool", normalise=bool, read=norm_bool, compare=differs_bool),
        STATE,
    )

    @property
    def refs(self):
        return C5References(self.api, self.run)

    def desired(self, item):
        external_id = item.get("external_id")
        if not external_id:
            raise InputError("external_id is required (or give items)")
        if item.get("contact") is not None and item.get("contact_id") is not None:
            raise InputError("give contact or contact_id, not both (an entry of items may not override one with the other)")
        self.refs.reseller_id(item.get("reseller"))
        if item.get("state", "present") == "absent":
            return {"external_id": str(external_id)}
        # The contact named by e-mail takes the place of contact_id.
        return dict(("contact_id" if name == "contact_by_email" else name, value)
                    for name, value in ObjectResource.desired(self, item).items())

    def view(self, raw):
        view = ObjectResource.view(self, raw)
        view.pop("contact_by_email", None)
        return view

    def find(self, item, desired):
        external_id = desired["external_id"]
        filters = {"external_id": external_id, "not_status": "terminated"}
        reseller_id = self.refs.reseller_id(item.get("reseller"))
        if reseller_id is not None:
            filters["reseller_id"] = reseller_id
        raw = find_unique(
            self.api.list("customers", filters),
            lambda c: c.get("external_id") == external_id and c.get("status") != "terminated",
            ambiguous=lambda found: (
                "customer external_id '%s' is ambiguous: %d customers that are not terminated have it (ids %s); "
                "external ids are not unique on the C5, but this module uses them as the key%s"
                % (external_id, len(found), ", ".join(str(c.get("id")) for c in found),
                   "" if reseller_id is not None else " (set reseller if they belong to different resellers)")))
        if raw is not None and item.get("state", "present") == "present" and desired.get("type") \
                and raw.get("type") and raw["type"] != desired["type"]:
            raise VoipError("customer '%s' (id %s) is a %s; the C5 cannot change the type of a customer to %s "
                            "(its API ignores it). Remove the option type, or terminate the customer "
                            "(state=absent) and create a new one."
                            % (external_id, raw.get("id"), raw["type"], desired["type"]))
        return raw

    def create(self, item, desired):
        missing = [name for name, key in (("contact or contact_id", "contact_id"), ("billing_profile", "billing_profile_id"))
                   if desired.get(key) is None]
        if missing:
            raise InputError("customer '%s' does not exist; to create it set %s" % (desired["external_id"], " and ".join(missing)))
        body = dict(desired)
        body.setdefault("type", "sipaccount")
        body.setdefault("status", "active")
        new_id = self.api.create("customers", body)
        self.refs.forget_customer(desired["external_id"])
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
        self.refs.forget_customer(raw.get("external_id"))

    def absent_view(self):
        return {"status": "terminated"}
