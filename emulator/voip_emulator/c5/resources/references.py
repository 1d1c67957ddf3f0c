"""The resources subscribers and call forwards reference (issue 10 section 4):
soundhandles (read-only), soundsets, ncoslevels, rewriterulesets,
subscriberprofilesets and subscriberprofiles.

Behaviour read from ngcp-panel at the recorded snapshot (f677173e): the
``Controller/API/<Res>.pm`` / ``<Res>Item.pm`` controllers, ``Role/API/<Res>.pm``
and their HTML::FormHandler forms.  What the forms do to a representation
matters: ngcp-panel renders an item from its table columns and then drops
every key that is not a field of the caller's form, so a reseller does not see
``reseller_id`` (its forms have no reseller field) and, on rewrite rule sets,
not even the rules.  Names are compared case-insensitively (the tables'
``utf8mb3_general_ci`` collation).
"""

import re

from voip_emulator.c5 import soundhandles
from voip_emulator.c5.errors import ApiError, scalar_text, validation_failed
from voip_emulator.c5.filters import EXACT, WILDCARD, Filter
from voip_emulator.c5.resources.base import AppliedRows, Resource, int_or_none, text_or_none

# The HTML::FormHandler message for a PosInteger field sent empty while
# ``validate_when_empty`` is set (verified live for subscribers' customer_id).
EMPTY_POSINT = ("Use of uninitialized value $value in substitution (s///) at /usr/share/perl5/HTML/FormHandler/Field/Integer.pm line 28.\n"
                ",Value must be an integer,Value must be a positive integer")
NOT_POSINT = "Value must be an integer,Value must be a positive integer"

# Preferences a subscriber profile can allow: voip_preferences rows with usr_pref = 1
# and expose_to_customer = 1, plus the call-forward types (Form/SubscriberProfile/
# Profile.pm field_list), from the db-schema dump.  Other names are skipped silently.
PROFILE_ATTRIBUTES = (
    "block_in_mode", "block_in_list", "block_in_clir", "block_out_mode", "block_out_list", "cfu", "cfb", "cfna", "cft",
    "cli", "clir", "ncos_id", "ncos", "block_out_override_pin", "mobile_push_enable", "contract_sound_set",
    "music_on_hold", "clir_intrapbx", "speed_dial", "reminder", "auto_attendant", "voice_mail", "fax_server",
    "cloud_pbx_callqueue", "language", "conference_pin", "max_queue_length", "queue_wrap_up_time",
    "conference_max_participants", "codecs_filter", "codecs_list", "play_announce_before_cf", "record_call", "cfs",
    "secretary_numbers", "manager_secretary", "csta_controller", "csta_client", "advice_of_charge", "accept_auto_answer",
    "rerouting_mode", "rerouting_codes", "cfr", "play_announce_before_call_setup", "play_announce_before_recording",
    "play_announce_to_callee", "colp_cf", "cfo", "contact_ringtimeout", "csc_calls", "ncos_set_id", "ncos_set",
    "colp_pstn", "csc_registered_devices", "csc_conversations", "csc_device_provisioning", "csc_hunt_groups",
    "cloud_pbx_hunt_cancel_mode", "enable_2fa", "dnd", "colr", "phonebook",
)
CF_TYPES = ("cfu", "cfb", "cft", "cfna", "cfs", "cfr", "cfo")


