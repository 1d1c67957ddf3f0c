# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_customer and billing profile schedules (issue 10 section 4): a promotional profile
for a month, created with billing_profile_definition "profiles"; compared as the C5
returns it (the intervals still to come), so a re-run writes nothing, also once the
promotion has started and the C5 shows its profile as billing_profile_id; a changed
schedule replaces only the intervals still to come; bad intervals fail before any write."""

from conftest import writes

from test_c5_customer import contact, create, stored, task

FEB = {"profile": "promo", "start": "2030-02-01", "stop": "2030-03-01 00:00:00"}
APRIL = {"profile": "promo", "start": "2030-04-01 00:00", "stop": "2030-05-01"}


def customer_task(name, **args):
    base = {"external_id": "cust-s", "contact": "john.doe@example.com", "reseller": 1, "billing_profile": "default"}
    base.update(args)
    return task(name, **base)


def failing(name, **args):
    return dict(customer_task(name, **args), ignore_errors=True)


def customer_writes(emulator):
    return [(w["method"], w["body"]) for w in writes(emulator) if w["path"].startswith("/api/customers/")]


def test_a_promotional_profile_for_a_month(runner, c5_emulator):
    c5_emulator.set_clock("2030-01-01T00:00:00Z", freeze=True)
    promo = create(c5_emulator, "billingprofiles", handle="promo", name="Promo", reseller_id=1)
    contact(c5_emulator)
    c5_emulator.clear_requests()
    run = runner.run([
        failing("stop without start", billing_profiles=[{"profile": "promo", "stop": "2030-03-01"}]),
        failing("start after stop", billing_profiles=[{"profile": "promo", "start": "2030-03-01", "stop": "2030-02-01"}]),
        failing("not a time", billing_profiles=[{"profile": "promo", "start": "next monday"}]),
        failing("unknown profile", billing_profiles=[{"profile": "gold", "start": "2030-02-01"}]),
        customer_task("create", billing_profiles=[FEB]),
        customer_task("again", billing_profiles=[dict(FEB, start="2030-02-01 00:00:00")]),
    ])
    assert [run.status(n) for n in ("stop without start", "start after stop", "not a time", "unknown profile")] == ["failed"] * 4
    assert "billing_profiles[1]: an interval with a stop needs a start" in run.task("stop without start")["msg"]
    assert "billing_profiles[1]: start 2030-03-01 00:00:00 must be before stop 2030-02-01 00:00:00" in run.task("start after stop")["msg"]
    assert "billing_profiles[1].start: 'next monday' is not a time; give YYYY-MM-DD HH:MM:SS" in run.task("not a time")["msg"]
    assert "billing_profiles[1].profile: no billing profile with handle 'gold'" in run.task("unknown profile")["msg"]
    assert [run.task(n)["changed"] for n in ("create", "again")] == [True, False]
    posts = customer_writes(c5_emulator)
    assert [m for m, _b in posts] == ["POST"]
    assert posts[0][1]["billing_profile_definition"] == "profiles" and "billing_profile_id" not in posts[0][1]
    assert posts[0][1]["billing_profiles"] == [
        {"profile_id": 1}, {"profile_id": promo, "start": "2030-02-01 00:00:00", "stop": "2030-03-01 00:00:00"}]
    customer_id = run.task("create")["customer"]["id"]
    body = stored(c5_emulator, "customers", customer_id)
    assert body["billing_profile_id"] == 1
    assert [(m["profile_id"], m["start"], m["stop"]) for m in body["billing_profiles"]] == [
        (promo, "2030-02-01 00:00:00", "2030-03-01 00:00:00")]

    # The promotion runs: the C5 shows its profile and no longer lists it as to come.
    c5_emulator.set_clock("2030-02-15T00:00:00Z", freeze=True)
    c5_emulator.clear_requests()
    run = runner.run([
        customer_task("during the promotion", billing_profiles=[FEB]),
        customer_task("another month", billing_profiles=[FEB, APRIL]),
        customer_task("another month again", billing_profiles=[FEB, APRIL]),
        customer_task("no more to come", billing_profiles=[FEB]),
    ])
    assert run.returncode == 0, run.stdout
    assert [run.task(n)["changed"] for n in ("during the promotion", "another month", "another month again",
                                             "no more to come")] == [False, True, False, True]
    puts = customer_writes(c5_emulator)
    assert [m for m, _b in puts] == ["PUT", "PUT"]
    # Only the interval still to come is sent; the running one is history the C5 keeps.
    assert puts[0][1]["billing_profile_definition"] == "profiles" and "billing_profile_id" not in puts[0][1]
    assert puts[0][1]["billing_profiles"] == [{"profile_id": promo, "start": "2030-04-01 00:00:00", "stop": "2030-05-01 00:00:00"}]
    assert puts[1][1]["billing_profiles"] == []
    body = stored(c5_emulator, "customers", customer_id)
    assert body["billing_profile_id"] == promo and body["billing_profiles"] == []
    assert [(m["profile_id"], m["start"]) for m in body["all_billing_profiles"]] == [(1, None), (promo, "2030-02-01 00:00:00")]
