# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Call forward normalisation (against shapes recorded on a real C5) and the
c5_callforward resource against an in-memory C5 that stores call forwards the way
the real one does (spec §4.8)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import re

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.c5.callforwards import (
    CF_TYPES, CallForwards, canonical_document, canonical_type, desired_type, empty_document, merged_document,
    normalise_destination, options_need_domain, resolve_announcements, type_differs, writable_type)
from ansible_collections.voip.provisioning.plugins.module_utils.c5.dialect import C5Api, C5Dialect
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import Paging
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import run_resource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options

DOMAIN = "cf.example.com"

# PUT /api/callforwards/11 and its answer, as recorded on a real C5
# (fixtures/c5-real/callforwards_variants.json, read-only *_set objects shortened).
LIVE_PUT = {
    "cfu": {"destinations": [{"destination": "4366610001", "timeout": 30}]},
    "cfb": {"destinations": [{"destination": "voicebox"}]},
    "cft": {"destinations": [{"destination": "sip:alice@other.example.org", "timeout": 15, "priority": 1},
                             {"destination": "voicebox", "timeout": 60, "priority": 2}], "ringtimeout": 25},
    "cfna": {"destinations": [{"destination": "+4366610002"}],
             "times": [{"wday": "2-6", "hour": "8-17", "minute": None, "mday": None, "month": None, "year": None}],
             "sources": [{"source": "4312345*"}], "sources_mode": "whitelist", "sources_is_regex": False},
    "cfs": {"destinations": [{"destination": "sip:bob@cf.example.com"}]},
}
UNUSED = {"bnumber_set": None, "bnumbers": [], "bnumbers_is_regex": False, "bnumbers_mode": "whitelist",
          "source_set": None, "sources": [], "sources_is_regex": False, "sources_mode": "whitelist",
          "time_set": None, "times": []}
LIVE_ANSWER = {
    "cfb": dict(UNUSED, destination_set={"id": 6, "name": "quickset_cfb"}, destinations=[
        {"announcement_id": None, "destination": "voicebox", "priority": None, "timeout": 300}]),
    "cfna": dict(UNUSED, destination_set={"id": 8, "name": "quickset_cfna"}, destinations=[
        {"announcement_id": None, "destination": "sip:+4366610002@cf.example.com", "priority": None,
         "simple_destination": "+4366610002", "timeout": 300}],
        source_set={"id": 1, "is_regex": 0, "mode": "whitelist", "name": "quickset_cfna"},
        sources=[{"source": "4312345*"}], time_set={"id": 1, "name": "quickset_cfna"},
        times=[{"hour": "8-17", "mday": None, "minute": None, "month": None, "wday": "2-6", "year": None}]),
    "cfo": {},
    "cfr": {},
    "cfs": dict(UNUSED, destination_set={"id": 9, "name": "quickset_cfs"}, destinations=[
        {"announcement_id": None, "destination": "sip:bob@cf.example.com", "priority": None,
         "simple_destination": "bob", "timeout": 300}]),
    "cft": dict(UNUSED, destination_set={"id": 7, "name": "quickset_cft"}, ringtimeout=25, destinations=[
        {"announcement_id": None, "destination": "sip:alice@other.example.org", "priority": 1,
         "simple_destination": "alice@other.example.org", "timeout": 15},
        {"announcement_id": None, "destination": "voicebox", "priority": 2, "timeout": 60}]),
    "cfu": dict(UNUSED, destination_set={"id": 5, "name": "quickset_cfu"}, destinations=[
        {"announcement_id": None, "destination": "sip:4366610001@cf.example.com", "priority": None,
         "simple_destination": "4366610001", "timeout": 30}]),
}


# --- destinations ---------------------------------------------------------------------------

