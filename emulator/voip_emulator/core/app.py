"""The contract between the emulator's HTTP core and a platform application.

The core (``voip_emulator.core.server``) owns sockets, TLS, keep-alive, latency,
worker limits, fault injection, the request log and persistence.  A platform
application (``voip_emulator.c5.app.C5App``, later XC5/VTX/SIP2SIP) only turns a
parsed :class:`Request` into a :class:`Response`.  Keeping the two apart lets the
same core serve every platform and lets an application be unit-tested without
any socket.
"""

import json


class Request:
    """One parsed HTTP request, as the application sees it."""

    def __init__(self, method, target, headers, body=b"", client_cert=None, scheme="http", host="127.0.0.1:0"):
        self.method = method.upper()
        # The raw request target, e.g. "//api/subscribers/?page=2&rows=10".
        self.target = target
        self.path, _sep, self.query_string = target.partition("?")
        # Header names are matched case-insensitively.
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body or b""
        # None, or {"serial": int, "subject": "CN=...", "issuer": "CN=..."} of a
        # verified TLS client certificate.
        self.client_cert = client_cert
        self.scheme = scheme
        # "host:port" the client addressed (for absolute redirect Locations).
        self.host = host
        # Work to run when the request has finished on the emulated server, after
        # its simulated latency (see ``defer``). Set by the core's pipeline only.
        self.on_complete = None

    def defer(self, callback):
        """Run ``callback()`` when the request has finished on the emulated server
        (after its latency, like a database commit at the end of the real server's
        request); at once when no pipeline runs the request (an application called
        directly, e.g. by the transcript replay). Returns True when deferred."""
        if self.on_complete is None:
            callback()
            return False
        self.on_complete.append(callback)
        return True

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def query_pairs(self):
        """Query parameters as an ordered list of (name, value), values NOT unescaped
        beyond %XX decoding (C5 echoes them back unescaped in self/next hrefs)."""
        from urllib.parse import parse_qsl

        return parse_qsl(self.query_string, keep_blank_values=True)


class Response:
    """One HTTP response. ``headers`` is a list of (name, value) pairs, in order;
    a header with value "" is sent with an empty value (C5 does that for
    Content-Type on 201/204)."""

    def __init__(self, status, headers=None, body=b""):
        self.status = status
        self.headers = list(headers or [])
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.body = body
        # How many collection rows the answer carries; latency profiles charge a
        # per-row cost for it (``{"base": s, "per_row": s}`` cost entries).
        # Leave None for answers that are not a page of a collection.
        self.rows_returned = None

    @classmethod
    def json(cls, status, obj, content_type="application/json", headers=None):
        return cls(status, [("Content-Type", content_type)] + list(headers or []), json.dumps(obj).encode("utf-8"))

    def header(self, name, default=None):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return default


class App:
    """Base class of a platform application.

    A platform is its routes, its models and its seed data: it builds a
    :class:`~voip_emulator.core.routes.Router` in ``self.router``, keeps its state
    in :class:`~voip_emulator.core.tables.Tables`, reads the time from
    ``self.clock`` and raises :class:`~voip_emulator.core.errors.HttpError`
    anywhere; the default :meth:`handle` dispatches and renders errors.
    """

    #: short platform name, used in the CLI (``--platform c5``) and in the log.
    name = "base"
    #: a :class:`voip_emulator.core.routes.Router`, used by the default :meth:`handle`.
    router = None

    def __init__(self, store, options=None, clock=None):
        """``store`` is a :class:`voip_emulator.core.store.Store` (write-through
        persistence); ``options`` a dict of platform options from the CLI/profile;
        ``clock`` the emulator's :class:`~voip_emulator.core.clock.Clock` (a
        real-time one when None). Every time-based behaviour reads
        ``self.clock.now()``, never ``time.time()``."""
        from voip_emulator.core.clock import Clock  # pylint: disable=import-outside-toplevel

        self.store = store
        self.options = options or {}
        self.clock = clock if clock is not None else Clock()
        self.clock.add_listener(self.on_clock_change)

    def on_clock_change(self):
        """Called after the clock was set, advanced or unfrozen: run expiry work
        (leases, countdowns) here. Default: nothing."""

    def handle(self, request):
        """Return a :class:`Response` for ``request``. Called from several threads
        at once: the application guards its own state.

        Default: :meth:`route`, with an :class:`HttpError` rendered by
        :meth:`error_response`."""
        from voip_emulator.core.errors import HttpError  # pylint: disable=import-outside-toplevel

        try:
            return self.route(request)
        except HttpError as exc:
            return self.error_response(request, exc)

    def route(self, request):
        """Dispatch through ``self.router``; no route -> :meth:`no_route`."""
        if self.router is None:
            raise NotImplementedError("%s sets no router and does not override handle()" % type(self).__name__)
        response = self.router.dispatch(request)
        if response is None:
            response = self.no_route(request, self.router.allowed(request.path))
        return response

    def no_route(self, request, allowed):
        """The answer when no route takes the request: 405 with ``Allow`` when the
        path exists for other methods, else 404 (JSON ``{"code", "message"}``).
        Platforms override it for their own shapes."""
        from voip_emulator.core.errors import http_error  # pylint: disable=import-outside-toplevel

        if allowed:
            raise http_error(405, "Method %s not allowed" % request.method, headers=[("Allow", ", ".join(allowed))])
        raise http_error(404, "Not found")

    def error_response(self, request, error):  # pylint: disable=unused-argument
        """Render an :class:`HttpError` (default: its own payload)."""
        return error.response()

    def reset(self):
        """Drop all state and go back to the platform's seed data."""
        raise NotImplementedError

    def cost_key(self, request):
        """A short label for the request's cost class used by latency profiles
        (e.g. "POST subscribers", "GET item", "GET page"). Default: method + first
        path segment after the API prefix."""
        parts = [p for p in request.path.split("/") if p]
        return "%s %s" % (request.method, parts[1] if len(parts) > 1 else "")

    def authenticated_with_password(self, request):
        """True when the request authenticates by a password check that costs
        server CPU on the real platform (C5 Basic auth: bcrypt on every call).
        Latency profiles add their auth cost to such requests only."""
        return False

    def serialize_key(self, request):
        """A key for requests the real platform cannot run in parallel (e.g. the
        customer id of a subscriber creation), or None. The core runs requests
        with the same key one at a time; a profile's
        ``parallel_conflict_500_rate`` makes a request that had to wait answer
        500 without running (the real database rolled it back)."""
        return None
