# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client shared by every module of every platform.

One ``requests.Session`` per module run (keep-alive), with a connection pool no
larger than the configured worker count, TLS options, an auth strategy
(:mod:`.auth`), a dialect (:mod:`.dialect`) and retries that never turn one
request into two writes:

* GET, HEAD, OPTIONS, PUT, PATCH and DELETE are idempotent and are retried with
  exponential backoff on connection errors and on 429/502/503/504, honouring
  ``Retry-After``.
* POST is never retried blindly: only when the connection could not even be
  opened (the request never left).  ``request(..., idempotent=...)`` overrides
  the method's rule for one request: ``False`` for a GET with side effects
  (SIP2SIP setters are GETs), ``True`` for a POST that only reads; ``None``
  (the default) decides by method.  A failed POST raises :class:`ApiError` with
  ``uncertain=True`` when the server may have applied it; the engine then looks
  the object up by its natural key and only retries when it is absent.
* TLS errors are not retried (a certificate problem does not go away).
* A 401 or 403 is sent once more only when the auth strategy says so (a Digest
  challenge or a stale nonce was just learnt, a refused cached token was
  replaced by a new login) - both mean "not processed", so this holds for POST too.

* Every answer goes through the dialect: a success it reads as an error
  (:meth:`Dialect.error_in`, e.g. HTTP 200 with ``success: false``) raises too.
