# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Auth strategies: what each sends, what it needs, what its messages say; Digest
against the real SIP2SIP emulator in-process (challenge, qop=auth, stale=true)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import json
import os
import stat
import sys
import time
from email.utils import formatdate

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.c5.dialect import C5Dialect, JWT_LOGIN, c5_argument_spec
from ansible_collections.voip.provisioning.plugins.module_utils.core import auth as core_auth
from ansible_collections.voip.provisioning.plugins.module_utils.core import client as core_client
from ansible_collections.voip.provisioning.plugins.module_utils.core import token_cache
from ansible_collections.voip.provisioning.plugins.module_utils.core.auth import (
    BasicAuth, BearerToken, ClientCertificate, DigestAuth, DigestAuthorizer, ExtraHeader, LoginForToken,
    connection_argument_spec, parse_digest_challenge, select_strategy)
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import ApiClient
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, VoipError

try:
    import voip_emulator  # noqa: F401 pylint: disable=unused-import
except ImportError:  # ansible-test units: the emulator is in the collection's emulator/ folder
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), *([os.pardir] * 5 + ["emulator"])))
from voip_emulator.inprocess import InProcessEmulator  # noqa: E402 pylint: disable=wrong-import-position

LOGIN = LoginForToken("jwt", "/login_jwt", request_body=lambda v: {"username": v["username"], "password": v["password"]},
                      token_from=lambda body: body.get("jwt"), no_token_hint="use auth_method=basic")
STRATEGIES = (BearerToken(), ClientCertificate(), BasicAuth(), LOGIN)


class Recorder:
    """A transport adapter answering from a script and keeping every prepared request."""

    def __init__(self, answers=None):
        import requests
        self.requests_module = requests
        self.answers = list(answers or [])
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append(request)
        status, headers, body = self.answers.pop(0) if self.answers else (200, {}, b'{"ok": true}')
        response = self.requests_module.Response()
        response.status_code = status
        response.headers.update(headers)
        response._content = body
        response.request = request
        response.url = request.url
        return response

    def close(self):
        pass


@pytest.fixture
def recorder(monkeypatch):
    adapter = Recorder()
    monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", adapter)
    return adapter


def make_client(strategy, values, **kwargs):
    return ApiClient("http://api.invalid", auth=strategy.bind(values), backoff_factor=0.01, **kwargs)


# --- argument spec and selection -------------------------------------------------------------

def test_connection_spec_is_built_from_the_strategies():
    spec = connection_argument_spec("C5", STRATEGIES, "basic", extra={"page_size": dict(type="int", default=100)})
    assert spec["auth_method"]["choices"] == ["token", "client_cert", "basic", "jwt"]
    # A strategy is implied by an option (token, client_cert): no default, select_strategy infers it.
    assert "default" not in spec["auth_method"]
    assert spec["password"]["no_log"] is True and spec["token"]["no_log"] is True
    assert spec["client_key"]["no_log"] is False
    for name in ("url", "username", "password", "token", "client_cert", "client_key", "validate_certs", "ca_path",
                 "timeout", "retries", "workers", "auth_method", "page_size"):
        assert spec[name]["fallback"][1] == ["C5_%s" % name.upper()], name
    assert spec["workers"]["default"] == 2 and spec["timeout"]["default"] == 120.0 and spec["retries"]["default"] == 3


def test_connection_spec_default_method_and_extra_header_option():
    vtx = BasicAuth(extras=[ExtraHeader("X-C5-Application", "application_id")])
    spec = connection_argument_spec("VTX", [vtx], "basic")
    assert spec["auth_method"] == {"type": "str", "choices": ["basic"], "default": "basic",
                                   "fallback": spec["auth_method"]["fallback"]}
    assert spec["application_id"]["no_log"] is True
    assert spec["application_id"]["fallback"][1] == ["VTX_APPLICATION_ID"]


@pytest.mark.parametrize("values, expected", [
    ({"token": "t", "username": "u", "password": "p"}, "token"),
    ({"client_cert": __file__, "username": "u", "password": "p"}, "client_cert"),
    ({"username": "u", "password": "p"}, "basic"),
    ({"auth_method": "jwt", "username": "u", "password": "p", "token": "t"}, "jwt"),
])
def test_select_strategy_explicit_or_implied(values, expected):
    assert select_strategy(values, STRATEGIES, "basic").name == expected


