"""``C5App``: the Sipwise C5 REST API v1 as an emulator application.

Request handling follows the real ngcp-panel (spec §1-§3, transcripts in
``tests/fixtures/c5-real``); every resource is a small class under
``c5/resources``.  Options read from ``self.options``:

- ``tls_dir`` (or ``ca_dir``): directory of the core's test CA, used by ``POST /api/admincerts/``
  to issue client certificates;
- ``jwt_lifetime``: lifetime in seconds of tokens from ``POST /login_jwt``
  (default 36000 as ngcp-panel ships, 0 = no expiry; expiry by the emulator clock).

The generic parts (tables and persistence, the route table, JSON errors, the
auth schemes, the clock) come from ``voip_emulator.core``; this package is C5's
routes (:meth:`C5App.build_router`), its models (``state.py``, ``resources/``)
and its seed data (``seed.py``).
"""

import json
import re
import threading
import traceback

from voip_emulator.core.app import App, Response
from voip_emulator.core.auth import AuthFailed
from voip_emulator.core.errors import HttpError
from voip_emulator.core.routes import Router
from voip_emulator.c5 import hal
from voip_emulator.c5.auth import REALM, Authenticator
from voip_emulator.c5.errors import ApiError, invalid_user, path_not_found
from voip_emulator.c5.jsonpatch import apply_patch, validate_patch
from voip_emulator.c5.resources.base import Context, reject_readonly
from voip_emulator.c5.resources.registry import build_resources
from voip_emulator.c5.seed import seed
from voip_emulator.c5.state import State
from voip_emulator.c5.v2 import NcosSets

METHOD_OVERRIDE_HEADERS = ("x-http-method", "x-http-method-override", "x-method-override", "x-tunneled-method")
MOVED_HTML = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
    '    <html xmlns="http://www.w3.org/1999/xhtml">\n    <head>\n    <title>Moved</title>\n    </head>\n    <body>\n'
    '   <p>This item has moved <a href="%s">here</a>.</p>\n</body>\n</html>\n'
)
MALFORMED = "The entity is not a well-formed 'application/json' document. "
# The platforminfo answer of the recorded install (spec §1.9): that install lacked
# the platform config files of a real node; the emulator has none either.
PLATFORMINFO_BODY = {"error": "an internal error when fetching the config data"}
_ID_RE = re.compile(r"^\d+$")


def effective_method(request):
    for name in METHOD_OVERRIDE_HEADERS:
        value = request.header(name)
        if value:
            return value.strip().upper()
    return request.method


def normalised_path(request):
    """``//api/x`` works like ``/api/x`` (spec §1.1)."""
    return re.sub(r"^/+", "/", request.path)


def split_api_path(path):
    """("customers", None, True) for /api/customers/, ("customers", "5", _) for
    /api/customers/5[/], ("customers", None, False) for /api/customers;
    None for anything else."""
    match = re.match(r"^/api/([a-z0-9]+)(/([^/]*)/?)?$", path)
    if not match:
        return None
    if match.group(2) is None:
        return match.group(1), None, False
    item = match.group(3)
    return match.group(1), (item or None), True


def prefer_representation(request):
    return (request.header("prefer") or "").strip() == "return=representation"


def _perl_json_error(text, exc):
    """A JSON::XS style parser message (recorded: "Expected string while parsing
    object before end of data")."""
    message = {
        "Expecting property name enclosed in double quotes": "Expected string while parsing object",
        "Expecting ':' delimiter": "':' expected while parsing object/hash",
        "Expecting ',' delimiter": "',' or '}' expected while parsing object/hash",
        "Expecting value": "malformed JSON string, neither tag, array, object, number, string or atom",
        "Extra data": "garbage after JSON object",
    }.get(exc.msg, exc.msg)
    if exc.pos >= len(text.rstrip()):
        return message + " before end of data"
    return message + ", at character offset %d" % exc.pos


