# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_subscriber against the C5 emulator: create, idempotence with zero writes (numbers
as E.164 strings or dicts, aliases in any order), update by a PUT of the complete
document (a C5 PUT clears what it is not sent), passwords (masked, on_create/always),
check mode, termination, input and server errors, bulk items read by listing, and the
same results in-process and on the target."""


import pytest

from conftest import api, but, may_fail, writes

DOMAIN = "sip.example.com"
SEEDED_SIP_PASSWORD = "Seeded-Sip-Pass-1"


def task(name, **args):
    args.setdefault("domain", DOMAIN)
    return {"name": name, "voip.provisioning.c5_subscriber": args}


def create(emulator, resource, **fields):
    status, body, new_id = api(emulator, "POST", "/api/%s/" % resource, fields)
    assert status == 201, body
    return new_id


def stored(emulator, subscriber_id):
    status, body, new_id = api(emulator, "GET", "/api/subscribers/%s" % subscriber_id)
    assert status == 200 and new_id is None, body
    return body


def numbers(raw):
    """A subscriber's numbers as comparable tuples: primary, set of aliases."""
    primary = raw.get("primary_number") or {}
    return ((str(primary.get("cc")), primary.get("ac"), primary.get("sn")),
            {(str(a["cc"]), a["ac"], a["sn"], a["is_devid"]) for a in raw.get("alias_numbers") or []})


def make_tenant(emulator):
    """A domain and two customers (cust-1, cust-2) made directly through the API; empty request log."""
    ids = {"domain": create(emulator, "domains", domain=DOMAIN, reseller_id=1)}
    contact_id = create(emulator, "customercontacts", email="john.doe@example.com", reseller_id=1)
    for external_id in ("cust-1", "cust-2"):
        ids[external_id] = create(emulator, "customers", external_id=external_id, contact_id=contact_id, billing_profile_id=1,
                                  type="sipaccount", status="active")
    emulator.clear_requests()
    return ids


@pytest.fixture
def tenant(c5_emulator):
    return make_tenant(c5_emulator)


def seed_subscriber(emulator, tenant, username="10001", **fields):
    """A subscriber of cust-1 with a primary number, two aliases, external id, lock, e-mail and time zone."""
    body = dict(customer_id=tenant["cust-1"], domain=DOMAIN, username=username, password=SEEDED_SIP_PASSWORD,
                primary_number={"cc": 43, "ac": "9876", "sn": username},
                alias_numbers=[{"cc": 43, "ac": "9877", "sn": username, "is_devid": False},
                               {"cc": 43, "ac": "9878", "sn": username, "is_devid": True}],
                external_id="ext-" + username, lock=2, email=username + "@example.com", timezone="Europe/Vienna")
    body.update(fields)
    subscriber_id = create(emulator, "subscribers", **body)
    emulator.clear_requests()
    return subscriber_id


