"""More resources subscribers, NCOS levels and customers reference (issue 10
section 4): headerrulesets (the ``header_rule_set`` preference), timesets (an
NCOS level's ``time_set_id``), billingnetworks (a customer's billing schedule
``network_id``) and emergencymappingcontainers (the
``emergency_mapping_container`` preference).

Behaviour read from ngcp-panel at the recorded snapshot (f677173e):
``Controller/API/<Res>.pm``, ``Role/API/<Res>.pm``, their forms and
``Utils/BillingNetworks.pm``; where the source leaves something open the
comment says what was assumed.
"""

import ipaddress

from voip_emulator.c5.errors import ApiError, scalar_text, validation_failed
from voip_emulator.c5.filters import EXACT, WILDCARD, Filter
from voip_emulator.c5.resources.base import AppliedRows, Resource, int_or_none, text_or_none
from voip_emulator.c5.resources.references import (ReferenceResource, drop_preference_references, perl_true, posint_error,
                                                   required_text, reseller_field, same_name)

HEADER_RULE_DIRECTIONS = ("a_inbound", "local", "peer", "a_outbound", "b_outbound", "cf_inbound", "cf_outbound", "reply")


# header rule sets ---------------------------------------------------------------------

class HeaderRuleSets(ReferenceResource):
    """Generic handler.  Set names are unique platform-wide.  Listing shows only
    the sets of no subscriber unless ``subscriber_id`` is given.  On the real
    platform the collection exists on PRO/Carrier only (``allowed_ngcp_types``
    carrier, sppro: a CE answers 404 "Path not found") and needs the
    ``header_manipulation`` licence; the emulator serves it like a PRO."""

    name = "headerrulesets"
    entity = "headerruleset"
    table = "header_rule_sets"
    generic_handler = True
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    patch_ops = ("add", "replace", "remove", "copy")
    filters = {
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
        "name": Filter(WILDCARD, lambda r: r.get("name")),
        "description": Filter(WILDCARD, lambda r: r.get("description")),
    }
    order_columns = ("id", "reseller_id", "subscriber_id", "name", "description")

    def candidates(self, ctx, params):
        wanted = dict(params).get("subscriber_id")
        rows = self.all_rows()
        if wanted:
            return [r for r in rows if r.get("subscriber_id") is not None and str(r["subscriber_id"]) == wanted]
        return [r for r in rows if r.get("subscriber_id") is None]

    @staticmethod
    def rules_view(row):
        return [dict(rule, conditions=list(rule.get("conditions") or []), actions=list(rule.get("actions") or []))
                for rule in sorted(row["rules"], key=lambda r: (r["priority"], r["id"]))]

    def patch_document(self, ctx, row):
        doc = {k: row.get(k) for k in ("id", "reseller_id", "subscriber_id", "name", "description")}
        doc["rules"] = self.rules_view(row)
        return doc

    def render(self, ctx, row):
        # the form's fields only: resellers have no reseller_id field
        body = {"description": row.get("description"), "id": row["id"], "name": row["name"],
                "rules": self.rules_view(row), "subscriber_id": row.get("subscriber_id")}
        if ctx.is_admin:
            body["reseller_id"] = row["reseller_id"]
        return body

    def relations(self, row):
        return [("headerrulesets", "/api/headerrulesets/%s" % row["id"]), ("journal", "/api/headerrulesets/%s/journal/" % row["id"])]

    def _rules(self, rules, set_id):
        """The ``rules`` of a set (Form/Header/RuleAPI.pm per rule); conditions
        and actions are kept as sent (their own forms are not emulated)."""
        if rules is None:
            return None
        if not isinstance(rules, list):
            # Not pinned by the source (a Compound field given a non-array).
            raise validation_failed([("rules", scalar_text(rules) if not isinstance(rules, dict) else "", "Value must be an array")])
        stored = []
        for rule in rules:
            rule = rule if isinstance(rule, dict) else {}
            errors = [e for e in (required_text("name", "Name", rule.get("name")),
                                  posint_error("priority", rule.get("priority"))) if e]
            direction = rule.get("direction")
            if direction in (None, ""):
                errors.append(("direction", "", "Direction field is required"))
            elif direction not in HEADER_RULE_DIRECTIONS:
                errors.append(("direction", scalar_text(direction), "'%s' is not a valid value" % scalar_text(direction)))
            error = required_text("description", "Description", rule.get("description"))
            if error:
                errors.append(error)
            if errors:
                raise validation_failed(errors)
            stored.append({
                "id": self.state.next_id("header_rules"), "set_id": set_id, "name": str(rule["name"]),
                "description": str(rule["description"]), "direction": direction,
                # column default priority 100 (assumed from the panel's form, which starts at 100)
                "priority": int_or_none(rule.get("priority")) if rule.get("priority") not in (None, "") else 100,
                "stopper": perl_true(rule.get("stopper")),
                "enabled": perl_true(rule["enabled"]) if "enabled" in rule else True,
                "conditions": list(rule.get("conditions") or []), "actions": list(rule.get("actions") or []),
            })
        return stored

    def _apply(self, ctx, body, current):
        # form field order: name, description, subscriber_id, rules, reseller_id (admin)
        errors = [e for e in (required_text("name", "Name", body.get("name")),
                              posint_error("subscriber_id", body.get("subscriber_id"))) if e]
        if ctx.is_admin:
            error = posint_error("reseller_id", body.get("reseller_id"))
            if body.get("reseller_id") in (None, ""):
                error = ("reseller_id", "", "Reseller id field is required")
            if error:
                errors.append(error)
        if errors:
            raise validation_failed(errors)
        reseller_id = int_or_none(body["reseller_id"]) if ctx.is_admin else ctx.reseller_id
        subscriber_id = int_or_none(body.get("subscriber_id")) or None
        if subscriber_id is not None and self.state.get("subscribers", subscriber_id) is None:
            raise ApiError(422, "Invalid 'subscriber_id'")
        if (current is None or current["reseller_id"] != reseller_id) and self.state.get("resellers", reseller_id) is None:
            raise ApiError(422, "Invalid 'reseller_id'")
        name = str(body["name"])
        for other in self.all_rows():
            if same_name(other["name"], name) and (current is None or other["id"] != current["id"]):
                raise ApiError(422, "Header manipulation rule set with this 'name' already exists.")
            if subscriber_id is not None and other.get("subscriber_id") == subscriber_id and (current is None or other["id"] != current["id"]):
                raise ApiError(422, "Header manipulation rule set with this 'subscriber_id' already exists.")
        row = dict(current) if current else {"description": None, "rules": []}
        row.update(reseller_id=reseller_id, name=name, subscriber_id=subscriber_id)
        if "description" in body:
            row["description"] = text_or_none(body["description"])
        return row

    def create(self, ctx, body):
        row = self._apply(ctx, body, None)
        row["id"] = self.state.next_id("header_rule_sets")
        rules = self._rules(body.get("rules"), row["id"])
        row["rules"] = rules or []
        self.state.put("header_rule_sets", row)
        return row

    def update(self, ctx, row, body, patch):
        new = self._apply(ctx, body, row)
        rules = self._rules(body.get("rules"), row["id"])
        if rules is not None:
            # a rules list replaces the set's rules; omitted keeps them (update_item_model)
            new["rules"] = rules
        self.state.put("header_rule_sets", new)
        return new

    def delete(self, ctx, row):
        # The preference row keeps the id on the real platform but no longer names a
        # set, so GET leaves it out; dropping it here shows the same.
        drop_preference_references(self.app, ("header_rule_set",), row["id"])
        self.state.remove("header_rule_sets", row["id"])

    def find_for_preference(self, reseller_id, name):
        # Utils/Preferences.pm: find({name, reseller_id}) for subscriber preferences
        matches = self.find_named(reseller_id, name)
        return matches[0] if matches else None