def parse_json_body(request, method):
    raw = request.body.decode("utf-8", "replace") if request.body else ""
    if method == "POST" and request.header("link") is not None:
        # Verified live: on POST a Link header makes the body be discarded first.
        raise ApiError(400, MALFORMED + "Missing or empty input")
    if method in ("PUT", "PATCH") and request.header("link") is not None:
        raise ApiError(400, "The request must not contain 'Link' headers. Instead assert relationships in the entity body.")
    if not raw.strip():
        if method == "POST":
            raise ApiError(400, MALFORMED + "Missing or empty input")
        raise ApiError(400, "This request is missing a message body.")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ApiError(400, MALFORMED + "Malformed JSON: " + _perl_json_error(raw, exc)) from exc


def check_content_type(request, method):
    content_type = request.header("content-type")
    wanted = "application/json-patch+json" if method == "PATCH" else "application/json"
    if content_type is None or not content_type.strip().lower().startswith(wanted):
        raise ApiError(415, "Unsupported media type '%s', accepting %s only." % (content_type if content_type is not None else "undefined", wanted))


def _positive_param(value, default):
    """page/rows: 0 or negative -> 400; non-numeric -> 500 (a fatal Perl numeric
    warning on the real server, verified live for rows=abc)."""
    if value is None:
        return default
    if not re.match(r"^\s*[+-]?\d+\s*$", value):
        raise ApiError(500, "Internal Server Error")
    number = int(value)
    if number <= 0:
        raise ApiError(400, "Query parameters 'page' and 'rows', when specified, must be greater than 0.")
    return number