@pytest.mark.parametrize("written, returned", [
    ("4366610001", "sip:4366610001@cf.example.com"),
    ("+4366610002", "sip:+4366610002@cf.example.com"),
    ("sip:bob@cf.example.com", "sip:bob@cf.example.com"),
    ("sips:bob", "sip:bob@cf.example.com"),
    ("sip:alice@Other.Example.org", "sip:alice@other.example.org"),
    ("alice@other.example.org", "sip:alice@other.example.org"),
    ("voicebox", "voicebox"),
    ("fax2mail", "fax2mail"),
    ("customhours", "customhours"),
    ("sip:vmu43150001@voicebox.local", "voicebox"),
    ("sip:vmb43150001@voicebox.local", "voicebox"),
    ("sip:conf=43150001@conference.local", "conference"),
    ("sip:custom-hours@app.local", "customhours"),
    ("sip:auto-attendant@app.local", "autoattendant"),
    ("sip:43150001@managersecretary.local", "managersecretary"),
])
def test_destination_normalised_as_the_server_returns_it(written, returned):
    assert normalise_destination(written, DOMAIN) == returned


def test_destination_without_domain_needs_the_subscriber_domain():
    with pytest.raises(InputError, match="names no domain"):
        normalise_destination("4366610001", None)
    with pytest.raises(InputError, match="must not be empty"):
        normalise_destination("  ", DOMAIN)


def test_only_bare_numbers_need_the_domain():
    assert options_need_domain([{"destinations": [{"destination": "4366610001"}]}])
    assert not options_need_domain([{"destinations": [{"destination": "voicebox"}, {"destination": "sip:a@b.c"}]}, None])


# --- whole types ------------------------------------------------------------------------------

def test_live_put_and_live_answer_compare_equal():
    """What the real C5 answered to a PUT normalises to what that PUT asked for."""
    for cf_type in CF_TYPES:
        desired = desired_type(LIVE_PUT.get(cf_type, {}), DOMAIN, cf_type)
        current = canonical_type(LIVE_ANSWER[cf_type], DOMAIN, cf_type)
        assert not type_differs(current, desired), cf_type


def test_canonical_form_of_a_live_type():
    assert canonical_type(LIVE_ANSWER["cfna"], DOMAIN, "cfna") == {
        "destinations": [{"destination": "sip:+4366610002@cf.example.com", "timeout": 300, "priority": None}],
        "times": [{"year": None, "month": None, "mday": None, "wday": "2-6", "hour": "8-17", "minute": None}],
        "sources": [{"source": "4312345*"}], "sources_mode": "whitelist", "sources_is_regex": False,
        "bnumbers": [], "bnumbers_mode": "whitelist", "bnumbers_is_regex": False,
    }


def test_option_shapes_are_normalised():
    """Module options: times as numbers, sources as strings, mode without patterns."""
    desired = desired_type({
        "destinations": [{"destination": "4366610001", "timeout": None, "priority": None}],
        "times": [{"hour": 8, "wday": "2-6"}],
        "sources": ["43*", "1*"],
        "sources_mode": "blacklist",
        "bnumbers": None,
        "bnumbers_mode": "blacklist",
        "bnumbers_is_regex": True,
    }, DOMAIN, "cfu")
    assert desired == {
        "destinations": [{"destination": "sip:4366610001@cf.example.com", "timeout": 300, "priority": None}],
        "times": [{"year": None, "month": None, "mday": None, "wday": "2-6", "hour": "8", "minute": None}],
        "sources": [{"source": "1*"}, {"source": "43*"}], "sources_mode": "blacklist", "sources_is_regex": False,
        # no bnumbers: the server shows the defaults whatever mode was asked for
        "bnumbers": [], "bnumbers_mode": "whitelist", "bnumbers_is_regex": False,
    }


def test_empty_types():
    assert desired_type({}, DOMAIN, "cfu") == {}
    assert desired_type({"destinations": [], "times": [{"hour": "8"}]}, DOMAIN, "cfu") == {}
    assert canonical_type({}, DOMAIN, "cfu") == {}
    assert not type_differs({}, {})
    assert type_differs(canonical_type(LIVE_ANSWER["cfu"], DOMAIN, "cfu"), {})
    assert type_differs({}, desired_type({"destinations": [{"destination": "voicebox"}]}, DOMAIN, "cfb"))


