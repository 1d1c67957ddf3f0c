# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""InProcessEmulator: the real applications behind a requests transport adapter,
and the generic ``emulator(platform)`` fixture."""

import json

import pytest
import requests
from requests.auth import HTTPDigestAuth

from voip_emulator.core.app import App, Response
from voip_emulator.core.auth import DigestAuth
from voip_emulator.core.routes import Router
from voip_emulator.inprocess import InProcessEmulator

ADMIN = ("administrator", "administrator")


def test_echo_requests_reach_the_app_unchanged_and_are_logged(inprocess_emulator):
    emulator = inprocess_emulator("echo")
    session = emulator.session()
    answer = session.post(emulator.url + "//echo/x?a=1&b=%20", json={"k": [1, 2]}, headers={"Prefer": "return=minimal"})
    echoed = answer.json()
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/json"
    assert echoed["target"] == "//echo/x?a=1&b=%20" and echoed["body"] == {"k": [1, 2]}
    assert echoed["headers"]["prefer"] == "return=minimal" and echoed["host"] == "emulator.invalid"
    empty = session.get(emulator.url + "/echo/empty")
    assert empty.status_code == 204 and empty.content == b"" and empty.headers["Content-Type"] == ""
    head = session.head(emulator.url + "/echo/x")
    assert head.status_code == 200 and head.content == b""
    log = emulator.requests()
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("POST", "//echo/x?a=1&b=%20", 200), ("GET", "/echo/empty", 204), ("HEAD", "/echo/x", 200)]
    assert log[0]["body"] == {"k": [1, 2]} and log[0]["request_headers"]["Prefer"] == "return=minimal"


def test_faults_control_api_reset_and_clock(inprocess_emulator):
    emulator = inprocess_emulator("echo")
    session = emulator.session()
    emulator.add_fault(kind="drop", path_regex="^/echo/x")
    with pytest.raises(requests.ConnectionError, match="dropped"):
        session.get(emulator.url + "/echo/x")
    assert session.get(emulator.url + "/echo/x").status_code == 200  # count 1: fired once
    emulator.add_fault(kind="status", status=503, retry_after=2)
    busy = session.get(emulator.url + "/echo/y")
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
    # The control API answers through the adapter too (never logged).
    clock = session.post(emulator.url + "/__emulator__/clock", json={"set": "2031-05-06T07:08:09Z", "freeze": True}).json()
    assert clock["now"] == emulator.clock.now() == 1935817689.0
    assert session.get(emulator.url + "/echo/clock").json()["now"] == 1935817689.0
    emulator.clock.advance(60)
    assert session.get(emulator.url + "/echo/clock").json()["now"] == 1935817749.0
    assert [e["status"] for e in emulator.requests()] == [0, 200, 503, 200, 200]
    emulator.reset()
    assert emulator.requests() == [] and not emulator.clock.frozen
    assert session.get(emulator.url + "/echo/y").status_code == 200


def test_c5_app_in_process(inprocess_emulator):
    emulator = inprocess_emulator("c5")
    session = emulator.session()
    assert session.get(emulator.url + "/api/customers/", auth=("administrator", "wrong")).status_code == 401
    created = session.post(emulator.url + "/api/domains/", auth=ADMIN, json={"domain": "in.example", "reseller_id": 1})
    assert created.status_code == 201 and created.headers["Location"] == "/api/domains/1"
    listed = session.get(emulator.url + "/api/domains/", auth=ADMIN).json()
    assert listed["total_count"] == 1 and listed["_embedded"]["ngcp:domains"][0]["domain"] == "in.example"
    moved = session.get(emulator.url + "/api/domains", auth=ADMIN, allow_redirects=False)
    assert moved.status_code == 301 and moved.headers["Location"] == "http://emulator.invalid/api/domains/"
    assert [e["auth_user"] for e in emulator.requests()] == ["administrator"] * 4
    emulator.reset()
    assert session.get(emulator.url + "/api/domains/", auth=ADMIN).json()["total_count"] == 0


class DigestApp(App):
    """A tiny Digest-protected application (like SIP2SIP's settings page)."""

    name = "digest-test"

    def __init__(self, store, options=None, clock=None):
        super().__init__(store, options, clock)
        self.auth = DigestAuth("SIP_settings", {"alice": "wonderland"}.get, clock=self.clock, payload=None)
        self.router = Router()
        self.router.add("GET", r"/settings", self.settings)

    def settings(self, request):
        return Response.json(200, {"user": self.auth.authenticate(request)})

    def reset(self):
        pass


def test_requests_digest_auth_passes_wrong_password_fails_and_stale_nonce_is_retried():
    emulator = InProcessEmulator("digest-test", app_class=DigestApp)
    session = emulator.session()
    emulator.clock.freeze()
    assert session.get(emulator.url + "/settings", auth=("alice", "wonderland")).status_code == 401
    session.auth = HTTPDigestAuth("alice", "wonderland")
    assert session.get(emulator.url + "/settings").json() == {"user": "alice"}
    assert session.get(emulator.url + "/settings").status_code == 200  # nonce reused, no new challenge
    emulator.clock.advance(301)
    assert session.get(emulator.url + "/settings").status_code == 200  # stale=true -> retried with a new nonce
    statuses = [e["status"] for e in emulator.requests()]
    assert statuses == [401, 401, 200, 200, 401, 200]
    stale = emulator.call("GET", "/settings", {"Authorization": emulator.requests()[-2]["request_headers"]["Authorization"]})
    assert stale.status == 401
    wrong = InProcessEmulator("digest-test", app_class=DigestApp).session()
    wrong.auth = HTTPDigestAuth("alice", "looking-glass")
    failed = wrong.get(emulator.url + "/settings")
    assert failed.status_code == 401 and failed.content == b"" and "Digest" in failed.headers["WWW-Authenticate"]


def test_generic_emulator_fixture_starts_a_platform_once_and_resets_it(emulator):
    echo = emulator("echo")
    assert emulator("echo") is echo
    with requests.Session() as session:
        assert session.get(echo.url + "/echo/z").status_code == 200
    assert [e["path"] for e in echo.requests()] == ["/echo/z"]
    assert echo.health()["platform"] == "echo"


def test_generic_emulator_fixture_gives_the_next_test_a_reset_emulator(emulator):
    echo = emulator("echo")
    assert echo.requests() == []
    assert json.loads(json.dumps(echo.clock()))["frozen"] is False


def test_c5_jwt_expires_by_the_emulator_clock(inprocess_emulator):
    emulator = inprocess_emulator("c5")
    session = emulator.session()
    emulator.clock.freeze()
    token = session.post(emulator.url + "/login_jwt", json={"username": "administrator", "password": "administrator"}).json()["jwt"]
    bearer = {"Authorization": "Bearer " + token}
    emulator.clock.advance(35999)
    assert session.get(emulator.url + "/api/domains/", headers=bearer).status_code == 200
    emulator.clock.advance(2)
    expired = session.get(emulator.url + "/api/domains/", headers=bearer)
    # As ngcp-panel: a Bearer token that does not verify is "Invalid user" (tests/emulator/test_c5_jwt.py).
    assert expired.status_code == 403 and expired.json() == {"code": 403, "message": "Invalid user"}


def test_c5_timestamps_follow_the_emulator_clock(inprocess_emulator):
    emulator = inprocess_emulator("c5")
    session = emulator.session()
    emulator.clock.set("2030-03-04T05:06:07Z")
    session.post(emulator.url + "/api/domains/", auth=ADMIN, json={"domain": "t.example", "reseller_id": 1})
    created = session.post(emulator.url + "/api/customercontacts/", auth=ADMIN, json={"reseller_id": 1, "email": "t@t.example"})
    contact_id = int(created.headers["Location"].rsplit("/", 1)[1])
    customer = session.post(emulator.url + "/api/customers/", auth=ADMIN, headers={"Prefer": "return=representation"},
                            json={"contact_id": contact_id, "billing_profile_id": 1, "status": "active", "type": "sipaccount"})
    assert customer.status_code == 201
    stored = session.get(emulator.url + customer.headers["Location"], auth=ADMIN).json()
    assert stored["create_timestamp"].startswith("2030-03-04 05:06")