def test_no_credentials_lists_every_way():
    with pytest.raises(InputError) as caught:
        select_strategy({}, STRATEGIES, "basic", env_prefix="C5")
    assert str(caught.value) == ("no credentials: set token (C5_TOKEN), or client_cert (C5_CLIENT_CERT), "
                                 "or username (C5_USERNAME) and password (C5_PASSWORD)")


def test_explicit_method_names_what_it_lacks():
    with pytest.raises(InputError, match=r"^auth_method jwt needs password: set password \(C5_PASSWORD\)$"):
        select_strategy({"auth_method": "jwt", "username": "admin", "token": "t"}, STRATEGIES, "basic", env_prefix="C5")


def test_an_implied_method_says_why_it_applies():
    with pytest.raises(InputError, match=r"^auth_method basic \(the default\) needs password: set password \(C5_PASSWORD\)$"):
        select_strategy({"username": "admin"}, STRATEGIES, "basic", env_prefix="C5")


def test_client_certificate_file_must_exist(tmp_path):
    with pytest.raises(InputError, match="client_cert: no such file '%s/missing.pem'" % tmp_path):
        select_strategy({"client_cert": str(tmp_path / "missing.pem")}, STRATEGIES, "basic")


def test_describe_names_the_login_and_method_never_a_secret():
    basic = select_strategy({"username": "admin", "password": "s3cret"}, STRATEGIES, "basic")
    assert basic.describe() == "login 'admin' with basic auth"
    token = select_strategy({"token": "tok-123"}, STRATEGIES, "basic")
    assert token.describe() == "a bearer token" and "tok-123" not in token.describe()
    jwt = select_strategy({"auth_method": "jwt", "username": "admin", "password": "s3cret"}, STRATEGIES, "basic")
    assert jwt.describe() == "login 'admin' with a token login"


# --- what each strategy sends ----------------------------------------------------------------

def test_basic_sends_credentials_with_every_request(recorder):
    client = make_client(BasicAuth(), {"username": "admin", "password": "pw"})
    client.request("GET", "/a")
    client.request("GET", "/b")
    expected = "Basic " + base64.b64encode(b"admin:pw").decode()
    assert [r.headers["Authorization"] for r in recorder.sent] == [expected, expected]


def test_bearer_token_header(recorder):
    make_client(BearerToken(), {"token": "abc"}).request("GET", "/a")
    assert recorder.sent[0].headers["Authorization"] == "Bearer abc"


def test_login_for_token_logs_in_once_then_sends_the_token(recorder):
    recorder.answers = [(200, {}, b'{"jwt": "the-token"}')]
    client = make_client(LOGIN, {"username": "admin", "password": "pw"})
    client.request("GET", "/a")
    client.request("GET", "/b")
    login = recorder.sent[0]
    assert (login.method, login.path_url, login.body) == ("POST", "/login_jwt", b'{"username": "admin", "password": "pw"}')
    assert "Authorization" not in login.headers
    assert [r.headers["Authorization"] for r in recorder.sent[1:]] == ["Bearer the-token"] * 2


def test_login_without_a_token_fails_with_the_hint(recorder):
    recorder.answers = [(200, {}, b'{"something": "else"}')]
    with pytest.raises(VoipError, match="^POST /login_jwt answered without a token; use auth_method=basic$"):
        make_client(LOGIN, {"username": "admin", "password": "pw"})


def test_a_refused_login_says_check_username_and_password(recorder):
    recorder.answers = [(403, {}, b'{"code": 403, "message": "User not found"}')]
    with pytest.raises(ApiError) as caught:
        make_client(LOGIN, {"username": "admin", "password": "bad-pass"})
    assert str(caught.value) == ("POST /login_jwt failed: HTTP 403: User not found. Login 'admin' with a token login "
                                 "was refused: check username and password (the account must exist and be active)")
    assert len(recorder.sent) == 1


# --- the token cache: one login per play -----------------------------------------------------

@pytest.fixture(autouse=True)
def private_token_cache(tmp_path, monkeypatch):
    """Every test its own cache directory: never the user's, never shared."""
    directory = tmp_path / "token-cache"
    monkeypatch.setenv(token_cache.DIRECTORY_ENV, str(directory))
    return directory


def signed(claims):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode("utf-8")).decode("ascii").rstrip("=")
    return "%s.%s.c2ln" % (part({"typ": "JWT", "alg": "HS256"}), part(claims))


def login_answer(lifetime=3600, **claims):
    claims.setdefault("id", 1)
    claims.setdefault("username", "admin")
    if lifetime is not None:
        claims.setdefault("exp", int(time.time()) + lifetime)
    token = signed(claims)
    return token, (200, {}, json.dumps({"jwt": token, "id": 1}).encode("utf-8"))


