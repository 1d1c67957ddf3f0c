# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""C5 JWT as ngcp-panel issues and checks it (Root::login_jwt, Credential::JWT):
the token's header and claims, ``expires`` in the answer, expiry by the
emulator clock, and the 403 "Invalid user" a token that no longer verifies gets."""

import base64
import json

import pytest

ADMIN_LOGIN = {"username": "administrator", "password": "administrator"}
INVALID_USER = {"code": 403, "message": "Invalid user"}


def decoded(part):
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


@pytest.fixture
def c5(inprocess_emulator):
    def make(**options):
        emulator = inprocess_emulator("c5", options=options)
        emulator.clock.set("2030-01-01T00:00:00Z")
        emulator.clock.freeze()
        return emulator
    return make


def login(emulator, session, credentials=None):
    response = session.post(emulator.url + "/login_jwt", json=credentials or ADMIN_LOGIN)
    assert response.status_code == 200, response.text
    return response.json()


def bearer(token):
    return {"Authorization": "Bearer " + token}


def test_the_token_has_the_real_header_claims_and_expiry(c5):
    emulator = c5()
    session = emulator.session()
    now = int(emulator.clock.now())
    answer = login(emulator, session)
    head, payload, signature = answer["jwt"].split(".")
    assert decoded(head) == {"typ": "JWT", "alg": "HS256"}
    # 36000 s: the relative_exp ngcp-panel ships; "expires" in the answer is the same instant.
    assert decoded(payload) == {"id": 1, "username": "administrator", "exp": now + 36000}
    assert answer == {"jwt": answer["jwt"], "id": 1, "expires": now + 36000}
    assert signature


def test_a_token_is_valid_until_its_exp_by_the_emulator_clock_then_invalid_user(c5):
    emulator = c5()
    session = emulator.session()
    token = login(emulator, session)["jwt"]
    emulator.clock.advance(35999)
    assert session.get(emulator.url + "/api/domains/", headers=bearer(token)).status_code == 200
    emulator.clock.advance(1)  # exp == now: Crypt::JWT refuses it (no leeway)
    expired = session.get(emulator.url + "/api/domains/", headers=bearer(token))
    assert expired.status_code == 403 and expired.json() == INVALID_USER
    assert "WWW-Authenticate" not in expired.headers
    # Refused before anything is processed: the write did not happen.
    write = session.post(emulator.url + "/api/domains/", headers=bearer(token), json={"domain": "late.example", "reseller_id": 1})
    assert write.status_code == 403 and write.json() == INVALID_USER
    listed = session.get(emulator.url + "/api/domains/", auth=("administrator", "administrator"), params={"domain": "late.example"})
    assert listed.json()["total_count"] == 0
    # A new login gives a token that works again.
    assert session.get(emulator.url + "/api/domains/", headers=bearer(login(emulator, session)["jwt"])).status_code == 200


def test_a_tampered_token_is_invalid_user_and_a_missing_one_still_the_basic_challenge(c5):
    emulator = c5()
    session = emulator.session()
    token = login(emulator, session)["jwt"]
    head, payload, signature = token.split(".")
    claims = decoded(payload)
    claims["exp"] += 3600
    forged = ".".join([head, base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("="), signature])
    for bad in (forged, "not-a-jwt", token[:-4]):
        refused = session.get(emulator.url + "/api/customers/", headers=bearer(bad))
        assert (refused.status_code, refused.json()) == (403, INVALID_USER), bad
    anonymous = session.get(emulator.url + "/api/customers/")
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"] == 'Basic realm="api_admin_http"'


def test_a_platform_without_relative_exp_issues_tokens_that_never_expire(c5):
    emulator = c5(jwt_lifetime=0)
    session = emulator.session()
    answer = login(emulator, session)
    assert set(answer) == {"jwt", "id"}
    assert "exp" not in decoded(answer["jwt"].split(".")[1])
    emulator.clock.advance(10 * 365 * 86400)
    assert session.get(emulator.url + "/api/domains/", headers=bearer(answer["jwt"])).status_code == 200


def test_a_deactivated_admin_token_is_invalid_user(c5):
    emulator = c5()
    session = emulator.session()
    created = session.post(emulator.url + "/api/admins/", auth=("administrator", "administrator"), json={
        "login": "second", "password": "second-pass", "email": "s@example.com", "reseller_id": 1,
        "is_active": True, "is_superuser": True})
    assert created.status_code == 201, created.text
    second = login(emulator, session, {"username": "second", "password": "second-pass"})["jwt"]
    assert session.get(emulator.url + "/api/domains/", headers=bearer(second)).status_code == 200
    patched = session.patch(emulator.url + created.headers["Location"], auth=("administrator", "administrator"),
                            headers={"Content-Type": "application/json-patch+json"},
                            json=[{"op": "replace", "path": "/is_active", "value": False}])
    assert patched.status_code in (200, 204), patched.text
    refused = session.get(emulator.url + "/api/domains/", headers=bearer(second))
    assert (refused.status_code, refused.json()) == (403, INVALID_USER)
