# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vtx_presence: presence changes of VTX users, by polling at a bounded rate.

DOCUMENTATION
short_description: Emit an event when a VTX user's presence changes
description:
  - The VTX platform has no presence push (its wiki calls polling every 10 s the "dirty workaround").
    This source polls GET /v1/users/{id}/presence for the directory's users - one poller for everyone,
    instead of every client polling on its own - and emits an event only when a user's effective
    presence (activity, enhancedActivity) changes.
  - The rate is bounded - at most max_rate requests per second over all users, a full round at most
    every interval seconds (a large directory makes rounds longer, never faster requests).
  - The first round only learns the states (emit_initial emits them too).
  - A failing request is logged and retried next round; it never ends the source.
options:
  url:          Base URL of the VTX OpenAPI (default https://api.ipvoip.ch/openapi).
  username / password / service_psk:  The API login, its password and the X-C5-Application PSK.
  directory:    The users - a list of {user_id, login_name, number} as the modules take it.
  users:        More user ids (a list), without names.
  interval:     Least seconds between the starts of two rounds (default 10).
  max_rate:     Most presence requests per second (default 5).
  emit_initial: Emit the state of every user after the first round too (default false).
  validate_certs / ca_path:  TLS verification of the API.
event:
  presence:
    user_id, login_name, number, activity, enhanced_activity, modified_on (UTC),
    previous {activity, enhanced_activity} (null on an initial event), states (the platform's answer)
EXAMPLES
- name: React when a user starts a call
  hosts: localhost
  sources:
    - voip.provisioning.vtx_presence:
        username: openapi@291908.bus.ent
        password: "{{ vtx_password }}"
        service_psk: "{{ vtx_service_psk }}"
        directory: "{{ vtx_directory }}"
        interval: 10
  rules:
    - name: In a call
      condition: event.presence.enhanced_activity == "IN_A_CALL"
      action:
        debug:
"""

import asyncio
import base64
import importlib.util
import logging
import os
import ssl
import time

from aiohttp import ClientError, ClientSession, ClientTimeout, TCPConnector


def _sibling_utc():
    """``utc`` of vtx_cdr_webhook.py beside this file: one copy of the timestamp
    rules for both sources (ansible-rulebook loads sources by path, not as a package)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vtx_cdr_webhook.py")
    spec = importlib.util.spec_from_file_location("_voip_vtx_cdr_webhook", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.utc


utc = _sibling_utc()

LOGGER = logging.getLogger("voip.provisioning.vtx_presence")
DEFAULT_URL = "https://api.ipvoip.ch/openapi"


def _users(args):
    users = []
    seen = set()
    for entry in args.get("directory") or []:
        user_id = int(entry["user_id"])
        if user_id not in seen:
            seen.add(user_id)
            users.append({"user_id": user_id, "login_name": entry.get("login_name"), "number": entry.get("number")})
    for user_id in args.get("users") or []:
        if int(user_id) not in seen:
            seen.add(int(user_id))
            users.append({"user_id": int(user_id), "login_name": None, "number": None})
    if not users:
        raise ValueError("vtx_presence: give directory (or users): the platform cannot list an enterprise's users")
    return users


def state_of(answer):
    current = answer.get("current") or {}
    return current.get("activity"), current.get("enhancedActivity")


class Poller:
    def __init__(self, args, clock=time.monotonic, sleep=asyncio.sleep):
        missing = [name for name in ("username", "password", "service_psk") if not args.get(name)]
        if missing:
            raise ValueError("vtx_presence: %s must be set" % ", ".join(missing))
        self.url = (args.get("url") or DEFAULT_URL).rstrip("/")
        self.users = _users(args)
        self.interval = float(args.get("interval", 10))
        self.spacing = 1.0 / float(args.get("max_rate", 5))
        self.emit_initial = bool(args.get("emit_initial", False))
        self.login = args["username"]
        token = base64.b64encode(("%s:%s" % (args["username"], args["password"])).encode("utf-8")).decode("ascii")
        self.headers = {"Authorization": "Basic " + token, "X-C5-Application": args["service_psk"],
                        "Content-Type": "application/json", "Accept": "application/json"}
        verify = args.get("validate_certs", True)
        if verify and args.get("ca_path"):
            self.ssl = ssl.create_default_context(cafile=args["ca_path"])
        else:
            self.ssl = None if verify else False
        self.known = {}
        self.clock = clock
        self.sleep = sleep
        self.rounds = 0

    async def read(self, session, user):
        path = "%s/v1/users/%d/presence" % (self.url, user["user_id"])
        try:
            async with session.get(path, headers=self.headers) as answer:
                if answer.status == 401:
                    # Wrong credentials do not heal by polling: end the source with the reason.
                    raise PermissionError("vtx_presence: %s refused the credentials of %s (HTTP 401): check username, "
                                          "password and service_psk" % (self.url, self.login))
                if answer.status != 200:
                    LOGGER.warning("GET %s answered HTTP %s", path, answer.status)
                    return None
                return await answer.json(content_type=None)
        except (ClientError, asyncio.TimeoutError, ValueError) as exc:
            LOGGER.warning("GET %s failed: %s", path, exc)
            return None

    def event(self, user, answer, previous):
        activity, enhanced = state_of(answer)
        modified = (answer.get("current") or {}).get("modifiedOn")
        return {"presence": {
            "user_id": user["user_id"], "login_name": user["login_name"], "number": user["number"],
            "domain_id": answer.get("domainId"), "activity": activity, "enhanced_activity": enhanced,
            "modified_on": utc(modified) or modified,
            "previous": None if previous is None else {"activity": previous[0], "enhanced_activity": previous[1]},
            "states": dict((k, v) for k, v in answer.items() if k not in ("userId", "domainId")),
        }}

    async def round(self, session, queue):
        """Poll every user once, ``spacing`` seconds apart; put the changes."""
        first = self.rounds == 0
        for index, user in enumerate(self.users):
            if index:
                await self.sleep(self.spacing)
            answer = await self.read(session, user)
            if answer is None:
                continue
            state = state_of(answer)
            previous = self.known.get(user["user_id"])
            self.known[user["user_id"]] = state
            if previous is None:
                if first and self.emit_initial:
                    await queue.put(self.event(user, answer, None))
            elif previous != state:
                await queue.put(self.event(user, answer, previous))
        self.rounds += 1

    async def run(self, queue, rounds=None):
        timeout = ClientTimeout(total=15)
        async with ClientSession(timeout=timeout, connector=TCPConnector(ssl=self.ssl)) as session:
            while rounds is None or self.rounds < rounds:
                started = self.clock()
                await self.round(session, queue)
                await self.sleep(max(self.spacing, self.interval - (self.clock() - started)))


async def main(queue, args):
    await Poller(args).run(queue)


if __name__ == "__main__":
    import json
    import sys

    class PrintQueue:
        async def put(self, event):
            print(json.dumps(event))

    asyncio.run(main(PrintQueue(), json.loads(sys.argv[1])))
