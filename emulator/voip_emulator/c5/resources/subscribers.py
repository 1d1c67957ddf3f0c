"""subscribers and numbers (spec §4.7, §4.12)."""

import re
import uuid

from voip_emulator.c5.errors import ApiError, invalid_value, scalar_text, validation_failed
from voip_emulator.c5.filters import EXACT, PATTERN, WILDCARD, Filter, is_plain
from voip_emulator.c5.resources.base import Resource, int_or_none, now_iso, text_or_none, to_bool
from voip_emulator.c5.resources.contacts import validate_timezone
from voip_emulator.c5.state import PROVISIONING_ID_OFFSET, e164_key, hash_password

SUBSCRIBER_STATUSES = ("active", "locked", "terminated")
LOCK_LEVELS = ("1", "2", "3", "4", "5")
_USERNAME_RE = re.compile(r"^[A-Za-z0-9+=,;_.~'()!*-]+$")
CUSTOMER_ID_WARNING = ("Use of uninitialized value $value in substitution (s///) at /usr/share/perl5/HTML/FormHandler/Field/Integer.pm line 28.\n"
                       ",Value must be an integer,Value must be a positive integer")


def number_text(number):
    return "%s%s%s" % (number["cc"], number["ac"], number["sn"])


def parse_number(value, field):
    """{"cc","ac","sn"} with cc/ac/sn kept as digit strings (returned: cc as int)."""
    if not isinstance(value, dict):
        raise ApiError(422, "Invalid %s parameter, must be a hash." % field)
    parts = {}
    for key, limit in (("cc", 4), ("ac", 7), ("sn", 31)):
        raw = value.get(key)
        text = "" if raw is None else scalar_text(raw).strip()
        if text and (not text.isdigit() or len(text) > limit):
            raise validation_failed([(key, text, "Value must be a number of at most %d digits" % limit)])
        parts[key] = text
    if not parts["cc"] or not parts["sn"] or parts["cc"] == "0" * len(parts["cc"]):
        raise validation_failed([("cc" if not parts["cc"] else "sn", "", "Country code and subscriber number are required")])
    parts["cc"] = str(int(parts["cc"]))
    parts["is_devid"] = to_bool(value.get("is_devid", False))
    return parts