def test_create_then_same_subscriber_in_other_spellings_sends_no_write(runner, c5_emulator, tenant):
    create_args = dict(sip_username="10001", customer="cust-1", sip_password="Sip-Secret-10001", primary_number="+43 9876 10001",
                       alias_numbers=["+43-9877-10001", {"cc": 43, "ac": 9878, "sn": 10001, "is_devid": True}],
                       external_id="ext-1", lock=2, display_name="Reception")
    # The same numbers as dicts and as a compact E.164 string, the aliases in the other order.
    other_spelling = but(create_args, primary_number={"cc": "43", "ac": "9876", "sn": "10001"},
                         alias_numbers=[{"cc": "43", "ac": "9878", "sn": "10001", "is_devid": True}, "+43.9877.10001"])
    compact = but(create_args, primary_number="+43987610001", alias_numbers=list(reversed(create_args["alias_numbers"])))
    run = runner.run([task("create", **create_args), task("again", **create_args), task("dicts", **other_spelling),
                      task("compact", **compact)])
    assert run.returncode == 0, run.stdout
    created = run.task("create")
    assert created["changed"] is True
    subscriber = created["subscriber"]
    assert (subscriber["username"], subscriber["domain"], subscriber["customer_id"], subscriber["password"]) == (
        "10001", DOMAIN, tenant["cust-1"], "********")
    assert created["diff"]["before"] == {}
    after = created["diff"]["after"]
    assert {k: after[k] for k in ("username", "customer_id", "lock", "external_id", "display_name", "password", "primary_number")} == {
        "username": "10001", "customer_id": tenant["cust-1"], "lock": 2, "external_id": "ext-1", "display_name": "Reception",
        "password": "********", "primary_number": {"cc": "43", "ac": "9876", "sn": "10001"}}
    for name in ("again", "dicts", "compact"):
        assert run.task(name)["changed"] is False, name

    subscriber_id = subscriber["id"]
    assert [(w["method"], w["path"], w["body"]) for w in writes(c5_emulator)] == [
        ("POST", "/api/subscribers/", {
            "customer_id": tenant["cust-1"], "domain": DOMAIN, "username": "10001", "password": "Sip-Secret-10001",
            "external_id": "ext-1", "display_name": "Reception", "lock": 2, "primary_number": {"cc": 43, "ac": "9876", "sn": "10001"},
            "alias_numbers": [{"cc": 43, "ac": "9877", "sn": "10001", "is_devid": False},
                              {"cc": 43, "ac": "9878", "sn": "10001", "is_devid": True}]}),
        # sipaccount subscribers ignore display_name: it is written as their preference.
        ("PATCH", "/api/subscriberpreferences/%d" % subscriber_id, [{"op": "add", "path": "/display_name", "value": "Reception"}]),
    ]
    back = stored(c5_emulator, subscriber_id)
    assert numbers(back) == (("43", "9876", "10001"), {("43", "9877", "10001", False), ("43", "9878", "10001", True)})
    assert (back["lock"], back["external_id"], back["display_name"], back["password"]) == ("2", "ext-1", "Reception", "Sip-Secret-10001")


def test_alias_update_is_one_put_keeping_what_the_task_does_not_set(runner, c5_emulator, tenant):
    subscriber_id = seed_subscriber(c5_emulator, tenant)
    update = dict(sip_username="10001", alias_numbers=["+43 9879 10001", {"cc": 43, "ac": 9878, "sn": 10001, "is_devid": True},
                                                       "+43 9877 10001"])
    run = runner.run([task("add alias", **update), task("again", **update)])
    assert run.returncode == 0, run.stdout
    result = run.task("add alias")
    assert result["changed"] is True
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert {k for k in after if after[k] != before[k]} == {"alias_numbers"}
    assert len(before["alias_numbers"]) == 2 and len(after["alias_numbers"]) == 3
    assert run.task("again")["changed"] is False

    puts = writes(c5_emulator)
    assert [(w["method"], w["path"]) for w in puts] == [("PUT", "/api/subscribers/%d" % subscriber_id)]
    body = puts[0]["body"]
    # Everything a C5 PUT would clear when omitted is sent back as it was.
    assert {k: body[k] for k in ("customer_id", "username", "domain", "status", "lock", "external_id", "email", "timezone",
                                 "webusername", "administrative")} == {
        "customer_id": tenant["cust-1"], "username": "10001", "domain": DOMAIN, "status": "active", "lock": "2",
        "external_id": "ext-10001", "email": "10001@example.com", "timezone": "Europe/Vienna", "webusername": "10001",
        "administrative": False}
    assert body["primary_number"] == {"cc": 43, "ac": "9876", "sn": "10001"}
    assert sorted((a["ac"], a["is_devid"]) for a in body["alias_numbers"]) == [("9877", False), ("9878", True), ("9879", False)]
    # No read-only keys, and the SIP password is not re-sent when it is not changed.
    assert not {"id", "uuid", "password", "webpassword", "create_timestamp", "modify_timestamp", "_links"} & set(body)

    back = stored(c5_emulator, subscriber_id)
    assert numbers(back)[1] == {("43", "9877", "10001", False), ("43", "9878", "10001", True), ("43", "9879", "10001", False)}
    assert (back["lock"], back["external_id"], back["email"], back["timezone"], back["webusername"], back["password"]) == (
        "2", "ext-10001", "10001@example.com", "Europe/Vienna", "10001", SEEDED_SIP_PASSWORD)


