# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication strategies and the connection argument spec built from them.

Each strategy is a small class: its ``name`` (the ``auth_method`` value), the
``options`` it owns (argument spec entries, ``no_log`` on secrets), ``validate``
(which option is missing), ``apply`` (prepare the client's session: header,
auth hook, client certificate, or a login for a token) and ``describe`` (text
for error messages, never a secret).  A platform lists the strategies it
offers; :func:`connection_argument_spec` builds its connection options from
them and :func:`select_strategy` picks the one a task asked for.

Strategies given to a platform are templates (``LoginForToken`` carries its
path and body builder); :meth:`AuthStrategy.bind` returns a copy holding the
task's option values.  Secrets stay in that copy: the client only ever calls
``apply``, ``authorize``-hooks and ``retry_unauthorized``.

``ExtraHeader`` adds a header an API wants beside any strategy (VTX
``X-C5-Application``): ``BasicAuth(extras=[ExtraHeader("X-C5-Application",
"application_id")])``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import hashlib
import os
import re
import threading
import time

from ansible.module_utils.basic import env_fallback

from ansible_collections.voip.provisioning.plugins.module_utils.core.context import ServerTime
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.token_cache import (
    TokenCache, cache_key, jwt_expiry, reuse_margin)


def _capitalised(text):
    return text[:1].upper() + text[1:]


def _label(name, env_prefix):
    if env_prefix:
        return "%s (%s_%s)" % (name, env_prefix, name.upper())
    return name


class ExtraHeader:
    """A header sent with every request, its value from one option (a PSK such
    as VTX's ``X-C5-Application`` is a secret: ``no_log`` by default)."""

    def __init__(self, header, option, secret=True, required=True):
        self.header = header
        self.option = option
        self.secret = secret
        self.required = required

    def options(self):
        return {self.option: dict(type="str", no_log=self.secret)}

    def missing(self, values):
        return [self.option] if self.required and not values.get(self.option) else []

    def apply(self, client, values):
        if values.get(self.option):
            client.session.headers[self.header] = str(values[self.option])


class AuthStrategy:
    """Base class.  Subclasses set ``name``, ``label`` and ``own_options`` and
    implement :meth:`apply`; ``required`` lists the options that must be set.

    ``implied_by``: when the task does not set ``auth_method``, the first
    strategy whose ``implied_by`` option is set is chosen (C5: ``token`` set
    means bearer-token auth), else the platform's default method."""

    name = None
    label = None
    own_options = {}
    required = ()
    implied_by = None

    def __init__(self, extras=None):
        self.extras = list(extras or [])
        self._values = {}

    # --- declaration --------------------------------------------------------------------
    @property
    def options(self):
        """The argument spec entries this strategy (and its extras) owns."""
        spec = copy.deepcopy(self.own_options)
        for extra in self.extras:
            spec.update(extra.options())
        return spec

    def bind(self, options):
        """A copy holding the task's values of this strategy's options."""
        bound = copy.copy(self)
        bound._values = dict((name, options.get(name)) for name in self.options)
        return bound

    # --- contract -----------------------------------------------------------------------
    def missing(self, options=None):
        values = self._values if options is None else dict((n, options.get(n)) for n in self.options)
        missing = [name for name in self.required if values.get(name) in (None, "")]
        for extra in self.extras:
            missing.extend(extra.missing(values))
        return missing

    def validate(self, options=None, env_prefix=None, chosen_by=None):
        """Raise :class:`InputError` naming every option this method needs and
        lacks.  ``chosen_by`` says why this method applies when the task did not
        name it ("the default", "token is set")."""
        missing = self.missing(options)
        if missing:
            raise InputError("auth_method %s%s needs %s: set %s" % (
                self.name, " (%s)" % chosen_by if chosen_by else "", " and ".join(missing),
                " and ".join(_label(m, env_prefix) for m in missing)))
        self.check_values(self._values if options is None else dict((n, options.get(n)) for n in self.options))

    def check_values(self, values):
        """Further checks of the values (files exist, ...); raise InputError."""

    def apply(self, client):
        """Prepare ``client.session`` (and ``client.cert``); may send a login request."""
        for extra in self.extras:
            extra.apply(client, self._values)

    def retry_unauthorized(self, response):
        """Called on a 401 or 403: return True to send the request once more (a
        Digest challenge or a stale nonce was just learnt, a new token was
        obtained).  Default: never."""
        return False

    def login(self, options=None):
        """The login named in messages, or None (tokens and certificates)."""
        values = self._values if options is None else options
        return values.get("username")

    def describe(self, options=None):
        """``"login 'admin' with basic auth"``: for error messages, never a secret."""
        login = self.login(options)
        if login:
            return "login '%s' with %s" % (login, self.label)
        return self.label

    def unauthorized_hint(self):
        """What to check after a 401 (wrong credentials)."""
        return "check the password of the login, or the platform's account"


