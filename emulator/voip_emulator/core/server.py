# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The platform-neutral HTTP(S) server of the emulator.

:class:`Emulator` holds the runtime state every platform shares (request log,
fault rules, latency profile, worker pool, per-key locks) and runs one API
request through it; :class:`EmulatorServer` / :class:`EmulatorHandler` speak
HTTP/1.1 with keep-alive on top of :class:`http.server.ThreadingHTTPServer`.

Two details matter for clients measured against this server:

* Every response leaves in ONE ``sendall`` (status line, headers and body) on a
  socket with TCP_NODELAY.  ``BaseHTTPRequestHandler`` writes headers and body
  separately, and a keep-alive client then waits ~40 ms per request for a
  delayed ACK, which would dwarf any latency profile.
* The request target reaches the application exactly as sent.  Python's
  ``parse_request`` collapses a leading ``//`` (gh-87389); C5 answers
  ``//api/...`` with a redirect, so the application must see it.
"""

import base64
import collections
import json
import os
import random
import re
import socket
import ssl
import sys
import threading
import time
import traceback
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from voip_emulator.core.app import Request, Response
from voip_emulator.core.clock import Clock
from voip_emulator.core.control import CONTROL_PREFIX, handle_control
from voip_emulator.core.profiles import KeyLocks, Profile, ProfileError, WorkerPool, resolve_profile

#: Requests kept in the log; older ones are dropped.
LOG_LIMIT = 200000
#: Characters of a request body kept in the log.
LOG_BODY_LIMIT = 10000
#: Request headers copied into the log (Authorization only as its scheme).
LOGGED_HEADERS = ("Content-Type", "Prefer", "Accept")
#: Largest request body accepted (bulk bodies of a few MB are fine).
MAX_BODY = 64 * 1024 * 1024
#: Statuses that never carry a body, hence no Content-Length (RFC 9110 8.6).
NO_BODY_STATUSES = frozenset((204, 304))


class RequestLog:
    """The last :data:`LOG_LIMIT` API requests, numbered by ``seq``."""

    def __init__(self, limit=LOG_LIMIT):
        self._lock = threading.Lock()
        self._entries = collections.deque(maxlen=limit)
        self._seq = 0

    def add(self, entry):
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)
        return entry

    def entries(self, since=0, clear=False):
        """Entries with ``seq > since``, oldest first; ``clear`` empties the log in
        the same step, so no request slips between reading and clearing."""
        with self._lock:
            result = [entry for entry in self._entries if entry["seq"] > since]
            if clear:
                self._entries.clear()
        return result

    def clear(self, restart_numbering=False):
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            if restart_numbering:
                self._seq = 0
        return count

    def __len__(self):
        with self._lock:
            return len(self._entries)


class FaultError(ValueError):
    """An invalid fault rule."""


class FaultRules:
    """Fault injection rules, checked in the order they were added.

    A rule: ``{"method": "POST" (optional), "path_regex": "..." (optional,
    searched in the raw target), "kind": ..., "status": 503, "retry_after": 2,
    "count": 1, "after": 0, "seconds": 1.5}``.  Kinds:

    ``drop``          close the connection without an answer; the app never runs
    ``status``        answer ``status`` (``Retry-After`` if ``retry_after``); the app never runs
    ``status_after``  run the app (the write happens), then answer ``status`` instead
    ``drop_after``    run the app, then close the connection without an answer
    ``delay``         wait ``seconds`` (not scaled), then serve normally

    Each matching request counts for every matching rule; the first rule that
    has skipped its ``after`` matches and still has some of its ``count`` left
    fires (``count: null`` fires forever).
    """

    KINDS = ("drop", "status", "status_after", "drop_after", "delay")

    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []

    @classmethod
    def normalize(cls, rule):
        if not isinstance(rule, dict):
            raise FaultError("a fault rule must be an object, not %r" % (rule,))
        unknown = sorted(set(rule) - {"method", "path_regex", "kind", "status", "retry_after", "count", "after", "seconds"})
        if unknown:
            raise FaultError("unknown fault rule key(s): %s" % ", ".join(unknown))
        kind = rule.get("kind")
        if kind not in cls.KINDS:
            raise FaultError("fault kind must be one of %s, not %r" % (", ".join(cls.KINDS), kind))
        path_regex = rule.get("path_regex")
        try:
            compiled = re.compile(path_regex) if path_regex else None
        except (re.error, TypeError) as exc:
            raise FaultError("invalid path_regex %r: %s" % (path_regex, exc)) from exc
        status = rule.get("status", 503)
        if not isinstance(status, int) or not 100 <= status <= 599:
            raise FaultError("status must be an HTTP status code, not %r" % (status,))
        count = rule.get("count", 1)
        if count is not None and (not isinstance(count, int) or count < 0):
            raise FaultError("count must be a non-negative integer or null, not %r" % (count,))
        after = rule.get("after", 0)
        if not isinstance(after, int) or after < 0:
            raise FaultError("after must be a non-negative integer, not %r" % (after,))
        seconds = rule.get("seconds", 0)
        if not isinstance(seconds, (int, float)) or seconds < 0:
            raise FaultError("seconds must be a non-negative number, not %r" % (seconds,))
        method = rule.get("method")
        return {
            "method": method.upper() if method else None,
            "path_regex": path_regex or None,
            "kind": kind,
            "status": status,
            "retry_after": rule.get("retry_after"),
            "count": count,
            "after": after,
            "seconds": seconds,
            "matched": 0,
            "fired": 0,
            "_regex": compiled,
        }

    def add(self, rules):
        """Add one rule (dict) or several (list); all or nothing."""
        normalized = [self.normalize(rule) for rule in (rules if isinstance(rules, list) else [rules])]
        with self._lock:
            self._rules.extend(normalized)
        return self.as_list()

    def clear(self):
        with self._lock:
            self._rules = []

    def match(self, method, target):
        """The rule to apply to this request (a copy), or None."""
        fired = None
        with self._lock:
            for rule in self._rules:
                if rule["method"] and rule["method"] != method:
                    continue
                if rule["_regex"] is not None and not rule["_regex"].search(target):
                    continue
                rule["matched"] += 1
                exhausted = rule["count"] is not None and rule["fired"] >= rule["count"]
                if fired is None and rule["matched"] > rule["after"] and not exhausted:
                    rule["fired"] += 1
                    fired = dict(rule)
        return fired

    def as_list(self):
        with self._lock:
            return [{k: v for k, v in rule.items() if not k.startswith("_")} for rule in self._rules]


def fault_response(rule):
    headers = []
    if rule.get("retry_after") is not None:
        headers.append(("Retry-After", str(rule["retry_after"])))
    return Response.json(rule["status"], {"code": rule["status"], "message": "injected fault"}, headers=headers)


def describe_auth(request):
    """(auth kind, login or None) of a request, for the log: the Authorization
    scheme in lower case ("basic", "bearer", ...), "cert" for a verified client
    certificate without an Authorization header, else "none".  The Basic login
    (never the password) is kept, as the golden transcripts record it."""
    value = request.header("Authorization")
    if value and value.strip():
        scheme, _sep, credentials = value.strip().partition(" ")
        scheme = scheme.lower()
        login = None
        if scheme == "basic":
            try:
                login = base64.b64decode(credentials.strip(), validate=True).decode("utf-8", "replace").partition(":")[0]
            except ValueError:
                login = None
        return scheme, login
    if request.client_cert:
        return "cert", None
    return "none", None


def body_for_log(raw, content_type):
    """The request body as the log keeps it: parsed JSON when it is JSON, else
    text; None when empty.  Returns (body, truncated)."""
    if not raw:
        return None, False
    if len(raw) <= LOG_BODY_LIMIT:
        looks_json = "json" in (content_type or "").lower() or raw.lstrip()[:1] in (b"{", b"[")
        if looks_json:
            try:
                return json.loads(raw), False
            except ValueError:
                pass
        return raw.decode("utf-8", "replace"), False
    return raw[:LOG_BODY_LIMIT].decode("utf-8", "replace"), True


class ConnectionState:
    """Per-connection bookkeeping: the worker a keep-alive connection holds."""

    def __init__(self):
        self.held_pool = None
        self.requests = 0

    def release_worker(self):
        if self.held_pool is not None:
            pool, self.held_pool = self.held_pool, None
            pool.release()


class Emulator:
    """Runtime state shared by all connections, plus the request pipeline:
    fault check -> worker -> auth cost -> per-key lock -> app -> request cost."""

    #: Keys ``configure`` accepts besides profile keys.
    CONFIG_KEYS = ("latency_profile", "time_scale", "seed")

    def __init__(self, app, platform, profile=None, time_scale=1.0, seed=None, extra_profiles=None, state_dir=None, tls_dir=None):
        self.app = app
        self.platform = platform
        # One clock per emulator: the application's (App.__init__ makes one).
        self.clock = getattr(app, "clock", None) or Clock()
        self.state_dir = state_dir
        # The TLS directory when serving HTTPS (ca.pem is there), else None.
        self.tls_dir = tls_dir
        self.url = None
        self.log = RequestLog()
        self.faults = FaultRules()
        self.key_locks = KeyLocks()
        # Profiles loaded from --profile-file, selectable by name via config.
        self.extra_profiles = dict(extra_profiles or {})
        self._config_lock = threading.Lock()
        self._rng_lock = threading.Lock()
        self._startup = (profile or resolve_profile("none"), float(time_scale), seed)
        self._apply(*self._startup)

    # -- configuration -------------------------------------------------

    def _apply(self, profile, time_scale, seed):
        with self._config_lock:
            self.profile = profile
            self.pool = WorkerPool(profile.workers)
            self.time_scale = time_scale
            self.seed = seed
        with self._rng_lock:
            self._rng = random.Random(seed)

    def _named_profile(self, name):
        if name in self.extra_profiles:
            return self.extra_profiles[name]
        return resolve_profile(name)

    def configure(self, config):
        """Apply ``{"latency_profile": name|null, "time_scale": x, "seed": n,
        <profile key>: value, ...}``.  Profile keys override the named profile,
        or the current one when no name is given.  Returns :meth:`config`."""
        if not isinstance(config, dict):
            raise ProfileError("config must be an object")
        overrides = {k: v for k, v in config.items() if k not in self.CONFIG_KEYS}
        if "latency_profile" in config:
            base = self._named_profile(config["latency_profile"] or "none")
        else:
            base = self.profile
        data = base.as_dict()
        data.pop("name")
        for key, value in overrides.items():
            if key == "costs" and isinstance(value, dict):
                data["costs"].update(value)
            else:
                data[key] = value
        profile = Profile(base.name, data)
        time_scale = config.get("time_scale", self.time_scale)
        if not isinstance(time_scale, (int, float)) or isinstance(time_scale, bool) or time_scale < 0:
            raise ProfileError("time_scale must be a non-negative number, not %r" % (time_scale,))
        seed = config.get("seed", self.seed)
        self._apply(profile, float(time_scale), seed)
        return self.config()

    def config(self):
        with self._config_lock:
            return {
                "latency_profile": self.profile.name,
                "profile": self.profile.as_dict(),
                "time_scale": self.time_scale,
                "seed": self.seed,
                "workers": self.pool.as_dict(),
            }

    def reset(self, app=True, requests=True, faults=True, config=True, clock=True):
        """Back to the start: real-time clock, seed data, empty log (numbering
        from 1 again), no faults, the startup profile/time scale/seed."""
        if clock:
            self.clock.reset()
        if app:
            self.app.reset()
        if requests:
            self.log.clear(restart_numbering=True)
        if faults:
            self.faults.clear()
        if config:
            self._apply(*self._startup)

    def health(self):
        return {
            "platform": self.platform,
            "ok": True,
            "url": self.url,
            "pid": os.getpid(),
            "state_dir": self.state_dir,
            "ca_file": os.path.join(self.tls_dir, "ca.pem") if self.tls_dir else None,
            "latency_profile": self.profile.name,
            "time_scale": self.time_scale,
            "workers": self.pool.as_dict(),
            "requests_logged": len(self.log),
            "clock": self.clock.as_dict(),
        }

    # -- the request pipeline -----------------------------------------

    def _roll(self, probability):
        if probability <= 0:
            return False
        with self._rng_lock:
            return self._rng.random() < probability

    @staticmethod
    def _sleep(seconds):
        if seconds > 0:
            time.sleep(seconds)

    def _call_app(self, request):
        try:
            response = self.app.handle(request)
        except Exception as exc:  # the app's bug must not kill the connection silently
            traceback.print_exc(file=sys.stderr)
            return Response.json(500, {"code": 500, "message": "emulator application error: %s: %s" % (type(exc).__name__, exc)})
        if not isinstance(response, Response):
            return Response.json(500, {"code": 500, "message": "emulator application returned %r" % (type(response).__name__,)})
        return response

    def _take_worker(self, connection, profile, pool):
        """Acquire a worker for this request; return True if the request must
        give it back itself (False: the connection holds it until it closes)."""
        if profile.keepalive_holds_worker:
            if connection.held_pool is not pool:
                connection.release_worker()
                pool.acquire()
                connection.held_pool = pool
            return False
        # A worker held under an earlier keep-alive profile goes back first.
        connection.release_worker()
        pool.acquire()
        return True

    def _run_serialized(self, request, profile, time_scale, notes):
        key = self.app.serialize_key(request)
        cost_key = self.app.cost_key(request)
        lock = self.key_locks.get(key) if key is not None else None
        waited = False
        if lock is not None and not lock.acquire(blocking=False):
            waited = True
            lock.acquire()
        try:
            started = time.monotonic()
            if waited and self._roll(profile.conflict_rate):
                # The real database rolled the waiting transaction back.
                notes["conflict"] = True
                response = Response.json(500, {"code": 500, "message": profile.conflict_message})
            else:
                response = self._call_app(request)
            cost = profile.request_cost(request.method, cost_key, getattr(response, "rows_returned", None)) * time_scale
            self._sleep(cost - (time.monotonic() - started))
        finally:
            if lock is not None:
                lock.release()
        return response

    @staticmethod
    def _complete(request):
        """Run what the application deferred to the end of the request (Request.defer)."""
        callbacks, request.on_complete = request.on_complete or [], None
        for callback in callbacks:
            try:
                callback()
            except Exception:  # pylint: disable=broad-except
                traceback.print_exc(file=sys.stderr)

    def process(self, request, connection, fault=None, notes=None):
        """Run one API request; return its :class:`Response`, or None when the
        connection must be dropped without an answer.  ``notes`` (a dict)
        receives what the log should know besides the response."""
        notes = {} if notes is None else notes
        kind = fault["kind"] if fault else None
        if kind:
            notes["fault"] = kind
        if kind == "drop":
            return None
        if kind == "status":
            return fault_response(fault)
        if kind == "delay":
            self._sleep(fault["seconds"])
        with self._config_lock:
            profile, pool, time_scale = self.profile, self.pool, self.time_scale
        give_back = self._take_worker(connection, profile, pool)
        request.on_complete = []
        try:
            try:
                if profile.auth_cost and self.app.authenticated_with_password(request):
                    self._sleep(profile.auth_cost * time_scale)
                response = self._run_serialized(request, profile, time_scale, notes)
            except Exception as exc:  # cost_key/serialize_key bugs answer 500 like handle() bugs
                traceback.print_exc(file=sys.stderr)
                response = Response.json(500, {"code": 500, "message": "emulator application error: %s: %s" % (type(exc).__name__, exc)})
        finally:
            self._complete(request)
            if give_back:
                pool.release()
        if kind == "status_after":
            return fault_response(fault)
        if kind == "drop_after":
            return None
        return response

    def serve(self, request, connection, started_wall=None, started=None):
        """Everything a request goes through, sockets aside (the HTTP handler and
        the in-process transport both call this): the control API, or faults,
        the pipeline of :meth:`process` and the request log. Returns the
        :class:`Response`, or None when the connection must be dropped."""
        if started_wall is None:
            started_wall, started = time.time(), time.monotonic()
        if request.target.startswith(CONTROL_PREFIX):
            return self.dated(handle_control(self, request))
        connection.requests += 1
        fault = self.faults.match(request.method, request.target)
        notes = {}
        response = self.process(request, connection, fault, notes)
        # Log before answering: a client that reads the log right after the
        # answer must find its request there.
        self.log_request(request, 0 if response is None else response.status, started_wall, started, notes)
        return self.dated(response)

    def http_date(self):
        """The ``Date`` header value: the emulator's clock, not the machine's."""
        return formatdate(self.clock.now(), usegmt=True)

    def dated(self, response):
        """``response`` with a ``Date`` header from the emulator's clock (unless the
        application set its own), for every platform and both transports: a
        client that times leases or expiries by the server's Date (VTX
        subscriptions) sees a moved clock as the real server's."""
        if response is not None and not any(name.lower() == "date" for name, _value in response.headers):
            response.headers.append(("Date", self.http_date()))
        return response

    def log_request(self, request, status, started_wall, started, notes):
        auth, login = describe_auth(request)
        headers = {name: request.header(name) for name in LOGGED_HEADERS if request.header(name) is not None}
        authorization = request.header("Authorization")
        if authorization is not None:
            headers["Authorization"] = authorization.strip().partition(" ")[0]
        body, truncated = body_for_log(request.body, request.header("Content-Type"))
        entry = {
            "time": round(started_wall, 3),
            "method": request.method,
            "path": request.target,
            "status": status,
            "request_headers": headers,
            "body": body,
            "duration_ms": round((time.monotonic() - started) * 1000.0, 1),
            "auth": auth,
        }
        if login is not None:
            entry["auth_user"] = login
        if truncated:
            entry["body_truncated"] = True
        entry.update(notes)
        return self.log.add(entry)