def perl_true(value):
    """A Boolean form field: Perl truthiness (JSON true/false arrive as 1/0)."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return value not in ("", "0")
    if isinstance(value, (int, float)):
        return value != 0
    return True


def same_name(left, right):
    return left is not None and right is not None and str(left).lower() == str(right).lower()


def posint_error(field, value, required=False):
    """(field, input, errors) of a PosInteger form field, or None when valid."""
    if value in (None, ""):
        return (field, "", EMPTY_POSINT) if required else None
    number = int_or_none(value)
    if number is None or number < 0:
        return (field, scalar_text(value), NOT_POSINT)
    return None


def required_text(field, label, value):
    if value in (None, ""):
        return (field, "", "%s field is required" % label)
    return None


def reseller_field(ctx, body, errors, label_error=("reseller_id", "", "Reseller field is required")):
    """The admin forms' ``reseller`` compound field (``reseller_id``, required);
    resellers have no such field, the id is forced to their own."""
    if not ctx.is_admin:
        return ctx.reseller_id
    value = body.get("reseller_id")
    if value in (None, ""):
        errors.append(label_error)
        return None
    # the compound's id is no Integer field: a non-number fails later, in the database
    return int_or_none(value)


class ReferenceResource(Resource):
    """Shared parts: reseller scoping, the (reseller-dependent) rendering."""

    def visible(self, ctx, row):
        return ctx.is_admin or row.get("reseller_id") == ctx.reseller_id

    def reseller_relation(self, row):
        return [("resellers", "/api/resellers/%s" % row["reseller_id"])]

    def find_named(self, reseller_id, name, column="name"):
        """Rows of ``reseller_id`` whose ``column`` equals ``name`` (case-insensitive), id order."""
        return [r for r in self.all_rows() if r.get("reseller_id") == reseller_id and same_name(r.get(column), name)]


# sound handles ------------------------------------------------------------------

class SoundHandles(Resource):
    """Read-only list of the platform's sound handles (the generic handler)."""

    name = "soundhandles"
    entity = "soundhandle"
    collection_methods = ("GET",)
    item_methods = ("GET",)
    generic_handler = True
    filters = {"group": Filter(EXACT, lambda r: r["group"])}
    order_columns = ("id",)

    def all_rows(self):
        return soundhandles.BY_ID.values()

    def lookup(self, ctx, item_id):
        return soundhandles.BY_ID.get(item_id)

    def render(self, ctx, row):
        return {"group": row["group"], "handle": row["handle"], "id": row["id"]}

    def relations(self, row):
        return [("soundhandles", "/api/soundhandles/%s" % row["id"])]


def announcement(value):
    """The sound handle an announcement_id names, if it is one of ``custom_announcements``."""
    handle = soundhandles.BY_ID.get(int_or_none(value))
    return handle if handle and handle["group"] == soundhandles.CUSTOM_ANNOUNCEMENTS else None


# sound sets -----------------------------------------------------------------------

