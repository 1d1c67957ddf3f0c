"""resellers, contracts (reseller/peering contracts), admins and admincerts
(spec §2.1, §2.2, §4.1)."""

import io
import zipfile

from voip_emulator.core.app import Response
from voip_emulator.c5.errors import ApiError, invalid_value, validation_failed
from voip_emulator.c5.filters import EXACT, LIST, WILDCARD, Filter
from voip_emulator.c5.resources.base import Resource, int_or_none, now_sql, text_or_none, to_bool
from voip_emulator.c5.state import hash_password

RESELLER_STATUSES = ("active", "locked", "terminated")
# The twelve default e-mail templates a reseller gets on creation (spec §4.1); the
# first three are the ones new customers reference.
EMAIL_TEMPLATE_NAMES = (
    "subscriber_default_email", "passreset_default_email", "invoice_default_email", "reset_password_email",
    "customer_default_email", "welcome_default_email", "voicemail_default_email", "fax_default_email",
    "callback_default_email", "cdr_export_default_email", "password_reset_default_email", "admin_passreset_default_email",
)


class Resellers(Resource):
    name = "resellers"
    entity = "reseller"
    table = "resellers"
    roles = ("admin",)
    item_methods = ("GET", "PATCH", "PUT")
    item_link_header = False  # verified live: GET /api/resellers/<id> sends no Link header
    filters = {
        "name": Filter(WILDCARD, lambda r: r.get("name")),
        "status": Filter(LIST, lambda r: r.get("status")),
    }
    order_columns = ("id", "name", "status", "contract_id")

    def render(self, ctx, row):
        return {"contract_id": row["contract_id"], "id": row["id"], "name": row["name"], "status": row["status"]}

    def relations(self, row):
        rid = row["id"]
        return [
            ("contracts", "/api/contracts/%s" % row["contract_id"]),
            ("billingprofiles", "/api/billingprofiles/?reseller_id=%s" % rid),
            ("ncoslevels", "/api/ncoslevels/?reseller_id=%s" % rid),
            ("soundsets", "/api/soundsets/?reseller_id=%s" % rid),
            ("rewriterulesets", "/api/rewriterulesets/?reseller_id=%s" % rid),
            ("pbxdevices", "/api/pbxdevices/?reseller_id=%s" % rid),
            ("journal", "/api/resellers/%s/journal/" % rid),
        ]

    def _validate(self, body, current=None):
        errors = []
        for field, label in (("contract_id", "Contract"), ("name", "Name"), ("status", "Status")):
            if body.get(field) in (None, ""):
                errors.append((field, "", "%s field is required" % label))
        if errors:
            raise validation_failed(errors)
        if body["status"] not in RESELLER_STATUSES:
            raise invalid_value("status", body["status"])
        contract_id = int_or_none(body["contract_id"])
        if contract_id is None:
            raise ApiError(422, "Invalid 'contract_id', not a number")
        contract = self.state.get("contracts", contract_id)
        if contract is None or contract.get("kind") != "reseller":
            raise ApiError(422, "Invalid 'contract_id'.")
        for other in self.all_rows():
            if current is not None and other["id"] == current["id"]:
                continue
            if other["contract_id"] == contract_id:
                raise ApiError(422, "Invalid 'contract_id', reseller with this contract already exists")
            if other["name"].lower() == str(body["name"]).lower() and other["status"] != "terminated":
                raise ApiError(422, "Invalid 'name', reseller with this name already exists")
        return contract_id

    def create(self, ctx, body):
        contract_id = self._validate(body)
        for other in list(self.all_rows()):
            if other["name"].lower() == str(body["name"]).lower():
                # a terminated reseller holding the name is renamed (spec §4.1)
                self.state.put("resellers", dict(other, name="old_%s_%s" % (other["id"], other["name"])))
        row = {"id": self.state.next_id("resellers"), "contract_id": contract_id, "name": str(body["name"]), "status": body["status"]}
        self.state.put("resellers", row)
        for template in EMAIL_TEMPLATE_NAMES:
            self.state.put("email_templates", {"id": self.state.next_id("email_templates"), "reseller_id": row["id"], "name": template})
        return row

    def update(self, ctx, row, body, patch):
        contract_id = self._validate(body, row)
        new = dict(row, contract_id=contract_id, name=str(body["name"]), status=body["status"])
        self.state.put("resellers", new)
        if new["status"] != row["status"]:
            self.app.resources["customers"].cascade_reseller_status(new)
        if new["status"] == "terminated" and row["status"] != "terminated":
            # Utils/Reseller.pm: a terminated reseller's NCOS levels, sound sets,
            # rewrite rule sets, time sets and emergency containers are deleted (the preferences naming them
            # vanish from GET)
            for table in ("ncos_levels", "sound_sets", "rewrite_rule_sets", "time_sets", "emergency_containers"):
                for ref in [r for r in self.state.tables[table].values() if r["reseller_id"] == row["id"]]:
                    self.state.remove(table, ref["id"])
            # foreign keys: NCOS set levels go with their level (CASCADE), a level's
            # time set is unset (SET NULL)
            for link in [lv for lv in self.state.tables["ncos_set_levels"].values() if lv["level_id"] not in self.state.tables["ncos_levels"]]:
                self.state.remove("ncos_set_levels", link["id"])
            for level in [lv for lv in self.state.tables["ncos_levels"].values()
                          if lv.get("time_set_id") and lv["time_set_id"] not in self.state.tables["time_sets"]]:
                self.state.put("ncos_levels", dict(level, time_set_id=None))
        return new