class C5App(App):
    name = "c5"

    def __init__(self, store, options=None, clock=None):
        super().__init__(store, options, clock)
        self.lock = threading.RLock()
        self.state = State(store, self.clock)
        if not self.state.load():
            self.state.wipe()
            seed(self.state)
        self.auth = Authenticator(self.state, self.options, self.clock)
        self.resources = build_resources(self)
        # Collections of the v2 API (only NCOS sets): not part of v1's /api/ listing.
        self.ncos_sets = NcosSets(self)
        self.router = self.build_router()

    def reset(self):
        with self.lock:
            self.state.wipe()
            seed(self.state)

    # latency / scheduling hints for the core -----------------------------------
    def cost_key(self, request):
        parsed = split_api_path(normalised_path(request))
        method = effective_method(request)
        if parsed is None:
            return "%s other" % method
        resource, item = parsed[0], parsed[1]
        if method in ("GET", "HEAD"):
            if resource == "subscriberpreferencedefs":
                # Not a page: ngcp-panel answers it with one hash of every definition, without
                # the per-row work of a collection page (priced apart in the c5-real profile).
                return "GET defs"
            return "GET item" if item else "GET page"
        return "%s %s" % (method, resource)

    def authenticated_with_password(self, request):
        if request.client_cert:
            return False
        return (request.header("authorization") or "").lower().startswith("basic ")

    def serialize_key(self, request):
        """Creates of subscribers in one customer serialise on the real server (the
        customer row is locked for the subscriber limits)."""
        parsed = split_api_path(normalised_path(request))
        if parsed and parsed[0] == "subscribers" and parsed[1] is None and effective_method(request) == "POST":
            try:
                body = json.loads(request.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                return None
            if isinstance(body, dict) and body.get("customer_id") is not None:
                return "customer:%s" % body["customer_id"]
        return None

    # routes ----------------------------------------------------------------------
    def build_router(self):
        """C5's route table. Everything under ``/api/`` authenticates first (an
        unknown collection is a 404 only for an authenticated caller); a method
        a collection or item lacks is a 404 "Path not found", never a 405
        (spec §1.1), so the API routes take any method and decide themselves."""
        router = Router()
        router.add("POST", r"/login_jwt", self._login_jwt)
        router.add(("GET", "HEAD"), r"/api/platforminfo/?", self._platforminfo)
        self.ncos_sets.add_routes(router)
        router.add("*", r"/api/", self._root_route)
        router.add("*", r"/api/(?P<name>[a-z0-9]+)", self._redirect_route)
        router.add("*", r"/api/(?P<name>[a-z0-9]+)/", self._collection_route)
        router.add("*", r"/api/(?P<name>[a-z0-9]+)/(?P<item>[^/]*)/?", self._item_route)
        return router

    # dispatch --------------------------------------------------------------------
    def handle(self, request):
        with self.lock:
            try:
                response = self.route(request)
            except HttpError as exc:
                response = self.error_response(request, exc)
            except Exception:  # pylint: disable=broad-except
                # Anything unexpected is the real server's generic 500.
                traceback.print_exc()
                response = hal.error_response(500, "Internal Server Error")
        if effective_method(request) == "HEAD":
            response.body = b""
        return response

    def error_response(self, request, error):
        if isinstance(error, AuthFailed) and error.status == 401:
            # One challenge whatever scheme failed (spec §2.1).
            return Response(401, [("Content-Type", "text/plain; charset=UTF-8"), ("WWW-Authenticate", 'Basic realm="%s"' % REALM)],
                            b"Authorization required.")
        return hal.error_response(error.status, error.message)

    def route(self, request):
        response = self.router.dispatch(request, method=effective_method(request), path=normalised_path(request))
        if response is None:
            if normalised_path(request).startswith("/api/"):
                self.auth.authenticate(request)
            raise path_not_found()
        return response

    def _login_jwt(self, request):
        body = parse_json_body(request, "POST")
        return Response.json(200, self.auth.login_jwt(body))

    def _platforminfo(self, request):
        return Response.json(200, PLATFORMINFO_BODY)

    def _context(self, request):
        return Context(self, request, self.auth.authenticate(request))

    def reference_source(self, name):
        """The object holding the rows a reference preference names: a v1
        resource by collection name, or the v2 NCOS sets."""
        return self.ncos_sets if name == "ncossets" else self.resources[name]

    def _root_route(self, request):
        return self._root(self._context(request), effective_method(request))

    def _resource(self, ctx, name):
        resource = self.resources.get(name)
        if resource is None:
            raise path_not_found()
        return resource

    def _redirect_route(self, request, name):
        ctx = self._context(request)
        self._resource(ctx, name)
        location = "%s://%s/api/%s/" % (request.scheme, request.host, name)
        return Response(301, [("Location", location), ("Content-Type", "text/html; charset=utf-8")], MOVED_HTML % location)

    def _collection_route(self, request, name):
        ctx = self._context(request)
        resource = self._resource(ctx, name)
        if ctx.role not in resource.roles:
            raise invalid_user()
        return self._collection(ctx, resource, effective_method(request))

    def _item_route(self, request, name, item):
        if not item:
            # "/api/customers//" is the collection (the real path parser does that).
            return self._collection_route(request, name)
        ctx = self._context(request)
        resource = self._resource(ctx, name)
        if ctx.role not in resource.roles:
            raise invalid_user()
        return self._item(ctx, resource, effective_method(request), item)

    def _root(self, ctx, method):
        names = sorted(self.resources)
        if method == "OPTIONS":
            # ngcp-panel's Root OPTIONS: its allowed methods as an Allow header and a
            # JSON body, and one Link header per collection.
            methods = ["GET", "OPTIONS", "HEAD"]
            headers = [("Allow", ", ".join(methods))]
            headers += [("Link", '</api/%s/>; rel="collection %s#rel-%s"' % (n, hal.PROFILE, n)) for n in names]
            headers.append(("Content-Type", "application/json"))
            return Response(200, headers, json.dumps({"methods": methods}) + "\n")
        if method not in ("GET", "HEAD"):
            raise path_not_found()
        if ctx.request.header("accept") == "application/json":
            body = {}
            for name in names:
                resource = self.resources[name]
                body[name] = {
                    "actions": list(resource.collection_methods) + ["OPTIONS", "HEAD"],
                    "item_actions": ["GET", "OPTIONS", "HEAD"] + [m for m in resource.item_methods if m != "GET"],
                    "fields": [], "sorting_cols": list(resource.order_columns), "query_params": sorted(resource.filters),
                }
            return Response.json(200, body)
        return Response(200, [("Content-Type", "text/html; charset=utf-8")], "<html><body><h1>NGCP API</h1></body></html>")

    # collections -----------------------------------------------------------------
    def _collection(self, ctx, resource, method):
        allowed = resource.collection_methods
        if method == "OPTIONS":
            methods = list(allowed) + ["OPTIONS", "HEAD"]
            # ngcp-panel sends Accept-Post on every collection, also those without POST
            # (Role/Entities.pm options(): the condition is commented out).
            headers = [("Content-Type", "application/json"), ("Allow", ", ".join(methods)),
                       ("Accept-Post", "application/hal+json; profile=%s#rel-%s" % (hal.PROFILE, resource.name))]
            return Response(200, headers, json.dumps({"methods": methods}))
        if method == "HEAD" and "GET" in allowed:
            method = "GET"
        if method not in allowed:
            raise path_not_found()
        if method == "GET":
            custom = getattr(resource, "collection_response", None)
            if custom:
                return custom(ctx)
            return self._list(ctx, resource)
        reject_readonly(ctx)
        check_content_type(ctx.request, "POST")
        body = parse_json_body(ctx.request, "POST")
        custom = getattr(resource, "post_response", None)
        if custom:
            return custom(ctx, body)
        if not isinstance(body, dict):
            # Verified live: a JSON array body is an unhandled 500.
            raise ApiError(500, "Internal Server Error")
        row = resource.create(ctx, body)
        headers = [("Location", "/api/%s/%s" % (resource.name, resource.item_id(row))), ("Content-Type", "")]
        if resource.generic_handler and prefer_representation(ctx.request):
            # Verified live: generic-handler POST honours Prefer, still with an
            # empty Content-Type header.
            return Response(201, headers, hal.encode(self.render_item(ctx, resource, row)))
        return Response(201, headers, b"")

    def render_item(self, ctx, resource, row, expand=None):
        body = resource.render(ctx, row)
        body["_links"] = hal.item_links(resource.name, resource.item_id(row), resource.relations(row))
        for field in expand or ():
            target = self.expand_target(ctx, resource, row, field)
            if target is not None:
                body[field + "_expand"] = target
        return body

    def expand_target(self, ctx, resource, row, field):
        target_name = resource.expandable.get(field)
        target_id = row.get(field)
        if target_name is None or target_id is None:
            return None
        target_resource = self.resources[target_name]
        target = target_resource.lookup(ctx, target_id)
        return target_resource.render(ctx, target) if target is not None else None

    def _expand_fields(self, resource, params):
        """(fields, status): unknown fields answer 409 with the normal body
        unless ``soft_expand=1`` (verified live, spec §1.7)."""
        requested = [v for k, v in params if k == "expand"]
        if not requested:
            return [], 200
        fields = []
        unknown = False
        for value in requested:
            for field in value.split(","):
                field = field.strip()
                if field == "all":
                    fields.extend(resource.expandable)
                elif field in resource.expandable:
                    fields.append(field)
                elif field:
                    unknown = True
        soft = any(k == "soft_expand" and v in ("1", "true") for k, v in params)
        return fields, (409 if unknown and not soft else 200)

    def _list(self, ctx, resource):
        request = ctx.request
        params = request.query_pairs()
        values = {}
        for key, value in params:
            values.setdefault(key, value)
        page = _positive_param(values.get("page"), 1)
        rows = _positive_param(values.get("rows"), 10)
        expand, status = self._expand_fields(resource, params)
        predicates = resource.build_filters(params)
        no_count = values.get("no_count", "").lower() in ("1", "true")
        order_by = values.get("order_by")
        descending = values.get("order_by_direction", "asc").lower() == "desc"
        offset = (page - 1) * rows

        def matching():
            for row in resource.candidates(ctx, params):
                if resource.visible(ctx, row) and all(p(row) for p in predicates):
                    yield row

        if order_by in resource.order_columns:
            ordered = sorted(matching(), key=lambda r: resource.order_value(r, order_by), reverse=descending)
            total = len(ordered)
            page_rows = ordered[offset:offset + rows]
            has_more = total > offset + rows
        else:
            # one pass: count everything, keep only this page's rows
            page_rows = []
            total = 0
            has_more = False
            for row in matching():
                if offset <= total < offset + rows:
                    page_rows.append(row)
                total += 1
                if no_count and total > offset + rows:
                    has_more = True
                    break
            if not no_count:
                has_more = total > offset + rows
        base = "/api/%s/" % resource.name
        extra = "".join("&%s=%s" % (k, v) for k, v in params if k not in ("page", "rows"))
        links = {
            "curies": hal.CURIES,
            "profile": {"href": hal.PROFILE},
            "self": {"href": "%s?page=%s&rows=%s%s" % (base, values.get("page", "1"), values.get("rows", "10"), extra)},
        }
        if has_more:
            links["next"] = {"href": "%s?page=%d&rows=%d%s" % (base, page + 1, rows, extra)}
        if page > 1:
            links["prev"] = {"href": "%s?page=%d&rows=%d%s" % (base, page - 1, rows, extra)}
        body = {"_links": links, "total_count": None if no_count else total}
        if page_rows:
            items = [self.render_item(ctx, resource, row, expand) for row in page_rows]
            key = "ngcp:" + resource.name
            links[key] = [{"href": item["_links"]["self"]["href"]} for item in items]
            body["_embedded"] = {key: items}
        response = Response(status, [("Content-Type", hal.hal_content_type(request))], hal.encode(body, pretty=False))
        response.rows_returned = len(page_rows)
        return response

    # items -----------------------------------------------------------------------
    def _item(self, ctx, resource, method, item):
        allowed = resource.item_methods
        if method == "OPTIONS" and allowed:
            methods = ["GET", "OPTIONS", "HEAD"] + [m for m in allowed if m != "GET"]
            headers = [("Content-Type", "application/json"), ("Allow", ", ".join(methods))]
            if "PATCH" in methods:
                headers.append(("Accept-Patch", "application/json-patch+json"))
            return Response(200, headers, json.dumps({"methods": methods}))
        if method == "HEAD":
            method = "GET"
        if method not in allowed:
            raise path_not_found()
        if not _ID_RE.match(item):
            raise ApiError(400, "Invalid id in request URI")
        item_id = int(item)
        if method == "GET":
            row = resource.require(ctx, item_id)
            params = ctx.request.query_pairs()
            expand, status = self._expand_fields(resource, params)
            return self._item_response(ctx, resource, row, status, in_get=True, expand=expand)
        reject_readonly(ctx)
        if method == "DELETE":
            row = resource.require(ctx, item_id)
            resource.delete(ctx, row)
            return Response(204, [("Content-Type", "")], b"")
        check_content_type(ctx.request, method)
        body = parse_json_body(ctx.request, method)
        if method == "PATCH":
            validate_patch(body, resource.patch_ops)
            row = resource.require(ctx, item_id)
            document = apply_patch(resource.patch_document(ctx, row), body)
            row = resource.update(ctx, row, document, patch=True)
        else:
            if not isinstance(body, dict):
                raise ApiError(500, "Internal Server Error")
            row = resource.require(ctx, item_id)
            row = resource.update(ctx, row, body, patch=False)
        if prefer_representation(ctx.request):
            response = self._item_response(ctx, resource, row, 200, in_get=False)
            response.headers.append(("Preference-Applied", "return=representation"))
            return response
        return Response(204, [("Content-Type", ""), ("Preference-Applied", "return=minimal")], b"")

    def _item_response(self, ctx, resource, row, status, in_get, expand=None):
        body = self.render_item(ctx, resource, row, expand)
        headers = [("Content-Type", hal.hal_content_type(ctx.request))]
        if resource.item_link_header:
            item_rels = resource.generic_handler if resource.item_link_rels is None else resource.item_link_rels
            headers.append(("Link", hal.link_header(resource.name, resource.item_id(row), resource.relations(row), in_get, item_rels)))
        return Response(status, headers, hal.encode(body))