class BasicAuth(AuthStrategy):
    """HTTP Basic: username and password with every request."""

    name = "basic"
    label = "basic auth"
    own_options = dict(username=dict(type="str"), password=dict(type="str", no_log=True))
    required = ("username", "password")

    def apply(self, client):
        client.session.auth = (self._values["username"], self._values["password"])
        super(BasicAuth, self).apply(client)

    def unauthorized_hint(self):
        return "check username and password (the account must exist, be active and have API access)"


class BearerToken(AuthStrategy):
    """A bearer token the user already has."""

    name = "token"
    label = "a bearer token"
    own_options = dict(token=dict(type="str", no_log=True))
    required = ("token",)
    implied_by = "token"

    def apply(self, client):
        client.session.headers["Authorization"] = "Bearer %s" % self._values["token"]
        super(BearerToken, self).apply(client)

    def login(self, options=None):
        return None

    def unauthorized_hint(self):
        return "check the token: it may have expired or belong to another platform"


class LoginForToken(AuthStrategy):
    """Log in (``POST <path>`` with ``request_body(values)``) and send the token
    ``token_from(decoded_body)`` as a bearer header on every later request.
    One password check per play instead of one per request (C5 ``/login_jwt``:
    Basic makes a C5 run bcrypt on every call).

    The token is kept between tasks in a :class:`~.token_cache.TokenCache`
    (option ``token_cache``, on by default in the argument spec; absent means
    off): a task takes the cached token while it is further than its reuse
    margin from its ``exp`` (moved onto our clock by the login answer's
    ``Date``), else logs in (under the cache's lock, so parallel
    forks log in once) and stores the new token.

    A request refused with a status in ``refused_statuses`` (default 401; C5
    also 403, see its dialect) is sent once more after a new login when the
    refused token came from the cache (expired by the server's clock, revoked,
    a new server key) or has reached its reuse margin (a long task); a token
    this task has just obtained being refused means the login may not do that,
    and the error stands.  A 401/403 means "not processed": repeating a POST
    is safe."""

    label = "a token login"
    own_options = dict(username=dict(type="str"), password=dict(type="str", no_log=True),
                       token_cache=dict(type="bool", default=True))
    required = ("username", "password")

    def __init__(self, name, path, request_body, token_from, label=None, no_token_hint=None, extras=None,
                 refused_statuses=(401,)):
        super(LoginForToken, self).__init__(extras=extras)
        self.name = name
        self.path = path
        self.request_body = request_body
        self.token_from = token_from
        if label:
            self.label = label
        self.no_token_hint = no_token_hint or "use another auth_method"
        self.refused_statuses = tuple(refused_statuses)

    def apply(self, client):
        super(LoginForToken, self).apply(client)
        self._client = client
        self._lock = threading.Lock()
        self._token = self._expires = self._obtained = None
        self._from_cache = False
        self._cache = self._key = None
        if self._values.get("token_cache"):
            cache = TokenCache()
            if cache.ready():
                self._cache = cache
                self._key = cache_key((client.base_url, self.path, self.name, self._values.get("username")),
                                      self._values.get("password"))
        if self._cache is None:
            self._login()
            return
        entry = self._cache.get(self._key)
        if entry is None:
            with self._cache.lock(self._key):
                # Another fork may have logged in while this one waited for the lock.
                entry = self._cache.get(self._key)
                if entry is None:
                    self._login()
                    return
        self._use(entry["token"], entry["expires"], entry["obtained"], from_cache=True)

    def _use(self, token, expires, obtained, from_cache):
        self._token, self._expires, self._obtained, self._from_cache = token, expires, obtained, from_cache
        self._client.session.headers["Authorization"] = "Bearer %s" % token

    def _login(self):
        """Log in, send the new token from now on and store it in the cache."""
        try:
            # Without the refused token: a login carries only the credentials.
            response = self._client.request("POST", self.path, json_body=self.request_body(self._values),
                                            headers={"Authorization": None})
            body = self._client.decode(response)
        except ApiError as exc:
            if exc.status not in (401, 403):
                raise
            # A refused login is wrong credentials, whatever the status (a C5 answers 403 "User not found").
            raise ApiError(exc.method, exc.path, exc.status, exc.server_message, body=exc.body,
                           hint="%s was refused: %s" % (_capitalised(self.describe()), self.unauthorized_hint()))
        token = self.token_from(body) if body else None
        if not token:
            raise VoipError("POST %s answered without a token; %s" % (self.path, self.no_token_hint))
        obtained = time.time()
        expires = jwt_expiry(token)
        server_clock = ServerTime(local=lambda: obtained)
        server_clock.note(response)
        if expires is not None and server_clock.offset is not None:
            # exp is by the server's clock: moved onto ours, so a controller whose
            # clock is off neither sends tokens the server has expired nor drops good ones.
            expires -= server_clock.offset
        self._use(token, expires, obtained, from_cache=False)
        if self._cache is not None:
            self._cache.put(self._key, token, expires, obtained)

    def _worn_out(self):
        """Whether the current token has reached its reuse margin (by our clock)."""
        return self._expires is not None and self._expires - time.time() <= reuse_margin(self._obtained, self._expires)

    def retry_unauthorized(self, response):
        if response.status_code not in self.refused_statuses:
            return False
        request = response.request
        sent = request.headers.get("Authorization") if request is not None else None
        if not sent:
            return False  # the login itself, or a request that carried no token
        with self._lock:
            if sent != self._client.session.headers.get("Authorization"):
                return True  # another worker of this task has logged in again meanwhile
            if not self._from_cache and not self._worn_out():
                return False  # a token just obtained was refused: the login may not do this
            if self._cache is None:
                self._login()
                return True
            with self._cache.lock(self._key):
                self._cache.drop(self._key, self._token)
                entry = self._cache.get(self._key)
                if entry is not None and entry["token"] != self._token:
                    # Another fork has logged in meanwhile: one more try with its token.
                    self._use(entry["token"], entry["expires"], entry["obtained"], from_cache=False)
                else:
                    self._login()
            return True

    def unauthorized_hint(self):
        return "check username and password (the account must exist and be active)"


