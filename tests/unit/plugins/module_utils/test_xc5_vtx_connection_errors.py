# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""XC5 and VTX errors come from the core, like C5's: a refused login names the
server's text, the login, the auth method, what to check and the URL; an
unreachable server its URL, the cause, what to check and the login; VTX adds its
allow-list only when the connection was dropped without a word (spec trap 9),
XC5 the API rights a 403 lacks.  ``open_client`` sends the platform's headers
with every request, a login request included, and names its ``endpoint``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading
from urllib.parse import urlsplit

import pytest
import requests

from ansible_collections.voip.provisioning.plugins.module_utils.core import client as core_client
from ansible_collections.voip.provisioning.plugins.module_utils.core.auth import LoginForToken
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import open_client
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.dialect import Dialect
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, ConnectionFailed
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options
from ansible_collections.voip.provisioning.plugins.module_utils.vtx import connection as vtx_connection
from ansible_collections.voip.provisioning.plugins.module_utils.xc5 import connection as xc5_connection

XC5 = {"url": "http://xc5.invalid/api-sys/", "username": "dave@dcom", "password": "dave-secret-1",
       "auth_method": "basic", "validate_certs": True, "timeout": 30, "retries": 0, "workers": 1}
VTX = {"url": "https://vtx.invalid/openapi", "username": "openapi@291908.bus.ent", "password": "vtx-secret-2",
       "service_psk": "7f3c9a1e-psk", "auth_method": "basic", "validate_certs": True, "timeout": 30, "retries": 0,
       "workers": 1}
VTX_LOGIN = "(VTX OpenAPI, login 'openapi@291908.bus.ent' with basic auth)"
ALLOW_LIST = ("VTX answers allow-listed source addresses only (Swiss and French IPs by default): a dropped connection "
              "is the symptom of a missing entry - ask VTX support to allow-list this host's public IP")


class Fail:
    """A script step: the connection fails with ``error``."""

    def __init__(self, error):
        self.error = error


class Transport:
    """A transport adapter answering from ``script``: ``(status, body)`` or a
    :class:`Fail` (a connection failure); records the requests sent."""

    def __init__(self, script):
        self.script = list(script)
        self.sent = []
        self.lock = threading.Lock()

    def send(self, request, **kwargs):
        with self.lock:
            self.sent.append(request)
            step = self.script.pop(0) if self.script else (200, [])
        if isinstance(step, Fail):
            raise step.error
        status, body = step
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.reason = "Reason"
        response.request = request
        response.url = request.url
        return response

    def close(self):
        pass


@pytest.fixture
def answers(monkeypatch):
    def install(*script):
        transport = Transport(script)
        monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", transport)
        return transport
    return install


def failure(connect, options, path):
    api = connect(Options(options), RunContext())
    try:
        with pytest.raises(ApiError) as caught:
            api.client.call("GET", path)
    finally:
        api.client.close()
    return caught.value


# --- XC5 ------------------------------------------------------------------------------------

def test_xc5_refused_login_names_the_api_url_the_login_and_what_to_check(answers):
    answers((401, [{"error": "unauthorized"}]))
    error = failure(xc5_connection.connect, XC5, "/api-sys/guid")
    assert str(error) == (
        "GET /api-sys/guid failed: HTTP 401: unauthorized. Authentication failed for login 'dave@dcom' with basic "
        "auth: check username and password (the login must be an existing, enabled XC5 account) "
        "(url http://xc5.invalid/api-sys)")
    assert "dave-secret-1" not in str(error)


def test_xc5_forbidden_names_the_api_rights(answers):
    answers((403, [{"error": "access denied"}]))
    error = failure(xc5_connection.connect, XC5, "/api-sys/account/x.co.nz")
    assert str(error) == (
        "GET /api-sys/account/x.co.nz failed: HTTP 403: access denied. Login 'dave@dcom' with basic auth is "
        "authenticated but not allowed to GET /api-sys/account/x.co.nz: an XC5 login reaches every account with "
        "accountresource:api_access=system, only its own account and its descendants with =user, nothing without "
        "it; only the XC5 operator can grant it")


def test_xc5_unreachable_names_the_api_url_the_cause_and_the_login(answers):
    answers(Fail(requests.exceptions.ConnectionError("NewConnectionError: Failed to establish a new connection: "
                                                     "[Errno 111] Connection refused")))
    error = failure(xc5_connection.connect, XC5, "/api-sys/guid")
    assert isinstance(error, ConnectionFailed)
    assert str(error) == (
        "GET /api-sys/guid failed: cannot reach http://xc5.invalid/api-sys: connection refused on port 80. Check the "
        "port in url and that the API service runs there (XC5 API, login 'dave@dcom' with basic auth)")
    assert (error.url, error.cause) == ("http://xc5.invalid/api-sys", "connection refused on port 80")


# --- VTX ------------------------------------------------------------------------------------

def test_vtx_refused_login_names_the_psk_too_never_its_value(answers):
    answers((401, {"timestamp": "2026-12-05T05:00:00Z", "path": "/openapi/v1/system/server", "status": 401,
                   "error": "Unauthorized", "requestId": "0badcafe", "message": ""}))
    error = failure(vtx_connection.connect, VTX, "v1/system/server")
    assert str(error) == (
        "GET v1/system/server failed: HTTP 401: Unauthorized (requestId 0badcafe). Authentication failed for login "
        "'openapi@291908.bus.ent' with basic auth: check username, password and service_psk (the X-C5-Application "
        "value VTX support issued) (url https://vtx.invalid/openapi)")
    assert "7f3c9a1e" not in str(error) and "vtx-secret-2" not in str(error)