class Subscribers(Resource):
    name = "subscribers"
    entity = "subscriber"
    table = "subscribers"
    collection_methods = ("GET", "POST")
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    patch_ops = ("replace", "add", "remove", "copy")
    expandable = {"customer_id": "customers", "domain_id": "domains"}
    order_columns = ("id", "username", "domain_id", "customer_id", "status", "external_id", "webusername",
                     "create_timestamp", "modify_timestamp", "uuid")

    def __init__(self, app):
        super().__init__(app)
        domains = self.state.tables["domains"]
        contracts = self.state.tables["contracts"]
        numbers = self.state.tables["numbers"]
        prefs = self.state.tables["preferences"]

        def all_numbers(row):
            ids = ([row["primary_number_id"]] if row.get("primary_number_id") else []) + list(row.get("alias_number_ids", []))
            return [number_text(numbers[i]) for i in ids if i in numbers]

        self.filters = {
            "username": Filter(WILDCARD, lambda r: r["username"]),
            "domain": Filter(PATTERN, lambda r: domains[r["domain_id"]]["domain"] if r["domain_id"] in domains else None),
            "customer_id": Filter(EXACT, lambda r: r["customer_id"]),
            "reseller_id": Filter(EXACT, lambda r: r["reseller_id"]),
            "contact_id": Filter(EXACT, lambda r: contracts[r["customer_id"]]["contact_id"]),
            "webusername": Filter(EXACT, lambda r: r.get("webusername")),
            "subscriber_external_id": Filter(PATTERN, lambda r: r.get("external_id")),
            "customer_external_id": Filter(PATTERN, lambda r: contracts[r["customer_id"]].get("external_id")),
            # verified live: ``alias`` also matches the primary number
            "alias": Filter(PATTERN, all_numbers),
            "primary_number": Filter(PATTERN, lambda r: number_text(numbers[r["primary_number_id"]]) if r.get("primary_number_id") in numbers else None),
            "display_name": Filter(PATTERN, lambda r: prefs.get(r["id"], {}).get("prefs", {}).get("display_name")),
            "profile_id": Filter(EXACT, lambda r: r.get("profile_id")),
            "is_admin": Filter(EXACT, lambda r: r.get("administrative")),
        }

    # reading -------------------------------------------------------------------
    def visible(self, ctx, row):
        return row["status"] != "terminated" and (ctx.is_admin or row["reseller_id"] == ctx.reseller_id)

    def candidates(self, ctx, params):
        values = dict(reversed(params))
        table = self.state.tables["subscribers"]
        customer = values.get("customer_id")
        if customer is not None and customer.isdigit():
            return [table[i] for i in self.state.subs_by_customer.get(int(customer), {})]
        username, domain = values.get("username"), values.get("domain")
        if is_plain(username) and is_plain(domain):
            domain_row = self.app.resources["domains"].find_by_name(None, domain)
            sub_id = self.state.sub_by_login.get((username.lower(), domain_row["id"])) if domain_row else None
            return [table[sub_id]] if sub_id else []
        return table.values()

    def prefs(self, row):
        entry = self.state.get("preferences", row["id"])
        return entry["prefs"] if entry else {}

    def render(self, ctx, row):
        numbers = self.state.tables["numbers"]
        prefs = self.prefs(row)
        primary = None
        if row.get("primary_number_id") in numbers:
            number = numbers[row["primary_number_id"]]
            primary = {"ac": number["ac"], "cc": int(number["cc"]), "number_id": number["id"], "sn": number["sn"]}
        aliases = []
        for number_id in sorted(row.get("alias_number_ids", [])):
            number = numbers[number_id]
            aliases.append({"ac": number["ac"], "cc": int(number["cc"]), "is_devid": bool(number.get("is_devid")), "number_id": number_id, "sn": number["sn"]})
        domain = self.state.get("domains", row["domain_id"])
        body = {
            "administrative": bool(row.get("administrative")), "alias_numbers": aliases, "create_timestamp": row["create_timestamp"],
            "customer_id": row["customer_id"], "display_name": prefs.get("display_name"), "domain": domain["domain"] if domain else None,
            "domain_id": row["domain_id"], "email": row.get("email"), "external_id": row.get("external_id"), "id": row["id"],
            "lock": prefs.get("lock"), "modify_timestamp": row["modify_timestamp"], "primary_number": primary,
            "profile_id": row.get("profile_id"), "profile_set_id": row.get("profile_set_id"), "status": row["status"],
            "timezone": row.get("timezone"), "username": row["username"], "uuid": row["uuid"], "webusername": row.get("webusername"),
        }
        if ctx.show_passwords:
            body["password"] = row.get("password")
        if not row.get("webpassword_written"):
            # verified live: ``webpassword: null`` only while it was never written
            body["webpassword"] = None
        return body

    def patch_document(self, ctx, row):
        """A PATCH applies to ngcp-panel's internal record, which still holds the
        passwords (the web password as its hash) even where GET omits them: replacing
        ``/webpassword`` once one is set works (200), as on the real platform."""
        document = self.render(ctx, row)
        document["password"] = row.get("password")
        if row.get("webpassword") is not None:
            document["webpassword"] = row["webpassword"]
        return document

    def relations(self, row):
        sid = row["id"]
        return [
            ("subscriberpreferences", "/api/subscriberpreferences/%s" % sid),
            ("voicemailsettings", "/api/voicemailsettings/%s" % sid),
            ("reminders", "/api/reminders/?subscriber_id=%s" % sid),
            ("callforwards", "/api/callforwards/%s" % sid),
        ] + ([("subscriberprofilesets", "/api/subscriberprofilesets/%s" % row["profile_set_id"])] if row.get("profile_set_id") else []) + (
            [("subscriberprofiles", "/api/subscriberprofiles/%s" % row["profile_id"])] if row.get("profile_id") else []) + [
            ("domains", "/api/domains/%s" % row["domain_id"]),
            ("calls", "/api/calls/?subscriber_id=%s" % sid),
            ("subscriberregistrations", "/api/subscriberregistrations/?subscriber_id=%s" % sid),
            ("journal", "/api/subscribers/%s/journal/" % sid),
            ("customers", "/api/customers/%s" % row["customer_id"]),
        ]

    # validation helpers ---------------------------------------------------------
    def _domain(self, ctx, body):
        domains = self.app.resources["domains"]
        if body.get("domain") not in (None, ""):
            row = domains.find_by_name(ctx, body["domain"])
            if row is None:
                raise ApiError(422, "Invalid 'domain', doesn't exist.")
            return row
        if body.get("domain_id") not in (None, ""):
            row = domains.lookup(ctx, int_or_none(body["domain_id"]) or 0)
            if row is None:
                raise ApiError(422, "Invalid 'domain_id', doesn't exist.")
            return row
        return None

    @staticmethod
    def _lock(body):
        if body.get("lock") in (None, ""):
            return None
        text = scalar_text(body["lock"])
        if text not in LOCK_LEVELS:
            # verified live: 0 is rejected
            raise invalid_value("lock", body["lock"])
        return text

    @staticmethod
    def _status(body):
        status = body.get("status") or "active"
        if status not in SUBSCRIBER_STATUSES:
            raise invalid_value("status", status)
        return status

    def _numbers(self, body):
        primary = None
        if body.get("primary_number") is not None:
            primary = parse_number(body["primary_number"], "primary_number")
        aliases = body.get("alias_numbers")
        if aliases is None:
            aliases = []
        if not isinstance(aliases, list):
            raise ApiError(422, "Invalid alias_number parameter, must be an array.")
        if any(not isinstance(a, dict) for a in aliases):
            raise ApiError(422, "Invalid alias_number parameter, must be an array of the hashes.")
        return primary, [parse_number(a, "alias_number") for a in aliases]

    def _check_numbers(self, numbers, sub_id, separators):
        for number in numbers:
            existing = self.state.number_by_e164.get(e164_key(number))
            owner = self.state.tables["numbers"][existing]["subscriber_id"] if existing else None
            if owner is None:
                # Released by a request of another subscriber that has not finished:
                # its transaction still holds the number (see _release_number).
                owner = self.state.releasing.get(e164_key(number))
            if owner is not None and owner != sub_id:
                # verified live: "43-1-20001" on POST, "43130001" on PUT/PATCH
                text = "%s-%s-%s" % (number["cc"], number["ac"], number["sn"]) if separators else number_text(number)
                raise ApiError(422, "Number '%s' already exists." % text)

    def _assign_number(self, number, sub, is_primary):
        """Reuse a released number row (its id stays), else create one."""
        existing = self.state.number_by_e164.get(e164_key(number))
        row = self.state.tables["numbers"].get(existing) if existing else None
        if row is None:
            row = {"id": self.state.next_id("numbers"), "cc": number["cc"], "ac": number["ac"], "sn": number["sn"]}
            self.state.number_by_e164[e164_key(row)] = row["id"]
        row = dict(row, subscriber_id=sub["id"], reseller_id=sub["reseller_id"], is_primary=is_primary, is_devid=number.get("is_devid", False))
        self.state.put("numbers", row)
        return row["id"]

    def _release_number(self, number_id, request=None):
        """Free a number. Under a request, the release commits only when that request
        has finished (Request.defer): until then the real server's transaction still
        holds the number and another subscriber's write taking it answers 422
        "Number '...' already exists." (a move of a number between two subscribers
        by two concurrent PUTs fails on the real C5, issue 10 section 4)."""
        row = self.state.tables["numbers"].get(number_id)
        if row is None:
            return
        self.state.put("numbers", dict(row, subscriber_id=None, reseller_id=None, is_primary=False))
        if request is not None and row.get("subscriber_id") is not None:
            key, holder = e164_key(row), row["subscriber_id"]
            self.state.releasing[key] = holder
            request.defer(lambda: self._commit_release(key, holder))

    def _commit_release(self, key, holder):
        with self.app.lock:
            if self.state.releasing.get(key) == holder:
                del self.state.releasing[key]

    def put_prefs(self, sub_id, prefs):
        self.state.put("preferences", {"id": sub_id, "prefs": prefs})

    # subscriber profiles ----------------------------------------------------------
    def _profile(self, ctx, body, current):
        """(profile_set_id, profile_id) as Utils/Subscriber.pm check_profile_set_and_profile
        decides them for admins and resellers: a set of the subscriber's reseller (any
        set on create for admins), the named profile of that set or else its default."""
        set_id, profile_id = int_or_none(body.get("profile_set_id")), int_or_none(body.get("profile_id"))
        if body.get("profile_set_id") not in (None, "", 0, "0"):
            profile_set = self.state.get("subscriber_profile_sets", set_id)
            if profile_set is not None and current is not None and profile_set["reseller_id"] != current["reseller_id"]:
                profile_set = None
            if profile_set is not None and not ctx.is_admin and profile_set["reseller_id"] != ctx.reseller_id:
                profile_set = None
            if profile_set is None:
                raise ApiError(422, "Invalid profile_set_id parameter")
            profiles = self.app.resources["subscriberprofilesets"].profiles(profile_set["id"])
            chosen = [p for p in profiles if profile_id and p["id"] == profile_id] or [p for p in profiles if p["set_default"]]
            if not chosen:
                raise ApiError(422, "Can not determine allowed profile for subscribers profile_set")
            return profile_set["id"], chosen[0]["id"]
        if body.get("profile_id") not in (None, "", 0, "0"):
            raise ApiError(422, "Empty profile_set_id parameter")
        return None, None

    def _profile_changed(self, row, new_profile_id):
        """A new profile deletes the preferences (and call forwards) the old
        profile allowed and the new one does not."""
        old = self.state.get("subscriber_profiles", row.get("profile_id")) if row.get("profile_id") else None
        if old is None or old["id"] == new_profile_id:
            return
        new = self.state.get("subscriber_profiles", new_profile_id) if new_profile_id else None
        removed = [a for a in old["attributes"] if a not in (new["attributes"] if new else [])]
        self._drop_attributes(row, removed)

    def drop_profile_attributes(self, profile_id, removed):
        for sub in list(self.state.tables["subscribers"].values()):
            if sub.get("profile_id") == profile_id and sub["status"] != "terminated":
                self._drop_attributes(sub, removed)

    def _drop_attributes(self, sub, removed):
        if not removed:
            return
        prefs = self.prefs(sub)
        if any(name in prefs for name in removed):
            self.put_prefs(sub["id"], {k: v for k, v in prefs.items() if k not in removed})
        cf_types = [a for a in removed if a in ("cfu", "cfb", "cft", "cfna", "cfs", "cfr", "cfo")]
        if cf_types:
            store = self.app.resources["callforwards"].cf
            for cf_type in cf_types:
                store.clear_type(sub, cf_type)

    # create ---------------------------------------------------------------------
    def create(self, ctx, body):
        domain = self._domain(ctx, body)
        errors = []
        if body.get("username") in (None, ""):
            errors.append(("username", "", "SIP Username field is required"))
        elif not _USERNAME_RE.match(str(body["username"])) or ".." in str(body["username"]) or str(body["username"]).strip(".") != str(body["username"]):
            errors.append(("username", body["username"], "Invalid characters in SIP Username"))
        if domain is None:
            errors.append(("domain_id", "", "Domain field is required"))
        if body.get("password") in (None, ""):
            errors.append(("password", "*****", "SIP Password field is required"))
        elif len(str(body["password"])) > 40:
            errors.append(("password", "*****", "Field should not exceed 40 characters"))
        if body.get("customer_id") in (None, ""):
            errors.append(("customer_id", "", CUSTOMER_ID_WARNING))
        elif int_or_none(body["customer_id"]) is None or int_or_none(body["customer_id"]) <= 0:
            errors.append(("customer_id", scalar_text(body["customer_id"]), "Value must be an integer,Value must be a positive integer"))
        if errors:
            raise validation_failed(errors)
        status = self._status(body)
        lock = self._lock(body)
        timezone = validate_timezone(body.get("timezone"))
        customer = self.state.get("contracts", int(body["customer_id"]))
        if customer is None or customer.get("kind") != "customer":
            # Verified live: an unknown customer_id is an unhandled 500 at this snapshot.
            raise ApiError(500, "Internal Server Error")
        if customer["status"] == "terminated" or not (ctx.is_admin or customer["reseller_id"] == ctx.reseller_id):
            raise ApiError(422, "Invalid 'customer_id', doesn't exist.")
        if domain["reseller_id"] != customer["reseller_id"]:
            raise ApiError(422, "Invalid 'domain', doesn't belong to the same reseller as subscriber's customer.")
        profile_set_id, profile_id = self._profile(ctx, body, None)
        primary, aliases = self._numbers(body)
        if primary is None and customer["type"] == "sipaccount":
            raise ApiError(422, "A primary_number is required for the SIP subscriber.")
        if customer.get("max_subscribers") is not None and len(self.state.subs_by_customer.get(customer["id"], {})) >= customer["max_subscribers"]:
            raise ApiError(403, "Maximum number of customer subscribers reached.")
        self._check_numbers(([primary] if primary else []) + aliases, None, separators=True)
        username = str(body["username"])
        if (username.lower(), domain["id"]) in self.state.sub_by_login:
            # The real server detects this only after inserting the billing subscriber
            # and its new numbers, so the ids are consumed (the transcripts skip
            # subscriber id 3 and number id 7 after errors.json's duplicate POST).
            self.state.next_id("subscribers")
            for number in ([primary] if primary else []) + aliases:
                if e164_key(number) not in self.state.number_by_e164:
                    self.state.next_id("numbers")
            raise ApiError(422, "Subscriber already exists.")
        webusername = text_or_none(body.get("webusername")) or username
        if (webusername.lower(), domain["id"]) in self.state.sub_by_weblogin:
            raise ApiError(422, "Webusername-Domain combination '%s-%s' already exists." % (webusername, domain["id"]))
        now = now_iso(self.app.clock)
        sub_id = self.state.next_id("subscribers")
        if status == "locked" and lock is None:
            lock = "4"
        sub = {
            "id": sub_id, "prov_id": sub_id + PROVISIONING_ID_OFFSET, "uuid": str(uuid.uuid4()), "customer_id": customer["id"],
            "reseller_id": customer["reseller_id"], "domain_id": domain["id"], "username": username, "password": str(body["password"]),
            "webusername": webusername, "webpassword_written": "webpassword" in body, "webpassword": None,
            "status": status, "administrative": to_bool(body.get("administrative", False)), "external_id": text_or_none(body.get("external_id")),
            "email": text_or_none(body.get("email")), "timezone": timezone, "profile_set_id": profile_set_id,
            "profile_id": profile_id, "create_timestamp": now, "modify_timestamp": now,
            "primary_number_id": None, "alias_number_ids": [],
        }
        if body.get("webpassword") is not None:
            sub["webpassword"] = hash_password(str(body["webpassword"]))
        if primary:
            sub["primary_number_id"] = self._assign_number(primary, sub, True)
        sub["alias_number_ids"] = [self._assign_number(a, sub, False) for a in aliases]
        self.state.put("subscribers", sub)
        self.state.index_subscriber(sub)
        # Preferences a new subscriber gets (verified live): cc/ac of the primary
        # number, allowed_clis for every number, and the enum defaults.
        prefs = {}
        if primary:
            prefs["cc"] = primary["cc"]
            if primary["ac"]:
                prefs["ac"] = primary["ac"]
        clis = [number_text(n) for n in ([primary] if primary else []) + aliases]
        if clis:
            prefs["allowed_clis"] = clis
        prefs.update(self.app.resources["subscriberpreferences"].enum_defaults())
        if lock:
            prefs["lock"] = lock
        if customer["type"] == "pbxaccount" and body.get("display_name") is not None:
            prefs["display_name"] = str(body["display_name"])
        default_sets = [r for r in self.state.tables["sound_sets"].values() if r.get("contract_id") == customer["id"] and r["contract_default"]]
        if default_sets:
            # the customer's default sound set (Utils/Subscriber.pm create_subscriber)
            prefs["contract_sound_set"] = default_sets[0]["id"]
        self.put_prefs(sub_id, prefs)
        return sub

    # update ---------------------------------------------------------------------
    def update(self, ctx, row, body, patch):
        if body.get("customer_id") not in (None, "") and int_or_none(body["customer_id"]) != row["customer_id"]:
            raise ApiError(422, "customer_id can't be changed.")
        domain = self._domain(ctx, body)
        if body.get("username") in (None, "") or domain is None:
            errors = []
            if body.get("username") in (None, ""):
                errors.append(("username", "", "SIP Username field is required"))
            if domain is None:
                errors.append(("domain_id", "", "Domain field is required"))
            raise validation_failed(errors)
        if str(body["username"]) != row["username"] or domain["id"] != row["domain_id"]:
            raise ApiError(422, "Subscriber with this username does not exist in the domain.")
        status = self._status(body)
        lock = self._lock(body)
        timezone = validate_timezone(body.get("timezone"))
        profile_set_id, profile_id = self._profile(ctx, body, row)
        customer = self.state.get("contracts", row["customer_id"])
        primary, aliases = self._numbers(body)
        if primary is None and customer["type"] == "sipaccount":
            raise ApiError(422, "A primary_number is required for the SIP subscriber.")
        self._check_numbers(([primary] if primary else []) + aliases, row["id"], separators=False)
        webusername = text_or_none(body.get("webusername"))
        if webusername:
            owner = self.state.sub_by_weblogin.get((webusername.lower(), row["domain_id"]))
            if owner is not None and owner != row["id"]:
                raise ApiError(422, "Webusername-Domain combination '%s-%s' already exists." % (webusername, row["domain_id"]))
        if status == "terminated":
            self.terminate(row, ctx.request)
            return self.state.get("subscribers", row["id"])
        self.state.unindex_subscriber(row)
        new = dict(row, status=status, webusername=webusername, administrative=to_bool(body.get("administrative", False)),
                   external_id=text_or_none(body.get("external_id")), email=text_or_none(body.get("email")), timezone=timezone,
                   profile_set_id=profile_set_id, profile_id=profile_id,
                   modify_timestamp=now_iso(self.app.clock))
        if body.get("password") not in (None, ""):
            new["password"] = str(body["password"])
        if body.get("webpassword") is not None and body["webpassword"] != row.get("webpassword"):
            # (the stored hash sent back unchanged by a PATCH is no new password)
            new["webpassword"] = hash_password(str(body["webpassword"]))
            new["webpassword_written"] = True
        self._profile_changed(row, profile_id)
        prefs = dict(self.prefs(row))
        # numbers: keep what stays, release what goes, append new allowed_clis
        numbers = self.state.tables["numbers"]
        old_ids = ([row["primary_number_id"]] if row.get("primary_number_id") else []) + list(row.get("alias_number_ids", []))
        by_key = {e164_key(numbers[i]): i for i in old_ids if i in numbers}
        wanted = ([primary] if primary else []) + aliases
        wanted_keys = {e164_key(n) for n in wanted}
        for key, number_id in by_key.items():
            if key not in wanted_keys:
                self._release_number(number_id, ctx.request)
        new["primary_number_id"] = self._assign_number(primary, new, True) if primary else None
        new["alias_number_ids"] = [self._assign_number(a, new, False) for a in aliases]
        clis = list(prefs.get("allowed_clis", []))
        for number in wanted:
            if e164_key(number) not in by_key and number_text(number) not in clis:
                # verified live: added numbers are appended, removed ones stay
                clis.append(number_text(number))
        if clis:
            prefs["allowed_clis"] = clis
        if primary and (row.get("primary_number_id") is None or e164_key(primary) not in by_key):
            prefs["cc"] = primary["cc"]
            if primary["ac"]:
                prefs["ac"] = primary["ac"]
        # The lock level is set from ``lock`` on every write (omitted = cleared);
        # a change to ``locked`` forces level 4 (verified live).
        if status == "locked" and (row["status"] != "locked" or lock is None):
            lock = "4"
        if lock:
            prefs["lock"] = lock
        else:
            prefs.pop("lock", None)
        if customer["type"] == "pbxaccount" and "display_name" in body:
            if body["display_name"] is None:
                prefs.pop("display_name", None)
            else:
                prefs["display_name"] = str(body["display_name"])
        self.state.put("subscribers", new)
        self.state.index_subscriber(new)
        self.put_prefs(row["id"], prefs)
        return new

    # termination ------------------------------------------------------------------
    def delete(self, ctx, row):
        self.terminate(row, ctx.request)

    def terminate(self, row, request=None):
        """DELETE = terminate: invisible afterwards, numbers released, forwards gone."""
        self.state.unindex_subscriber(row)
        for number_id in ([row["primary_number_id"]] if row.get("primary_number_id") else []) + list(row.get("alias_number_ids", [])):
            self._release_number(number_id, request)
        self.app.resources["callforwards"].clear_all(row)
        self.state.put("subscribers", dict(row, status="terminated", modify_timestamp=now_iso(self.app.clock)))

    def set_status(self, row, status, lock):
        """Customer status cascade: status plus lock level (verified live: locked -> "4")."""
        self.state.put("subscribers", dict(row, status=status, modify_timestamp=now_iso(self.app.clock)))
        prefs = dict(self.prefs(row))
        if lock:
            prefs["lock"] = lock
        else:
            prefs.pop("lock", None)
        self.put_prefs(row["id"], prefs)


