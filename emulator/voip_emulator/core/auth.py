# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication schemes a platform composes.

Each scheme has ``applies(request)`` (does the request carry this scheme's
credentials?) and ``authenticate(request)``, which returns the authenticated
principal (whatever the platform's verify callback returned) or raises
:class:`AuthFailed` -- an :class:`~voip_emulator.core.errors.HttpError` with
status 401 (and the scheme's ``WWW-Authenticate`` challenge) or 403.
:class:`AuthChain` picks the first scheme whose credentials the request
carries and challenges with all of them when none does.

The default error payload is ``{"code": status, "message": ...}``; a platform
that answers auth errors differently catches :class:`AuthFailed` (its
``status``, ``message`` and ``headers``) and renders its own body.

    basic = BasicAuth("api_admin_http", lambda user, password: admins.check(user, password))
    digest = DigestAuth("SIP_settings", password_for=accounts.sip_password, clock=self.clock)
    principal = AuthChain([ClientCertAuth(by_serial), BearerAuth(verify_jwt), basic]).authenticate(request)
    HeaderRequirement("X-C5-Application", known_psk).check(request)
"""

import base64
import binascii
import hashlib
import hmac
import os
import re
import threading
import time

from voip_emulator.core.errors import HttpError


class AuthFailed(HttpError):
    """Authentication failed: 401 with a challenge, or 403."""

    def __init__(self, status, message, headers=(), payload="default"):
        if payload == "default":
            payload = {"code": status, "message": message}
        super().__init__(status, payload, headers)
        self.reason = message

    @property
    def message(self):
        return self.reason


def _authorization(request, scheme):
    """The credentials part of ``Authorization: <scheme> <credentials>``, or None."""
    value = (request.header("Authorization") or "").strip()
    name, _sep, credentials = value.partition(" ")
    if name.lower() != scheme.lower():
        return None
    return credentials.strip()


def _quote(value):
    return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')


class BasicAuth:
    """HTTP Basic (RFC 7617). ``verify(username, password)`` -> principal or None."""

    scheme = "Basic"

    def __init__(self, realm, verify, message="Authorization required."):
        self.realm = realm
        self.verify = verify
        self.message = message

    def challenge(self, request=None):  # pylint: disable=unused-argument
        return "Basic realm=%s" % _quote(self.realm)

    def fail(self, request=None):
        return AuthFailed(401, self.message, [("WWW-Authenticate", self.challenge(request))])

    def applies(self, request):
        return _authorization(request, "basic") is not None

    def credentials(self, request):
        """(username, password) sent, or None."""
        encoded = _authorization(request, "basic")
        if encoded is None:
            return None
        try:
            # Characters outside the base64 alphabet are skipped, as most servers'
            # decoders do (Perl's MIME::Base64 on C5, PHP's base64_decode).
            decoded = base64.b64decode(encoded).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        username, sep, password = decoded.partition(":")
        return (username, password) if sep else None

    def authenticate(self, request):
        pair = self.credentials(request)
        if pair is None:
            raise self.fail(request)
        principal = self.verify(*pair)
        if principal is None:
            raise self.fail(request)
        return principal


class BearerAuth:
    """``Authorization: Bearer <token>`` (RFC 6750). ``verify(token)`` -> principal or None."""

    scheme = "Bearer"

    def __init__(self, verify, realm=None, message="Invalid or expired token."):
        self.verify = verify
        self.realm = realm
        self.message = message

    def challenge(self, request=None, error=None):  # pylint: disable=unused-argument
        params = []
        if self.realm:
            params.append("realm=%s" % _quote(self.realm))
        if error:
            params.append("error=%s" % _quote(error))
        return "Bearer" + (" " + ", ".join(params) if params else "")

    def applies(self, request):
        return _authorization(request, "bearer") is not None

    def authenticate(self, request):
        token = _authorization(request, "bearer")
        principal = self.verify(token) if token else None
        if principal is None:
            raise AuthFailed(401, self.message, [("WWW-Authenticate", self.challenge(request, "invalid_token" if token else None))])
        return principal


class ClientCertAuth:
    """A verified TLS client certificate (``request.client_cert``: ``{"serial",
    "subject", "issuer"}``). ``verify(cert)`` -> principal or None; a
    certificate that verifies to nothing is 403 (the TLS layer already accepted
    it, the application does not know it)."""

    scheme = None

    def __init__(self, verify, message="Invalid client certificate."):
        self.verify = verify
        self.message = message

    def challenge(self, request=None):  # pylint: disable=unused-argument
        return None

    def applies(self, request):
        return bool(request.client_cert)

    def authenticate(self, request):
        if not request.client_cert:
            raise AuthFailed(401, "A client certificate is required.")
        principal = self.verify(request.client_cert)
        if principal is None:
            raise AuthFailed(403, self.message)
        return principal


class HeaderRequirement:
    """A header every request must carry (e.g. VTX ``X-C5-Application``).
    ``verify(value)`` -> bool. Missing or refused -> ``status`` (401 default)."""

    def __init__(self, name, verify, status=401, message=None):
        self.name = name
        self.verify = verify
        self.status = status
        self.message = message or "Missing or invalid %s header." % name

    def check(self, request):
        value = request.header(self.name)
        if value is None or not self.verify(value):
            raise AuthFailed(self.status, self.message)
        return value

    # Lets a requirement sit in an AuthChain-like list of checks.
    authenticate = check


def _hash(algorithm, text):
    name = {"MD5": "md5", "SHA-256": "sha256"}[algorithm]
    return hashlib.new(name, text.encode("utf-8")).hexdigest()


_PARAM_RE = re.compile(r'\s*([A-Za-z0-9_-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^,\s]*)\s*(?:,|$)')


def parse_digest_params(credentials):
    """The parameters of ``Authorization: Digest <credentials>`` as a dict (keys
    lower-case, quoted values unescaped)."""
    params = {}
    position = 0
    credentials = credentials or ""
    while position < len(credentials):
        match = _PARAM_RE.match(credentials, position)
        if not match or match.end() == position:
            break
        key = match.group(1).lower()
        value = match.group(3) if match.group(3) is not None else match.group(2)
        if match.group(3) is not None:
            value = re.sub(r"\\(.)", r"\1", value)
        params[key] = value
        position = match.end()
    return params


class DigestAuth:
    """HTTP Digest (RFC 7616) with ``qop=auth``, stateless signed nonces and
    ``stale=true`` for expired ones.

    ``realm``        a string, or ``realm(request)`` -> string (SIP2SIP takes it
                     from a request parameter)
    ``password_for`` ``password_for(username)`` -> clear-text password or None
    ``ha1_for``      alternatively ``ha1_for(username, realm)`` -> hex HA1 or None
                     (accounts that store only ``H(user:realm:password)``)
    ``clock``        the emulator clock: nonces carry their expiry time by it
    ``nonce_ttl``    seconds a nonce is accepted (300)
    ``check_nc``     reject a nonce count that is not above the last one seen for
                     that nonce (replay); off by default, as SIP2SIP does not track it
    ``principal``    ``principal(username)`` -> what authenticate returns
                     (default: the username)

    Nonce = base64("<expiry>:<H(expiry:secret)>"), expiry in epoch seconds by the
    clock. Any nonce this scheme signed is accepted until it expires; an expired
    one with a correct response answers 401 with ``stale=true`` (the client
    retries with the new nonce without asking the user). A wrong response, an
    unknown user, a forged nonce, a missing ``qop``/``nc``/``cnonce`` or Basic
    credentials all answer 401 with a fresh challenge.
    """

    scheme = "Digest"

    def __init__(self, realm, password_for=None, clock=None, nonce_ttl=300, qop="auth", ha1_for=None,
                 algorithm="MD5", opaque=None, check_nc=False, principal=None, secret=None, message="Unauthorized",
                 payload="default"):
        if password_for is None and ha1_for is None:
            raise ValueError("DigestAuth needs password_for or ha1_for")
        if algorithm not in ("MD5", "SHA-256"):
            raise ValueError("algorithm must be MD5 or SHA-256")
        self.realm = realm
        self.password_for = password_for
        self.ha1_for = ha1_for
        self.clock = clock
        self.nonce_ttl = nonce_ttl
        self.qop = qop
        self.algorithm = algorithm
        self.opaque = opaque
        self.check_nc = check_nc
        self.principal = principal
        self.message = message
        self.payload = payload
        self.secret = secret or os.urandom(16).hex()
        self._nc_lock = threading.Lock()
        self._last_nc = {}

    def _now(self):
        return self.clock.now() if self.clock is not None else time.time()

    def realm_for(self, request):
        return self.realm(request) if callable(self.realm) else self.realm

    def opaque_for(self, realm):
        return self.opaque if self.opaque is not None else _hash("MD5", realm)

    # nonces ------------------------------------------------------------
    def make_nonce(self, expiry=None):
        expiry = self._now() + self.nonce_ttl if expiry is None else expiry
        stamp = repr(float(expiry))
        return base64.b64encode(("%s:%s" % (stamp, _hash(self.algorithm, stamp + ":" + self.secret))).encode("ascii")).decode("ascii")

    def nonce_expiry(self, nonce):
        """The expiry of a nonce this scheme signed, or None for a forged one."""
        try:
            stamp, _sep, signature = base64.b64decode(nonce, validate=True).decode("ascii").partition(":")
            expiry = float(stamp)
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
            return None
        if not hmac.compare_digest(signature, _hash(self.algorithm, stamp + ":" + self.secret)):
            return None
        return expiry

    # challenge ---------------------------------------------------------
    def challenge(self, request=None, stale=False):
        realm = self.realm_for(request) if request is not None else (self.realm if not callable(self.realm) else "")
        parts = ["realm=%s" % _quote(realm), "qop=%s" % _quote(self.qop), "algorithm=%s" % self.algorithm,
                 "nonce=%s" % _quote(self.make_nonce()), "opaque=%s" % _quote(self.opaque_for(realm))]
        if stale:
            parts.append("stale=true")
        return "Digest " + ", ".join(parts)

    def fail(self, request, stale=False, message=None):
        return AuthFailed(401, message or self.message, [("WWW-Authenticate", self.challenge(request, stale))], payload=self.payload)

    def applies(self, request):
        return _authorization(request, "digest") is not None

    # verification ------------------------------------------------------
    def expected_response(self, method, params, ha1):
        ha2 = _hash(self.algorithm, "%s:%s" % (method, params["uri"]))
        return _hash(self.algorithm, ":".join((ha1, params["nonce"], params["nc"], params["cnonce"], params["qop"], ha2)))

    def _ha1(self, username, realm):
        if self.ha1_for is not None:
            return self.ha1_for(username, realm)
        password = self.password_for(username)
        if password is None:
            return None
        return _hash(self.algorithm, "%s:%s:%s" % (username, realm, password))

    def authenticate(self, request):
        credentials = _authorization(request, "digest")
        if credentials is None:
            raise self.fail(request)
        params = parse_digest_params(credentials)
        required = ("username", "nonce", "uri", "response", "qop", "nc", "cnonce")
        if any(not params.get(key) for key in required) or params["qop"] != self.qop:
            raise self.fail(request)
        if params.get("algorithm", "MD5").upper() != self.algorithm:
            raise self.fail(request)
        realm = self.realm_for(request)
        if params.get("realm", realm) != realm:
            raise self.fail(request)
        expiry = self.nonce_expiry(params["nonce"])
        if expiry is None:
            raise self.fail(request)
        ha1 = self._ha1(params["username"], realm)
        if ha1 is None:
            raise self.fail(request)
        expected = self.expected_response(request.method, params, ha1)
        if not hmac.compare_digest(expected, params["response"].lower()):
            raise self.fail(request)
        if expiry < self._now():
            # Right credentials, old nonce: the client may retry silently.
            raise self.fail(request, stale=True, message="Stale nonce")
        if self.check_nc:
            self._check_nonce_count(request, params)
        return self.principal(params["username"]) if self.principal else params["username"]

    def _check_nonce_count(self, request, params):
        try:
            count = int(params["nc"], 16)
        except ValueError:
            raise self.fail(request) from None
        with self._nc_lock:
            last = self._last_nc.get(params["nonce"], 0)
            if count <= last:
                raise self.fail(request, message="Nonce count reused")
            self._last_nc[params["nonce"]] = count
            if len(self._last_nc) > 10000:
                # Forget expired nonces.
                now = self._now()
                for nonce in [n for n in self._last_nc if (self.nonce_expiry(n) or 0) < now]:
                    del self._last_nc[nonce]


class AuthChain:
    """Try the scheme whose credentials the request carries (in list order);
    when none applies, challenge with every scheme that has a challenge."""

    def __init__(self, schemes, message="Authorization required."):
        self.schemes = list(schemes)
        self.message = message

    def authenticate(self, request):
        for scheme in self.schemes:
            if scheme.applies(request):
                return scheme.authenticate(request)
        headers = []
        for scheme in self.schemes:
            challenge = scheme.challenge(request)
            if challenge:
                headers.append(("WWW-Authenticate", challenge))
        raise AuthFailed(401, self.message, headers)
