# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""c5_info reads one item through the client's decode path: a body that is not a
JSON object (a download such as a recording, a proxy's page, nothing) is a clear
error naming the path, what came back and what to check, never a traceback of
``requests``' own JSON decoder, and never returned as the item."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

from ansible_collections.voip.provisioning.plugins.module_utils.core import client as core_client
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options
from ansible_collections.voip.provisioning.plugins.modules import c5_info


class Answer:
    """A transport adapter that answers every request with one scripted answer."""

    def __init__(self, status, content_type, content):
        self.status, self.content_type, self.content = status, content_type, content
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append((request.method, request.path_url))
        response = requests.Response()
        response.status_code = self.status
        if self.content_type:
            response.headers["Content-Type"] = self.content_type
        response._content = self.content
        response.request = request
        return response

    def close(self):
        pass


def read(monkeypatch, answer, **params):
    monkeypatch.setattr(core_client, "TEST_TRANSPORT_ADAPTER", answer)
    spec = c5_info.MODULE.argument_spec
    options = dict((name, spec[name].get("default")) for name in spec)
    options.update(url="https://c5.invalid", username="administrator", password="administrator", retries=0)
    options.update(params)
    return c5_info.read(Options(options), RunContext())


def test_an_item_is_decoded_by_the_client_without_its_links(monkeypatch):
    body = {"id": 42, "domain": "voip.example.com", "_links": {"self": {"href": "/api/domains/42"}}}
    answer = Answer(200, "application/hal+json; charset=utf-8", json.dumps(body).encode())
    result = read(monkeypatch, answer, resource="domains", id=42)
    assert result == {"changed": False, "item": {"id": 42, "domain": "voip.example.com"}, "found": True,
                      "items": [{"id": 42, "domain": "voip.example.com"}], "count": 1}
    assert answer.sent == [("GET", "/api/domains/42")]


@pytest.mark.parametrize("content_type, content, described", [
    ("text/html; charset=utf-8", b"<html><body>Please log in</body></html>", "text/html; charset=utf-8 (39 bytes)"),
    ("audio/x-wav", b"RIFF\x24\x08\x00\x00WAVEfmt \xff\xfe", "audio/x-wav (18 bytes)"),
    (None, b"", "no Content-Type (0 bytes)"),
], ids=["html_page", "recording", "empty"])
def test_an_item_that_is_not_a_json_object_is_a_clear_error(monkeypatch, content_type, content, described):
    answer = Answer(200, content_type, content)
    with pytest.raises(VoipError) as caught:
        read(monkeypatch, answer, resource="voicemailrecordings", id=7)
    assert str(caught.value) == (
        "GET /api/voicemailrecordings/7 answered HTTP 200 with %s, not a JSON object: c5_info reads JSON documents "
        "only; check resource (a download such as a recording is not readable here) and that url reaches the C5 API "
        "itself" % described)
    assert answer.sent == [("GET", "/api/voicemailrecordings/7")]