def test_secrets_are_masked_in_diff_and_never_printed(runner, c5_emulator, tenant):
    first, second, web = "First-Sip-Secret-77", "Second-Sip-Secret-88", "Web-Secret-Pass-99"
    args = dict(sip_username="10002", customer="cust-1", primary_number="+43 9876 10002", webpassword=web)
    run = runner.run([task("create", sip_password=first, **args), task("new password", sip_password=second, **args),
                      task("same password", sip_password=second, **args)], extra_args=["-v"])
    assert run.returncode == 0, run.stdout
    for secret in (first, second, web):
        assert secret not in run.stdout
    assert run.task("create")["diff"]["after"]["password"] == "********"
    assert run.task("create")["subscriber"]["password"] == "********"
    changed = run.task("new password")
    assert changed["changed"] is True
    assert changed["diff"]["before"]["password"] == "********"
    assert changed["diff"]["after"]["password"] == "******** (changed)"
    assert {k for k in changed["diff"]["after"] if changed["diff"]["after"][k] != changed["diff"]["before"][k]} == {"password"}
    # The readable SIP password is compared: the same one again is no change (update_password: on_create).
    assert run.task("same password")["changed"] is False
    assert '"password": "******** (changed)"' in run.stdout
    subscriber_id = run.task("create")["subscriber"]["id"]
    assert [(w["method"], w["path"], w["body"].get("password"), w["body"].get("webpassword")) for w in writes(c5_emulator)] == [
        ("POST", "/api/subscribers/", first, web),
        ("PUT", "/api/subscribers/%d" % subscriber_id, second, None),
    ]
    assert stored(c5_emulator, subscriber_id)["password"] == second


def test_webpassword_is_sent_on_every_run_with_always_and_never_with_on_create(runner, c5_emulator, tenant):
    subscriber_id = seed_subscriber(c5_emulator, tenant, webpassword="Web-Old-Pass-1")
    run = runner.run([task("on_create", sip_username="10001", webpassword="Web-New-Pass-2"),
                      task("always", sip_username="10001", webpassword="Web-New-Pass-2", update_password="always"),
                      task("always again", sip_username="10001", webpassword="Web-New-Pass-2", update_password="always")])
    assert run.returncode == 0, run.stdout
    assert run.task("on_create")["changed"] is False
    for name in ("always", "always again"):
        result = run.task(name)
        assert result["changed"] is True, name
        assert "webpassword" not in result["diff"]["before"]
        assert result["diff"]["after"]["webpassword"] == "******** (changed)"
        assert {k for k in result["diff"]["before"] if result["diff"]["after"][k] != result["diff"]["before"][k]} == set()
    puts = writes(c5_emulator)
    assert [(w["method"], w["path"], w["body"]["webpassword"]) for w in puts] == [
        ("PUT", "/api/subscribers/%d" % subscriber_id, "Web-New-Pass-2")] * 2
    # The PUT is the complete document: the write-only secret does not cost the other fields.
    assert (puts[1]["body"]["lock"], puts[1]["body"]["external_id"], len(puts[1]["body"]["alias_numbers"])) == ("2", "ext-10001", 2)
    assert "Web-New-Pass-2" not in run.stdout


