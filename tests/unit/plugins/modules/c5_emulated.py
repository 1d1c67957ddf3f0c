# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The C5 the module unit tests run against: the real C5 emulator application
(``emulator/voip_emulator/c5``) in-process, behind ``InProcessEmulator``'s
``requests`` transport adapter, and the modules' real ``C5Api`` and client.

There is no second model of C5 here, only set-up and views for the tests:

``EmulatedC5(show_passwords=True, reseller_login=False)``  a C5Api logged in as
    ``administrator`` (or as a reseller-1 admin), against a freshly seeded C5
``add(resource, id=None, **fields)``  create an object through the API before the
    test (``id`` makes the emulator hand out that id); set-up requests are not in the log
``log`` / ``writes`` / ``reads``  the requests the code under test sent, as
    ``(method, path, body)`` for writes and ``(method, path, query or None)`` for reads
    (numeric query values as ints); ``c5.log[:] = []`` empties the log
``store[resource][id]``  the object as the API returns it now (read unlogged)
``prefs[subscriber_id]``  its preferences; assigning a dict adds those preferences
``lose_next_create_answer = True``  the next POST is applied but answered 502
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from urllib.parse import parse_qsl

from voip_emulator.core.app import Request
from voip_emulator.inprocess import InProcessEmulator

from ansible_collections.voip.provisioning.plugins.module_utils.c5.dialect import C5Api, c5_client
from ansible_collections.voip.provisioning.plugins.module_utils.core import client as core_client
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import run_resource
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options

ADMIN = ("administrator", "administrator")
RESELLER_ADMIN = ("reseller-admin", "reseller-secret")
# Keys of API documents the API computes itself: never sent when creating set-up objects.
READ_ONLY = ("id", "uuid", "create_timestamp", "modify_timestamp", "activate_timestamp", "terminate_timestamp",
             "all_billing_profiles", "billing_profiles", "billing_profile_definition", "domain_id", "display_name",
             "number_id", "_links")
# The emulator's table behind each collection whose ids set-up may choose.
ID_TABLES = {"customercontacts": "contacts", "customers": "contracts", "billingprofiles": "billing_profiles",
             "domains": "domains", "subscribers": "subscribers", "resellers": "resellers",
             "subscriberprofilesets": "subscriber_profile_sets", "subscriberprofiles": "subscriber_profiles"}


def _query_value(value):
    return int(value) if value.isdigit() else value


def _entry(entry):
    method = entry["method"]
    path, _sep, query = entry["path"].partition("?")
    if method == "GET":
        return (method, path, {k: _query_value(v) for k, v in parse_qsl(query, keep_blank_values=True)} or None)
    return (method, path, entry.get("body"))


class Entries(list):
    """A list of log entries that may also be called (``c5.writes`` and ``api.writes()``)."""

    def __call__(self):
        return list(self)


class RequestLog:
    """The requests the code under test sent (set-up requests excluded)."""

    def __init__(self, emulated):
        self._emulated = emulated

    def _entries(self):
        skip = self._emulated.setup_seqs
        return [self._emulated.log_entry(e) for e in self._emulated.emulator.requests() if e["seq"] not in skip]

    def __iter__(self):
        return iter(self._entries())

    def __len__(self):
        return len(self._entries())

    def __getitem__(self, index):
        return self._entries()[index]

    def __setitem__(self, index, value):
        if index != slice(None) or list(value):
            raise TypeError("the request log can only be emptied (log[:] = [])")
        self._emulated.emulator.clear_requests()
        self._emulated.setup_seqs.clear()

    def __eq__(self, other):
        return self._entries() == list(other)

    def __repr__(self):
        return repr(self._entries())


class _View:
    def __init__(self, emulated, resource):
        self._emulated = emulated
        self._resource = resource

    def __getitem__(self, item_id):
        status, body = self._emulated.direct("GET", "/api/%s/%s" % (self._resource, item_id))
        if status != 200:
            raise KeyError(item_id)
        body.pop("_links", None)
        return body


class Store:
    """``store[resource][id]``: the object as the API returns it, read without logging."""

    def __init__(self, emulated):
        self._emulated = emulated

    def __getitem__(self, resource):
        return _View(self._emulated, resource)