class SoundSets(ReferenceResource):
    """Generic handler: POST honours Prefer; PUT updates only the columns sent
    (but an omitted ``contract_default`` becomes 0); DELETE is a hard delete and
    unsets the ``sound_set``/``contract_sound_set`` preferences naming the set."""

    name = "soundsets"
    entity = "soundset"
    table = "sound_sets"
    generic_handler = True
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    filters = {
        # ``customer_id`` filters on the contract column, ``reseller_id`` is an = filter
        "customer_id": Filter(EXACT, lambda r: r.get("contract_id")),
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
        "name": Filter(WILDCARD, lambda r: r.get("name")),
    }
    order_columns = ("id", "reseller_id", "contract_id", "name", "description", "contract_default", "parent_id", "expose_to_customer")
    COLUMNS = ("reseller_id", "contract_id", "name", "description", "contract_default", "parent_id", "expose_to_customer")

    def _parent_name(self, row):
        parent = self.state.get("sound_sets", row.get("parent_id")) if row.get("parent_id") else None
        return parent["name"] if parent else None

    def patch_document(self, ctx, row):
        # the generic PATCH applies to the table columns plus the joined parent_name
        doc = {k: row.get(k) for k in ("id",) + self.COLUMNS}
        doc["parent_name"] = self._parent_name(row)
        return doc

    def render(self, ctx, row):
        body = {
            "contract_default": bool(row["contract_default"]), "contract_id": row.get("contract_id"),
            "customer_id": row.get("contract_id"),  # kept by ngcp-panel for backward compatibility
            "description": row.get("description"), "expose_to_customer": bool(row["expose_to_customer"]), "id": row["id"],
            "name": row.get("name"), "parent_id": row.get("parent_id"), "parent_name": self._parent_name(row),
        }
        if ctx.is_admin:
            body["reseller_id"] = row["reseller_id"]
        return body

    def relations(self, row):
        rels = [("soundsets", "/api/soundsets/%s" % row["id"])] + self.reseller_relation(row)
        if row.get("contract_id"):
            rels.append(("customers", "/api/customers/%s" % row["contract_id"]))
        rels.append(("soundfiles", "/api/soundfiles/?set_id=%s" % row["id"]))
        rels.append(("journal", "/api/soundsets/%s/journal/" % row["id"]))
        return rels

    def _apply(self, ctx, body, current):
        body = dict(body)
        # ``customer_id`` is accepted for ``contract_id`` (the documented one wins)
        customer_id = body.pop("customer_id", None)
        if body.get("contract_id") is None:
            body["contract_id"] = customer_id
        # form validation, in the form's field order (name before reseller_id)
        errors = [e for e in (
            required_text("name", "Name", body.get("name")),
            posint_error("contract_id", body.get("contract_id")),
            posint_error("parent_id", body.get("parent_id")),
        ) if e]
        if ctx.is_admin:
            error = posint_error("reseller_id", body.get("reseller_id"), required=True)
            if error:
                errors.append(error)
        if errors:
            raise validation_failed(errors)
        reseller_id = int_or_none(body.get("reseller_id")) if ctx.is_admin else ctx.reseller_id
        row = dict(current) if current else {"contract_id": None, "description": None, "parent_id": None, "expose_to_customer": False}
        # only the columns sent are written (the generic update); contract_default
        # is defaulted to 0 by process_form_resource on every write
        for key in ("name", "description"):
            if key in body:
                row[key] = text_or_none(body[key])
        for key in ("contract_id", "parent_id"):
            if key in body:
                row[key] = int_or_none(body[key]) or None
        if "expose_to_customer" in body:
            row["expose_to_customer"] = perl_true(body["expose_to_customer"])
        row["contract_default"] = perl_true(body.get("contract_default"))
        row["reseller_id"] = reseller_id
        # check_resource, in its order
        if reseller_id is None or self.state.get("resellers", reseller_id) is None:
            raise ApiError(422, "Reseller does not exist")
        if row.get("contract_id") is not None:
            contract = self.state.get("contracts", row["contract_id"])
            if contract is None or contract.get("kind") != "customer":
                raise ApiError(422, "Customer does not exist")
            if contract["reseller_id"] != reseller_id:
                raise ApiError(422, "Invalid reseller for customer")
        if row.get("parent_id"):
            parent = self.state.get("sound_sets", row["parent_id"])
            if parent is None:
                raise ApiError(422, "Parent sound set does not exist")
            if not ctx.is_admin and parent["reseller_id"] != reseller_id:
                raise ApiError(422, "Invalid reseller for parent sound set")
            if current is not None and self._loops(current["id"], row["parent_id"]):
                raise ApiError(422, "Cannot use the parent sound set")
        return row

    def _loops(self, set_id, parent_id):
        seen = set()
        while parent_id and parent_id not in seen:
            if parent_id == set_id:
                return True
            seen.add(parent_id)
            parent = self.state.get("sound_sets", parent_id)
            parent_id = parent.get("parent_id") if parent else None
        return False

    def _contract_default(self, row, was_default):
        """A customer's default set: the only one, and propagated to its
        subscribers' ``contract_sound_set`` preference where that is unset."""
        if not (row.get("contract_id") and row["contract_default"]) or was_default:
            return
        for other in self.all_rows():
            if other["id"] != row["id"] and other.get("contract_id") == row["contract_id"] and other["reseller_id"] == row["reseller_id"] \
                    and other["contract_default"]:
                self.state.put("sound_sets", dict(other, contract_default=False))
        subscribers = self.app.resources["subscribers"]
        for sub_id in list(self.state.subs_by_customer.get(row["contract_id"], {})):
            prefs = dict(subscribers.prefs(self.state.get("subscribers", sub_id)))
            if prefs.get("contract_sound_set") is None:
                prefs["contract_sound_set"] = row["id"]
                subscribers.put_prefs(sub_id, prefs)

    def create(self, ctx, body):
        row = self._apply(ctx, body, None)
        row["id"] = self.state.next_id("sound_sets")
        self.state.put("sound_sets", row)
        self._contract_default(row, False)
        return row

    def update(self, ctx, row, body, patch):
        new = self._apply(ctx, body, row)
        self.state.put("sound_sets", new)
        self._contract_default(new, bool(row["contract_default"]))
        return new

    def delete(self, ctx, row):
        drop_preference_references(self.app, ("sound_set", "contract_sound_set"), row["id"])
        # children keep existing; their parent is unset (ON DELETE SET NULL)
        for child in [r for r in self.all_rows() if r.get("parent_id") == row["id"]]:
            self.state.put("sound_sets", dict(child, parent_id=None))
        self.state.remove("sound_sets", row["id"])

    def find_for_preference(self, reseller_id, name):
        matches = self.find_named(reseller_id, name)
        return matches[0] if matches else None


