# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client shared by every module of every platform.

One ``requests.Session`` per module run (keep-alive), with a connection pool no
larger than the configured worker count, TLS options, pluggable authentication,
and retries that never turn one request into two writes:

* GET, HEAD, PUT, PATCH and DELETE are idempotent and are retried with
  exponential backoff on connection errors and on 429/502/503/504, honouring
  ``Retry-After``.
* POST is never retried here.  A failed POST raises :class:`ApiError` with
  ``uncertain=True`` when the server may have applied it; the engine then looks
  the object up by its natural key and only retries when it is absent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import random
import threading
import time

try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # reported at run time, never at import time
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"))
RETRY_STATUSES = frozenset((429, 502, 503, 504))
# Upper bound for one wait, whatever Retry-After says: a task should fail with a
# clear message rather than sleep for an hour.
MAX_BACKOFF_SECONDS = 60.0


class VoipError(Exception):
    """An error the module reports as its failure message."""

    def __init__(self, message, **details):
        super(VoipError, self).__init__(message)
        self.details = details


class InputError(VoipError):
    """The task's input is wrong: the message names the field and the fix."""


class ApiError(VoipError):
    """A request failed.  The message names method, path, status and the
    server's own message, and never a credential."""

    def __init__(self, method, path, status=None, server_message=None, body=None, uncertain=False, retry_after=None):
        self.method = method
        self.path = path
        self.status = status
        self.server_message = server_message
        self.body = body
        # True when the server may have applied the request although we got no
        # success answer (connection dropped, timeout, 5xx on a write).
        self.uncertain = uncertain
        self.retry_after = retry_after
        if status is None:
            text = "%s %s failed: %s" % (method, path, server_message)
        else:
            text = "%s %s failed: HTTP %s: %s" % (method, path, status, server_message or "(no message)")
        super(ApiError, self).__init__(text, status=status, method=method, path=path)


def require_requests():
    if not HAS_REQUESTS:
        raise VoipError(
            "The Python library 'requests' is required on the host that runs this module "
            "(pip install requests): %s" % REQUESTS_IMPORT_ERROR
        )


def server_message_from(response):
    """The server's own error text: a JSON ``message``/``error`` field, else the body text."""
    text = response.text or ""
    try:
        body = response.json()
    except ValueError:
        return text.strip()[:500] or response.reason
    if isinstance(body, dict):
        for key in ("message", "error", "errorMessage", "detail", "msg"):
            if body.get(key):
                return str(body[key])
    if isinstance(body, list) and body and isinstance(body[0], dict):
        # XC5 wraps every answer in an array.
        for key in ("message", "error", "msg"):
            if body[0].get(key):
                return str(body[0][key])
    return json.dumps(body)[:500]


def retry_after_seconds(response):
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        # An HTTP date: we do not parse it; the default backoff applies.
        return None


class ApiClient:
    """A thread-safe HTTP client bound to one base URL.

    ``auth`` is anything ``requests`` accepts (a (user, password) tuple for
    Basic, ``requests.auth.HTTPDigestAuth``, ...); ``token`` adds a bearer
    header; ``client_cert``/``client_key`` authenticate by TLS certificate.
    """

    def __init__(self, base_url, auth=None, token=None, client_cert=None, client_key=None, validate_certs=True,
                 ca_path=None, timeout=120.0, retries=3, max_connections=2, default_headers=None, warn=None,
                 backoff_factor=0.5):
        require_requests()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff_factor = backoff_factor
        self.warn = warn or (lambda msg: None)
        self.max_connections = max(1, int(max_connections))
        self.session = requests.Session()
        # One pool for the API host, never more sockets than workers: a
        # pre-forking server has a fixed number of workers and every kept-alive
        # connection holds one (see docs/performance.md).
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=self.max_connections, pool_block=True, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.auth = auth
        if token:
            self.session.headers["Authorization"] = "Bearer %s" % token
        # verify and cert go with every request: requests lets REQUESTS_CA_BUNDLE
        # and CURL_CA_BUNDLE override a session-level verify, which would ignore ca_path.
        self.cert = ((client_cert, client_key) if client_key else client_cert) if client_cert else None
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
        self.session.headers.update(default_headers or {})
        self._stats_lock = threading.Lock()
        self.stats = {}

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

    def request(self, method, path, params=None, json_body=None, data=None, headers=None, ok=None):
        """Send one request and return the ``requests.Response``.

        ``ok`` is the set of statuses that count as success (default: any 2xx).
        Anything else raises :class:`ApiError`.
        """
        method = method.upper()
        idempotent = method in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            response = None
            self._count(method)
            try:
                response = self.session.request(
                    method, self.url(path), params=params, json=json_body, data=data, headers=headers,
                    timeout=self.timeout, allow_redirects=False, verify=self.verify, cert=self.cert,
                )
            except requests.exceptions.SSLError as exc:
                # A certificate problem does not go away by asking again.
                raise ApiError(method, path, None, "TLS error (check ca_path, validate_certs, client_cert): %s" % _plain_error(exc))
            except requests.exceptions.ConnectionError as exc:
                # A connect error means the request never left: safe to retry
                # even for POST.  Anything later may have reached the server.
                never_sent = isinstance(exc, requests.exceptions.ConnectTimeout) or "NewConnectionError" in repr(exc)
                error = ApiError(method, path, None, "connection error: %s" % _plain_error(exc), uncertain=not never_sent)
                if (idempotent or never_sent) and attempt < self.retries:
                    self._retry_warning(method, path, attempt, error)
                    time.sleep(self._backoff(attempt, None))
                    attempt += 1
                    continue
                raise error
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

            good = (200 <= response.status_code < 300) if ok is None else response.status_code in ok
            if good:
                return response
            status = response.status_code
            if status in RETRY_STATUSES and idempotent and attempt < self.retries:
                self._retry_warning(method, path, attempt, "HTTP %s" % status)
                time.sleep(self._backoff(attempt, response))
                attempt += 1
                continue
            if 300 <= status < 400:
                message = "unexpected redirect to %s (check the URL and the trailing slash)" % response.headers.get("Location")
            else:
                message = server_message_from(response)
            body = _safe_body(response)
            # 429 means "not processed"; other 5xx on a write may have been applied.
            raise ApiError(method, path, status, message, body=body,
                           uncertain=(not idempotent and status >= 500),
                           retry_after=retry_after_seconds(response) if status in RETRY_STATUSES or status >= 500 else None)

    def _retry_warning(self, method, path, attempt, error):
        self.warn("retrying %s %s (attempt %d of %d) after: %s" % (method, path, attempt + 2, self.retries + 1, error))

    def close(self):
        self.session.close()


def _plain_error(exc):
    # requests' messages can be long reprs of urllib3 pools; keep the useful tail.
    text = str(exc)
    return text if len(text) < 300 else text[:300] + "..."


def _safe_body(response):
    try:
        return response.json()
    except ValueError:
        return (response.text or "")[:2000]