def test_check_mode_create_update_and_terminate_send_no_write(runner, c5_emulator, tenant):
    subscriber_id = seed_subscriber(c5_emulator, tenant)
    run = runner.run([task("create", sip_username="10002", customer="cust-1", sip_password="Sip-Secret-10002",
                           primary_number="+43 9876 10002"),
                      task("update", sip_username="10001", lock=3, external_id="ext-new"),
                      task("terminate", sip_username="10001", state="absent")], check=True)
    assert run.returncode == 0, run.stdout
    created, updated = run.task("create"), run.task("update")
    assert created["changed"] is True and "subscriber" not in created
    assert created["diff"]["before"] == {}
    assert created["diff"]["after"]["password"] == "********"
    assert updated["changed"] is True
    before, after = updated["diff"]["before"], updated["diff"]["after"]
    assert (before["lock"], after["lock"], before["external_id"], after["external_id"]) == (2, 3, "ext-10001", "ext-new")
    terminated = run.task("terminate")
    assert terminated["changed"] is True
    assert (terminated["diff"]["before"]["lock"], terminated["diff"]["after"]) == (2, {})
    assert writes(c5_emulator) == []
    assert c5_emulator.requests(), "check mode still reads"
    back = stored(c5_emulator, subscriber_id)
    assert (back["lock"], back["external_id"]) == ("2", "ext-10001")
    assert api(c5_emulator, "GET", "/api/subscribers/?username=10002")[1]["total_count"] == 0


def test_absent_terminates_once_and_present_creates_a_new_one(runner, c5_emulator, tenant):
    old_id = seed_subscriber(c5_emulator, tenant)
    run = runner.run([task("terminate", sip_username="10001", state="absent"),
                      task("again", sip_username="10001", state="absent"),
                      task("recreate", sip_username="10001", customer="cust-1", sip_password="Sip-Secret-New",
                           primary_number="+43 9876 10001")])
    assert run.returncode == 0, run.stdout
    terminated = run.task("terminate")
    assert terminated["changed"] is True and "subscriber" not in terminated
    assert terminated["diff"]["before"]["username"] == "10001" and terminated["diff"]["after"] == {}
    assert run.task("again")["changed"] is False
    new_id = run.task("recreate")["subscriber"]["id"]
    assert new_id != old_id
    assert [(w["method"], w["path"]) for w in writes(c5_emulator)] == [
        ("DELETE", "/api/subscribers/%d" % old_id), ("POST", "/api/subscribers/")]
    # The terminated subscriber is gone and its number was released to the new one.
    assert api(c5_emulator, "GET", "/api/subscribers/%d" % old_id)[0] == 404
    assert numbers(stored(c5_emulator, new_id)) == (("43", "9876", "10001"), set())


@pytest.fixture
def lower_case_twin(c5_emulator, tenant):
    subscriber_id = create(c5_emulator, "subscribers", customer_id=tenant["cust-1"], domain=DOMAIN, username="abc",
                           password="Sip-Secret-abc", primary_number={"cc": 43, "ac": "9876", "sn": "20001"})
    c5_emulator.clear_requests()
    return subscriber_id


