# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bulk task against a dead server: the client stops sending after three
unreachable requests, and the task says so once ("N of M items not sent: <URL>
could not be reached: <cause>") instead of quoting the first item's error."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

from ansible_collections.voip.provisioning.plugins.module_utils.core.client import ApiClient
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import ObjectResource, run_resource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import (
    ConnectionFailed, InputError, bulk_failure_message)
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import Field, FieldSet


class Options:
    def __init__(self, params):
        self.params = dict(params)

    def get(self, name, default=None):
        value = self.params.get(name)
        return default if value is None else value

    def __getitem__(self, name):
        return self.params[name]

    def with_values(self, **values):
        return Options(dict(self.params, **values))


class Domain(ObjectResource):
    name = "domain"
    key = ("name",)
    fields = FieldSet(Field("name", key=True))

    def desired(self, item):
        if item.get("name") == "bad name":
            raise InputError("name: 'bad name' has a space; give a domain name")
        return ObjectResource.desired(self, item)

    def find(self, item, desired):
        self.api.request("GET", "/api/domains/", params={"domain": desired["name"]})

    def create(self, item, desired):
        raise AssertionError("never reached")


def refused_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return "http://127.0.0.1:%d" % port, port


def bulk(names):
    url, port = refused_url()
    client = ApiClient(url, retries=0, workers=1)
    options = Options({"state": "present", "workers": 1, "items": [{"name": name} for name in names]})
    return run_resource(Domain, client, options, RunContext(check_mode=False, diff=False)), client, url, port


def test_bulk_against_a_dead_server_is_one_clear_error():
    result, client, url, port = bulk(["d%d.example.com" % n for n in range(6)])
    assert result["failed"] is True and result["summary"] == {"total": 6, "changed": 0, "failed": 6}
    assert result["msg"] == "6 of 6 items not sent: %s could not be reached: connection refused on port %d" % (url, port)
    messages = [item["msg"] for item in result["results"]]
    assert all(m.startswith("GET /api/domains/ failed: cannot reach %s: connection refused" % url) for m in messages[:3])
    assert all("not sent: the last 3 requests could not reach %s" % url in m for m in messages[3:])
    assert client.stats == {"GET": 3}  # the rest were never sent


def test_other_failures_follow_the_not_sent_count():
    result, _client, url, port = bulk(["a.example.com", "bad name", "b.example.com", "c.example.com", "d.example.com"])
    assert result["msg"] == ("4 of 5 items not sent: %s could not be reached: connection refused on port %d; 1 more "
                             "failed, first error: name: 'bad name' has a space; give a domain name" % (url, port))


def test_without_a_stop_the_first_error_is_quoted():
    result, _client, url, _port = bulk(["a.example.com", "b.example.com"])
    assert result["msg"].startswith("2 of 2 items failed; first error: GET /api/domains/ failed: cannot reach %s" % url)


def test_bulk_failure_message_only_counts_what_never_reached_the_server():
    lost = {"msg": "POST /x failed: no answer"}
    stopped = {"msg": "not sent"}
    unsent = [(stopped, ConnectionFailed("GET", "/x", "not sent", stopped=True, url="http://h", cause="refused"))]
    assert bulk_failure_message([lost, stopped], 4, unsent) == (
        "1 of 4 items not sent: http://h could not be reached: refused; 1 more failed, first error: POST /x failed: no answer")
    assert bulk_failure_message([lost], 4, []) == "1 of 4 items failed; first error: POST /x failed: no answer"


def test_clients_of_one_task_share_whether_the_server_is_reachable():
    """SIP2SIP has a client per account: the accounts of a bulk task share one
    Reachability, so the task stops after three failures, whichever account had them."""
    from ansible_collections.voip.provisioning.plugins.module_utils.core.options import Options as TaskOptions
    from ansible_collections.voip.provisioning.plugins.modules.sip2sip_settings import run as run_settings

    url, port = refused_url()
    items = [{"account": "user%d@sip2sip.info" % n, "password": "secret-%d" % n, "dnd": False} for n in range(6)]
    options = TaskOptions({"url": url + "/settings.phtml", "retries": 0, "workers": 1, "timeout": 5.0, "items": items})
    result = run_settings(options, RunContext(check_mode=False, diff=False))
    assert result["msg"] == "6 of 6 items not sent: %s/settings.phtml could not be reached: connection refused on port %d" % (url, port)
    messages = [item["msg"] for item in result["results"]]
    assert sum("not sent: the last 3 requests could not reach" in m for m in messages) == 3
    assert all("secret-" not in m for m in messages)