class Numbers(Resource):
    name = "numbers"
    entity = "number"
    table = "numbers"
    roles = ("admin", "reseller")
    collection_methods = ("GET",)
    item_methods = ("GET", "PATCH", "PUT")
    generic_handler = True
    order_columns = ("id", "cc", "ac", "sn", "subscriber_id", "reseller_id")

    def __init__(self, app):
        super().__init__(app)
        subscribers = self.state.tables["subscribers"]
        self.filters = {
            "subscriber_id": Filter(EXACT, lambda r: r.get("subscriber_id")),
            "customer_id": Filter(EXACT, lambda r: subscribers[r["subscriber_id"]]["customer_id"] if r.get("subscriber_id") in subscribers else None),
            "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
            "cc": Filter(WILDCARD, lambda r: r["cc"]),
            "ac": Filter(WILDCARD, lambda r: r["ac"]),
            "sn": Filter(WILDCARD, lambda r: r["sn"]),
            "type": Filter(EXACT, lambda r: "primary" if r.get("is_primary") else "alias"),
        }

    def visible(self, ctx, row):
        return row.get("subscriber_id") is not None and (ctx.is_admin or row.get("reseller_id") == ctx.reseller_id)

    def render(self, ctx, row):
        body = {"ac": row["ac"], "cc": int(row["cc"]), "id": row["id"], "is_devid": bool(row.get("is_devid")),
                "is_primary": bool(row.get("is_primary")), "sn": row["sn"], "subscriber_id": row["subscriber_id"]}
        if ctx.is_admin:
            body["reseller_id"] = row.get("reseller_id")
        return body

    def relations(self, row):
        return [("numbers", "/api/numbers/%s" % row["id"]), ("subscribers", "/api/subscribers/%s" % row["subscriber_id"])]

    def update(self, ctx, row, body, patch):
        for field in ("cc", "ac", "sn", "is_primary"):
            if field in body and scalar_text(body[field]) != scalar_text(self.render(ctx, row)[field]):
                raise ApiError(422, "Field '%s' is not allowed to be updated via this API endpoint, use /api/subscriber/$id instead." % field)
        target_id = int_or_none(body.get("subscriber_id"))
        new = dict(row, is_devid=to_bool(body.get("is_devid", row.get("is_devid"))))
        if target_id is not None and target_id != row["subscriber_id"]:
            if row.get("is_primary"):
                raise ApiError(422, "Cannot reassign primary number.")
            subscribers = self.app.resources["subscribers"]
            target = subscribers.lookup(ctx, target_id)
            if target is None or target["reseller_id"] != row["reseller_id"]:
                raise ApiError(422, "Invalid 'subscriber_id'.")
            source = self.state.get("subscribers", row["subscriber_id"])
            self.state.put("subscribers", dict(source, alias_number_ids=[i for i in source["alias_number_ids"] if i != row["id"]]))
            self.state.put("subscribers", dict(target, alias_number_ids=list(target["alias_number_ids"]) + [row["id"]]))
            new["subscriber_id"] = target_id
        self.state.put("numbers", new)
        return new