# time sets ------------------------------------------------------------------------------

TIME_FREQUENCIES = ("secondly", "minutely", "hourly", "daily", "weekly", "monthly", "yearly")
TIME_KEYS = ("start", "end", "freq", "until", "count", "interval", "bysecond", "byminute", "byhour", "byday", "bymonthday",
             "byyearday", "byweekno", "bymonth", "bysetpos", "comment")


class TimeSets(AppliedRows, ReferenceResource):
    """Generic handler (POST also takes a calendar upload, not emulated).  Names
    are unique platform-wide; ``reseller_id`` is required (forced for resellers)."""

    name = "timesets"
    entity = "timeset"
    table = "time_sets"
    generic_handler = True
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    patch_ops = ("add", "replace", "remove", "copy")
    filters = {
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
        "name": Filter(WILDCARD, lambda r: r.get("name")),
    }
    order_columns = ("id", "reseller_id", "name")

    def render(self, ctx, row):
        return {"id": row["id"], "name": row["name"], "reseller_id": row["reseller_id"], "times": [dict(t) for t in row["times"]]}

    def relations(self, row):
        return self.reseller_relation(row)

    @staticmethod
    def _times(times):
        """The ``times`` repeatable (Form/TimeSet/API.pm): ``start`` required,
        ``freq`` one of the RFC 5545 frequencies.  Dates are kept as sent (the
        real one normalises them to ``YYYY-MM-DD HH:MM:SS``)."""
        stored = []
        for index, event in enumerate(times):
            event = event if isinstance(event, dict) else {}
            errors = []
            if event.get("start") in (None, ""):
                errors.append(("times.%d.start" % index, "", "Start field is required"))
            freq = event.get("freq")
            if freq not in (None, "") and freq not in TIME_FREQUENCIES:
                errors.append(("times.%d.freq" % index, scalar_text(freq), "'%s' is not a valid value" % scalar_text(freq)))
            if errors:
                raise validation_failed(errors)
            stored.append({k: event.get(k) for k in TIME_KEYS})
        return stored

    def _apply(self, ctx, body, current):
        # The form's name is not required (it may come from an uploaded calendar
        # file): an empty one passes the form and fails at the insert (below).
        errors = []
        reseller = body.get("reseller_id") if ctx.is_admin else ctx.reseller_id
        if ctx.is_admin and reseller not in (None, "") and int_or_none(reseller) is None:
            errors.append(("reseller_id", scalar_text(reseller), "Value must be an integer"))
        if errors:
            raise validation_failed(errors)
        if reseller in (None, ""):
            raise ApiError(422, "Missing mandatory field 'reseller_id'")
        reseller_id = int_or_none(reseller)
        if self.state.get("resellers", reseller_id) is None:
            raise ApiError(422, "Invalid 'reseller_id'.")
        times = body.get("times", [])
        if times is None:
            times = []
        if not isinstance(times, list):
            raise ApiError(422, "Invalid field 'times'. Must be an array.")
        if body.get("name") in (None, ""):
            raise ApiError(500, "Failed to create timeset." if current is None else "Failed to update timesets.")
        name = str(body["name"])
        for other in self.all_rows():
            if same_name(other["name"], name) and (current is None or other["id"] != current["id"]):
                raise ApiError(422, "time_set with this name already exists")
        return dict(current or {}, reseller_id=reseller_id, name=name, times=self._times(times))

    def delete(self, ctx, row):
        # ncos_levels.time_set_id is ON DELETE SET NULL
        for level in list(self.state.tables["ncos_levels"].values()):
            if level.get("time_set_id") == row["id"]:
                self.state.put("ncos_levels", dict(level, time_set_id=None))
        self.state.remove("time_sets", row["id"])


