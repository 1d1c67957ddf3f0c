# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""C5 emulator behaviour checked against the real implementation (ngcp-panel at the
recorded commit f677173e, issue 10 section 4), in-process."""

import json
import os
import threading
import time

import pytest

from voip_emulator.c5.state import check_password

ADMIN = ("administrator", "administrator")
AUTH = {"Authorization": "Basic YWRtaW5pc3RyYXRvcjphZG1pbmlzdHJhdG9y"}
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFS_FIXTURE = os.path.join(REPO, "tests", "fixtures", "c5-real-defs", "subscriberpreferencedefs.json")
HAL_PATCH = "application/json-patch+json"


@pytest.fixture
def c5(inprocess_emulator):
    emulator = inprocess_emulator("c5")
    emulator.http = emulator.session()
    emulator.http.auth = ADMIN
    return emulator


def post(c5, path, body, expect=201):
    answer = c5.http.post(c5.url + path, json=body)
    assert answer.status_code == expect, answer.text
    return int(answer.headers["Location"].rsplit("/", 1)[1]) if expect == 201 else answer.json()


def get(c5, path):
    answer = c5.http.get(c5.url + path)
    assert answer.status_code == 200, answer.text
    return answer.json()


def patch(c5, path, operations, representation=True):
    headers = {"Content-Type": HAL_PATCH, "Prefer": "return=representation" if representation else "return=minimal"}
    return c5.http.patch(c5.url + path, data=json.dumps(operations), headers=headers)


def tenant(c5):
    """A customer contact, a domain, a customer; returns (contact id, customer id)."""
    contact_id = post(c5, "/api/customercontacts/", {"email": "t@example.com", "reseller_id": 1})
    post(c5, "/api/domains/", {"domain": "t.example.com", "reseller_id": 1})
    customer_id = post(c5, "/api/customers/", {"contact_id": contact_id, "billing_profile_id": 1, "status": "active", "type": "sipaccount"})
    return contact_id, customer_id


def subscriber(c5, customer_id, username="alice", sn="10001", **extra):
    body = {"customer_id": customer_id, "username": username, "domain": "t.example.com", "password": "SipPass_1x",
            "primary_number": {"cc": 43, "ac": "1", "sn": sn}}
    body.update(extra)
    return post(c5, "/api/subscribers/", body)


# -- root and collections --------------------------------------------------------------------------


def test_options_of_the_api_root_allows_get_options_head_and_links_every_collection(c5):
    answer = c5.call("OPTIONS", "/api/", AUTH)
    assert answer.status == 200 and answer.header("Content-Type") == "application/json"
    assert answer.header("Allow") == "GET, OPTIONS, HEAD"
    assert json.loads(answer.body) == {"methods": ["GET", "OPTIONS", "HEAD"]}
    links = [value for name, value in answer.headers if name == "Link"]
    assert len(links) == len(c5.app.resources) and "," not in links[0]
    assert '</api/customers/>; rel="collection http://purl.org/sipwise/ngcp-api/#rel-customers"' in links


@pytest.mark.parametrize("collection", ["numbers", "callforwards", "subscriberpreferences", "subscriberpreferencedefs", "customers"])
def test_every_collection_sends_accept_post_even_without_post(c5, collection):
    answer = c5.http.options(c5.url + "/api/%s/" % collection)
    assert answer.status_code == 200
    assert answer.headers["Accept-Post"] == "application/hal+json; profile=http://purl.org/sipwise/ngcp-api/#rel-%s" % collection


def test_metaconfigdefs_serves_the_platform_configuration(c5):
    body = get(c5, "/api/metaconfigdefs/")
    assert body["_links"]["self"] == {"href": "/api/metaconfigdefs/"}
    assert body["config"]["numbermanagement"] == {"auto_sync_cli": None, "auto_allow_cli": "1"}
    assert body["config"]["security"] == {"password": {"web_validate": None, "sip_validate": None}}
    assert body["config"]["features"]["cloudpbx"] == "1"
    assert body["meta"]["collections"]["customers"]["module"] == "NGCP::Panel::Controller::API::Customers"
    assert c5.http.get(c5.url + "/api/metaconfigdefs/", auth=("administrator", "x")).status_code == 401


# -- preference definitions ------------------------------------------------------------------------------


def test_exactly_the_real_platforms_246_preference_definitions_are_served(c5):
    with open(DEFS_FIXTURE, encoding="utf-8") as stream:
        recorded = json.load(stream)["body"]
    served = get(c5, "/api/subscriberpreferencedefs/")
    assert len(served) - 1 == 246
    assert served == recorded


def test_a_preference_only_the_full_list_has_can_be_set(c5):
    _contact, customer_id = tenant(c5)
    sub_id = subscriber(c5, customer_id)
    answer = patch(c5, "/api/subscriberpreferences/%d" % sub_id, [{"op": "add", "path": "/outbound_from_user", "value": "npn"}])
    assert answer.status_code == 200 and answer.json()["outbound_from_user"] == "npn"


# -- customers ---------------------------------------------------------------------------------------


def test_customer_validation_checks_the_billing_profile_before_the_contact_kind(c5):
    # Contact 1 is a system contact: the real order reports the unknown profile first.
    answer = c5.http.post(c5.url + "/api/customers/",
                          json={"contact_id": 1, "billing_profile_id": 9999, "status": "active", "type": "sipaccount"})
    assert (answer.status_code, answer.json()["message"]) == (422, "Invalid 'billing_profile_id' (9999).")
    answer = c5.http.post(c5.url + "/api/customers/",
                          json={"contact_id": 1, "billing_profile_id": 1, "status": "active", "type": "sipaccount"})
    assert answer.json()["message"] == "The contact_id is not a valid ngcp:customercontacts item, but an ngcp:systemcontacts item"
    contact_id = post(c5, "/api/customercontacts/", {"email": "x@example.com", "reseller_id": 1})
    answer = c5.http.post(c5.url + "/api/customers/", json={"contact_id": contact_id, "status": "active", "type": "sipaccount"})
    assert (answer.status_code, answer.json()["message"]) == (422, "Invalid 'billing_profile_id', not defined.")
    answer = c5.http.post(c5.url + "/api/customers/",
                          json={"contact_id": 999, "billing_profile_id": 9999, "status": "active", "type": "sipaccount"})
    assert answer.json()["message"] == "Invalid 'contact_id'"


def test_customer_with_a_billing_profile_schedule_switches_profiles_by_the_clock(c5):
    c5.clock.set("2030-01-01T00:00:00Z")
    c5.clock.freeze()
    promo = post(c5, "/api/billingprofiles/", {"handle": "promo", "name": "Promo", "reseller_id": 1})
    contact_id = post(c5, "/api/customercontacts/", {"email": "s@example.com", "reseller_id": 1})
    schedule = [{"profile_id": 1}, {"profile_id": promo, "start": "2030-02-01 00:00:00", "stop": "2030-03-01 00:00:00"}]
    customer_id = post(c5, "/api/customers/", {"contact_id": contact_id, "status": "active", "type": "sipaccount",
                                               "billing_profile_definition": "profiles", "billing_profiles": schedule})
    body = get(c5, "/api/customers/%d" % customer_id)
    assert body["billing_profile_id"] == 1 and body["billing_profile_definition"] == "id"
    assert body["billing_profiles"] == [{"effective_start_time": "2030-02-01 00:00:00", "network_id": None, "profile_id": promo,
                                         "start": "2030-02-01 00:00:00", "stop": "2030-03-01 00:00:00"}]
    assert [m["profile_id"] for m in body["all_billing_profiles"]] == [1, promo]
    c5.clock.set("2030-02-15T00:00:00Z")
    body = get(c5, "/api/customers/%d" % customer_id)
    assert body["billing_profile_id"] == promo and body["billing_profiles"] == []
    c5.clock.set("2030-03-02T00:00:00Z")
    assert get(c5, "/api/customers/%d" % customer_id)["billing_profile_id"] == 1


@pytest.mark.parametrize("schedule, message", [
    ([{"profile_id": 1, "start": "2031-01-01 00:00:00"}],
     "An initial interval without 'start' and 'stop' timestamps and no billing network is required."),
    ([{"profile_id": 1}, {"profile_id": 1, "start": "2020-01-01 00:00:00"}], "'start' timestamp (2020-01-01 00:00:00) is not in future."),
    ([{"profile_id": 1}, {"profile_id": 1, "stop": "2031-01-01 00:00:00"}],
     "Interval with 'stop' timestamp (2031-01-01 00:00:00) but no 'start' timestamp specified."),
    ([{"profile_id": 1}, {"profile_id": 77, "start": "2031-01-01 00:00:00"}], "Invalid 'profile_id' (77)."),
    ("profile 1", "Invalid field 'billing_profiles'. Must be an array."),
])
def test_billing_profile_schedule_errors_are_the_real_ones(c5, schedule, message):
    c5.clock.set("2030-01-01T00:00:00Z")
    contact_id = post(c5, "/api/customercontacts/", {"email": "e@example.com", "reseller_id": 1})
    answer = c5.http.post(c5.url + "/api/customers/", json={
        "contact_id": contact_id, "status": "active", "type": "sipaccount", "billing_profile_definition": "profiles",
        "billing_profiles": schedule})
    assert (answer.status_code, answer.json()["message"]) == (422, message)


# -- subscribers and call forwards ---------------------------------------------------------------------


def test_replacing_a_set_web_password_by_patch_is_applied(c5):
    _contact, customer_id = tenant(c5)
    sub_id = subscriber(c5, customer_id, webpassword="WebPass_1x")
    answer = patch(c5, "/api/subscribers/%d" % sub_id, [{"op": "replace", "path": "/webpassword", "value": "WebPass_2y"}])
    assert answer.status_code == 200, answer.text
    assert "webpassword" not in answer.json() and "webpassword" not in get(c5, "/api/subscribers/%d" % sub_id)
    row = c5.app.state.get("subscribers", sub_id)
    assert check_password(row["webpassword"], "WebPass_2y")
    # A PATCH of something else leaves the stored web password as it is.
    assert patch(c5, "/api/subscribers/%d" % sub_id, [{"op": "replace", "path": "/external_id", "value": "x"}]).status_code == 200
    assert c5.app.state.get("subscribers", sub_id)["webpassword"] == row["webpassword"]


def test_call_forward_destinations_keep_the_order_they_were_given_in(c5):
    _contact, customer_id = tenant(c5)
    sub_id = subscriber(c5, customer_id)
    destinations = [{"destination": "4366610001", "timeout": 30, "priority": 1}, {"destination": "4366610002", "timeout": 30, "priority": 2},
                    {"destination": "4366610003", "timeout": 30, "priority": 1}]
    answer = c5.http.put(c5.url + "/api/callforwards/%d" % sub_id, json={"cft": {"destinations": destinations}})
    assert answer.status_code in (200, 204), answer.text
    stored = get(c5, "/api/callforwards/%d" % sub_id)["cft"]["destinations"]
    assert [(d["destination"], d["priority"]) for d in stored] == [
        ("sip:4366610001@t.example.com", 1), ("sip:4366610002@t.example.com", 2), ("sip:4366610003@t.example.com", 1)]


def _put_numbers(c5, sub_id, customer_id, username, sn, aliases):
    body = {"customer_id": customer_id, "username": username, "domain": "t.example.com", "status": "active",
            "primary_number": {"cc": 43, "ac": "1", "sn": sn}, "alias_numbers": [{"cc": 43, "ac": "1", "sn": a} for a in aliases]}
    return c5.http.put(c5.url + "/api/subscribers/%d" % sub_id, json=body)


def test_a_number_whose_release_has_not_committed_cannot_be_taken(c5):
    """Two concurrent PUTs moving an alias: the real C5 answers the taker 422 while the
    giver's transaction still holds the number; once it has finished the move works."""
    _contact, customer_id = tenant(c5)
    giver = subscriber(c5, customer_id, "giver", "10001", alias_numbers=[{"cc": 43, "ac": "1", "sn": "777"}])
    taker = subscriber(c5, customer_id, "taker", "10002")
    c5.configure(costs={"PUT subscribers": 0.6})
    results = {}

    def release():
        results["giver"] = _put_numbers(c5, giver, customer_id, "giver", "10001", [])

    worker = threading.Thread(target=release)
    worker.start()
    deadline = time.monotonic() + 5
    while not c5.app.state.releasing and time.monotonic() < deadline:
        time.sleep(0.01)
    early = _put_numbers(c5, taker, customer_id, "taker", "10002", ["777"])
    worker.join()
    assert results["giver"].status_code in (200, 204)
    assert (early.status_code, early.json()["message"]) == (422, "Number '431777' already exists.")
    assert c5.app.state.releasing == {}
    late = _put_numbers(c5, taker, customer_id, "taker", "10002", ["777"])
    assert late.status_code in (200, 204), late.text
    assert [a["sn"] for a in get(c5, "/api/subscribers/%d" % taker)["alias_numbers"]] == ["777"]


def test_a_number_released_by_a_finished_request_is_free_at_once(c5):
    _contact, customer_id = tenant(c5)
    giver = subscriber(c5, customer_id, "giver", "10001", alias_numbers=[{"cc": 43, "ac": "1", "sn": "777"}])
    taker = subscriber(c5, customer_id, "taker", "10002")
    assert _put_numbers(c5, giver, customer_id, "giver", "10001", []).status_code in (200, 204)
    assert _put_numbers(c5, taker, customer_id, "taker", "10002", ["777"]).status_code in (200, 204)
