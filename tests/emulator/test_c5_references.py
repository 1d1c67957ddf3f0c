# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resources subscribers and call forwards reference (issue 10 section 4):
sound handles and sound sets, NCOS levels, rewrite rule sets, subscriber profile
sets and profiles; reference preferences by name and announcement destinations.
Expected answers are the ones ngcp-panel (f677173e) gives; in-process emulator."""

import json

import pytest

ADMIN = ("administrator", "administrator")
RESELLER = ("r2", "r2pass")
PATCH = {"Content-Type": "application/json-patch+json"}
UNINITIALISED = ("Use of uninitialized value $value in substitution (s///) at /usr/share/perl5/HTML/FormHandler/Field/Integer.pm "
                 "line 28.\n,Value must be an integer,Value must be a positive integer")


@pytest.fixture
def c5(inprocess_emulator):
    emulator = inprocess_emulator("c5")
    emulator.http = emulator.session()
    emulator.http.auth = ADMIN
    return emulator


def call(c5, method, path, body=None, auth=None, headers=None):
    kwargs = {"headers": headers or {}}
    if body is not None:
        if method == "PATCH":
            kwargs["data"] = json.dumps(body)
            kwargs["headers"] = dict(PATCH, **kwargs["headers"])
        else:
            kwargs["json"] = body
    if auth:
        kwargs["auth"] = auth
    return c5.http.request(method, c5.url + path, **kwargs)


def create(c5, path, body, auth=None):
    answer = call(c5, "POST", path, body, auth)
    assert answer.status_code == 201, answer.text
    return int(answer.headers["Location"].rsplit("/", 1)[1])


def get(c5, path, auth=None):
    answer = call(c5, "GET", path, auth=auth)
    assert answer.status_code == 200, answer.text
    return answer.json()


def error(answer, status):
    assert answer.status_code == status, answer.text
    return answer.json()["message"]


def listed(c5, path, auth=None):
    return get(c5, path, auth).get("_embedded", {}).get("ngcp:" + path.split("/")[2], [])


def names(items, key="name"):
    return [item[key] for item in items]


def strip(body):
    return {k: v for k, v in body.items() if k != "_links"}


def second_reseller(c5):
    """Reseller R2 with the login r2 (role reseller); returns its id."""
    contact = create(c5, "/api/systemcontacts/", {"email": "r2@example.com"})
    contract = create(c5, "/api/contracts/", {"contact_id": contact, "billing_profile_id": 1, "type": "reseller", "status": "active"})
    reseller = create(c5, "/api/resellers/", {"contract_id": contract, "name": "R2", "status": "active"})
    create(c5, "/api/admins/", {"login": "r2", "password": "r2pass", "reseller_id": reseller, "is_active": True})
    return reseller


def tenant(c5, domain="t.example.com"):
    contact = create(c5, "/api/customercontacts/", {"email": "t@%s" % domain, "reseller_id": 1})
    create(c5, "/api/domains/", {"domain": domain, "reseller_id": 1})
    return create(c5, "/api/customers/", {"contact_id": contact, "billing_profile_id": 1, "status": "active", "type": "sipaccount"})


def subscriber(c5, customer_id, username="alice", sn="10001", **extra):
    body = {"customer_id": customer_id, "username": username, "domain": "t.example.com", "password": "SipPass_1x",
            "primary_number": {"cc": 43, "ac": "1", "sn": sn}}
    body.update(extra)
    return create(c5, "/api/subscribers/", body)


# sound handles ---------------------------------------------------------------------

def test_sound_handles_list_the_custom_announcements_by_group(c5):
    body = get(c5, "/api/soundhandles/?group=custom_announcements&rows=20")
    assert body["total_count"] == 10
    handles = body["_embedded"]["ngcp:soundhandles"]
    assert [(h["id"], h["handle"]) for h in handles][:2] == [(128, "custom_announcement_0"), (129, "custom_announcement_1")]
    assert strip(get(c5, "/api/soundhandles/20")) == {"group": "music_on_hold", "handle": "music_on_hold", "id": 20}
    assert get(c5, "/api/soundhandles/?rows=1")["total_count"] == 151
    assert error(call(c5, "GET", "/api/soundhandles/19"), 404) == "Entity 'soundhandle' not found."


def test_sound_handles_are_read_only(c5):
    assert error(call(c5, "POST", "/api/soundhandles/", {"handle": "x", "group": "pbx"}), 404) == "Path not found"
    assert error(call(c5, "PUT", "/api/soundhandles/128", {"handle": "x", "group": "pbx"}), 404) == "Path not found"
    assert call(c5, "OPTIONS", "/api/soundhandles/").json() == {"methods": ["GET", "OPTIONS", "HEAD"]}


# sound sets --------------------------------------------------------------------------

def test_sound_set_create_and_representation(c5):
    customer = tenant(c5)
    set_id = create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "Office", "description": "office hours",
                                            "customer_id": customer, "copy_from_default": 1, "language": "en"})
    assert strip(get(c5, "/api/soundsets/%d" % set_id)) == {
        "contract_default": False, "contract_id": customer, "customer_id": customer, "description": "office hours",
        "expose_to_customer": False, "id": set_id, "name": "Office", "parent_id": None, "parent_name": None, "reseller_id": 1}
    child = call(c5, "POST", "/api/soundsets/", {"reseller_id": 1, "name": "Child", "parent_id": set_id},
                 headers={"Prefer": "return=representation"})
    assert child.status_code == 201 and child.json()["parent_name"] == "Office"
    assert child.headers["Location"] == "/api/soundsets/%d" % child.json()["id"]


@pytest.mark.parametrize("body, message", [
    ({}, "Validation failed. field='name', input='', errors='Name field is required'; field='reseller_id', input='', errors='%s'" % UNINITIALISED),
    ({"reseller_id": 1, "name": "x", "parent_id": "abc"},
     "Validation failed. field='parent_id', input='abc', errors='Value must be an integer,Value must be a positive integer'"),
    ({"reseller_id": 99, "name": "x"}, "Reseller does not exist"),
    ({"reseller_id": 1, "name": "x", "contract_id": 1}, "Customer does not exist"),
    ({"reseller_id": 1, "name": "x", "parent_id": 42}, "Parent sound set does not exist"),
])
def test_sound_set_errors_are_the_real_ones(c5, body, message):
    assert error(call(c5, "POST", "/api/soundsets/", body), 422) == message


def test_sound_set_of_a_customer_of_another_reseller_and_a_parent_loop_are_refused(c5):
    customer = tenant(c5)
    reseller = second_reseller(c5)
    assert error(call(c5, "POST", "/api/soundsets/", {"reseller_id": reseller, "name": "x", "contract_id": customer}), 422) == \
        "Invalid reseller for customer"
    first = create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "first"})
    second = create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "second", "parent_id": first})
    loop = call(c5, "PATCH", "/api/soundsets/%d" % first, [{"op": "replace", "path": "/parent_id", "value": second}])
    assert error(loop, 422) == "Cannot use the parent sound set"


def test_sound_set_filters(c5):
    customer = tenant(c5)
    create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "alpha one"})
    create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "alpha two", "contract_id": customer})
    create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "beta"})
    assert names(listed(c5, "/api/soundsets/?name=ALPHA*")) == ["alpha one", "alpha two"]
    assert names(listed(c5, "/api/soundsets/?name=alpha")) == []
    assert names(listed(c5, "/api/soundsets/?customer_id=%d" % customer)) == ["alpha two"]
    assert names(listed(c5, "/api/soundsets/?reseller_id=1&name=beta")) == ["beta"]
    assert get(c5, "/api/soundsets/?reseller_id=9999")["total_count"] == 0


def test_sound_set_put_writes_the_columns_sent_and_resets_contract_default(c5):
    customer = tenant(c5)
    set_id = create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "s", "description": "keep", "contract_id": customer,
                                            "contract_default": True, "expose_to_customer": True})
    answer = call(c5, "PUT", "/api/soundsets/%d" % set_id, {"reseller_id": 1, "name": "renamed"})
    assert answer.status_code == 204 and answer.headers["Preference-Applied"] == "return=minimal"
    body = get(c5, "/api/soundsets/%d" % set_id)
    # description and expose_to_customer are kept; contract_default is reset, and the
    # customer is unset too (contract_id is always written, from customer_id if absent)
    assert (body["name"], body["description"], body["contract_id"], body["expose_to_customer"], body["contract_default"]) == \
        ("renamed", "keep", None, True, False)
    assert call(c5, "PUT", "/api/soundsets/%d" % set_id, {"reseller_id": 1, "name": "s", "customer_id": customer}).status_code == 204
    assert get(c5, "/api/soundsets/%d" % set_id)["contract_id"] == customer


def test_sound_set_delete_unsets_the_preferences_naming_it(c5):
    customer = tenant(c5)
    sub_id = subscriber(c5, customer)
    set_id = create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "prompts"})
    assert call(c5, "PATCH", "/api/subscriberpreferences/%d" % sub_id, [{"op": "add", "path": "/sound_set", "value": "prompts"}]).status_code == 204
    assert call(c5, "DELETE", "/api/soundsets/%d" % set_id).status_code == 204
    assert error(call(c5, "GET", "/api/soundsets/%d" % set_id), 404) == "Entity 'soundset' not found."
    assert "sound_set" not in get(c5, "/api/subscriberpreferences/%d" % sub_id)


def test_a_customers_default_sound_set_becomes_its_subscribers_contract_sound_set(c5):
    customer = tenant(c5)
    existing = subscriber(c5, customer)
    create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "cust default", "contract_id": customer, "contract_default": 1})
    newer = subscriber(c5, customer, username="bob", sn="10002")
    for sub_id in (existing, newer):
        assert get(c5, "/api/subscriberpreferences/%d" % sub_id)["contract_sound_set"] == "cust default"


# NCOS levels ----------------------------------------------------------------------------

def test_ncos_level_create_representation_and_duplicates(c5):
    level = create(c5, "/api/ncoslevels/", {"reseller_id": 1, "level": "Local only", "mode": "whitelist", "local_ac": True})
    assert strip(get(c5, "/api/ncoslevels/%d" % level)) == {
        "description": None, "expose_to_customer": False, "id": level, "intra_pbx": False, "level": "Local only", "local_ac": True,
        "mode": "whitelist", "reseller_id": 1, "time_set_id": None, "time_set_invert": False}
    answer = call(c5, "POST", "/api/ncoslevels/", {"reseller_id": 1, "level": "LOCAL ONLY", "mode": "blacklist"},
                  headers={"Prefer": "return=representation"})
    assert error(answer, 422) == "NCOS level already exists for this reseller"
    # its own POST: 201 with an empty body whatever Prefer says
    other = call(c5, "POST", "/api/ncoslevels/", {"reseller_id": 1, "level": "intl", "mode": "blacklist"},
                 headers={"Prefer": "return=representation"})
    assert other.status_code == 201 and other.content == b""
    link = call(c5, "GET", "/api/ncoslevels/%d" % level).headers["Link"]
    assert 'rel="item self"' in link and 'rel="item http://purl.org/sipwise/ngcp-api/#rel-resellers"' in link
    assert 'rel="http://purl.org/sipwise/ngcp-api/#rel-ncospatterns"' in link


@pytest.mark.parametrize("body, status, message", [
    ({}, 422, "Validation failed. field='level', input='', errors='Level Name field is required'; field='mode', input='', "
              "errors='Mode field is required'; field='reseller_id', input='', errors='Reseller field is required'"),
    ({"reseller_id": 1, "level": "x", "mode": "greylist"}, 422, "Validation failed. field='mode', input='greylist', errors=''greylist' is not a valid value'"),
    ({"reseller_id": 1, "level": "x", "mode": "whitelist", "time_set_id": 3}, 422,
     "Time set with id '3' does not exist or does not belong to this reseller"),
    ({"reseller_id": 77, "level": "x", "mode": "whitelist"}, 500, "Failed to create ncos level."),
    ({"reseller_id": "abc", "level": "x", "mode": "whitelist"}, 500, "Failed to create ncos level."),
    ({"reseller_id": 1, "level": "x" * 32, "mode": "whitelist"}, 500, "Failed to create ncos level."),
])
def test_ncos_level_errors_are_the_real_ones(c5, body, status, message):
    assert error(call(c5, "POST", "/api/ncoslevels/", body), status) == message


def test_ncos_level_filters_update_and_delete(c5):
    first = create(c5, "/api/ncoslevels/", {"reseller_id": 1, "level": "block intl", "mode": "blacklist"})
    create(c5, "/api/ncoslevels/", {"reseller_id": 1, "level": "block premium", "mode": "blacklist"})
    reseller = second_reseller(c5)
    create(c5, "/api/ncoslevels/", {"reseller_id": reseller, "level": "block intl", "mode": "blacklist"})
    assert names(listed(c5, "/api/ncoslevels/?level=block*&reseller_id=1"), "level") == ["block intl", "block premium"]
    assert len(listed(c5, "/api/ncoslevels/?level=BLOCK INTL")) == 2
    assert call(c5, "PATCH", "/api/ncoslevels/%d" % first, [{"op": "replace", "path": "/description", "value": "no 00"}]).status_code == 204
    assert get(c5, "/api/ncoslevels/%d" % first)["description"] == "no 00"
    clash = call(c5, "PUT", "/api/ncoslevels/%d" % first, {"reseller_id": 1, "level": "Block Premium", "mode": "whitelist"})
    assert error(clash, 422) == "NCOS level already exists for this reseller"
    assert call(c5, "DELETE", "/api/ncoslevels/%d" % first).status_code == 204
    assert error(call(c5, "GET", "/api/ncoslevels/%d" % first), 404) == "Entity 'ncoslevel' not found."


# rewrite rule sets -------------------------------------------------------------------------

def test_rewrite_rule_set_with_rules(c5):
    rules = [
        {"match_pattern": "^00([1-9][0-9]+)$", "replace_pattern": "+\\1", "description": "international", "direction": "in",
         "field": "callee", "enabled": True},
        {"match_pattern": "^${caller_cc}", "replace_pattern": "0", "description": "national", "priority": 5, "enabled": 1},
        {"match_pattern": "^0", "replace_pattern": "${caller_cc}", "description": "no enabled key"},
    ]
    set_id = create(c5, "/api/rewriterulesets/", {"reseller_id": 1, "name": "e164", "description": "to E.164", "rewriterules": rules})
    body = strip(get(c5, "/api/rewriterulesets/%d" % set_id))
    assert (body["name"], body["description"], body["reseller_id"]) == ("e164", "to E.164", 1)
    # sorted by priority (own priority 5, then the counter from 30), ids not shown,
    # ${x} survives the round trip, an omitted checkbox is off, defaults in/caller
    assert body["rewriterules"] == [
        {"description": "national", "direction": "in", "enabled": True, "field": "caller", "match_pattern": "^${caller_cc}",
         "priority": 5, "replace_pattern": "0"},
        {"description": "international", "direction": "in", "enabled": True, "field": "callee", "match_pattern": "^00([1-9][0-9]+)$",
         "priority": 30, "replace_pattern": "+\\1"},
        {"description": "no enabled key", "direction": "in", "enabled": False, "field": "caller", "match_pattern": "^0",
         "priority": 32, "replace_pattern": "${caller_cc}"},
    ]
    assert "caller_in_dpid" not in body
    # a PUT without rewriterules keeps them; with a list it replaces them
    assert call(c5, "PUT", "/api/rewriterulesets/%d" % set_id, {"reseller_id": 1, "name": "e164"}).status_code == 204
    assert len(get(c5, "/api/rewriterulesets/%d" % set_id)["rewriterules"]) == 3
    assert call(c5, "PUT", "/api/rewriterulesets/%d" % set_id, {"reseller_id": 1, "name": "e164", "rewriterules": []}).status_code == 204
    assert get(c5, "/api/rewriterulesets/%d" % set_id)["rewriterules"] == []


@pytest.mark.parametrize("body, message", [
    ({}, "Validation failed. field='name', input='', errors='Name field is required'; field='reseller_id', input='', "
         "errors='Reseller id field is required'"),
    ({"reseller_id": 1, "name": "x", "rewriterules": [{"match_pattern": "(", "replace_pattern": "1", "description": "d", "direction": "up"}]},
     "Validation failed. field='0_match_pattern', input='(', errors='Match pattern is no valid regexp'; "
     "field='0_direction', input='up', errors=''up' is not a valid value'"),
    ({"reseller_id": 1, "name": "x", "rewriterules": [{"match_pattern": "^1"}]},
     "Validation failed. field='0_replace_pattern', input='', errors='Replacement Pattern field is required'; "
     "field='0_description', input='', errors='Description field is required'"),
    ({"reseller_id": 42, "name": "x"}, "Invalid 'reseller_id'"),
])
def test_rewrite_rule_set_errors_are_the_real_ones(c5, body, message):
    assert error(call(c5, "POST", "/api/rewriterulesets/", body), 422) == message


def test_rewrite_rule_set_names_are_unique_across_resellers_and_filters(c5):
    reseller = second_reseller(c5)
    create(c5, "/api/rewriterulesets/", {"reseller_id": 1, "name": "shared", "description": "admin set"})
    clash = call(c5, "POST", "/api/rewriterulesets/", {"name": "SHARED"}, auth=RESELLER)
    assert error(clash, 422) == "Ruleset with this 'name' already exists."
    own = create(c5, "/api/rewriterulesets/", {"name": "own", "description": "mine", "reseller_id": 1,
                                               "rewriterules": [{"match_pattern": "^1", "replace_pattern": "2", "description": "d"}]}, auth=RESELLER)
    # a reseller's form has neither reseller_id nor rewriterules: forced, dropped, not shown
    assert strip(get(c5, "/api/rewriterulesets/%d" % own, auth=RESELLER)) == {"description": "mine", "id": own, "name": "own"}
    admin_view = get(c5, "/api/rewriterulesets/%d" % own)
    assert admin_view["reseller_id"] == reseller and admin_view["rewriterules"] == []
    assert names(listed(c5, "/api/rewriterulesets/?description=admin*")) == ["shared"]
    assert names(listed(c5, "/api/rewriterulesets/?reseller_id=%d" % reseller)) == ["own"]
    assert names(listed(c5, "/api/rewriterulesets/", auth=RESELLER)) == ["own"]


# subscriber profile sets and profiles -------------------------------------------------------

def test_profile_sets_and_profiles(c5):
    set_id = create(c5, "/api/subscriberprofilesets/", {"reseller_id": 1, "name": "Business", "description": "business lines"})
    assert strip(get(c5, "/api/subscriberprofilesets/%d" % set_id)) == {"description": "business lines", "id": set_id, "name": "Business",
                                                                        "reseller_id": 1}
    duplicate = call(c5, "POST", "/api/subscriberprofilesets/", {"reseller_id": 1, "name": "business", "description": "x"})
    assert error(duplicate, 422) == "Subscriber profile set with this name already exists for this reseller"
    basic = create(c5, "/api/subscriberprofiles/", {"profile_set_id": set_id, "name": "basic", "description": "b",
                                                    "attributes": ["cfu", "ncos", "no_such_pref", "music_on_hold"]})
    full = create(c5, "/api/subscriberprofiles/", {"profile_set_id": set_id, "name": "full", "description": "f", "set_default": True})
    # the first profile of a set becomes its default; a later default takes over
    assert strip(get(c5, "/api/subscriberprofiles/%d" % basic)) == {
        "attributes": ["cfu", "ncos", "music_on_hold"], "description": "b", "id": basic, "name": "basic", "profile_set_id": set_id,
        "set_default": False}
    assert get(c5, "/api/subscriberprofiles/%d" % full)["set_default"] is True
    assert names(listed(c5, "/api/subscriberprofiles/?profile_set_id=%d&name=B*" % set_id)) == ["basic"]
    duplicate = call(c5, "POST", "/api/subscriberprofiles/", {"profile_set_id": set_id, "name": "BASIC", "description": "x"})
    assert error(duplicate, 422) == "Subscriber profile with this name already exists for this profile set"
    missing = call(c5, "POST", "/api/subscriberprofiles/", {"profile_set_id": 99, "name": "x", "description": "x"})
    assert error(missing, 422) == "Invalid 'profile_set_id', does not exist"
    empty = call(c5, "POST", "/api/subscriberprofiles/", {})
    assert error(empty, 422) == ("Validation failed. field='name', input='', errors='Name field is required'; field='description', input='', "
                                 "errors='Description field is required'; field='profile_set_id', input='', errors='Profile Set field is required'")
    # PATCH takes add; a PUT without attributes clears them
    added = call(c5, "PATCH", "/api/subscriberprofiles/%d" % full, [{"op": "add", "path": "/attributes/-", "value": "clir"}])
    assert added.status_code == 204 and get(c5, "/api/subscriberprofiles/%d" % full)["attributes"] == ["clir"]
    assert call(c5, "PUT", "/api/subscriberprofiles/%d" % full, {"profile_set_id": set_id, "name": "full", "description": "f"}).status_code == 204
    assert get(c5, "/api/subscriberprofiles/%d" % full)["attributes"] == []


def test_subscriber_profile_set_and_profile_are_checked_as_the_real_ones(c5):
    customer = tenant(c5)
    set_id = create(c5, "/api/subscriberprofilesets/", {"reseller_id": 1, "name": "Set", "description": "d"})
    empty_set = create(c5, "/api/subscriberprofilesets/", {"reseller_id": 1, "name": "Empty", "description": "d"})
    default = create(c5, "/api/subscriberprofiles/", {"profile_set_id": set_id, "name": "default", "description": "d"})
    other = create(c5, "/api/subscriberprofiles/", {"profile_set_id": set_id, "name": "other", "description": "d"})
    sub_id = subscriber(c5, customer, profile_set_id=set_id)
    body = get(c5, "/api/subscribers/%d" % sub_id)
    assert (body["profile_set_id"], body["profile_id"]) == (set_id, default)
    assert body["_links"]["ngcp:subscriberprofilesets"] == [{"href": "/api/subscriberprofilesets/%d" % set_id}]
    assert body["_links"]["ngcp:subscriberprofiles"] == [{"href": "/api/subscriberprofiles/%d" % default}]
    named = call(c5, "PATCH", "/api/subscribers/%d" % sub_id, [{"op": "replace", "path": "/profile_id", "value": other}])
    assert named.status_code == 204 and get(c5, "/api/subscribers/%d" % sub_id)["profile_id"] == other
    for patch, message in (
            ([{"op": "replace", "path": "/profile_set_id", "value": 999}], "Invalid profile_set_id parameter"),
            ([{"op": "replace", "path": "/profile_set_id", "value": None}], "Empty profile_set_id parameter"),
            ([{"op": "replace", "path": "/profile_set_id", "value": empty_set}], "Can not determine allowed profile for subscribers profile_set")):
        assert error(call(c5, "PATCH", "/api/subscribers/%d" % sub_id, patch), 422) == message
    assert call(c5, "DELETE", "/api/subscriberprofilesets/%d" % set_id).status_code == 204
    body = get(c5, "/api/subscribers/%d" % sub_id)
    assert (body["profile_set_id"], body["profile_id"]) == (None, None)
    assert get(c5, "/api/subscriberprofiles/?rows=10")["total_count"] == 0


def test_a_new_profile_deletes_the_preferences_the_old_one_allowed(c5):
    customer = tenant(c5)
    set_id = create(c5, "/api/subscriberprofilesets/", {"reseller_id": 1, "name": "Set", "description": "d"})
    rich = create(c5, "/api/subscriberprofiles/", {"profile_set_id": set_id, "name": "rich", "description": "d",
                                                   "attributes": ["music_on_hold", "clir"]})
    lean = create(c5, "/api/subscriberprofiles/", {"profile_set_id": set_id, "name": "lean", "description": "d", "attributes": ["clir"]})
    sub_id = subscriber(c5, customer, profile_set_id=set_id, profile_id=rich)
    ops = [{"op": "add", "path": "/music_on_hold", "value": True}, {"op": "add", "path": "/clir", "value": True}]
    assert call(c5, "PATCH", "/api/subscriberpreferences/%d" % sub_id, ops).status_code == 204
    assert call(c5, "PATCH", "/api/subscribers/%d" % sub_id, [{"op": "replace", "path": "/profile_id", "value": lean}]).status_code == 204
    prefs = get(c5, "/api/subscriberpreferences/%d" % sub_id)
    assert "music_on_hold" not in prefs and prefs["clir"] is True


# reseller scoping -----------------------------------------------------------------------------

def test_resellers_see_and_write_only_their_own(c5):
    reseller = second_reseller(c5)
    admin_set = create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "admin"})
    admin_level = create(c5, "/api/ncoslevels/", {"reseller_id": 1, "level": "admin", "mode": "blacklist"})
    admin_profiles = create(c5, "/api/subscriberprofilesets/", {"reseller_id": 1, "name": "admin", "description": "d"})
    own_set = create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "mine"}, auth=RESELLER)
    own_level = create(c5, "/api/ncoslevels/", {"level": "mine", "mode": "blacklist"}, auth=RESELLER)
    own_profiles = create(c5, "/api/subscriberprofilesets/", {"name": "mine", "description": "d"}, auth=RESELLER)
    for path, own in (("/api/soundsets/", own_set), ("/api/ncoslevels/", own_level), ("/api/subscriberprofilesets/", own_profiles)):
        items = listed(c5, path, auth=RESELLER)
        assert [i["id"] for i in items] == [own] and "reseller_id" not in items[0], path
        assert get(c5, path + str(own))["reseller_id"] == reseller
    assert error(call(c5, "GET", "/api/soundsets/%d" % admin_set, auth=RESELLER), 404) == "Entity 'soundset' not found."
    assert error(call(c5, "GET", "/api/ncoslevels/%d" % admin_level, auth=RESELLER), 404) == "Entity 'ncoslevel' not found."
    foreign = call(c5, "POST", "/api/subscriberprofiles/", {"profile_set_id": admin_profiles, "name": "x", "description": "x"}, auth=RESELLER)
    assert error(foreign, 422) == "Invalid 'profile_set_id', does not exist"
    # the reseller's sound set may not inherit from the admin's (another reseller's) set
    parent = call(c5, "POST", "/api/soundsets/", {"name": "child", "parent_id": admin_set}, auth=RESELLER)
    assert error(parent, 422) == "Invalid reseller for parent sound set"


# preferences by name ---------------------------------------------------------------------------

def test_reference_preferences_are_set_and_shown_by_name(c5):
    customer = tenant(c5)
    sub_id = subscriber(c5, customer)
    create(c5, "/api/ncoslevels/", {"reseller_id": 1, "level": "local", "mode": "whitelist"})
    admin_level = create(c5, "/api/ncoslevels/", {"reseller_id": 1, "level": "emergency only", "mode": "whitelist"})
    create(c5, "/api/rewriterulesets/", {"reseller_id": 1, "name": "e164"})
    sound = create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "prompts"})
    current = strip(get(c5, "/api/subscriberpreferences/%d" % sub_id))
    current.update(ncos="LOCAL", adm_ncos="emergency only", adm_cf_ncos="local", rewrite_rule_set="e164", sound_set="prompts",
                   contract_sound_set="prompts")
    assert call(c5, "PUT", "/api/subscriberpreferences/%d" % sub_id, current).status_code == 204
    prefs = get(c5, "/api/subscriberpreferences/%d" % sub_id)
    # the stored reference is shown by its name as stored (the lookup ignores case)
    assert {k: prefs[k] for k in ("ncos", "adm_ncos", "adm_cf_ncos", "rewrite_rule_set", "sound_set", "contract_sound_set")} == {
        "ncos": "local", "adm_ncos": "emergency only", "adm_cf_ncos": "local", "rewrite_rule_set": "e164", "sound_set": "prompts",
        "contract_sound_set": "prompts"}
    # a renamed object shows its new name; a deleted level's preferences are gone
    assert call(c5, "PATCH", "/api/soundsets/%d" % sound, [{"op": "replace", "path": "/name", "value": "voice prompts"}]).status_code == 204
    assert call(c5, "DELETE", "/api/ncoslevels/%d" % admin_level).status_code == 204
    prefs = get(c5, "/api/subscriberpreferences/%d" % sub_id)
    assert prefs["sound_set"] == "voice prompts" and "adm_ncos" not in prefs and prefs["ncos"] == "local"
    # PATCH round trip of the names and remove
    ops = [{"op": "replace", "path": "/ncos", "value": "local"}, {"op": "remove", "path": "/rewrite_rule_set"}]
    assert call(c5, "PATCH", "/api/subscriberpreferences/%d" % sub_id, ops).status_code == 204
    prefs = get(c5, "/api/subscriberpreferences/%d" % sub_id)
    assert prefs["ncos"] == "local" and "rewrite_rule_set" not in prefs


@pytest.mark.parametrize("pref, value, message", [
    ("ncos", "nope", "Unknown ncos_level 'nope'"),
    ("adm_ncos", "nope", "Unknown ncos_level 'nope'"),
    ("rewrite_rule_set", "nope", "Unknown rewrite_rule_set 'nope'"),
    ("sound_set", "nope", "Unknown sound_set 'nope'"),
    ("contract_sound_set", "nope", "Unknown contract_sound_set 'nope'"),
    ("ncos_set", "nope", "Unknown ncos_set 'nope'"),
    ("header_rule_set", "nope", "Unknown header_rule_set 'nope'"),
    ("ncos", "x" * 129, "Preference 'ncos' exceeds maximum length of 128 characters"),
    ("ncos", ["local"], "Invalid data type 'ARRAY' for preference 'ncos', expected flat value"),
])
def test_unknown_reference_names_are_refused_and_nothing_is_stored(c5, pref, value, message):
    customer = tenant(c5)
    sub_id = subscriber(c5, customer)
    before = get(c5, "/api/subscriberpreferences/%d" % sub_id)
    answer = call(c5, "PATCH", "/api/subscriberpreferences/%d" % sub_id,
                  [{"op": "add", "path": "/music_on_hold", "value": True}, {"op": "add", "path": "/" + pref, "value": value}])
    assert error(answer, 422) == message
    assert get(c5, "/api/subscriberpreferences/%d" % sub_id) == before


def test_a_reference_of_another_reseller_is_unknown(c5):
    customer = tenant(c5)
    sub_id = subscriber(c5, customer)
    reseller = second_reseller(c5)
    create(c5, "/api/ncoslevels/", {"reseller_id": reseller, "level": "theirs", "mode": "blacklist"})
    create(c5, "/api/soundsets/", {"reseller_id": reseller, "name": "theirs"})
    for pref, word in (("ncos", "ncos_level"), ("sound_set", "sound_set")):
        answer = call(c5, "PATCH", "/api/subscriberpreferences/%d" % sub_id, [{"op": "add", "path": "/" + pref, "value": "theirs"}])
        assert error(answer, 422) == "Unknown %s 'theirs'" % word


# announcements -----------------------------------------------------------------------------------

def test_call_forward_announcement_must_be_a_custom_announcement_on_customhours(c5):
    customer = tenant(c5)
    sub_id = subscriber(c5, customer)
    good = {"cfu": {"destinations": [{"destination": "customhours", "announcement_id": 130, "timeout": 20}]}}
    assert call(c5, "PUT", "/api/callforwards/%d" % sub_id, good).status_code == 204
    destination = get(c5, "/api/callforwards/%d" % sub_id)["cfu"]["destinations"][0]
    assert (destination["destination"], destination["announcement_id"]) == ("customhours", 130)
    stored = listed(c5, "/api/cfdestinationsets/?subscriber_id=%d" % sub_id)[0]["destinations"][0]
    assert (stored["destination"], stored["announcement_id"]) == ("sip:custom-hours@app.local", 130)
    for destinations, message in (
            ([{"destination": "voicebox", "announcement_id": 130}], "Invalid parameter 'announcement_id' for the destination '\u00abvoicebox\u00bb' in 'cft'"),
            ([{"destination": "customhours", "announcement_id": 20}], "Unknown announcement_id in 'cft'"),
            ([{"destination": "customhours", "announcement_id": "abc"}],
             "Validation failed. field='0_announcement_id', input='abc', errors='Value must be an integer,Value must be a positive integer'")):
        assert error(call(c5, "PUT", "/api/callforwards/%d" % sub_id, {"cft": {"destinations": destinations}}), 422) == message
    # nothing of a refused PUT was written
    assert get(c5, "/api/callforwards/%d" % sub_id)["cfu"]["destinations"][0]["announcement_id"] == 130


def test_destination_set_announcement_rules(c5):
    customer = tenant(c5)
    sub_id = subscriber(c5, customer)
    set_id = create(c5, "/api/cfdestinationsets/", {"subscriber_id": sub_id, "name": "ann", "destinations": [
        {"destination": "sip:custom-hours@app.local", "announcement_id": 137}]})
    assert get(c5, "/api/cfdestinationsets/%d" % set_id)["destinations"][0]["announcement_id"] == 137
    for destinations, message in (
            ([{"destination": "4366610001", "announcement_id": 128}], "Invalid parameter 'announcement_id' for the destination '4366610001'"),
            ([{"destination": "customhours", "announcement_id": 127}], "Unknown announcement_id:127")):
        answer = call(c5, "POST", "/api/cfdestinationsets/", {"subscriber_id": sub_id, "name": "bad", "destinations": destinations})
        assert error(answer, 422) == message


def test_a_terminated_resellers_levels_and_sets_are_deleted(c5):
    reseller = second_reseller(c5)
    level = create(c5, "/api/ncoslevels/", {"reseller_id": reseller, "level": "l", "mode": "blacklist"})
    sound = create(c5, "/api/soundsets/", {"reseller_id": reseller, "name": "s"})
    rules = create(c5, "/api/rewriterulesets/", {"reseller_id": reseller, "name": "r"})
    kept = create(c5, "/api/ncoslevels/", {"reseller_id": 1, "level": "l", "mode": "blacklist"})
    terminate = [{"op": "replace", "path": "/status", "value": "terminated"}]
    assert call(c5, "PATCH", "/api/resellers/%d" % reseller, terminate).status_code == 204
    for path in ("/api/ncoslevels/%d" % level, "/api/soundsets/%d" % sound, "/api/rewriterulesets/%d" % rules):
        assert call(c5, "GET", path).status_code == 404, path
    assert get(c5, "/api/ncoslevels/%d" % kept)["level"] == "l"


def test_sound_set_names_may_repeat_and_a_preference_takes_the_first(c5):
    customer = tenant(c5)
    sub_id = subscriber(c5, customer)
    first = create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "twin", "description": "first"})
    create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "twin", "description": "second"})
    assert get(c5, "/api/soundsets/?name=twin")["total_count"] == 2
    assert call(c5, "PATCH", "/api/subscriberpreferences/%d" % sub_id, [{"op": "add", "path": "/sound_set", "value": "twin"}]).status_code == 204
    # the first one is stored: deleting it unsets the preference
    assert call(c5, "DELETE", "/api/soundsets/%d" % first).status_code == 204
    assert "sound_set" not in get(c5, "/api/subscriberpreferences/%d" % sub_id)


@pytest.mark.parametrize("collection, item_methods", [
    ("soundsets", ["GET", "OPTIONS", "HEAD", "PATCH", "PUT", "DELETE"]),
    ("ncoslevels", ["GET", "OPTIONS", "HEAD", "PATCH", "PUT", "DELETE"]),
    ("rewriterulesets", ["GET", "OPTIONS", "HEAD", "PATCH", "PUT", "DELETE"]),
    ("subscriberprofilesets", ["GET", "OPTIONS", "HEAD", "PATCH", "PUT", "DELETE"]),
    ("subscriberprofiles", ["GET", "OPTIONS", "HEAD", "PATCH", "PUT", "DELETE"]),
])
def test_methods_of_the_new_collections(c5, collection, item_methods):
    answer = call(c5, "OPTIONS", "/api/%s/" % collection)
    assert answer.json() == {"methods": ["GET", "POST", "OPTIONS", "HEAD"]}
    assert answer.headers["Accept-Post"] == "application/hal+json; profile=http://purl.org/sipwise/ngcp-api/#rel-%s" % collection
    assert call(c5, "OPTIONS", "/api/%s/1" % collection).json() == {"methods": item_methods}
    assert error(call(c5, "GET", "/api/%s/abc" % collection), 400) == "Invalid id in request URI"


def test_a_get_put_back_changes_nothing(c5):
    """The upstream tests' GET -> PUT -> GET round trip (t/api-rest2/SoundSets.yaml)."""
    customer = tenant(c5)
    paths = [
        "/api/soundsets/%d" % create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "s", "contract_id": customer, "contract_default": 1,
                                                             "parent_id": create(c5, "/api/soundsets/", {"reseller_id": 1, "name": "p"})}),
        "/api/ncoslevels/%d" % create(c5, "/api/ncoslevels/", {"reseller_id": 1, "level": "l", "mode": "whitelist", "intra_pbx": True}),
        "/api/rewriterulesets/%d" % create(c5, "/api/rewriterulesets/", {
            "reseller_id": 1, "name": "r", "rewriterules": [{
                "match_pattern": "^(@{caller_cc})$", "replace_pattern": "${caller_ac}\\1", "description": "d",
                "priority": 7, "enabled": True}]}),
    ]
    set_id = create(c5, "/api/subscriberprofilesets/", {"reseller_id": 1, "name": "ps", "description": "d"})
    paths.append("/api/subscriberprofilesets/%d" % set_id)
    profile = {"profile_set_id": set_id, "name": "p", "description": "d", "attributes": ["cfu", "clir"]}
    paths.append("/api/subscriberprofiles/%d" % create(c5, "/api/subscriberprofiles/", profile))
    for path in paths:
        before = strip(get(c5, path))
        answer = call(c5, "PUT", path, before, headers={"Prefer": "return=representation"})
        assert answer.status_code == 200, (path, answer.text)
        assert strip(answer.json()) == before == strip(get(c5, path)), path
