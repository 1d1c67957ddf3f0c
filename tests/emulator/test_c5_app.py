"""Focused tests of C5App behaviour the transcripts do not cover but the
collection relies on (paging over many rows, persistence, certificate and bearer
auth, reseller scoping, the latency/scheduling hints)."""

import base64
import io
import json
import sys
import types
import zipfile

import pytest

from voip_emulator.c5.app import C5App
from voip_emulator.core.app import Request
from voip_emulator.core.store import Store

ADMIN = "Basic " + base64.b64encode(b"administrator:administrator").decode("ascii")
CERT_CN = "CN=Sipwise NGCP API client certificate"


def call(app, method, path, body=None, auth=ADMIN, headers=None, **kwargs):
    all_headers = dict(headers or {})
    if auth:
        all_headers["Authorization"] = auth
    raw = b""
    if body is not None:
        raw = json.dumps(body).encode("utf-8")
        all_headers.setdefault("Content-Type", "application/json-patch+json" if method == "PATCH" else "application/json")
    return app.handle(Request(method, path, all_headers, raw, **kwargs))


def body_of(response):
    return json.loads(response.body.decode("utf-8")) if response.body else None


def created_id(response):
    assert response.status == 201, response.body
    return int(response.header("Location").rsplit("/", 1)[1])


def make_customer(app, domain="many.example.com", auth=ADMIN, reseller_id=1, profile_id=1):
    contact = created_id(call(app, "POST", "/api/customercontacts/", {"email": "c@example.com", "reseller_id": reseller_id}, auth=auth))
    domain_id = created_id(call(app, "POST", "/api/domains/", {"domain": domain, "reseller_id": reseller_id}, auth=auth))
    customer = created_id(call(app, "POST", "/api/customers/", {"status": "active", "contact_id": contact, "billing_profile_id": profile_id,
                                                                "type": "sipaccount"}, auth=auth))
    return customer, domain_id


def make_subscriber(app, customer, domain, index, auth=ADMIN):
    return call(app, "POST", "/api/subscribers/", {
        "customer_id": customer, "domain": domain, "username": "user%d" % index, "password": "pass%dxx" % index,
        "primary_number": {"cc": 43, "ac": 1, "sn": str(100000 + index)},
    }, auth=auth)


@pytest.fixture
def app():
    return C5App(Store())


def test_seed_state(app):
    assert body_of(call(app, "GET", "/api/billingprofiles/1"))["handle"] == "default"
    assert body_of(call(app, "GET", "/api/resellers/1"))["name"] == "default"
    assert body_of(call(app, "GET", "/api/admins/1"))["login"] == "administrator"
    assert created_id(call(app, "POST", "/api/domains/", {"domain": "first.example.com", "reseller_id": 1})) == 1


def test_paging_many_rows(app):
    customer, _domain_id = make_customer(app)
    for index in range(250):
        assert make_subscriber(app, customer, "many.example.com", index).status == 201
    seen = []
    path = "/api/subscribers/?rows=100&customer_id=%d" % customer
    while path:
        response = call(app, "GET", path)
        page = body_of(response)
        assert page["total_count"] == 250
        items = page.get("_embedded", {}).get("ngcp:subscribers", [])
        assert response.rows_returned == len(items)
        seen.extend(item["id"] for item in items)
        path = page["_links"].get("next", {}).get("href")
    assert seen == sorted(seen) and len(set(seen)) == 250
    last = body_of(call(app, "GET", "/api/subscribers/?rows=100&page=3"))
    assert last["_links"]["prev"]["href"].startswith("/api/subscribers/?page=2&rows=100")
    assert "next" not in last["_links"]
    # the natural-key lookup (index) and a wildcard filter
    found = body_of(call(app, "GET", "/api/subscribers/?username=USER17&domain=many.example.com"))
    assert [s["username"] for s in found["_embedded"]["ngcp:subscribers"]] == ["user17"]
    assert body_of(call(app, "GET", "/api/subscribers/?username=user1*&rows=1"))["total_count"] == 111


