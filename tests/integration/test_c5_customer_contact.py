# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_customer_contact against the C5 emulator: create, idempotence with zero writes,
update by a complete PUT that keeps what the task does not set (a C5 PUT clears an
omitted country and timezone), check mode, diff, deletion (also of a contact in use),
input errors before any write, server errors, and items."""


from conftest import api, but, may_fail, writes

EMAIL = "john.doe@example.com"


def task(name, **args):
    return {"name": name, "voip.provisioning.c5_customer_contact": args}


def create_contact(emulator, **fields):
    status, body, new_id = api(emulator, "POST", "/api/customercontacts/", fields)
    assert status == 201, body
    return new_id


def stored_contact(emulator, contact_id):
    status, body, new_id = api(emulator, "GET", "/api/customercontacts/%s" % contact_id)
    assert status == 200 and new_id is None, body
    return body


def test_create_then_identical_and_equivalent_runs_send_no_write(runner, c5_emulator):
    wanted = dict(email=EMAIL, reseller="default", firstname="John", lastname="Doe", country="at", timezone="US/Eastern",
                  gpp={"gpp0": "CRM-4711"})
    # The same contact spelled the way the C5 stores it: reseller by id, upper-case country, the link's target zone.
    equivalent = but(wanted, reseller=1, country="AT", timezone="America/New_York")
    run = runner.run([task("create", **wanted), task("again", **wanted), task("equivalent", **equivalent)])
    assert run.returncode == 0, run.stdout
    created = run.task("create")
    assert created["changed"] is True
    contact = created["customer_contact"]
    assert (contact["email"], contact["reseller_id"], contact["country"], contact["timezone"]) == (EMAIL, 1, "AT", "America/New_York")
    assert created["diff"]["before"] == {}
    assert {k: created["diff"]["after"][k] for k in ("email", "reseller_id", "firstname", "lastname", "country", "gpp0", "city")} == {
        "email": EMAIL, "reseller_id": 1, "firstname": "John", "lastname": "Doe", "country": "AT", "gpp0": "CRM-4711", "city": None}
    assert run.task("again")["changed"] is False
    assert run.task("equivalent")["changed"] is False
    assert run.task("again")["customer_contact"]["id"] == contact["id"]
    # Exactly one write for three tasks: the POST, with only the options that were set.
    assert [(w["method"], w["path"], w["body"]) for w in writes(c5_emulator)] == [(
        "POST", "/api/customercontacts/",
        {"email": EMAIL, "reseller_id": 1, "firstname": "John", "lastname": "Doe", "country": "AT", "timezone": "US/Eastern",
         "gpp0": "CRM-4711"})]
    stored = stored_contact(c5_emulator, contact["id"])
    assert (stored["email"], stored["firstname"], stored["lastname"], stored["country"], stored["timezone"], stored["gpp0"]) == (
        EMAIL, "John", "Doe", "AT", "America/New_York", "CRM-4711")


def test_update_puts_the_complete_document_keeping_country_and_timezone(runner, c5_emulator):
    contact_id = create_contact(c5_emulator, email=EMAIL, reseller_id=1, firstname="John", lastname="Doe", company="Doe Ltd",
                                country="AT", timezone="Europe/Vienna", gpp0="CRM-4711")
    c5_emulator.clear_requests()
    update = dict(email=EMAIL, reseller=1, city="Vienna", lastname="", gpp={"gpp1": "VIP"})
    run = runner.run([task("update", **update), task("again", **update)])
    assert run.returncode == 0, run.stdout
    updated = run.task("update")
    assert updated["changed"] is True
    before, after = updated["diff"]["before"], updated["diff"]["after"]
    assert {k for k in after if after[k] != before[k]} == {"city", "lastname", "gpp1"}
    assert (before["lastname"], after["lastname"], after["city"], after["gpp1"]) == ("Doe", None, "Vienna", "VIP")
    assert run.task("again")["changed"] is False

    puts = writes(c5_emulator)
    assert [(w["method"], w["path"]) for w in puts] == [("PUT", "/api/customercontacts/%d" % contact_id)]
    body = puts[0]["body"]
    # What the task did not set is sent back as it was; country and timezone above all.
    assert {k: body[k] for k in ("email", "reseller_id", "firstname", "company", "country", "timezone", "gpp0")} == {
        "email": EMAIL, "reseller_id": 1, "firstname": "John", "company": "Doe Ltd", "country": "AT", "timezone": "Europe/Vienna",
        "gpp0": "CRM-4711"}
    assert (body["city"], body["lastname"], body["gpp1"]) == ("Vienna", None, "VIP")
    assert not {"id", "_links", "_embedded"} & set(body)

    stored = stored_contact(c5_emulator, contact_id)
    assert {k: stored[k] for k in ("firstname", "lastname", "company", "city", "country", "timezone", "gpp0", "gpp1")} == {
        "firstname": "John", "lastname": None, "company": "Doe Ltd", "city": "Vienna", "country": "AT", "timezone": "Europe/Vienna",
        "gpp0": "CRM-4711", "gpp1": "VIP"}


def test_check_mode_create_update_and_delete_send_no_write(runner, c5_emulator):
    contact_id = create_contact(c5_emulator, email=EMAIL, reseller_id=1, firstname="John", country="AT")
    c5_emulator.clear_requests()
    run = runner.run([task("create", email="new@example.com", reseller=1, firstname="New"),
                      task("update", email=EMAIL, reseller=1, firstname="Johnny"),
                      task("delete", email=EMAIL, reseller=1, state="absent")], check=True)
    assert run.returncode == 0, run.stdout
    created, updated = run.task("create"), run.task("update")
    assert created["changed"] is True and "customer_contact" not in created
    assert created["diff"] == {"before": {}, "after": {"email": "new@example.com", "reseller_id": 1, "firstname": "New"}}
    assert updated["changed"] is True
    assert (updated["diff"]["before"]["firstname"], updated["diff"]["after"]["firstname"]) == ("John", "Johnny")
    deleted = run.task("delete")
    assert deleted["changed"] is True
    assert (deleted["diff"]["before"]["firstname"], deleted["diff"]["after"]) == ("John", {})
    assert writes(c5_emulator) == []
    assert c5_emulator.requests(), "check mode still reads"
    assert stored_contact(c5_emulator, contact_id)["firstname"] == "John"
    assert api(c5_emulator, "GET", "/api/customercontacts/?email=new@example.com")[1]["total_count"] == 0


def test_delete_refused_while_in_use_then_deleted_and_deleted_again(runner, c5_emulator):
    customer = {"external_id": "cust-1", "contact": EMAIL, "reseller": 1, "billing_profile": "default"}
    run = runner.run([
        task("create", email=EMAIL, reseller=1),
        {"name": "customer", "voip.provisioning.c5_customer": customer},
        may_fail(task("in use", email=EMAIL, reseller=1, state="absent")),
        {"name": "terminate", "voip.provisioning.c5_customer": {"external_id": "cust-1", "state": "absent"}},
        task("delete", email=EMAIL, reseller=1, state="absent"),
        task("again", email=EMAIL, reseller=1, state="absent"),
    ])
    contact_id = run.task("create")["customer_contact"]["id"]
    customer_id = run.task("customer")["customer"]["id"]
    assert run.status("in use") == "failed"
    message = run.task("in use")["msg"]
    assert "customer contact '%s' (id %d) is still in use" % (EMAIL, contact_id) in message
    assert "HTTP 423: Contact is still in use." in message
    assert "voip.provisioning.c5_customer with state=absent" in message
    deleted = run.task("delete")
    assert deleted["changed"] is True and "customer_contact" not in deleted
    assert deleted["diff"]["before"]["email"] == EMAIL and deleted["diff"]["after"] == {}
    assert run.task("again")["changed"] is False
    assert [(w["method"], w["path"], w["status"]) for w in writes(c5_emulator)] == [
        ("POST", "/api/customercontacts/", 201),
        ("POST", "/api/customers/", 201),
        ("DELETE", "/api/customercontacts/%d" % contact_id, 423),
        ("PATCH", "/api/customers/%d" % customer_id, 204),
        ("DELETE", "/api/customercontacts/%d" % contact_id, 204),
    ]
    assert api(c5_emulator, "GET", "/api/customercontacts/%d" % contact_id)[0] == 404


def test_bad_input_fails_before_any_write_naming_the_field(runner, c5_emulator):
    twins = [create_contact(c5_emulator, email="twin@example.com", reseller_id=1, firstname=n) for n in ("A", "B")]
    c5_emulator.clear_requests()
    run = runner.run([
        may_fail(task("reseller", email=EMAIL, reseller="no-such-reseller")),
        may_fail(task("gpp key", email=EMAIL, reseller=1, gpp={"gpp10": "x"})),
        may_fail(task("gpp value", email=EMAIL, reseller=1, gpp={"gpp0": ["a", "b"]})),
        may_fail(task("ambiguous", email="TWIN@example.com", reseller=1, city="Graz")),
        may_fail(task("no email", reseller=1, city="Graz")),
    ])
    expected = {
        "reseller": "reseller: no reseller named 'no-such-reseller' exists; create it first or give its id",
        "gpp key": "gpp: unknown key 'gpp10'; the keys are gpp0 .. gpp9",
        "gpp value": "gpp.gpp0 must be text, not a list",
        "ambiguous": "customer contact e-mail 'TWIN@example.com' in reseller 1 is ambiguous: 2 contacts have it (ids %d, %d)" % tuple(twins),
        "no email": "one of the following is required: email, items",
    }
    for name, text in expected.items():
        assert run.status(name) == "failed", name
        assert text in run.task(name)["msg"], (name, run.task(name)["msg"])
    assert "delete or rename the duplicates first" in run.task("ambiguous")["msg"]
    assert writes(c5_emulator) == []


def test_server_validation_error_is_reported_with_method_path_and_status(runner, c5_emulator):
    run = runner.run([
        may_fail(task("bad email", email="not-an-email", reseller=1)),
        may_fail(task("no reseller", email=EMAIL)),
    ])
    # The C5's e-mail rule is checked before any request (test_c5_input_validation.py).
    assert run.status("bad email") == "failed"
    assert run.task("bad email")["msg"].startswith("email: 'not-an-email' is not an e-mail address (it has no '@')")
    assert run.status("no reseller") == "failed"
    no_reseller = run.task("no reseller")["msg"]
    assert no_reseller.startswith("POST /api/customercontacts/ failed: HTTP 422: ")
    # (Ansible masks the word "administrator" here: it is also the test login's no_log password.)
    assert "must set the option reseller to create a customer contact)" in no_reseller
    assert [(w["method"], w["status"]) for w in writes(c5_emulator)] == [("POST", 422)]
    assert api(c5_emulator, "GET", "/api/customercontacts/?email=%s" % EMAIL)[1]["total_count"] == 0


def test_items_inherit_the_task_options_and_fail_one_by_one(runner, c5_emulator):
    items = [{"email": "alice@example.com", "company": "Alice Ltd"},
             {"email": "bob@example.com", "company": "Bob AG", "gpp": {"gppX": "1"}},
             {"email": "carol@example.com", "country": "de"}]
    # continue_on_error: the invalid entry fails, the valid ones are applied (the default,
    # nothing applied, is in test_c5_input_validation.py).
    run = runner.run([may_fail(task("bulk", reseller="default", city="Vienna", items=items, continue_on_error=True))])
    result = run.task("bulk")
    assert run.status("bulk") == "failed"
    assert result["summary"] == {"total": 3, "changed": 2, "failed": 1}
    assert [r["item"] for r in result["results"]] == ["email=%s, reseller=default" % i["email"] for i in items]
    assert result["results"][1]["failed"] is True
    assert "gpp: unknown key 'gppX'" in result["results"][1]["msg"]
    assert result["msg"].startswith("1 of 3 items failed; first error: gpp: unknown key 'gppX'")
    posted = sorted((w["body"]["email"], w["body"].get("company"), w["body"].get("country"), w["body"]["city"], w["body"]["reseller_id"])
                    for w in writes(c5_emulator))
    assert posted == [("alice@example.com", "Alice Ltd", None, "Vienna", 1), ("carol@example.com", None, "DE", "Vienna", 1)]
