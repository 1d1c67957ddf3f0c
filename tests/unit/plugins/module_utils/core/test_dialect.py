# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dialect hooks (decode, errors in a success answer, server messages, paging, creates)
and the one paging loop (ApiClient.paginate / iterate) with the C5 dialect."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from ansible_collections.voip.provisioning.plugins.module_utils.c5.dialect import C5Api, C5Dialect
from ansible_collections.voip.provisioning.plugins.module_utils.core import client as core_client
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import ApiClient
from ansible_collections.voip.provisioning.plugins.module_utils.core.dialect import Dialect, json_after_text
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError


def response(status=200, body=b"", headers=None):
    answer = requests.Response()
    answer.status_code = status
    answer.headers.update(headers or {})
    answer._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    answer.reason = "Reason"
    return answer


class Transport:
    """A transport adapter answering with ``answer(method, path, query) -> (status, headers, body)``."""

    def __init__(self, answer):
        self.answer = answer
        self.sent = []
        self.lock = threading.Lock()

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        query = dict(parse_qsl(parts.query))
        with self.lock:
            self.sent.append((request.method, parts.path, query))
        status, headers, body = self.answer(request.method, parts.path, query)
        answer = response(status, body, headers)
        answer.request = request
        return answer

    def close(self):
        pass


@pytest.fixture
def transport(monkeypatch):
    holder = Transport(lambda method, path, query: (200, {}, {}))
    monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", holder)
    return holder


# --- decode, errors, messages --------------------------------------------------------------

class DebugPrefixDialect(Dialect):
    text_before_json = True

    def error_in(self, response, body):
        if isinstance(body, dict) and body.get("success") is False:
            return body.get("error_message") or "the server reported a failure"
        return None


def test_decode_json_empty_and_text():
    dialect = Dialect()
    assert dialect.decode(response(200, [{"a": 1}])) == [{"a": 1}]
    assert dialect.decode(response(204, b"")) == ""
    assert dialect.decode(response(200, b"<html>oops</html>")) == "<html>oops</html>"


def test_decode_json_after_debug_text():
    body = b"Key FUNC changed to sip:1@x\n<br>{\"success\": true, \"error_message\": \"Call forwarding updated\"}"
    assert DebugPrefixDialect().decode(response(200, body)) == {"success": True, "error_message": "Call forwarding updated"}
    assert Dialect().decode(response(200, body)) == body.decode()  # the plain dialect does not guess
    assert json_after_text("<div class=row-fluid>Error (SipPort): x</div>[]") == []
    with pytest.raises(ValueError):
        json_after_text("no json {here")


def test_server_message_keys_and_fallbacks():
    dialect = Dialect()
    assert dialect.server_message(response(422), {"code": 422, "message": "Invalid field"}) == "Invalid field"
    assert dialect.server_message(response(404), [{"error": "not found"}]) == "not found"
    assert dialect.server_message(response(200), {"success": False, "error_message": "Error: missing username"}) == \
        "Error: missing username"
    assert dialect.server_message(response(500), "  Internal error\n") == "Internal error"
    assert dialect.server_message(response(502), "") == "Reason"


def test_error_in_a_success_answer_raises(transport):
    transport.answer = lambda method, path, query: (200, {}, b'debug\n{"success": false, "error_message": "Error: invalid action"}')
    client = ApiClient("http://api.invalid", dialect=DebugPrefixDialect())
    with pytest.raises(ApiError) as caught:
        client.request("GET", "/settings.phtml", params={"action": "get_nothing"})
    assert str(caught.value) == "GET /settings.phtml failed: HTTP 200: Error: invalid action"
    assert caught.value.uncertain is False and caught.value.body == {"success": False, "error_message": "Error: invalid action"}
    transport.answer = lambda method, path, query: (200, {}, b'{"success": true, "error_message": "Saved"}')
    assert client.call("POST", "/settings.phtml") == {"success": True, "error_message": "Saved"}


def test_plain_dialect_has_everything_on_page_one(transport):
    transport.answer = lambda method, path, query: (200, {}, [{"id": 1}, {"id": 2}])
    client = ApiClient("http://api.invalid")
    assert client.paginate("/api-sys/accounts") == ([{"id": 1}, {"id": 2}], True)
    assert transport.sent == [("GET", "/api-sys/accounts", {})]
    assert Dialect().created(response(201), [{"id": 7}]) == [{"id": 7}]


# --- the C5 dialect -----------------------------------------------------------------------------

def test_c5_hooks():
    dialect = C5Dialect()
    assert dialect.page_request("/api/domains/", {"domain": "x"}, 3, 50) == ("/api/domains/", {"domain": "x", "page": 3, "rows": 50})
    assert dialect.page_items({"_embedded": {"ngcp:domains": {"id": 3}}}, "/api/domains/") == [{"id": 3}]
    assert dialect.page_items({"_embedded": {"ngcp:domains": [{"id": 3}, {"id": 4}]}}, "/api/domains/") == [{"id": 3}, {"id": 4}]
    assert dialect.page_items({"total_count": 0}, "/api/domains/") == []
    assert dialect.page_has_next({"_links": {"next": {"href": "x"}}}, [{"id": 1}]) is True
    assert dialect.page_has_next({"_links": {"next": {"href": "x"}}}, []) is False  # an empty page ends the listing
    assert dialect.page_has_next({"_links": {}}, [{"id": 1}]) is False
    assert dialect.page_total({"total_count": 7}) == 7 and dialect.page_total({}) is None
    assert dialect.created(response(201, headers={"Location": "/api/subscribers/42"}), "") == 42