class ClientCertificate(AuthStrategy):
    """TLS client certificate (PEM; the key in the same file or in ``client_key``)."""

    name = "client_cert"
    label = "a client certificate"
    own_options = dict(client_cert=dict(type="path"), client_key=dict(type="path", no_log=False))
    required = ("client_cert",)
    implied_by = "client_cert"

    def check_values(self, values):
        for name in ("client_cert", "client_key"):
            path = values.get(name)
            if path and not os.path.isfile(path):
                raise InputError("%s: no such file '%s'; give the path of a PEM file" % (name, path))

    def apply(self, client):
        cert, key = self._values["client_cert"], self._values.get("client_key")
        client.cert = (cert, key) if key else cert
        super(ClientCertificate, self).apply(client)

    def login(self, options=None):
        return None

    def describe(self, options=None):
        values = self._values if options is None else options
        return "the client certificate %s" % values.get("client_cert")

    def unauthorized_hint(self):
        return "check that the certificate was issued by this platform and is not revoked"


_CHALLENGE_PARAM = re.compile(r'(\w+)=("((?:[^"\\]|\\.)*)"|[^\s,]+)')


def parse_digest_challenge(header):
    """The parameters of the ``Digest`` challenge in a WWW-Authenticate value, or None."""
    if not header:
        return None
    match = re.search(r"\bdigest\s+", header, re.IGNORECASE)
    if not match:
        return None
    params = {}
    for found in _CHALLENGE_PARAM.finditer(header[match.end():]):
        value = found.group(3) if found.group(3) is not None else found.group(2)
        params[found.group(1).lower()] = value.replace('\\"', '"')
    return params