INVALID_USER = (403, {}, b'{"code": 403, "message": "Invalid user"}')
AUTH_REQUIRED = (401, {"WWW-Authenticate": 'Basic realm="api_admin_http"'}, b"Authorization required.")
CACHED = {"username": "admin", "password": "pw", "token_cache": True}


def task(values=None, strategy=JWT_LOGIN):
    """A client as one task builds it (a new process in Ansible: only the disk is shared)."""
    return make_client(strategy, dict(CACHED, **(values or {})))


def sent(recorder):
    return [(r.method, r.path_url, r.headers.get("Authorization")) for r in recorder.sent]


def test_the_c5_spec_has_token_cache_on_by_default_with_an_env_fallback():
    spec = c5_argument_spec()
    assert spec["token_cache"]["type"] == "bool" and spec["token_cache"]["default"] is True
    assert spec["token_cache"]["fallback"][1] == ["C5_TOKEN_CACHE"]


def test_the_tasks_of_a_play_share_one_login(recorder, private_token_cache):
    token, answer = login_answer()
    recorder.answers = [answer]
    task().request("GET", "/api/a")
    task().request("GET", "/api/b")
    task().request("POST", "/api/c", json_body={})
    assert sent(recorder) == [("POST", "/login_jwt", None), ("GET", "/api/a", "Bearer " + token),
                              ("GET", "/api/b", "Bearer " + token), ("POST", "/api/c", "Bearer " + token)]
    (entry,) = [n for n in os.listdir(str(private_token_cache)) if n.endswith(".json")]
    assert stat.S_IMODE(os.stat(str(private_token_cache / entry)).st_mode) == 0o600


def test_token_cache_false_logs_in_every_task(recorder, private_token_cache):
    first, answer1 = login_answer(jti=1)
    second, answer2 = login_answer(jti=2)
    recorder.answers = [answer1, (200, {}, b"{}"), answer2, (200, {}, b"{}")]
    task({"token_cache": False}).request("GET", "/api/a")
    task({"token_cache": False}).request("GET", "/api/b")
    assert sent(recorder) == [("POST", "/login_jwt", None), ("GET", "/api/a", "Bearer " + first),
                              ("POST", "/login_jwt", None), ("GET", "/api/b", "Bearer " + second)]
    assert not private_token_cache.exists()


def test_other_credentials_or_another_url_never_reuse_a_token(recorder):
    tokens, answers = zip(*[login_answer(jti=n) for n in range(4)])
    recorder.answers = [answers[0], (200, {}, b"{}"), answers[1], (200, {}, b"{}"), answers[2], (200, {}, b"{}"),
                        answers[3], (200, {}, b"{}")]
    task().request("GET", "/api/a")
    task({"password": "other-pw"}).request("GET", "/api/a")
    task({"username": "reseller"}).request("GET", "/api/a")
    ApiClient("http://other.invalid", auth=JWT_LOGIN.bind(CACHED)).request("GET", "/api/a")
    assert [a for m, p, a in sent(recorder) if p == "/api/a"] == ["Bearer " + t for t in tokens]
    assert [p for m, p, a in sent(recorder)].count("/login_jwt") == 4


def test_a_token_without_exp_is_not_cached(recorder, private_token_cache):
    token, answer = login_answer(lifetime=None)
    recorder.answers = [answer, (200, {}, b"{}"), answer, (200, {}, b"{}")]
    task().request("GET", "/api/a")
    task().request("GET", "/api/b")
    assert [p for m, p, a in sent(recorder)] == ["/login_jwt", "/api/a", "/login_jwt", "/api/b"]
    assert [n for n in os.listdir(str(private_token_cache)) if n.endswith(".json")] == []


def test_a_token_near_its_expiry_is_not_reused(recorder):
    # 10 % of a 300 s lifetime is less than 60 s: the 60 s margin applies.
    short, answer1 = login_answer(lifetime=55, jti=1)
    fresh, answer2 = login_answer(jti=2)
    recorder.answers = [answer1, (200, {}, b"{}"), answer2, (200, {}, b"{}"), (200, {}, b"{}")]
    task().request("GET", "/api/a")
    task().request("GET", "/api/b")
    task().request("GET", "/api/c")
    assert sent(recorder) == [("POST", "/login_jwt", None), ("GET", "/api/a", "Bearer " + short),
                              ("POST", "/login_jwt", None), ("GET", "/api/b", "Bearer " + fresh),
                              ("GET", "/api/c", "Bearer " + fresh)]


