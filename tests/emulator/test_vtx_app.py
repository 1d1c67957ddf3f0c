# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VTX emulator over real HTTP: each quirk of the spec's "Gaps and traps"
(shared/specs/vtx-openapi.md section 8) and each endpoint of section 4."""

import time
import urllib.error

import pytest
import requests

from voip_emulator.testing import EmulatorProcess
from voip_emulator.vtx import seed, timefmt
from voip_emulator.vtx.testing import (
    APPLICATION, ENTERPRISE_ID, LOGIN, OTHER_ENTERPRISE_USER, PASSWORD, Receiver, api_session, deliveries, set_presence,
    set_server, simulate_call,
)

USER, USER2, USER3 = 176125, 176129, 176133
DAY = 24 * 3600


@pytest.fixture(scope="module")
def vtx_process():
    with EmulatorProcess(platform="vtx") as emulator:
        yield emulator


@pytest.fixture
def vtx(vtx_process):
    vtx_process.ensure_running()
    vtx_process.reset()
    return vtx_process


@pytest.fixture
def api(vtx):
    session = api_session()
    base = vtx.url + "/openapi/v1"

    class Api:
        url = vtx.url

        def __getattr__(self, method):
            return lambda path, **kw: session.request(method.upper(), base + path, timeout=30, **kw)

    yield Api()
    session.close()


def iso_in(vtx, seconds):
    return timefmt.instant(vtx.clock()["now"] + seconds)


def subscribe(api, vtx, users=(USER,), url="http://127.0.0.1:9/cdr", seconds=DAY):
    answer = api.post("/subscriptions", json={"expires": iso_in(vtx, seconds), "notificationUrl": url, "resourceType": "CALL_LOG", "userIds": list(users)})
    assert answer.status_code == 201, answer.text
    return answer.json()["subscription"]


# -- authentication (spec 2) ------------------------------------------------------

@pytest.mark.parametrize("auth, header, reason", [
    (None, APPLICATION, "no Basic credentials"),
    ((LOGIN, "wrong"), APPLICATION, "wrong password"),
    (("openapi@999999.bus.ent", PASSWORD), APPLICATION, "unknown login"),
    ((LOGIN, PASSWORD), None, "no X-C5-Application"),
    ((LOGIN, PASSWORD), "00000000-0000-0000-0000-000000000000", "unknown X-C5-Application"),
])
def test_wrong_or_missing_credentials_are_401(vtx, auth, header, reason):
    headers = {"X-C5-Application": header} if header else {}
    answer = requests.get(vtx.url + "/openapi/v1/system/server", auth=auth, headers=headers, timeout=30)
    assert answer.status_code == 401, reason
    body = answer.json()
    assert body["status"] == 401 and body["error"] == "Unauthorized" and body["path"] == "/openapi/v1/system/server"
    assert set(body) == {"timestamp", "path", "status", "error", "requestId", "message"}
    if auth is None or auth[1] != PASSWORD or auth[0] != LOGIN:
        assert answer.headers["WWW-Authenticate"] == 'Basic realm="openapi"'
    else:
        assert "X-C5-Application" in body["message"]


def test_server_info_is_the_seed_answer_and_logged_with_login(vtx, api):
    answer = api.get("/system/server")
    assert answer.status_code == 200
    assert answer.json() == seed.SERVER
    entry = vtx.requests()[-1]
    assert entry["path"] == "/openapi/v1/system/server" and entry["auth_user"] == LOGIN and entry["status"] == 200


def test_unknown_path_and_wrong_method(api):
    assert api.get("/users").status_code == 404
    answer = api.delete("/system/server")
    assert answer.status_code == 405 and "GET" in answer.headers["Allow"]


# -- users and presence (spec 4.2, traps 1 and 12) ---------------------------------------

def test_presence_shape_and_enterprise_boundaries(api):
    body = api.get("/users/%d/presence" % USER).json()
    assert body["userId"] == USER and body["domainId"] == ENTERPRISE_ID
    assert set(body) == {"userId", "domainId", "current", "c5", "lastC5", "thirdParty"}
    assert body["thirdParty"] == {"activity": "UNKNOWN", "enhancedActivity": "NONE"}
    assert api.get("/users/%d/presence" % OTHER_ENTERPRISE_USER).status_code == 403
    assert api.get("/users/999999/presence").status_code == 404


def test_no_user_listing_or_search(api):
    # "NOT PLANNED" in the seed: the emulator must not offer them either.
    assert api.get("/domains/%d/users/list" % ENTERPRISE_ID).status_code == 404
    assert api.get("/users/search").status_code == 404


def test_login_names_only_from_7_8(vtx, api):
    path = "/users/%s/presence" % "+41225662194@m.ipvoip.ch"
    assert api.get(path).status_code == 404
    set_server(vtx.url, buildVersion="7.8.0.3")
    answer = api.get(path)
    assert answer.status_code == 200 and answer.json()["userId"] == USER
    assert api.get("/users/+41225662194@m.ipvoip.ch/features/DND").status_code == 200


def test_presence_changes_move_c5_to_last_c5(vtx, api):
    set_presence(vtx.url, USER, "ONLINE", "IN_A_CALL")
    body = api.get("/users/%d/presence" % USER).json()
    assert body["c5"]["enhancedActivity"] == "IN_A_CALL" and body["current"]["enhancedActivity"] == "IN_A_CALL"
    assert body["lastC5"]["enhancedActivity"] == "NONE"
    set_presence(vtx.url, USER, "AWAY", "NONE", source="thirdParty")
    body = api.get("/users/%d/presence" % USER).json()
    assert body["current"]["activity"] == "AWAY" and body["c5"]["enhancedActivity"] == "IN_A_CALL"


# -- features (spec 4.3, assumed paths) ---------------------------------------------

DEFAULTS = [
    {"type": "DND", "active": False},
    {"type": "CFU", "active": False, "destination": None, "scope": "ALL"},
    {"type": "CFB", "active": False, "destination": None, "scope": "ALL"},
    {"type": "CFNR", "active": False, "destination": None, "scope": "ALL", "ringTimeout": 20},
    {"type": "CFNL", "active": False, "destination": None, "scope": "ALL"},
]


def test_features_default_put_patch_delete(api):
    assert api.get("/users/%d/features" % USER).json() == {"features": DEFAULTS}
    answer = api.put("/users/%d/features/CFNR" % USER, json={
        "active": True, "destination": "+41791234567", "scope": "EXTERNAL", "ringTimeout": 30, "type": "ignored", "colour": "ignored"})
    assert answer.status_code == 200
    assert answer.json() == {"feature": {"type": "CFNR", "active": True, "destination": "+41791234567", "scope": "EXTERNAL", "ringTimeout": 30}}
    # PUT is a full replacement: omitted fields go back to their defaults.
    answer = api.put("/users/%d/features/CFNR" % USER, json={"active": True, "destination": "0791234567"})
    assert answer.json()["feature"] == {"type": "CFNR", "active": True, "destination": "0791234567", "scope": "ALL", "ringTimeout": 20}
    answer = api.patch("/users/%d/features/CFNR" % USER, json={"ringTimeout": 45})
    assert answer.json()["feature"]["ringTimeout"] == 45 and answer.json()["feature"]["destination"] == "0791234567"
    assert api.put("/users/%d/features/DND" % USER, json={"active": True}).status_code == 200
    assert api.get("/users/%d/features/DND" % USER).json() == {"feature": {"type": "DND", "active": True}}
    assert api.delete("/users/%d/features/CFNR" % USER).status_code == 204
    assert api.get("/users/%d/features/CFNR" % USER).json()["feature"] == DEFAULTS[3]
    assert api.get("/users/%d/features/DND" % USER).json()["feature"]["active"] is True
    assert api.delete("/users/%d/features" % USER).status_code == 204
    assert api.get("/users/%d/features" % USER).json() == {"features": DEFAULTS}
    # Other users were never touched.
    assert api.get("/users/%d/features" % USER2).json() == {"features": DEFAULTS}


@pytest.mark.parametrize("feature, body, fragment", [
    ("CFU", {"active": True}, "destination: must not be empty"),
    ("CFU", {"active": True, "destination": "+41 79 123"}, "destination: must be a phone number"),
    ("CFU", {"active": True, "destination": "+41791234567", "scope": "WORLD"}, "scope: must be one of"),
    ("CFNR", {"active": True, "destination": "+41791234567", "ringTimeout": 121}, "ringTimeout"),
    ("CFNR", {"active": True, "destination": "+41791234567", "ringTimeout": 4}, "ringTimeout"),
    ("DND", {"active": "yes"}, "active: must be true or false"),
    ("DND", {}, "active: must not be null"),
])
def test_feature_validation_400_changes_nothing(api, feature, body, fragment):
    answer = api.put("/users/%d/features/%s" % (USER, feature), json=body)
    assert answer.status_code == 400 and fragment in answer.json()["message"]
    assert api.get("/users/%d/features" % USER).json() == {"features": DEFAULTS}


def test_feature_errors(api):
    assert api.get("/users/%d/features/CFX" % USER).status_code == 404
    assert api.get("/users/999999/features").status_code == 404
    assert api.put("/users/%d/features/DND" % OTHER_ENTERPRISE_USER, json={"active": True}).status_code == 403
    answer = api.put("/users/%d/features/DND" % USER, data="{not json")
    assert answer.status_code == 400
    answer = api.put("/users/%d/features/DND" % USER, data='{"active": true}', headers={"Content-Type": "text/plain"})
    assert answer.status_code == 415


# -- CDRs (spec 4.4, trap 6) -----------------------------------------------------------

def all_pages(api, path, **params):
    found, offset = [], 0
    while True:
        page = api.get(path, params=dict(params, offset=offset)).json()["callLogs"]
        found.extend(page)
        if len(page) < params.get("limit", 100):
            return found
        offset += len(page)


def test_enterprise_call_logs_page_newest_first_over_four_styles(api):
    first = api.get("/domains/%d/callLogs" % ENTERPRISE_ID, params={"limit": 500}).json()["callLogs"]
    assert len(first) == 100  # capped at bulkLimitCommon
    logs = all_pages(api, "/domains/%d/callLogs" % ENTERPRISE_ID, limit=100)
    ours = [call for call in seed.history() if call["userId"] != OTHER_ENTERPRISE_USER]
    assert len(logs) == len(ours) == 192
    assert {call["id"] for call in logs} == {call["id"] for call in ours}
    instants = [timefmt.parse(call["callStart"]) for call in logs]
    assert instants == sorted(instants, reverse=True)
    suffixes = {call["callStart"][19:][-6:] for call in logs}
    assert any(s.endswith("Z") and "." not in s for s in suffixes)          # 2024-09-29T00:00:00Z
    assert any(call["callStart"].endswith("+02:00") and len(call["callStart"]) == 32 for call in logs)  # .272678+02:00
    assert any(call["callStart"][-5] in "+-" and call["callStart"][-3] != ":" for call in logs)         # +0200
    assert any("." in call["callStart"] and call["callStart"].endswith("Z") for call in logs)          # .76913Z


def test_user_call_logs_time_range_from_inclusive_to_exclusive(api):
    logs = all_pages(api, "/users/%d/callLogs" % USER, limit=10)
    assert len(logs) == 48 and {call["userId"] for call in logs} == {USER}
    pivot = logs[10]["callStart"]
    newer = all_pages(api, "/users/%d/callLogs" % USER, limit=100, **{"from": pivot})
    assert [c["id"] for c in newer] == [c["id"] for c in logs[:11]]
    older = all_pages(api, "/users/%d/callLogs" % USER, limit=100, to=pivot)
    assert [c["id"] for c in older] == [c["id"] for c in logs[11:]]


@pytest.mark.parametrize("params", [{"from": "yesterday"}, {"limit": "0"}, {"limit": "x"}, {"offset": "-1"}])
def test_call_log_bad_parameters_400(api, params):
    assert api.get("/users/%d/callLogs" % USER, params=params).status_code == 400


def test_call_logs_of_other_domains(api):
    assert api.get("/domains/17001/callLogs").status_code == 403
    assert api.get("/domains/424242/callLogs").status_code == 404


# -- subscriptions (spec 4.5, traps 2-5) --------------------------------------------

def test_create_echoes_normalised_and_lists_in_the_other_style(vtx, api):
    vtx.set_clock("2026-12-04T10:00:00Z")
    answer = api.post("/subscriptions", json={"expires": "2026-12-06T00:00:00.000Z", "notificationUrl": "http://recovery.example/openapi",
                                              "resourceType": "CALL_LOG", "userIds": [USER3, USER]})
    assert answer.status_code == 201
    created = answer.json()["subscription"]
    assert created["expires"] == "2026-12-06T00:00:00Z"
    assert created["resourceIds"] == [str(USER3), str(USER)] and created["userIds"] == [USER3, USER]
    assert created["creatorId"] == LOGIN and created["creatorRole"] == "ENTERPRISE_ADMIN" and created["creatorIsImpersonated"] is False
    assert created["applicationId"] == seed.APPLICATIONS[0]["application_id"] != APPLICATION
    assert created["created"].endswith("+01:00") and len(created["created"].split(".")[1]) == 12  # 6 digits + offset
    assert answer.headers["Location"].endswith("/subscriptions/" + created["id"])
    listed = api.get("/subscriptions").json()["subscriptions"]
    assert [s["id"] for s in listed] == [created["id"]]
    assert listed[0]["created"].endswith("Z") and timefmt.parse(listed[0]["created"]) == timefmt.parse(created["created"])
    assert api.get("/subscriptions/" + created["id"]).json()["subscription"]["expires"] == "2026-12-06T00:00:00Z"


def test_no_deduplication(vtx, api):
    first, second = subscribe(api, vtx), subscribe(api, vtx)
    assert first["id"] != second["id"]
    assert len(api.get("/subscriptions").json()["subscriptions"]) == 2


def test_subscriptions_are_per_application(vtx, api):
    subscribe(api, vtx)
    other = api_session(application=seed.APPLICATIONS[1]["psk"])
    assert other.get(vtx.url + "/openapi/v1/subscriptions", timeout=30).json() == {"subscriptions": []}


@pytest.mark.parametrize("change, status, fragment", [
    ({"expires": "3d+1s"}, 400, "maximum lifetime"),
    ({"expires": "past"}, 400, "must be in the future"),
    ({"expires": "tomorrow"}, 400, "cannot parse"),
    ({"resourceType": "PRESENCE"}, 400, "resourceType"),
    ({"notificationUrl": "ftp://x.example/"}, 400, "notificationUrl"),
    ({"notificationUrl": None}, 400, "notificationUrl"),
    ({"userIds": []}, 400, "userIds"),
    ({"userIds": [OTHER_ENTERPRISE_USER]}, 403, "Access denied"),
    ({"userIds": [999999]}, 404, "User not found"),
])
def test_create_validation(vtx, api, change, status, fragment):
    vtx.set_clock("2026-12-04T10:00:00Z", freeze=True)
    body = {"expires": "2026-12-05T10:00:00Z", "notificationUrl": "http://x.example/", "resourceType": "CALL_LOG", "userIds": [USER]}
    body.update(change)
    body["expires"] = {"3d+1s": "2026-12-07T10:00:01Z", "past": "2026-12-04T09:59:59Z"}.get(body["expires"], body["expires"])
    answer = api.post("/subscriptions", json=body)
    assert answer.status_code == status and fragment in answer.json()["message"]
    assert api.get("/subscriptions").json() == {"subscriptions": []}


def test_three_days_exactly_is_accepted_with_four_timestamp_styles(vtx, api):
    vtx.set_clock("2026-12-04T10:00:00Z", freeze=True)
    for expires in ("2026-12-07T10:00:00Z", "2026-12-07T11:00:00.000+01:00", "2026-12-07T11:00:00+0100", "2026-12-05T08:43:43.76913Z"):
        answer = api.post("/subscriptions", json={"expires": expires, "notificationUrl": "http://x.example/", "resourceType": "CALL_LOG", "userIds": [USER]})
        assert answer.status_code == 201, (expires, answer.text)
    assert [s["expires"] for s in api.get("/subscriptions").json()["subscriptions"]] == [
        "2026-12-07T10:00:00Z", "2026-12-07T10:00:00Z", "2026-12-07T10:00:00Z", "2026-12-05T08:43:43.769Z"]


def test_patch_renews_and_is_capped(vtx, api):
    vtx.set_clock("2026-12-04T10:00:00Z", freeze=True)
    created = subscribe(api, vtx, seconds=3600)
    vtx.advance_clock(1800)
    answer = api.patch("/subscriptions/" + created["id"], json={"expires": "2026-12-07T10:30:00Z"})
    assert answer.status_code == 200
    renewed = answer.json()["subscription"]
    assert renewed["expires"] == "2026-12-07T10:30:00Z"
    assert timefmt.parse(renewed["modified"]) - timefmt.parse(renewed["created"]) == pytest.approx(1800)
    answer = api.patch("/subscriptions/" + created["id"], json={"expires": "2026-12-07T10:30:01Z"})
    assert answer.status_code == 400
    assert api.get("/subscriptions/" + created["id"]).json()["subscription"]["expires"] == "2026-12-07T10:30:00Z"


def test_expiry_by_the_clock_deletes(vtx, api):
    vtx.set_clock("2026-12-04T10:00:00Z", freeze=True)
    short = subscribe(api, vtx, seconds=3600)
    long = subscribe(api, vtx, seconds=2 * DAY)
    vtx.advance_clock(3599)
    assert len(api.get("/subscriptions").json()["subscriptions"]) == 2
    vtx.advance_clock(1)
    assert [s["id"] for s in api.get("/subscriptions").json()["subscriptions"]] == [long["id"]]
    # Expired ones are gone: not readable, not renewable, not deletable.
    assert api.get("/subscriptions/" + short["id"]).status_code == 404
    assert api.patch("/subscriptions/" + short["id"], json={"expires": iso_in(vtx, DAY)}).status_code == 404
    assert api.delete("/subscriptions/" + short["id"]).status_code == 404


def test_delete(vtx, api):
    created = subscribe(api, vtx)
    assert api.delete("/subscriptions/" + created["id"]).status_code == 204
    assert api.delete("/subscriptions/" + created["id"]).status_code == 404
    assert api.get("/subscriptions").json() == {"subscriptions": []}


# -- simulated calls and pushes (spec 4.6, trap 10) ------------------------------------

def test_simulated_call_is_stored_and_pushed_to_every_live_covering_subscription(vtx, api):
    with Receiver() as receiver:
        one = subscribe(api, vtx, users=(USER, USER2), url=receiver.url)
        duplicate = subscribe(api, vtx, users=(USER, USER2), url=receiver.url)
        subscribe(api, vtx, users=(USER3,), url=receiver.url)
        expired = subscribe(api, vtx, users=(USER,), url=receiver.url, seconds=60)
        vtx.advance_clock(61)
        result = simulate_call(vtx.url, "+41225662194", direction="INCOMING", duration=42, callPartyNumber="+41445551234")
        call_log = result["callLog"]
        assert call_log["userId"] == USER and call_log["duration"] == 42 and call_log["direction"] == "INCOMING"
        assert sorted(n["subscriptionId"] for n in result["notifications"]) == sorted([one["id"], duplicate["id"]])
        assert all(n["status"] == 200 for n in result["notifications"])
        assert expired["id"] not in {n["subscriptionId"] for n in result["notifications"]}
    assert len(receiver.received) == 2
    push = receiver.received[0]
    assert push["path"] == "/notify"
    assert push["headers"]["user-agent"] == "ReactorNetty/1.0.17" and push["headers"]["accept"] == "*/*"
    assert "authorization" not in push["headers"]
    event = push["body"]["callLogEvents"][0]
    assert event["changeType"] == "CREATED" and event["callLog"] == call_log
    assert event["context"] == {
        "user": {"id": USER, "name": "+41225662194@m.ipvoip.ch"},
        "site": {"id": 16321, "name": "s1.291908.bus.ipvoip.ch"},
        "enterprise": {"id": 16317, "name": "291908.bus.ent"},
        "serviceProvider": {"id": 2, "name": "vtx.sp"},
    }
    assert timefmt.parse(event["eventTime"]) == pytest.approx(vtx.clock()["now"], abs=5)
    # The call log is also readable afterwards.
    newest = api.get("/users/%d/callLogs" % USER, params={"limit": 1}).json()["callLogs"][0]
    assert newest == call_log


def test_failed_push_is_retried_then_dropped(vtx, api):
    with Receiver(status=503) as receiver:
        subscribe(api, vtx, url=receiver.url)
        result = simulate_call(vtx.url, USER)
    assert result["notifications"][0]["status"] == 503 and result["notifications"][0]["attempt"] == 3
    assert len(receiver.received) == 3
    assert [d["attempt"] for d in deliveries(vtx.url)] == [1, 2, 3]


def test_state_survives_a_restart(vtx, api):
    created = subscribe(api, vtx)
    api.put("/users/%d/features/DND" % USER, json={"active": True})
    vtx.restart()
    session = api_session()
    assert [s["id"] for s in session.get(vtx.url + "/openapi/v1/subscriptions", timeout=30).json()["subscriptions"]] == [created["id"]]
    assert session.get(vtx.url + "/openapi/v1/users/%d/features/DND" % USER, timeout=30).json()["feature"]["active"] is True


def test_latency_profile_fast_and_faults_apply(vtx, api):
    vtx.configure(latency_profile="fast")
    vtx.add_fault(kind="status", status=503, method="GET", path_regex="/subscriptions")
    assert api.get("/subscriptions").status_code == 503
    started = time.monotonic()
    assert api.get("/subscriptions").status_code == 200
    assert time.monotonic() - started < 2


def test_date_header_follows_the_emulator_clock(vtx, api):
    vtx.set_clock("2027-03-01T12:00:00Z", freeze=True)
    assert api.get("/system/server").headers["Date"] == "Mon, 01 Mar 2027 12:00:00 GMT"


def test_patch_also_applies_url_and_users_and_validates_them(vtx, api):
    # Assumed (spec 4.5): other fields of a PATCH are applied too; the modules never rely on it.
    created = subscribe(api, vtx, users=(USER,))
    answer = api.patch("/subscriptions/" + created["id"], json={"notificationUrl": "http://new.example/", "userIds": [USER2, USER]})
    assert answer.status_code == 200
    patched = answer.json()["subscription"]
    assert patched["notificationUrl"] == "http://new.example/" and patched["resourceIds"] == [str(USER2), str(USER)]
    assert patched["expires"] == created["expires"]
    assert api.patch("/subscriptions/" + created["id"], json={"userIds": [OTHER_ENTERPRISE_USER]}).status_code == 403
    assert api.patch("/subscriptions/" + created["id"], json={"notificationUrl": "mailto:x@example.com"}).status_code == 400
    assert api.get("/subscriptions/" + created["id"]).json()["subscription"]["userIds"] == [USER2, USER]


def test_other_applications_cannot_touch_a_subscription(vtx, api):
    created = subscribe(api, vtx)
    other = api_session(application=seed.APPLICATIONS[1]["psk"])
    base = vtx.url + "/openapi/v1/subscriptions/" + created["id"]
    assert other.get(base, timeout=30).status_code == 404
    assert other.delete(base, timeout=30).status_code == 404
    assert api.get("/subscriptions/" + created["id"]).status_code == 200


def test_controls_are_neither_logged_nor_faulted(vtx, api):
    vtx.add_fault(kind="status", status=503, count=None)
    result = simulate_call(vtx.url, USER)
    assert result["callLog"]["userId"] == USER and set_presence(vtx.url, USER)["userId"] == USER
    assert vtx.requests() == []
    assert api.get("/system/server").status_code == 503  # the API itself is faulted


def test_control_adds_users_of_a_large_enterprise(vtx, api):
    from voip_emulator.vtx.testing import add_users

    made = add_users(vtx.url, 3, first_id=300000, first_number="+41225670000")
    assert made[2] == {"login_name": "+41225670002@m.ipvoip.ch", "number": "+41225670002", "user_id": 300002}
    assert api.get("/users/300002/presence").json()["domainId"] == ENTERPRISE_ID
    assert api.get("/users/300002/features").status_code == 200
    with pytest.raises(urllib.error.HTTPError) as caught:
        add_users(vtx.url, 1, first_id=300000)
    assert caught.value.code == 409
