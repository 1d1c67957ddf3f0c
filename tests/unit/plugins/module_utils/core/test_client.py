# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared HTTP client against a scripted loopback server: retries, Retry-After,
POST never retried blindly, error messages, connection bound, C5 paging."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import os
import sys

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.c5.dialect import C5Api, C5Dialect, embedded_items, id_from_location
from ansible_collections.voip.provisioning.plugins.module_utils.core.auth import BasicAuth
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import ApiClient, check_connection_options
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, ConnectionFailed, InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options

try:
    import voip_emulator  # noqa: F401 pylint: disable=unused-import
except ImportError:  # ansible-test units: the emulator is in the collection's emulator/ folder
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), *([os.pardir] * 5 + ["emulator"])))


class ScriptedServer:
    """Answers each request with the next scripted (status, headers, body); records requests."""

    def __init__(self):
        self.script = []
        self.requests = []
        self.connections = set()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append((self.command, self.path, dict(self.headers), body))
                outer.connections.add(self.client_address)
                status, headers, payload = outer.script.pop(0) if outer.script else (200, {}, {})
                if status == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                lines = ["HTTP/1.1 %d X" % status, "Content-Length: %d" % len(data)]
                lines += ["%s: %s" % kv for kv in headers.items()]
                self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = ScriptedServer()
    yield srv
    srv.close()


def client_for(server, **kwargs):
    kwargs.setdefault("backoff_factor", 0.01)
    kwargs.setdefault("dialect", C5Dialect())
    warnings = []
    auth = BasicAuth().bind({"username": "admin", "password": "s3cret-pass"})
    client = ApiClient(server.url, auth=auth, warn=warnings.append, **kwargs)
    client.warnings = warnings
    return client


def test_get_is_retried_on_503_and_honours_retry_after(server):
    server.script = [(503, {"Retry-After": "1"}, {"code": 503, "message": "busy"}), (200, {}, {"ok": True})]
    client = client_for(server)
    started = time.monotonic()
    assert client.request("GET", "/api/domains/1").json() == {"ok": True}
    assert time.monotonic() - started >= 0.9
    assert len(server.requests) == 2
    assert "retrying GET /api/domains/1 (attempt 2 of 4) after: HTTP 503" in client.warnings[0]


def test_put_is_retried_after_a_dropped_connection(server):
    server.script = [("drop", {}, b""), (204, {}, b"")]
    client = client_for(server)
    assert client.request("PUT", "/api/callforwards/1", json_body={}).status_code == 204
    assert [r[0] for r in server.requests] == ["PUT", "PUT"]


def test_post_is_never_retried_and_says_it_may_have_happened(server):
    server.script = [("drop", {}, b""), (201, {"Location": "/api/domains/9"}, b"")]
    client = client_for(server)
    with pytest.raises(ApiError) as caught:
        client.request("POST", "/api/domains/", json_body={"domain": "x"})
    assert caught.value.uncertain is True
    assert len(server.requests) == 1


def test_post_500_is_uncertain_and_429_is_not(server):
    server.script = [(500, {}, {"code": 500, "message": "Failed to create subscriber"}),
                     (429, {"Retry-After": "3"}, {"code": 429, "message": "slow down"})]
    client = client_for(server)
    with pytest.raises(ApiError) as first:
        client.request("POST", "/api/subscribers/", json_body={})
    with pytest.raises(ApiError) as second:
        client.request("POST", "/api/subscribers/", json_body={})
    assert (first.value.uncertain, second.value.uncertain) == (True, False)
    assert second.value.retry_after == 3.0
    assert len(server.requests) == 2


def test_error_message_names_method_path_status_and_server_message_but_no_secret(server):
    message = "Validation failed. field='email', input='foo', errors='Email should be of the format someuser@example.com'"
    server.script = [(422, {"Content-Type": "application/json"}, {"code": 422, "message": message})]
    client = client_for(server)
    with pytest.raises(ApiError) as caught:
        client.request("POST", "/api/customercontacts/", json_body={"email": "foo"})
    text = str(caught.value)
    assert text == "POST /api/customercontacts/ failed: HTTP 422: " + message
    assert "s3cret-pass" not in text


def test_redirect_is_reported_not_followed(server):
    server.script = [(301, {"Location": "https://h/api/customers/"}, b"moved")]
    client = client_for(server)
    with pytest.raises(ApiError, match="unexpected redirect to https://h/api/customers/"):
        client.request("POST", "/api/customers", json_body={})
    assert len(server.requests) == 1