def drop_preference_references(app, names, ref_id):
    """Delete the subscriber preferences ``names`` whose stored id is ``ref_id``."""
    subscribers = app.resources["subscribers"]
    for entry in list(app.state.tables["preferences"].values()):
        prefs = entry["prefs"]
        if any(prefs.get(n) == ref_id for n in names):
            subscribers.put_prefs(entry["id"], {k: v for k, v in prefs.items() if not (k in names and v == ref_id)})


# NCOS levels ------------------------------------------------------------------------

class NcosLevels(AppliedRows, ReferenceResource):
    """Own POST (201, empty body, no Prefer); PUT writes only the columns sent;
    DELETE unsets the ncos/adm_ncos/adm_cf_ncos preferences naming the level."""

    name = "ncoslevels"
    entity = "ncoslevel"
    table = "ncos_levels"
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    item_link_rels = ("resellers",)
    filters = {
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
        "level": Filter(WILDCARD, lambda r: r.get("level")),
    }
    order_columns = ("id", "reseller_id", "level", "mode", "local_ac", "intra_pbx", "description", "time_set_id",
                     "expose_to_customer", "time_set_invert")
    BOOLEANS = ("local_ac", "intra_pbx", "expose_to_customer", "time_set_invert")

    def patch_document(self, ctx, row):
        # PATCH applies to the table columns (reseller_id included, also for resellers)
        return {k: row.get(k) for k in ("id", "reseller_id", "level", "mode", "description", "time_set_id") + self.BOOLEANS}

    def render(self, ctx, row):
        body = {k: bool(row[k]) for k in self.BOOLEANS}
        body.update(description=row.get("description"), id=row["id"], level=row["level"], mode=row["mode"], time_set_id=row.get("time_set_id"))
        if ctx.is_admin:
            body["reseller_id"] = row["reseller_id"]
        return body

    def relations(self, row):
        return self.reseller_relation(row) + [("ncospatterns", "/api/ncospatterns/?ncos_level_id=%s" % row["id"])]

    def _apply(self, ctx, body, current):
        errors = [e for e in (required_text("level", "Level Name", body.get("level")),) if e]
        mode = body.get("mode")
        if mode in (None, ""):
            errors.append(("mode", "", "Mode field is required"))
        elif mode not in ("whitelist", "blacklist"):
            errors.append(("mode", scalar_text(mode), "'%s' is not a valid value" % scalar_text(mode)))
        error = posint_error("time_set_id", body.get("time_set_id"))
        if error:
            errors.append(error)
        reseller_id = reseller_field(ctx, body, errors)
        if errors:
            raise validation_failed(errors)
        level = str(body["level"])
        for other in self.find_named(reseller_id, level, "level"):
            if current is None or other["id"] != current["id"]:
                raise ApiError(422, "NCOS level already exists for this reseller")
        if body.get("time_set_id") not in (None, "", 0, "0"):
            # The real one looks the id up among the time sets of the *caller's*
            # reseller (``$c->user->reseller_id``, also for an admin), not the level's.
            time_set = self.state.get("time_sets", int_or_none(body["time_set_id"]))
            if time_set is None or time_set["reseller_id"] != ctx.reseller_id:
                raise ApiError(422, "Time set with id '%s' does not exist or does not belong to this reseller" % scalar_text(body["time_set_id"]))
        if self.state.get("resellers", reseller_id) is None or len(level) > 31:
            # The insert fails on the reseller foreign key / the varchar(31) column.
            raise ApiError(500, "Failed to create ncos level." if current is None else "Internal Server Error")
        defaults = {"description": None, "time_set_id": None, "local_ac": False, "intra_pbx": False, "expose_to_customer": False,
                    "time_set_invert": False}
        row = dict(current) if current else defaults
        row.update(reseller_id=reseller_id, level=level, mode=mode)
        if "description" in body:
            row["description"] = text_or_none(body["description"])
        if "time_set_id" in body:
            row["time_set_id"] = int_or_none(body["time_set_id"]) or None
        for key in self.BOOLEANS:
            if key in body:
                row[key] = perl_true(body[key])
        return row

    def delete(self, ctx, row):
        drop_preference_references(self.app, ("ncos", "adm_ncos", "adm_cf_ncos"), row["id"])
        # the level leaves the NCOS sets holding it (foreign key ON DELETE CASCADE)
        for link in [lv for lv in self.state.tables["ncos_set_levels"].values() if lv["level_id"] == row["id"]]:
            self.state.remove("ncos_set_levels", link["id"])
        self.state.remove("ncos_levels", row["id"])

    def find_for_preference(self, reseller_id, name):
        matches = self.find_named(reseller_id, name, "level")
        return matches[0] if matches else None


