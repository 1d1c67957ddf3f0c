# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Basic POTS lines through the ``HydraAccount`` facade (beta, spec 5.10).

Keyed by the phone number. Its field names differ from the account's (gap 11);
the module speaks the account's language and maps: ``account_password`` ->
``password``, ``cfna_destination`` -> ``cfna_dest``, ``mailbox_pin`` ->
``ums_pin`` (``mailbox: false`` sends ``null``, which removes the mailbox - gap
8), ``concurrent_call_limit`` -> ``concurrent_limit``, ``private`` (a boolean)
-> ``private`` 0/1. ``PUT`` creates or updates, so it is naturally idempotent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import ObjectResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet
from ansible_collections.voip.provisioning.plugins.module_utils.xc5 import values


def _pin(value):
    pin = str(value).strip()
    if not pin.isdigit() or not 4 <= len(pin) <= 10:
        raise InputError("mailbox_pin: must be 4 to 10 digits (e.g. 5676)")
    return pin


def _limit(value):
    if int(value) < 1:
        raise InputError("concurrent_call_limit: give 1 (no call hold) or 2 (call hold)")
    return int(value)


HYDRA_FIELDS = FieldSet(
    Field("number", key=True, normalise=values.e164("number")),
    Field("account_password", api_name="password", secret="readable", omit_none=True),
    Field("cfna_destination", api_name="cfna_dest", read=values.text, normalise=values.optional_e164("cfna_destination")),
    Field("cfna_active", type="bool", read=values.boolean),
    Field("mailbox", type="bool", api=False),
    Field("mailbox_pin", api_name="ums_pin", secret="readable", normalise=_pin),
    Field("concurrent_call_limit", type="int", api_name="concurrent_limit", read=values.integer, normalise=_limit),
    Field("private", type="bool", read=values.boolean),
    Field("callerid", type="bool", read=values.boolean),
    Field("state", choices=["present", "absent"], default="present", api=False),
)


class HydraAccount(ObjectResource):
    name = "hydra_account"
    key = ("number",)
    fields = HYDRA_FIELDS
    secret_keys = ("password", "ums_pin")

    def desired(self, item):
        if not item.get("number"):
            raise InputError("number is required: the line's phone number, E.164 without '+' (e.g. 6499878037)")
        desired = ObjectResource.desired(self, item)
        if item.get("mailbox") is False:
            if item.get("mailbox_pin"):
                raise InputError("mailbox_pin: cannot be set with mailbox: false (which removes the mailbox)")
            desired["mailbox_pin"] = None
        elif item.get("mailbox") and not item.get("mailbox_pin"):
            raise InputError("mailbox_pin: required with mailbox: true (the mailbox is created with its PIN)")
        if desired.get("cfna_active") and not desired.get("cfna_destination") and item.get("state", "present") == "present":
            self.cfna_needs_destination = True
        return desired

    def path(self, number):
        return self.api.path("HydraAccount", number)

    def find(self, item, desired):
        return self.api.get_or_none(self.path(desired["number"]))

    def changes(self, item, current, desired):
        found = ObjectResource.changes(self, item, current, desired)
        if "mailbox_pin" in desired and desired["mailbox_pin"] is None and current.get("mailbox_pin") is not None:
            if "mailbox_pin" not in found:
                found.append("mailbox_pin")
        return found

    def body(self, desired, names):
        body = self.fields.to_api(dict((name, desired[name]) for name in names if name != "number"))
        if "private" in body and body["private"] is not None:
            body["private"] = 1 if body["private"] else 0
        return body

    def create(self, item, desired):
        if getattr(self, "cfna_needs_destination", False):
            raise InputError("cfna_destination: required when cfna_active is true on a new line")
        return self.api.record("PUT", self.path(desired["number"]), json_body=self.body(desired, desired))

    def update(self, item, raw, desired, changes):
        return self.api.record("PUT", self.path(desired["number"]), json_body=self.body(desired, changes))

    def delete(self, item, raw):
        self.api.record("DELETE", self.path(raw.get("number")))
