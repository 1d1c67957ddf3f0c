# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_customer against the C5 emulator: create, idempotence with zero writes, update by
a PUT of the merged document, check mode, diff, one-way termination (a later present
creates a new customer), input errors before any write and server errors."""


from conftest import api, but, may_fail, writes

EMAIL = "john.doe@example.com"
READ_ONLY = {"id", "_links", "create_timestamp", "modify_timestamp", "activate_timestamp", "terminate_timestamp",
             "all_billing_profiles", "billing_profiles", "billing_profile_definition"}


def task(name, **args):
    return {"name": name, "voip.provisioning.c5_customer": args}


def create(emulator, resource, **fields):
    status, body, new_id = api(emulator, "POST", "/api/%s/" % resource, fields)
    assert status == 201, body
    return new_id


def stored(emulator, resource, item_id):
    status, body, new_id = api(emulator, "GET", "/api/%s/%s" % (resource, item_id))
    assert status == 200 and new_id is None, body
    return body


def contact(emulator, email=EMAIL):
    return create(emulator, "customercontacts", email=email, reseller_id=1)


def customer(emulator, contact_id, external_id="cust-1001", **fields):
    return create(emulator, "customers", external_id=external_id, contact_id=contact_id, billing_profile_id=1,
                  type="sipaccount", status="active", **fields)


def test_create_then_identical_run_sends_no_write(runner, c5_emulator):
    contact_id = contact(c5_emulator)
    c5_emulator.clear_requests()
    wanted = dict(external_id="cust-1001", contact=EMAIL, reseller="default", billing_profile="default", max_subscribers=10,
                  vat_rate=20, add_vat=True)
    run = runner.run([task("create", **wanted), task("again", **wanted)])
    assert run.returncode == 0, run.stdout
    created, again = run.task("create"), run.task("again")
    assert created["changed"] is True
    assert created["diff"] == {"before": {}, "after": {
        "external_id": "cust-1001", "contact_id": contact_id, "billing_profile_id": 1, "type": "sipaccount", "status": "active",
        "max_subscribers": 10, "vat_rate": 20, "add_vat": True}}
    assert again["changed"] is False
    assert again["customer"]["id"] == created["customer"]["id"]
    assert [(w["method"], w["path"], w["body"]) for w in writes(c5_emulator)] == [(
        "POST", "/api/customers/",
        {"external_id": "cust-1001", "contact_id": contact_id, "billing_profile_id": 1, "max_subscribers": 10, "vat_rate": 20.0,
         "add_vat": True, "type": "sipaccount", "status": "active"})]
    back = stored(c5_emulator, "customers", created["customer"]["id"])
    assert {k: back[k] for k in ("external_id", "contact_id", "billing_profile_id", "type", "status", "max_subscribers", "vat_rate",
                                 "add_vat")} == created["diff"]["after"]


def test_update_puts_the_merged_document_keeping_what_is_not_set(runner, c5_emulator):
    contact_id = contact(c5_emulator)
    customer_id = customer(c5_emulator, contact_id, max_subscribers=10, vat_rate=20, add_vat=True)
    c5_emulator.clear_requests()
    update = dict(external_id="cust-1001", status="locked", max_subscribers=-1)
    run = runner.run([task("update", **update), task("again", **update)])
    assert run.returncode == 0, run.stdout
    updated = run.task("update")
    assert updated["changed"] is True
    before, after = updated["diff"]["before"], updated["diff"]["after"]
    assert (before["status"], after["status"], before["max_subscribers"], after["max_subscribers"]) == ("active", "locked", 10, None)
    assert {k for k in after if after[k] != before[k]} == {"status", "max_subscribers"}
    assert run.task("again")["changed"] is False

    puts = writes(c5_emulator)
    assert [(w["method"], w["path"]) for w in puts] == [("PUT", "/api/customers/%d" % customer_id)]
    body = puts[0]["body"]
    # -1 means unlimited (null); the rest of the customer is sent back unchanged.
    assert {k: body[k] for k in ("external_id", "contact_id", "billing_profile_id", "type", "status", "max_subscribers", "vat_rate",
                                 "add_vat")} == {
        "external_id": "cust-1001", "contact_id": contact_id, "billing_profile_id": 1, "type": "sipaccount", "status": "locked",
        "max_subscribers": None, "vat_rate": 20, "add_vat": True}
    assert not READ_ONLY & set(body)
    back = stored(c5_emulator, "customers", customer_id)
    assert (back["status"], back["max_subscribers"], back["vat_rate"], back["add_vat"], back["contact_id"]) == (
        "locked", None, 20, True, contact_id)


def test_check_mode_create_update_and_terminate_send_no_write(runner, c5_emulator):
    contact_id = contact(c5_emulator)
    customer_id = customer(c5_emulator, contact_id, max_subscribers=10)
    c5_emulator.clear_requests()
    run = runner.run([task("create", external_id="cust-new", contact=EMAIL, reseller=1, billing_profile="default"),
                      task("update", external_id="cust-1001", max_subscribers=20),
                      task("terminate", external_id="cust-1001", state="absent")], check=True)
    assert run.returncode == 0, run.stdout
    created, updated = run.task("create"), run.task("update")
    assert created["changed"] is True and "customer" not in created
    assert created["diff"]["after"] == {"external_id": "cust-new", "contact_id": contact_id, "billing_profile_id": 1}
    assert updated["changed"] is True
    assert (updated["diff"]["before"]["max_subscribers"], updated["diff"]["after"]["max_subscribers"]) == (10, 20)
    terminated = run.task("terminate")
    assert terminated["changed"] is True
    assert (terminated["diff"]["before"]["status"], terminated["diff"]["after"]) == ("active", {"status": "terminated"})
    assert writes(c5_emulator) == []
    back = stored(c5_emulator, "customers", customer_id)
    assert (back["max_subscribers"], back["status"]) == (10, "active")
    assert api(c5_emulator, "GET", "/api/customers/?external_id=cust-new")[1]["total_count"] == 0


def test_absent_terminates_one_way_and_present_then_creates_a_new_customer(runner, c5_emulator):
    contact_id = contact(c5_emulator)
    old_id = customer(c5_emulator, contact_id)
    create(c5_emulator, "domains", domain="sip.example.com", reseller_id=1)
    subscriber_id = create(c5_emulator, "subscribers", customer_id=old_id, domain="sip.example.com", username="10001",
                           password="Sip-Secret-10001", primary_number={"cc": 43, "ac": "9876", "sn": "10001"})
    c5_emulator.clear_requests()
    run = runner.run([
        task("terminate", external_id="cust-1001", state="absent"),
        task("again", external_id="cust-1001", state="absent"),
        task("present", external_id="cust-1001", contact=EMAIL, reseller=1, billing_profile="default"),
    ])
    assert run.returncode == 0, run.stdout
    terminated = run.task("terminate")
    assert terminated["changed"] is True and "customer" not in terminated
    assert terminated["diff"]["before"]["status"] == "active"
    assert terminated["diff"]["after"] == {"status": "terminated"}
    assert run.task("again")["changed"] is False
    present = run.task("present")
    assert present["changed"] is True and present["diff"]["before"] == {}
    new_id = present["customer"]["id"]
    assert new_id != old_id
    assert [(w["method"], w["path"], w["body"]) for w in writes(c5_emulator)] == [
        ("PATCH", "/api/customers/%d" % old_id, [{"op": "replace", "path": "/status", "value": "terminated"}]),
        ("POST", "/api/customers/", {"external_id": "cust-1001", "contact_id": contact_id, "billing_profile_id": 1,
                                     "type": "sipaccount", "status": "active"}),
    ]
    # The old customer stays visible as terminated; the C5 terminated its subscriber with it.
    assert stored(c5_emulator, "customers", old_id)["status"] == "terminated"
    assert stored(c5_emulator, "customers", new_id)["status"] == "active"
    assert api(c5_emulator, "GET", "/api/subscribers/%d" % subscriber_id)[0] == 404


def test_bad_input_fails_before_any_write_naming_the_field_and_fix(runner, c5_emulator):
    contact(c5_emulator)
    contact(c5_emulator, email="other@example.com")
    customer(c5_emulator, contact(c5_emulator, email="existing@example.com"), external_id="cust-existing")
    c5_emulator.clear_requests()
    new = dict(external_id="cust-new", contact=EMAIL, reseller=1, billing_profile="default")
    run = runner.run([
        may_fail(task("billing profile", **but(new, billing_profile="gold"))),
        may_fail(task("contact", **but(new, contact="nobody@example.com"))),
        may_fail(task("max type", **but(new, max_subscribers="abc"))),
        may_fail(task("max range", **but(new, max_subscribers=-5))),
        may_fail(task("vat", **but(new, vat_rate=150))),
        may_fail(task("no profile", external_id="cust-new", contact=EMAIL, reseller=1)),
        may_fail(task("type change", external_id="cust-existing", type="pbxaccount")),
        may_fail(task("both contacts", **but(new, contact_id=3))),
    ])
    expected = {
        "billing profile": "billing_profile: no billing profile with handle 'gold' for reseller 1 exists; check the handle or create the profile first",
        "contact": "contact: no customer contact with e-mail 'nobody@example.com' in reseller 1 exists; create it first "
                   "(voip.provisioning.c5_customer_contact) or give contact_id",
        "max type": "argument 'max_subscribers' is of type str",
        "max range": "max_subscribers must be -1 (unlimited) or a count >= 0, not -5",
        "vat": "vat_rate must be between 0 and 100, not 150",
        "no profile": "customer 'cust-new' does not exist; to create it set billing_profile",
        "type change": "the C5 cannot change the type of a customer to pbxaccount",
        "both contacts": "parameters are mutually exclusive: contact|contact_id",
    }
    for name, text in expected.items():
        assert run.status(name) == "failed", name
        assert text in run.task(name)["msg"], (name, run.task(name)["msg"])
    assert "we were unable to convert to int" in run.task("max type")["msg"]
    assert writes(c5_emulator) == []


def test_server_rejection_is_reported_with_method_path_and_status(runner, c5_emulator):
    run = runner.run([may_fail(task("unknown contact id", external_id="cust-1001", contact_id=999, billing_profile=1))])
    assert run.status("unknown contact id") == "failed"
    assert run.task("unknown contact id")["msg"] == "POST /api/customers/ failed: HTTP 422: Invalid 'contact_id'"
    assert [(w["method"], w["path"], w["status"]) for w in writes(c5_emulator)] == [("POST", "/api/customers/", 422)]
    assert api(c5_emulator, "GET", "/api/customers/?external_id=cust-1001")[1]["total_count"] == 0