class Preferences(_View):
    """``prefs[subscriber_id]`` (the preferences only); ``prefs[id] = {...}`` adds
    those preferences (set-up)."""

    def __getitem__(self, item_id):
        prefs = _View.__getitem__(self, item_id)
        prefs.pop("id", None)
        prefs.pop("subscriber_id", None)
        return prefs

    def __setitem__(self, item_id, prefs):
        operations = [{"op": "add", "path": "/" + name, "value": value} for name, value in prefs.items()]
        self._emulated.direct("PATCH", "/api/subscriberpreferences/%s" % item_id, operations,
                              content_type="application/json-patch+json", expect=(200, 204))


class EmulatedC5(C5Api):
    """A C5Api whose client talks to the real C5 emulator in-process."""

    page_size = 100

    def __init__(self, show_passwords=True, reseller_login=False, page_size=100):
        self.emulator = InProcessEmulator("c5")
        self.setup_seqs = set()
        self._ids = {}
        login = ADMIN
        if reseller_login:
            self.direct("POST", "/api/admins/", {"login": RESELLER_ADMIN[0], "password": RESELLER_ADMIN[1], "reseller_id": 1,
                                                 "is_superuser": False, "is_master": True, "show_passwords": show_passwords})
            login = RESELLER_ADMIN
        if not show_passwords:
            self.direct("PATCH", "/api/admins/1", [{"op": "replace", "path": "/show_passwords", "value": False}],
                        content_type="application/json-patch+json", expect=(200, 204))
        options = Options({"url": self.emulator.url, "username": login[0], "password": login[1], "auth_method": "basic",
                           "retries": 0, "timeout": 10, "workers": 4})
        # The modules' own client, with the emulator mounted through the client's test hook.
        saved = core_client.TEST_TRANSPORT_ADAPTER
        core_client.TEST_TRANSPORT_ADAPTER = self.emulator.adapter
        try:
            client = c5_client(options, RunContext())
        finally:
            core_client.TEST_TRANSPORT_ADAPTER = saved
        C5Api.__init__(self, client, page_size=page_size)
        self.store = Store(self)
        self.prefs = Preferences(self, "subscriberpreferences")
        self.log = RequestLog(self)

    # -- what the tests read ------------------------------------------------------------------------
    @staticmethod
    def log_entry(entry):
        """How a request of the emulator's log appears in :attr:`log`."""
        return _entry(entry)

    @property
    def writes(self):
        return Entries(entry for entry in self.log if entry[0] != "GET")

    @property
    def reads(self):
        return Entries(entry for entry in self.log if entry[0] == "GET")

    @property
    def lose_next_create_answer(self):
        return any(rule["kind"] == "status_after" and rule["fired"] < rule["count"] for rule in self.emulator.emulator.faults.as_list())

    @lose_next_create_answer.setter
    def lose_next_create_answer(self, value):
        if value:
            # Applied by the server, but the answer is lost (a 502 from a proxy).
            self.emulator.add_fault(kind="status_after", method="POST", status=502, count=1)
        else:
            self.emulator.emulator.faults.clear()

    # -- set-up -------------------------------------------------------------------------------------
    def direct(self, method, path, body=None, content_type="application/json", expect=None):
        """One API request as ``administrator`` that the code under test did not send
        (answered by the application directly, so never in the request log)."""
        headers = {"Authorization": "Basic YWRtaW5pc3RyYXRvcjphZG1pbmlzdHJhdG9y", "Accept": "application/json"}
        raw = b""
        if body is not None:
            headers["Content-Type"] = content_type
            raw = json.dumps(body).encode("utf-8")
        response = self.emulator.app.handle(Request(method, path, headers, raw, host="emulator.invalid"))
        decoded = json.loads(response.body) if response.body and response.body[:1] in (b"{", b"[") else None
        if expect is None:
            expect = (201,) if method == "POST" else (200,)
        if response.status not in expect:
            raise AssertionError("set-up %s %s answered %s: %s" % (method, path, response.status, response.body[:500]))
        if method == "POST":
            return response.status, int(response.header("Location").rstrip("/").rsplit("/", 1)[1])
        return response.status, decoded

    def _choose_id(self, resource, wanted):
        if wanted is not None:
            table = self.emulator.app.state.db[ID_TABLES[resource]]
            if wanted in table:
                raise AssertionError("set-up: %s %s exists already" % (resource, wanted))
            table.set_next_id(wanted)

    def _reseller(self, reseller_id):
        if reseller_id is None or self.emulator.app.state.get("resellers", reseller_id) is not None:
            return
        _status, contract_id = self.direct("POST", "/api/contracts/", {"contact_id": 2, "type": "reseller", "status": "active",
                                                                       "billing_profile_id": 1})
        self._choose_id("resellers", reseller_id)
        self.direct("POST", "/api/resellers/", {"contract_id": contract_id, "name": "reseller-%d" % reseller_id, "status": "active"})

    def _profile(self, set_id, profile_id):
        """A subscriber's profile set and profile must exist (the real C5 refuses
        unknown ones): create them with the ids asked for."""
        if not set_id or self.emulator.app.state.get("subscriber_profile_sets", set_id) is not None:
            return
        self._choose_id("subscriberprofilesets", set_id)
        self.direct("POST", "/api/subscriberprofilesets/", {"reseller_id": 1, "name": "set-%d" % set_id, "description": "set-up"})
        if profile_id:
            self._choose_id("subscriberprofiles", profile_id)
            self.direct("POST", "/api/subscriberprofiles/", {"profile_set_id": set_id, "name": "profile-%d" % profile_id,
                                                             "description": "set-up"})

    def add(self, resource, **fields):
        """Create ``fields`` as a ``resource`` object through the API (``id`` chooses its
        id) and return it as the API returns it."""
        before = self.emulator.emulator.log.entries()
        wanted = fields.pop("id", None)
        body = {k: v for k, v in fields.items() if k not in READ_ONLY}
        self._reseller(body.get("reseller_id"))
        status = body.get("status")
        if resource == "customers":
            body.setdefault("type", "sipaccount")
            body.setdefault("billing_profile_id", 1)
            if status == "terminated":
                body["status"] = "active"
        if resource == "billingprofiles":
            body.setdefault("name", body.get("handle"))
        if resource == "subscribers":
            body = self._subscriber_body(body)
            self._profile(body.get("profile_set_id"), body.get("profile_id"))
        self._choose_id(resource, wanted)
        _status, new_id = self.direct("POST", "/api/%s/" % resource, body)
        if resource == "customers" and status == "terminated":
            self.direct("PATCH", "/api/customers/%d" % new_id, [{"op": "replace", "path": "/status", "value": "terminated"}],
                        content_type="application/json-patch+json", expect=(200, 204))
        self.setup_seqs.update(e["seq"] for e in self.emulator.emulator.log.entries() if e not in before)
        return self.store[resource][new_id]

    def _subscriber_body(self, body):
        body = dict(body)
        body.setdefault("password", "setup-password")
        for key in ("lock",):
            if body.get(key) is None:
                body.pop(key, None)
        if body.get("primary_number"):
            body["primary_number"] = {k: v for k, v in body["primary_number"].items() if k != "number_id"}
        elif body.get("customer_id") is not None:
            # A real C5 gives every subscriber of a sipaccount customer a primary number.
            body["primary_number"] = {"cc": 49, "ac": "555", "sn": str(1000000 + len(self.emulator.app.state.tables["subscribers"]))}
        body["alias_numbers"] = [{k: v for k, v in alias.items() if k != "number_id"} for alias in body.get("alias_numbers") or []]
        return body


def run_module(resource_class, api, params, check_mode=False, diff=True, rename_items=None):
    """Run a module's Resource through the engine the way run_c5 does."""
    params = dict(params)
    params.setdefault("state", "present")
    params.setdefault("retries", 0)
    params.setdefault("update_password", "on_create")
    options = Options(params)
    if rename_items is not None and options.get("items") is not None:
        options = options.with_values(items=[rename_items(e) for e in options.get("items")])
    ctx = RunContext(check_mode=check_mode, diff=diff)
    result = run_resource(resource_class, api, options, ctx)
    if ctx.warnings:
        result["warnings"] = ctx.warnings
    return result
