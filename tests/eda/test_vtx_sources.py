# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VTX event sources in-process (asyncio) against the VTX emulator: what
they emit for real pushes and presence changes, what they refuse."""

import asyncio
import importlib.util
import json
import os
import socket

import pytest

aiohttp = pytest.importorskip("aiohttp")

from voip_emulator.vtx import timefmt  # noqa: E402
from voip_emulator.vtx.testing import (  # noqa: E402
    APPLICATION, LOGIN, PASSWORD, api_session, set_presence, simulate_call,
)

SOURCES = os.path.join(os.path.dirname(__file__), "..", "..", "extensions", "eda", "plugins", "event_source")


def load(name):
    spec = importlib.util.spec_from_file_location("vtx_source_" + name, os.path.join(SOURCES, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


webhook = load("vtx_cdr_webhook")
presence_source = load("vtx_presence")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def vtx(emulator):
    return emulator("vtx")


def credentials(vtx):
    return {"url": vtx.url + "/openapi", "username": LOGIN, "password": PASSWORD, "service_psk": APPLICATION}


def subscribe(vtx, url, users=(176125,)):
    answer = api_session().post(vtx.url + "/openapi/v1/subscriptions", timeout=30, json={
        "expires": timefmt.instant(vtx.clock()["now"] + 3600), "notificationUrl": url,
        "resourceType": "CALL_LOG", "userIds": list(users)})
    assert answer.status_code == 201
    return answer.json()["subscription"]["id"]


async def post(url, body):
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=body if isinstance(body, str) else json.dumps(body),
                                headers={"Content-Type": "application/json"}) as answer:
            return answer.status


async def with_webhook(args, scenario):
    queue = asyncio.Queue()
    task = asyncio.ensure_future(webhook.main(queue, args))
    try:
        for _attempt in range(100):
            try:
                with socket.create_connection(("127.0.0.1", args["port"]), timeout=0.2):
                    break
            except OSError:
                if task.done():
                    task.result()
                await asyncio.sleep(0.05)
        return await scenario(queue)
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass


def test_webhook_emits_one_event_per_call_log_of_a_known_subscription(vtx):
    port = free_port()
    url = "http://127.0.0.1:%d/vtx/cdr" % port
    args = dict(credentials(vtx), host="127.0.0.1", port=port, path="/vtx/cdr", refresh_interval=0)

    async def scenario(queue):
        # Subscribed after the source started: an unknown id makes it list again.
        subscription = subscribe(vtx, url)
        result = await asyncio.get_running_loop().run_in_executor(None, lambda: simulate_call(
            vtx.url, "+41225662194", direction="INCOMING", duration=0, callPartyNumber="+41445551234",
            callStart="2026-12-04T17:21:42.272678+01:00"))
        assert result["notifications"][0]["status"] == 200
        event = await asyncio.wait_for(queue.get(), 10)
        assert event["subscription_id"] == subscription and event["change_type"] == "CREATED"
        assert event["call_log"]["id"] == result["callLog"]["id"] and event["call_log"]["duration"] == 0
        assert event["call_log"]["call_start"] == "2026-12-04T16:21:42.273Z"
        assert event["context"]["user"] == {"id": 176125, "name": "+41225662194@m.ipvoip.ch"}
        assert event["event_time_utc"].endswith("Z") and event["meta"] == {"endpoint": "/vtx/cdr"}
        # A forgery: unknown id -> 403, nothing emitted.
        forged = {"subscriptionId": "dfaa8ef2-ac51-4883-ad40-92de788e142c", "callLogEvents": [{"callLog": {"id": "x"}}]}
        assert await post(url, forged) == 403
        assert await post(url, "{not json") == 400
        assert await post(url, {"callLogEvents": []}) == 400
        assert await post("http://127.0.0.1:%d/other" % port, {"subscriptionId": subscription}) == 404
        await asyncio.sleep(0.2)
        assert queue.empty()

    asyncio.run(with_webhook(args, scenario))


def test_webhook_with_static_ids_only(vtx):
    port = free_port()
    url = "http://127.0.0.1:%d/" % port

    async def scenario(queue):
        body = {"subscriptionId": "known-1", "callLogEvents": [
            {"changeType": "CREATED", "callLog": {"id": "a", "callStart": "2024-05-28T17:21:44+0200"}},
            {"changeType": "CREATED", "callLog": {"id": "b", "callStart": "2024-09-27T08:43:43.76913Z"}}]}
        assert await post(url, body) == 200
        assert await post(url, dict(body, subscriptionId="known-2")) == 403
        first, second = await queue.get(), await queue.get()
        assert [first["call_log"]["call_start"], second["call_log"]["call_start"]] == [
            "2024-05-28T15:21:44.000Z", "2024-09-27T08:43:43.769Z"]
        assert queue.empty()

    asyncio.run(with_webhook({"host": "127.0.0.1", "port": port, "subscription_ids": ["known-1"]}, scenario))


def test_webhook_refuses_to_start_trusting_everything():
    with pytest.raises(ValueError, match="accepts forgeries"):
        asyncio.run(webhook.main(asyncio.Queue(), {"port": free_port()}))


def test_presence_emits_only_changes_at_a_bounded_rate(vtx):
    directory = [{"user_id": 176125, "login_name": "+41225662194@m.ipvoip.ch", "number": "+41225662194"},
                 {"user_id": 176129, "login_name": "+41225662195@m.ipvoip.ch"}]
    sleeps = []

    async def sleep(seconds):
        sleeps.append(seconds)

    poller = presence_source.Poller(dict(credentials(vtx), directory=directory, interval=10, max_rate=4), sleep=sleep)

    async def scenario():
        queue = asyncio.Queue()
        await poller.run(queue, rounds=1)
        assert queue.empty()  # the first round only learns
        set_presence(vtx.url, "+41225662194", "ONLINE", "IN_A_CALL")
        await poller.run(queue, rounds=3)
        event = queue.get_nowait()["presence"]
        assert event["user_id"] == 176125 and event["login_name"] == "+41225662194@m.ipvoip.ch"
        assert event["enhanced_activity"] == "IN_A_CALL" and event["previous"] == {"activity": "ONLINE", "enhanced_activity": "NONE"}
        assert event["modified_on"].endswith("Z")
        assert queue.empty()  # round 3 saw no change

    asyncio.run(scenario())
    # Within a round users are 1/max_rate apart; a round is padded to the interval.
    assert 0.25 in sleeps and all(s >= 0.25 for s in sleeps) and any(s > 9 for s in sleeps)
    polled = [r["path"] for r in vtx.requests() if r["path"].startswith("/openapi/") and r["path"].endswith("/presence")]
    assert len(polled) == 6


def test_presence_needs_a_directory():
    with pytest.raises(ValueError, match="directory"):
        presence_source.Poller({"username": "u", "password": "p", "service_psk": "k"})


def test_webhook_over_tls_receives_the_emulator_pushes(emulator):
    # The emulator over HTTPS; the webhook serves the emulator CA's server certificate,
    # which the emulator's push client trusts (as the platform trusts public CAs).
    vtx = emulator("vtx", tls=True)
    port = free_port()
    url = "https://127.0.0.1:%d/vtx/cdr" % port
    args = dict(credentials(vtx), host="127.0.0.1", port=port, ca_path=vtx.ca_file, refresh_interval=0,
                certfile=os.path.join(vtx.tls_dir, "server.pem"), keyfile=os.path.join(vtx.tls_dir, "server.key"))

    async def scenario(queue):
        # verify per request: REQUESTS_CA_BUNDLE would override a session-level verify.
        answer = api_session().post(vtx.url + "/openapi/v1/subscriptions", timeout=30, verify=vtx.ca_file, json={
            "expires": timefmt.instant(vtx.clock()["now"] + 3600), "notificationUrl": url,
            "resourceType": "CALL_LOG", "userIds": [176129]})
        assert answer.status_code == 201
        result = await asyncio.get_running_loop().run_in_executor(None, lambda: vtx_call(vtx, "+41225662195"))
        assert result["notifications"][0]["status"] == 200, result
        event = await asyncio.wait_for(queue.get(), 10)
        assert event["call_log"]["id"] == result["callLog"]["id"] and event["context"]["user"]["id"] == 176129

    asyncio.run(with_webhook(args, scenario))


def vtx_call(vtx, user):
    """simulate_call over the emulator's HTTPS (its own CA)."""
    import ssl
    import urllib.request

    request = urllib.request.Request(vtx.url + "/__emulator__/vtx/calls", data=json.dumps({"user": user}).encode("utf-8"),
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60, context=ssl.create_default_context(cafile=vtx.ca_file)) as answer:
        return json.loads(answer.read())


def test_forgeries_cost_the_api_one_listing_per_interval(vtx):
    port = free_port()
    url = "http://127.0.0.1:%d/" % port
    args = dict(credentials(vtx), host="127.0.0.1", port=port, refresh_interval=60)

    async def scenario(queue):
        statuses = [await post(url, {"subscriptionId": "forged-%d" % i, "callLogEvents": []}) for i in range(5)]
        assert statuses == [403] * 5 and queue.empty()

    vtx.clear_requests()
    asyncio.run(with_webhook(args, scenario))
    # The listing at start only: the interval had not passed for any forgery.
    assert [r["path"] for r in vtx.requests() if r["path"].startswith("/openapi/")] == ["/openapi/v1/subscriptions"]


def test_sources_stop_on_refused_credentials(vtx):
    wrong = dict(credentials(vtx), password="wrong")
    with pytest.raises(PermissionError, match="refused the credentials"):
        asyncio.run(webhook.main(asyncio.Queue(), dict(wrong, host="127.0.0.1", port=free_port())))
    poller = presence_source.Poller(dict(wrong, users=[176125]))
    with pytest.raises(PermissionError, match="check username, password and service_psk"):
        asyncio.run(poller.run(asyncio.Queue(), rounds=1))
