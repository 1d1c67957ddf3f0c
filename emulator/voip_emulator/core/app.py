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
    """Base class of a platform application."""

    #: short platform name, used in the CLI (``--platform c5``) and in the log.
    name = "base"

    def __init__(self, store, options=None):
        """``store`` is a :class:`voip_emulator.core.store.Store` (write-through
        persistence); ``options`` a dict of platform options from the CLI/profile."""
        self.store = store
        self.options = options or {}

    def handle(self, request):
        """Return a :class:`Response` for ``request``. Called from several threads
        at once: the application guards its own state."""
        raise NotImplementedError

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
