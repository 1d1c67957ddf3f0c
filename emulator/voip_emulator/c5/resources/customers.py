"""customers (spec §4.6): customer contracts; termination and status cascades."""

from datetime import datetime

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
        now = now_sql(self.app.clock)
        mappings = ordered_mappings(row["billing_mappings"])
        body = {
            "id": row["id"], "contact_id": row["contact_id"], "type": row["type"], "status": row["status"],
            "billing_profile_id": actual_mapping(mappings, now)["profile_id"], "billing_profile_definition": "id",
            "billing_profiles": [dict(m) for m in mappings if m["start"] is not None and m["start"] > now],
            "all_billing_profiles": [dict(m) for m in mappings],
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
    # ngcp-panel's order on POST (Controller/API/Customers.pm): the form, the contact
    # exists, the billing profile(s) (BillingMappings::prepare_billing_mappings), the
    # type, the templates, the insert, and only then "not a customer contact".
    def _existing_contact(self, ctx, value):
        contact_id = int_or_none(value)
        contact = self.state.get("contacts", contact_id) if contact_id is not None else None
        if contact is None or contact.get("status") == "terminated":
            raise ApiError(422, "Invalid 'contact_id'")
        if contact.get("reseller_id") is not None and not ctx.is_admin and contact["reseller_id"] != ctx.reseller_id:
            raise ApiError(422, "Invalid 'contact_id'")
        return contact

    @staticmethod
    def _customer_contact(contact):
        if contact.get("reseller_id") is None:
            raise ApiError(422, "The contact_id is not a valid ngcp:customercontacts item, but an ngcp:systemcontacts item")
        return contact

    def _contact(self, ctx, value):
        return self._customer_contact(self._existing_contact(ctx, value))

    def _profile(self, value, contact, field="billing_profile_id"):
        """BillingMappings::_check_profile_network: messages name ``field``."""
        if value is None:
            raise ApiError(422, "Invalid '%s', not defined." % field)
        profile_id = int_or_none(value)
        profile = self.state.get("billing_profiles", profile_id) if profile_id is not None else None
        if profile is None:
            raise ApiError(422, "Invalid '%s' (%s)." % (field, scalar_text(value)))
        if profile["status"] == "terminated":
            raise ApiError(422, "Invalid '%s' (%s), already terminated." % (field, profile_id))
        if contact.get("reseller_id") is not None and profile["reseller_id"] is not None and profile["reseller_id"] != contact["reseller_id"]:
            raise ApiError(422, "The reseller of the contact doesn't match the reseller of the billing profile (%s)." % profile["name"])
        return profile

    def _network(self, value, contact):
        """BillingMappings::_check_profile_network for ``network_id``: any network
        row counts (``find`` by id, terminated ones too); it must be of the
        contact's reseller or of none."""
        if value is None:
            return None
        network_id = int_or_none(value)
        network = self.state.get("billing_networks", network_id) if network_id is not None else None
        if network is None:
            raise ApiError(422, "Invalid 'network_id' (%s)." % scalar_text(value))
        if contact.get("reseller_id") is not None and network.get("reseller_id") is not None \
                and network["reseller_id"] != contact["reseller_id"]:
            raise ApiError(422, "The reseller of the contact doesn't match the reseller of the billing network (%s)." % network["name"])
        return network

    def _scheduled_mappings(self, body, contact, update):
        """``billing_profile_definition: "profiles"``: the ``billing_profiles``
        schedule, validated as BillingMappings::prepare_billing_mappings does."""
        schedule = body.get("billing_profiles")
        if schedule is None:
            schedule = []
        if not isinstance(schedule, list):
            raise ApiError(422, "Invalid field 'billing_profiles'. Must be an array.")
        now = now_sql(self.app.clock)
        mappings = []
        open_any_network = 0
        open_intervals = 0
        for entry in schedule:
            if not isinstance(entry, dict):
                raise ApiError(422, "Invalid element in array 'billing_profiles'. Must be an object.")
            profile = self._profile(entry.get("profile_id"), contact, field="profile_id")
            network = self._network(entry.get("network_id"), contact)
            start = parse_timestamp(entry.get("start"), "start")
            stop = parse_timestamp(entry.get("stop"), "stop")
            if start is None and stop is None:
                open_intervals += 1
                if network is None:
                    open_any_network += 1
            elif stop is None:
                if start <= now:
                    raise ApiError(422, "'start' timestamp (%s) is not in future." % start)
            elif start is None:
                raise ApiError(422, "Interval with 'stop' timestamp (%s) but no 'start' timestamp specified." % stop)
            else:
                if start <= now:
                    raise ApiError(422, "'start' timestamp (%s) is not in future." % start)
                if start >= stop:
                    raise ApiError(422, "'start' timestamp (%s) has to be before 'stop' timestamp (%s)." % (start, stop))
            mappings.append({"effective_start_time": start or (now if update else "1970-01-01 00:00:00"),
                             "network_id": network["id"] if network else None,
                             "profile_id": profile["id"], "start": start, "stop": stop})
        if not update and open_any_network < 1:
            raise ApiError(422, "An initial interval without 'start' and 'stop' timestamps and no billing network is required.")
        if update and open_intervals > 0:
            raise ApiError(422, "Adding intervals without 'start' and 'stop' timestamps is not allowed.")
        return mappings

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
        contact = self._existing_contact(ctx, body["contact_id"])
        definition = body.get("billing_profile_definition") or "id"
        if definition == "profiles":
            mappings = self._scheduled_mappings(body, contact, update=False)
        else:
            profile = self._profile(body.get("billing_profile_id"), contact)
            mappings = [{"effective_start_time": "1970-01-01 00:00:00", "network_id": None, "profile_id": profile["id"], "start": None, "stop": None}]
        self._customer_contact(contact)
        now = now_sql(self.app.clock)
        row = {
            "id": self.state.next_id("contracts"), "kind": "customer", "type": body["type"], "contact_id": contact["id"],
            "reseller_id": contact["reseller_id"], "status": body["status"], "external_id": None, "max_subscribers": None,
            "vat_rate": 0, "add_vat": False, "profile_package_id": None, "invoice_template_id": None,
            "create_timestamp": now, "modify_timestamp": now, "activate_timestamp": None,
            "terminate_timestamp": now if body["status"] == "terminated" else None,
            "billing_mappings": mappings,
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
        if body.get("billing_profile_definition") == "profiles":
            # A new schedule replaces the future intervals (the procedure is called
            # with "delete future mappings"); current and past ones stay.
            now = now_sql(self.app.clock)
            mappings = [m for m in mappings if m["start"] is None or m["start"] <= now]
            mappings += self._scheduled_mappings(body, contact, update=True)
        elif "billing_profile_id" in body:
            if body["billing_profile_id"] is None:
                raise ApiError(422, "Invalid 'billing_profile_id' ().")
            profile = self._profile(body["billing_profile_id"], contact)
            if profile["id"] != actual_mapping(ordered_mappings(mappings), now_sql(self.app.clock))["profile_id"]:
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


def parse_timestamp(value, field):
    """A schedule timestamp as ``YYYY-MM-DD HH:MM:SS`` (what the API returns), from
    that form, ISO 8601 or a date; None stays None.  ngcp-panel's from_string
    accepts these; what it does with anything else is not verified (422 here)."""
    if value is None or value == "":
        return None
    text = str(value).strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:19], fmt).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
    raise ApiError(422, "Invalid '%s' timestamp (%s)." % (field, scalar_text(value)))


def ordered_mappings(mappings):
    """By effective start, then creation order (BillingMappings::billing_mappings_ordered)."""
    return sorted(mappings, key=lambda m: m["effective_start_time"])


def actual_mapping(mappings, now):
    """The mapping in force at ``now``: the latest effective start not after it,
    skipping intervals that have ended (the base interval then applies again).
    Only base mappings (no billing network) count, as in
    BillingMappings::get_actual_billing_mapping_stmt (``base = 1``)."""
    current = mappings[0]
    for mapping in mappings:
        if mapping.get("network_id") is None and mapping["effective_start_time"] <= now and (mapping["stop"] is None or mapping["stop"] > now):
            current = mapping
    return current
