# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_info against the C5 emulator: filters, one item by id, a missing id, paging
through a collection page by page, limit, the preference definitions document,
call forward items (which have no id in the API), errors, and check mode."""

from conftest import writes

DOMAIN = "sip.info.example.com"
CUSTOMER = "cust-info"


def info(name, **args):
    return {"name": name, "voip.provisioning.c5_info": args}


def failing(name, **args):
    return dict(info(name, **args), ignore_errors=True)


def setup_tasks(count):
    """Domain, contact, customer and ``count`` subscribers created by one items task."""
    return [
        {"name": "setup domain", "voip.provisioning.c5_domain": {"domain": DOMAIN, "reseller": 1}},
        {"name": "setup contact", "voip.provisioning.c5_customer_contact": {"email": "info@example.com", "reseller": 1}},
        {"name": "setup customer", "voip.provisioning.c5_customer": {
            "external_id": CUSTOMER, "contact": "info@example.com", "reseller": 1, "billing_profile": "default"}},
        {"name": "setup subscribers", "voip.provisioning.c5_subscriber": {
            "domain": DOMAIN, "customer": CUSTOMER, "workers": 4,
            "items": [{"username": "user%02d" % number, "password": "Sip-%02d-Pass-1" % number, "primary_number": "+43 9876 %d" % (10000 + number)}
                      for number in range(1, count + 1)]}},
    ]


def gets(emulator, prefix):
    return [r["path"] for r in emulator.requests() if r["method"] == "GET" and r["path"].startswith(prefix)]


def test_filter_item_by_id_missing_id_and_definitions(runner, c5_emulator):
    run = runner.run([
        info("by handle", resource="billingprofiles", filters={"handle": "default"}),
        info("by id", resource="billingprofiles", id=1),
        info("missing", resource="billingprofiles", id=999),
        info("reseller", resource="resellers", id=1),
        info("defs", resource="subscriberpreferencedefs"),
    ])
    assert run.returncode == 0, run.stdout
    by_handle = run.task("by handle")
    assert by_handle["changed"] is False
    assert [(p["id"], p["handle"], p["reseller_id"]) for p in by_handle["items"]] == [(1, "default", 1)]
    assert by_handle["count"] == 1 and by_handle["total_count"] == 1
    assert "_links" not in by_handle["items"][0]
    by_id = run.task("by id")
    assert by_id["found"] is True and by_id["item"]["handle"] == "default" and by_id["items"] == [by_id["item"]]
    assert by_id["item"] == by_handle["items"][0]
    missing = run.task("missing")
    assert run.status("missing") == "ok"
    assert (missing["found"], missing["item"], missing["items"], missing["count"]) == (False, None, [], 0)
    assert run.task("reseller")["item"]["name"] == "default"
    defs = run.task("defs")
    assert defs["found"] is True and defs["count"] == 1
    assert defs["item"]["block_in_list"]["data_type"] == "string" and defs["item"]["concurrent_max"]["data_type"] == "int"
    assert "_links" not in defs["item"]
    assert gets(c5_emulator, "/api/billingprofiles") == [
        "/api/billingprofiles/?handle=default&page=1&rows=100", "/api/billingprofiles/1", "/api/billingprofiles/999"]
    assert writes(c5_emulator) == []


def test_paging_reads_every_page_and_limit_stops_early(runner, c5_emulator):
    run = runner.run(setup_tasks(25) + [
        info("all", resource="subscribers", filters={"domain": DOMAIN}, page_size=10),
        info("limit 12", resource="subscribers", filters={"domain": DOMAIN, "order_by": "id"}, page_size=10, limit=12),
        info("limit 5", resource="subscribers", filters={"domain": DOMAIN, "order_by": "id"}, page_size=10, limit=5),
        info("one full page", resource="subscribers", filters={"domain": DOMAIN, "status": "active"}, page_size=25),
        info("callforwards", resource="callforwards", limit=3),
    ])
    assert run.returncode == 0, run.stdout
    everything = run.task("all")
    assert everything["count"] == 25 and everything["total_count"] == 25
    assert sorted(s["username"] for s in everything["items"]) == ["user%02d" % n for n in range(1, 26)]
    assert len(set(s["id"] for s in everything["items"])) == 25
    assert all("_links" not in s for s in everything["items"])
    # 25 rows at 10 a page: exactly 3 requests, page by page.
    listing = "/api/subscribers/?domain=%s" % DOMAIN
    assert gets(c5_emulator, listing + "&page=") == [listing + "&page=%d&rows=10" % n for n in (1, 2, 3)]
    limited = run.task("limit 12")
    assert [s["id"] for s in limited["items"]] == sorted(s["id"] for s in everything["items"])[:12]
    assert limited["count"] == 12 and limited["total_count"] == 25
    assert gets(c5_emulator, listing + "&order_by=id") == [listing + "&order_by=id&page=%d&rows=10" % n for n in (1, 2)] + \
        [listing + "&order_by=id&page=1&rows=5"]
    assert run.task("limit 5")["count"] == 5
    # Exactly one full page: no request for an empty next page.
    assert run.task("one full page")["count"] == 25
    assert gets(c5_emulator, listing + "&status=active") == [listing + "&status=active&page=1&rows=25"]
    # Call forward items carry no id in the API: the module adds it from the item's link.
    cfs = run.task("callforwards")["items"]
    assert len(cfs) == 3 and all(isinstance(c["id"], int) and "_links" not in c for c in cfs)
    assert sorted(cfs[0]) == sorted(["id", "cfu", "cfb", "cft", "cfna", "cfs", "cfr", "cfo"])


def test_errors_name_the_problem(runner, c5_emulator):
    run = runner.run([
        failing("unknown resource", resource="nosuchthings"),
        failing("unknown resource by id", resource="nosuchthings", id=1),
        failing("bad name", resource="sub/scribers"),
        failing("reserved filter", resource="subscribers", filters={"page": 2}),
        failing("bad limit", resource="subscribers", limit=0),
        failing("defs by id", resource="subscriberpreferencedefs", id=1),
    ])
    names = ("unknown resource", "unknown resource by id", "bad name", "reserved filter", "bad limit", "defs by id")
    assert [run.status(n) for n in names] == ["failed"] * len(names)
    msg = dict((n, run.task(n)["msg"]) for n in names)
    assert "resource 'nosuchthings': the C5 has no collection /api/nosuchthings/ (HTTP 404 Path not found); check the name" in msg["unknown resource"]
    assert "resource 'nosuchthings': the C5 has no /api/nosuchthings/" in msg["unknown resource by id"]
    assert "resource must be a C5 collection name such as subscribers or billingprofiles" in msg["bad name"] and "'sub/scribers'" in msg["bad name"]
    assert "filters: 'page' is set by the module; use limit (and page_size) instead" in msg["reserved filter"]
    assert "limit must be 1 or more, not 0" in msg["bad limit"]
    assert "subscriberpreferencedefs is a single document without items; omit id" in msg["defs by id"]
    # Bad input is refused before any request; only the two unknown-resource tasks asked.
    assert [r["path"] for r in c5_emulator.requests()] == ["/api/nosuchthings/?page=1&rows=100", "/api/nosuchthings/1"]


def test_check_mode_still_returns_data(runner, c5_emulator):
    run = runner.run([
        info("by handle", resource="billingprofiles", filters={"handle": "default"}),
        info("by id", resource="resellers", id=1),
    ], check=True)
    assert run.returncode == 0, run.stdout
    result = run.task("by handle")
    assert result["changed"] is False
    assert [p["handle"] for p in result["items"]] == ["default"]
    by_id = run.task("by id")
    assert by_id["found"] is True and by_id["item"]["name"] == "default"
    assert gets(c5_emulator, "/api/") == ["/api/billingprofiles/?handle=default&page=1&rows=100", "/api/resellers/1"]
    assert writes(c5_emulator) == []


def test_secrets_are_masked_unless_asked_for(runner, c5_emulator):
    """Issue 10: c5_info returned the subscribers' SIP passwords in clear (and the role's
    purge step printed them at -v). Every returned object is masked; show_secrets asks."""
    run = runner.run(setup_tasks(2) + [
        {"name": "peer pass", "voip.provisioning.c5_subscriber_preferences": {
            "sip_username": "user01", "domain": DOMAIN, "preferences": {"peer_auth_pass": "Peer-Secret-1"}}},
        info("masked", resource="subscribers", filters={"domain": DOMAIN, "order_by": "id"}),
        info("masked prefs", resource="subscriberpreferences", filters={"order_by": "id"}),
        info("in clear", resource="subscribers", filters={"domain": DOMAIN, "order_by": "id"}, show_secrets=True),
    ])
    assert run.returncode == 0, run.stdout
    masked = run.task("masked")["items"]
    assert [s["password"] for s in masked] == ["********", "********"]
    assert "Sip-01-Pass-1" not in repr(run.task("masked")) and "Peer-Secret-1" not in repr(run.task("masked prefs"))
    prefs = [p for p in run.task("masked prefs")["items"] if "peer_auth_pass" in p]
    assert [p["peer_auth_pass"] for p in prefs] == ["********"]
    # (bulk creates run concurrently: the ids do not follow the user names)
    assert sorted(s["password"] for s in run.task("in clear")["items"]) == ["Sip-01-Pass-1", "Sip-02-Pass-1"]
