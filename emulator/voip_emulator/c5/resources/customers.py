"""customers (spec §4.6): customer contracts; termination and status cascades."""

from voip_emulator.c5.errors import ApiError, invalid_value, scalar_text, validation_failed
from voip_emulator.c5.filters import EXACT, LIST, NOT_LIST, PATTERN, WILDCARD, Filter
from voip_emulator.c5.resources.base import Resource, int_or_none, now_sql, text_or_none, to_bool

CUSTOMER_TYPES = ("sipaccount", "pbxaccount")
CUSTOMER_STATUSES = ("active", "pending", "locked", "terminated")
TEMPLATE_FIELDS = (
    # (field, template name, relation)
    ("subscriber_email_template_id", "subscriber_default_email", "subscriberemailtemplates"),
    ("passreset_email_template_id", "passreset_default_email", "passresetemailtemplates"),
    ("invoice_email_template_id", "invoice_default_email", "invoiceemailtemplates"),
)


class Customers(Resource):
    name = "customers"
    entity = "customer"
    table = "contracts"
    item_methods = ("GET", "PATCH", "PUT")
    filters = {
        "status": Filter(LIST, lambda r: r.get("status")),
        "not_status": Filter(NOT_LIST, lambda r: r.get("status")),
        "type": Filter(EXACT, lambda r: r.get("type")),
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
        "contact_id": Filter(EXACT, lambda r: r.get("contact_id")),
        "external_id": Filter(WILDCARD, lambda r: r.get("external_id")),
        "profile_package_id": Filter(EXACT, lambda r: r.get("profile_package_id")),
        "customer_external_id": Filter(PATTERN, lambda r: r.get("external_id")),
    }
    order_columns = ("id", "contact_id", "status", "external_id", "create_timestamp", "modify_timestamp")

    def all_rows(self):
        return (r for r in self.state.tables["contracts"].values() if r.get("kind") == "customer")

    def visible(self, ctx, row):
        # terminated customers stay visible (verified live)
        return row.get("kind") == "customer" and (ctx.is_admin or row.get("reseller_id") == ctx.reseller_id)

    def render(self, ctx, row):
        mappings = row["billing_mappings"]
        body = {
            "id": row["id"], "contact_id": row["contact_id"], "type": row["type"], "status": row["status"],
            "billing_profile_id": mappings[-1]["profile_id"], "billing_profile_definition": "id",
            "billing_profiles": [], "all_billing_profiles": [dict(m) for m in mappings],
        }
        for field in ("external_id", "max_subscribers", "vat_rate", "add_vat", "profile_package_id", "invoice_template_id",
                      "create_timestamp", "modify_timestamp", "activate_timestamp", "terminate_timestamp") + tuple(t[0] for t in TEMPLATE_FIELDS):
            body[field] = row.get(field)
        return body

    def relations(self, row):
        cid = row["id"]
        out = [
            ("customercontacts", "/api/customercontacts/%s" % row["contact_id"]),
            ("customerpreferences", "/api/customerpreferences/%s" % cid),
            ("customerfraudpreferences", "/api/customerfraudpreferences/%s" % cid),
        ]
        seen = []
        for mapping in row["billing_mappings"]:
            if mapping["profile_id"] not in seen:
                seen.append(mapping["profile_id"])
                out.append(("billingprofiles", "/api/billingprofiles/%s" % mapping["profile_id"]))
        out += [
            ("customerbalances", "/api/customerbalances/%s" % cid),
            ("balanceintervals", "/api/balanceintervals/%s" % cid),
            ("calls", "/api/calls/?customer_id=%s" % cid),
        ]
        for field, _template, relation in TEMPLATE_FIELDS:
            if row.get(field) is not None:
                out.append((relation, "/api/emailtemplates/%s" % row[field]))
        out.append(("journal", "/api/customers/%s/journal/" % cid))
        return out

    # validation ----------------------------------------------------------------
    def _contact(self, ctx, value):
        contact_id = int_or_none(value)
        contact = self.state.get("contacts", contact_id) if contact_id is not None else None
        if contact is None or contact.get("status") == "terminated":
            raise ApiError(422, "Invalid 'contact_id'")
        if contact.get("reseller_id") is None:
            raise ApiError(422, "The contact_id is not a valid ngcp:customercontacts item, but an ngcp:systemcontacts item")
        if not ctx.is_admin and contact["reseller_id"] != ctx.reseller_id:
            raise ApiError(422, "Invalid 'contact_id'")
        return contact

    def _profile(self, value, contact):
        profile_id = int_or_none(value)
        profile = self.state.get("billing_profiles", profile_id) if profile_id is not None else None
        if profile is None:
            raise ApiError(422, "Invalid 'billing_profile_id' (%s)." % scalar_text(value))
        if profile["status"] == "terminated":
            raise ApiError(422, "Invalid 'billing_profile_id' (%s), already terminated." % profile_id)
        if profile["reseller_id"] != contact["reseller_id"]:
            raise ApiError(422, "The reseller of the contact doesn't match the reseller of the billing profile (%s)." % profile["name"])
        return profile

    def _scalars(self, body, row):
        """Only sent columns are updated (verified live for PUT)."""
        if "external_id" in body:
            row["external_id"] = text_or_none(body["external_id"])
        if "max_subscribers" in body:
            value = body["max_subscribers"]
            number = int_or_none(value)
            if value not in (None, "") and number is None:
                raise validation_failed([("max_subscribers", scalar_text(value), "Value must be an integer")])
            row["max_subscribers"] = number
        if "vat_rate" in body and body["vat_rate"] is not None:
            try:
                rate = float(body["vat_rate"])
            except (TypeError, ValueError) as exc:
                raise validation_failed([("vat_rate", scalar_text(body["vat_rate"]), "Value must be a number")]) from exc
            row["vat_rate"] = int(rate) if rate.is_integer() else rate
        if "add_vat" in body and body["add_vat"] is not None:
            row["add_vat"] = to_bool(body["add_vat"])
        for field in ("profile_package_id", "invoice_template_id") + tuple(t[0] for t in TEMPLATE_FIELDS):
            if field in body:
                row[field] = int_or_none(body[field])

    def create(self, ctx, body):
        errors = []
        if body.get("contact_id") in (None, ""):
            errors.append(("contact_id", "", "Contact id field is required"))
        if body.get("type") not in (None, "") and body["type"] not in CUSTOMER_TYPES:
            raise invalid_value("type", body["type"])
        if body.get("type") in (None, ""):
            errors.append(("type", "", "Type field is required"))
        if body.get("status") in (None, ""):
            errors.append(("status", "", "Status field is required"))
        if errors:
            raise validation_failed(errors)
        if body["status"] not in CUSTOMER_STATUSES:
            raise invalid_value("status", body["status"])
        contact = self._contact(ctx, body["contact_id"])
        profile = self._profile(body.get("billing_profile_id"), contact)
        now = now_sql(self.app.clock)
        row = {
            "id": self.state.next_id("contracts"), "kind": "customer", "type": body["type"], "contact_id": contact["id"],
            "reseller_id": contact["reseller_id"], "status": body["status"], "external_id": None, "max_subscribers": None,
            "vat_rate": 0, "add_vat": False, "profile_package_id": None, "invoice_template_id": None,
            "create_timestamp": now, "modify_timestamp": now, "activate_timestamp": None,
            "terminate_timestamp": now if body["status"] == "terminated" else None,
            "billing_mappings": [{"effective_start_time": "1970-01-01 00:00:00", "network_id": None, "profile_id": profile["id"], "start": None, "stop": None}],
        }
        # the reseller's default e-mail templates fill unset template ids (spec §4.6)
        templates = {t["name"]: t["id"] for t in self.state.tables["email_templates"].values() if t["reseller_id"] == contact["reseller_id"]}
        for field, template, _relation in TEMPLATE_FIELDS:
            row[field] = templates.get(template)
        self._scalars(body, row)
        self.state.put("contracts", row)
        return row

    def update(self, ctx, row, body, patch):
        if row["status"] == "terminated":
            raise ApiError(422, "Customer is already terminated and cannot be changed.")
        if body.get("contact_id") in (None, ""):
            raise validation_failed([("contact_id", "", "Contact id field is required")])
        status = body.get("status")
        if status in (None, ""):
            raise validation_failed([("status", "", "Status field is required")])
        if status not in CUSTOMER_STATUSES:
            raise invalid_value("status", status)
        contact = self._contact(ctx, body["contact_id"])
        new = dict(row, contact_id=contact["id"], reseller_id=contact["reseller_id"], status=status, modify_timestamp=now_sql(self.app.clock))
        mappings = list(row["billing_mappings"])
        if "billing_profile_id" in body:
            if body["billing_profile_id"] is None:
                raise ApiError(422, "Invalid 'billing_profile_id' ().")
            profile = self._profile(body["billing_profile_id"], contact)
            if profile["id"] != mappings[-1]["profile_id"]:
                now = now_sql(self.app.clock)
                mappings.append({"effective_start_time": now, "network_id": None, "profile_id": profile["id"], "start": now, "stop": None})
        new["billing_mappings"] = mappings
        # a different ``type`` is ignored: the product never changes (verified live)
        self._scalars(body, new)
        if status == "terminated":
            new["terminate_timestamp"] = new["modify_timestamp"]
        self.state.put("contracts", new)
        if status != row["status"]:
            self.cascade_status(new)
        return new

    def cascade_status(self, customer):
        """Customer status -> its non-terminated subscribers (verified live)."""
        subscribers = self.app.resources["subscribers"]
        for sub_id in list(self.state.subs_by_customer.get(customer["id"], {})):
            sub = self.state.get("subscribers", sub_id)
            if customer["status"] == "terminated":
                subscribers.terminate(sub)
            elif customer["status"] == "locked":
                subscribers.set_status(sub, "locked", "4")
            elif customer["status"] == "active":
                subscribers.set_status(sub, "active", None)

    def cascade_reseller_status(self, reseller):
        """Reseller status -> its contract, customers and their subscribers (spec §4.1)."""
        contract = self.state.get("contracts", reseller["contract_id"])
        if contract is not None:
            self.state.put("contracts", dict(contract, status=reseller["status"]))
        for customer in list(self.all_rows()):
            if customer["reseller_id"] == reseller["id"] and customer["status"] != "terminated" and reseller["status"] in ("locked", "terminated", "active"):
                new = dict(customer, status=reseller["status"], modify_timestamp=now_sql(self.app.clock))
                if reseller["status"] == "terminated":
                    new["terminate_timestamp"] = new["modify_timestamp"]
                self.state.put("contracts", new)
                self.cascade_status(new)