def test_bad_input_fails_before_any_write_naming_the_field_and_fix(runner, c5_emulator, tenant, lower_case_twin):
    seed_subscriber(c5_emulator, tenant)
    new = dict(sip_username="10002", customer="cust-1", sip_password="Sip-Secret-10002", primary_number="+43 9876 10002")
    run = runner.run([
        may_fail(task("malformed number", **but(new, primary_number="+43 98x6 10002"))),
        may_fail(task("unknown country code", **but(new, primary_number="+999 1 2"))),
        may_fail(task("unknown customer", **but(new, customer="no-such-customer"))),
        may_fail(task("unknown domain", **but(new, domain="nowhere.example.com"))),
        may_fail(task("lock 0", **but(new, lock=0))),
        may_fail(task("lock word", **but(new, lock="high"))),
        may_fail(task("lock none locked", **but(new, lock="none", status="locked"))),
        may_fail(task("alias is primary", **but(new, alias_numbers=["+43 9876 10002"]))),
        may_fail(task("alias twice", **but(new, alias_numbers=["+43 9877 10002", {"cc": 43, "ac": "9877", "sn": "10002"}]))),
        may_fail(task("other customer", sip_username="10001", customer="cust-2", lock=3)),
        may_fail(task("case", sip_username="ABC", customer="cust-1", sip_password="Sip-Secret-abc", primary_number="+43 9876 20002")),
        may_fail(task("no customer", sip_username="10003", sip_password="Sip-Secret-10003", primary_number="+43 9876 10003")),
        may_fail(task("administrative type", **but(new, administrative="maybe"))),
    ])
    expected = {
        "malformed number": "primary_number: '+43 98x6 10002' is not a valid number (only digits, an optional leading '+' and the separators",
        "unknown country code": "primary_number: '+999 1 2' is not a valid number ('999' is not an ITU country code)",
        "unknown customer": "customer: no customer with external_id 'no-such-customer' exists (terminated ones do not count); "
                            "create it first (voip.provisioning.c5_customer) or give customer_id",
        "unknown domain": "domain: no domain 'nowhere.example.com' exists; create it first (voip.provisioning.c5_domain) or correct the name",
        "lock 0": "lock: 0 is not a lock level on the C5 (its API rejects it); use lock: none to remove a lock",
        "lock word": "lock: 'high' is not a lock level; use 1 (foreign)",
        "lock none locked": "lock: none contradicts status: locked",
        "alias is primary": "alias_numbers: 43987610002 is also the primary_number",
        "alias twice": "are the same number (+43 9877 10002)",
        "other customer": "belongs to customer %d, not to customer %d; the C5 cannot move a subscriber" % (tenant["cust-1"], tenant["cust-2"]),
        "case": "subscriber ABC@%s does not exist, but abc@%s (id %d) does" % (DOMAIN, DOMAIN, lower_case_twin),
        "no customer": "subscriber 10003@%s does not exist; to create it set customer (its external_id) or customer_id" % DOMAIN,
        "administrative type": "argument 'administrative' is of type str",
    }
    assert set(expected) == {r["task"] for r in run.results}
    for name, text in expected.items():
        assert run.status(name) == "failed", name
        assert text in run.task(name)["msg"], (name, run.task(name)["msg"])
    assert writes(c5_emulator) == []


def test_server_rejection_is_reported_with_method_path_status_and_message(runner, c5_emulator, tenant):
    subscriber_id = seed_subscriber(c5_emulator, tenant)
    seed_subscriber(c5_emulator, tenant, username="10002")
    run = runner.run([
        may_fail(task("duplicate number", sip_username="10003", customer="cust-1", sip_password="Sip-Secret-10003",
                      primary_number="+43 9876 10001")),
        may_fail(task("alias taken", sip_username="10001", alias_numbers=["+43 9876 10002"])),
        # An entry without its own password must not fall back to the task's password (the API login).
        may_fail(task("entry without password", customer="cust-1", items=[{"username": "10004", "primary_number": "+43 9876 10004"}])),
    ])
    assert run.status("duplicate number") == "failed"
    assert run.task("duplicate number")["msg"] == "POST /api/subscribers/ failed: HTTP 422: Number '43-9876-10001' already exists."
    assert run.status("alias taken") == "failed"
    assert run.task("alias taken")["msg"] == "PUT /api/subscribers/%d failed: HTTP 422: Number '43987610002' already exists." % subscriber_id
    no_password = run.task("entry without password")
    assert no_password["summary"] == {"total": 1, "changed": 0, "failed": 1}
    assert no_password["results"][0]["msg"].startswith("POST /api/subscribers/ failed: HTTP 422: Validation failed. field='password'")
    assert [(w["method"], w["status"]) for w in writes(c5_emulator)] == [("POST", 422), ("PUT", 422), ("POST", 422)]
    assert "password" not in writes(c5_emulator)[2]["body"]
    assert api(c5_emulator, "GET", "/api/subscribers/?username=10003")[1]["total_count"] == 0
    assert len(stored(c5_emulator, subscriber_id)["alias_numbers"]) == 2


