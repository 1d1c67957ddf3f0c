# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Entry lists under an account: routes (calls to it, spec 5.4), call rules
(calls made by it and its descendants, 5.5) and forks (parallel ringing, 5.6).

The API has no natural key for them and a collection ``PUT`` appends a new
entry every time (gap 1), so entries are matched by their defining fields
(``match_by``, defaults from spec section 6), created under a client-chosen guid
(``PUT …/{guid}``: repeating a create whose answer was lost cannot duplicate
it), changed in place with ``PATCH`` of the differing fields, and - with
``exclusive`` - the account's own unlisted entries are deleted. Entries the
account inherits from its parent are not its own and are never touched
(gap 6). Several entries may share an ``order`` (gap 9).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import EntrySetResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet
from ansible_collections.voip.provisioning.plugins.module_utils.xc5 import values
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.api import new_guid


def _order(value):
    if isinstance(value, bool):
        raise InputError("order: must be an integer, not a boolean")
    return int(value)


def _menu_level(value):
    value = int(value)
    if value < 0:
        raise InputError("menu_level: %d is negative; menus are numbered from 1 (0: not a menu)" % value)
    return value


def _ring_seconds(value):
    value = int(value)
    if value < 0:
        raise InputError("ring_seconds: %d is negative; give the seconds to ring" % value)
    return value


def _drop_or_text(value):
    text = str(value)
    if text.startswith("drop:"):
        parts = text.split(":", 2)
        if not parts[1].isdigit() or not 400 <= int(parts[1]) <= 699:
            raise InputError("destination: '%s' must be drop:<SIP code 400-699>:<text>, e.g. drop:404:destination blocked"
                             % text)
    return text


def _account_ref(resource, value, item):
    return resource.account_reference("username", value)


def _prompt_ref(resource, value, item):
    return resource.prompt_reference(value)


ORDER = Field("order", type="int", required=True, normalise=_order, read=values.integer,
              description="order")
USERNAME = Field("username", read=values.text, compare="casefold", resolve=_account_ref)

ROUTE_FIELDS = FieldSet(
    ORDER,
    Field("menu_level", type="int", normalise=_menu_level, read=values.integer),
    Field("destination", read=values.text),
    USERNAME,
    Field("hunt_user", type="bool", read=values.boolean),
    Field("ring_seconds", type="int", normalise=_ring_seconds, read=values.integer),
    Field("digit_map", read=values.text, normalise=values.digit_map),
    Field("time_definition", read=values.text, normalise=values.time_definition),
    Field("prompt", api_name="promptguid", read=values.upper, resolve=_prompt_ref),
)

CALLRULE_FIELDS = FieldSet(
    ORDER,
    Field("prefix", read=values.text),
    Field("prefix_raw", read=values.text),
    Field("location", read=values.text, compare="casefold", resolve=lambda r, v, i: r.location_reference(v)),
    USERNAME,
    Field("destination", read=values.text, normalise=_drop_or_text),
    Field("early_rule", type="bool", read=values.boolean),
    Field("record_email", read=values.text),
)

FORK_FIELDS = FieldSet(
    Field("destination", required=True, read=values.text, normalise=values.e164("destination")),
)

#: what an entry that does not set a field has on the server (for matching).
DEFAULTS = {"menu_level": 0, "hunt_user": False, "ring_seconds": 0, "early_rule": False}


def task_fields(entry_fields, match_by, description):
    return FieldSet(
        Field("account", api=False),
        Field("entries", type="list", elements="dict", options=list(entry_fields), api=False),
        Field("match_by", type="list", elements="str", choices=[f.name for f in entry_fields], default=list(match_by),
              api=False),
        Field("exclusive", type="bool", default=False, api=False),
        Field("state", choices=["present", "absent"], default="present", api=False),
    )