def test_destinations_compare_by_priority():
    current = canonical_type(LIVE_ANSWER["cft"], DOMAIN, "cft")
    reordered = desired_type({"destinations": [{"destination": "voicebox", "timeout": 60, "priority": 2},
                                               {"destination": "sip:alice@other.example.org", "timeout": 15, "priority": 1}]},
                             DOMAIN, "cft")
    assert not type_differs(current, reordered)
    changed = desired_type({"destinations": [{"destination": "voicebox", "timeout": 61, "priority": 2},
                                             {"destination": "sip:alice@other.example.org", "timeout": 15, "priority": 1}]},
                           DOMAIN, "cft")
    assert type_differs(current, changed)


def test_cft_ringtimeout_kept_when_not_given():
    current = canonical_type(LIVE_ANSWER["cft"], DOMAIN, "cft")
    same_without = desired_type({"destinations": LIVE_PUT["cft"]["destinations"]}, DOMAIN, "cft")
    assert "ringtimeout" not in same_without
    assert not type_differs(current, same_without)
    other = desired_type(dict(LIVE_PUT["cft"], ringtimeout=30), DOMAIN, "cft")
    assert type_differs(current, other)
    with pytest.raises(InputError, match="ringtimeout"):
        desired_type(dict(LIVE_PUT["cft"], ringtimeout=0), DOMAIN, "cft")


def test_bad_input_is_reported():
    with pytest.raises(InputError, match="timeout"):
        desired_type({"destinations": [{"destination": "1", "timeout": "abc"}]}, DOMAIN, "cfu")
    with pytest.raises(InputError, match="whitelist or blacklist"):
        desired_type({"destinations": [{"destination": "1"}], "sources": ["1"], "sources_mode": "greylist"}, DOMAIN, "cfu")
    with pytest.raises(InputError, match="unknown key"):
        desired_type({"destinations": [{"destination": "1"}], "times": [{"hours": "8"}]}, DOMAIN, "cfu")


# --- the PUT body -------------------------------------------------------------------------------

def test_merged_document_keeps_types_not_managed():
    desired = {"cfu": desired_type({"destinations": [{"destination": "voicebox"}]}, DOMAIN, "cfu")}
    body = merged_document(LIVE_ANSWER, desired)
    assert set(body) == set(CF_TYPES)
    assert body["cfu"]["destinations"] == [{"destination": "voicebox", "timeout": 300}]
    # Untouched types are written back as they are, without the read-only parts.
    assert body["cfna"] == {
        "destinations": [{"destination": "sip:+4366610002@cf.example.com", "timeout": 300}],
        "times": [{"year": None, "month": None, "mday": None, "wday": "2-6", "hour": "8-17", "minute": None}],
        "sources": [{"source": "4312345*"}], "sources_mode": "whitelist", "sources_is_regex": False,
        "bnumbers": [], "bnumbers_mode": "whitelist", "bnumbers_is_regex": False,
    }
    assert body["cft"]["ringtimeout"] == 25
    assert body["cft"]["destinations"][0] == {"destination": "sip:alice@other.example.org", "timeout": 15, "priority": 1}
    assert body["cfo"] == {} and body["cfr"] == {}
    text = json.dumps(body)
    for read_only in ("destination_set", "time_set", "source_set", "simple_destination", "announcement_id"):
        assert read_only not in text


def test_merged_document_carries_the_ring_timeout_and_announcements():
    current = copy.deepcopy(LIVE_ANSWER)
    current["cfu"]["destinations"][0]["announcement_id"] = 7
    desired = {"cft": desired_type({"destinations": [{"destination": "voicebox"}]}, DOMAIN, "cft")}
    body = merged_document(current, desired)
    assert body["cft"] == {
        "destinations": [{"destination": "voicebox", "timeout": 300}], "times": [],
        "sources": [], "sources_mode": "whitelist", "sources_is_regex": False,
        "bnumbers": [], "bnumbers_mode": "whitelist", "bnumbers_is_regex": False, "ringtimeout": 25,
    }
    assert body["cfu"]["destinations"][0]["announcement_id"] == 7


# --- the module's resource against an in-memory C5 ---------------------------------------------

