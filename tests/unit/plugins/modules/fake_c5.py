# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory stand-in for ``C5Api`` (no HTTP) that behaves like the recorded real C5
where the modules depend on it (../shared/fixtures/c5-real/): 201 + id only, cc a number
and ac/sn strings, subscriber PUT clears what it is not sent, contact PUT clears
country/timezone, customers keep omitted columns, terminated customers stay listed,
display_name of sipaccount subscribers lives in the preferences, 423 for contacts in use."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.voip.provisioning.plugins.module_utils.c5 import C5Api
from ansible_collections.voip.provisioning.plugins.module_utils.c5.dialect import C5Dialect
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import Paging
from ansible_collections.voip.provisioning.plugins.module_utils.client import ApiError
from ansible_collections.voip.provisioning.plugins.module_utils.engine import Engine
from ansible_collections.voip.provisioning.plugins.module_utils.options import Options, RunContext

CONTACT_FIELDS = ("firstname", "lastname", "company", "street", "postcode", "city", "country", "phonenumber",
                  "mobilenumber", "faxnumber", "iban", "bic", "vatnum", "comregnum", "bankname", "timezone") + \
    tuple("gpp%d" % n for n in range(10))
TZ_LINKS = {"US/Eastern": "America/New_York"}


class FakeResponse:
    def __init__(self, body):
        self._body = body

    def json(self):
        return self._body


class FakeClient(Paging):
    """Only what the paging loop needs: one GET of a collection page (the loop
    itself is the real client's)."""

    dialect = C5Dialect()

    def __init__(self, fake):
        self.fake = fake

    def decode(self, response):
        return response.json()

    def request(self, method, path, params=None, **kwargs):
        resource = path.strip("/").split("/")[1]
        params = dict(params or {})
        page, rows = int(params.pop("page", 1)), int(params.pop("rows", 10))
        self.fake.log.append(("GET", path, dict(params, page=page, rows=rows)))
        matches = self.fake.matching(resource, params)
        chunk = matches[(page - 1) * rows:page * rows]
        body = {"total_count": len(matches), "_links": {}}
        if chunk:
            body["_embedded"] = {"ngcp:%s" % resource: chunk}
        if len(matches) > page * rows:
            body["_links"]["next"] = {"href": "next"}
        return FakeResponse(body)


