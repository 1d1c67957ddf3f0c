# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vtx_server_info, vtx_user_feature and vtx_subscription run as real playbooks
against the VTX emulator: results, the emulator's request log (writes, none on a
second run or in check mode) and the state the API returns afterwards."""

import re

import pytest

from conftest import Runner, may_fail
from voip_emulator.vtx import testing as vtx_testing
from voip_emulator.vtx.testing import LOGIN, PASSWORD, APPLICATION, api_session, set_server

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
DAY = 24 * 3600
DIRECTORY = [
    {"login_name": "+41225662194@m.ipvoip.ch", "user_id": 176125},
    {"login_name": "+41225662195@m.ipvoip.ch", "number": "+41225662195", "user_id": 176129},
    {"number": "+41225662196", "user_id": 176133},
]
RECEIVER = "http://127.0.0.1:9/cdr"


class VtxRunner(Runner):
    """Runs tasks in a block whose module_defaults set the VTX connection and directory."""

    def connection(self, **extra):
        conn = {"url": self.emulator.url + "/openapi", "username": LOGIN, "password": PASSWORD,
                "service_psk": APPLICATION, "directory": DIRECTORY}
        conn.update(extra)
        return conn

    def run(self, tasks, connection=None, **kwargs):
        block = {"name": "vtx", "module_defaults": {"group/voip.provisioning.vtx": connection or self.connection()},
                 "block": tasks}
        return Runner.run(self, [block], module_defaults=False, **kwargs)


@pytest.fixture
def vtx(emulator):
    return emulator("vtx")


@pytest.fixture
def runner(vtx, tmp_path):
    return VtxRunner(vtx, tmp_path)


def api_requests(vtx):
    return [r for r in vtx.requests() if r["path"].startswith("/openapi/")]


def api_writes(vtx):
    return [(r["method"], r["path"]) for r in api_requests(vtx) if r["method"] in WRITE_METHODS]


def get(vtx, path):
    answer = api_session().get(vtx.url + "/openapi/v1" + path, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def task(name, module, **args):
    return {"name": name, "voip.provisioning.%s" % module: args}


# -- vtx_server_info ------------------------------------------------------------------------

def test_server_info_reads_the_version_and_checks_the_directory(runner, vtx):
    run = runner.run([task("info", "vtx_server_info", check_directory=True)])
    result = run.task("info")
    assert run.returncode == 0, run.stdout[-2000:]
    assert result["version"] == [7, 7, 2, 12] and result["login_names_supported"] is False
    assert result["page_size"] == 100 and result["build_date"] == "2024-05-28T15:21:44.000Z"
    assert result["directory_users"] == 3 and result["directory_checked"] is True
    assert sorted(r["path"] for r in api_requests(vtx)) == sorted(
        ["/openapi/v1/system/server"] + ["/openapi/v1/users/%d/presence" % e["user_id"] for e in DIRECTORY])
    assert all(r["auth_user"] == LOGIN for r in api_requests(vtx))


def test_server_info_explains_credentials_and_unknown_directory_ids(runner, vtx):
    run = runner.run([
        may_fail(task("wrong psk", "vtx_server_info", service_psk="00000000-0000-0000-0000-000000000000")),
        may_fail(task("wrong password", "vtx_server_info", password="nope")),
        may_fail(task("unknown id", "vtx_server_info", check_directory=True,
                      directory=[{"number": "+41225662197", "user_id": 999999}])),
        may_fail(task("other enterprise", "vtx_server_info", check_directory=True,
                      directory=[{"number": "+41215550101", "user_id": vtx_testing.OTHER_ENTERPRISE_USER}])),
        may_fail(task("bad directory", "vtx_server_info", directory=[{"number": "0225662197", "user_id": 5}])),
    ])
    # The core's 401 message (client + VtxLogin): the server's text, the login, the
    # auth method, what to check (service_psk too: VTX answers 401 for either) and
    # the URL; the PSK itself never.  The requestId is random per answer.
    hint = ("Authentication failed for login '%s' with basic auth: check username, password and service_psk (the "
            "X-C5-Application value VTX support issued) (url %s/openapi)" % (LOGIN, vtx.url))
    assert re.sub(r"requestId [0-9a-f]{8}", "requestId ID", run.task("wrong psk")["msg"]) == (
        "GET v1/system/server failed: HTTP 401: Missing or unknown X-C5-Application header (requestId ID). " + hint)
    assert re.sub(r"requestId [0-9a-f]{8}", "requestId ID", run.task("wrong password")["msg"]) == (
        "GET v1/system/server failed: HTTP 401: Full authentication is required to access this resource "
        "(requestId ID). " + hint)
    assert "knows no user id 999999 (+41225662197)" in run.task("unknown id")["msg"]
    assert "another enterprise" in run.task("other enterprise")["msg"]
    assert "directory[0]: number: '0225662197' is not a number in E.164 form" in run.task("bad directory")["msg"]


def test_server_info_unreachable_names_url_login_and_allow_list(runner, vtx):
    # A source address VTX has not allow-listed: the connection is dropped, no HTTP answer.
    vtx.add_fault(kind="drop", path_regex="/system/server", count=None)
    run = runner.run([may_fail(task("down", "vtx_server_info", url="http://127.0.0.1:9/openapi", retries=0)),
                      may_fail(task("dropped", "vtx_server_info", retries=0))])
    # The core's messages (client + VtxDialect): URL, cause, what to check and the
    # login; a dropped connection adds VTX's allow-list (spec trap 9), a refusal not.
    assert run.task("down")["msg"] == (
        "GET v1/system/server failed: cannot reach http://127.0.0.1:9/openapi: connection refused on port 9. Check the "
        "port in url and that the API service runs there (VTX OpenAPI, login '%s' with basic auth)" % LOGIN)
    assert run.task("dropped")["msg"] == (
        "GET v1/system/server failed: cannot reach %s/openapi: the server closed the connection without an answer. If "
        "port %s speaks HTTPS, use https:// in url; else a firewall or the platform's allow-list may drop this "
        "machine. VTX answers allow-listed source addresses only (Swiss and French IPs by default): a dropped "
        "connection is the symptom of a missing entry - ask VTX support to allow-list this host's public IP (VTX "
        "OpenAPI, login '%s' with basic auth)" % (vtx.url, vtx.url.rsplit(":", 1)[1], LOGIN))


# -- vtx_user_feature -----------------------------------------------------------------------

CFU = dict(user="+41225662194", type="CFU", active=True, destination="+41791234567", scope="EXTERNAL")


def feature(vtx, user_id, feature_type):
    return get(vtx, "/users/%d/features/%s" % (user_id, feature_type))["feature"]


def test_feature_set_idempotent_update_check_mode_and_reset(runner, vtx):
    run = runner.run([task("set", "vtx_user_feature", **CFU)])
    result = run.task("set")
    assert result["changed"] is True
    assert result["diff"]["before"] == {"active": False, "destination": None, "scope": "ALL"}
    assert result["diff"]["after"] == {"active": True, "destination": "+41791234567", "scope": "EXTERNAL"}
    assert feature(vtx, 176125, "CFU") == {"type": "CFU", "active": True, "destination": "+41791234567", "scope": "EXTERNAL"}
    assert api_writes(vtx) == [("PUT", "/openapi/v1/users/176125/features/CFU")]

    vtx.clear_requests()
    run = runner.run([task("again", "vtx_user_feature", **CFU)])
    assert run.task("again")["changed"] is False and api_writes(vtx) == []

    cfu_all = dict(CFU)
    cfu_all["scope"] = "ALL"
    run = runner.run([task("check", "vtx_user_feature", **cfu_all)], check=True)
    assert run.task("check")["changed"] is True and run.task("check")["diff"]["after"]["scope"] == "ALL"
    assert api_writes(vtx) == [] and feature(vtx, 176125, "CFU")["scope"] == "EXTERNAL"

    run = runner.run([task("scope only", "vtx_user_feature", user="+41225662194@m.ipvoip.ch", type="CFU", scope="ALL")])
    assert run.task("scope only")["changed"] is True, run.task("scope only")
    assert feature(vtx, 176125, "CFU") == {"type": "CFU", "active": True, "destination": "+41791234567", "scope": "ALL"}

    vtx.clear_requests()
    run = runner.run([task("reset", "vtx_user_feature", user="176125", type="CFU", state="absent"),
                      task("reset again", "vtx_user_feature", user="176125", type="CFU", state="absent")])
    assert run.task("reset")["changed"] is True and run.task("reset again")["changed"] is False
    assert api_writes(vtx) == [("DELETE", "/openapi/v1/users/176125/features/CFU")]
    assert feature(vtx, 176125, "CFU") == {"type": "CFU", "active": False, "destination": None, "scope": "ALL"}


def test_feature_items_many_users_in_one_task(runner, vtx):
    items = [
        {"user": "+41225662195", "type": "DND", "active": True},
        {"user": "+41225662196", "type": "CFNR", "active": True, "destination": "201", "ring_timeout": 30},
        {"user": "+41225662194@m.ipvoip.ch", "type": "CFB", "active": True, "destination": "0791234567"},
    ]
    run = runner.run([task("bulk", "vtx_user_feature", items=items), task("bulk again", "vtx_user_feature", items=items)])
    assert run.task("bulk")["summary"] == {"total": 3, "changed": 3, "failed": 0}
    assert run.task("bulk again")["summary"] == {"total": 3, "changed": 0, "failed": 0}
    assert feature(vtx, 176129, "DND") == {"type": "DND", "active": True}
    assert feature(vtx, 176133, "CFNR")["ringTimeout"] == 30
    assert feature(vtx, 176125, "CFB")["destination"] == "0791234567"
    assert len(api_writes(vtx)) == 3


FEATURE_BAD_INPUT = [
    (dict(CFU, destination="+41 79 123 45 67"), "destination: '+41 79 123 45 67' is not a number"),
    (dict(CFU, destination="+0791234567"), "destination: '+0791234567' is not a number in E.164 form"),
    (dict(CFU, user="+41225662199"), "user: number +41225662199 is not in the directory"),
    (dict(CFU, user="nobody@m.ipvoip.ch"), "login name nobody@m.ipvoip.ch is not in the directory"),
    (dict(CFU, user="0225662194"), "user: '0225662194' looks like a national number"),
    (dict(CFU, user="999999"), "the platform knows no user id 999999"),
    (dict(CFU, ring_timeout=30), "ring_timeout applies to CFNR"),
    (dict(user="+41225662194", type="CFNR", active=True, destination="201", ring_timeout=200), "ring_timeout: 200 is out of range"),
    (dict(user="+41225662194", type="DND", active=True, destination="201"), "DND has only 'active'"),
    (dict(user="+41225662194", type="CFB", active=True), "destination is required to activate a forward"),
    (dict(user="+41225662194", type="CFB"), "set active"),
]


def test_feature_bad_input_fails_before_any_write(runner, vtx):
    # One playbook for all cases (a playbook run costs ~1.5 s).
    run = runner.run([may_fail(task("bad %d" % i, "vtx_user_feature", **args)) for i, (args, _f) in enumerate(FEATURE_BAD_INPUT)])
    for index, (_args, fragment) in enumerate(FEATURE_BAD_INPUT):
        result = run.task("bad %d" % index)
        assert run.status("bad %d" % index) == "failed" and fragment in result["msg"], result
    assert api_writes(vtx) == []


def test_feature_login_names_resolved_by_the_platform_from_7_8(runner, vtx):
    set_server(vtx.url, buildVersion="7.8.1.0")
    run = runner.run([task("by login", "vtx_user_feature", user="+41225662197@m.ipvoip.ch", type="DND", active=True)])
    assert run.task("by login")["feature"]["userId"] == 176137
    assert feature(vtx, 176137, "DND")["active"] is True


# -- vtx_subscription ---------------------------------------------------------------------------

SUBSCRIBE = dict(notification_url=RECEIVER, users=["+41225662194", "176129", "+41225662195@m.ipvoip.ch"])


def subscriptions(vtx):
    return get(vtx, "/subscriptions")["subscriptions"]


def test_subscription_create_idempotent_renew_and_recreate_after_expiry(runner, vtx):
    vtx.set_clock("2026-12-04T10:00:00Z", freeze=True)
    run = runner.run([task("create", "vtx_subscription", **SUBSCRIBE), task("again", "vtx_subscription", **SUBSCRIBE)])
    assert run.returncode == 0, run.stdout[-3000:]
    created = run.task("create")["subscription"]
    assert run.task("create")["changed"] is True and run.task("again")["changed"] is False
    assert created["userIds"] == [176125, 176129]
    # 3 days less the safety margin, by the platform's clock.
    assert created["expires"] == "2026-12-07T09:55:00Z"
    assert [s["id"] for s in subscriptions(vtx)] == [created["id"]]
    assert [m for m, _p in api_writes(vtx)] == ["POST"]

    vtx.advance_clock(int(1.5 * DAY))  # 1.5 days left: outside the 1-day margin
    vtx.clear_requests()
    run = runner.run([task("outside margin", "vtx_subscription", **SUBSCRIBE)])
    assert run.task("outside margin")["changed"] is False and api_writes(vtx) == []

    vtx.advance_clock(int(0.75 * DAY))  # 0.75 days left: renew
    run = runner.run([task("renew", "vtx_subscription", **SUBSCRIBE), task("renewed", "vtx_subscription", **SUBSCRIBE)])
    renewed = run.task("renew")
    assert renewed["changed"] is True and renewed["subscription"]["id"] == created["id"]
    assert renewed["subscription"]["expires"] == "2026-12-09T15:55:00Z"
    assert renewed["diff"]["before"]["expires"] == "2026-12-07T09:55:00.000Z"
    assert run.task("renewed")["changed"] is False
    assert api_writes(vtx) == [("PATCH", "/openapi/v1/subscriptions/" + created["id"])]

    vtx.advance_clock(4 * DAY)  # expired: the platform deleted it
    assert subscriptions(vtx) == []
    run = runner.run([task("recreate", "vtx_subscription", **SUBSCRIBE)])
    assert run.task("recreate")["changed"] is True and run.task("recreate")["subscription"]["id"] != created["id"]
    assert len(subscriptions(vtx)) == 1


def test_subscription_duplicates_removed_keeping_the_longest(runner, vtx):
    session = api_session()
    made = []
    for hours in (10, 40, 20):
        answer = session.post(vtx.url + "/openapi/v1/subscriptions", timeout=30, json={
            "expires": "%s" % __import__("voip_emulator.vtx.timefmt", fromlist=["x"]).instant(vtx.clock()["now"] + hours * 3600),
            "notificationUrl": RECEIVER, "resourceType": "CALL_LOG", "userIds": [176129, 176125]})
        made.append(answer.json()["subscription"]["id"])
    # Another URL and another user set are other subscriptions: left alone.
    other = session.post(vtx.url + "/openapi/v1/subscriptions", timeout=30, json={
        "expires": __import__("voip_emulator.vtx.timefmt", fromlist=["x"]).instant(vtx.clock()["now"] + 3600),
        "notificationUrl": RECEIVER, "resourceType": "CALL_LOG", "userIds": [176125]}).json()["subscription"]["id"]
    vtx.clear_requests()
    run = runner.run([task("check", "vtx_subscription", renew_margin=3600, **SUBSCRIBE)], check=True)
    assert run.task("check")["changed"] is True and run.task("check")["removed"] == 2 and api_writes(vtx) == []
    run = runner.run([task("dedupe", "vtx_subscription", renew_margin=3600, **SUBSCRIBE)])
    result = run.task("dedupe")
    assert result["changed"] is True and result["removed"] == 2 and result["subscription"]["id"] == made[1]
    assert sorted(api_writes(vtx)) == sorted(("DELETE", "/openapi/v1/subscriptions/" + sid) for sid in (made[0], made[2]))
    assert sorted(s["id"] for s in subscriptions(vtx)) == sorted([made[1], other])


def test_subscription_absent_and_check_mode(runner, vtx):
    run = runner.run([task("check create", "vtx_subscription", **SUBSCRIBE)], check=True)
    assert run.task("check create")["changed"] is True and api_writes(vtx) == [] and subscriptions(vtx) == []
    runner.run([task("create", "vtx_subscription", **SUBSCRIBE)])
    vtx.clear_requests()
    run = runner.run([task("check absent", "vtx_subscription", state="absent", **SUBSCRIBE)], check=True)
    assert run.task("check absent")["changed"] is True and api_writes(vtx) == []
    run = runner.run([task("absent", "vtx_subscription", state="absent", **SUBSCRIBE),
                      task("absent again", "vtx_subscription", state="absent", **SUBSCRIBE)])
    assert run.task("absent")["changed"] is True and run.task("absent again")["changed"] is False
    assert [m for m, _p in api_writes(vtx)] == ["DELETE"] and subscriptions(vtx) == []


def test_subscription_all_users_expands_the_directory(runner, vtx):
    run = runner.run([task("all", "vtx_subscription", notification_url=RECEIVER, all_users=True)])
    assert run.task("all")["subscription"]["userIds"] == [176125, 176129, 176133]


SUBSCRIPTION_BAD_INPUT = [
    (dict(SUBSCRIBE, expires="2099-01-01T00:00:00Z"), "is more than 3 days ahead of the platform's time"),
    (dict(SUBSCRIBE, expires="2020-01-01T00:00:00Z"), "is in the past"),
    (dict(SUBSCRIBE, expires="2026-12-05 10:00"), "has no UTC offset"),
    (dict(SUBSCRIBE, lifetime=259201), "lifetime: 259201 seconds is beyond what the platform grants"),
    (dict(SUBSCRIBE, lifetime=3600), "renew_margin: 86400 seconds is not shorter than the lifetime"),
    (dict(SUBSCRIBE, notification_url="ftp://crm.example.com/cdr"), "notification_url: 'ftp://crm.example.com/cdr' is not an http"),
    (dict(SUBSCRIBE, notification_url="crm.example.com/cdr"), "is not an http"),
    (dict(SUBSCRIBE, users=["nobody@m.ipvoip.ch"]), "login name nobody@m.ipvoip.ch is not in the directory"),
    (dict(SUBSCRIBE, users=["+41 22 566 21 94"]), "is not a number in E.164 form"),
    (dict(SUBSCRIBE, users=[]), "users: name at least one user"),
]


def test_subscription_bad_input_fails_before_any_write(runner, vtx):
    run = runner.run([may_fail(task("bad %d" % i, "vtx_subscription", **args)) for i, (args, _f) in enumerate(SUBSCRIPTION_BAD_INPUT)])
    for index, (_args, fragment) in enumerate(SUBSCRIPTION_BAD_INPUT):
        result = run.task("bad %d" % index)
        assert run.status("bad %d" % index) == "failed" and fragment in result["msg"], result
    assert api_writes(vtx) == []


def test_subscription_exclusive_replaces_other_user_sets_of_the_url(runner, vtx):
    runner.run([task("old set", "vtx_subscription", notification_url=RECEIVER, users=["+41225662194"])])
    other_url = runner.run([task("other url", "vtx_subscription", notification_url=RECEIVER + "/other", users=["+41225662194"])])
    kept = other_url.task("other url")["subscription"]["id"]
    old = [s["id"] for s in subscriptions(vtx) if s["notificationUrl"] == RECEIVER]
    vtx.clear_requests()
    run = runner.run([task("check", "vtx_subscription", exclusive=True, **SUBSCRIBE)], check=True)
    assert run.task("check")["removed_other"] == old and api_writes(vtx) == []
    run = runner.run([task("new set", "vtx_subscription", exclusive=True, **SUBSCRIBE),
                      task("again", "vtx_subscription", exclusive=True, **SUBSCRIBE)])
    assert run.task("new set")["removed_other"] == old and run.task("again")["changed"] is False
    assert run.task("again")["removed_other"] == []
    assert sorted(s["id"] for s in subscriptions(vtx)) == sorted([kept, run.task("new set")["subscription"]["id"]])
    run = runner.run([task("all gone", "vtx_subscription", exclusive=True, state="absent", notification_url=RECEIVER, users=["176125"])])
    assert run.task("all gone")["changed"] is True and [s["id"] for s in subscriptions(vtx)] == [kept]


def test_idempotent_runs_cost_no_request_per_user(runner, vtx):
    runner.run([task("create", "vtx_subscription", **SUBSCRIBE), task("set", "vtx_user_feature", **CFU)])
    vtx.clear_requests()
    run = runner.run([task("again", "vtx_subscription", **SUBSCRIBE), task("set again", "vtx_user_feature", **CFU)])
    assert run.task("again")["changed"] is False and run.task("set again")["changed"] is False
    # Per task: the server info, then the subscription list / the user's feature list.
    assert [r["path"] for r in api_requests(vtx)] == [
        "/openapi/v1/system/server", "/openapi/v1/subscriptions",
        "/openapi/v1/system/server", "/openapi/v1/users/176125/features"]


def test_https_with_the_platform_ca(emulator, tmp_path):
    vtx = emulator("vtx", tls=True)
    runner = VtxRunner(vtx, tmp_path)
    run = runner.run([task("trusted", "vtx_server_info", ca_path=vtx.ca_file),
                      may_fail(task("untrusted", "vtx_server_info", retries=0))])
    assert run.task("trusted")["version"] == [7, 7, 2, 12]
    message = run.task("untrusted")["msg"]
    assert run.status("untrusted") == "failed" and "certificate is not trusted" in message and "ca_path" in message and "allow-list" not in message


def test_modules_run_on_a_target_too_same_results(runner, vtx):
    # VOIP_PROVISIONING_IN_PROCESS=0: the modules themselves run (AnsiballZ), as on a jump host.
    tasks = [task("feature", "vtx_user_feature", **CFU), task("subscription", "vtx_subscription", **SUBSCRIBE),
             task("cdrs", "vtx_cdr_info", users=["+41225662194"], limit=3), task("presence", "vtx_presence_info"),
             task("server", "vtx_server_info")]
    remote = runner.run(tasks, in_process=False)
    assert remote.returncode == 0, remote.stdout[-3000:]
    assert remote.task("feature")["changed"] is True and remote.task("subscription")["changed"] is True
    local = runner.run(tasks)
    assert local.task("feature")["changed"] is False and local.task("subscription")["changed"] is False
    assert local.task("subscription")["subscription"]["id"] == remote.task("subscription")["subscription"]["id"]
    assert local.task("cdrs")["call_logs"] == remote.task("cdrs")["call_logs"]
    assert local.task("presence")["presence"] == remote.task("presence")["presence"]


def test_subscription_with_a_fixed_expires_is_idempotent_and_extended_to_it(runner, vtx):
    vtx.set_clock("2026-12-04T10:00:00Z", freeze=True)
    run = runner.run([task("one day", "vtx_subscription", expires="2026-12-05T10:00:00Z", **SUBSCRIBE),
                      task("one day again", "vtx_subscription", expires="2026-12-05T11:00:00+01:00", **SUBSCRIBE),
                      task("two days", "vtx_subscription", expires="2026-12-06T10:00:00Z", **SUBSCRIBE),
                      task("two days again", "vtx_subscription", expires="2026-12-06T10:00:00Z", **SUBSCRIBE)])
    assert run.task("one day")["subscription"]["expires"] == "2026-12-05T10:00:00Z"
    assert run.task("one day again")["changed"] is False
    assert run.task("two days")["changed"] is True and run.task("two days")["subscription"]["expires"] == "2026-12-06T10:00:00Z"
    assert run.task("two days again")["changed"] is False
    assert [m for m, _p in api_writes(vtx)] == ["POST", "PATCH"]


def test_check_out_resets_every_feature_of_a_user_in_one_task(runner, vtx):
    runner.run([task("set", "vtx_user_feature", items=[
        {"user": "+41225662196", "type": "DND", "active": True},
        {"user": "+41225662196", "type": "CFNR", "active": True, "destination": "201", "ring_timeout": 45}])])
    vtx.clear_requests()
    check_out = [{"user": "+41225662196", "type": kind} for kind in ("DND", "CFU", "CFB", "CFNR", "CFNL")]
    run = runner.run([task("check-out", "vtx_user_feature", state="absent", items=check_out)])
    assert run.task("check-out")["summary"] == {"total": 5, "changed": 2, "failed": 0}, run.task("check-out")
    # One listing of the user's features, a reset of the two that differed.
    assert sorted(api_writes(vtx)) == [("DELETE", "/openapi/v1/users/176133/features/CFNR"),
                                       ("DELETE", "/openapi/v1/users/176133/features/DND")]
    assert [r["path"] for r in api_requests(vtx) if r["method"] == "GET"].count("/openapi/v1/users/176133/features") == 1
    assert get(vtx, "/users/176133/features")["features"][0] == {"type": "DND", "active": False}