SHORT = ("voicebox", "fax2mail", "conference", "callingcard", "callthrough", "autoattendant", "officehours",
         "customhours", "managersecretary")


class FakeResponse:
    def __init__(self, body):
        self.body = body

    def json(self):
        return copy.deepcopy(self.body)


class FakeClient(Paging):
    dialect = C5Dialect()

    def decode(self, response):
        return response.json()

    def __init__(self, api):
        self.api = api

    def request(self, method, path, params=None, **kwargs):
        assert method == "GET" and path in ("/api/subscribers/", "/api/callforwards/"), (method, path)
        self.api.log.append(("GET", path, dict(params)))
        page, rows = int(params["page"]), int(params["rows"])
        if path == "/api/callforwards/":
            # As the C5 lists them: one document per subscriber, no id, a self link.
            items = [dict(doc, _links={"self": {"href": "/api/callforwards/%s" % sid}})
                     for sid, doc in sorted(self.api.cf.items())]
            resource = "callforwards"
        else:
            items = [dict(s, _links={"self": {"href": "/api/subscribers/%s" % s["id"]}})
                     for s in self.api.select_subscribers(params)]
            resource = "subscribers"
        chunk = items[(page - 1) * rows:page * rows]
        body = {"total_count": len(items), "_links": {}}
        if chunk:
            body["_embedded"] = {"ngcp:%s" % resource: copy.deepcopy(chunk)}
        if len(items) > page * rows:
            body["_links"]["next"] = {"href": "next"}
        return FakeResponse(body)


class FakeC5:
    """Stores call forwards as §4.8 describes, and records every request."""

    page_size = 100
    find_one = C5Api.find_one
    list_pages = C5Api.list_pages
    collection = staticmethod(C5Api.collection)

    def __init__(self):
        self.log = []
        self.client = FakeClient(self)
        self.subscribers = {}
        self.cf = {}
        self.ringtimeout = {}

    def add_subscriber(self, sid, username, domain=DOMAIN):
        self.subscribers[sid] = {"id": sid, "username": username, "domain": domain}
        self.cf[sid] = empty_document()

    def select_subscribers(self, filters):
        def ok(sub):
            return all(str(sub.get(k, "")).lower() == str(v).lower()
                       for k, v in filters.items() if k in ("username", "domain"))
        return [s for _id, s in sorted(self.subscribers.items()) if ok(s)]

    def writes(self):
        return [entry for entry in self.log if entry[0] != "GET"]

    # C5Api verbs
    def list(self, resource, filters=None, rows=None):
        self.log.append(("GET", "/api/%s/" % resource, dict(filters or {})))
        assert resource == "subscribers"
        return iter(copy.deepcopy(self.select_subscribers(filters or {})))

    def get(self, resource, item_id, missing_ok=True):
        self.log.append(("GET", "/api/%s/%s" % (resource, item_id)))
        store = {"subscribers": self.subscribers, "callforwards": self.cf}[resource]
        return copy.deepcopy(store.get(item_id))

    def put(self, resource, item_id, body, representation=True):
        assert resource == "callforwards"
        self.log.append(("PUT", "/api/callforwards/%s" % item_id, copy.deepcopy(body)))
        domain = self.subscribers[item_id]["domain"]
        self.cf[item_id] = dict((t, self._store(item_id, t, body.get(t), domain)) for t in CF_TYPES)
        return copy.deepcopy(self.cf[item_id]) if representation else None

    def delete(self, resource, item_id):
        self.log.append(("DELETE", "/api/%s/%s" % (resource, item_id)))
        self.cf[item_id] = empty_document()

    def _store(self, sid, cf_type, doc, domain):
        if not doc or not doc.get("destinations"):
            if cf_type == "cft":
                self.ringtimeout.pop(sid, None)
            return {}
        destinations = []
        for dest in doc["destinations"]:
            text = dest["destination"]
            entry = {"announcement_id": dest.get("announcement_id"), "priority": dest.get("priority"),
                     "timeout": int(dest.get("timeout", 300))}
            if text in SHORT:
                entry["destination"] = text
            else:
                user, _sep, host = re.sub(r"^sips?:", "", text).partition("@")
                host = host or domain
                entry["destination"] = "sip:%s@%s" % (user, host)
                entry["simple_destination"] = user if host == domain else "%s@%s" % (user, host)
            destinations.append(entry)
        # Kept in the order given, as the real C5 stores them (priorities [1, 2, 1] stay so).
        stored = {
            "destinations": destinations,
            "destination_set": {"id": 1, "name": "quickset_%s" % cf_type},
            "times": [dict((k, None if t.get(k) is None else str(t.get(k))) for k in
                           ("year", "month", "mday", "wday", "hour", "minute")) for t in doc.get("times") or []],
            "time_set": None, "source_set": None, "bnumber_set": None,
        }
        for part, key in (("sources", "source"), ("bnumbers", "bnumber")):
            stored[part] = [{key: p[key]} for p in doc.get(part) or []]
            stored[part + "_mode"] = (doc.get(part + "_mode") or "whitelist") if stored[part] else "whitelist"
            stored[part + "_is_regex"] = bool(doc.get(part + "_is_regex")) if stored[part] else False
        if cf_type == "cft":
            if doc.get("ringtimeout"):
                self.ringtimeout[sid] = int(doc["ringtimeout"])
            stored["ringtimeout"] = self.ringtimeout.get(sid)
        return stored