# billing networks -------------------------------------------------------------------------

class BillingNetworks(AppliedRows, Resource):
    """Own POST (201, empty body).  ``reseller_id`` may be null for admins (a
    network of every reseller); DELETE terminates (204), terminated networks are
    hidden (but a customer schedule may still name one: the check finds any
    row).  At least one block ``{ip, mask}`` is required; IPv4 and IPv6 blocks
    do not mix."""

    name = "billingnetworks"
    entity = "billingnetwork"
    table = "billing_networks"
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    patch_ops = ("add", "replace", "remove", "copy")
    item_link_rels = ()
    filters = {
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
        "name": Filter(WILDCARD, lambda r: r.get("name")),
    }
    order_columns = ("id", "reseller_id", "name", "description", "status")

    def visible(self, ctx, row):
        if row["status"] == "terminated":
            return False
        return ctx.is_admin or row.get("reseller_id") == ctx.reseller_id

    def render(self, ctx, row):
        return {"blocks": [dict(b) for b in row["blocks"]], "description": row["description"], "id": row["id"], "name": row["name"],
                "reseller_id": row.get("reseller_id"), "status": row["status"]}

    def relations(self, row):
        return [("billingnetworks", "/api/billingnetworks/%s" % row["id"]), ("journal", "/api/billingnetworks/%s/journal/" % row["id"])]

    @staticmethod
    def _blocks(blocks):
        if blocks is None:
            blocks = []
        if not isinstance(blocks, list):
            raise ApiError(422, "Invalid field 'blocks'. Must be an array.")
        if not blocks:
            raise ApiError(422, "At least one block definition is required")
        stored = []
        version = None
        for block in blocks:
            block = block if isinstance(block, dict) else {}
            ip, mask = block.get("ip"), block.get("mask")
            try:
                address = ipaddress.ip_address(str(ip))
            except ValueError as exc:
                raise ApiError(422, "Invalid IP address '%s'" % scalar_text(ip)) from exc
            if mask is not None:
                bits = int_or_none(mask)
                if bits is None or not 0 <= bits <= address.max_prefixlen:
                    raise ApiError(422, "Invalid mask '%s'" % scalar_text(mask))
            if version is not None and address.version != version:
                raise ApiError(422, "Ipv4 and ipv6 must not be mixed in block definitions")
            version = address.version
            stored.append({"ip": str(ip), "mask": int_or_none(mask)})
        return stored

    def _apply(self, ctx, body, current):
        errors = [e for e in (posint_error("reseller_id", body.get("reseller_id")) if ctx.is_admin else None,
                              required_text("name", "Name", body.get("name")),
                              required_text("description", "Description", body.get("description"))) if e]
        if errors:
            raise validation_failed(errors)
        if current is not None and current["status"] == "terminated":
            raise ApiError(422, "Billing network is already terminated and cannot be changed.")
        reseller_id = int_or_none(body.get("reseller_id")) if ctx.is_admin else ctx.reseller_id
        if reseller_id is not None and self.state.get("resellers", reseller_id) is None:
            raise ApiError(422, "Invalid reseller ID.")
        blocks = self._blocks(body.get("blocks"))
        status = body.get("status") if body.get("status") in ("active", "terminated") else (current or {}).get("status", "active")
        return dict(current or {}, reseller_id=reseller_id, name=str(body["name"]), description=str(body["description"]),
                    blocks=blocks, status=status)

    def delete(self, ctx, row):
        self.state.put("billing_networks", dict(row, status="terminated"))