class DigestAuthorizer:
    """The ``requests`` auth hook of :class:`DigestAuth`: signs every request with
    the last nonce learnt (RFC 7616, MD5, ``qop=auth``, counting ``nc``), so one
    challenge serves every request of the task until the nonce goes stale.
    Thread-safe: bulk workers share the nonce."""

    def __init__(self, username, password):
        self.username = username
        self.password = password
        self.challenge = None
        self.nonce_count = 0
        self.lock = threading.Lock()

    def learn(self, challenge):
        with self.lock:
            self.challenge = challenge
            self.nonce_count = 0

    def __call__(self, request):
        with self.lock:
            challenge = self.challenge
            if challenge is None:
                return request  # the first request draws the challenge
            self.nonce_count += 1
            nonce_count = self.nonce_count
        request.headers["Authorization"] = self.header(request.method, request.path_url, challenge, nonce_count)
        return request

    def header(self, method, uri, challenge, nonce_count, cnonce=None):
        algorithm = (challenge.get("algorithm") or "MD5").upper()
        if algorithm not in ("MD5", "MD5-SESS"):
            raise VoipError("the server asks for Digest algorithm %s; only MD5 is supported" % algorithm)
        realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
        cnonce = cnonce or hashlib.md5(os.urandom(16)).hexdigest()[:16]

        def md5(text):
            return hashlib.md5(text.encode("utf-8")).hexdigest()

        ha1 = md5("%s:%s:%s" % (self.username, realm, self.password))
        if algorithm == "MD5-SESS":
            ha1 = md5("%s:%s:%s" % (ha1, nonce, cnonce))
        ha2 = md5("%s:%s" % (method, uri))
        qops = [q.strip() for q in (challenge.get("qop") or "").split(",") if q.strip()]
        nc = "%08x" % nonce_count
        parts = ['username="%s"' % self.username, 'realm="%s"' % realm, 'nonce="%s"' % nonce, 'uri="%s"' % uri]
        if "auth" in qops:
            response = md5("%s:%s:%s:%s:auth:%s" % (ha1, nonce, nc, cnonce, ha2))
            parts += ['response="%s"' % response, "qop=auth", "nc=%s" % nc, 'cnonce="%s"' % cnonce]
        elif qops:
            raise VoipError("the server asks for Digest qop=%s; only qop=auth is supported" % ",".join(qops))
        else:
            parts.append('response="%s"' % md5("%s:%s:%s" % (ha1, nonce, ha2)))
        if challenge.get("opaque") is not None:
            parts.append('opaque="%s"' % challenge["opaque"])
        if challenge.get("algorithm"):
            parts.append("algorithm=%s" % challenge["algorithm"])
        return "Digest " + ", ".join(parts)