def run(api, check_mode=False, diff=True, items=None, **params):
    params.setdefault("state", "present")
    params.setdefault("username", "administrator")  # the API login, never the subscriber
    params.setdefault("clear_others", False)
    if items is not None:
        params["items"] = items
    ctx = RunContext(check_mode=check_mode, diff=diff)
    return run_resource(CallForwards, api, Options(params), ctx), ctx


@pytest.fixture
def api():
    fake = FakeC5()
    fake.add_subscriber(11, "cf_1")
    fake.add_subscriber(12, "cf_2")
    fake.add_subscriber(13, "cf_3")
    fake.add_subscriber(14, "cf_4")
    return fake


def cfna_options():
    return {"destinations": [{"destination": "4366610001", "timeout": 10, "priority": None},
                             {"destination": "4366710001", "timeout": None, "priority": None}],
            "times": [{"wday": 2, "hour": "8-17"}], "sources": ["4312345*"], "sources_mode": "whitelist"}


def test_set_then_second_run_sends_no_write(api):
    result, _ctx = run(api, sip_username="cf_1", domain=DOMAIN, cfna=cfna_options())
    assert result["changed"]
    puts = [w for w in api.writes() if w[0] == "PUT"]
    assert len(puts) == 1 and set(puts[0][2]) == set(CF_TYPES)
    assert puts[0][2]["cfna"]["destinations"][1] == {"destination": "sip:4366710001@cf.example.com", "timeout": 300}
    assert result["callforwards"]["subscriber_id"] == 11
    assert result["diff"]["before"]["cfna"] == {} and result["diff"]["after"]["cfna"]["times"][0]["wday"] == "2"

    api.log[:] = []
    again, _ctx = run(api, sip_username="cf_1", domain=DOMAIN, cfna=cfna_options())
    assert again["changed"] is False
    assert api.writes() == []


def test_types_not_given_are_kept(api):
    run(api, subscriber_id=11, cfna=cfna_options(), cft={"destinations": [{"destination": "voicebox"}], "ringtimeout": 20})
    before = copy.deepcopy(api.cf[11])
    result, _ctx = run(api, subscriber_id=11, cfu={"destinations": [{"destination": "fax2mail"}]})
    assert result["changed"]
    assert api.cf[11]["cfu"]["destinations"][0]["destination"] == "fax2mail"
    for cf_type in ("cfna", "cft"):
        assert canonical_type(api.cf[11][cf_type], DOMAIN, cf_type) == canonical_type(before[cf_type], DOMAIN, cf_type)
    assert api.cf[11]["cft"]["ringtimeout"] == 20


