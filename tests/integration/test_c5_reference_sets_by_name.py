# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Objects named by name (issue 10 section 4, the rest): c5_subscriber_preferences
takes NCOS sets (ncos_set, adm_ncos_set, adm_cf_ncos_set; the C5's v2 API holds
them), header rule sets (header_rule_set) and emergency mapping containers by name, checked before any write
and compared case-insensitively; c5_customer takes a billing network by name in
a billing profile schedule interval."""

from conftest import api, writes

from test_c5_customer import contact, stored
from test_c5_customer_schedule import customer_task, failing as failing_customer
from test_c5_subscriber_preferences import pref_writes, prefs, setup_tasks, stored as stored_prefs


def create(emulator, path, body):
    status, answer, new_id = api(emulator, "POST", path, body)
    assert status == 201, (path, status, answer)
    return new_id


def second_reseller(emulator):
    contact_id = create(emulator, "/api/systemcontacts/", {"email": "r2@example.com"})
    contract = create(emulator, "/api/contracts/", {"contact_id": contact_id, "billing_profile_id": 1, "type": "reseller", "status": "active"})
    return create(emulator, "/api/resellers/", {"contract_id": contract, "name": "R2", "status": "active"})


def failing(name, **args):
    return dict(prefs(name, **args), ignore_errors=True)


def test_ncos_sets_header_rule_sets_and_emergency_containers_by_name(runner, c5_emulator):
    create(c5_emulator, "/api/v2/ncos/sets", {"reseller_id": 1, "name": "Restricted", "description": "no premium numbers"})
    create(c5_emulator, "/api/headerrulesets/", {"reseller_id": 1, "name": "Strip-PAI"})
    create(c5_emulator, "/api/emergencymappingcontainers/", {"reseller_id": 1, "name": "Vienna"})
    reseller = second_reseller(c5_emulator)
    create(c5_emulator, "/api/headerrulesets/", {"reseller_id": reseller, "name": "theirs"})
    c5_emulator.clear_requests()
    wanted = {"ncos_set": "restricted", "adm_cf_ncos_set": "RESTRICTED", "header_rule_set": "strip-pai",
              "emergency_mapping_container": "vienna"}
    run = runner.run(setup_tasks("alice") + [
        prefs("set", preferences=wanted),
        prefs("again as stored", preferences={"ncos_set": "Restricted", "adm_cf_ncos_set": "Restricted", "header_rule_set": "Strip-PAI",
                                              "emergency_mapping_container": "Vienna"}),
        prefs("again as first written", preferences=wanted),
        failing("unknown ncos set", preferences={"adm_ncos_set": "nope", "music_on_hold": True}),
        failing("another reseller's header rules", preferences={"header_rule_set": "theirs"}),
        failing("unknown container", preferences={"emergency_mapping_container": "Linz"}),
    ])
    assert run.returncode == 0, run.stdout
    assert [run.task(n)["changed"] for n in ("set", "again as stored", "again as first written")] == [True, False, False]
    # one PATCH, the names in the spelling the C5 stores
    patches = pref_writes(c5_emulator)
    assert [(m, p) for m, p, _c, _b in patches] == [("PATCH", "/api/subscriberpreferences/1")]
    assert sorted(patches[0][3], key=lambda op: op["path"]) == [
        {"op": "add", "path": "/adm_cf_ncos_set", "value": "Restricted"},
        {"op": "add", "path": "/emergency_mapping_container", "value": "Vienna"},
        {"op": "add", "path": "/header_rule_set", "value": "Strip-PAI"}, {"op": "add", "path": "/ncos_set", "value": "Restricted"}]
    now = stored_prefs(c5_emulator)
    assert {k: now[k] for k in wanted} == {"ncos_set": "Restricted", "adm_cf_ncos_set": "Restricted", "header_rule_set": "Strip-PAI",
                                           "emergency_mapping_container": "Vienna"}
    # the NCOS sets were looked up in the v2 API
    assert any(r["path"].startswith("/api/v2/ncos/sets?") and r["method"] == "GET" for r in c5_emulator.requests())
    assert "preferences.adm_ncos_set: no NCOS set 'nope' exists for reseller 1; create it first (/api/v2/ncos/sets, the C5's v2 API)" \
        in run.task("unknown ncos set")["msg"]
    assert "preferences.header_rule_set: header rule set 'theirs' belongs to reseller %d, not to reseller 1" % reseller \
        in run.task("another reseller's header rules")["msg"]
    assert "preferences.emergency_mapping_container: no emergency mapping container 'Linz' exists for reseller 1; create it first " \
        "(/api/emergencymappingcontainers/)" in run.task("unknown container")["msg"]
    # the failing tasks wrote nothing
    assert len(pref_writes(c5_emulator)) == 1 and "music_on_hold" not in now


def test_a_billing_network_by_name_in_a_schedule(runner, c5_emulator):
    c5_emulator.set_clock("2030-01-01T00:00:00Z", freeze=True)
    office = create(c5_emulator, "/api/billingnetworks/", {"reseller_id": 1, "name": "Office", "description": "HQ",
                                                           "blocks": [{"ip": "10.0.0.0", "mask": 8}]})
    reseller = second_reseller(c5_emulator)
    create(c5_emulator, "/api/billingnetworks/", {"reseller_id": reseller, "name": "theirs", "description": "d", "blocks": [{"ip": "10.0.0.0"}]})
    contact(c5_emulator)
    c5_emulator.clear_requests()
    interval = {"profile": "default", "start": "2030-02-01", "network": "office"}
    run = runner.run([
        failing_customer("unknown network", billing_profiles=[dict(interval, network="lab")]),
        failing_customer("another reseller's network", billing_profiles=[dict(interval, network="theirs")]),
        customer_task("create", billing_profiles=[interval]),
        customer_task("again", billing_profiles=[dict(interval, network="OFFICE")]),
        customer_task("again by id", billing_profiles=[dict(interval, network=office)]),
    ])
    assert "billing_profiles[1].network: no billing network 'lab' exists for reseller 1; create it first (/api/billingnetworks/)" \
        in run.task("unknown network")["msg"]
    assert "billing_profiles[1].network: billing network 'theirs' belongs to reseller %d, not to reseller 1" % reseller \
        in run.task("another reseller's network")["msg"]
    assert [run.task(n)["changed"] for n in ("create", "again", "again by id")] == [True, False, False]
    posts = [(w["method"], w["body"]) for w in writes(c5_emulator) if w["path"].startswith("/api/customers/")]
    assert [m for m, _b in posts] == ["POST"]
    assert posts[0][1]["billing_profiles"] == [{"profile_id": 1}, {"profile_id": 1, "start": "2030-02-01 00:00:00", "network_id": office}]
    body = stored(c5_emulator, "customers", run.task("create")["customer"]["id"])
    assert [(m["profile_id"], m["network_id"], m["start"]) for m in body["billing_profiles"]] == [(1, office, "2030-02-01 00:00:00")]


def test_without_the_v2_api_the_c5_checks_the_ncos_set_name(runner, c5_emulator):
    """A C5 that serves no v2 API answers 404 for /api/v2/ncos/sets: the name is
    sent as given and the C5's own answer (422 "Unknown ncos_set") is reported."""
    create(c5_emulator, "/api/v2/ncos/sets", {"reseller_id": 1, "name": "Restricted", "description": "d"})
    c5_emulator.add_fault(method="GET", path_regex="^/api/v2/", kind="status", status=404, count=None)
    c5_emulator.clear_requests()
    run = runner.run(setup_tasks("alice") + [
        prefs("set", preferences={"ncos_set": "Restricted"}),
        failing("unknown", preferences={"adm_ncos_set": "nope"}),
    ])
    assert run.task("set")["changed"] is True
    assert stored_prefs(c5_emulator)["ncos_set"] == "Restricted"
    assert [op for _m, _p, _c, body in pref_writes(c5_emulator) for op in body] == [
        {"op": "add", "path": "/ncos_set", "value": "Restricted"}, {"op": "add", "path": "/adm_ncos_set", "value": "nope"}]
    assert "Unknown ncos_set 'nope'" in run.task("unknown")["msg"]
