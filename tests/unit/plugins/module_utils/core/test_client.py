# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared HTTP client against a scripted loopback server: retries, Retry-After,
POST never retried blindly, error messages, connection bound, C5 paging."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.voip.provisioning.plugins.module_utils.c5.dialect import C5Api, C5Dialect, embedded_items, id_from_location
from ansible_collections.voip.provisioning.plugins.module_utils.core.auth import BasicAuth
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import ApiClient
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError


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