@pytest.mark.parametrize("offset", [-7200, 7200], ids=["server-2h-behind", "server-2h-ahead"])
def test_exp_is_read_on_the_server_clock_given_by_the_login_answers_date(recorder, offset):
    """A C5 whose clock is 2 h off ours: its 1 h token is reused for the next
    task (behind: exp is in our past; without the Date it would never be cached)
    and not after 1 h by our clock (ahead: exp is 3 h in our future)."""
    server_now = int(time.time()) + offset
    token, (status, _headers, body) = login_answer(exp=server_now + 3600)
    recorder.answers = [(status, {"Date": formatdate(server_now, usegmt=True)}, body)]
    task().request("GET", "/api/a")
    task().request("GET", "/api/b")
    assert [p for m, p, a in sent(recorder)] == ["/login_jwt", "/api/a", "/api/b"]
    (entry,) = [json.load(open(os.path.join(os.environ[token_cache.DIRECTORY_ENV], n)))
                for n in os.listdir(os.environ[token_cache.DIRECTORY_ENV]) if n.endswith(".json")]
    assert abs(entry["expires"] - (time.time() + 3600)) < 5


def test_a_corrupt_cache_file_means_a_login_never_a_failure(recorder, private_token_cache):
    token, answer = login_answer()
    recorder.answers = [answer]
    task().request("GET", "/api/a")
    (entry,) = [n for n in os.listdir(str(private_token_cache)) if n.endswith(".json")]
    (private_token_cache / entry).write_bytes(b'{"version": 1, "token": ')
    fresh, answer2 = login_answer(jti=2)
    recorder.answers = [answer2]
    task().request("GET", "/api/b")
    assert sent(recorder)[-2:] == [("POST", "/login_jwt", None), ("GET", "/api/b", "Bearer " + fresh)]


@pytest.mark.parametrize("refusal", [INVALID_USER, AUTH_REQUIRED], ids=["403-invalid-user", "401"])
def test_a_refused_cached_token_is_dropped_and_the_task_logs_in_once_more(recorder, refusal):
    """A C5 refuses a token it no longer accepts (expired by its clock, new key)
    with 403 Invalid user: the request is sent again after one new login."""
    old, answer1 = login_answer(jti=1)
    new, answer2 = login_answer(jti=2)
    recorder.answers = [answer1]
    task().request("GET", "/api/a")
    recorder.answers = [refusal, answer2, (201, {"Location": "/api/domains/7"}, b"")]
    response = task().request("POST", "/api/domains/", json_body={"domain": "d"})
    assert response.status_code == 201
    assert sent(recorder)[2:] == [("POST", "/api/domains/", "Bearer " + old), ("POST", "/login_jwt", None),
                                  ("POST", "/api/domains/", "Bearer " + new)]
    # The next task takes the new token from the cache.
    recorder.answers = []
    task().request("GET", "/api/b")
    assert sent(recorder)[-1] == ("GET", "/api/b", "Bearer " + new)


def test_a_refused_cached_token_is_retried_once_only(recorder):
    """The new token refused too (the login may not do this): the error stands, one login."""
    old, answer1 = login_answer(jti=1)
    recorder.answers = [answer1]
    task().request("GET", "/api/a")
    new, answer2 = login_answer(jti=2)
    recorder.answers = [INVALID_USER, answer2, INVALID_USER]
    with pytest.raises(ApiError) as caught:
        task().request("GET", "/api/resellers/")
    assert caught.value.status == 403 and caught.value.server_message == "Invalid user"
    assert [p for m, p, a in sent(recorder)[2:]] == ["/api/resellers/", "/login_jwt", "/api/resellers/"]


def test_a_token_just_obtained_and_refused_is_not_a_reason_to_log_in_again(recorder):
    token, answer = login_answer()
    recorder.answers = [answer, INVALID_USER]
    with pytest.raises(ApiError) as caught:
        task().request("GET", "/api/resellers/")
    assert caught.value.status == 403
    assert [p for m, p, a in sent(recorder)] == ["/login_jwt", "/api/resellers/"]