class DigestAuth(AuthStrategy):
    """HTTP Digest (SIP2SIP): the first request draws a challenge, every later one
    is signed with its nonce; when the nonce expires the server answers 401 with
    ``stale=true`` and the request is sent once more with the new nonce.  A 401
    that is neither the first challenge nor stale means wrong credentials."""

    name = "digest"
    label = "digest auth"
    own_options = dict(username=dict(type="str"), password=dict(type="str", no_log=True))
    required = ("username", "password")

    def apply(self, client):
        self.authorizer = DigestAuthorizer(self._values["username"], self._values["password"])
        client.session.auth = self.authorizer
        super(DigestAuth, self).apply(client)

    def retry_unauthorized(self, response):
        if response.status_code != 401:
            return False
        challenge = parse_digest_challenge(response.headers.get("WWW-Authenticate"))
        if challenge is None or not challenge.get("nonce"):
            return False
        sent = response.request.headers.get("Authorization") if response.request is not None else None
        stale = str(challenge.get("stale", "")).lower() == "true"
        if sent and sent.startswith("Digest ") and not stale:
            return False  # signed with a fresh nonce and refused: wrong credentials
        self.authorizer.learn(challenge)
        return True

    def unauthorized_hint(self):
        return "check username and password (Digest: the realm and the account's password must match)"


def connection_argument_spec(env_prefix, strategies, default_method=None, extra=None):
    """The connection options of a platform: url, validate_certs, ca_path,
    timeout, retries, workers, auth_method (choices: the strategies' names) and
    every strategy's options, each with an environment fallback
    ``<PREFIX>_<OPTION>`` (flat names, so an AWX credential type can inject them).

    ``auth_method`` has ``default_method`` as its default unless a strategy is
    ``implied_by`` an option: then it has none and :func:`select_strategy`
    infers it.  ``extra`` is merged last (platform options such as page_size)."""

    def env(name):
        return (env_fallback, ["%s_%s" % (env_prefix, name.upper())])

    spec = dict(
        url=dict(type="str"),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="float", default=120.0),
        retries=dict(type="int", default=3),
        workers=dict(type="int", default=2),
    )
    inferred = any(s.implied_by for s in strategies)
    spec["auth_method"] = dict(type="str", choices=[s.name for s in strategies])
    if default_method and not inferred:
        spec["auth_method"]["default"] = default_method
    for strategy in strategies:
        for name, option in strategy.options.items():
            spec.setdefault(name, option)
    spec.update(copy.deepcopy(extra or {}))
    for name, option in spec.items():
        option.setdefault("fallback", env(name))
    return spec


def select_strategy(options, strategies, default_method=None, env_prefix=None):
    """The strategy the task asked for (``auth_method``, else implied by an option
    that is set, else ``default_method``), bound to the task's values and validated."""
    by_name = dict((s.name, s) for s in strategies)
    method = options.get("auth_method")
    explicit = bool(method)
    chosen_by = None
    if not method:
        for strategy in strategies:
            if strategy.implied_by and options.get(strategy.implied_by):
                method, chosen_by = strategy.name, "%s is set" % strategy.implied_by
                break
        else:
            method, chosen_by = default_method or strategies[0].name, "the default"
    if method not in by_name:
        raise InputError("auth_method must be one of %s, not '%s'" % (", ".join(sorted(by_name)), method))
    strategy = by_name[method].bind(options)
    if not explicit and strategy.missing() and not any(strategy._values.get(n) for n in strategy.required):
        # Nothing usable was given: list every way to authenticate.
        ways = []
        for candidate in strategies:
            if candidate.name == method or candidate.implied_by:
                needed = [_label(n, env_prefix) for n in candidate.required] + \
                    [_label(e.option, env_prefix) for e in candidate.extras if e.required]
                text = " and ".join(needed)
                if text not in ways:
                    ways.append(text)
        raise InputError("no credentials: set %s" % ", or ".join(ways))
    strategy.validate(env_prefix=env_prefix, chosen_by=chosen_by)
    return strategy
