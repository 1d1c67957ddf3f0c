# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""DDIs of an account (``/api-sys/account/{acct}/number``, spec 5.2, gap 10).

A number is either given (``number``) or allocated from ``_unassigned.pool``
by a ``LIKE`` filter (``pool_filter``). Allocation is idempotent: when the
account already holds a number matching the filter, that is the one - a re-run
allocates nothing. Allocating moves the pool's record to the account (same
guid); releasing (``state: absent``) moves it back. Numbers are unique
system-wide: a number held by another account is an error unless ``move``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import ObjectResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, Unresolved, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet
from ansible_collections.voip.provisioning.plugins.module_utils.xc5 import values

POOL = "_unassigned.pool"
#: attempts to allocate when another task took the chosen free number first.
ALLOCATE_ATTEMPTS = 5

NUMBER_FIELDS = FieldSet(
    Field("account", api=False),
    Field("number", normalise=values.e164("number", allow_rewrite=True)),
    Field("pool_filter", api=False),
    Field("is_pilot", type="bool", api_name="is-pilot", read=values.boolean),
    Field("cfa", read=values.text, normalise=values.optional_e164("cfa")),
    Field("alert_info", api_name="alert-info", read=values.text),
    Field("account_code", api_name="account-code", read=values.text),
    Field("move", type="bool", default=False, api=False),
    Field("state", choices=["present", "absent"], default="present", api=False),
)


