# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``VtxApp``: the VTX VoIP OpenAPI (``/openapi/v1/...``) as an emulator
application - routes as data, a thin response layer over ``backend.VtxBackend``.

Authentication (spec 2): HTTP Basic of an enterprise's API login AND an
``X-C5-Application`` PSK on every request; either wrong or missing -> 401.
Errors use the Spring Boot WebFlux shape (spec 7).

Emulator controls (not part of the platform, never authenticated, logged or
faulted: the core's control API hands ``/__emulator__/vtx/...`` to :meth:`VtxApp.control`):

``POST /__emulator__/vtx/calls``      ``{"user": id|loginName|number, "direction": ..., "duration": s,
                                   "callPartyNumber": ..., "callStart": ..., "wait": true}``: a call of
                                   the user has ended; its call log is stored and pushed to every live
                                   CALL_LOG subscription covering the user. Answers the call log and
                                   the delivery outcome per subscription (``wait``: after delivery).
``POST /__emulator__/vtx/presence``   ``{"user": ..., "activity": "ONLINE", "enhancedActivity": "IN_A_CALL",
                                   "source": "c5"|"thirdParty"}``: the user's presence changes.
``GET  /__emulator__/vtx/deliveries`` every push attempt (url, status or error, call log ids).
``POST /__emulator__/vtx/users``   ``{"count": N, "enterprise": 16317, "first_id": 200000,
                                   "first_number": "+41225670000"}``: N more users (large enterprises).
``GET|POST /__emulator__/vtx/server`` read / change ``/system/server`` fields (e.g. ``buildVersion``
                                   "7.8.0.1" enables loginName addressing).
"""

import json
import os
import re
from http import HTTPStatus

from voip_emulator.core.app import App, Response
from voip_emulator.core.auth import BasicAuth, HeaderRequirement
from voip_emulator.core.errors import HttpError, json_response
from voip_emulator.core.routes import Router
from voip_emulator.core.tables import Tables
from voip_emulator.vtx import timefmt
from voip_emulator.vtx.backend import PLATFORM, Problem, VtxBackend
from voip_emulator.vtx.notifier import Notifier

API = "/openapi/v1"
CONTROL = "/__emulator__/vtx"
USER = r"(?P<user>[^/]+)"
BODY_METHODS = ("POST", "PUT", "PATCH")


def _int_param(query, name, low, default):
    values = query.get(name)
    if not values:
        return default
    value = values[-1]
    if not re.match(r"^\d+$", value) or int(value) < low:
        raise Problem(400, "%s: must be an integer >= %d, got %r" % (name, low, value))
    return int(value)


def _time_param(query, name):
    values = query.get(name)
    if not values:
        return None
    try:
        return timefmt.parse(values[-1])
    except timefmt.TimeFormatError:
        raise Problem(400, "%s: cannot parse %r as an ISO-8601 date-time" % (name, values[-1])) from None


class VtxApp(App):
    name = PLATFORM

    def __init__(self, store, options=None, clock=None):
        super().__init__(store, options, clock=clock)
        self.backend = VtxBackend(Tables(store, PLATFORM), self.clock)
        self.backend.load_or_seed()
        tls_dir = self.options.get("tls_dir")
        # The test CA may be written after the application is built: looked up at each push.
        self.notifier = Notifier(ca_file=os.path.join(tls_dir, "ca.pem") if tls_dir else None)
        self.api = Router()
        self.api.add("GET", API + r"/system/server/?", self.get_server)
        self.api.add("GET", API + r"/users/%s/presence/?" % USER, self.get_presence)
        self.api.add(("GET", "DELETE"), API + r"/users/%s/features/?" % USER, self.features)
        self.api.add(("GET", "PUT", "PATCH", "DELETE"), API + r"/users/%s/features/(?P<feature_type>[^/]+)/?" % USER, self.feature)
        self.api.add("GET", API + r"/users/%s/callLogs/?" % USER, self.user_call_logs)
        self.api.add("GET", API + r"/domains/(?P<domain>[^/]+)/callLogs/?", self.domain_call_logs)
        self.api.add(("GET", "POST"), API + r"/subscriptions/?", self.subscriptions)
        self.api.add(("GET", "PATCH", "DELETE"), API + r"/subscriptions/(?P<sid>[^/]+)/?", self.subscription)
        self.basic = BasicAuth("openapi", self.backend.account, message="Full authentication is required to access this resource")
        self.application_header = HeaderRequirement(
            "X-C5-Application", lambda value: self.backend.application(value.strip()) is not None,
            message="Missing or unknown X-C5-Application header")
        self.controls = Router()
        self.controls.add("POST", CONTROL + r"/calls", self.control_call)
        self.controls.add("POST", CONTROL + r"/presence", self.control_presence)
        self.controls.add("GET", CONTROL + r"/deliveries", self.control_deliveries)
        self.controls.add(("GET", "POST"), CONTROL + r"/server", self.control_server)
        self.controls.add("POST", CONTROL + r"/users", self.control_users)

    # core hooks --------------------------------------------------------------
    def reset(self):
        self.backend.reset()
        self.notifier.clear()

    def on_clock_change(self):
        self.backend.expire_subscriptions()

    def authenticated_with_password(self, request):
        return request.path.startswith(API)

    def cost_key(self, request):
        parts = [p for p in request.path[len(API):].split("/") if p] if request.path.startswith(API) else []
        if parts[:1] == ["users"] and len(parts) > 2:
            return "%s users/%s" % (request.method, parts[2])
        return "%s %s" % (request.method, parts[0] if parts else "")

    # response layer ----------------------------------------------------------
    def error(self, request, status, message, headers=()):
        """Spring Boot WebFlux default error attributes (spec 7)."""
        body = {
            "timestamp": timefmt.spring_timestamp(self.clock.now()),
            "path": request.path,
            "status": status,
            "error": HTTPStatus(status).phrase,
            "requestId": os.urandom(4).hex(),
            "message": message,
        }
        return json_response(status, body, headers)

    def handle(self, request):
        # The Date header comes from the core, by the emulator's clock (every platform).
        try:
            if not request.path.startswith(API + "/"):
                return self.error(request, 404, "No static resource %s." % request.path.lstrip("/"))
            request.account, request.application = self._authenticate(request)
            if request.method in BODY_METHODS:
                content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
                if content_type != "application/json":
                    raise Problem(415, "Content type '%s' not supported" % (content_type or "application/octet-stream"))
            return self._dispatch(self.api, request)
        except Problem as exc:
            return self.error(request, exc.status, exc.message)
        except HttpError as exc:
            return self.error(request, exc.status, exc.message, exc.headers)

    def _dispatch(self, router, request):
        response = router.dispatch(request)
        if response is not None:
            return response
        allowed = router.allowed(request.path)
        if allowed:
            return self.error(request, 405, "Request method '%s' is not supported." % request.method, [("Allow", ", ".join(allowed))])
        return self.error(request, 404, "No static resource %s." % request.path.lstrip("/"))

    def _authenticate(self, request):
        account = self.basic.authenticate(request)
        # C5 treats the application id as part of authentication (spec 2, assumed 401).
        psk = self.application_header.check(request)
        return account, self.backend.application(psk.strip())

    @staticmethod
    def _body(request):
        try:
            return json.loads(request.body.decode("utf-8")) if request.body.strip() else None
        except (UnicodeDecodeError, ValueError) as exc:
            raise Problem(400, "Failed to read HTTP message: JSON parse error: %s" % exc) from None

    @staticmethod
    def _ok(obj, status=200, headers=()):
        return json_response(status, obj, headers)

    def _query(self, request):
        from urllib.parse import parse_qs

        return parse_qs(request.query_string, keep_blank_values=True)

    # API handlers --------------------------------------------------------------
    def get_server(self, request):
        return self._ok(self.backend.server_info())

    def get_presence(self, request, user):
        return self._ok(self.backend.presence_of(self.backend.user(user, request.account)))

    def features(self, request, user):
        found = self.backend.user(user, request.account)
        if request.method == "DELETE":
            self.backend.reset_feature(found)
            return Response(204)
        return self._ok({"features": self.backend.feature_list(found)})

    def feature(self, request, user, feature_type):
        found = self.backend.user(user, request.account)
        if request.method == "GET":
            return self._ok({"feature": self.backend.feature(found, feature_type)})
        if request.method == "DELETE":
            self.backend.reset_feature(found, feature_type)
            return Response(204)
        body = self._body(request)
        return self._ok({"feature": self.backend.write_feature(found, feature_type, body, merge=request.method == "PATCH")})

    def _call_log_page(self, request, user_ids):
        query = self._query(request)
        limit = min(_int_param(query, "limit", 1, self.backend.page_limit()), self.backend.page_limit())
        offset = _int_param(query, "offset", 0, 0)
        start, end = _time_param(query, "from"), _time_param(query, "to")
        page = self.backend.call_log_page(user_ids, start, end, limit, offset)
        response = self._ok({"callLogs": page})
        response.rows_returned = len(page)
        return response

    def user_call_logs(self, request, user):
        return self._call_log_page(request, {self.backend.user(user, request.account)["id"]})

    def domain_call_logs(self, request, domain):
        enterprise = self.backend.enterprise(domain, request.account)
        return self._call_log_page(request, self.backend.enterprise_user_ids(enterprise["id"]))

    def subscriptions(self, request):
        if request.method == "POST":
            created = self.backend.create_subscription(self._body(request), request.account, request.application)
            return self._ok({"subscription": created}, 201, [("Location", "%s/subscriptions/%s" % (API, created["id"]))])
        listed = self.backend.subscription_list(request.account, request.application)
        response = self._ok({"subscriptions": listed})
        response.rows_returned = len(listed)
        return response

    def subscription(self, request, sid):
        if request.method == "GET":
            return self._ok({"subscription": self.backend.subscription(sid, request.account, request.application)})
        if request.method == "DELETE":
            self.backend.delete_subscription(sid, request.account, request.application)
            return Response(204)
        return self._ok({"subscription": self.backend.patch_subscription(sid, self._body(request), request.account, request.application)})

    # controls ----------------------------------------------------------------
    def control(self, request, name):
        """The core's control API calls this for ``/__emulator__/vtx/<name>``."""
        if self.controls.match(request.method, request.path) is None and not self.controls.allowed(request.path):
            return None
        try:
            return self._dispatch(self.controls, request)
        except Problem as exc:
            return self.error(request, exc.status, exc.message)

    def _control_user(self, reference):
        """A user by id, loginName or number, in any enterprise."""
        text = str(reference or "").strip()

        def matches(doc):
            number = doc["loginName"].split("@")[0]
            return text in (str(doc["id"]), doc["loginName"], number)

        found = self.backend.users.first(matches)
        if found is None:
            raise Problem(404, "no user %r (give an id, loginName or number)" % (reference,))
        return found[1]

    def control_call(self, request):
        body = self._body(request) or {}
        user = self._control_user(body.get("user"))
        call = {k: v for k, v in body.items() if k not in ("user", "wait")}
        call_log, notifications = self.backend.simulate_call(user, call)
        delivered = self.notifier.deliver(notifications, wait=body.get("wait", True))
        return self._ok({"callLog": call_log, "notifications": delivered if delivered else [
            {"subscriptionId": sid, "url": url} for sid, url, _payload in notifications]})

    def control_presence(self, request):
        body = self._body(request) or {}
        user = self._control_user(body.get("user"))
        source = body.get("source", "c5")
        if source not in ("c5", "thirdParty"):
            raise Problem(400, "source: c5 or thirdParty")
        return self._ok(self.backend.set_presence(user, body.get("activity"), body.get("enhancedActivity"), source))

    def control_deliveries(self, request):
        return self._ok(self.notifier.history())

    def control_users(self, request):
        body = self._body(request) or {}
        try:
            count, enterprise, first_id = int(body.get("count", 1)), int(body.get("enterprise", 16317)), int(body.get("first_id", 200000))
        except (TypeError, ValueError):
            raise Problem(400, "count, enterprise and first_id are integers") from None
        return self._ok({"users": self.backend.add_users(count, enterprise, first_id, body.get("first_number", "+41225670000"))})

    def control_server(self, request):
        if request.method == "POST":
            return self._ok(self.backend.set_server_info(self._body(request) or {}))
        return self._ok(self.backend.server_info())
