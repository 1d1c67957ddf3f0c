# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for tests and demos against the VTX emulator: the seeded credentials,
an authenticated API session, the emulator controls and a push receiver that
records what the platform POSTs to it."""

import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from voip_emulator.vtx import seed

LOGIN = seed.ACCOUNTS[0]["login"]
PASSWORD = seed.ACCOUNTS[0]["password"]
APPLICATION = seed.APPLICATIONS[0]["psk"]
ENTERPRISE_ID = seed.ENTERPRISES[0]["id"]
#: The seeded directory of enterprise 291908.bus.ent (the seed's own table).
DIRECTORY = [
    {"login_name": user["loginName"], "number": user["loginName"].split("@", maxsplit=1)[0], "user_id": user["id"]}
    for user in seed.USERS if user["enterprise"] == ENTERPRISE_ID
]
OTHER_ENTERPRISE_USER = [user["id"] for user in seed.USERS if user["enterprise"] != ENTERPRISE_ID][0]


def api_session(login=LOGIN, password=PASSWORD, application=APPLICATION):
    """A ``requests.Session`` authenticated like the wiki's curl examples."""
    import requests  # pylint: disable=import-outside-toplevel

    session = requests.Session()
    session.auth = (login, password)
    session.headers.update({"X-C5-Application": application, "Content-Type": "application/json"})
    return session


def control(url, method, name, body=None, timeout=60):
    """Call an emulator control ``/__emulator__/vtx/<name>``; returns decoded JSON."""
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request("%s/__emulator__/vtx/%s" % (url, name), data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.loads(answer.read())


def simulate_call(url, user, **call):
    """A call of ``user`` (id, loginName or number) ends: ``{"callLog", "notifications"}``."""
    return control(url, "POST", "calls", dict(call, user=user))


def set_presence(url, user, activity="ONLINE", enhanced_activity="NONE", source="c5"):
    return control(url, "POST", "presence", {"user": user, "activity": activity, "enhancedActivity": enhanced_activity, "source": source})


def set_server(url, **fields):
    return control(url, "POST", "server", fields)


def add_users(url, count, first_id=200000, first_number="+41225670000", enterprise=ENTERPRISE_ID):
    """``count`` more users of the enterprise; returns them as directory entries."""
    made = control(url, "POST", "users", {"count": count, "first_id": first_id, "first_number": first_number,
                                          "enterprise": enterprise})["users"]
    return [{"login_name": u["loginName"], "number": u["loginName"].split("@", maxsplit=1)[0], "user_id": u["id"]} for u in made]


def deliveries(url):
    return control(url, "GET", "deliveries")


class Receiver:
    """A loopback HTTP server recording every POST (path, headers, JSON body) and
    answering ``status`` (settable). ``with Receiver() as receiver: receiver.url``."""

    def __init__(self, status=200):
        self.status = status
        self.received = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = body.decode("utf-8", "replace")
                with receiver._lock:  # pylint: disable=protected-access
                    receiver.received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": parsed})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # silence
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/notify" % self.server.server_address[1]
        self._thread = None

    def __enter__(self):
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def bodies(self):
        with self._lock:
            return [item["body"] for item in self.received]