# rewrite rule sets ----------------------------------------------------------------------

RULE_DIRECTIONS = ("in", "out", "lnp")
RULE_FIELDS = ("caller", "callee")


def _avp_out(pattern, array=False):
    """The stored form of ``${x}`` (and ``@{x}`` in match patterns): kamailio AVPs."""
    pattern = re.sub(r"\$\{(\w+)\}", r"$avp(s:\1)", pattern)
    if array:
        pattern = re.sub(r"@\{(\w+)\}", r"$(avp(s:\1)[+])", pattern)
    return pattern


def _avp_in(pattern, array=False):
    pattern = re.sub(r"\$avp\(s:(\w+)\)", r"${\1}", pattern)
    if array:
        pattern = re.sub(r"\$\(avp\(s:(\w+)\)\[\+\]\)", r"@{\1}", pattern)
    return pattern


def validate_rules(rules):
    """The ``rewriterules`` repeatable of the admin form: (stored rules, form
    errors); error names are ``<index>_<field>`` like every repeatable (spec
    §4.8's ``0_timeout``)."""
    if not isinstance(rules, list):
        # Not pinned by the source (a Repeatable given a non-array): answered as a
        # form error on the field.
        return None, [("rewriterules", "" if isinstance(rules, dict) else scalar_text(rules), "Value must be an array")]
    errors = []
    out = []
    for index, rule in enumerate(rules):
        rule = rule if isinstance(rule, dict) else {}
        prefix = "%d_" % index
        match, replace = rule.get("match_pattern"), rule.get("replace_pattern")
        if match in (None, ""):
            errors.append((prefix + "match_pattern", "", "Match pattern field is required"))
        else:
            try:
                # Python's re stands in for Perl's qr// (the same for ordinary patterns)
                re.compile(str(match))
            except re.error:
                errors.append((prefix + "match_pattern", scalar_text(match), "Match pattern is no valid regexp"))
        if replace in (None, ""):
            errors.append((prefix + "replace_pattern", "", "Replacement Pattern field is required"))
        if rule.get("description") in (None, ""):
            errors.append((prefix + "description", "", "Description field is required"))
        for key, allowed in (("direction", RULE_DIRECTIONS), ("field", RULE_FIELDS)):
            if rule.get(key) not in (None, "") and rule[key] not in allowed:
                errors.append((prefix + key, scalar_text(rule[key]), "'%s' is not a valid value" % scalar_text(rule[key])))
        error = posint_error(prefix + "priority", rule.get("priority"))
        if error:
            errors.append(error)
        out.append(rule)
    if errors:
        return None, errors
    stored = []
    # priorities count from 30 in the order given; a rule's own priority wins
    for counter, rule in enumerate(out, start=30):
        priority = int_or_none(rule.get("priority"))
        stored.append({
            "match_pattern": _avp_out(str(rule["match_pattern"]), array=True), "replace_pattern": _avp_out(str(rule["replace_pattern"])),
            "description": str(rule["description"]),
            "direction": rule["direction"] if rule.get("direction") not in (None, "") else "in",
            "field": rule["field"] if rule.get("field") not in (None, "") else "caller",
            "priority": priority if priority is not None else counter,
            # the rule's value comes from the form: an omitted checkbox is 0
            # (HTML::FormHandler's input_without_param), not the column default 1
            "enabled": perl_true(rule.get("enabled")),
        })
    return stored, []


