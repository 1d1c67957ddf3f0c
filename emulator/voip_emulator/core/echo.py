# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A trivial platform application that echoes requests, for the core's tests
(``--platform echo``).  It has just enough state to show persistence:

``GET|POST|... /<anything>``  200, JSON echo of the request plus ``count``, the
                              number of echoed requests so far (persisted)
``?rows=N``                   reports N ``rows_returned`` (per-row latency costs)
``?lock=KEY``                 serialises the request under KEY (``serialize_key``)
``?status=N``                 answers with status N instead of 200
``POST /echo/items``          201, empty ``Content-Type`` (like C5), ``Location: /echo/items/<id>``
``GET /echo/items``           200, the stored items
``/echo/empty``               204 with an empty ``Content-Type``
``GET /echo/clock``           200, ``{"now": <the application's clock>}`` (control API tests)
``/echo/changes``             200, ``{"clock_changes": n}``: how often ``on_clock_change`` ran
"""

import json
import threading

from voip_emulator.core.app import App, Response


class EchoApp(App):
    name = "echo"

    def __init__(self, store, options=None, clock=None):
        self.clock_changes = 0
        super().__init__(store, options, clock)
        self._lock = threading.Lock()
        self._load()

    def _load(self):
        with self._lock:
            self.count = self.store.get_meta(self.name, "count", 0)
            self.items = self.store.load(self.name).get("items", {})

    def on_clock_change(self):
        self.clock_changes += 1

    def reset(self):
        self.store.wipe(self.name)
        self._load()

    def authenticated_with_password(self, request):
        return (request.header("Authorization") or "").lower().startswith("basic ")

    def serialize_key(self, request):
        return dict(request.query_pairs()).get("lock") or None

    def handle(self, request):
        query = dict(request.query_pairs())
        if request.path == "/echo/clock":
            return Response.json(200, {"now": self.clock.now()})
        if request.path == "/echo/changes":
            return Response.json(200, {"clock_changes": self.clock_changes})
        if request.path == "/echo/empty":
            return Response(204, [("Content-Type", "")])
        if request.path.rstrip("/") == "/echo/items":
            return self._items(request)
        with self._lock:
            self.count += 1
            count = self.count
            self.store.set_meta(self.name, "count", count)
        try:
            body = json.loads(request.body) if request.body else None
        except ValueError:
            body = request.body.decode("utf-8", "replace")
        response = Response.json(int(query.get("status", 200)), {
            "method": request.method,
            "target": request.target,
            "path": request.path,
            "query": query,
            "headers": request.headers,
            "body": body,
            "client_cert": request.client_cert,
            "scheme": request.scheme,
            "host": request.host,
            "count": count,
        })
        if "rows" in query:
            response.rows_returned = int(query["rows"])
        return response

    def _items(self, request):
        if request.method == "POST":
            with self._lock:
                item_id = str(len(self.items) + 1)
                doc = json.loads(request.body or b"{}")
                self.items[item_id] = doc
                self.store.put(self.name, "items", item_id, doc)
            return Response(201, [("Location", "/echo/items/%s" % item_id), ("Content-Type", "")])
        with self._lock:
            items = dict(self.items)
        response = Response.json(200, items)
        response.rows_returned = len(items)
        return response