def test_state_survives_restart(tmp_path):
    path = str(tmp_path / "c5.sqlite")
    first = C5App(Store(path))
    customer, _domain_id = make_customer(first, domain="keep.example.com")
    sub_id = created_id(make_subscriber(first, customer, "keep.example.com", 1))
    call(first, "PUT", "/api/callforwards/%d" % sub_id, {"cfu": {"destinations": [{"destination": "4311"}]}})
    first.store.close()
    second = C5App(Store(path))
    sub = body_of(call(second, "GET", "/api/subscribers/%d" % sub_id))
    assert sub["username"] == "user1" and sub["primary_number"]["sn"] == "100001"
    assert body_of(call(second, "GET", "/api/callforwards/%d" % sub_id))["cfu"]["destinations"][0]["simple_destination"] == "4311"
    assert make_subscriber(second, customer, "keep.example.com", 1).status == 422  # index rebuilt: duplicate
    assert created_id(make_subscriber(second, customer, "keep.example.com", 2)) == sub_id + 1
    second.reset()
    assert call(second, "GET", "/api/subscribers/%d" % sub_id).status == 404


def test_admincerts_and_client_certificate(app, monkeypatch):
    response = call(app, "POST", "/api/admincerts/", {})
    assert response.status == 500 and "without --tls" in body_of(response)["message"]
    fake = types.ModuleType("voip_emulator.core.tls")
    fake.issue_client_cert = lambda ca_dir, cn: (4711, b"-----BEGIN PRIVATE KEY-----\n...\n-----BEGIN CERTIFICATE-----\n...\n")
    monkeypatch.setitem(sys.modules, "voip_emulator.core.tls", fake)
    app.options["ca_dir"] = "/nonexistent"
    response = call(app, "POST", "/api/admincerts/", {})
    assert response.status == 201 and response.header("Content-Type") == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.body)) as archive:
        names = archive.namelist()
    assert "NGCP-API-client-certificate-4711.pem" in names
    good = call(app, "GET", "/api/customers/", auth=None, client_cert={"serial": 4711, "subject": CERT_CN, "issuer": "CN=x"})
    assert good.status == 200
    bad_dn = call(app, "GET", "/api/customers/", auth=None, client_cert={"serial": 4711, "subject": "CN=someone", "issuer": "CN=x"})
    assert bad_dn.status == 403 and body_of(bad_dn)["message"] == "Invalid client certificate DN 'CN=someone'"
    unknown = call(app, "GET", "/api/customers/", auth=None, client_cert={"serial": 1, "subject": CERT_CN, "issuer": "CN=x"})
    assert unknown.status == 403 and body_of(unknown)["message"] == "Invalid user"
    assert not app.authenticated_with_password(Request("GET", "/api/customers/", {}, client_cert={"serial": 4711, "subject": CERT_CN}))


def test_bearer_token(app):
    token = body_of(call(app, "POST", "/login_jwt", {"username": "administrator", "password": "administrator"}, auth=None))
    assert token["id"] == 1
    assert call(app, "GET", "/api/domains/", auth="Bearer " + token["jwt"]).status == 200
    tampered = token["jwt"][:-2] + ("AA" if token["jwt"][-2:] != "AA" else "BB")
    assert call(app, "GET", "/api/domains/", auth="Bearer " + tampered).status == 403
    wrong = call(app, "POST", "/login_jwt", {"username": "administrator", "password": "nope"}, auth=None)
    assert wrong.status == 403 and body_of(wrong)["message"] == "User not found"
    assert call(app, "POST", "/login_jwt", {"username": "administrator"}, auth=None).status == 422


def test_reseller_scoping(app):
    contact = created_id(call(app, "POST", "/api/systemcontacts/", {"email": "r2@example.com"}))
    contract = created_id(call(app, "POST", "/api/contracts/", {"contact_id": contact, "billing_profile_id": 1, "type": "reseller", "status": "active"}))
    reseller = created_id(call(app, "POST", "/api/resellers/", {"contract_id": contract, "name": "R2", "status": "active"}))
    created_id(call(app, "POST", "/api/admins/", {"login": "r2", "password": "r2pass", "reseller_id": reseller, "is_active": True}))
    r2 = "Basic " + base64.b64encode(b"r2:r2pass").decode("ascii")
    admin_domain = created_id(call(app, "POST", "/api/domains/", {"domain": "admin.example.com", "reseller_id": 1}))
    own_domain = created_id(call(app, "POST", "/api/domains/", {"domain": "own.example.com", "reseller_id": 1}, auth=r2))
    listed = body_of(call(app, "GET", "/api/domains/", auth=r2))["_embedded"]["ngcp:domains"]
    assert [d["id"] for d in listed] == [own_domain] and "reseller_id" not in listed[0]
    assert call(app, "GET", "/api/domains/%d" % admin_domain, auth=r2).status == 404
    assert call(app, "GET", "/api/resellers/", auth=r2).status == 403
    profile = created_id(call(app, "POST", "/api/billingprofiles/", {"handle": "p", "name": "P"}, auth=r2))
    customer, _domain_id = make_customer(app, domain="r2.example.com", auth=r2, reseller_id=reseller, profile_id=profile)
    sub = body_of(call(app, "GET", "/api/subscribers/%d" % created_id(make_subscriber(app, customer, "r2.example.com", 5, auth=r2)), auth=r2))
    assert "password" not in sub  # show_passwords is false for API-created admins
    assert make_subscriber(app, customer, "admin.example.com", 6, auth=r2).status == 422


