# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's backend layer in ``voip_emulator.core`` (clock, tables, routes,
errors, auth schemes), tested without sockets."""

import base64
import hashlib
import json

import pytest

from voip_emulator.core.app import App, Request, Response
from voip_emulator.core.auth import (
    AuthChain, AuthFailed, BasicAuth, BearerAuth, ClientCertAuth, DigestAuth, HeaderRequirement, parse_digest_params,
)
from voip_emulator.core.clock import Clock, ClockError
from voip_emulator.core.errors import HttpError, http_error, json_error
from voip_emulator.core.routes import Router
from voip_emulator.core.store import Store
from voip_emulator.core.tables import Table, Tables


class FakeTime:
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


def request(method="GET", target="/", headers=None, body=b"", client_cert=None):
    return Request(method, target, headers or {}, body, client_cert=client_cert)


# -- clock ---------------------------------------------------------------------


def test_clock_follows_real_time_until_moved():
    real = FakeTime(1000.0)
    clock = Clock(time_source=real)
    assert clock.now() == 1000.0
    real.now = 1010.0
    assert clock.now() == 1010.0
    clock.advance(90)
    assert clock.now() == 1100.0
    real.now = 1020.0
    assert clock.now() == 1110.0  # still running, 90 s ahead
    clock.set("1970-01-01T00:30:00Z")
    assert clock.now() == 1800.0
    clock.reset()
    assert clock.now() == 1020.0 and clock.offset == 0.0


def test_frozen_clock_moves_only_when_told_and_unfreezes_without_a_jump():
    real = FakeTime(1000.0)
    clock = Clock(time_source=real)
    clock.freeze()
    real.now = 2000.0
    assert clock.now() == 1000.0 and clock.frozen
    clock.advance(5)
    clock.set(clock.now() + 1)
    assert clock.now() == 1006.0
    clock.unfreeze()
    assert clock.now() == 1006.0
    real.now = 2001.0
    assert clock.now() == 1007.0


def test_clock_parses_instants_and_rejects_nonsense():
    clock = Clock(time_source=FakeTime(0.0), frozen=True)
    assert clock.set("2026-12-04T16:00:00+01:00") == 1796396400.0
    assert clock.set("2026-12-04 15:00:00") == 1796396400.0  # no offset: UTC
    assert clock.as_dict() == {"now": 1796396400.0, "iso": "2026-12-04T15:00:00.000Z", "frozen": True, "offset": 1796396400.0}
    for bad in ("soon", True, None, [1]):
        with pytest.raises(ClockError):
            clock.set(bad)
    with pytest.raises(ClockError, match="unknown clock command"):
        clock.update({"set": 1, "jump": 2})
    assert clock.now() == 1796396400.0  # a rejected command changes nothing
    assert clock.update({"set": 10, "advance": 5})["now"] == 15.0


def test_clock_listeners_run_after_every_move_and_apps_get_them():
    class Counting(App):
        moves = 0

        def on_clock_change(self):
            self.moves += 1

    clock = Clock(time_source=FakeTime())
    app = Counting(None, clock=clock)
    assert app.clock is clock
    clock.advance(1)
    clock.set(5)
    clock.freeze()  # freezing does not move time
    clock.unfreeze()
    assert app.moves == 3
    assert isinstance(App(None).clock, Clock)


# -- tables --------------------------------------------------------------------


def test_int_table_ids_count_up_and_are_never_reused_also_after_a_restart(tmp_path):
    path = str(tmp_path / "state.sqlite")
    tables = Tables(Store(path), "demo")
    users = tables.add("users", id_field="id")
    assert tables.load() is False
    assert users.insert({"name": "a"}) == 1
    assert users.insert({"name": "b"}) == 2
    assert users.get(1) == {"id": 1, "name": "a"}
    assert users.delete(2) == {"id": 2, "name": "b"}
    assert users.delete(2) is None
    assert users.next_id() == 3  # consumed without insert, like a failed DB insert
    assert users.insert({"name": "c"}) == 4
    users.put(1, {"id": 1, "name": "A"})
    with pytest.raises(KeyError):
        users.insert({"name": "dup"}, row_id=1)

    again = Tables(Store(path), "demo")
    users2 = again.add("users", id_field="id")
    assert again.load() is True
    assert users2.rows() == [(1, {"id": 1, "name": "A"}), (4, {"id": 4, "name": "c"})]
    assert users2.insert({"name": "d"}) == 5


def test_guid_and_key_tables_keep_insertion_order_across_a_restart(tmp_path):
    path = str(tmp_path / "state.sqlite")
    tables = Tables(Store(path), "demo")
    routes = tables.add("routes", id_kind="guid")
    domains = tables.add("domains", id_kind="key")
    first = routes.insert({"n": 1})
    second = routes.insert({"n": 2})
    assert first == first.upper() and len(first) == 36 and first != second
    for name in ("zeta.example", "alpha.example", "mid.example"):
        domains.insert({"name": name}, row_id=name)
    domains.put("zeta.example", {"name": "zeta.example", "changed": True})  # an update keeps the position
    with pytest.raises(ValueError, match="natural keys"):
        domains.insert({"name": "no key"})

    again = Tables(Store(path), "demo")
    again.add("routes", id_kind="guid")
    again.add("domains", id_kind="key")
    again.load()
    assert [doc["n"] for _id, doc in again["routes"].rows()] == [1, 2]
    assert list(again["domains"]) == ["zeta.example", "alpha.example", "mid.example"]
    assert again["domains"].get("zeta.example")["changed"] is True


def test_tables_find_first_wipe_and_platform_isolation():
    store = Store()
    one, other = Tables(store, "one"), Tables(store, "other")
    items, others = one.add("items", id_field="id", first_id=10), other.add("items")
    for colour in ("red", "blue", "red"):
        items.insert({"colour": colour})
    others.insert({"colour": "green"})
    assert [row_id for row_id, _doc in items.find(lambda d: d["colour"] == "red")] == [10, 12]
    assert items.first(lambda d: d["colour"] == "blue") == (11, {"colour": "blue", "id": 11})
    assert items.first(lambda d: d["colour"] == "pink") is None
    assert 11 in items and "11" not in items.data and len(items) == 3
    assert items.get("eleven") is None
    one.wipe()
    assert len(items) == 0 and items.insert({}) == 10
    assert len(others) == 1 and store.load("other") == {"items": {"1": {"colour": "green"}}}
    assert one.lock is items.lock  # one lock per platform state
    standalone = Table(None, "x", "t")
    assert standalone.insert({}) == 1 and standalone.rows() == [(1, {})]


# -- routes and errors -----------------------------------------------------------


def test_router_matches_full_paths_in_order_with_groups_and_reports_allowed_methods():
    router = Router()
    calls = []
    router.add("GET", r"/api/domains/", lambda req: calls.append("list") or Response(200))
    router.add(("PUT", "DELETE"), r"/api/domains/(?P<name>[^/]+)", lambda req, name: calls.append(name) or Response(204))
    router.add("GET", r"/api/domains/(?P<name>[^/]+)", lambda req, name: Response(200, body=name))
    assert router.dispatch(request("GET", "/api/domains/")).status == 200
    assert router.dispatch(request("DELETE", "/api/domains/a.example?x=1")).status == 204
    assert router.dispatch(request("HEAD", "/api/domains/b")).body == b"b"  # HEAD falls back to GET
    assert router.dispatch(request("POST", "/api/domains/b")) is None
    assert router.dispatch(request("GET", "/api/domains/b/extra")) is None
    assert router.dispatch(request("GET", "/API/domains/")) is None  # case-sensitive
    assert router.allowed("/api/domains/b") == ["PUT", "DELETE", "GET", "HEAD"]
    assert router.allowed("/nowhere") == []
    assert calls == ["list", "a.example"]


def test_default_app_handle_routes_and_renders_http_errors():
    class Tiny(App):
        def __init__(self):
            super().__init__(None)
            self.router = Router()
            self.router.add("GET", r"/ok", lambda req: Response.json(200, {"ok": True}))
            self.router.add("GET", r"/teapot", self.teapot)

        def teapot(self, req):
            raise http_error(418, "short and stout", shape="array", headers=[("X-Why", "tea")])

    app = Tiny()
    assert app.handle(request("GET", "/ok")).status == 200
    teapot = app.handle(request("GET", "/teapot"))
    assert (teapot.status, json.loads(teapot.body), teapot.header("X-Why")) == (418, [{"error": "short and stout"}], "tea")
    missing = app.handle(request("GET", "/nope"))
    assert (missing.status, json.loads(missing.body)) == (404, {"code": 404, "message": "Not found"})
    wrong = app.handle(request("DELETE", "/ok"))
    assert (wrong.status, wrong.header("Allow")) == (405, "GET, HEAD")


def test_http_error_payload_shapes():
    assert json.loads(json_error(422, "bad").body) == {"code": 422, "message": "bad"}
    assert HttpError(401, None, [("WWW-Authenticate", "Basic")]).response().body == b""
    text = HttpError(500, "boom").response()
    assert (text.body, text.header("Content-Type")) == (b"boom", "text/plain; charset=utf-8")
    assert http_error(400, "x", shape="array").message == "x"
    with pytest.raises(ValueError):
        json_error(400, "x", shape="table")


# -- auth ------------------------------------------------------------------------


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()}


def test_basic_auth_checks_credentials_and_challenges_with_its_realm():
    scheme = BasicAuth("api_admin_http", lambda user, password: {"login": user} if password == "s3cret" else None)
    assert scheme.authenticate(request(headers=basic("admin", "s3cret"))) == {"login": "admin"}
    for headers in (basic("admin", "wrong"), {}, {"Authorization": "Basic bm9jb2xvbg=="}, {"Authorization": "Basic %%%"}, {"Authorization": "Bearer x"}):
        with pytest.raises(AuthFailed) as failed:
            scheme.authenticate(request(headers=headers))
        assert failed.value.status == 401
        assert failed.value.headers == [("WWW-Authenticate", 'Basic realm="api_admin_http"')]
    assert json.loads(failed.value.response().body) == {"code": 401, "message": "Authorization required."}


def test_bearer_client_cert_header_requirement_and_chain():
    bearer = BearerAuth(lambda token: "jwt-user" if token == "good" else None)
    cert = ClientCertAuth(lambda c: "cert-user" if c["serial"] == 7 else None)
    basic_scheme = BasicAuth("r", lambda u, p: None)
    chain = AuthChain([cert, bearer, basic_scheme])
    assert chain.authenticate(request(headers={"Authorization": "Bearer good"})) == "jwt-user"
    assert chain.authenticate(request(client_cert={"serial": 7, "subject": "CN=x"})) == "cert-user"
    with pytest.raises(AuthFailed) as failed:
        chain.authenticate(request(headers={"Authorization": "Bearer bad"}))
    assert failed.value.headers == [("WWW-Authenticate", 'Bearer error="invalid_token"')]
    with pytest.raises(AuthFailed) as failed:
        chain.authenticate(request(client_cert={"serial": 8, "subject": "CN=x"}))
    assert failed.value.status == 403
    with pytest.raises(AuthFailed) as failed:
        chain.authenticate(request())
    assert failed.value.headers == [("WWW-Authenticate", "Bearer"), ("WWW-Authenticate", 'Basic realm="r"')]
    psk = HeaderRequirement("X-C5-Application", lambda value: value == "psk-1")
    assert psk.check(request(headers={"x-c5-application": "psk-1"})) == "psk-1"
    for headers in ({}, {"X-C5-Application": "psk-2"}):
        with pytest.raises(AuthFailed) as failed:
            psk.check(request(headers=headers))
        assert failed.value.status == 401 and "X-C5-Application" in failed.value.message


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def digest_header(challenge, user, password, method, uri, nc="00000001", cnonce="0a4f113b", response=None):
    """An RFC 7616 client computation, written independently of the server code."""
    params = parse_digest_params(challenge.partition(" ")[2])
    ha1 = md5("%s:%s:%s" % (user, params["realm"], password))
    ha2 = md5("%s:%s" % (method, uri))
    response = response or md5(":".join((ha1, params["nonce"], nc, cnonce, "auth", ha2)))
    return {"Authorization": 'Digest username="%s", realm="%s", nonce="%s", uri="%s", qop=auth, nc=%s, cnonce="%s", '
                             'response="%s", opaque="%s", algorithm=MD5' % (user, params["realm"], params["nonce"], uri, nc,
                                                                            cnonce, response, params["opaque"])}


@pytest.fixture
def digest():
    clock = Clock(time_source=FakeTime(1_800_000_000.0), frozen=True)
    passwords = {"alice": "wonderland"}
    return DigestAuth("SIP_settings", passwords.get, clock=clock), clock


def challenge_of(scheme, req):
    with pytest.raises(AuthFailed) as failed:
        scheme.authenticate(req)
    assert failed.value.status == 401
    (name, value), = failed.value.headers
    assert name == "WWW-Authenticate"
    return value


def test_digest_challenge_then_correct_response_passes(digest):
    scheme, _clock = digest
    challenge = challenge_of(scheme, request("GET", "/settings?realm=x"))
    params = parse_digest_params(challenge.partition(" ")[2])
    assert challenge.startswith("Digest ") and params["realm"] == "SIP_settings" and params["qop"] == "auth"
    assert params["opaque"] == md5("SIP_settings") and "stale" not in params
    stamp = base64.b64decode(params["nonce"]).decode().partition(":")[0]
    assert float(stamp) == 1_800_000_300.0  # expiry = clock + 300 s
    headers = digest_header(challenge, "alice", "wonderland", "GET", "/settings?realm=x")
    assert scheme.authenticate(request("GET", "/settings?realm=x", headers)) == "alice"
    # The same nonce is accepted again within its lifetime (no nc tracking by default).
    assert scheme.authenticate(request("GET", "/settings?realm=x", headers)) == "alice"


def test_digest_wrong_response_unknown_user_forged_nonce_basic_all_401_without_stale(digest):
    scheme, _clock = digest
    challenge = challenge_of(scheme, request())
    forged = challenge.replace(parse_digest_params(challenge.partition(" ")[2])["nonce"],
                               base64.b64encode(b"1900000000.0:0000").decode())
    for headers in (
        digest_header(challenge, "alice", "rabbit-hole", "GET", "/"),
        digest_header(challenge, "bob", "wonderland", "GET", "/"),
        digest_header(challenge, "alice", "wonderland", "POST", "/"),  # response for another method
        digest_header(forged, "alice", "wonderland", "GET", "/"),
        basic("alice", "wonderland"),
    ):
        again = challenge_of(scheme, request("GET", "/", headers))
        assert "stale" not in parse_digest_params(again.partition(" ")[2])
    without_qop = digest_header(challenge, "alice", "wonderland", "GET", "/")
    without_qop["Authorization"] = without_qop["Authorization"].replace("qop=auth, ", "")
    challenge_of(scheme, request("GET", "/", without_qop))


def test_digest_expired_nonce_by_the_clock_is_401_with_stale_true(digest):
    scheme, clock = digest
    challenge = challenge_of(scheme, request())
    headers = digest_header(challenge, "alice", "wonderland", "GET", "/")
    clock.advance(299)
    assert scheme.authenticate(request("GET", "/", headers)) == "alice"
    clock.advance(2)
    stale = challenge_of(scheme, request("GET", "/", headers))
    params = parse_digest_params(stale.partition(" ")[2])
    assert params["stale"] == "true"
    # The fresh nonce of the stale challenge works.
    assert scheme.authenticate(request("GET", "/", digest_header(stale, "alice", "wonderland", "GET", "/"))) == "alice"
    # An expired nonce with a wrong password is a plain failure, not stale.
    wrong = challenge_of(scheme, request("GET", "/", digest_header(challenge, "alice", "nope", "GET", "/")))
    assert "stale" not in parse_digest_params(wrong.partition(" ")[2])


def test_digest_nonce_count_replay_is_rejected_when_enabled():
    clock = Clock(time_source=FakeTime(), frozen=True)
    scheme = DigestAuth(lambda req: "example.org", {"alice": "pw"}.get, clock=clock, check_nc=True)
    challenge = challenge_of(scheme, request())
    assert 'realm="example.org"' in challenge
    first = digest_header(challenge, "alice", "pw", "GET", "/", nc="00000001")
    assert scheme.authenticate(request("GET", "/", first)) == "alice"
    challenge_of(scheme, request("GET", "/", first))  # replayed nc
    assert scheme.authenticate(request("GET", "/", digest_header(challenge, "alice", "pw", "GET", "/", nc="00000002"))) == "alice"


def test_digest_with_stored_ha1():
    clock = Clock(time_source=FakeTime(), frozen=True)
    stored = {"bob": md5("bob:sip.example:secret")}
    scheme = DigestAuth("sip.example", ha1_for=lambda user, realm: stored.get(user), clock=clock, principal=str.upper)
    challenge = challenge_of(scheme, request())
    assert scheme.authenticate(request("PUT", "/x", digest_header(challenge, "bob", "secret", "PUT", "/x"))) == "BOB"
