# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 10 section 4, the rest: NCOS sets (v2 API, /api/v2/ncos/sets) and the
ncos_set preferences, header rule sets and the header_rule_set preference, time
sets (an NCOS level's time_set_id), billing networks (a customer schedule's
network_id), and the contact country / time zone answers.  Expected answers are
ngcp-panel's (f677173e) and, for NCOS sets, ngcp-rest-api's; in-process emulator."""

import pytest

from test_c5_references import (  # noqa: F401 pylint: disable=unused-import
    RESELLER, c5, call, create, error, get, listed, second_reseller, strip, subscriber, tenant)

V2 = "/api/v2/ncos/sets"


def ncos_set(c5, name, reseller_id=1, auth=None, levels=()):
    answer = call(c5, "POST", V2, {"reseller_id": reseller_id, "name": name, "description": "d"}, auth=auth)
    assert answer.status_code == 201, answer.text
    set_id = answer.json()["data"][0]["id"]
    assert answer.headers["Location"] == "%s/%d" % (V2, set_id)
    for level in levels:
        assert call(c5, "POST", "%s/%d/levels" % (V2, set_id), {"level_id": level}, auth=auth).status_code == 201
    return set_id


def patch_prefs(c5, sub_id, ops):
    return call(c5, "PATCH", "/api/subscriberpreferences/%d" % sub_id, ops)


# NCOS sets -----------------------------------------------------------------------------------

def test_ncos_sets_are_a_v2_collection_not_a_v1_one(c5):
    # ngcp-panel has no /api/ncossets/: an authenticated caller gets "Path not found"
    assert error(call(c5, "GET", "/api/ncossets/"), 404) == "Path not found"
    level = create(c5, "/api/ncoslevels/", {"reseller_id": 1, "level": "local", "mode": "whitelist"})
    set_id = ncos_set(c5, "Restricted", levels=[level])
    assert get(c5, "%s/%d" % (V2, set_id)) == {
        "id": set_id, "reseller_id": 1, "name": "Restricted", "description": "d", "expose_to_customer": False,
        "levels": {"type": "array", "link": "%s/%d/levels" % (V2, set_id)}}
    plain = call(c5, "GET", V2 + "?name=restricted", headers={"Accept": "application/json"}).json()
    assert plain["total_count"] == 1 and [s["name"] for s in plain["data"]] == ["Restricted"]
    hal = get(c5, V2)
    assert [s["id"] for s in hal["_embedded"]["ngcp:ncos/sets"]] == [set_id]
    levels = call(c5, "GET", "%s/%d/levels" % (V2, set_id), headers={"Accept": "application/json"}).json()["data"]
    assert [(lv["set_id"], lv["level_id"], lv["level"]) for lv in levels] == [(set_id, level, "local")]


def test_ncos_set_create_errors(c5):
    assert call(c5, "POST", V2, {"reseller_id": 1, "name": "x"}).status_code == 422
    ncos_set(c5, "dup")
    assert call(c5, "POST", V2, {"reseller_id": 1, "name": "DUP", "description": "d"}).status_code == 422
    set_id = ncos_set(c5, "other")
    assert call(c5, "POST", "%s/%d/levels" % (V2, set_id), {"level_id": 999}).status_code == 422
    assert call(c5, "GET", "%s/999" % V2).status_code == 404


def test_resellers_see_only_their_ncos_sets(c5):
    reseller = second_reseller(c5)
    mine = ncos_set(c5, "mine", reseller_id=reseller, auth=RESELLER)
    ncos_set(c5, "platform")
    body = call(c5, "GET", V2, auth=RESELLER, headers={"Accept": "application/json"}).json()
    assert [s["id"] for s in body["data"]] == [mine]
    assert call(c5, "POST", V2, {"reseller_id": 1, "name": "theirs", "description": "d"}, auth=RESELLER).status_code == 404


def test_ncos_set_preferences_take_the_name_and_store_the_set(c5):
    customer = tenant(c5)
    sub_id = subscriber(c5, customer)
    set_id = ncos_set(c5, "Restricted")
    admin_set = ncos_set(c5, "Admin only")
    ops = [{"op": "add", "path": "/ncos_set", "value": "restricted"}, {"op": "add", "path": "/adm_ncos_set", "value": "Admin only"},
           {"op": "add", "path": "/adm_cf_ncos_set", "value": "ADMIN ONLY"}]
    assert patch_prefs(c5, sub_id, ops).status_code == 204
    prefs = get(c5, "/api/subscriberpreferences/%d" % sub_id)
    # shown by the stored name (the lookup ignores case)
    assert (prefs["ncos_set"], prefs["adm_ncos_set"], prefs["adm_cf_ncos_set"]) == ("Restricted", "Admin only", "Admin only")
    # stored as the id: deleting the set drops the preferences naming it
    assert call(c5, "DELETE", "%s/%d" % (V2, admin_set)).status_code == 204
    prefs = get(c5, "/api/subscriberpreferences/%d" % sub_id)
    assert prefs["ncos_set"] == "Restricted" and "adm_ncos_set" not in prefs and "adm_cf_ncos_set" not in prefs
    assert set_id


def test_an_ncos_set_of_another_reseller_is_unknown(c5):
    customer = tenant(c5)
    sub_id = subscriber(c5, customer)
    reseller = second_reseller(c5)
    ncos_set(c5, "theirs", reseller_id=reseller)
    answer = patch_prefs(c5, sub_id, [{"op": "add", "path": "/ncos_set", "value": "theirs"}])
    assert error(answer, 422) == "Unknown ncos_set 'theirs'"


# header rule sets -------------------------------------------------------------------------------

def test_header_rule_set_create_and_representation(c5):
    set_id = create(c5, "/api/headerrulesets/", {"reseller_id": 1, "name": "strip-pai", "description": "d", "rules": [
        {"name": "r1", "direction": "a_inbound", "description": "first", "priority": 5}]})
    body = strip(get(c5, "/api/headerrulesets/%d" % set_id))
    rules = body.pop("rules")
    assert body == {"id": set_id, "reseller_id": 1, "name": "strip-pai", "description": "d", "subscriber_id": None}
    assert [(r["name"], r["direction"], r["priority"], r["enabled"], r["stopper"], r["set_id"]) for r in rules] == [
        ("r1", "a_inbound", 5, True, False, set_id)]
    assert [s["name"] for s in listed(c5, "/api/headerrulesets/?name=STRIP*")] == ["strip-pai"]


@pytest.mark.parametrize("body, message", [
    ({"reseller_id": 1}, "Validation failed. field='name', input='', errors='Name field is required'"),
    ({"name": "n"}, "Validation failed. field='reseller_id', input='', errors='Reseller id field is required'"),
    ({"name": "n", "reseller_id": 99}, "Invalid 'reseller_id'"),
    ({"name": "n", "reseller_id": 1, "rules": [{"name": "r", "description": "d", "direction": "sideways"}]},
     "Validation failed. field='direction', input='sideways', errors=''sideways' is not a valid value'"),
])
def test_header_rule_set_errors_are_the_real_ones(c5, body, message):
    assert error(call(c5, "POST", "/api/headerrulesets/", body), 422) == message
    assert listed(c5, "/api/headerrulesets/") == []


def test_header_rule_set_names_are_unique_platform_wide(c5):
    reseller = second_reseller(c5)
    create(c5, "/api/headerrulesets/", {"reseller_id": 1, "name": "hrs"})
    answer = call(c5, "POST", "/api/headerrulesets/", {"reseller_id": reseller, "name": "HRS"})
    assert error(answer, 422) == "Header manipulation rule set with this 'name' already exists."


def test_header_rule_set_preference_by_name(c5):
    customer = tenant(c5)
    sub_id = subscriber(c5, customer)
    reseller = second_reseller(c5)
    set_id = create(c5, "/api/headerrulesets/", {"reseller_id": 1, "name": "Strip"})
    create(c5, "/api/headerrulesets/", {"reseller_id": reseller, "name": "theirs"})
    assert patch_prefs(c5, sub_id, [{"op": "add", "path": "/header_rule_set", "value": "strip"}]).status_code == 204
    assert get(c5, "/api/subscriberpreferences/%d" % sub_id)["header_rule_set"] == "Strip"
    answer = patch_prefs(c5, sub_id, [{"op": "add", "path": "/header_rule_set", "value": "theirs"}])
    assert error(answer, 422) == "Unknown header_rule_set 'theirs'"
    assert call(c5, "DELETE", "/api/headerrulesets/%d" % set_id).status_code == 204
    assert "header_rule_set" not in get(c5, "/api/subscriberpreferences/%d" % sub_id)


# time sets ------------------------------------------------------------------------------------

def test_time_sets_and_an_ncos_levels_time_set(c5):
    time_set = create(c5, "/api/timesets/", {"reseller_id": 1, "name": "office hours",
                                             "times": [{"start": "2026-01-05 08:00:00", "end": "2026-01-05 17:00:00", "freq": "weekly"}]})
    body = strip(get(c5, "/api/timesets/%d" % time_set))
    assert (body["name"], body["reseller_id"], [t["freq"] for t in body["times"]]) == ("office hours", 1, ["weekly"])
    level = create(c5, "/api/ncoslevels/", {"reseller_id": 1, "level": "daytime", "mode": "whitelist", "time_set_id": time_set})
    assert get(c5, "/api/ncoslevels/%d" % level)["time_set_id"] == time_set
    answer = call(c5, "POST", "/api/ncoslevels/", {"reseller_id": 1, "level": "x", "mode": "whitelist", "time_set_id": 999})
    assert error(answer, 422) == "Time set with id '999' does not exist or does not belong to this reseller"
    # deleting the time set unsets it on the level (ON DELETE SET NULL)
    assert call(c5, "DELETE", "/api/timesets/%d" % time_set).status_code == 204
    assert get(c5, "/api/ncoslevels/%d" % level)["time_set_id"] is None


@pytest.mark.parametrize("body, message", [
    ({"name": "t"}, "Missing mandatory field 'reseller_id'"),
    ({"name": "t", "reseller_id": 99}, "Invalid 'reseller_id'."),
    ({"name": "t", "reseller_id": 1, "times": {}}, "Invalid field 'times'. Must be an array."),
])
def test_time_set_errors_are_the_real_ones(c5, body, message):
    assert error(call(c5, "POST", "/api/timesets/", body), 422) == message


def test_time_set_names_are_unique(c5):
    create(c5, "/api/timesets/", {"reseller_id": 1, "name": "t"})
    assert error(call(c5, "POST", "/api/timesets/", {"reseller_id": 1, "name": "T"}), 422) == "time_set with this name already exists"


# billing networks --------------------------------------------------------------------------------

def test_billing_network_create_and_errors(c5):
    net = create(c5, "/api/billingnetworks/", {"reseller_id": 1, "name": "office", "description": "d",
                                               "blocks": [{"ip": "10.0.0.0", "mask": 8}]})
    assert strip(get(c5, "/api/billingnetworks/%d" % net)) == {
        "id": net, "reseller_id": 1, "name": "office", "description": "d", "status": "active", "blocks": [{"ip": "10.0.0.0", "mask": 8}]}
    for body, message in (
            ({"name": "n", "description": "d", "blocks": []}, "At least one block definition is required"),
            ({"name": "n", "description": "d", "blocks": [{"ip": "nope"}]}, "Invalid IP address 'nope'"),
            ({"name": "n", "description": "d", "blocks": [{"ip": "10.0.0.0", "mask": 8}, {"ip": "::1"}]},
             "Ipv4 and ipv6 must not be mixed in block definitions"),
            ({"name": "n", "description": "d", "reseller_id": 99, "blocks": [{"ip": "10.0.0.0"}]}, "Invalid reseller ID.")):
        assert error(call(c5, "POST", "/api/billingnetworks/", body), 422) == message


def test_deleting_a_billing_network_terminates_it(c5):
    net = create(c5, "/api/billingnetworks/", {"reseller_id": 1, "name": "office", "description": "d", "blocks": [{"ip": "10.0.0.0"}]})
    assert call(c5, "DELETE", "/api/billingnetworks/%d" % net).status_code == 204
    assert error(call(c5, "GET", "/api/billingnetworks/%d" % net), 404) == "Entity 'billingnetwork' not found."
    assert listed(c5, "/api/billingnetworks/") == []


def _customer_with_network(c5, network_id):
    contact = create(c5, "/api/customercontacts/", {"email": "n@example.com", "reseller_id": 1})
    return call(c5, "POST", "/api/customers/", {
        "contact_id": contact, "status": "active", "type": "sipaccount", "billing_profile_definition": "profiles",
        "billing_profiles": [{"profile_id": 1, "network_id": None}, {"profile_id": 1, "network_id": network_id}]})


def test_a_customer_schedule_takes_an_existing_network(c5):
    net = create(c5, "/api/billingnetworks/", {"reseller_id": 1, "name": "office", "description": "d", "blocks": [{"ip": "10.0.0.0", "mask": 8}]})
    answer = _customer_with_network(c5, net)
    assert answer.status_code == 201, answer.text
    customer = get(c5, answer.headers["Location"])
    assert [(m["profile_id"], m["network_id"]) for m in customer["all_billing_profiles"]] == [(1, None), (1, net)]
    assert customer["billing_profile_id"] == 1


def test_a_customer_schedule_refuses_unknown_and_foreign_networks(c5):
    assert error(_customer_with_network(c5, 999), 422) == "Invalid 'network_id' (999)."
    reseller = second_reseller(c5)
    theirs = create(c5, "/api/billingnetworks/", {"reseller_id": reseller, "name": "theirs", "description": "d", "blocks": [{"ip": "10.0.0.0"}]})
    assert error(_customer_with_network(c5, theirs), 422) == \
        "The reseller of the contact doesn't match the reseller of the billing network (theirs)."
    # an interval limited to a network is no initial interval
    contact = create(c5, "/api/customercontacts/", {"email": "m@example.com", "reseller_id": 1})
    net = create(c5, "/api/billingnetworks/", {"reseller_id": 1, "name": "mine", "description": "d", "blocks": [{"ip": "10.0.0.0"}]})
    answer = call(c5, "POST", "/api/customers/", {
        "contact_id": contact, "status": "active", "type": "sipaccount", "billing_profile_definition": "profiles",
        "billing_profiles": [{"profile_id": 1, "network_id": net}]})
    assert error(answer, 422) == "An initial interval without 'start' and 'stop' timestamps and no billing network is required."


# contacts: country and time zone ------------------------------------------------------------------

@pytest.mark.parametrize("timezone", ["local", "localtime"])
def test_local_is_no_time_zone(c5, timezone):
    answer = call(c5, "POST", "/api/customercontacts/", {"email": "tz@example.com", "reseller_id": 1, "timezone": timezone})
    assert error(answer, 422) == "Validation failed. field='timezone', input='%s', errors='Invalid timezone name: %s'" % (timezone, timezone)


def test_a_default_time_zone_inherits(c5):
    contact = create(c5, "/api/customercontacts/", {"email": "tz@example.com", "reseller_id": 1, "timezone": "Reseller default"})
    assert get(c5, "/api/customercontacts/%d" % contact)["timezone"] is None


def test_a_country_longer_than_two_characters_fails_in_the_database(c5):
    answer = call(c5, "POST", "/api/customercontacts/", {"email": "c@example.com", "reseller_id": 1, "country": "Austria"})
    assert error(answer, 500) == "Failed to create contact."
    assert listed(c5, "/api/customercontacts/?email=c@example.com") == []
    contact = create(c5, "/api/customercontacts/", {"email": "c@example.com", "reseller_id": 1, "country": "AT"})
    answer = call(c5, "PUT", "/api/customercontacts/%d" % contact, {"email": "c@example.com", "reseller_id": 1, "country": "AUT"})
    assert error(answer, 500) == "Internal Server Error"
    assert get(c5, "/api/customercontacts/%d" % contact)["country"] == "AT"
    # the form checks nothing: a two-letter code that is no country is stored as sent
    assert call(c5, "PUT", "/api/customercontacts/%d" % contact, {"email": "c@example.com", "reseller_id": 1, "country": "XX"}).status_code == 204
    assert get(c5, "/api/customercontacts/%d" % contact)["country"] == "XX"


# emergency mapping containers -----------------------------------------------------------------------

def test_emergency_mapping_containers_and_the_preference(c5):
    customer = tenant(c5)
    sub_id = subscriber(c5, customer)
    container = create(c5, "/api/emergencymappingcontainers/", {"reseller_id": 1, "name": "Vienna"})
    assert strip(get(c5, "/api/emergencymappingcontainers/%d" % container)) == {"id": container, "name": "Vienna", "reseller_id": 1}
    assert error(call(c5, "POST", "/api/emergencymappingcontainers/", {"reseller_id": 1, "name": "VIENNA"}), 422) == \
        "emergency mapping container with this name already exists for this reseller"
    assert error(call(c5, "POST", "/api/emergencymappingcontainers/", {"reseller_id": 1}), 422) == \
        "Validation failed. field='name', input='', errors='Name field is required'"
    other = create(c5, "/api/emergencymappingcontainers/", {"reseller_id": 1, "name": "Graz"})
    answer = call(c5, "PUT", "/api/emergencymappingcontainers/%d" % other, {"reseller_id": 1, "name": "vienna"})
    assert error(answer, 422) == "Emergency mapping container with this name already exists for this reseller"
    ops = [{"op": "add", "path": "/emergency_mapping_container", "value": "vienna"}]
    assert patch_prefs(c5, sub_id, ops).status_code == 204
    assert get(c5, "/api/subscriberpreferences/%d" % sub_id)["emergency_mapping_container"] == "Vienna"
    answer = patch_prefs(c5, sub_id, [{"op": "add", "path": "/emergency_mapping_container", "value": "Linz"}])
    assert error(answer, 422) == "Unknown emergency mapping container 'Linz'"
    assert call(c5, "DELETE", "/api/emergencymappingcontainers/%d" % container).status_code == 204
    assert "emergency_mapping_container" not in get(c5, "/api/subscriberpreferences/%d" % sub_id)


# a terminated reseller ----------------------------------------------------------------------------

def test_a_terminated_resellers_time_sets_and_containers_go_and_its_levels_leave_the_ncos_sets(c5):
    reseller = second_reseller(c5)
    time_set = create(c5, "/api/timesets/", {"reseller_id": reseller, "name": "theirs"})
    level = create(c5, "/api/ncoslevels/", {"reseller_id": reseller, "level": "l", "mode": "blacklist"})
    set_id = ncos_set(c5, "s", reseller_id=reseller, levels=[level])
    container = create(c5, "/api/emergencymappingcontainers/", {"reseller_id": reseller, "name": "theirs"})
    terminate = [{"op": "replace", "path": "/status", "value": "terminated"}]
    assert call(c5, "PATCH", "/api/resellers/%d" % reseller, terminate).status_code == 204
    assert call(c5, "GET", "/api/timesets/%d" % time_set).status_code == 404
    assert call(c5, "GET", "/api/emergencymappingcontainers/%d" % container).status_code == 404
    # Utils/Reseller.pm deletes NCOS levels and time sets, not NCOS sets (their levels go by cascade)
    levels = call(c5, "GET", "%s/%d/levels" % (V2, set_id), headers={"Accept": "application/json"}).json()
    assert levels == {"data": [], "total_count": 0}


@pytest.mark.parametrize("collection, item_methods", [
    ("headerrulesets", ["GET", "OPTIONS", "HEAD", "PATCH", "PUT", "DELETE"]),
    ("timesets", ["GET", "OPTIONS", "HEAD", "PATCH", "PUT", "DELETE"]),
    ("billingnetworks", ["GET", "OPTIONS", "HEAD", "PATCH", "PUT", "DELETE"]),
    ("emergencymappingcontainers", ["GET", "OPTIONS", "HEAD", "PATCH", "PUT", "DELETE"]),
])
def test_methods_of_the_new_collections(c5, collection, item_methods):
    assert call(c5, "OPTIONS", "/api/%s/" % collection).json() == {"methods": ["GET", "POST", "OPTIONS", "HEAD"]}
    assert call(c5, "OPTIONS", "/api/%s/1" % collection).json() == {"methods": item_methods}
    assert error(call(c5, "GET", "/api/%s/1" % collection), 404) == "Entity '%s' not found." % collection[:-1]