def test_subscriber_id_with_full_destinations_needs_no_subscriber_lookup(api):
    run(api, subscriber_id=12, cfb={"destinations": [{"destination": "voicebox"}]})
    assert ("GET", "/api/subscribers/12") not in api.log
    api.log[:] = []
    run(api, subscriber_id=12, cfu={"destinations": [{"destination": "4366610001"}]})
    assert ("GET", "/api/subscribers/12") in api.log


def test_clear_others(api):
    run(api, subscriber_id=11, cfna=cfna_options(), cfb={"destinations": [{"destination": "voicebox"}]})
    result, _ctx = run(api, subscriber_id=11, clear_others=True, cfb={"destinations": [{"destination": "voicebox"}]})
    assert result["changed"]
    assert api.cf[11]["cfna"] == {} and api.cf[11]["cfb"]
    api.log[:] = []
    again, _ctx = run(api, subscriber_id=11, clear_others=True, cfb={"destinations": [{"destination": "voicebox"}]})
    assert not again["changed"] and api.writes() == []


def test_empty_type_clears_it(api):
    run(api, subscriber_id=11, cfna=cfna_options(), cfb={"destinations": [{"destination": "voicebox"}]})
    result, _ctx = run(api, subscriber_id=11, cfb={"destinations": []})
    assert result["changed"] and api.cf[11]["cfb"] == {} and api.cf[11]["cfna"]


def test_check_mode_sends_no_write(api):
    result, _ctx = run(api, check_mode=True, subscriber_id=11, cfna=cfna_options())
    assert result["changed"] and api.writes() == []
    assert result["diff"]["after"]["cfna"]["destinations"][0]["timeout"] == 10


def test_absent_clears_the_given_types_with_a_put(api):
    run(api, subscriber_id=11, cfna=cfna_options(), cfb={"destinations": [{"destination": "voicebox"}]})
    api.log[:] = []
    result, _ctx = run(api, subscriber_id=11, state="absent", cfb={})
    assert result["changed"]
    assert [w[0] for w in api.writes()] == ["PUT"]
    assert api.cf[11]["cfb"] == {} and api.cf[11]["cfna"]
    api.log[:] = []
    again, _ctx = run(api, subscriber_id=11, state="absent", cfb={})
    assert not again["changed"] and api.writes() == []


def test_absent_without_types_deletes_everything(api):
    run(api, subscriber_id=11, cfna=cfna_options())
    api.log[:] = []
    result, _ctx = run(api, subscriber_id=11, state="absent")
    assert result["changed"]
    assert api.writes() == [("DELETE", "/api/callforwards/11")]
    api.log[:] = []
    again, _ctx = run(api, subscriber_id=11, state="absent")
    assert not again["changed"] and api.writes() == []


def test_missing_subscriber(api):
    result, _ctx = run(api, sip_username="nobody", domain=DOMAIN, state="absent")
    assert not result["changed"] and api.writes() == []
    with pytest.raises(Unresolved, match="does not exist"):
        run(api, sip_username="nobody", domain=DOMAIN, cfu={"destinations": [{"destination": "voicebox"}]})
    checked, ctx = run(api, check_mode=True, sip_username="nobody", domain=DOMAIN, cfu={"destinations": [{"destination": "voicebox"}]})
    assert checked["changed"] and ctx.warnings
    with pytest.raises(Unresolved, match="no such subscriber"):
        run(api, subscriber_id=99, cfu={"destinations": [{"destination": "voicebox"}]})
    with pytest.raises(InputError, match="not both"):
        run(api, subscriber_id=11, sip_username="cf_1", domain=DOMAIN, cfu={})