class RewriteRuleSets(ReferenceResource):
    """Generic handler.  Set names are unique platform-wide.  Only the admin form
    carries ``reseller_id`` and ``rewriterules``: a reseller's rules are dropped
    on write and not shown (as ngcp-panel does)."""

    name = "rewriterulesets"
    entity = "rewriteruleset"
    table = "rewrite_rule_sets"
    generic_handler = True
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    filters = {
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
        "description": Filter(WILDCARD, lambda r: r.get("description")),
        "name": Filter(WILDCARD, lambda r: r.get("name")),
    }
    order_columns = ("id", "reseller_id", "name", "description", "caller_in_dpid", "callee_in_dpid", "caller_out_dpid",
                     "callee_out_dpid", "caller_lnp_dpid", "callee_lnp_dpid")
    DPIDS = ("caller_in_dpid", "callee_in_dpid", "caller_out_dpid", "callee_out_dpid", "caller_lnp_dpid", "callee_lnp_dpid")

    @staticmethod
    def rules_view(row):
        rules = sorted(row["rules"], key=lambda r: r["priority"])
        return [{"description": r["description"], "direction": r["direction"], "enabled": bool(r["enabled"]), "field": r["field"],
                 "match_pattern": _avp_in(r["match_pattern"], array=True), "priority": r["priority"],
                 "replace_pattern": _avp_in(r["replace_pattern"])} for r in rules]

    def patch_document(self, ctx, row):
        doc = {k: row.get(k) for k in ("id", "reseller_id", "name", "description") + self.DPIDS}
        doc["rewriterules"] = self.rules_view(row)
        return doc

    def render(self, ctx, row):
        body = {"description": row.get("description"), "id": row["id"], "name": row["name"]}
        if ctx.is_admin:
            body["reseller_id"] = row["reseller_id"]
            body["rewriterules"] = self.rules_view(row)
        return body

    def relations(self, row):
        return [("rewriterulesets", "/api/rewriterulesets/%s" % row["id"]), ("journal", "/api/rewriterulesets/%s/journal/" % row["id"])]

    def _apply(self, ctx, body, current):
        # the admin form's field order: name, description, rewriterules, reseller_id
        errors = [e for e in (required_text("name", "Name", body.get("name")),) if e]
        rules = None
        if ctx.is_admin and body.get("rewriterules") is not None:
            rules, rule_errors = validate_rules(body["rewriterules"])
            errors.extend(rule_errors)
        if ctx.is_admin:
            error = posint_error("reseller_id", body.get("reseller_id"))
            if body.get("reseller_id") in (None, ""):
                error = ("reseller_id", "", "Reseller id field is required")
            if error:
                errors.append(error)
        if errors:
            raise validation_failed(errors)
        reseller_id = int_or_none(body["reseller_id"]) if ctx.is_admin else ctx.reseller_id
        if (current is None or current["reseller_id"] != reseller_id) and self.state.get("resellers", reseller_id) is None:
            raise ApiError(422, "Invalid 'reseller_id'")
        name = str(body["name"])
        for other in self.all_rows():
            if same_name(other["name"], name) and (current is None or other["id"] != current["id"]):
                raise ApiError(422, "Ruleset with this 'name' already exists.")
        if len(name) > 32:
            # varchar(32): the insert/update fails
            raise ApiError(500, "Failed to create rewriteruleset." if current is None else "Internal Server Error")
        row = dict(current) if current else {"description": None, "rules": []}
        row.update(reseller_id=reseller_id, name=name)
        if "description" in body:
            row["description"] = text_or_none(body["description"])
        if rules is not None:
            # a rules list (even an empty one) replaces the set's rules; omitted keeps them
            row["rules"] = rules
        return row

    def create(self, ctx, body):
        row = self._apply(ctx, body, None)
        row["id"] = self.state.next_id("rewrite_rule_sets")
        # a trigger gives every new set six dialplan ids from one sequence
        base = (row["id"] - 1) * 6
        for offset, key in enumerate(self.DPIDS, start=1):
            row[key] = base + offset
        self.state.put("rewrite_rule_sets", row)
        return row

    def update(self, ctx, row, body, patch):
        new = self._apply(ctx, body, row)
        self.state.put("rewrite_rule_sets", new)
        return new

    def delete(self, ctx, row):
        # The rewrite_*_dpid preferences stay behind on the real platform, but no
        # longer name a set, so the preference vanishes from GET; same here.
        self.state.remove("rewrite_rule_sets", row["id"])

    def find_for_preference(self, reseller_id, name):
        matches = self.find_named(reseller_id, name)
        return matches[0] if matches else None