class EmulatorHandler(BaseHTTPRequestHandler):
    """One connection: HTTP/1.1, keep-alive, one write per response."""

    protocol_version = "HTTP/1.1"
    server_version = "voip-emulator"
    sys_version = ""

    def setup(self):
        # Idle keep-alive connections close after the profile's idle timeout.
        self.timeout = self.server.emulator.profile.idle_timeout
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().setup()
        self.state = ConnectionState()
        self.client_cert = None
        if isinstance(self.request, ssl.SSLSocket):
            der = self.request.getpeercert(binary_form=True)
            if der:
                # Imported here: the TLS helpers need ``cryptography``, which
                # plain-HTTP and in-process use do without.
                from voip_emulator.core import tls  # pylint: disable=import-outside-toplevel

                self.client_cert = tls.describe_peer_cert(der)

    def finish(self):
        self.state.release_worker()
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            super().log_message(format, *args)

    def handle_one_request(self):
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.requestline = self.request_version = self.command = ""
                self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            self._dispatch()
        except (OSError, ssl.SSLError, ValueError):
            # Client went away, idle timeout, TLS trouble: close quietly.
            self.close_connection = True

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    # Skip trailers up to the blank line.
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise ValueError("bad Content-Length %d" % length)
        return self.rfile.read(length) if length else b""

    def _dispatch(self):
        started_wall, started = time.time(), time.monotonic()
        # The target as sent: parse_request has already collapsed a leading "//".
        words = self.raw_requestline.decode("iso-8859-1").split()
        target = words[1] if len(words) > 1 else self.path
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._send(Response.json(400, {"code": 400, "message": "bad request body framing"}))
            return
        emulator = self.server.emulator
        request = Request(
            self.command, target, dict(self.headers.items()), body, client_cert=self.client_cert,
            scheme="https" if self.server.ssl_context else "http",
            host=self.headers.get("Host") or "%s:%d" % self.server.server_address[:2],
        )
        response = emulator.serve(request, self.state, started_wall, started)
        if response is None:
            self.close_connection = True
            return
        self._send(response, head_only=request.method == "HEAD")

    def _send(self, response, head_only=False):
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = "Unknown"
        lines = ["HTTP/1.1 %d %s" % (response.status, reason)]
        names = set()
        for name, value in response.headers:
            lowered = name.lower()
            if lowered in ("content-length", "connection", "transfer-encoding"):
                continue
            names.add(lowered)
            # An empty value is sent as "Name: " -- C5 does that for Content-Type.
            lines.append("%s: %s" % (name, str(value).replace("\r", " ").replace("\n", " ")))
        if "date" not in names:
            lines.append("Date: %s" % self.server.emulator.http_date())
        if response.status not in NO_BODY_STATUSES:
            lines.append("Content-Length: %d" % len(response.body))
        if self.close_connection:
            lines.append("Connection: close")
        elif self.request_version == "HTTP/1.0":
            lines.append("Connection: keep-alive")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        body = b"" if head_only or response.status in NO_BODY_STATUSES else response.body
        self.request.sendall(head + body)


class EmulatorServer(ThreadingHTTPServer):
    """A threading HTTP(S) server; the TLS handshake runs in the connection's
    own thread, so a slow client never blocks ``accept``."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    #: Seconds a client gets for the TLS handshake.
    handshake_timeout = 10.0

    def __init__(self, address, emulator, ssl_context=None, verbose=False):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.emulator = emulator
        self.ssl_context = ssl_context
        self.verbose = verbose
        super().__init__(address, EmulatorHandler)

    @property
    def url(self):
        host, port = self.server_address[:2]
        if ":" in host:
            host = "[%s]" % host
        return "%s://%s:%d" % ("https" if self.ssl_context else "http", host, port)

    def finish_request(self, request, client_address):
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(self.handshake_timeout)
        try:
            secure = self.ssl_context.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        try:
            super().finish_request(secure, client_address)
        finally:
            # wrap_socket detached the plain socket: close the TLS one ourselves.
            self.shutdown_request(secure)

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)