def test_bulk_prefetches_the_domain_once(api):
    items = [
        {"username": "cf_1", "cfu": {"destinations": [{"destination": "voicebox"}]}},
        {"username": "CF_2", "cfb": {"destinations": [{"destination": "4366610002"}]}},
        {"username": "cf_3", "state": "absent"},
        {"username": "ghost", "cfu": {"destinations": [{"destination": "voicebox"}]}},
        # The task's username is the API login: an entry naming its subscriber by id is not ambiguous.
        {"subscriber_id": 14, "cfu": {"destinations": [{"destination": "sip:x@y.example"}]}},
    ]
    result, _ctx = run(api, domain=DOMAIN, items=items)
    lookups = [entry for entry in api.log if entry[0] == "GET" and entry[1] == "/api/subscribers/"]
    assert len(lookups) == 1 and lookups[0][2]["domain"] == DOMAIN
    # The call forwards of the named subscribers come from one listing (a one-row count,
    # then the page), not one GET each.
    cf_reads = [entry for entry in api.log if entry[0] == "GET" and entry[1].startswith("/api/callforwards")]
    assert [(entry[1], entry[2]["rows"]) for entry in cf_reads] == [("/api/callforwards/", 1), ("/api/callforwards/", 100)]
    assert result["summary"] == {"total": 5, "changed": 3, "failed": 1}
    assert "ghost" in result["msg"]
    assert [r["item"] for r in result["results"]] == ["cf_1@cf.example.com", "CF_2@cf.example.com",
                                                      "cf_3@cf.example.com", "ghost@cf.example.com", "subscriber_id=14"]
    assert api.cf[14]["cfu"]["destinations"][0]["destination"] == "sip:x@y.example"
    assert api.cf[12]["cfb"]["destinations"][0]["destination"] == "sip:4366610002@cf.example.com"

    api.log[:] = []
    again, _ctx = run(api, domain=DOMAIN, items=items[:3])
    assert again["summary"]["changed"] == 0 and api.writes() == []


def test_canonical_document_of_the_live_answer_has_all_types():
    doc = canonical_document(LIVE_ANSWER, DOMAIN)
    assert set(doc) == set(CF_TYPES)
    assert doc["cft"]["ringtimeout"] == 25 and doc["cfo"] == {}


# --- the platform's rules, checked before any request (issue 10 section 2) ---------------------

@pytest.mark.parametrize("destination", [
    "4366610001", "+4366610001", "*98#", "voicebox", "customhours", "localuser", "sip:alice@other.example.org",
    "sips:carol", "alice@other.example.org", "sip:bob@[2001:db8::1]:5060", "sip:bob@10.0.0.1;transport=tcp",
])
def test_destinations_the_platform_takes(destination):
    desired_type({"destinations": [{"destination": destination}]}, DOMAIN, "cfu")


@pytest.mark.parametrize("destination, message", [
    ("not a number!", "cfu.destinations[1].destination: 'not a number!' is neither a number, a SIP URI nor a special destination"),
    ("voicemail", "did you mean voicebox?"),
    ("+43 660 1234", "cfu.destinations[1].destination: '+43 660 1234' is neither a number"),
    ("sip:al ice@example.org", "'sip:al ice@example.org' is not a valid SIP URI (user@host, no spaces)"),
    ("sip:bob@bad_host", "is not a valid SIP URI"),
    ("sip:@example.org", "is not a valid SIP URI"),
    ("  ", "must not be empty"),
])
def test_a_destination_the_platform_would_misread_fails_naming_the_field_and_the_fix(destination, message):
    with pytest.raises(InputError) as info:
        desired_type({"destinations": [{"destination": destination}]}, DOMAIN, "cfu")
    assert message in str(info.value)
    assert "give a number (4366610001, +4366610001), a SIP URI (sip:user@example.org) or one of" in str(info.value)


@pytest.mark.parametrize("times, message", [
    ([{"wday": "9"}], "cfb.times[1].wday: '9' is not a value or range within 1-7 (1 = Sunday ... 7 = Saturday"),
    ([{"wday": "0-5"}], "cfb.times[1].wday: '0-5' is not a value or range within 1-7"),
    ([{"hour": "8-17"}, {"hour": "25"}], "cfb.times[2].hour: '25' is not a value or range within 0-23"),
    ([{"minute": "60"}], "cfb.times[1].minute: '60'"),
    ([{"month": "Jan"}], "cfb.times[1].month: 'Jan' is not a value or range within 1-12"),
    ([{"mday": "32"}], "cfb.times[1].mday"),
])
def test_a_time_outside_its_range_fails_naming_the_field(times, message):
    with pytest.raises(InputError) as info:
        desired_type({"destinations": [{"destination": "voicebox"}], "times": times}, DOMAIN, "cfb")
    assert message in str(info.value) and "give a number or a range such as" in str(info.value)


