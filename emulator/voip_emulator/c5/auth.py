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
from voip_emulator.c5.errors import ApiError
from voip_emulator.c5.state import PLATFORM, check_password

CLIENT_CERT_SUBJECT = "CN=Sipwise NGCP API client certificate"
DEFAULT_JWT_LIFETIME = 3600
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

    # JWT: derived from ngcp-panel's Root controller ``login_jwt`` (HS256, payload
    # {id, username}, optional relative expiry), answered as {"jwt", "id"}.
    # Expiry follows the emulator clock.
    def issue_jwt(self, admin):
        header = {"alg": "HS256", "typ": "JWT"}
        payload = {"id": admin["id"], "username": admin["login"]}
        lifetime = int(self.options.get("jwt_lifetime", DEFAULT_JWT_LIFETIME))
        if lifetime > 0:
            payload["exp"] = int(self.clock.now()) + lifetime
        signing_input = _b64url(json.dumps(header).encode("utf-8")) + "." + _b64url(json.dumps(payload).encode("utf-8"))
        signature = hmac.new(self._jwt_key(), signing_input.encode("ascii"), hashlib.sha256).digest()
        return signing_input + "." + _b64url(signature)

    def verify_jwt(self, token):
        try:
            head, body, signature = token.split(".")
            expected = hmac.new(self._jwt_key(), (head + "." + body).encode("ascii"), hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _b64url_decode(signature)):
                return None
            payload = json.loads(_b64url_decode(body))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if "exp" in payload and payload["exp"] < self.clock.now():
            return None
        admin = self.state.get("admins", payload.get("id"))
        if admin is None or not admin.get("is_active") or admin["login"] != payload.get("username"):
            return None
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
        return {"jwt": self.issue_jwt(admin), "id": int(admin["id"])}