# subscriber profile sets and profiles --------------------------------------------------

class SubscriberProfileSets(AppliedRows, ReferenceResource):
    """Own POST (201, empty body).  Resellers may write (``profile_sets.reseller_edit``
    is on in the shipped configuration).  No reseller check on create: the table
    has no foreign key.  DELETE unsets the set and profile of its subscribers."""

    name = "subscriberprofilesets"
    entity = "subscriberprofileset"
    table = "subscriber_profile_sets"
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    item_link_rels = ("resellers",)
    filters = {
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
        "name": Filter(WILDCARD, lambda r: r.get("name")),
    }
    order_columns = ("id", "reseller_id", "name", "description")

    def patch_document(self, ctx, row):
        return {k: row.get(k) for k in ("id", "reseller_id", "name", "description")}

    def render(self, ctx, row):
        body = {"description": row["description"], "id": row["id"], "name": row["name"]}
        if ctx.is_admin:
            body["reseller_id"] = row["reseller_id"]
        return body

    def relations(self, row):
        return self.reseller_relation(row) + [("journal", "/api/subscriberprofilesets/%s/journal/" % row["id"])]

    def _apply(self, ctx, body, current):
        errors = [e for e in (required_text("name", "Name", body.get("name")),
                              required_text("description", "Description", body.get("description"))) if e]
        reseller_id = reseller_field(ctx, body, errors)
        if errors:
            raise validation_failed(errors)
        name = str(body["name"])
        for other in self.find_named(reseller_id, name):
            if current is None or other["id"] != current["id"]:
                raise ApiError(422, "Subscriber profile set with this name already exists for this reseller")
        if reseller_id is None:
            # not a number: the integer column refuses it
            raise ApiError(500, "Failed to create subscriber profile set." if current is None else "Internal Server Error")
        return dict(current or {}, reseller_id=reseller_id, name=name, description=str(body["description"]))

    def delete(self, ctx, row):
        for sub in list(self.state.tables["subscribers"].values()):
            if sub.get("profile_set_id") == row["id"]:
                self.state.put("subscribers", dict(sub, profile_set_id=None, profile_id=None))
        for profile in [p for p in self.state.tables["subscriber_profiles"].values() if p["set_id"] == row["id"]]:
            self.state.remove("subscriber_profiles", profile["id"])
        self.state.remove("subscriber_profile_sets", row["id"])

    def profiles(self, set_id):
        return [p for p in self.state.tables["subscriber_profiles"].values() if p["set_id"] == set_id]