def test_times_within_their_ranges_and_cyclic_ranges_pass():
    desired_type({"destinations": [{"destination": "voicebox"}],
                  "times": [{"wday": "7-2", "hour": "0-23", "minute": "0", "mday": "31", "month": "12", "year": "2026-2027"}]},
                 DOMAIN, "cfb")


def test_destinations_keep_their_order_and_compare_by_the_order_they_are_tried():
    given = [{"destination": "4366610001", "priority": 1}, {"destination": "4366610002", "priority": 2},
             {"destination": "4366610003", "priority": 1}]
    wanted = desired_type({"destinations": given}, DOMAIN, "cft")
    assert [d["priority"] for d in wanted["destinations"]] == [1, 2, 1]
    body = writable_type(wanted, None, "cft")
    assert [(d["destination"], d["priority"]) for d in body["destinations"]] == [
        ("sip:4366610001@%s" % DOMAIN, 1), ("sip:4366610002@%s" % DOMAIN, 2), ("sip:4366610003@%s" % DOMAIN, 1)]
    # As the C5 returns them (the order given): the same.
    stored = {"destinations": [dict(d, timeout=300, announcement_id=None) for d in body["destinations"]]}
    assert not type_differs(canonical_type(stored, DOMAIN, "cft"), wanted)
    # The 2 listed first is tried after both 1s all the same: no change.
    assert not type_differs(canonical_type(stored, DOMAIN, "cft"),
                            desired_type({"destinations": [given[1], given[0], given[2]]}, DOMAIN, "cft"))
    # The two 1s swapped are tried in the other order: a change.
    assert type_differs(canonical_type(stored, DOMAIN, "cft"),
                        desired_type({"destinations": [given[2], given[1], given[0]]}, DOMAIN, "cft"))


HANDLES = [{"id": 128, "handle": "custom_announcement_0", "group": "custom_announcements"},
           {"id": 129, "handle": "custom_announcement_1", "group": "custom_announcements"}]


def test_announcements_by_sound_handle_name_or_id_only_on_customhours():
    options = {"destinations": [{"destination": "customhours", "announcement": "custom_announcement_1"}]}
    resolved = resolve_announcements(options, "cfu", lambda: HANDLES)
    assert resolved["destinations"][0]["announcement_id"] == 129 and "announcement" not in resolved["destinations"][0]
    assert options["destinations"][0] == {"destination": "customhours", "announcement": "custom_announcement_1"}
    by_id = {"destinations": [{"destination": "customhours", "announcement_id": 128}]}
    assert resolve_announcements(by_id, "cfu", lambda: HANDLES) == by_id
    for options, message in (
            ({"destinations": [{"destination": "customhours", "announcement": "welcome"}]},
             "cfu.destinations[1].announcement: no sound handle 'welcome' in the group custom_announcements; "
             "use one of custom_announcement_0, custom_announcement_1"),
            ({"destinations": [{"destination": "customhours", "announcement_id": 20}]},
             "cfu.destinations[1].announcement_id: 20 is not a sound handle of the group custom_announcements"),
            ({"destinations": [{"destination": "customhours", "announcement": "custom_announcement_0", "announcement_id": 129}]},
             "announcement 'custom_announcement_0' is sound handle 128, but announcement_id is 129"),
            ({"destinations": [{"destination": "voicebox", "announcement": "custom_announcement_0"}]},
             "cfu.destinations[1]: an announcement is played only by the destination customhours, not by 'voicebox'")):
        with pytest.raises(InputError) as info:
            resolve_announcements(options, "cfu", lambda: HANDLES)
        assert message in str(info.value)
    # Without a request: the destination rule is checked by the options alone.
    with pytest.raises(InputError, match="only by the destination customhours"):
        desired_type({"destinations": [{"destination": "4366610001", "announcement_id": 128}]}, DOMAIN, "cfu")