class Number(ObjectResource):
    name = "number"
    key = ("account", "number", "pool_filter")
    fields = NUMBER_FIELDS

    def identity(self, item):
        return "account=%s, %s" % (item.get("account"), "number=%s" % item.get("number") if item.get("number")
                                   else "pool_filter=%s" % item.get("pool_filter"))

    def desired(self, item):
        if not item.get("account"):
            raise InputError("account is required: the account that holds the number (or give items)")
        if not item.get("number") and not item.get("pool_filter"):
            raise InputError("number or pool_filter is required: give the DDI (e.g. 6491231234) or a LIKE pattern "
                             "to allocate one from %s (e.g. 64992901%%)" % POOL)
        if item.get("number") and item.get("pool_filter"):
            raise InputError("number and pool_filter are mutually exclusive: give the DDI, or a filter to allocate one")
        if item.get("state", "present") == "absent" and not item.get("number"):
            raise InputError("number is required with state=absent: name the DDI to release")
        if item.get("pool_filter") is not None and not str(item["pool_filter"]).strip():
            raise InputError("pool_filter: empty; give a LIKE pattern such as 6499%% (%% any digits, _ one digit)")
        desired = ObjectResource.desired(self, item)
        account = self.api.account_ref(item["account"])
        if account is None:
            raise Unresolved("account: no account '%s' on the server; create it first (xc5_account)" % item["account"])
        self.account_guid = account["guid"]
        return desired

    def listing(self, fresh=False):
        return self.api.listing(self.account_guid, "number", fresh=fresh)

    def prefetch(self, items):
        if len(items) <= 1:
            return
        self.api.prime_accounts()
        given = [item for item in items if item.get("number") and item.get("account")]
        owner = next((self.api.account_ref(item["account"]) for item in given if self.api.account_ref(item["account"])), None)
        if owner is not None:
            # The pool's free numbers, once, instead of one look-up per given DDI.
            free = self.api.records("GET", self.api.path("account", owner["guid"], "numberallocate"), params={"filter": "%"})
            pool = self.run.cache("xc5.pool")
            for record in free:
                pool.put(record.get("number"), record)
            pool.put("__primed__", True)

    def find(self, item, desired):
        numbers = self.listing()
        state = item.get("state", "present")
        if desired.get("number"):
            held = next((n for n in numbers if n.get("number") == desired["number"]), None)
            if held is None and state == "present":
                self.locate(item, desired["number"])
            return held
        held = next((n for n in numbers if values.like(item["pool_filter"], values.text(n.get("number")))), None)
        if held is None and state == "present" and not self.free_numbers(item["pool_filter"]):
            # Before any write, in check mode too.
            raise InputError("pool_filter: no free number in %s matches '%s'; widen the filter or add numbers "
                             "to the pool" % (POOL, item["pool_filter"]))
        return held

    def locate(self, item, number):
        """Where a number the account does not hold is: free in the pool (then it is
        allocated by its guid), held by another account (an error naming it, before
        any write, unless ``move``), or nowhere (then it is created)."""
        self.pool_record = None
        self.owner = None
        pool = self.run.cache("xc5.pool")
        if pool.get("__primed__", False):
            found = pool.pop(number, None)  # taken by this item: no other item of the task takes it
            free = [found] if found is not None else []
        else:
            free = [n for n in self.free_numbers(values.like_literal(number)) if n.get("number") == number]
        if free:
            self.pool_record = free[0]
            return
        self.owner = self.owner_of(number)
        if self.owner is not None and not item.get("move"):
            raise InputError("number: %s is already assigned to account '%s'; release it there first (state=absent), "
                             "or set move: true to move it to %s" % (number, self.owner[0]["username"], item["account"]))

    def find_fresh(self, item, desired):
        self.listing(fresh=True)
        return self.find(item, desired)

    def view(self, raw):
        view = self.fields.view(raw)
        view["account"] = raw.get("assigned")
        return view

    def free_numbers(self, pattern):
        return self.api.records("GET", self.api.path("account", self.account_guid, "numberallocate"),
                                params={"filter": pattern})

    def create(self, item, desired):
        body = self.fields.to_api(dict((k, v) for k, v in desired.items() if k != "number"))
        if desired.get("number"):
            record = self.assign(item, desired, body)
        else:
            record = self.allocate(item, body)
        self.api.forget_listing(self.account_guid, "number")
        return record

    def allocate(self, item, body):
        pattern = item["pool_filter"]
        for _attempt in range(ALLOCATE_ATTEMPTS):
            free = self.free_numbers(pattern)
            if not free:
                raise InputError("pool_filter: no free number in %s matches '%s'; widen the filter or add numbers "
                                 "to the pool" % (POOL, pattern))
            try:
                return self.api.record("PUT", self.api.path("account", self.account_guid, "number", free[0]["guid"]),
                                       json_body=body)
            except ApiError as exc:
                if exc.status != 409:
                    raise
                # Another task took that number between the listing and the allocation.
        raise VoipError("pool_filter: could not allocate a number matching '%s' after %d attempts (others are "
                        "allocating from the same pool at the same time)" % (pattern, ALLOCATE_ATTEMPTS))

    def assign(self, item, desired, body):
        if getattr(self, "pool_record", None) is not None:
            guid = self.pool_record["guid"]
        elif getattr(self, "owner", None) is not None:
            account, number = self.owner
            guid = self.api.record("DELETE", self.api.path("account", account["guid"], "number", number["guid"]))["guid"]
            self.run.warn("number %s: moved from %s to %s" % (desired["number"], account["username"], item["account"]))
        else:
            # New to the system: the server creates it (the same number on the same account is
            # updated, not duplicated, so a repeated PUT is harmless).
            try:
                return self.api.record("PUT", self.api.path("account", self.account_guid, "number"),
                                       json_body=dict(body, number=desired["number"]))
            except ApiError as exc:
                if exc.status == 409:
                    raise InputError("number: %s was assigned to another account while this task ran (%s); run "
                                     "again to see where" % (desired["number"], exc.server_message))
                raise
        return self.api.record("PUT", self.api.path("account", self.account_guid, "number", guid), json_body=body)

    def owner_of(self, number):
        """(account, number record) holding ``number`` among the accounts this login
        sees, or None. Only for numbers neither on the account nor free in the pool:
        one listing of accounts, then their numbers - once per task (bulk items
        share the index)."""
        def index():
            held = {}
            for account in self.api.records("GET", self.api.path("account")):
                if account.get("username") == POOL:
                    continue
                for record in self.api.records("GET", self.api.path("account", account["guid"], "number")):
                    held[record.get("number")] = (account, record)
            return held
        return self.run.cache("xc5.owners").get_or_compute("index", index).get(number)

    def update(self, item, raw, desired, changes):
        body = self.fields.to_api(dict((name, desired[name]) for name in changes if name != "number"))
        record = self.api.record("PATCH", self.api.path("account", self.account_guid, "number", raw["guid"]),
                                 json_body=body)
        self.api.forget_listing(self.account_guid, "number")
        return record

    def delete(self, item, raw):
        self.api.record("DELETE", self.api.path("account", self.account_guid, "number", raw["guid"]))
        self.api.forget_listing(self.account_guid, "number")