def test_without_403_in_refused_statuses_a_403_on_a_cached_token_stands(recorder):
    generic = LoginForToken("jwt", "/login_jwt", request_body=lambda v: {"username": v["username"], "password": v["password"]},
                            token_from=lambda body: body.get("jwt"))
    token, answer = login_answer()
    recorder.answers = [answer]
    task(strategy=generic).request("GET", "/api/a")
    recorder.answers = [INVALID_USER]
    with pytest.raises(ApiError):
        task(strategy=generic).request("GET", "/api/b")
    assert [p for m, p, a in sent(recorder)] == ["/login_jwt", "/api/a", "/api/b"]


def test_a_refused_relogin_says_the_login_was_refused(recorder):
    old, answer = login_answer()
    recorder.answers = [answer]
    task().request("GET", "/api/a")
    recorder.answers = [INVALID_USER, (403, {}, b'{"code": 403, "message": "User not found"}')]
    with pytest.raises(ApiError) as caught:
        task().request("GET", "/api/b")
    assert str(caught.value).startswith("POST /login_jwt failed: HTTP 403: User not found. Login 'admin' with a JWT "
                                        "login was refused")


def test_a_long_task_logs_in_again_when_its_own_token_wears_out(recorder, monkeypatch):
    token, answer = login_answer(lifetime=3600)
    recorder.answers = [answer]
    client = task({"token_cache": False})
    client.request("GET", "/api/a")
    started = time.time()
    monkeypatch.setattr(core_auth.time, "time", lambda: started + 3600)
    fresh, answer2 = login_answer(jti=2, exp=int(started) + 7200)
    recorder.answers = [AUTH_REQUIRED, answer2, (200, {}, b"{}")]
    client.request("GET", "/api/b")
    assert sent(recorder)[2:] == [("GET", "/api/b", "Bearer " + token), ("POST", "/login_jwt", None),
                                  ("GET", "/api/b", "Bearer " + fresh)]


def test_workers_refused_with_the_old_token_retry_with_the_new_one_without_another_login(recorder):
    old, answer1 = login_answer(jti=1)
    recorder.answers = [answer1]
    task().request("GET", "/api/a")
    new, answer2 = login_answer(jti=2)
    recorder.answers = [INVALID_USER, answer2, (200, {}, b"{}")]
    client = task()
    client.request("GET", "/api/b")
    # A second bulk worker's request, sent with the old token before the new login, refused now:
    stale = recorder.requests_module.Request("GET", "http://api.invalid/api/c",
                                             headers={"Authorization": "Bearer " + old}).prepare()
    refused = recorder.requests_module.Response()
    refused.status_code, refused.request = 403, stale
    assert client.auth.retry_unauthorized(refused) is True
    assert [p for m, p, a in sent(recorder)].count("/login_jwt") == 2


def test_the_token_is_not_in_the_strategy_description_or_error_hints(recorder):
    token, answer = login_answer()
    recorder.answers = [answer, AUTH_REQUIRED]
    client = task()
    with pytest.raises(ApiError) as caught:
        client.request("GET", "/api/a")
    assert token not in str(caught.value) and token not in client.auth.describe()


def test_a_given_token_refused_by_a_c5_says_it_may_have_expired(recorder):
    recorder.answers = [INVALID_USER]
    client = ApiClient("http://api.invalid", dialect=C5Dialect(), auth=BearerToken().bind({"token": "tok-secret"}))
    with pytest.raises(ApiError) as caught:
        client.request("GET", "/api/domains/")
    assert str(caught.value).endswith("; a C5 also answers 403 to a token that has expired or whose login is inactive: "
                                      "get a new token")
    assert "tok-secret" not in str(caught.value) and len(recorder.sent) == 1


def test_client_certificate_goes_with_every_request(recorder, monkeypatch, tmp_path):
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_text("x")
    key.write_text("y")
    seen = []
    original = recorder.send

    def send(request, **kwargs):
        seen.append(kwargs.get("cert"))
        return original(request, **kwargs)

    monkeypatch.setattr(recorder, "send", send)
    client = make_client(ClientCertificate(), {"client_cert": str(cert), "client_key": str(key)})
    client.request("GET", "/a")
    assert seen == [(str(cert), str(key))]
    assert "Authorization" not in recorder.sent[0].headers