def test_read_only_admin(app):
    created_id(call(app, "POST", "/api/admins/", {"login": "ro", "password": "ropass", "reseller_id": 1, "is_superuser": True, "read_only": True}))
    ro = "Basic " + base64.b64encode(b"ro:ropass").decode("ascii")
    assert call(app, "GET", "/api/domains/", auth=ro).status == 200
    response = call(app, "POST", "/api/domains/", {"domain": "x.example.com", "reseller_id": 1}, auth=ro)
    assert response.status == 403 and body_of(response)["message"] == "Invalid HTTP method for read-only user"


def test_preferencedefs_not_paginated(app):
    full = body_of(call(app, "GET", "/api/subscriberpreferencedefs/"))
    paged = body_of(call(app, "GET", "/api/subscriberpreferencedefs/?rows=1&page=2"))
    assert full == paged and "total_count" not in full
    assert {"lock", "allowed_clis", "cc", "call_log_level"} <= set(full)
    assert "prepaid_library" not in full and "ringtimeout" not in full


def test_hints(app):
    post = Request("POST", "/api/subscribers/", {"Content-Type": "application/json"}, json.dumps({"customer_id": 7}).encode("utf-8"))
    assert app.cost_key(post) == "POST subscribers"
    assert app.serialize_key(post) == "customer:7"
    assert app.serialize_key(Request("POST", "/api/domains/", {}, b"{}")) is None
    assert app.cost_key(Request("PUT", "//api/callforwards/3", {})) == "PUT callforwards"
    assert app.cost_key(Request("PUT", "/api/subscriberpreferences/3", {})) == "PUT subscriberpreferences"
    assert app.cost_key(Request("GET", "/api/subscribers/3", {})) == "GET item"
    assert app.cost_key(Request("GET", "/api/subscribers/?rows=5", {})) == "GET page"
    # The definitions are one hash, not a page: a cost of their own (c5-real profile).
    assert app.cost_key(Request("GET", "/api/subscriberpreferencedefs/", {})) == "GET defs"
    assert app.cost_key(Request("POST", "/login_jwt", {})) == "POST other"
    assert app.authenticated_with_password(Request("GET", "/api/", {"Authorization": ADMIN}))
    assert not app.authenticated_with_password(Request("GET", "/api/", {"Authorization": "Bearer x"}))
    response = call(app, "GET", "/api/billingprofiles/?rows=5")
    assert response.rows_returned == 1


def test_concurrent_handling(app):
    import threading  # pylint: disable=import-outside-toplevel

    customer, _domain_id = make_customer(app, domain="threads.example.com")
    statuses = []

    def worker(offset):
        for index in range(offset, offset + 20):
            statuses.append(make_subscriber(app, customer, "threads.example.com", index).status)

    threads = [threading.Thread(target=worker, args=(n * 100,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses.count(201) == 80
    assert body_of(call(app, "GET", "/api/subscribers/?customer_id=%d&rows=1" % customer))["total_count"] == 80


def test_reset_clears_state_that_filters_see(app):
    """Filters close over the table dicts: after a reset, subscriber look-ups by domain
    must see the new domains (they saw the stale dicts before the fix)."""
    app.reset()
    customer, _domain_id = make_customer(app, domain="after-reset.example.com")
    subscriber = {"customer_id": customer, "domain": "after-reset.example.com", "username": "u1", "password": "pw-12345",
                  "primary_number": {"cc": 43, "ac": "1", "sn": "77001"}}
    assert call(app, "POST", "/api/subscribers/", subscriber).status == 201
    listed = body_of(call(app, "GET", "/api/subscribers/?username=u1&domain=after-reset.example.com"))
    assert listed["total_count"] == 1
