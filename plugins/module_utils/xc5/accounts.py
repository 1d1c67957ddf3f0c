# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""XC5 accounts (``/api-sys/account``, spec 5.1): found by name, created under
their parent (``PUT /account/{parent}/child``) or at the top (``PUT /account/``),
updated with ``PATCH`` of only the differing fields, deleted bottom-up.

Passwords: the server generates one on creation (spec 5.1, gap 7). A password
the task gives is sent with the create and, should the server have generated
its own anyway, set right after with a PATCH; on later runs it is compared with
the one the verbose record shows (a secret: masked in results and diffs).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import ObjectResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, Unresolved, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet
from ansible_collections.voip.provisioning.plugins.module_utils.xc5 import values

#: fields the lean listing carries (spec 5.1, assumed); others need the verbose record.
LEAN_FIELDS = ("account", "description", "enabled", "parent")


def _bool(name, description):
    return Field(name, type="bool", read=values.boolean, description=description)


ACCOUNT_FIELDS = FieldSet(
    Field("account", api_name="username", key=True, compare="casefold", aliases=["name"]),
    Field("parent", read=values.text, compare="casefold"),
    Field("description", read=values.text),
    _bool("enabled", "active or inactive"),
    _bool("pin_reference", "billing reference prompt"),
    _bool("dnd", "do not disturb"),
    _bool("private", "present outgoing calls as private"),
    _bool("block_privacy", "reject anonymous callers"),
    _bool("callerid", "present caller details"),
    Field("cfna_duration", type="int", read=values.integer),
    _bool("trunking", "SIP trunking"),
    Field("concurrent_call_limit", type="int", read=values.integer),
    Field("pickup_group", read=values.text),
    Field("account_password", api_name="password", secret="readable", omit_none=True),
    Field("update_password", choices=["always", "on_create"], default="on_create", api=False),
    Field("allow_reserved", type="bool", default=False, api=False, in_items=False),
    Field("release_numbers", type="bool", default=False, api=False),
    Field("state", choices=["present", "absent"], default="present", api=False),
)


class Account(ObjectResource):
    name = "account"
    key = ("account",)
    fields = ACCOUNT_FIELDS
    secret_keys = ("password",)

    def desired(self, item):
        name = item.get("account")
        if not name:
            raise InputError("account is required (the account name, e.g. reception@acmebrick.x.co.nz), or give items")
        allow = bool(self.options.get("allow_reserved"))
        values.account_name("account", allow)(name)
        desired = ObjectResource.desired(self, item)
        if desired.get("cfna_duration") is not None and desired["cfna_duration"] < 0:
            raise InputError("cfna_duration: %s is negative; give the seconds to ring before diversions (e.g. 10)"
                             % desired["cfna_duration"])
        if desired.get("concurrent_call_limit") is not None and desired["concurrent_call_limit"] < 0:
            raise InputError("concurrent_call_limit: give 0 (no limit) or more")
        parent = desired.get("parent")
        if parent:
            values.account_name("parent", allow_reserved=True)(parent)
            if parent.lower() == name.lower():
                raise InputError("parent: an account cannot be its own parent")
            if item.get("state", "present") == "present":
                found = self.api.account(parent)
                if found is None:
                    raise Unresolved("parent: no account '%s' on the server; create it first (a task before this one) "
                                     "or correct the name" % parent)
                if values.is_guid(parent):
                    desired["parent"] = found["username"]  # the server shows the parent by name
        return desired

    # -- bulk: the lean listings of the parents, instead of one GET per account ----
    def prefetch(self, items):
        parents = set(str(item.get("parent")).lower() for item in items if item.get("parent"))
        listed = self.run.cache("xc5.account_listed")
        for parent in parents:
            if self.api.account(parent) is None:
                continue
            for record in self.api.records("GET", self.api.path("account", parent, "child")):
                listed.put(record["username"].lower(), dict(record, _lean=True))
            listed.put(("parent", parent), True)

    def find(self, item, desired):
        name = desired["account"].lower()
        listed = self.run.cache("xc5.account_listed")
        lean = listed.get(name, None)
        parent = (desired.get("parent") or "").lower()
        if lean is None and parent and listed.get(("parent", parent), False) and item.get("state", "present") == "present":
            return None  # its parent's listing does not hold it (a create that meets 409 looks again)
        if lean is not None and all(n in LEAN_FIELDS for n in desired) and item.get("state", "present") == "present":
            return lean
        return self.api.account(desired["account"])

    def find_fresh(self, item, desired):
        self.run.cache("xc5.account_listed").forget(desired["account"].lower())
        return self.api.account(desired["account"], fresh=True)

    def view(self, raw):
        view = self.fields.view(raw)
        if raw and raw.get("_lean"):
            # A lean listing record: only what it carries (the rest is unknown, not empty).
            view = dict((name, value) for name, value in view.items() if name in LEAN_FIELDS)
        return view

    def result_object(self, raw):
        return dict((k, v) for k, v in raw.items() if k != "_lean")

    def create(self, item, desired):
        body = self.fields.to_api(desired)
        parent = body.pop("parent", None)
        path = self.api.path("account", parent, "child") if parent else self.api.path("account") + "/"
        try:
            # A PUT on a collection creates (gap 1): never repeated by the client after it
            # may have reached the server; the engine looks the account up first (create_once).
            record = self.api.record("PUT", path, json_body=body, idempotent=False)
        except ApiError as exc:
            if exc.status != 409:
                raise
            # "exists" right after a look-up found nothing: our own create whose answer was
            # lost (the engine sent it again), or someone else's account of that name.
            record = self.find_fresh(item, desired)
            if record is None or (record.get("parent") or "").lower() != (parent or "").lower():
                raise VoipError("account: '%s' already exists%s; account names are unique system-wide - choose "
                                "another name or manage that account" % (
                                    desired["account"], " under '%s'" % record.get("parent") if record else ""))
            self.run.warn("account %s: the create answered 'exists'; the account is there under %s, using it"
                          % (desired["account"], parent or "the top level"))
        wanted = desired.get("account_password")
        if wanted is not None and record.get("password") not in (None, wanted):
            # The server generated its own password (spec 5.1): set the task's.
            record = self.api.record("PATCH", self.api.path("account", record["guid"]), json_body={"password": wanted})
        self.api.remember_account(record)
        return record

    def update(self, item, raw, desired, changes):
        body = self.fields.to_api(dict((name, desired[name]) for name in changes))
        record = self.api.record("PATCH", self.api.path("account", raw["guid"]), json_body=body)
        self.api.remember_account(record)
        return record

    def delete(self, item, raw):
        guid = raw["guid"]
        if item.get("release_numbers"):
            for number in self.api.records("GET", self.api.path("account", guid, "number")):
                self.api.record("DELETE", self.api.path("account", guid, "number", number["guid"]))
        try:
            self.api.record("DELETE", self.api.path("account", guid))
        except ApiError as exc:
            if exc.status == 409:
                raise VoipError("account '%s' cannot be deleted: %s. Delete its child accounts first, and release "
                                "its numbers (release_numbers: true, or xc5_number state=absent)"
                                % (raw.get("username"), exc.server_message))
            raise
        self.api.forget_account(raw.get("username"))