def test_extra_header_with_basic_is_required_and_sent(recorder):
    vtx = BasicAuth(extras=[ExtraHeader("X-C5-Application", "application_id")])
    with pytest.raises(InputError, match=r"^auth_method basic \(the default\) needs application_id: set application_id "
                                         r"\(VTX_APPLICATION_ID\)$"):
        select_strategy({"username": "openapi@1.bus.ent", "password": "pw"}, [vtx], "basic", env_prefix="VTX")
    strategy = select_strategy({"username": "openapi@1.bus.ent", "password": "pw", "application_id": "psk-1"}, [vtx], "basic")
    ApiClient("http://api.invalid", auth=strategy).request("GET", "/a")
    assert recorder.sent[0].headers["X-C5-Application"] == "psk-1"
    assert recorder.sent[0].headers["Authorization"].startswith("Basic ")
    assert "psk-1" not in strategy.describe()


def test_a_401_is_not_resent_by_non_digest_strategies(recorder):
    recorder.answers = [(401, {"WWW-Authenticate": 'Basic realm="api"'}, b'{"message": "Authorization required."}')]
    with pytest.raises(ApiError) as caught:
        make_client(BasicAuth(), {"username": "admin", "password": "bad"}).request("POST", "/api/x/", json_body={})
    assert caught.value.status == 401 and len(recorder.sent) == 1


# --- Digest -----------------------------------------------------------------------------------

def test_parse_digest_challenge():
    header = 'Basic realm="x", Digest realm="sip2sip.info", qop="auth", nonce="MTIz", opaque="abc", stale=true'
    assert parse_digest_challenge(header) == {"realm": "sip2sip.info", "qop": "auth", "nonce": "MTIz",
                                              "opaque": "abc", "stale": "true"}
    assert parse_digest_challenge('Basic realm="x"') is None


def test_digest_response_follows_rfc_7616_qop_auth():
    authorizer = DigestAuthorizer("alice", "secret")
    challenge = {"realm": "sip2sip.info", "nonce": "n1", "qop": "auth", "opaque": "op"}
    header = authorizer.header("GET", "/settings.phtml?realm=sip2sip.info", challenge, 1, cnonce="c0ffee")

    def md5(text):
        return hashlib.md5(text.encode()).hexdigest()

    ha1, ha2 = md5("alice:sip2sip.info:secret"), md5("GET:/settings.phtml?realm=sip2sip.info")
    expected = md5("%s:n1:00000001:c0ffee:auth:%s" % (ha1, ha2))
    assert header == ('Digest username="alice", realm="sip2sip.info", nonce="n1", '
                      'uri="/settings.phtml?realm=sip2sip.info", response="%s", qop=auth, nc=00000001, '
                      'cnonce="c0ffee", opaque="op"' % expected)


@pytest.fixture
def sip2sip(monkeypatch):
    emulator = InProcessEmulator("sip2sip")
    monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", emulator.adapter)
    yield emulator
    emulator.close()


def digest_client(password="alice-web-secret"):
    strategy = select_strategy({"auth_method": "digest", "username": "alice", "password": password}, [DigestAuth()], "digest")
    return ApiClient("http://emulator.invalid", auth=strategy, backoff_factor=0.01)


def statuses(emulator):
    return [entry["status"] for entry in emulator.requests() if entry["path"].startswith("/settings")]


IDENTITY = {"realm": "sip2sip.info", "action": "get_identity"}


def test_digest_challenge_then_one_nonce_for_many_requests(sip2sip):
    client = digest_client()
    for _index in range(3):
        client.request("GET", "/settings.phtml", params=IDENTITY)
    # One challenge, then every request signed with the same nonce (nc counts up).
    assert statuses(sip2sip) == [401, 200, 200, 200]
    assert client.auth.authorizer.nonce_count == 3


def test_digest_stale_nonce_is_retried_once_with_the_new_nonce(sip2sip):
    client = digest_client()
    client.request("GET", "/settings.phtml", params=IDENTITY)
    first_nonce = client.auth.authorizer.challenge["nonce"]
    sip2sip.clock.advance(301)  # the server's nonces live 300 s
    client.request("POST", "/settings.phtml", params=IDENTITY)
    log = [e for e in sip2sip.requests() if e["path"].startswith("/settings")]
    assert [(e["method"], e["status"]) for e in log] == [("GET", 401), ("GET", 200), ("POST", 401), ("POST", 200)]
    assert client.auth.authorizer.challenge["nonce"] != first_nonce
    assert client.auth.authorizer.challenge["stale"] == "true"


def test_digest_wrong_password_fails_after_one_challenge(sip2sip):
    client = digest_client(password="wrong")
    with pytest.raises(ApiError) as caught:
        client.request("GET", "/settings.phtml", params=IDENTITY)
    assert caught.value.status == 401
    assert statuses(sip2sip) == [401, 401]
    assert "wrong" not in str(caught.value)