class SubscriberProfiles(Resource):
    """Own POST (201, empty body); PATCH takes add/replace/remove/copy.
    ``attributes`` lists the preferences (and call-forward types) the profile
    allows; unknown names are skipped.  A PUT/PATCH without ``attributes`` clears
    them, and a removed attribute is deleted from the subscribers on the profile."""

    name = "subscriberprofiles"
    entity = "subscriberprofile"
    table = "subscriber_profiles"
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    patch_ops = ("add", "replace", "remove", "copy")
    filters = {
        "profile_set_id": Filter(EXACT, lambda r: r.get("set_id")),
        "name": Filter(WILDCARD, lambda r: r.get("name")),
    }
    order_columns = ("id", "set_id", "name", "description", "set_default")

    def profile_set(self, row):
        return self.state.get("subscriber_profile_sets", row["set_id"])

    def visible(self, ctx, row):
        profile_set = self.profile_set(row)
        return ctx.is_admin or (profile_set is not None and profile_set["reseller_id"] == ctx.reseller_id)

    def render(self, ctx, row):
        # Order: as created; after a PUT/PATCH the real one stores them in Perl
        # hash order (random), so clients should compare the list as a set.
        return {"attributes": list(row["attributes"]), "description": row["description"], "id": row["id"], "name": row["name"],
                "profile_set_id": row["set_id"], "set_default": bool(row["set_default"])}

    def relations(self, row):
        return [("subscriberprofilesets", "/api/subscriberprofilesets/%s" % row["set_id"]),
                ("journal", "/api/subscriberprofiles/%s/journal/" % row["id"])]

    def _validate(self, ctx, body):
        errors = [e for e in (required_text("name", "Name", body.get("name")),
                              required_text("description", "Description", body.get("description"))) if e]
        if body.get("profile_set_id") in (None, ""):
            errors.append(("profile_set_id", "", "Profile Set field is required"))
        elif int_or_none(body["profile_set_id"]) is None:
            errors.append(("profile_set_id", scalar_text(body["profile_set_id"]), "Value must be an integer"))
        if errors:
            raise validation_failed(errors)
        profile_set = self.state.get("subscriber_profile_sets", int_or_none(body["profile_set_id"]))
        if profile_set is None or not (ctx.is_admin or profile_set["reseller_id"] == ctx.reseller_id):
            raise ApiError(422, "Invalid 'profile_set_id', does not exist")
        return profile_set

    def _duplicate(self, profile_set, name, current):
        for other in self.app.resources["subscriberprofilesets"].profiles(profile_set["id"]):
            if same_name(other["name"], name) and (current is None or other["id"] != current["id"]):
                raise ApiError(422, "Subscriber profile with this name already exists for this profile set")

    def create(self, ctx, body):
        attributes = body.get("attributes")
        profile_set = self._validate(ctx, body)
        self._duplicate(profile_set, body["name"], None)
        if attributes is not None and not isinstance(attributes, list):
            # a non-array dies when the attributes are stored
            raise ApiError(500, "Failed to create subscriber profile.")
        names = [a for a in (attributes or []) if isinstance(a, str) and a in PROFILE_ATTRIBUTES]
        if len(set(names)) != len(names):
            # the second insert of one attribute hits the (profile, attribute) unique key
            raise ApiError(500, "Failed to create subscriber profile.")
        siblings = self.app.resources["subscriberprofilesets"].profiles(profile_set["id"])
        default = perl_true(body.get("set_default")) or not siblings
        if perl_true(body.get("set_default")):
            for other in siblings:
                self.state.put("subscriber_profiles", dict(other, set_default=False))
        row = {"id": self.state.next_id("subscriber_profiles"), "set_id": profile_set["id"], "name": str(body["name"]),
               "description": str(body["description"]), "set_default": default, "attributes": names}
        self.state.put("subscriber_profiles", row)
        return row

    def update(self, ctx, row, body, patch):
        attributes = body.get("attributes")
        wanted = []
        if isinstance(attributes, list):
            for name in attributes:
                if isinstance(name, str) and name in PROFILE_ATTRIBUTES and name not in wanted:
                    wanted.append(name)
        profile_set = self._validate(ctx, body)
        self._duplicate(profile_set, body["name"], row)
        siblings = self.app.resources["subscriberprofilesets"].profiles(profile_set["id"])
        new_default = perl_true(body.get("set_default"))
        if row["set_default"] and not new_default and siblings:
            first = siblings[0]
            self.state.put("subscriber_profiles", dict(first, set_default=True))
        elif not row["set_default"] and new_default:
            for other in siblings:
                self.state.put("subscriber_profiles", dict(other, set_default=False))
        current = self.state.get("subscriber_profiles", row["id"])
        new = dict(current, set_id=profile_set["id"], name=str(body["name"]), description=str(body["description"]), attributes=wanted)
        if "set_default" in body:
            new["set_default"] = new_default
        self.state.put("subscriber_profiles", new)
        removed = [a for a in row["attributes"] if a not in wanted]
        if removed:
            self.app.resources["subscribers"].drop_profile_attributes(row["id"], removed)
        return new

    def delete(self, ctx, row):
        for sub in list(self.state.tables["subscribers"].values()):
            if sub.get("profile_id") == row["id"]:
                self.state.put("subscribers", dict(sub, profile_id=None))
        if row["set_default"]:
            others = [p for p in self.app.resources["subscriberprofilesets"].profiles(row["set_id"]) if p["id"] != row["id"]]
            if others:
                self.state.put("subscriber_profiles", dict(others[0], set_default=True))
        self.state.remove("subscriber_profiles", row["id"])