# emergency mapping containers --------------------------------------------------------------

class EmergencyMappingContainers(ReferenceResource):
    """Own POST (201, empty body); names unique per reseller.  The mappings a
    container holds (``/api/emergencymappings/``) are not emulated, so DELETE
    always succeeds (the real one answers 500 while mappings are linked)."""

    name = "emergencymappingcontainers"
    entity = "emergencymappingcontainer"
    table = "emergency_containers"
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    item_link_rels = ("resellers",)
    filters = {
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
        "name": Filter(WILDCARD, lambda r: r.get("name")),
    }
    order_columns = ("id", "reseller_id", "name")

    def patch_document(self, ctx, row):
        # PATCH applies to the table columns (reseller_id included, also for resellers)
        return {k: row.get(k) for k in ("id", "reseller_id", "name")}

    def render(self, ctx, row):
        body = {"id": row["id"], "name": row["name"]}
        if ctx.is_admin:
            body["reseller_id"] = row["reseller_id"]
        return body

    def relations(self, row):
        return [("emergencymappings", "/api/emergencymappings/?emergency_container_id=%d" % row["id"])] + self.reseller_relation(row)

    def _validate(self, ctx, body):
        errors = [e for e in (required_text("name", "Name", body.get("name")),) if e]
        if body.get("name") not in (None, "") and len(scalar_text(body["name"])) > 31:
            errors.append(("name", scalar_text(body["name"]), "Field should not exceed 31 characters"))
        reseller_id = reseller_field(ctx, body, errors)
        if errors:
            raise validation_failed(errors)
        return reseller_id, scalar_text(body["name"])

    def _duplicate(self, reseller_id, name, current):
        return any(same_name(r["name"], name) and r["reseller_id"] == reseller_id and (current is None or r["id"] != current["id"])
                   for r in self.all_rows())

    def create(self, ctx, body):
        reseller_id, name = self._validate(ctx, body)
        if self._duplicate(reseller_id, name, None):
            # lower-case "emergency" on POST, capitalised on PUT/PATCH (as the source has it)
            raise ApiError(422, "emergency mapping container with this name already exists for this reseller")
        if reseller_id is None or self.state.get("resellers", reseller_id) is None:
            # the insert fails on the reseller foreign key
            raise ApiError(500, "Failed to create emergency mapping container.")
        row = {"id": self.state.next_id("emergency_containers"), "reseller_id": reseller_id, "name": name}
        self.state.put("emergency_containers", row)
        return row

    def update(self, ctx, row, body, patch):
        reseller_id, name = self._validate(ctx, body)
        if reseller_id is None or self.state.get("resellers", reseller_id) is None:
            raise ApiError(422, "Reseller id does not exist")
        if self._duplicate(reseller_id, name, row):
            raise ApiError(422, "Emergency mapping container with this name already exists for this reseller")
        new = dict(row, reseller_id=reseller_id, name=name)
        self.state.put("emergency_containers", new)
        return new

    def delete(self, ctx, row):
        # the preference keeps the id but no longer names a container: gone from GET
        drop_preference_references(self.app, ("emergency_mapping_container",), row["id"])
        self.state.remove("emergency_containers", row["id"])

    def find_for_preference(self, reseller_id, name):
        matches = self.find_named(reseller_id, name)
        return matches[0] if matches else None
