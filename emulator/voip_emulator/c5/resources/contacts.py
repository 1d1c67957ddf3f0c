"""customercontacts and systemcontacts (spec §4.4, §4.5): one contacts table,
system contacts are the ones without a reseller."""

import re

from voip_emulator.c5 import tz
from voip_emulator.c5.errors import ApiError, validation_failed
from voip_emulator.c5.filters import EXACT, WILDCARD, Filter
from voip_emulator.c5.resources.base import Resource, int_or_none, text_or_none

CONTACT_FIELDS = (
    "firstname", "lastname", "company", "street", "postcode", "city", "country", "phonenumber", "mobilenumber",
    "faxnumber", "iban", "bic", "bankname", "vatnum", "comregnum", "timezone", "email",
    "gpp0", "gpp1", "gpp2", "gpp3", "gpp4", "gpp5", "gpp6", "gpp7", "gpp8", "gpp9",
)
# Verified live: a PUT clears these two when omitted; other omitted columns keep their value.
CLEARED_ON_PUT = ("country", "timezone")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate_timezone(value, field="timezone"):
    """Canonical zone name or None; 422 for unknown names (spec §4.4, §4.7)."""
    # Utils/DateTime.pm strip_empty_timezone_name: a value starting with "customer
    # default", "reseller default" or "default" (any case) inherits, like an empty one.
    if value in (None, "") or re.match(r"^(customer default|reseller default|default)", str(value), re.IGNORECASE):
        return None
    name = tz.canonical(str(value))
    if name is None:
        raise validation_failed([(field, value, "Invalid timezone name: %s" % value)])
    return name


class CustomerContacts(Resource):
    name = "customercontacts"
    entity = "customercontact"
    table = "contacts"
    collection_methods = ("GET", "POST")
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    system = False
    filters = {
        "email": Filter(WILDCARD, lambda r: r.get("email")),
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
    }
    order_columns = ("id", "email", "firstname", "lastname", "company", "reseller_id")

    def visible(self, ctx, row):
        if row.get("status") == "terminated":
            return False
        if self.system:
            return row.get("reseller_id") is None
        if row.get("reseller_id") is None:
            return False
        return ctx.is_admin or row.get("reseller_id") == ctx.reseller_id

    def render(self, ctx, row):
        body = {field: row.get(field) for field in CONTACT_FIELDS}
        body["id"] = row["id"]
        if not self.system and ctx.is_admin:
            body["reseller_id"] = row.get("reseller_id")
        return body

    def relations(self, row):
        return [("journal", "/api/%s/%s/journal/" % (self.name, row["id"]))]

    def _reseller(self, ctx, body):
        if self.system:
            return None
        if not ctx.is_admin:
            # Verified live: forced to the caller's reseller, even when the body names another.
            return ctx.reseller_id
        value = body.get("reseller_id")
        if value in (None, ""):
            raise validation_failed([("reseller_id", "", "Contact reseller id field is required")])
        reseller_id = int_or_none(value)
        if reseller_id is None or self.state.get("resellers", reseller_id) is None:
            raise ApiError(422, "Invalid 'reseller_id'")
        return reseller_id

    def _values(self, body, current):
        values = dict(current)
        for field in CONTACT_FIELDS:
            if field in body:
                values[field] = text_or_none(body[field])
            elif field in CLEARED_ON_PUT:
                values[field] = None
        email = text_or_none(body.get("email"))
        if not email:
            raise validation_failed([("email", "", "Email field is required")])
        if not _EMAIL_RE.match(email):
            raise validation_failed([("email", email, "Email should be of the format someuser@example.com")])
        values["timezone"] = validate_timezone(values.get("timezone"))
        if values.get("country") is not None and len(values["country"]) > 2:
            # The form's country field (a DataTable field) checks nothing: any value
            # reaches the database, whose two-character column refuses a longer one
            # (strict SQL mode).  POST catches that as "Failed to create contact.";
            # PUT/PATCH do not, which is the generic 500.  A two-letter code that is
            # no ISO 3166-1 country (``XX``) is stored as sent.
            raise ApiError(500, "Failed to create contact." if current.get("id") is None else "Internal Server Error")
        return values

    def create(self, ctx, body):
        reseller_id = self._reseller(ctx, body)
        values = self._values(body, {f: None for f in CONTACT_FIELDS})
        row = dict(values, id=self.state.next_id("contacts"), reseller_id=reseller_id, status="active")
        self.state.put("contacts", row)
        return row

    def update(self, ctx, row, body, patch):
        reseller_id = self._reseller(ctx, body)
        values = self._values(body, row)
        new = dict(row, **values)
        if not self.system:
            new["reseller_id"] = reseller_id
        self.state.put("contacts", new)
        return new

    def delete(self, ctx, row):
        users = [c for c in self.state.tables["contracts"].values() if c.get("contact_id") == row["id"]]
        if any(c["status"] != "terminated" for c in users):
            raise ApiError(423, "Contact is still in use.")
        if users:
            # Only terminated contracts use it: the contact is terminated (hidden).
            self.state.put("contacts", dict(row, status="terminated"))
        else:
            self.state.remove("contacts", row["id"])


class SystemContacts(CustomerContacts):
    name = "systemcontacts"
    entity = "systemcontact"
    roles = ("admin",)
    system = True
    filters = {"email": Filter(WILDCARD, lambda r: r.get("email"))}