* ``request(..., expect="html")``: the answer of this request is an HTML page
  (a web form's), not data; the dialect's ``decode``/``error_in`` read it so
  (:func:`~.dialect.expected`).
* Errors say what to check: a 401 names the login, the auth method, what to
  check (the strategy's ``unauthorized_hint``) and the URL, a 403 the missing
  right (the dialect's hint), an unreachable server its URL, the likely cause
  and what to check (the dialect's ``dropped_hint`` may add the platform's
  advice for a silently dropped connection, e.g. an allow-list, and its
  ``unreachable_hint`` the login) (:class:`ConnectionFailed`); after
  :data:`CONNECTION_FAILURES_TO_STOP` unreachable requests in a row the client
  stops sending, so a bulk task against a dead server ends at once.

It also holds the one paging loop of the collection (:class:`Paging`: ``pages``,
used by ``iterate`` and ``paginate``), and :func:`open_client` builds a client
from a task's connection options after checking them.

Test hook: :data:`TEST_TRANSPORT_ADAPTER`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import os
import random
import re
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # reported at run time, never at import time
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

from ansible_collections.voip.provisioning.plugins.module_utils.core.auth import select_strategy
from ansible_collections.voip.provisioning.plugins.module_utils.core.dialect import Dialect, set_expected
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import (
    TRY_LATER_STATUSES, ApiError, ConnectionFailed, InputError, VoipError)

IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"))
RETRY_STATUSES = TRY_LATER_STATUSES
#: After this many requests in a row could not reach the server (each after its
#: own retries), the client stops sending: every later request fails at once with
#: one clear error, so a bulk task against a dead server ends in seconds.
CONNECTION_FAILURES_TO_STOP = 3
# Upper bound for one wait, whatever Retry-After says: a task should fail with a
# clear message rather than sleep for an hour.
MAX_BACKOFF_SECONDS = 60.0

#: Test hook.  When set, every new :class:`ApiClient` mounts it on its session
#: for ``http://`` and ``https://`` instead of the pooled ``HTTPAdapter``: a
#: ``requests`` transport adapter instance, or a zero-argument callable that
#: returns one (a fresh adapter per client).  Unit tests set it to the adapter
#: of ``voip_emulator.inprocess.InProcessEmulator`` so the modules talk to the
#: real emulator in-process, without sockets; production code never sets it.
TEST_TRANSPORT_ADAPTER = None


def require_requests():
    if not HAS_REQUESTS:
        raise VoipError(
            "The Python library 'requests' is required on the host that runs this module "
            "(pip install requests): %s" % REQUESTS_IMPORT_ERROR
        )


def retry_after_seconds(response):
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        # An HTTP date: we do not parse it; the default backoff applies.
        return None


def _transport_adapter(max_connections):
    hook = TEST_TRANSPORT_ADAPTER
    if hook is not None:
        return hook() if callable(hook) and not hasattr(hook, "send") else hook
    # One pool for the API host, never more sockets than workers: a pre-forking
    # server has a fixed number of workers and every kept-alive connection holds
    # one (see docs/performance.md).
    return HTTPAdapter(pool_connections=1, pool_maxsize=max_connections, pool_block=True, max_retries=0)


class Paging:
    """The one paging loop of the collection, over ``self.request``,
    ``self.decode(response)`` and ``self.dialect`` (:class:`ApiClient` has them;
    a test double of the transport may mix this in to keep the real loop)."""

    def call(self, method, path, **kwargs):
        """:meth:`request`, returning the decoded body (:meth:`Dialect.decode`)."""
        return self.decode(self.request(method, path, **kwargs))

    def read_page(self, collection_path, params, page_number, page_size):
        """One page: ``(body, items)``."""
        path, query = self.dialect.page_request(collection_path, params, page_number, page_size)
        body = self.call("GET", path, params=query)
        return body, self.dialect.page_items(body, collection_path)

    def pages(self, collection_path, params=None, page_size=None, first_page=1):
        """Yield ``(page_number, body, items)`` from ``first_page`` on, page after
        page, while the dialect says another page follows."""
        page = first_page
        while True:
            body, items = self.read_page(collection_path, params, page, page_size)
            yield page, body, items
            if not self.dialect.page_has_next(body, items):
                return
            params = self.dialect.next_page_params(params, body, items)
            page += 1

    def iterate(self, collection_path, params=None, page_size=None):
        """Every item of a collection, streamed page by page (nothing is read
        beyond the page the caller has reached)."""
        for _page, _body, items in self.pages(collection_path, params, page_size):
            yield from items

    def paginate(self, collection_path, params=None, page_size=None, keep=None, max_pages=None, workers=1,
                 count_first=False, limit=None, on_page=None):
        """Read a collection, keeping what ``keep(raw_item)`` returns (None drops
        the item; default: keep every item), so a big platform is never held in
        memory whole.  Returns ``(kept, complete)``.

        * ``limit``: stop once that many items are kept (``complete`` False when
          more pages would have followed).
        * ``max_pages``: when reading the collection would take more pages, stop
          (``complete`` False: the caller falls back to one request per object).
        * ``workers``: with a count from the server, pages 2..N are requested
          directly, that many at a time (the pool never opens more connections).
        * ``count_first`` (with ``max_pages``): ask for the count with a one-item
          page first, so a listing that does not pay costs one cheap request.
        * ``on_page(page_number, body)``: called for every page read (e.g. to read
          the total the server reports on page 1).

        Without ``max_pages``, ``workers`` > 1 or ``count_first`` the pages are
        followed one by one while the dialect announces a next page; with them
        (a bulk prefetch) the server's count decides which pages to ask for.
        """
        kept = []

        def take(items):
            for raw in items:
                value = raw if keep is None else keep(raw)
                if value is not None:
                    kept.append(value)
                    if limit is not None and len(kept) >= limit:
                        return True
            return False

        def seen(page, body):
            if on_page is not None:
                on_page(page, body)

        prefetch = max_pages is not None or workers > 1 or count_first
        if not prefetch:
            for page, body, items in self.pages(collection_path, params, page_size):
                seen(page, body)
                if take(items):
                    return kept, not self.dialect.page_has_next(body, items)
            return kept, True

        if count_first and max_pages is not None:
            body, _items = self.read_page(collection_path, params, 1, 1)
            total = self.dialect.page_total(body)
            first_page = 0
        else:
            body, items = self.read_page(collection_path, params, 1, page_size)
            seen(1, body)
            if take(items):
                return kept, not self.dialect.page_has_next(body, items)
            if not self.dialect.page_has_next(body, items):
                return kept, True
            total = self.dialect.page_total(body)
            first_page = 1

        if total is None:
            # No count (the server did not count): follow the pages one by one.
            if max_pages is not None and first_page + 1 > max_pages:
                return kept, False
            for page, body, items in self.pages(collection_path, params, page_size, first_page=first_page + 1):
                seen(page, body)
                if take(items):
                    return kept, not self.dialect.page_has_next(body, items)
                if max_pages is not None and page + 1 > max_pages and self.dialect.page_has_next(body, items):
                    return kept, False
            return kept, True

        rows = int(page_size or 0)
        if rows < 1:
            raise VoipError("paginate: page_size is required to read %s by its count" % collection_path)
        pages = (int(total) + rows - 1) // rows
        if max_pages is not None and pages > max_pages:
            return kept, False
        remaining = list(range(first_page + 1, pages + 1))

        def read(page):
            return page, self.read_page(collection_path, params, page, page_size)

        if workers > 1 and len(remaining) > 1:
            with ThreadPoolExecutor(max_workers=min(workers, len(remaining))) as pool:
                results = pool.map(read, remaining)
        else:
            results = (read(page) for page in remaining)
        for page, (body, items) in results:
            seen(page, body)
            if take(items):
                return kept, page == pages
        return kept, True


class Reachability:
    """Whether a server is still worth asking: the requests in a row that could
    not reach it and the last cause.  One per client by default; the clients of
    one task that talk to one server share one (SIP2SIP: a client per account),
    so a bulk task against a dead server stops after
    :data:`CONNECTION_FAILURES_TO_STOP` failures whichever client had them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.failures = 0
        self.last_cause = None

    def stopped(self):
        return self.failures >= CONNECTION_FAILURES_TO_STOP

    def reached(self):
        if self.failures:
            with self.lock:
                self.failures = 0

    def failed(self, cause):
        with self.lock:
            self.failures += 1
            self.last_cause = cause


class ApiClient(Paging):
    """A thread-safe HTTP client bound to one base URL.

    ``dialect``: a :class:`Dialect` (default: plain JSON, no paging).
    ``auth``: a bound :class:`~.auth.AuthStrategy` (from ``select_strategy``) or
    None; it is applied here (a login-for-token strategy logs in now).
    ``workers``: the most requests in flight, and the size of the connection pool.
    ``headers``: sent with every request.  ``warn(text)`` receives retry warnings.
    ``endpoint``: the URL named in error messages (default: ``base_url``); a
    platform whose API is one page under the base names that page (SIP2SIP
    ``.../settings.phtml``).
    ``reachability``: a :class:`Reachability` shared with other clients of the
    task that talk to the same server (default: this client's own).
    ``stats``: requests sent, by method (retries included).
    """

    def __init__(self, base_url, dialect=None, auth=None, validate_certs=True, ca_path=None, timeout=120.0, retries=3,
                 workers=2, warn=None, headers=None, backoff_factor=0.5, endpoint=None, reachability=None):
        require_requests()
        self.base_url = base_url.rstrip("/")
        self.endpoint = (endpoint or self.base_url).rstrip("/")
        self.dialect = dialect or Dialect()
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff_factor = backoff_factor
        self.warn = warn or (lambda msg: None)
        self.workers = max(1, int(workers or 1))
        self.session = requests.Session()
        adapter = _transport_adapter(self.workers)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        # verify and cert go with every request: requests lets REQUESTS_CA_BUNDLE
        # and CURL_CA_BUNDLE override a session-level verify, which would ignore ca_path.
        self.cert = None
        self.verify = True
        if not validate_certs:
            self.verify = False
            try:
                # The user chose not to verify; one warning in the task result is enough.
                import urllib3
                urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
            except ImportError:
                pass
        elif ca_path:
            self.verify = ca_path
        self.session.headers["User-Agent"] = "voip.provisioning-ansible"
        self.session.headers.update(headers or {})
        self._stats_lock = threading.Lock()
        self.stats = {}
        # Requests in a row that could not reach the server, and the last cause.
        self.reachability = reachability or Reachability()
        self._tls_probed = False
        self.auth = auth
        if auth is not None:
            try:
                auth.apply(self)
            except Exception:
                self.close()
                raise

    def url(self, path):
        if path.startswith("http://") or path.startswith("https://"):
            return path
        return self.base_url + "/" + path.lstrip("/")

    def _count(self, method):
        with self._stats_lock:
            self.stats[method] = self.stats.get(method, 0) + 1

    def _backoff(self, attempt, response):
        wait = retry_after_seconds(response)
        if wait is None:
            wait = self.backoff_factor * (2 ** attempt) * (0.75 + random.random() / 2)
        return min(wait, MAX_BACKOFF_SECONDS)

    def request(self, method, path, params=None, json_body=None, data=None, files=None, headers=None, ok=None,
                idempotent=None, expect=None):
        """Send one request and return the ``requests.Response``.

        ``ok`` is the set of statuses that count as success (default: any 2xx).
        Anything else, and a success the dialect reads as an error
        (:meth:`Dialect.error_in`), raises :class:`ApiError`.

        ``idempotent``: whether sending this request twice does no more than
        sending it once, i.e. whether it may be retried after it may have reached
        the server; None (default) decides by method (:data:`IDEMPOTENT_METHODS`).
        A GET with side effects passes False: it is then treated like a POST
        (asked again only when it never left, a failure after sending is
        ``uncertain``).

        ``expect``: what this request answers when it succeeds, for the dialect
        (:func:`~.dialect.expected`): None (default) lets the dialect decide,
        ``"html"`` an HTML page (a web form's answer; not an error for being HTML).
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        attempt = 0
        auth_retried = False
        while True:
            response = None
            self._check_still_reachable(method, path)
            self._count(method)
            try:
                response = self.session.request(
                    method, self.url(path), params=params, json=json_body, data=data, files=files, headers=headers,
                    timeout=self.timeout, allow_redirects=False, verify=self.verify, cert=self.cert,
                )
            except requests.exceptions.SSLError as exc:
                # A certificate problem does not go away by asking again.
                raise self._unreachable(method, path, exc, uncertain=False)
            except requests.exceptions.ConnectionError as exc:
                # A connect error means the request never left: safe to retry
                # even for POST.  Anything later may have reached the server.
                never_sent = isinstance(exc, requests.exceptions.ConnectTimeout) or "NewConnectionError" in repr(exc) \
                    or "NameResolutionError" in repr(exc)
                if self._plain_http_to_tls_port(exc):
                    # Asking again sends plain HTTP again: say so now (nothing was processed).
                    raise self._unreachable(method, path, exc, uncertain=False, cause=(
                        "the server closed the connection: port %s speaks HTTPS" % _port_of(self.base_url),
                        "Use https:// in url"))
                if (idempotent or never_sent) and attempt < self.retries and not self._stopped():
                    cause = connection_cause(exc, self.base_url, self.timeout)[0]
                    self._retry_warning(method, path, attempt, "connection error: %s" % cause)
                    time.sleep(self._backoff(attempt, None))
                    attempt += 1
                    continue
                raise self._unreachable(method, path, exc, uncertain=not never_sent)
            except requests.exceptions.Timeout as exc:
                error = ApiError(method, path, None, "no answer within %s s: %s" % (self.timeout, _plain_error(exc)),
                                 uncertain=True)
                if idempotent and attempt < self.retries:
                    self._retry_warning(method, path, attempt, error)
                    time.sleep(self._backoff(attempt, None))
                    attempt += 1
                    continue
                raise error
            except requests.exceptions.RequestException as exc:
                raise ApiError(method, path, None, _plain_error(exc), uncertain=not idempotent)

            self._reached()
            if expect is not None:
                set_expected(response, expect)
            status = response.status_code
            good = (200 <= status < 300) if ok is None else status in ok
            if good:
                message = self.dialect.error_in(response, self.decode(response))
                if message:
                    # The server said no, whatever its status: nothing was applied.
                    raise ApiError(method, path, status, message, body=self.decode(response))
                return response
            if status in (401, 403) and not auth_retried and self.auth is not None and self.auth.retry_unauthorized(response):
                # A challenge was just learnt (Digest) or a new token obtained (a
                # cached one was refused): the request was not processed.
                auth_retried = True
                continue
            if status in RETRY_STATUSES and idempotent and attempt < self.retries:
                self._retry_warning(method, path, attempt, "HTTP %s" % status)
                time.sleep(self._backoff(attempt, response))
                attempt += 1
                continue
            if 300 <= status < 400:
                message = "unexpected redirect to %s (check the URL and the trailing slash)" % response.headers.get("Location")
            else:
                message = self.dialect.server_message(response, self.decode(response))
            body = self.decode(response)
            if isinstance(body, str):
                body = body[:2000]
            # 429 means "not processed"; other 5xx on a write may have been applied.
            raise ApiError(method, path, status, message, body=body,
                           uncertain=(not idempotent and status >= 500),
                           retry_after=retry_after_seconds(response) if status in RETRY_STATUSES or status >= 500 else None,
                           hint=self._status_hint(method, path, status, body))

    def _status_hint(self, method, path, status, body):
        """What to check after an answer that is not the request's fault alone."""
        if status == 401:
            if self.auth is None:
                return "%s asks for credentials; set them in the connection options" % self.endpoint
            return "Authentication failed for %s: %s (url %s)" % (
                self.auth.describe(), self.auth.unauthorized_hint(), self.endpoint)
        if status == 403:
            who = self.auth.describe() if self.auth is not None else "this client"
            return self.dialect.forbidden_hint(method, path, who)
        if status == 400 and "http request was sent to https port" in str(body).lower():
            return "%s speaks HTTPS on this port: use https:// in url" % self.base_url
        return None

    # --- an unreachable server -------------------------------------------------------------
    @property
    def connection_failures(self):
        """Requests in a row that could not reach the server (see :class:`Reachability`)."""
        return self.reachability.failures

    @connection_failures.setter
    def connection_failures(self, value):
        self.reachability.failures = value

    def _stopped(self):
        return self.reachability.stopped()

    def _check_still_reachable(self, method, path):
        if self._stopped():
            raise ConnectionFailed(
                method, path, "not sent: the last %d requests could not reach %s (%s); stopped instead of trying the "
                "remaining ones" % (self.connection_failures, self.endpoint, self.reachability.last_cause),
                stopped=True, url=self.endpoint, cause=self.reachability.last_cause)

    def _reached(self):
        self.reachability.reached()

    def _plain_http_to_tls_port(self, exc):
        """After a dropped connection on an http:// url: whether the port answers
        a TLS handshake (checked once per client)."""
        if self._tls_probed or not self.base_url.startswith("http://") or TEST_TRANSPORT_ADAPTER is not None:
            return False
        if connection_cause(exc, self.base_url, self.timeout)[0] != CLOSED_WITHOUT_ANSWER:
            return False
        self._tls_probed = True
        host = urlsplit(self.base_url).hostname
        return speaks_tls(host, int(_port_of(self.base_url)), min(self.timeout, 5.0))

    def _unreachable(self, method, path, exc, uncertain, cause=None):
        dropped = cause is None and silently_dropped(exc, self.base_url, self.timeout)
        cause, hint = cause or connection_cause(exc, self.base_url, self.timeout)
        self.reachability.failed(cause)
        who = self.auth.describe() if self.auth is not None else None
        if dropped:
            hint = self.dialect.dropped_hint(hint)
        hint = self.dialect.unreachable_hint(hint, who)
        return ConnectionFailed(method, path, "cannot reach %s: %s. %s" % (self.endpoint, cause, hint),
                                uncertain=uncertain, url=self.endpoint, cause=cause)

    def decode(self, response):
        """The decoded body of ``response`` (decoded once, cached on the response)."""
        # Decoded once per response, whoever asks (error_in, server_message, call).
        cached = getattr(response, "_voip_decoded", _MISSING)
        if cached is _MISSING:
            cached = self.dialect.decode(response)
            try:
                response._voip_decoded = cached
            except AttributeError:
                pass
        return cached

    def _retry_warning(self, method, path, attempt, error):
        self.warn("retrying %s %s (attempt %d of %d) after: %s" % (method, path, attempt + 2, self.retries + 1, error))

    def close(self):
        self.session.close()


_MISSING = object()


def _port_of(base_url):
    parts = urlsplit(base_url)
    return str(parts.port or (443 if parts.scheme == "https" else 80))


def speaks_tls(host, port, timeout):
    """Whether ``host:port`` completes a TLS handshake (certificate not checked:
    only the protocol matters here)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            with context.wrap_socket(sock, server_hostname=host):
                return True
    except (OSError, ValueError):
        return False


#: The cause :func:`connection_cause` names when the connection was dropped after
#: it was opened, before any answer.
CLOSED_WITHOUT_ANSWER = "the server closed the connection without an answer"


def silently_dropped(exc, base_url, timeout):
    """Whether the server dropped the connection without a word: no answer to
    the connection attempt, or closed before any answer - what a firewall or a
    source-address allow-list does (a refusal, a DNS or TLS error is not)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    return connection_cause(exc, base_url, timeout)[0] == CLOSED_WITHOUT_ANSWER


def connection_cause(exc, base_url, timeout):
    """``(cause, what to check)`` for a failure to reach the server, in words
    instead of urllib3's pool reprs."""
    text = "%s %r" % (exc, exc)
    lowered = text.lower()
    scheme, _sep, rest = base_url.partition("://")
    hostport = rest.split("/", 1)[0]
    host, _sep, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    port = port or ("443" if scheme == "https" else "80")
    if isinstance(exc, requests.exceptions.SSLError):
        # OpenSSL's own reason, e.g. "CERTIFICATE_VERIFY_FAILED: certificate verify failed: self-signed certificate".
        found = re.search(r"\[SSL: ([A-Z0-9_]+)\] ([^(\"']+)", text)
        reason = " (%s: %s)" % (found.group(1), found.group(2).strip()) if found else ""
        if "certificate_verify_failed" in lowered or "certificate verify failed" in lowered:
            if "hostname" in lowered or "doesn't match" in lowered or "not valid for" in lowered:
                return ("the server's TLS certificate does not name %s%s" % (host, reason),
                        "Use the host name the certificate was issued for in url")
            return ("the server's TLS certificate is not trusted%s" % reason,
                    "Give the CA that issued it in ca_path (or set validate_certs to false on a test system only)")
        if "wrong_version_number" in lowered or "wrong version number" in lowered or "record layer failure" in lowered \
                or "unknown protocol" in lowered or "packet length too long" in lowered:
            return ("port %s does not speak TLS%s" % (port, reason),
                    "If it serves plain HTTP, use http:// in url; else check the port")
        return ("the TLS handshake failed (%s)" % _plain_error(exc)[-200:],
                "Check ca_path, validate_certs and, for certificate logins, client_cert and client_key")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return ("no answer to the connection attempt within %s s" % timeout,
                "Check host and port in url, and that no firewall or allow-list of the platform drops this machine")
    if "nameresolution" in lowered or "name or service not known" in lowered or "nodename nor servname" in lowered \
            or "temporary failure in name resolution" in lowered or "getaddrinfo failed" in lowered \
            or "failed to resolve" in lowered or "no address associated" in lowered:
        return ("the host name '%s' does not resolve" % host, "Check the host in url and this machine's DNS")
    if "connection refused" in lowered:
        return ("connection refused on port %s" % port,
                "Check the port in url and that the API service runs there")
    if "no route to host" in lowered or "network is unreachable" in lowered:
        return ("no network route to %s" % host, "Check the address in url and this machine's network or VPN")
    if "reset by peer" in lowered or "remotedisconnected" in lowered or "badstatusline" in lowered \
            or "connection aborted" in lowered or "closed connection without response" in lowered:
        if scheme == "http":
            return (CLOSED_WITHOUT_ANSWER,
                    "If port %s speaks HTTPS, use https:// in url; else a firewall or the platform's allow-list may "
                    "drop this machine" % port)
        return (CLOSED_WITHOUT_ANSWER,
                "A firewall, a proxy or the platform's allow-list may drop this machine; check host and port in url")
    return ("connection error: %s" % _plain_error(exc), "Check url (scheme, host, port) and the network")


def _plain_error(exc):
    # requests' messages can be long reprs of urllib3 pools; keep the useful tail.
    text = str(exc)
    return text if len(text) < 300 else text[:300] + "..."


# --- connection options ---------------------------------------------------------------------

def check_connection_options(options, env_prefix, example_url):
    """Check url, timeout, retries, workers and ca_path before any request, with
    messages that name the option and the fix.  Returns the url without a
    trailing slash."""
    url = options.get("url")
    if not url:
        raise InputError("url is required: set the option url (or the environment variable %s_URL) to the API base, "
                         "e.g. %s" % (env_prefix, example_url))
    url = str(url).strip()
    try:
        parts = urlsplit(url)
        bad_port = parts.port == 0  # parts.port raises ValueError for a port that is not a number
    except ValueError:
        bad_port = True
    if bad_port:
        raise InputError("url '%s' is not a valid URL; give the API base, e.g. %s" % (url_without_userinfo(url), example_url))
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        # Never repeat what was given: it may hold a password.
        raise InputError("url must not contain a user name or password (user:password@host): set the options "
                         "username and password (or %s_USERNAME and %s_PASSWORD) instead" % (env_prefix, env_prefix))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("url '%s' must start with https:// or http:// and name a host, e.g. %s" % (url, example_url))
    timeout = options.get("timeout")
    if timeout is not None and (math.isnan(float(timeout)) or float(timeout) <= 0):
        raise InputError("timeout must be more than 0 seconds, not %s" % timeout)
    if int(options.get("retries", 0)) < 0:
        raise InputError("retries must be 0 or more, not %s" % options.get("retries"))
    if options.get("workers") is not None and int(options.get("workers")) < 1:
        raise InputError("workers must be 1 or more, not %s" % options.get("workers"))
    ca_path = options.get("ca_path")
    if ca_path and not os.path.exists(ca_path):
        raise InputError("ca_path: no such file or directory '%s'; give a PEM bundle of the CA that issued the "
                         "server's certificate" % ca_path)
    return url.rstrip("/")


def url_without_userinfo(url):
    """``url`` without its ``user:password@`` part, for messages."""
    scheme, sep, rest = url.partition("://")
    return scheme + sep + rest.rpartition("@")[2] if sep else url.rpartition("@")[2]


def open_client(options, warn, dialect, strategies, default_method, env_prefix, example_url, url_suffix=None,
                headers=None, endpoint=None):
    """An :class:`ApiClient` from a task's connection options, each checked first
    (:func:`check_connection_options`, then the auth strategy).  ``url_suffix``
    (e.g. ``/api``) is accepted at the end of url and dropped.

    ``headers``: the platform's headers, sent with every request (XC5 ``Accept``,
    VTX ``Content-Type``); set before the auth strategy applies, so a login
    request sends them too.  ``endpoint``: the URL error messages name when the
    API lives under the base URL (XC5 ``<url>/api-sys/``; default: the base URL)."""
    url = check_connection_options(options, env_prefix, example_url)
    if url_suffix and url.endswith(url_suffix):
        url = url[:-len(url_suffix)]
    auth = select_strategy(options, strategies, default_method, env_prefix=env_prefix)
    return ApiClient(
        url, dialect=dialect, auth=auth,
        validate_certs=options.get("validate_certs", True), ca_path=options.get("ca_path"),
        timeout=options.get("timeout", 120.0), retries=options.get("retries", 3),
        workers=options.get("workers", 2), warn=warn, headers=headers,
        endpoint=endpoint,
    )