class Contracts(Resource):
    """System contracts (reseller and peering); customers live in /api/customers/."""

    name = "contracts"
    entity = "contract"
    table = "contracts"
    roles = ("admin",)
    generic_handler = True
    item_methods = ("GET", "PATCH", "PUT")
    filters = {
        "status": Filter(LIST, lambda r: r.get("status")),
        "contact_id": Filter(EXACT, lambda r: r.get("contact_id")),
        "external_id": Filter(WILDCARD, lambda r: r.get("external_id")),
    }
    order_columns = ("id", "contact_id", "status", "external_id")

    def visible(self, ctx, row):
        return row.get("kind") != "customer"

    def render(self, ctx, row):
        mappings = row.get("billing_mappings") or []
        return {
            "id": row["id"], "contact_id": row["contact_id"], "type": row["type"], "status": row["status"],
            "external_id": row.get("external_id"), "billing_profile_id": mappings[-1]["profile_id"] if mappings else None,
            "billing_profile_definition": "id", "billing_profiles": [], "all_billing_profiles": [dict(m) for m in mappings],
            "create_timestamp": row.get("create_timestamp"), "modify_timestamp": row.get("modify_timestamp"),
            "activate_timestamp": row.get("activate_timestamp"), "terminate_timestamp": row.get("terminate_timestamp"),
        }

    def relations(self, row):
        return [("systemcontacts", "/api/systemcontacts/%s" % row["contact_id"]), ("journal", "/api/contracts/%s/journal/" % row["id"])]

    def _validate(self, body):
        errors = []
        if body.get("contact_id") in (None, ""):
            errors.append(("contact_id", "", "Contact field is required"))
        if body.get("type") in (None, ""):
            errors.append(("type", "", "Type field is required"))
        if body.get("status") in (None, ""):
            errors.append(("status", "", "Status field is required"))
        if errors:
            raise validation_failed(errors)
        if body["type"] not in ("reseller", "sippeering"):
            raise invalid_value("type", body["type"])
        if body["status"] not in ("active", "pending", "locked", "terminated"):
            raise invalid_value("status", body["status"])
        contact = self.state.get("contacts", int_or_none(body["contact_id"]) or 0)
        if contact is None or contact.get("status") == "terminated":
            raise ApiError(422, "Invalid 'contact_id'")
        if contact.get("reseller_id") is not None:
            raise ApiError(422, "The contact_id is not a valid ngcp:systemcontacts item, but an ngcp:customercontacts item")
        profile_id = int_or_none(body.get("billing_profile_id"))
        profile = self.state.get("billing_profiles", profile_id or 0)
        if profile is None or profile["status"] == "terminated":
            raise ApiError(422, "Invalid 'billing_profile_id' (%s)." % text_or_none(body.get("billing_profile_id")))
        return contact["id"], profile_id

    def create(self, ctx, body):
        contact_id, profile_id = self._validate(body)
        now = now_sql(self.app.clock)
        row = {
            "id": self.state.next_id("contracts"), "kind": "reseller" if body["type"] == "reseller" else "peering",
            "type": body["type"], "contact_id": contact_id, "status": body["status"], "external_id": text_or_none(body.get("external_id")),
            "billing_mappings": [{"profile_id": profile_id, "network_id": None, "start": None, "stop": None, "effective_start_time": "1970-01-01 00:00:00"}],
            "create_timestamp": now, "modify_timestamp": now, "activate_timestamp": None, "terminate_timestamp": None,
        }
        self.state.put("contracts", row)
        return row

    def update(self, ctx, row, body, patch):
        contact_id, profile_id = self._validate(dict(body, type=row["type"]))
        mappings = list(row["billing_mappings"])
        if mappings[-1]["profile_id"] != profile_id:
            now = now_sql(self.app.clock)
            mappings.append({"profile_id": profile_id, "network_id": None, "start": now, "stop": None, "effective_start_time": now})
        new = dict(row, contact_id=contact_id, status=body["status"], external_id=text_or_none(body.get("external_id")),
                   billing_mappings=mappings, modify_timestamp=now_sql(self.app.clock))
        if new["status"] == "terminated" and row["status"] != "terminated":
            new["terminate_timestamp"] = now_sql(self.app.clock)
        self.state.put("contracts", new)
        return new


