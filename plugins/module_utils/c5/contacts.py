# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""C5 customer contacts (``/api/customercontacts/``), found by e-mail within a reseller."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.voip.provisioning.plugins.module_utils.c5.domains import STATE, reseller_field
from ansible_collections.voip.provisioning.plugins.module_utils.c5.references import C5References, matching_contacts
from ansible_collections.voip.provisioning.plugins.module_utils.c5.values import (
    check_country, check_email, check_timezone, differs_text, differs_timezone, text,
)
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import find_unique
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import ObjectResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet

TEXT_FIELDS = ("firstname", "lastname", "company", "street", "postcode", "city", "country", "phonenumber",
               "mobilenumber", "faxnumber", "iban", "bic", "vatnum", "comregnum", "bankname", "timezone")
GPP_FIELDS = tuple("gpp%d" % n for n in range(10))
READ_ONLY = ("id", "_links", "_embedded")


def differs_upper(current, wanted):
    # The contact is found by e-mail ignoring case (as C5 filters do); a
    # different spelling of the same address is not a change to write.
    return (text(current) or "").upper() != (text(wanted) or "").upper()


def _text_field(name):
    # Checked with the C5's rules before any request: an ISO 3166-1 alpha-2 code
    # (upper-cased), a tz database name ("default..." or empty: inherit).
    special = {"country": dict(normalise=check_country, compare=differs_upper),
               "timezone": dict(normalise=check_timezone, compare=differs_timezone)}
    options = special.get(name, dict(normalise=text, compare=differs_text))
    return Field(name, read=text, **options)


def _gpp(value):
    if not isinstance(value, dict):
        raise InputError("gpp must be a dict of gpp0 .. gpp9 to text")
    for key, entry in value.items():
        if not re.match(r"^gpp[0-9]$", str(key)):
            raise InputError("gpp: unknown key '%s'; the keys are gpp0 .. gpp9" % key)
        if isinstance(entry, (dict, list)):
            # Not type(value).__name__: in-process, Ansible passes tagged copies (_AnsibleTaggedList).
            raise InputError("gpp.%s must be text, not a %s" % (key, "list" if isinstance(entry, list) else "dict"))
    return dict((str(key), text(entry)) for key, entry in value.items())


class CustomerContact(ObjectResource):
    name = "customer_contact"
    key = ("email", "reseller")
    fields = FieldSet(*(
        [Field("email", key=True, normalise=check_email, compare=differs_upper), reseller_field()]
        + [_text_field(name) for name in TEXT_FIELDS]
        # gpp (a dict of gpp0..gpp9) is spread over the ten gppN fields by desired().
        + [Field("gpp", type="dict", api=False)]
        + [Field(name, read=text, compare=differs_text, in_task=False, in_items=False) for name in GPP_FIELDS]
        + [STATE]))

    @property
    def refs(self):
        return C5References(self.api, self.run)

    def identity(self, item):
        reseller = item.get("reseller")
        return "email=%s%s" % (item.get("email"), "" if reseller is None else ", reseller=%s" % reseller)

    def validate(self, item):
        """Request-free checks (the e-mail, country, time zone and gpp rules)."""
        if not item.get("email"):
            raise InputError("email is required (or give items)")
        self.fields.desired(item)
        if item.get("gpp") is not None:
            _gpp(item["gpp"])

    def desired(self, item):
        if not item.get("email"):
            raise InputError("email is required (or give items)")
        desired = ObjectResource.desired(self, item)
        if item.get("gpp") is not None:
            desired.update(_gpp(item["gpp"]))
        return desired

    def find(self, item, desired):
        def ambiguous(found):
            return ("customer contact e-mail '%s'%s is ambiguous: %d contacts have it (ids %s). E-mail is not unique on "
                    "the C5, but this module uses e-mail + reseller as the key; %s"
                    % (desired["email"], "" if desired.get("reseller_id") is None else " in reseller %s" % desired["reseller_id"],
                       len(found), ", ".join(str(c.get("id")) for c in found),
                       "set reseller to tell them apart" if desired.get("reseller_id") is None
                       else "delete or rename the duplicates first"))
        return find_unique(matching_contacts(self.api, desired["email"], desired.get("reseller_id")), ambiguous=ambiguous)

    def create(self, item, desired):
        body = dict((k, v) for k, v in desired.items() if v is not None)
        try:
            new_id = self.api.create("customercontacts", body)
        except ApiError as exc:
            if exc.status == 422 and "reseller_id" in str(exc.server_message):
                raise VoipError("%s (an administrator must set the option reseller to create a customer contact)" % exc)
            raise
        return self.api.get("customercontacts", new_id) or dict(body, id=new_id)

    def update(self, item, raw, desired, changes):
        # Only sent columns are updated, except country and timezone, which an
        # omitted key clears (spec §5.5): always PUT the complete document.
        body = dict((k, v) for k, v in raw.items() if k not in READ_ONLY)
        body.update(desired)
        updated = self.api.put("customercontacts", raw["id"], body)
        return updated if updated is not None else self.api.get("customercontacts", raw["id"])

    def delete(self, item, raw):
        try:
            self.api.delete("customercontacts", raw["id"])
        except ApiError as exc:
            if exc.status == 423:
                raise VoipError(
                    "customer contact '%s' (id %s) is still in use by a customer or subscriber that is not terminated, "
                    "so the C5 refuses to delete it (HTTP 423: %s). Terminate those customers first "
                    "(voip.provisioning.c5_customer with state=absent), then delete the contact."
                    % (raw.get("email"), raw.get("id"), exc.server_message))
            raise