def test_connections_never_exceed_the_worker_count(server):
    client = client_for(server, workers=2)
    threads = [threading.Thread(target=lambda: client.request("GET", "/api/x/1")) for _index in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(server.requests) == 12
    assert len({address[1] for address in server.connections}) <= 2


def test_c5_paging_reads_every_page_with_bounded_rows(server):
    def page(items, has_next):
        body = {"_links": {"self": {"href": "/api/subscribers/"}}, "total_count": 5}
        if items:
            body["_embedded"] = {"ngcp:subscribers": items}
        if has_next:
            body["_links"]["next"] = {"href": "/api/subscribers/?page=2&rows=2"}
        return (200, {}, body)

    server.script = [page([{"id": 1}, {"id": 2}], True), page([{"id": 3}, {"id": 4}], True), page([{"id": 5}], False)]
    api = C5Api(client_for(server), page_size=2)
    assert [s["id"] for s in api.list("subscribers", {"customer_id": 4})] == [1, 2, 3, 4, 5]
    paths = [r[1] for r in server.requests]
    assert all("rows=2" in p and "customer_id=4" in p for p in paths)
    assert ["page=1" in paths[0], "page=2" in paths[1], "page=3" in paths[2]] == [True, True, True]


def test_hal_embedded_forms():
    assert embedded_items({"total_count": 0, "_links": {}}, "domains") == []
    assert embedded_items({"_embedded": {"ngcp:domains": {"id": 3}}}, "domains") == [{"id": 3}]
    assert embedded_items({"_embedded": {"ngcp:domains": [{"id": 3}, {"id": 4}]}}, "domains") == [{"id": 3}, {"id": 4}]
    assert id_from_location("/api/subscribers/42") == 42
    assert id_from_location(None) is None


# --- errors that say what to do (issue 10, section 3) ----------------------------------------

def test_401_names_the_login_the_method_and_what_to_check(server):
    server.script = [(401, {"WWW-Authenticate": 'Basic realm="api"'}, {"code": 401, "message": "Authorization required."})]
    with pytest.raises(ApiError) as caught:
        client_for(server).request("GET", "/api/domains/")
    assert str(caught.value) == (
        "GET /api/domains/ failed: HTTP 401: Authorization required. Authentication failed for login 'admin' with "
        "basic auth: check username and password (the account must exist, be active and have API access) "
        "(url %s)" % server.url)
    assert "s3cret-pass" not in str(caught.value)


def test_403_on_c5_says_a_reseller_login_cannot_use_admin_only_resources(server):
    server.script = [(403, {}, {"code": 403, "message": "Forbidden!"})]
    with pytest.raises(ApiError) as caught:
        client_for(server).request("GET", "/api/resellers/")
    assert caught.value.status == 403
    assert str(caught.value).startswith("GET /api/resellers/ failed: HTTP 403: Forbidden! Login 'admin' with basic auth "
                                        "is authenticated but not allowed to GET /api/resellers/: a reseller login gets "
                                        "HTTP 403 on admin-only resources")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_names_the_url_and_the_port_not_urllib3():
    port = free_port()
    client = ApiClient("http://127.0.0.1:%d" % port, retries=0)
    with pytest.raises(ConnectionFailed) as caught:
        client.request("GET", "/api/domains/")
    text = str(caught.value)
    assert text == ("GET /api/domains/ failed: cannot reach http://127.0.0.1:%d: connection refused on port %d. "
                    "Check the port in url and that the API service runs there" % (port, port))
    assert "HTTPConnectionPool" not in text and "Max retries" not in text


class ResettingServer:
    """Accepts connections and resets them at once (what a TLS port does to plain HTTP here)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _address = self.sock.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def close(self):
        self.sock.close()


def test_plain_http_to_a_port_that_drops_it_suggests_https():
    resetting = ResettingServer()
    try:
        client = ApiClient("http://127.0.0.1:%d" % resetting.port, retries=0)
        with pytest.raises(ConnectionFailed) as caught:
            client.request("GET", "/api/domains/")
    finally:
        resetting.close()
    assert "cannot reach http://127.0.0.1:%d: the server closed the connection without an answer. If port %d speaks " \
           "HTTPS, use https:// in url" % (resetting.port, resetting.port) in str(caught.value)


def test_https_to_a_plain_http_port_says_it_does_not_speak_tls(server):
    port = int(server.url.rsplit(":", 1)[1])
    client = ApiClient("https://127.0.0.1:%d" % port, retries=0)
    with pytest.raises(ConnectionFailed) as caught:
        client.request("GET", "/api/domains/")
    text = str(caught.value)
    assert "cannot reach https://127.0.0.1:%d: port %d does not speak TLS (" % (port, port) in text
    assert "If it serves plain HTTP, use http:// in url" in text


def test_after_three_unreachable_requests_the_rest_fail_at_once_unsent():
    client = ApiClient("http://127.0.0.1:%d" % free_port(), retries=1, backoff_factor=0.01)
    for _index in range(3):
        with pytest.raises(ConnectionFailed) as caught:
            client.request("GET", "/api/domains/")
        assert caught.value.stopped is False
    assert client.stats == {"GET": 6}  # each tried twice
    started = time.monotonic()
    with pytest.raises(ConnectionFailed) as caught:
        client.request("POST", "/api/domains/", json_body={})
    assert time.monotonic() - started < 0.1
    assert caught.value.stopped is True and caught.value.retryable is False
    assert str(caught.value).startswith("POST /api/domains/ failed: not sent: the last 3 requests could not reach "
                                        "http://127.0.0.1:")
    assert client.stats == {"GET": 6}  # nothing more was sent


def test_an_answer_resets_the_count_of_unreachable_requests(server):
    client = client_for(server, retries=0)
    client.connection_failures = 2
    client.request("GET", "/api/domains/")
    assert client.connection_failures == 0


def test_retryable_only_without_an_answer_or_a_try_later_status():
    assert ApiError("POST", "/x", None, "lost", uncertain=True).retryable is True
    assert [ApiError("POST", "/x", status).retryable for status in (429, 502, 503, 504)] == [True] * 4
    assert [ApiError("POST", "/x", status).retryable for status in (500, 422, 409)] == [False] * 3


@pytest.mark.parametrize("options, message", [
    ({"url": "https://admin:pw@c5.example.com"},
     "url must not contain a user name or password (user:password@host): set the options username and password "
     "(or C5_USERNAME and C5_PASSWORD) instead"),
    ({"url": "c5.example.com:1443"}, "url 'c5.example.com:1443' must start with https:// or http://"),
    ({"url": "https://c5.example.com:port"}, "url 'https://c5.example.com:port' is not a valid URL"),
    ({"url": "https://c5.example.com", "timeout": 0}, "timeout must be more than 0 seconds, not 0"),
    ({"url": "https://c5.example.com", "workers": 0}, "workers must be 1 or more, not 0"),
    ({"url": "https://c5.example.com", "retries": -1}, "retries must be 0 or more, not -1"),
    ({"url": "https://c5.example.com", "ca_path": "/nonexistent/ca.pem"},
     "ca_path: no such file or directory '/nonexistent/ca.pem'"),
])
def test_connection_options_are_checked_before_any_request(options, message):
    with pytest.raises(InputError) as caught:
        check_connection_options(Options(options), "C5", "https://c5.example.com:1443")
    assert str(caught.value).startswith(message)
    assert "pw@" not in str(caught.value)


class TlsServer:
    """A TLS port (the emulator's test CA) that drops plain HTTP after a failed handshake."""

    def __init__(self, tls_dir):
        from voip_emulator.core.tls import server_context

        self.context = server_context(str(tls_dir))
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _address = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.settimeout(5)
            try:
                self.context.wrap_socket(conn, server_side=True).close()
            except (OSError, ValueError):
                pass  # plain HTTP: the handshake fails and the connection is closed
            finally:
                conn.close()

    def close(self):
        self.sock.close()


def test_plain_http_to_a_tls_port_is_named_at_once_without_retries(tmp_path):
    pytest.importorskip("cryptography")
    tls = TlsServer(tmp_path)
    try:
        client = ApiClient("http://127.0.0.1:%d" % tls.port, retries=3, backoff_factor=0.5, timeout=5)
        started = time.monotonic()
        with pytest.raises(ConnectionFailed) as caught:
            client.request("GET", "/api/domains/")
        elapsed = time.monotonic() - started
    finally:
        tls.close()
    assert str(caught.value) == ("GET /api/domains/ failed: cannot reach http://127.0.0.1:%d: the server closed the "
                                 "connection: port %d speaks HTTPS. Use https:// in url" % (tls.port, tls.port))
    assert client.stats == {"GET": 1} and elapsed < 1.5  # one request and one handshake probe, no retries
