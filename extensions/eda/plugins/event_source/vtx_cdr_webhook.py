# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vtx_cdr_webhook: receive the VTX platform's call-log push notifications.

DOCUMENTATION
short_description: Receive VTX VoIP OpenAPI call-log (CDR) push notifications
description:
  - An HTTP(S) receiver for the notifications the VTX platform POSTs to a subscription's
    notificationUrl (see the voip.provisioning.vtx_subscription module and the vtx_cdr_feed role).
  - The platform signs nothing, so a notification is accepted only when its subscriptionId is known -
    listed in subscription_ids, or a live subscription of the API login (listed with the VTX API when
    url/username/password/service_psk are given; an unknown id makes it list again, at most once per
    refresh_interval). Anything else is answered 403 and emits nothing.
  - Emits one event per call log of an accepted notification and answers 200 at once (the platform
    expects a fast 2xx).
options:
  host:         Address to listen on (default 0.0.0.0).
  port:         Port to listen on (required).
  path:         Accept only POSTs to this path (default any path).
  certfile:     PEM certificate (chain) to serve HTTPS with; keyfile its key (optional).
  keyfile:      PEM key of certfile.
  subscription_ids:  Known subscription ids (a list).
  url:          Base URL of the VTX OpenAPI (e.g. https://api.ipvoip.ch/openapi) to learn the live subscriptions.
  username / password / service_psk:  The API login, its password and the X-C5-Application PSK.
  validate_certs / ca_path:  TLS verification of the API (default true / system CAs).
  refresh_interval:  Least seconds between two listings of the subscriptions (default 5): a new
                     subscription is learnt at its first push, and a flood of forgeries costs the API
                     at most one listing per interval.
event:
  subscription_id: the notification's subscriptionId
  change_type:     CREATED (as seen)
  event_time:      the platform's eventTime, and event_time_utc in UTC (YYYY-MM-DDTHH:MM:SS.mmmZ)
  call_log:        the call log (id, userId, callStart, duration, direction, callType, status,
                   callPartyNumber, callPartyDialNumber) plus call_start (callStart in UTC)
  context:         user {id, name}, site, enterprise, serviceProvider
  meta.endpoint:   the path the notification was POSTed to
EXAMPLES
- name: Missed inbound calls become tickets
  hosts: localhost
  sources:
    - voip.provisioning.vtx_cdr_webhook:
        port: 8443
        certfile: /etc/eda/tls/cert.pem
        keyfile: /etc/eda/tls/key.pem
        url: https://api.ipvoip.ch/openapi
        username: openapi@291908.bus.ent
        password: "{{ vtx_password }}"
        service_psk: "{{ vtx_service_psk }}"
  rules:
    - name: Missed inbound call
      condition: event.call_log.direction == "INCOMING" and event.call_log.duration == 0
      action:
        debug:
"""

import asyncio
import base64
import calendar
import json
import logging
import re
import ssl
import time

from aiohttp import ClientError, ClientSession, ClientTimeout, TCPConnector, web

LOGGER = logging.getLogger("voip.provisioning.vtx_cdr_webhook")

_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$"
)


def utc(text):
    """Any of the platform's four timestamp styles in UTC (``...mmmZ``); None when
    it is not one (kept as sent in the event's own field). Same rules as
    plugins/module_utils/vtx/timestamps.py (an event source cannot import module_utils)."""
    match = _ISO_RE.match(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    epoch = calendar.timegm((int(year), int(month), int(day), int(hour), int(minute), int(second or 0), 0, 0, 0))
    if offset not in ("Z", "z"):
        digits = offset[1:].replace(":", "")
        epoch -= (-1 if offset[0] == "-" else 1) * (int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60)
    millis = int(round(int((fraction or "0")[:6].ljust(6, "0")) / 1000.0))
    if millis == 1000:
        epoch, millis = epoch + 1, 0
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".%03dZ" % millis


class SubscriptionRegistry:
    """The subscription ids notifications may carry: a static list plus the live
    subscriptions the API login sees (listed again on an unknown id, at most once
    per ``refresh_interval``)."""

    def __init__(self, args):
        self.static = set(str(i) for i in args.get("subscription_ids") or [])
        self.live = set()
        self.url = (args.get("url") or "").rstrip("/")
        self.refresh_interval = float(args.get("refresh_interval", 5))
        self.last_refresh = None
        self._lock = asyncio.Lock()
        self.session = None
        if self.url:
            missing = [name for name in ("username", "password", "service_psk") if not args.get(name)]
            if missing:
                raise ValueError("vtx_cdr_webhook: url is set, so %s must be set too" % ", ".join(missing))
            token = base64.b64encode(("%s:%s" % (args["username"], args["password"])).encode("utf-8")).decode("ascii")
            self.headers = {"Authorization": "Basic " + token, "X-C5-Application": args["service_psk"],
                            "Content-Type": "application/json", "Accept": "application/json"}
            verify = args.get("validate_certs", True)
            if verify and args.get("ca_path"):
                self.ssl = ssl.create_default_context(cafile=args["ca_path"])
            else:
                self.ssl = None if verify else False
        elif not self.static:
            raise ValueError("vtx_cdr_webhook: give subscription_ids, or url/username/password/service_psk to learn "
                             "the live subscriptions; a receiver that trusts any subscriptionId accepts forgeries")

    async def start(self):
        if self.url:
            self.session = ClientSession(timeout=ClientTimeout(total=15), connector=TCPConnector(ssl=self.ssl))
            await self.refresh(force=True)

    async def close(self):
        if self.session is not None:
            await self.session.close()

    async def refresh(self, force=False):
        async with self._lock:
            now = time.monotonic()
            if not force and self.last_refresh is not None and now - self.last_refresh < self.refresh_interval:
                return False
            self.last_refresh = now
            try:
                async with self.session.get(self.url + "/v1/subscriptions", headers=self.headers) as answer:
                    if answer.status == 401 and force:
                        # At start: wrong credentials would reject every notification - say so and stop.
                        raise PermissionError("vtx_cdr_webhook: %s refused the credentials (HTTP 401): check "
                                              "username, password and service_psk" % self.url)
                    if answer.status != 200:
                        LOGGER.warning("listing the VTX subscriptions at %s answered HTTP %s", self.url, answer.status)
                        return False
                    body = await answer.json(content_type=None)
            except (ClientError, asyncio.TimeoutError, ValueError) as exc:
                LOGGER.warning("cannot list the VTX subscriptions at %s: %s", self.url, exc)
                return False
            self.live = set(str(s.get("id")) for s in body.get("subscriptions", []) if s.get("id"))
            return True

    async def knows(self, subscription_id):
        if subscription_id in self.static or subscription_id in self.live:
            return True
        if self.url and await self.refresh():
            return subscription_id in self.live
        return False


def events_of(notification, path):
    """One event per call log of a notification."""
    events = []
    for item in notification.get("callLogEvents") or []:
        if not isinstance(item, dict):
            continue
        call_log = dict(item.get("callLog") or {})
        call_log["call_start"] = utc(call_log.get("callStart"))
        events.append({
            "subscription_id": notification.get("subscriptionId"),
            "change_type": item.get("changeType"),
            "event_time": item.get("eventTime"),
            "event_time_utc": utc(item.get("eventTime")),
            "call_log": call_log,
            "context": item.get("context") or {},
            "meta": {"endpoint": path},
        })
    return events


def make_app(queue, registry, path=None):
    async def receive(request):
        if path and request.path != path:
            return web.json_response({"error": "not found"}, status=404)
        try:
            notification = await request.json()
        except ValueError:
            return web.json_response({"error": "body is not JSON"}, status=400)
        if not isinstance(notification, dict) or not isinstance(notification.get("subscriptionId"), str):
            return web.json_response({"error": "not a VTX notification (no subscriptionId)"}, status=400)
        if not await registry.knows(notification["subscriptionId"]):
            # The platform signs nothing: an unknown id is a forgery or a stale subscription.
            LOGGER.warning("rejected a notification for unknown subscription %s from %s",
                           notification["subscriptionId"], request.remote)
            return web.json_response({"error": "unknown subscriptionId"}, status=403)
        for event in events_of(notification, request.path):
            await queue.put(event)
        return web.json_response({})

    app = web.Application()
    app.router.add_route("POST", "/{tail:.*}", receive)
    return app


async def main(queue, args):
    registry = SubscriptionRegistry(args)
    runner = None
    try:
        await registry.start()
        context = None
        if args.get("certfile"):
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(args["certfile"], args.get("keyfile"))
        runner = web.AppRunner(make_app(queue, registry, args.get("path")))
        await runner.setup()
        site = web.TCPSite(runner, args.get("host", "0.0.0.0"), int(args["port"]), ssl_context=context)
        await site.start()
        await asyncio.Future()
    finally:
        if runner is not None:
            await runner.cleanup()
        await registry.close()


if __name__ == "__main__":
    # Run on its own: print the events (python vtx_cdr_webhook.py PORT ID...).
    import sys

    class PrintQueue:
        async def put(self, event):
            print(json.dumps(event))

    asyncio.run(main(PrintQueue(), {"port": int(sys.argv[1]), "subscription_ids": sys.argv[2:]}))