ADMIN_FLAGS = (
    "billing_data", "call_data", "can_reset_password", "enable_2fa", "is_active", "is_ccare", "is_master",
    "is_superuser", "is_system", "lawful_intercept", "read_only", "show_passwords",
)


class Admins(Resource):
    name = "admins"
    entity = "admin"
    table = "admins"
    generic_handler = True
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    filters = {
        "login": Filter(WILDCARD, lambda r: r.get("login")),
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
    }
    order_columns = ("id", "login", "reseller_id")

    def visible(self, ctx, row):
        return ctx.is_admin or row.get("reseller_id") == ctx.reseller_id

    def render(self, ctx, row):
        body = {flag: bool(row.get(flag)) for flag in ADMIN_FLAGS}
        body.update({
            "auth_mode": row.get("auth_mode", "local"), "email": row.get("email"), "id": row["id"], "login": row["login"],
            "reseller_id": row.get("reseller_id"), "role": "admin" if (row.get("is_superuser") or row.get("is_system")) else "reseller",
        })
        return body

    def relations(self, row):
        return [("admins", "/api/admins/%s" % row["id"]), ("resellers", "/api/resellers/%s" % row["reseller_id"])]

    def _apply(self, ctx, body, current):
        errors = []
        login = body.get("login", current.get("login") if current else None)
        if not login:
            errors.append(("login", "", "Login field is required"))
        if current is None and not body.get("password"):
            errors.append(("password", "*****", "Password field is required"))
        reseller_id = ctx.reseller_id if not ctx.is_admin else int_or_none(body.get("reseller_id"))
        if reseller_id is None:
            errors.append(("reseller_id", text_or_none(body.get("reseller_id")) or "", "Reseller field is required"))
        if errors:
            raise validation_failed(errors)
        if self.state.get("resellers", reseller_id) is None:
            raise ApiError(422, "Invalid 'reseller_id', doesn't exist.")
        for other in self.all_rows():
            if other["login"] == login and (current is None or other["id"] != current["id"]):
                raise ApiError(422, "Login '%s' already exists." % login)
        row = dict(current or {"ssl_client_m_serial": None, "auth_mode": "local"})
        row.update(login=str(login), reseller_id=reseller_id, email=text_or_none(body.get("email")))
        for flag in ADMIN_FLAGS:
            default = flag == "is_active"
            value = to_bool(body[flag]) if flag in body else (row.get(flag, default) if current else default)
            row[flag] = value
        if not ctx.is_admin:
            # a reseller admin cannot create superusers
            row["is_superuser"] = False
            row["is_system"] = False
        if body.get("password"):
            row["password_hash"] = hash_password(str(body["password"]))
        return row

    def create(self, ctx, body):
        row = self._apply(ctx, body, None)
        row["id"] = self.state.next_id("admins")
        self.state.put("admins", row)
        return row

    def update(self, ctx, row, body, patch):
        new = self._apply(ctx, body, row)
        self.state.put("admins", new)
        return new

    def delete(self, ctx, row):
        if row["id"] == ctx.admin["id"]:
            raise ApiError(403, "Cannot delete own user")
        self.state.remove("admins", row["id"])


class AdminCerts(Resource):
    """``POST /api/admincerts/``: a client certificate for an admin (spec §2.1),
    answered as a ZIP holding a text note and a ``.pem`` with key and certificate.
    (The real ZIP also holds a ``.p12``; no PKCS#12 writer is available here.)"""

    name = "admincerts"
    entity = "admincert"
    table = "admins"
    collection_methods = ("POST",)
    item_methods = ()

    def lookup(self, ctx, item_id):
        return None

    def post_response(self, ctx, body):
        if not isinstance(body, dict):
            raise ApiError(500, "Internal Server Error")
        admin = ctx.admin
        if body.get("login"):
            admin = self.app.auth.find_login(body["login"])
            if admin is None or not (ctx.is_admin or admin.get("reseller_id") == ctx.reseller_id):
                raise ApiError(422, "Invalid 'login'.")
        # The core passes its TLS directory (test CA) as tls_dir; ca_dir is accepted too.
        ca_dir = self.app.options.get("tls_dir") or self.app.options.get("ca_dir")
        if not ca_dir or not self.app.options.get("tls", True):
            raise ApiError(500, "Cannot issue client certificates: the emulator was started without --tls (no test CA)")
        from voip_emulator.core.tls import issue_client_cert  # pylint: disable=import-outside-toplevel

        serial, pem = issue_client_cert(ca_dir, "Sipwise NGCP API client certificate")
        self.state.put("admins", dict(admin, ssl_client_m_serial=serial))
        base = "NGCP-API-client-certificate-%s" % serial
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", "Use %s.pem (private key and certificate) as the client certificate for the NGCP API.\n" % base)
            archive.writestr(base + ".pem", pem)
        return Response(201, [("Content-Type", "application/zip"), ("Content-Disposition", 'attachment; filename="%s.zip"' % base)], buffer.getvalue())