def test_bulk_items_create_per_item_and_rerun_reads_by_listing(runner, c5_emulator, tenant):
    items = [{"username": "2%04d" % n, "password": "Sip-Secret-2%04d" % n, "primary_number": "+43 9876 2%04d" % n}
             for n in range(20)]
    items[7]["primary_number"] = "+43 9876 2000x"
    # continue_on_error: the invalid entry fails, the others are created (the default,
    # nothing applied, is in test_c5_input_validation.py).
    bulk = may_fail(task("bulk", customer="cust-1", items=items, continue_on_error=True))
    first = runner.run([bulk])
    result = first.task("bulk")
    assert first.status("bulk") == "failed"
    assert result["summary"] == {"total": 20, "changed": 19, "failed": 1}
    assert [r["item"] for r in result["results"]] == ["username=%s, domain=%s" % (i["username"], DOMAIN) for i in items]
    bad = result["results"][7]
    assert bad["failed"] is True and bad["changed"] is False
    assert "primary_number: '+43 9876 2000x' is not a valid number" in bad["msg"]
    assert result["msg"].startswith("1 of 20 items failed; first error: primary_number: '+43 9876 2000x'")
    for number, (item, outcome) in enumerate(zip(items, result["results"])):
        if number != 7:
            assert outcome["changed"] is True and "failed" not in outcome, outcome
            assert (outcome["subscriber"]["username"], outcome["subscriber"]["password"]) == (item["username"], "********")
    posts = writes(c5_emulator)
    assert {w["method"] + " " + w["path"] for w in posts} == {"POST /api/subscribers/"}
    # Each entry's own username/password, never the API login of the task.
    assert sorted((w["body"]["username"], w["body"]["password"]) for w in posts) == sorted(
        (i["username"], i["password"]) for n, i in enumerate(items) if n != 7)
    listing = api(c5_emulator, "GET", "/api/subscribers/?customer_id=%d&rows=100" % tenant["cust-1"])[1]
    assert listing["total_count"] == 19

    c5_emulator.clear_requests()
    again = runner.run([bulk])
    result = again.task("bulk")
    assert result["summary"] == {"total": 20, "changed": 0, "failed": 1}
    assert all(r["changed"] is False for r in result["results"])
    assert writes(c5_emulator) == []
    reads = [r["path"] for r in c5_emulator.requests() if r["method"] == "GET"]
    # The customer's subscribers are listed, not looked up one by one.
    assert len(reads) < 10, reads
    assert not [path for path in reads if "username=" in path]


def comparable(result):
    """A task result without what legitimately differs between two runs."""
    result = dict(result)
    for volatile in ("invocation", "_ansible_no_log", "warnings", "deprecations"):
        result.pop(volatile, None)
    if "subscriber" in result:
        result["subscriber"] = {k: v for k, v in result["subscriber"].items() if k not in ("uuid", "create_timestamp", "modify_timestamp")}
    return result


def test_in_process_and_on_target_runs_return_the_same(runner, c5_emulator, tenant):
    create_args = dict(sip_username="10001", customer="cust-1", sip_password="Sip-Secret-10001", webpassword="Web-Secret-10001",
                       primary_number="+43 9876 10001", alias_numbers=["+43 9877 10001"], external_id="ext-1")
    update_args = dict(sip_username="10001", alias_numbers=["+43 9878 10001", "+43 9877 10001"], lock="2")
    tasks = [task("create", **create_args), task("update", **update_args), task("again", **update_args),
             may_fail(task("error", sip_username="10002", customer="cust-1", primary_number="+43 98x6 1"))]
    local = runner.run(tasks, in_process=True)
    local_writes = [(w["method"], w["path"], w["body"]) for w in writes(c5_emulator)]
    c5_emulator.reset()
    assert make_tenant(c5_emulator) == tenant
    remote = runner.run(tasks, in_process=False)
    assert local.returncode == remote.returncode == 0, remote.stdout
    for name in ("create", "update", "again", "error"):
        assert local.status(name) == remote.status(name), name
        assert comparable(local.task(name)) == comparable(remote.task(name)), name
    assert [local.task(n)["changed"] for n in ("create", "update", "again")] == [True, True, False]
    assert [(w["method"], w["path"], w["body"]) for w in writes(c5_emulator)] == local_writes