def test_vtx_connection_attempt_without_answer_points_at_the_allow_list(answers):
    # What a source address VTX has not allow-listed meets: the SYN is dropped.
    answers(Fail(requests.exceptions.ConnectTimeout("Connection to vtx.invalid timed out. (connect timeout=30)")))
    error = failure(vtx_connection.connect, VTX, "v1/system/server")
    assert str(error) == (
        "GET v1/system/server failed: cannot reach https://vtx.invalid/openapi: no answer to the connection attempt "
        "within 30 s. Check host and port in url, and that no firewall or allow-list of the platform drops this "
        "machine. " + ALLOW_LIST + " " + VTX_LOGIN)


def test_vtx_connection_closed_without_answer_points_at_the_allow_list(answers):
    answers(Fail(requests.exceptions.ConnectionError("('Connection aborted.', ConnectionResetError(104, 'Connection "
                                                     "reset by peer'))")))
    error = failure(vtx_connection.connect, VTX, "v1/system/server")
    assert str(error) == (
        "GET v1/system/server failed: cannot reach https://vtx.invalid/openapi: the server closed the connection "
        "without an answer. A firewall, a proxy or the platform's allow-list may drop this machine; check host and "
        "port in url. " + ALLOW_LIST + " " + VTX_LOGIN)


@pytest.mark.parametrize("exc, expected", [
    (requests.exceptions.ConnectionError("NewConnectionError: Failed to establish a new connection: [Errno 111] "
                                         "Connection refused"),
     "connection refused on port 443. Check the port in url and that the API service runs there"),
    (requests.exceptions.SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed "
                                  "certificate (_ssl.c:1006)"),
     "the server's TLS certificate is not trusted (CERTIFICATE_VERIFY_FAILED: certificate verify failed: "
     "self-signed certificate). Give the CA that issued it in ca_path (or set validate_certs to false on a test "
     "system only)"),
], ids=["refused", "tls"])
def test_vtx_answers_that_are_not_a_drop_do_not_blame_the_allow_list(answers, exc, expected):
    answers(Fail(exc))
    error = failure(vtx_connection.connect, VTX, "v1/system/server")
    assert str(error) == ("GET v1/system/server failed: cannot reach https://vtx.invalid/openapi: %s %s"
                          % (expected, VTX_LOGIN))


def test_the_default_dialect_leaves_the_clients_advice_alone():
    assert Dialect().dropped_hint("Check host and port in url") == "Check host and port in url"


# --- open_client: headers and endpoint ------------------------------------------------------

def test_open_client_sends_the_platforms_headers_with_every_request_the_login_included(answers):
    transport = answers((200, {"jwt": "a-token"}), (200, {"ok": True}))
    login = LoginForToken("jwt", "/login_jwt", request_body=lambda values: {"username": values["username"]},
                          token_from=lambda body: body.get("jwt"))
    options = Options({"url": "https://api.invalid/api", "username": "admin", "password": "p", "auth_method": "jwt",
                       "validate_certs": True, "timeout": 30, "retries": 0, "workers": 1})
    client = open_client(options, None, Dialect(), [login], "jwt", "T", "https://api.invalid", url_suffix="/api",
                         headers={"Accept": "application/x-test", "X-Tenant": "7"},
                         endpoint="https://api.invalid/api/")
    try:
        assert client.call("GET", "/api/things") == {"ok": True}
    finally:
        client.close()
    assert [urlsplit(r.url).path for r in transport.sent] == ["/login_jwt", "/api/things"]
    assert [(r.headers["Accept"], r.headers["X-Tenant"]) for r in transport.sent] == [("application/x-test", "7")] * 2
    assert transport.sent[1].headers["Authorization"] == "Bearer a-token"
    assert (client.base_url, client.endpoint) == ("https://api.invalid", "https://api.invalid/api")


def test_platform_clients_carry_their_headers_and_endpoint_from_open_client(answers):
    answers()
    xc5 = xc5_connection.connect(Options(XC5), RunContext())
    vtx = vtx_connection.connect(Options(VTX), RunContext())
    try:
        assert (xc5.client.base_url, xc5.client.endpoint) == ("http://xc5.invalid", "http://xc5.invalid/api-sys")
        assert xc5.client.session.headers["Accept"] == "application/hal+json, application/json"
        assert vtx.client.endpoint == "https://vtx.invalid/openapi"
        assert (vtx.client.session.headers["Accept"], vtx.client.session.headers["Content-Type"],
                vtx.client.session.headers["X-C5-Application"]) == ("application/json", "application/json",
                                                                    "7f3c9a1e-psk")
    finally:
        xc5.client.close()
        vtx.client.close()


def test_xc5_url_with_a_wrong_scheme_never_echoes_its_credentials():
    from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
    from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options
    from ansible_collections.voip.provisioning.plugins.module_utils.xc5.connection import base_url

    message = None
    try:
        base_url(Options({"url": "ftp://dave:Secret-pw-1@xc5.example.net"}))
    except InputError as exc:
        message = str(exc)
    assert message is not None, "no error"
    assert "Secret-pw-1" not in message and "dave" not in message
    assert message == ("url 'xc5.example.net' must start with https:// (or http:// for in-house provisioning); "
                       "and give the login as username/password, not in url")