class AccountEntries(EntrySetResource):
    """What routes, call rules and forks share; ``collection`` is the API path."""

    collection = None
    default_match_by = ()

    def identity(self, item):
        return "account=%s" % item.get("account")

    def parent(self, item):
        name = item.get("account")
        if not name:
            raise InputError("account is required: the account whose %ss these are (or give items)" % self.collection)
        account = self.api.account_ref(name)
        if account is None:
            raise Unresolved("account: no account '%s' on the server; create it first (xc5_account)" % name)
        self.account_guid = account["guid"]
        return account

    def match_by(self, item):
        """The fields entries are matched by: the item's ``match_by`` (each item of
        a bulk task may match its own way), else the task's, else the default."""
        return tuple(item.get("match_by") or self.options.get("match_by") or self.default_match_by)

    def match_key(self, view, item):
        key = []
        for name in self.match_by(item):
            value = view.get(name)
            if value in (None, ""):
                value = DEFAULTS.get(name, "")
            if isinstance(value, str):
                value = value.lower()
            key.append((name, value))
        return tuple(key)

    def plan(self, item, parent):
        seen = {}
        for index, entry in enumerate(item.get(self.entries_option) or []):
            key = self.match_key(self.entry_desired(dict(entry), index + 1), item)
            if key in seen:
                raise InputError("entries: entries %d and %d are the same %s by match_by (%s); give them different "
                                 "values there, or add a field to match_by" % (
                                     seen[key] + 1, index + 1, self.collection,
                                     ", ".join("%s=%s" % pair for pair in key)))
            seen[key] = index
        return EntrySetResource.plan(self, item, parent)

    def prefetch(self, items):
        if len(items) > 1:
            self.api.prime_accounts()

    def entries(self, parent):
        return self.api.records("GET", self.api.path("account", parent["guid"], self.collection))

    def client_id(self, parent, desired):
        return new_guid()

    def create_entry(self, parent, desired, entry_id=None):
        body = self.entry_fields.to_api(desired)
        return self.api.record("PUT", self.api.path("account", parent["guid"], self.collection, entry_id), json_body=body)

    def delete_entry(self, parent, raw):
        self.api.record("DELETE", self.api.path("account", parent["guid"], self.collection, raw["guid"]))

    def patch_entry(self, parent, raw, desired, changes):
        body = self.entry_fields.to_api(dict((name, desired[name]) for name in changes))
        return self.api.record("PATCH", self.api.path("account", parent["guid"], self.collection, raw["guid"]),
                               json_body=body)

    # -- references, checked before any write ---------------------------------
    def account_reference(self, field, value):
        name = str(value).strip()
        if not name:
            return ""
        found = self.api.account_ref(name)
        if found is None:
            if self.run.check_mode:
                self.run.warn("%s: no account '%s' yet; in check mode it is assumed to be created by an earlier task"
                              % (field, name))
                return name
            raise InputError("%s: no account '%s' on the server; create it first (xc5_account) or correct the name"
                             % (field, name))
        # The server stores and shows the account by name, also when it was given by guid.
        return found["username"] if values.is_guid(name) else name

    def entry_view(self, raw):
        view = self.entry_fields.view(raw)
        view["guid"] = raw.get("guid")
        return view


class Route(AccountEntries):
    name = "routes"
    collection = "route"
    entry_fields = ROUTE_FIELDS
    default_match_by = ("order", "menu_level")
    fields = task_fields(ROUTE_FIELDS, default_match_by, "routes")
    update_entry = AccountEntries.patch_entry

    def prompt_reference(self, value):
        """A prompt by guid, or by its description among the account's prompts."""
        text = str(value).strip()
        if not text or values.is_guid(text):
            return text.upper()
        prompts = self.api.listing(self.account_guid, "prompt")
        found = [p for p in prompts if values.text(p.get("description")) == text]
        if len(found) > 1:
            raise InputError("prompt: %d prompts of account '%s' are described '%s'; name it by guid (%s)" % (
                len(found), self.options.get("account"), text, ", ".join(p["guid"] for p in found)))
        if not found:
            if self.run.check_mode:
                self.run.warn("prompt: no prompt '%s' yet; in check mode it is assumed to be created by an earlier task"
                              % text)
                return text
            raise InputError("prompt: account '%s' has no prompt described '%s'; create it first (xc5_prompt) or give "
                             "a prompt guid" % (self.options.get("account"), text))
        return found[0]["guid"].upper()

    def entry_desired(self, entry, position):
        desired = self.entry_fields.desired(entry, resolver=self)
        if desired.get("hunt_user") and not desired.get("username"):
            raise InputError("entries[%d]: hunt_user needs username (the hunt group member to ring)" % position)
        return desired


class CallRule(AccountEntries):
    name = "callrules"
    collection = "callrule"
    entry_fields = CALLRULE_FIELDS
    default_match_by = ("order", "prefix_raw", "prefix", "location", "early_rule")
    fields = task_fields(CALLRULE_FIELDS, default_match_by, "call rules")
    update_entry = AccountEntries.patch_entry

    def location_reference(self, value):
        text = str(value).strip()
        if not text:
            return ""
        known = self.run.cache("xc5.locations").get_or_compute(
            "all", lambda: [loc.get("name") for loc in self.api.records("GET", self.api.path("location"))])
        match = [name for name in known if name and name.lower() == text.lower()]
        if not match:
            raise InputError("location: '%s' is not a location of this XC5 (GET /api-sys/location); known: %s"
                             % (text, ", ".join(known)))
        return match[0]


class Fork(AccountEntries):
    name = "forks"
    collection = "fork"
    entry_fields = FORK_FIELDS
    default_match_by = ("destination",)
    fields = task_fields(FORK_FIELDS, default_match_by, "forks")