def c5_collection(total, counted=True):
    """Answers pages of a collection of ``total`` subscribers."""

    def answer(method, path, query):
        page, rows = int(query["page"]), int(query["rows"])
        ids = list(range(1, total + 1))[(page - 1) * rows:page * rows]
        body = {"_links": {"self": {"href": path}}}
        if counted:
            body["total_count"] = total
        if ids:
            body["_embedded"] = {"ngcp:subscribers": [{"id": i, "_links": {"self": {"href": "/api/subscribers/%d" % i}}}
                                                      for i in ids]}
        if page * rows < total:
            body["_links"]["next"] = {"href": "%s?page=%d&rows=%d" % (path, page + 1, rows)}
        return 200, {}, body
    return answer


def pages_asked(transport):
    return [(int(q["page"]), int(q["rows"])) for _m, _p, q in transport.sent]


def c5_api(page_size=2, workers=2):
    return C5Api(ApiClient("http://api.invalid", dialect=C5Dialect(), workers=workers), page_size=page_size)


def test_list_follows_next_and_streams(transport):
    transport.answer = c5_collection(5)
    api = c5_api()
    listing = api.list("subscribers", {"customer_id": 4})
    assert next(listing) == {"id": 1}
    assert pages_asked(transport) == [(1, 2)]  # nothing read beyond the page reached
    assert [s["id"] for s in listing] == [2, 3, 4, 5]
    assert pages_asked(transport) == [(1, 2), (2, 2), (3, 2)]
    assert all(q["customer_id"] == "4" for _m, _p, q in transport.sent)


def test_list_pages_counted_reads_pages_by_count_with_workers(transport):
    transport.answer = c5_collection(7)
    kept, complete = c5_api().list_pages("subscribers", max_pages=10, workers=2, keep=lambda raw: raw["id"])
    assert (sorted(kept), complete) == ([1, 2, 3, 4, 5, 6, 7], True)
    assert sorted(pages_asked(transport)) == [(1, 2), (2, 2), (3, 2), (4, 2)]


def test_list_pages_stops_when_the_listing_would_cost_more_than_max_pages(transport):
    transport.answer = c5_collection(7)
    assert c5_api().list_pages("subscribers", max_pages=3, workers=1) == ([{"id": 1}, {"id": 2}], False)
    assert pages_asked(transport) == [(1, 2)]


def test_list_pages_count_first_asks_one_row(transport):
    transport.answer = c5_collection(3)
    kept, complete = c5_api().list_pages("subscribers", max_pages=2, count_first=True)
    assert ([k["id"] for k in kept], complete) == ([1, 2, 3], True)
    assert pages_asked(transport) == [(1, 1), (1, 2), (2, 2)]
    transport.sent[:] = []
    assert c5_api().list_pages("subscribers", max_pages=1, count_first=True) == ([], False)
    assert pages_asked(transport) == [(1, 1)]


def test_list_pages_without_a_count_follows_next_up_to_max_pages(transport):
    transport.answer = c5_collection(7, counted=False)
    kept, complete = c5_api().list_pages("subscribers", max_pages=2, workers=2)
    assert ([k["id"] for k in kept], complete) == ([1, 2, 3, 4], False)
    assert pages_asked(transport) == [(1, 2), (2, 2)]
    transport.sent[:] = []
    kept, complete = c5_api().list_pages("subscribers", max_pages=4, workers=2)
    assert ([k["id"] for k in kept], complete) == ([1, 2, 3, 4, 5, 6, 7], True)
    assert pages_asked(transport) == [(1, 2), (2, 2), (3, 2), (4, 2)]


def test_paginate_limit_and_on_page(transport):
    transport.answer = c5_collection(5)
    client = ApiClient("http://api.invalid", dialect=C5Dialect())
    seen = []
    kept, complete = client.paginate("/api/subscribers/", page_size=2, limit=3, on_page=lambda n, body: seen.append(n))
    assert ([k["id"] for k in kept], complete, seen) == ([1, 2, 3], False, [1, 2])
    assert pages_asked(transport) == [(1, 2), (2, 2)]


class CursorDialect(Dialect):
    """Rows after the last id seen, a short page is the last (SIP2SIP journal style)."""

    def page_request(self, path, params, page_number, page_size):
        return path, dict(params, rows=page_size)

    def page_items(self, body, collection):
        return body["results"]

    def page_has_next(self, body, items):
        return len(items) == 2

    def next_page_params(self, params, body, items):
        return dict(params, after_id=items[-1]["id"])


def test_cursor_paging_through_next_page_params(transport):
    def answer(method, path, query):
        after = int(query.get("after_id", 0))
        return 200, {}, {"results": [{"id": i} for i in range(after + 1, min(after + 2, 5) + 1)]}

    transport.answer = answer
    client = ApiClient("http://api.invalid", dialect=CursorDialect())
    assert [i["id"] for i in client.iterate("/journal", {"action": "get"}, page_size=2)] == [1, 2, 3, 4, 5]
    assert [q.get("after_id") for _m, _p, q in transport.sent] == [None, "2", "4"]
