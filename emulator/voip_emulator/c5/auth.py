"""Authentication of admin API requests (spec §2.1), composed from the core's
schemes: TLS client certificate first (ngcp-panel looks at the certificate
before any header; nginx passes its serial), then Bearer JWT (from
``POST /login_jwt``), then HTTP Basic.  Every 401 is the one C5 challenge
(``App.error_response`` renders it); certificate refusals are 403."""

import base64
import binascii
import hashlib
import hmac
import json
import os

from voip_emulator.core.auth import AuthChain, BasicAuth, BearerAuth, ClientCertAuth
from voip_emulator.c5.errors import ApiError, invalid_user
from voip_emulator.c5.state import PLATFORM, check_password

CLIENT_CERT_SUBJECT = "CN=Sipwise NGCP API client certificate"
# Seconds a token from POST /login_jwt is valid: ngcp-panel takes it from the
# realm's relative_exp; the only value it ships is 36000 (10 h, etc/ngcp_panel.conf);
# a platform's own config may set another or none (option jwt_lifetime; 0 = no exp).
DEFAULT_JWT_LIFETIME = 36000
REALM = "api_admin_http"


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Authenticator:
    def __init__(self, state, options, clock):
        self.state = state
        self.options = options
        self.clock = clock
        self.chain = AuthChain([
            ClientCertAuth(self.verify_cert),
            BearerAuth(self.verify_jwt),
            BasicAuth(REALM, self.verify_password),
        ])

    def _jwt_key(self):
        key = self.state.store.get_meta(PLATFORM, "jwt_key")
        if not key:
            key = os.urandom(32).hex()
            self.state.store.set_meta(PLATFORM, "jwt_key", key)
        return bytes.fromhex(key)

    def find_login(self, login):
        for admin in self.state.tables["admins"].values():
            if admin["login"] == login:
                return admin
        return None

    def authenticate(self, request):
        """Return the admin row or raise AuthFailed (401) / ApiError (403)."""
        return self.chain.authenticate(request)

    def verify_cert(self, cert):
        subject = cert.get("subject")
        if subject != CLIENT_CERT_SUBJECT:
            raise ApiError(403, "Invalid client certificate DN '%s'" % subject)
        for admin in self.state.tables["admins"].values():
            if admin.get("ssl_client_m_serial") == cert.get("serial") and admin.get("is_active"):
                return admin
        raise ApiError(403, "Invalid user")

    def verify_password(self, login, password):
        admin = self.find_login(login)
        if admin and admin.get("is_active") and check_password(admin.get("password_hash"), password):
            return admin
        return None

    # JWT, as ngcp-panel's Root::login_jwt issues it (Crypt::JWT encode_jwt): HS256,
    # header {"typ": "JWT", "alg": "HS256"}, payload {id, username} plus "exp" =
    # now + relative_exp when the realm has a relative_exp (none: no exp, the token
    # never expires); the answer is {"jwt", "id"} plus "expires" (the same instant).
    # Time is the emulator clock.
    def issue_jwt(self, admin):
        header = {"typ": "JWT", "alg": "HS256"}
        payload = {"id": admin["id"], "username": admin["login"]}
        lifetime = self.jwt_lifetime()
        if lifetime > 0:
            payload["exp"] = int(self.clock.now()) + lifetime
        signing_input = _b64url(json.dumps(header).encode("utf-8")) + "." + _b64url(json.dumps(payload).encode("utf-8"))
        signature = hmac.new(self._jwt_key(), signing_input.encode("ascii"), hashlib.sha256).digest()
        return signing_input + "." + _b64url(signature), payload.get("exp")

    def jwt_lifetime(self):
        return int(self.options.get("jwt_lifetime", DEFAULT_JWT_LIFETIME))

    def verify_jwt(self, token):
        """The admin of a valid token.  Any other token (bad signature, expired by
        the clock, unknown or inactive admin) is 403 "Invalid user", not 401:
        ngcp-panel's Root::auto lets a request whose Bearer token does not decode
        go on without a user, and the resource's ACL action role then detaches to
        API::Root::invalid_user (Crypt::JWT decode_jwt checks exp, no leeway)."""
        try:
            head, body, signature = token.split(".")
            expected = hmac.new(self._jwt_key(), (head + "." + body).encode("ascii"), hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _b64url_decode(signature)):
                raise invalid_user()
            payload = json.loads(_b64url_decode(body))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise invalid_user()
        if not isinstance(payload, dict):
            raise invalid_user()
        if "exp" in payload and not payload["exp"] > self.clock.now():
            raise invalid_user()
        admin = self.state.get("admins", payload.get("id"))
        if admin is None or not admin.get("is_active") or admin["login"] != payload.get("username"):
            raise invalid_user()
        return admin

    def login_jwt(self, body):
        """``POST /login_jwt``: 422/403 messages as ngcp-panel's login_jwt."""
        username = body.get("username") if isinstance(body, dict) else None
        password = body.get("password") if isinstance(body, dict) else None
        if not username or not password:
            raise ApiError(422, "No username or password given")
        admin = self.find_login(username)
        if not admin or not admin.get("is_active") or not check_password(admin.get("password_hash"), password):
            raise ApiError(403, "User not found")
        token, expires = self.issue_jwt(admin)
        answer = {"jwt": token, "id": int(admin["id"])}
        if expires is not None:
            answer["expires"] = expires
        return answer
