# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The XC5 backend: accounts and what hangs off them, on core Tables.

Knows no HTTP. Every public method takes ``scope``: None for a login with
system-wide API access, else the guid of a partitioned (``api_access=user``)
login's own account - such a caller reaches only that account and its
descendants (spec section 2). Methods return stored docs; :mod:`.app` renders
them. Violations raise :mod:`.rules` errors (400/403/404/409).

Assumptions the spec leaves open are marked "assumed" where they are made.
"""

import secrets
import string

from voip_emulator.xc5 import rules
from voip_emulator.xc5.rules import Conflict, Denied, Invalid, NotFound

POOL = "_unassigned.pool"

#: account field -> (type, default) of the spec's verbose record (writable part)
ACCOUNT_FIELDS = {
    "description": ("string", ""),
    "enabled": ("boolean", True),
    "pin_reference": ("boolean", False),
    "dnd": ("boolean", False),
    "private": ("boolean", False),
    "block_privacy": ("boolean", False),
    "callerid": ("boolean", True),
    "cfna_duration": ("integer", 20),
    "trunking": ("boolean", False),
    "concurrent_call_limit": ("integer", 0),
    "pickup_group": ("string", ""),
    "password": ("string", None),
}
NUMBER_FIELDS = {"is-pilot": ("boolean", False), "cfa": ("string", ""), "alert-info": ("string", ""), "account-code": ("string", "")}
ROUTE_FIELDS = {
    "order": ("integer", None),
    "destination": ("string", ""),
    "username": ("string", ""),
    "hunt_user": ("boolean", False),
    "ring_seconds": ("integer", 0),
    "menu_level": ("integer", 0),
    "digit_map": ("string", ""),
    "time_definition": ("string", ""),
    "promptguid": ("string", ""),
}
CALLRULE_FIELDS = {
    "order": ("integer", None),
    "prefix": ("string", ""),
    "prefix_raw": ("string", ""),
    "location": ("string", ""),
    "username": ("string", ""),
    "destination": ("string", ""),
    "early_rule": ("boolean", False),
    "record_email": ("string", ""),
}
FORK_FIELDS = {"destination": ("string", None)}
ENTRY_FIELDS = {"route": ROUTE_FIELDS, "callrule": CALLRULE_FIELDS, "fork": FORK_FIELDS}
HYDRA_FIELDS = ("password", "cfna_dest", "cfna_active", "ums_pin", "concurrent_limit", "private", "callerid")
HYDRA_PREFIX = "_tel."


def generated_password():
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _index in range(14))


class Backend:
    """All state of one XC5 system."""

    def __init__(self, tables):
        self.tables = tables
        self.lock = tables.lock
        self.accounts = tables.add("accounts", id_kind="guid")
        self.numbers = tables.add("numbers", id_kind="guid")
        self.entries = {kind: tables.add(kind + "s", id_kind="guid") for kind in ENTRY_FIELDS}
        self.prompts = tables.add("prompts", id_kind="guid")
        self.registrations = tables.add("registrations", id_kind="guid")
        self.locations = tables.add("locations", id_kind="guid")
        self.hydra = tables.add("hydra", id_kind="key")

    # -- accounts: lookup and scope ------------------------------------

    def account_by_name(self, name):
        wanted = (name or "").casefold()
        found = self.accounts.first(lambda doc: doc["username"].casefold() == wanted)
        return found[1] if found else None

    def find_account(self, ref):
        """By guid (any case) or by name (case-insensitive); None when absent."""
        ref = str(ref or "")
        if rules.is_guid(ref):
            doc = self.accounts.get(ref.upper())
            if doc is not None:
                return doc
        return self.account_by_name(ref)

    def ancestors(self, doc):
        """Parent first, root last."""
        chain = []
        parent = doc.get("parentguid")
        while parent:
            parent_doc = self.accounts.get(parent)
            if parent_doc is None or parent_doc in chain:
                break
            chain.append(parent_doc)
            parent = parent_doc.get("parentguid")
        return chain

    def in_scope(self, doc, scope):
        if scope is None:
            return True
        return doc["guid"] == scope or any(a["guid"] == scope for a in self.ancestors(doc))

    def account(self, ref, scope=None):
        """The account ``ref`` names; 404 when absent, 403 outside a partitioned
        caller's subtree (spec section 2 picks 403 "access denied")."""
        doc = self.find_account(ref)
        if doc is None:
            raise NotFound("not found")
        if not self.in_scope(doc, scope):
            raise Denied("access denied")
        return doc

    def children(self, doc, all_levels=False):
        direct = [d for _i, d in self.accounts.rows() if d.get("parentguid") == doc["guid"]]
        if not all_levels:
            return direct
        found = []
        for child in direct:
            found.append(child)
            found.extend(self.children(child, True))
        return found

    def list_accounts(self, scope=None, pattern="%"):
        """Every visible account whose name matches the LIKE ``pattern``."""
        return [d for _i, d in self.accounts.rows() if self.in_scope(d, scope) and rules.like(pattern or "%", d["username"])]

    def login(self, username, password):
        """(account doc, scope) of a Basic-auth login: enabled, with API access;
        None for wrong credentials; Denied for an account without API access."""
        doc = self.account_by_name(username)
        if doc is None or not doc.get("enabled", True) or not secrets.compare_digest(str(doc.get("password") or ""), password):
            return None
        access = doc.get("api_access")
        if access == "system":
            return doc, None
        if access == "user":
            return doc, doc["guid"]
        raise Denied("access denied")

    # -- accounts: writes ------------------------------------------------

    def _account_values(self, body, creating):
        values = {}
        for field, value in body.items():
            if field in ACCOUNT_FIELDS:
                kind = ACCOUNT_FIELDS[field][0]
                values[field] = rules.coerce(field, kind, value)
                if field == "cfna_duration" and values[field] < 0:
                    raise Invalid("cfna_duration: must be 0 or more seconds")
                if field == "concurrent_call_limit" and values[field] < 0:
                    raise Invalid("concurrent_call_limit: must be 0 (no limit) or more")
            elif field in ("guid", "reg_status", "_links", "parent", "parentguid", "username"):
                continue  # read-only or handled by the caller
            elif isinstance(value, (str, int, float, bool)) or value is None:
                # Fields beyond the public reference: stored as given (assumed),
                # never listed by OPTIONS.
                values.setdefault("extra", {})[field] = "" if value is None else value
        if "password" in values and creating and not values["password"]:
            values.pop("password")
        return values

    def _parent_from_body(self, body, scope):
        ref = body.get("parentguid") or body.get("parent")
        if not ref:
            return None
        doc = self.find_account(ref)
        if doc is None:
            field = "parentguid" if body.get("parentguid") else "parent"
            raise Invalid('%s: no account "%s"' % (field, ref))
        if not self.in_scope(doc, scope):
            raise Denied("access denied")
        return doc

    def create_account(self, body, scope=None, parent=None, guid=None, username=None):
        """A new account; the password is generated when none is given (seed).
        Returns (doc, generated password or None)."""
        username = username or body.get("username")
        username = rules.to_string("username", username).strip()
        if not username:
            raise Invalid("username: required")
        if any(c.isspace() for c in username) or "/" in username:
            raise Invalid('username: "%s" may not contain blanks or "/"' % username)
        if rules.is_guid(username):
            raise Invalid("username: may not look like a guid")
        if parent is None:
            parent = self._parent_from_body(body, scope)
        if parent is None and scope is not None:
            raise Denied("access denied")  # a partitioned login creates inside its subtree only
        if self.account_by_name(username) is not None:
            raise Conflict("exists")
        values = self._account_values(body, creating=True)
        generated = None
        if not values.get("password"):
            generated = values["password"] = generated_password()
        doc = {"guid": None, "username": username, "parentguid": parent["guid"] if parent else ""}
        for field, (_kind, default) in ACCOUNT_FIELDS.items():
            doc[field] = values.get(field, default)
        doc["extra"] = values.get("extra", {})
        with self.lock:
            if guid and self.accounts.get(guid.upper()) is not None:
                raise Conflict("exists")
            row_id = self.accounts.insert(doc, guid.upper() if guid else None)
            doc["guid"] = row_id
            self.accounts.put(row_id, doc)
        return doc, generated

    def update_account(self, doc, body, scope=None):
        values = self._account_values(body, creating=False)
        new = dict(doc)
        if "username" in body:
            name = rules.to_string("username", body["username"]).strip()
            if name.casefold() != doc["username"].casefold():
                if not name:
                    raise Invalid("username: may not be empty")
                if self.account_by_name(name) is not None:
                    raise Conflict("exists")
            new["username"] = name
        if "parent" in body or "parentguid" in body:
            parent = self._parent_from_body(body, scope)
            if parent is None:
                if scope is not None:
                    raise Denied("access denied")
                new["parentguid"] = ""
            else:
                if parent["guid"] == doc["guid"] or any(a["guid"] == doc["guid"] for a in self.ancestors(parent)):
                    raise Invalid("parent: an account cannot be placed under itself or its descendants")
                new["parentguid"] = parent["guid"]
        extra = dict(doc.get("extra") or {})
        extra.update(values.pop("extra", {}))
        new.update(values)
        new["extra"] = extra
        if new.get("password") == "":
            raise Invalid("password: may not be empty")
        with self.lock:
            self.accounts.put(doc["guid"], new)
        return new

    def delete_account(self, doc):
        """Assumed (spec 5.1): 409 while the account has children or numbers;
        its routes, call rules, forks, prompts and registrations go with it."""
        with self.lock:
            if self.children(doc):
                raise Conflict("account has child accounts: delete them first")
            if self.numbers_of(doc):
                raise Conflict("account has numbers: release them first")
            for table in list(self.entries.values()) + [self.prompts, self.registrations]:
                for row_id, _entry in table.find(lambda e: e.get("account") == doc["guid"]):
                    table.delete(row_id)
            self.accounts.delete(doc["guid"])
        return doc

    # -- numbers ---------------------------------------------------------

    def pool(self):
        return self.account_by_name(POOL)

    def numbers_of(self, doc):
        return [n for _i, n in self.numbers.rows() if n["account"] == doc["guid"]]

    def number_owner(self, number_doc):
        return self.accounts.get(number_doc["account"]) or {"username": "", "guid": ""}

    def _unique_number(self, number, ignore=None):
        if number.startswith("a:"):
            return None
        found = self.numbers.first(lambda n: n["number"] == number and n["guid"] != ignore)
        return found[1] if found else None

    def _number_values(self, body):
        values = {}
        for field, (kind, _default) in NUMBER_FIELDS.items():
            if field in body:
                values[field] = rules.coerce(field, kind, body[field])
        if values.get("cfa"):
            values["cfa"] = rules.number_value("cfa", values["cfa"])
        return values

    def add_number(self, doc, body, guid=None):
        """``PUT …/number {"number"}``. Assumed (spec 5.2): the same number already
        on this account is updated and returned; a free pool number moves here
        (same guid); a number of another account is 409."""
        if "number" not in body:
            raise Invalid("number: required")
        number = rules.number_value("number", body["number"])
        values = self._number_values(body)
        with self.lock:
            existing = self._unique_number(number)
            if existing is not None:
                owner = self.number_owner(existing)
                if existing["account"] == doc["guid"]:
                    return self._save_number(existing, values)
                if owner["username"] == POOL:
                    return self._save_number(existing, dict(values, account=doc["guid"]))
                raise Conflict('exists: number %s is assigned to another account' % number)
            record = {"guid": None, "number": number, "account": doc["guid"]}
            record.update({f: d for f, (_k, d) in NUMBER_FIELDS.items()})
            record.update(values)
            if guid and self.numbers.get(guid.upper()) is not None:
                raise Conflict("exists")
            row_id = self.numbers.insert(record, guid.upper() if guid else None)
            record["guid"] = row_id
            self.numbers.put(row_id, record)
            return record

    def _save_number(self, record, values):
        new = dict(record)
        new.update(values)
        self.numbers.put(record["guid"], new)
        return new

    def number(self, doc, guid):
        record = self.numbers.get(str(guid).upper())
        if record is None or record["account"] != doc["guid"]:
            raise NotFound("not found")
        return record

    def number_by_guid(self, guid, scope=None):
        record = self.numbers.get(str(guid).upper())
        if record is None:
            raise NotFound("not found")
        if not self.in_scope(self.number_owner(record), scope) and self.number_owner(record)["username"] != POOL:
            raise Denied("access denied")
        return record

    def put_number(self, doc, guid, body):
        """``PUT …/number/{guid}``: allocate a pool number to the account (no body
        needed), update one of its own, or create under that guid ("PUT creates if
        required", when the body names a number). Repeating an allocation is a no-op."""
        values = self._number_values(body)
        with self.lock:
            record = self.numbers.get(str(guid).upper())
            if record is None:
                if "number" not in body:
                    raise NotFound("not found")
                return self.add_number(doc, body, guid=guid)
            if "number" in body and rules.number_value("number", body["number"]) != record["number"]:
                raise Invalid("number: cannot be changed; delete the number and add the new one")
            if record["account"] == doc["guid"]:
                return self._save_number(record, values)
            if self.number_owner(record)["username"] == POOL:
                return self._save_number(record, dict(values, account=doc["guid"]))
            raise Conflict("exists: number %s is assigned to another account" % record["number"])

    def patch_number(self, doc, guid, body):
        record = self.number(doc, guid)
        if "number" in body and rules.number_value("number", body["number"]) != record["number"]:
            raise Invalid("number: cannot be changed; delete the number and add the new one")
        with self.lock:
            return self._save_number(record, self._number_values(body))

    def release_number(self, doc, guid):
        """Assumed (spec 5.2): with a pool, the number goes back to it (same guid,
        per-assignment settings cleared); without one it is deleted."""
        record = self.number(doc, guid)
        pool = self.pool()
        with self.lock:
            if pool is None or record["number"].startswith("a:"):
                self.numbers.delete(record["guid"])
                return record
            cleared = {f: d for f, (_k, d) in NUMBER_FIELDS.items()}
            return self._save_number(record, dict(cleared, account=pool["guid"]))

    def allocatable(self, pattern="%"):
        pool = self.pool()
        if pool is None:
            return []
        return [n for n in self.numbers_of(pool) if rules.like(pattern or "%", n["number"])]

    # -- routes, call rules, forks -----------------------------------------

    def entry_values(self, kind, body, creating):
        fields = ENTRY_FIELDS[kind]
        values = {}
        for field, (ftype, _default) in fields.items():
            if field in body:
                values[field] = rules.coerce(field, ftype, body[field])
        if creating:
            for field, (_ftype, default) in fields.items():
                if default is None and field not in values:
                    raise Invalid("%s: required" % field)
        if "menu_level" in values and values["menu_level"] < 0:
            raise Invalid("menu_level: must be 1 or more (0: not a menu)")
        if "ring_seconds" in values and values["ring_seconds"] < 0:
            raise Invalid("ring_seconds: must be 0 or more")
        if values.get("digit_map"):
            values["digit_map"] = rules.digit_map(values["digit_map"])
        if values.get("time_definition"):
            values["time_definition"] = rules.time_definition(values["time_definition"])
        if values.get("username"):
            target = self.account_by_name(values["username"])
            if target is None:
                raise Invalid('username: no account "%s"' % values["username"])
            values["username"] = target["username"]
        if values.get("promptguid"):
            if not rules.is_guid(values["promptguid"]) or self.prompts.get(values["promptguid"].upper()) is None:
                raise Invalid('promptguid: no prompt "%s"' % values["promptguid"])
            values["promptguid"] = values["promptguid"].upper()
        if values.get("location"):
            wanted = values["location"].casefold()
            found = self.locations.first(lambda loc: loc["name"].casefold() == wanted)
            if found is None:
                raise Invalid('location: no location "%s" (GET /api-sys/location lists them)' % values["location"])
            values["location"] = found[1]["name"]
        if kind == "fork":
            destination = values.get("destination")
            if destination is not None:
                if not rules.E164_RE.match(destination):
                    raise Invalid('destination: "%s" is not a DDI; forks ring E.164 numbers without "+" '
                                  "(account names are not supported yet)" % destination)
        if kind == "callrule" and values.get("destination", "").startswith("drop:"):
            parts = values["destination"].split(":", 2)
            if not parts[1].isdigit() or not 400 <= int(parts[1]) <= 699:
                raise Invalid('destination: "%s" must be drop:<SIP code 400-699>:<text>' % values["destination"])
        return values

    def entries_of(self, kind, doc):
        return [e for _i, e in self.entries[kind].rows() if e["account"] == doc["guid"]]

    def entry(self, kind, doc, guid):
        record = self.entries[kind].get(str(guid).upper())
        if record is None or record["account"] != doc["guid"]:
            raise NotFound("not found")
        return record

    def create_entry(self, kind, doc, body, guid=None):
        """Collection ``PUT`` appends a new entry every time (assumed, spec 5.4-5.6;
        several entries may share an order) - except a fork whose destination is
        already there, which returns the existing one (assumed, spec 5.6)."""
        values = self.entry_values(kind, body, creating=True)
        table = self.entries[kind]
        with self.lock:
            if kind == "fork":
                for existing in self.entries_of(kind, doc):
                    if existing["destination"] == values["destination"]:
                        return existing
            record = {"guid": None, "account": doc["guid"]}
            record.update({f: d for f, (_k, d) in ENTRY_FIELDS[kind].items() if d is not None})
            record.update(values)
            if guid and table.get(guid.upper()) is not None:
                raise Conflict("exists")
            row_id = table.insert(record, guid.upper() if guid else None)
            record["guid"] = row_id
            table.put(row_id, record)
            return record

    def put_entry(self, kind, doc, guid, body):
        """``PUT …/{guid}``: update, or create under the client's guid (spec 5.8:
        "PUT creates if required" - the idempotent create)."""
        if not rules.is_guid(guid):
            raise Invalid("guid: %s is not a guid (GET /api-sys/guid makes one)" % guid)
        with self.lock:
            record = self.entries[kind].get(guid.upper())
            if record is None:
                return self.create_entry(kind, doc, body, guid=guid)
            if record["account"] != doc["guid"]:
                raise Conflict("exists: guid %s belongs to another account" % guid.upper())
            return self.patch_entry(kind, doc, guid, body)

    def patch_entry(self, kind, doc, guid, body):
        record = self.entry(kind, doc, guid)
        values = self.entry_values(kind, body, creating=False)
        with self.lock:
            new = dict(record)
            new.update(values)
            self.entries[kind].put(record["guid"], new)
            return new

    def delete_entry(self, kind, doc, guid):
        record = self.entry(kind, doc, guid)
        self.entries[kind].delete(record["guid"])
        return record

    # -- prompts -----------------------------------------------------------

    def _group_access(self):
        counter = int(self.tables.get_meta("group_access", 100)) + 1
        self.tables.set_meta("group_access", counter)
        return "*22%05d" % counter

    def prompts_of(self, doc):
        return [p for _i, p in self.prompts.rows() if p["account"] == doc["guid"]]

    def prompt(self, doc, guid):
        record = self.prompts.get(str(guid).upper())
        if record is None or record["account"] != doc["guid"]:
            raise NotFound("not found")
        return record

    def create_prompt(self, doc, body, guid=None):
        """An empty prompt; its ``group_access`` code records it by phone (seed)."""
        description = rules.to_string("description", body.get("description", ""))
        with self.lock:
            if guid is not None:
                if not rules.is_guid(guid):
                    raise Invalid("guid: %s is not a guid (GET /api-sys/guid makes one)" % guid)
                if self.prompts.get(guid.upper()) is not None:
                    raise Conflict("exists")
            record = {"guid": None, "account": doc["guid"], "description": description, "prompt_length": 0,
                      "group_access": self._group_access(), "audio_sha256": "", "audio_bytes": 0}
            row_id = self.prompts.insert(record, guid.upper() if guid else None)
            record["guid"] = row_id
            self.prompts.put(row_id, record)
            return record

    def update_prompt(self, doc, guid, body, create=False):
        with self.lock:
            record = self.prompts.get(str(guid).upper())
            if record is None and create:
                return self.create_prompt(doc, body, guid=guid)
            record = self.prompt(doc, guid)
            new = dict(record)
            if "description" in body:
                new["description"] = rules.to_string("description", body["description"])
            self.prompts.put(record["guid"], new)
            return new

    def upload_prompt(self, doc, guid, audio, description=None):
        """Multipart upload to ``…/prompt/{guid}``: replaces the audio (creates the
        prompt when the guid is new); ``prompt_length`` from the WAV header."""
        import hashlib  # pylint: disable=import-outside-toplevel

        length = rules.wav_length(audio)
        with self.lock:
            record = self.prompts.get(str(guid).upper())
            if record is None:
                record = self.create_prompt(doc, {"description": description or ""}, guid=guid)
            elif record["account"] != doc["guid"]:
                raise Conflict("exists: guid %s belongs to another account" % str(guid).upper())
            new = dict(record, prompt_length=length, audio_sha256=hashlib.sha256(audio).hexdigest(), audio_bytes=len(audio))
            if description is not None:
                new["description"] = description
            self.prompts.put(record["guid"], new)
            return new

    def delete_prompt(self, doc, guid):
        record = self.prompt(doc, guid)
        self.prompts.delete(record["guid"])
        return record

    # -- registrations and locations -----------------------------------------

    def registrations_of(self, doc):
        return [r for _i, r in self.registrations.rows() if r["account"] == doc["guid"]]

    def list_locations(self, pattern="%"):
        return [loc for _i, loc in self.locations.rows() if rules.like(pattern or "%", loc["name"])]

    # -- inheritance (dump-config) ---------------------------------------------

    def dump_config(self, doc):
        """The flat configuration of an account including what it inherits from its
        ancestors (spec 5.1: call rules, pickup group, menus); the vendor's format
        is undocumented, this one is assumed."""
        inherited_rules, inherited_menus = [], []
        pickup = {"value": doc.get("pickup_group", ""), "from": doc["username"] if doc.get("pickup_group") else ""}
        for ancestor in self.ancestors(doc):
            for rule in self.entries_of("callrule", ancestor):
                inherited_rules.append(dict(rule, inherited_from=ancestor["username"]))
            for route in self.entries_of("route", ancestor):
                if route.get("menu_level"):
                    inherited_menus.append(dict(route, inherited_from=ancestor["username"]))
            if not pickup["value"] and ancestor.get("pickup_group"):
                pickup = {"value": ancestor["pickup_group"], "from": ancestor["username"]}
        return {
            "numbers": self.numbers_of(doc),
            "routes": self.entries_of("route", doc),
            "callrules": self.entries_of("callrule", doc),
            "forks": self.entries_of("fork", doc),
            "prompts": self.prompts_of(doc),
            "inherited": {"pickup_group": pickup, "callrules": inherited_rules, "menus": inherited_menus},
        }

    # -- HydraAccount (beta) ---------------------------------------------------

    def hydra_line(self, number):
        number = rules.number_value("number", number)
        line = self.hydra.get(number)
        if line is None:
            raise NotFound("not found")
        return line

    def put_hydra(self, number, body, scope=None):
        """Create or update a basic POTS line. Assumed (spec gap 11): the line is a
        top-level account ``_tel.<number>`` holding the number; creating one needs
        system-wide access (a partitioned login gets 403)."""
        if scope is not None:
            raise Denied("access denied")
        number = rules.number_value("number", number)
        if number.startswith("a:"):
            raise Invalid("number: a HydraAccount number cannot be a: prefixed")
        updates = {}
        if "password" in body:
            updates["password"] = rules.to_string("password", body["password"])
            if not updates["password"]:
                raise Invalid("password: may not be empty")
        if "cfna_dest" in body:
            dest = rules.to_string("cfna_dest", body["cfna_dest"])
            updates["cfna_dest"] = rules.number_value("cfna_dest", dest) if dest else ""
        if "cfna_active" in body:
            updates["cfna_active"] = rules.to_bool("cfna_active", body["cfna_active"])
        if "ums_pin" in body:
            pin = body["ums_pin"]
            if pin is None:
                updates["ums_pin"] = None  # null removes the mailbox (seed, gap 8)
            else:
                pin = rules.to_string("ums_pin", pin)
                if not pin.isdigit() or not 4 <= len(pin) <= 10:
                    raise Invalid("ums_pin: must be 4 to 10 digits, or null to remove the mailbox")
                updates["ums_pin"] = pin
        if "concurrent_limit" in body:
            updates["concurrent_limit"] = rules.to_int("concurrent_limit", body["concurrent_limit"], minimum=1)
        if "private" in body:
            value = body["private"]
            if isinstance(value, bool):
                value = int(value)
            value = rules.to_int("private", value)
            if value not in (0, 1):
                raise Invalid("private: must be 0 (presented) or 1 (private)")
            updates["private"] = value
        if "callerid" in body:
            updates["callerid"] = rules.to_bool("callerid", body["callerid"])
        with self.lock:
            line = self.hydra.get(number)
            if line is None:
                existing = self._unique_number(number)
                if existing is not None and self.number_owner(existing)["username"] != POOL:
                    raise Conflict("exists: number %s is assigned to account %s" % (number, self.number_owner(existing)["username"]))
                account, _generated = self.create_account(
                    {"password": updates.get("password"), "description": "HydraAccount %s" % number}, username=HYDRA_PREFIX + number)
                self.add_number(account, {"number": number})
                line = {"number": number, "account": account["guid"], "cfna_dest": "", "cfna_active": False, "ums_pin": None}
            account = self.accounts.get(line["account"])
            account_updates = {}
            mapping = (("password", "password", None), ("concurrent_limit", "concurrent_call_limit", None),
                       ("private", "private", bool), ("callerid", "callerid", None))
            for facade, field, convert in mapping:
                if facade in updates:
                    account_updates[field] = convert(updates[facade]) if convert else updates[facade]
            if account_updates:
                account = dict(account, **account_updates)
                self.accounts.put(account["guid"], account)
            line = dict(line, **{k: v for k, v in updates.items() if k in ("cfna_dest", "cfna_active", "ums_pin")})
            self.hydra.put(number, line)
            return line

    def hydra_view(self, line):
        account = self.accounts.get(line["account"]) or {}
        return {
            "number": line["number"],
            "password": account.get("password", ""),
            "cfna_dest": line.get("cfna_dest", ""),
            "cfna_active": bool(line.get("cfna_active")),
            "ums_pin": line.get("ums_pin"),
            "concurrent_limit": account.get("concurrent_call_limit", 0),
            "private": 1 if account.get("private") else 0,
            "callerid": bool(account.get("callerid", True)),
        }

    def delete_hydra(self, number, scope=None):
        if scope is not None:
            raise Denied("access denied")
        line = self.hydra_line(number)
        with self.lock:
            account = self.accounts.get(line["account"])
            if account is not None:
                for record in self.numbers_of(account):
                    self.release_number(account, record["guid"])
                self.delete_account(account)
            self.hydra.delete(line["number"])
        return line
