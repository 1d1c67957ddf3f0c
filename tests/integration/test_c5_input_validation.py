# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input that cannot be misread: checked with the C5's rules before any request
(the emulator's request log stays empty), with a message naming the field and the
fix; national numbers only with default_cc / default_ac; a bulk task with an
invalid entry applies nothing by default, and the valid entries with
continue_on_error."""

from conftest import api, may_fail, writes
from test_c5_subscriber import DOMAIN, make_tenant


def subscriber(name, **args):
    args.setdefault("domain", DOMAIN)
    return may_fail({"name": name, "voip.provisioning.c5_subscriber": args})


def contact(name, **args):
    args.setdefault("reseller", 1)
    return may_fail({"name": name, "voip.provisioning.c5_customer_contact": args})


def domain(name, **args):
    args.setdefault("reseller", 1)
    return may_fail({"name": name, "voip.provisioning.c5_domain": args})


AMBIGUOUS = ("primary_number: '5550002' is ambiguous: a number without '+' or '00' is a local number in some area; "
             "write it in E.164 ('+<country code> <area code> <number>', for example '+43 1 5550002'), or set "
             "default_cc and default_ac (task or entry of items) to say which country and area it belongs to")


def test_invalid_input_fails_before_any_request_naming_the_field_and_the_fix(runner, c5_emulator):
    items = [{"username": "a1", "password": "Sip-Pass-a1", "primary_number": "+43 1 5550001"},
             {"username": "a2", "password": "Sip-Pass-a2", "primary_number": "5550002"},
             {"username": "a3", "password": "Sip-Pass-a3", "primary_number": "+43 1 5550003"}]
    run = runner.run([
        subscriber("national number", sip_username="b1", customer="cust-1", sip_password="Sip-Pass-b1",
                   primary_number="5550002"),
        subscriber("bulk", customer="cust-1", items=items),
        subscriber("bad zone", sip_username="b2", customer="cust-1", timezone="Europe/Viena"),
        subscriber("bad subscriber e-mail", sip_username="b3", customer="cust-1", email="b3@localhost"),
        subscriber("default_ac alone", sip_username="b4", customer="cust-1", default_ac="01", primary_number="5550004"),
        contact("country name", email="anna@example.com", country="Austria"),
        contact("bad e-mail", email="anna(at)example.com"),
        contact("unknown zone", email="anna@example.com", timezone="Mars/Olympus"),
        domain("domain list", domain=["a.example.com", "b.example.com"]),
        domain("malformed domain", domain="sip..example.com"),
    ])
    assert c5_emulator.requests() == []  # not even a read

    assert run.status("national number") == "failed"
    assert run.task("national number")["msg"] == AMBIGUOUS

    bulk = run.task("bulk")
    assert run.status("bulk") == "failed"
    assert bulk["msg"] == ("1 of 3 items is invalid, so nothing was applied (no request was sent; fix it, or set "
                           "continue_on_error: true to apply the valid ones); item 1 (username=a2, domain=%s): %s"
                           % (DOMAIN, AMBIGUOUS))
    assert bulk["summary"] == {"total": 3, "changed": 0, "failed": 1, "not_applied": 2}
    reason = "not applied: item 1 (username=a2, domain=%s) is invalid" % DOMAIN
    assert bulk["results"] == [
        {"changed": None, "msg": reason, "item": "username=a1, domain=%s" % DOMAIN},
        {"changed": False, "failed": True, "msg": AMBIGUOUS, "item": "username=a2, domain=%s" % DOMAIN},
        {"changed": None, "msg": reason, "item": "username=a3, domain=%s" % DOMAIN},
    ]

    assert run.task("bad zone")["msg"] == (
        "timezone: 'Europe/Viena' is not a time zone the C5 knows; give a tz database name such as 'Europe/Vienna' "
        "(did you mean 'Europe/Vienna'?), or an empty string to inherit the zone")
    assert run.task("bad subscriber e-mail")["msg"] == (
        "email: 'b3@localhost' is not an e-mail address (the domain after the '@' must be a full domain name such as "
        "example.com); give an address such as someuser@example.com")
    assert run.task("default_ac alone")["msg"] == (
        "default_ac: '01' starts with the trunk prefix 0; give the area code without it ('1')")
    assert run.task("country name")["msg"] == (
        "country: 'Austria' is not a country code (a country name is not accepted); give the two-letter ISO 3166-1 "
        "code, for example 'AT' for Austria, 'DE' for Germany, 'GB' for the United Kingdom")
    assert run.task("bad e-mail")["msg"] == (
        "email: 'anna(at)example.com' is not an e-mail address (it has no '@'); give an address such as "
        "someuser@example.com")
    assert run.task("unknown zone")["msg"] == (
        "timezone: 'Mars/Olympus' is not a time zone the C5 knows; give a tz database name such as 'Europe/Vienna', "
        "or an empty string to inherit the zone")
    assert run.task("domain list")["msg"] == (
        "domain: \"['a.example.com', 'b.example.com']\" is a list, but domain names one domain; give one name "
        "(use items, one entry per domain, for several)")
    assert run.task("malformed domain")["msg"] == (
        "domain: 'sip..example.com' is not a SIP domain (an empty label (two dots in a row, or a leading dot)); give "
        "a host name such as sip.example.com, an IPv4 address or an IPv6 address in brackets ([2001:db8::1])")
    for name in ("bad zone", "bad subscriber e-mail", "default_ac alone", "country name", "bad e-mail", "unknown zone",
                 "domain list", "malformed domain"):
        assert run.status(name) == "failed", name


def test_national_numbers_with_default_cc_and_ac_and_continue_on_error(runner, c5_emulator):
    tenant = make_tenant(c5_emulator)
    items = [{"username": "c1", "password": "Sip-Pass-c1", "primary_number": "5550011", "alias_numbers": ["01 5550111"]},
             {"username": "c2", "password": "Sip-Pass-c2", "primary_number": "+28 1 5550012"},
             {"username": "c3", "password": "Sip-Pass-c3", "primary_number": "0316 5550013"},
             {"username": "c4", "password": "Sip-Pass-c4", "primary_number": "12", "default_cc": 28}]
    run = runner.run([
        subscriber("bulk", customer="cust-1", default_cc=43, default_ac=1, items=items, continue_on_error=True),
        contact("lower-case country", email="anna@example.com", country="at", timezone="default"),
    ])
    bulk = run.task("bulk")
    assert run.status("bulk") == "failed"
    assert bulk["summary"] == {"total": 4, "changed": 2, "failed": 2}
    assert [r.get("failed", False) for r in bulk["results"]] == [False, True, False, True]
    assert bulk["results"][1]["msg"].startswith("primary_number: '+28 1 5550012' is not a valid number ('28' is not an ITU")
    assert bulk["results"][3]["msg"].startswith("default_cc: '28' is not an ITU country code")
    posted = dict((w["body"]["username"], (w["body"]["primary_number"], w["body"].get("alias_numbers")))
                  for w in writes(c5_emulator) if w["path"] == "/api/subscribers/")
    assert posted["c1"] == ({"cc": 43, "ac": "1", "sn": "5550011"}, [{"cc": 43, "ac": "1", "sn": "5550111", "is_devid": False}])
    assert posted["c3"] == ({"cc": 43, "ac": "316", "sn": "5550013"}, None)
    assert sorted(posted) == ["c1", "c3"]
    listing = api(c5_emulator, "GET", "/api/subscribers/?customer_id=%d" % tenant["cust-1"])[1]
    assert listing["total_count"] == 2

    assert run.status("lower-case country") == "ok"
    post = [w for w in writes(c5_emulator) if w["path"] == "/api/customercontacts/"]
    assert [(w["body"]["country"], w["body"].get("timezone")) for w in post] == [("AT", None)]


def test_the_tenant_role_takes_national_numbers_with_its_default_cc_and_ac(runner, c5_emulator):
    tenant = {"domain": "tenant.example.com", "reseller": 1, "default_cc": 43, "default_ac": 720,
              "contact": {"email": "office@tenant.example.com", "country": "at"},
              "customer": {"external_id": "tenant-1"},
              "subscribers": [{"username": "t1", "password": "Sip-Pass-t1", "primary_number": "200001",
                               "alias_numbers": ["0316 200101"]},
                              {"username": "t2", "password": "Sip-Pass-t2", "primary_number": "0662 200002",
                               "default_ac": 662}]}
    role = {"name": "tenant", "ansible.builtin.include_role": {"name": "voip.provisioning.c5_tenant"},
            "vars": {"c5_tenant": tenant, "c5_connection": runner.connection()}}
    run = runner.run([role])
    assert run.returncode == 0, run.stdout[-3000:]
    subscribers = [r for r in run.results if r["task"].endswith("Ensure the subscribers with their call forwards and preferences")]
    assert [r["result"].get("summary") for r in subscribers] == [{"total": 2, "changed": 2, "failed": 0}], subscribers
    posted = dict((w["body"]["username"], (w["body"]["primary_number"], w["body"].get("alias_numbers")))
                  for w in writes(c5_emulator) if w["path"] == "/api/subscribers/")
    assert posted == {"t1": ({"cc": 43, "ac": "720", "sn": "200001"}, [{"cc": 43, "ac": "316", "sn": "200101", "is_devid": False}]),
                      "t2": ({"cc": 43, "ac": "662", "sn": "200002"}, None)}
    contacts = [w["body"] for w in writes(c5_emulator) if w["path"] == "/api/customercontacts/"]
    assert [c["country"] for c in contacts] == ["AT"]