class FakeC5(C5Api):
    """C5Api with its HTTP verbs replaced (find_one, collection, ... are the real ones)."""

    page_size = 100

    def __init__(self, show_passwords=True, reseller_login=False):
        self.show_passwords = show_passwords
        self.reseller_login = reseller_login
        self.store = {"resellers": {1: {"id": 1, "name": "default", "status": "active"}},
                      "billingprofiles": {1: {"id": 1, "handle": "default", "reseller_id": 1, "status": "active"}},
                      "domains": {}, "customercontacts": {}, "customers": {}, "subscribers": {}}
        self.prefs = {}
        self.next_id = 10
        self.log = []
        self.client = FakeClient(self)
        self.lose_next_create_answer = False

    # --- test helpers -------------------------------------------------------------------------
    @property
    def writes(self):
        return [entry for entry in self.log if entry[0] != "GET"]

    @property
    def reads(self):
        return [entry for entry in self.log if entry[0] == "GET"]

    def add(self, resource, **obj):
        obj.setdefault("id", self._new_id())
        self.store[resource][obj["id"]] = obj
        return obj

    def _new_id(self):
        self.next_id += 1
        return self.next_id

    # --- rendering --------------------------------------------------------------------------
    def render(self, resource, obj):
        obj = copy.deepcopy(obj)
        if resource == "subscribers":
            obj["display_name"] = self.prefs.get(obj["id"], {}).get("display_name")
            if not self.show_passwords:
                obj.pop("password", None)
            obj.pop("webpassword_hash", None)
        if resource in ("customercontacts", "domains") and self.reseller_login:
            obj.pop("reseller_id", None)
        return obj

    def visible(self, resource):
        items = sorted(self.store[resource].values(), key=lambda o: o["id"])
        if resource in ("subscribers", "customercontacts"):
            items = [o for o in items if o.get("status") != "terminated"]
        return items

    def matching(self, resource, filters):
        result = []
        for obj in self.visible(resource):
            ok = True
            for key, value in (filters or {}).items():
                if key == "not_status":
                    ok = ok and obj.get("status") not in str(value).split(",")
                elif key == "reseller_id" and resource == "customers":
                    contact = self.store["customercontacts"].get(obj.get("contact_id")) or {}
                    ok = ok and contact.get("reseller_id") == int(value)
                elif key in ("email", "username", "domain", "external_id", "handle", "name"):
                    ok = ok and str(obj.get(key) or "").lower() == str(value).lower()
                elif key in ("customer_id", "reseller_id"):
                    ok = ok and obj.get(key) == int(value)
            if ok:
                result.append(self.render(resource, obj))
        return result

    # --- the C5Api interface ----------------------------------------------------------------------
    @staticmethod
    def collection(resource):
        return "/api/%s/" % resource

    def list(self, resource, filters=None, rows=None):
        rows = rows or self.page_size
        matches = self.matching(resource, filters)
        page = 1
        while True:
            self.log.append(("GET", self.collection(resource), dict(filters or {}, page=page, rows=rows)))
            chunk = matches[(page - 1) * rows:page * rows]
            yield from chunk
            if len(matches) <= page * rows or not chunk:
                return
            page += 1

    def get(self, resource, item_id, missing_ok=True):
        self.log.append(("GET", "/api/%s/%s" % (resource, item_id), None))
        obj = self.store[resource].get(int(item_id))
        if obj is None or (resource == "subscribers" and obj.get("status") == "terminated"):
            if missing_ok:
                return None
            raise ApiError("GET", "/api/%s/%s" % (resource, item_id), 404, "Entity not found.")
        return self.render(resource, obj)

    def create(self, resource, body):
        self.log.append(("POST", self.collection(resource), copy.deepcopy(body)))
        new_id = self._new_id()
        obj = getattr(self, "_create_" + resource)(copy.deepcopy(body), new_id)
        obj["id"] = new_id
        self.store[resource][new_id] = obj
        if self.lose_next_create_answer:
            # Applied by the server, but the answer is lost (a 502 from a proxy).
            self.lose_next_create_answer = False
            raise ApiError("POST", self.collection(resource), 502, "Bad Gateway", uncertain=True)
        return new_id

    def put(self, resource, item_id, body, representation=True):
        self.log.append(("PUT", "/api/%s/%s" % (resource, item_id), copy.deepcopy(body)))
        current = self.store[resource][int(item_id)]
        updated = getattr(self, "_put_" + resource)(current, copy.deepcopy(body))
        updated["id"] = current["id"]
        self.store[resource][current["id"]] = updated
        return self.render(resource, updated) if representation else None

    def patch(self, resource, item_id, operations, representation=True):
        self.log.append(("PATCH", "/api/%s/%s" % (resource, item_id), copy.deepcopy(operations)))
        if resource == "subscriberpreferences":
            prefs = self.prefs.setdefault(int(item_id), {})
            for op in operations:
                name = op["path"].lstrip("/")
                if op["op"] == "remove":
                    prefs.pop(name, None)
                elif op["op"] == "replace" and name not in prefs:
                    raise ApiError("PATCH", "/api/%s/%s" % (resource, item_id), 422, "A pointer that references a non-existent value")
                else:
                    prefs[name] = op["value"]
            return None
        obj = self.store[resource][int(item_id)]
        if resource == "customers" and obj["status"] == "terminated":
            raise ApiError("PATCH", "/api/customers/%s" % item_id, 422, "Customer is already terminated and cannot be changed.")
        for op in operations:
            obj[op["path"].lstrip("/")] = op["value"]
        if resource == "customers" and obj["status"] == "terminated":
            for sub in self.store["subscribers"].values():
                if sub["customer_id"] == obj["id"]:
                    sub["status"] = "terminated"
        return self.render(resource, obj) if representation else None

    def delete(self, resource, item_id):
        self.log.append(("DELETE", "/api/%s/%s" % (resource, item_id), None))
        obj = self.store[resource].get(int(item_id))
        if obj is None:
            return
        if resource == "customercontacts":
            users = [c for c in self.store["customers"].values() if c["contact_id"] == obj["id"] and c["status"] != "terminated"]
            if users:
                raise ApiError("DELETE", "/api/customercontacts/%s" % item_id, 423, "Contact is still in use.")
        if resource == "subscribers":
            obj["status"] = "terminated"
            return
        del self.store[resource][int(item_id)]

    # --- per-resource server behaviour ---------------------------------------------------------------
    @staticmethod
    def _number(obj, alias=False):
        number = {"cc": int(obj["cc"]), "ac": str(obj.get("ac") or ""), "sn": str(obj["sn"]), "number_id": 1}
        if alias:
            number["is_devid"] = bool(obj.get("is_devid", False))
        return number

    def _subscriber_fields(self, body):
        lock = body.get("lock")
        status = body.get("status") or "active"
        if status == "locked" and lock is None:
            lock = 4
        return {
            "customer_id": body["customer_id"], "username": body["username"], "domain": body["domain"],
            "webusername": body.get("webusername"), "status": status,
            "lock": None if lock is None else str(lock), "administrative": bool(body.get("administrative", False)),
            "external_id": body.get("external_id"), "email": body.get("email"),
            "timezone": TZ_LINKS.get(body.get("timezone"), body.get("timezone")),
            "profile_set_id": body.get("profile_set_id"), "profile_id": body.get("profile_id"),
            "primary_number": self._number(body["primary_number"]) if body.get("primary_number") else None,
            "alias_numbers": [self._number(a, alias=True) for a in body.get("alias_numbers") or []],
        }

    def _create_subscribers(self, body, new_id):
        for sub in self.visible("subscribers"):
            if sub["username"].lower() == body["username"].lower() and sub["domain"].lower() == body["domain"].lower():
                raise ApiError("POST", "/api/subscribers/", 422, "Subscriber already exists.")
        obj = self._subscriber_fields(body)
        obj["webusername"] = body.get("webusername") or body["username"]
        obj["password"] = body.get("password")
        obj["uuid"] = "uuid-%d" % new_id
        if "webpassword" in body:
            obj["webpassword_hash"] = "#" + str(body["webpassword"])
        return obj

    def _put_subscribers(self, current, body):
        if body.get("username") != current["username"]:
            raise ApiError("PUT", "/api/subscribers/%s" % current["id"], 422, "Subscriber with this username does not exist in the domain.")
        if int(body.get("customer_id")) != current["customer_id"]:
            raise ApiError("PUT", "/api/subscribers/%s" % current["id"], 422, "customer_id can't be changed.")
        obj = self._subscriber_fields(body)
        obj["uuid"] = current["uuid"]
        obj["password"] = body.get("password", current.get("password"))
        obj["webpassword_hash"] = ("#" + str(body["webpassword"])) if "webpassword" in body else current.get("webpassword_hash")
        return obj

    def _create_customercontacts(self, body, new_id):
        if self.reseller_login:
            body["reseller_id"] = 1
        obj = dict((f, None) for f in CONTACT_FIELDS)
        obj.update(body)
        obj["timezone"] = TZ_LINKS.get(obj.get("timezone"), obj.get("timezone"))
        return obj

    def _put_customercontacts(self, current, body):
        obj = dict(current)
        obj["country"] = None
        obj["timezone"] = None
        obj.update(dict((k, v) for k, v in body.items() if k in CONTACT_FIELDS + ("email", "reseller_id")))
        obj["timezone"] = TZ_LINKS.get(obj.get("timezone"), obj.get("timezone"))
        return obj

    def _create_customers(self, body, new_id):
        obj = {"external_id": None, "max_subscribers": None, "vat_rate": 0, "add_vat": False, "type": "sipaccount",
               "billing_profile_definition": "id", "billing_profiles": [], "create_timestamp": "2026-11-23 09:37:33"}
        obj.update(body)
        obj["all_billing_profiles"] = [{"profile_id": body["billing_profile_id"]}]
        return obj

    def _put_customers(self, current, body):
        if current["status"] == "terminated":
            raise ApiError("PUT", "/api/customers/%s" % current["id"], 422, "Customer is already terminated and cannot be changed.")
        for key in ("contact_id", "status", "billing_profile_id"):
            if body.get(key) is None:
                raise ApiError("PUT", "/api/customers/%s" % current["id"], 422, "Validation failed. field='%s'" % key)
        obj = dict(current)
        for key, value in body.items():
            if key in ("type", "id", "all_billing_profiles", "create_timestamp"):
                continue
            obj[key] = value
        if body["billing_profile_id"] != current["billing_profile_id"]:
            obj["all_billing_profiles"] = current["all_billing_profiles"] + [{"profile_id": body["billing_profile_id"]}]
        return obj


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
    result = Engine(resource_class, api, options, ctx).run(options, options.get("items"))
    if ctx.warnings:
        result["warnings"] = ctx.warnings
    return result
