# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A platform's real emulator application in the test process, without sockets.

    from voip_emulator.inprocess import InProcessEmulator

    emulator = InProcessEmulator("c5")
    session = requests.Session()
    session.mount(emulator.url, emulator.adapter)       # or emulator.session()
    session.get(emulator.url + "/api/customers/", auth=("administrator", "administrator"))
    assert emulator.requests()[-1]["status"] == 200
    emulator.clock.advance(3600)
    emulator.reset()

Requests go through the same :meth:`voip_emulator.core.server.Emulator.serve`
pipeline as over HTTP (control API, faults, latency profile, request log) into
the same application class; only the sockets are missing. State lives in an
in-memory SQLite store (or ``state_dir``). Unit tests use this instead of a
hand-written fake of the API, so they cannot drift from the emulator.

``requests`` is imported only when ``.adapter`` is used; TLS helpers
(``cryptography``) only when a client certificate is passed.
"""

import io
import os
import re
import ssl
import time
from urllib.parse import urlsplit

from voip_emulator import load_platform
from voip_emulator.core.app import Request
from voip_emulator.core.clock import Clock
from voip_emulator.core.profiles import resolve_profile
from voip_emulator.core.server import ConnectionState, Emulator
from voip_emulator.core.store import Store

#: The base URL of every in-process emulator (``.invalid`` never resolves, so a
#: request that misses the adapter fails loudly instead of reaching a network).
DEFAULT_URL = "http://emulator.invalid"


class InProcessEmulator:
    """One platform application in-process. ``options`` are the platform
    options (as the CLI would pass them); ``profile``/``time_scale``/``seed``
    as for the server; ``state_dir`` keeps the SQLite state in a file there."""

    def __init__(self, platform="c5", options=None, profile=None, time_scale=1.0, seed=None, state_dir=None,
                 url=DEFAULT_URL, clock=None, app_class=None):
        # ``app_class`` runs an application that is not in PLATFORMS (tests of the core).
        self.platform = platform
        self.url = url.rstrip("/")
        self.state_dir = state_dir
        path = os.path.join(state_dir, "%s.sqlite" % platform) if state_dir else None
        self.store = Store(path)
        app_options = {"state_dir": state_dir, "tls": url.startswith("https:"), "seed": seed}
        if state_dir:
            app_options["tls_dir"] = os.path.join(state_dir, "tls")
        app_options.update(options or {})
        self.app = (app_class or load_platform(platform))(self.store, app_options, clock=clock if clock is not None else Clock())
        self.emulator = Emulator(self.app, platform, resolve_profile(profile or "none"), time_scale=time_scale, seed=seed,
                                 state_dir=state_dir)
        self.emulator.url = self.url
        self._adapter = None

    # -- what tests use ----------------------------------------------------

    @property
    def clock(self):
        """The emulator's :class:`~voip_emulator.core.clock.Clock` (``advance``, ``set``, ``freeze``)."""
        return self.emulator.clock

    @property
    def adapter(self):
        """A ``requests`` transport adapter feeding this emulator; mount it on a
        Session for :attr:`url`."""
        if self._adapter is None:
            self._adapter = make_adapter(self)
        return self._adapter

    def session(self):
        """A new ``requests.Session`` with :attr:`adapter` mounted for :attr:`url`."""
        import requests  # pylint: disable=import-outside-toplevel

        session = requests.Session()
        session.mount(self.url + "/", self.adapter)
        return session

    def requests(self, clear=False, since=0):
        """The request log, oldest first (entries as ``/__emulator__/requests``)."""
        return self.emulator.log.entries(since=since, clear=clear)

    def clear_requests(self):
        return self.emulator.log.clear()

    def reset(self, **parts):
        """Seed data, empty log, no faults, startup config, real-time clock
        (``reset(app=False)`` etc. keeps a part)."""
        self.emulator.reset(**parts)

    def add_fault(self, **rule):
        return self.emulator.faults.add(rule)

    def configure(self, **config):
        return self.emulator.configure(config)

    def close(self):
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- one request -------------------------------------------------------

    def call(self, method, target, headers=None, body=b"", client_cert=None, scheme=None):
        """Run one raw request (``target`` = path and query, as sent); return the
        core :class:`~voip_emulator.core.app.Response`, or None for a dropped
        connection."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        parts = urlsplit(self.url)
        request = Request(method, target, dict(headers or {}), body or b"", client_cert=client_cert,
                          scheme=scheme or parts.scheme, host=parts.netloc)
        connection = ConnectionState()
        try:
            return self.emulator.serve(request, connection)
        finally:
            connection.release_worker()


_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def describe_cert_file(cert):
    """``{"serial", "subject", "issuer"}`` of the client certificate requests would
    present (``cert`` = a PEM path, or a (cert, key) pair), like the TLS server
    reports a verified peer certificate. Chain verification is not emulated."""
    path = cert[0] if isinstance(cert, (tuple, list)) else cert
    with open(path, "rb") as stream:
        found = _PEM_CERT.search(stream.read())
    if not found:
        raise ValueError("no certificate in %s" % path)
    from voip_emulator.core.tls import describe_peer_cert  # pylint: disable=import-outside-toplevel

    return describe_peer_cert(ssl.PEM_cert_to_DER_cert(found.group(0).decode("ascii")))


def _body_bytes(body):
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        return body.read()
    return b"".join(part if isinstance(part, bytes) else str(part).encode("utf-8") for part in body)


def make_adapter(emulator):
    """Build the ``requests`` adapter class lazily (requests is optional here)."""
    import requests  # pylint: disable=import-outside-toplevel
    from requests.adapters import BaseAdapter  # pylint: disable=import-outside-toplevel
    from requests.structures import CaseInsensitiveDict  # pylint: disable=import-outside-toplevel
    from requests.utils import get_encoding_from_headers  # pylint: disable=import-outside-toplevel

    class InProcessAdapter(BaseAdapter):
        """Sends each prepared request to the in-process emulator."""

        def __init__(self):
            super().__init__()
            self.emulator = emulator

        def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):  # pylint: disable=unused-argument
            parts = urlsplit(request.url)
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
            # The raw target as sent: keep a leading "//" (C5 answers it with a redirect).
            match = re.match(r"^[a-z]+://[^/]*(/.*)$", request.url, re.IGNORECASE)
            if match:
                target = match.group(1).split("#", 1)[0]
            client_cert = describe_cert_file(cert) if cert else None
            started = time.monotonic()
            answer = self.emulator.call(request.method, target, request.headers, _body_bytes(request.body),
                                        client_cert=client_cert, scheme=parts.scheme)
            if answer is None:
                raise requests.ConnectionError("the emulator dropped the connection (fault injection) for %s %s"
                                               % (request.method, request.url), request=request)
            response = requests.Response()
            response.status_code = answer.status
            headers = CaseInsensitiveDict()
            for name, value in answer.headers:
                # Repeated headers are folded the way urllib3 folds them.
                headers[name] = "%s, %s" % (headers[name], value) if name in headers else value
            if answer.status not in (204, 304):
                headers.setdefault("Content-Length", str(len(answer.body)))
            response.headers = headers
            body = b"" if request.method == "HEAD" else answer.body
            response._content = body  # pylint: disable=protected-access
            response._content_consumed = True  # pylint: disable=protected-access
            response.raw = io.BytesIO(body)
            response.encoding = get_encoding_from_headers(headers)
            response.reason = _reason(answer.status)
            response.url = request.url
            response.request = request
            response.connection = self
            response.elapsed = _elapsed(started)
            return response

        def close(self):
            pass

    return InProcessAdapter()


def _reason(status):
    from http import HTTPStatus  # pylint: disable=import-outside-toplevel

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _elapsed(started):
    import datetime  # pylint: disable=import-outside-toplevel

    return datetime.timedelta(seconds=time.monotonic() - started)
