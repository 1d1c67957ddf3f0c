# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``Sip2SipApp``: CDRTool's ``settings.phtml`` JSON API as an emulator application.

One URL, the operation in the ``action`` parameter, parameters from the merged
query string and form body (PHP ``$_REQUEST``; JSON bodies are not read).  Every
request authenticates with HTTP Digest first (spec 2): the digest realm is the
``realm`` parameter (the part after ``@`` when it has one) or ``SIP_settings``;
Basic credentials are simply challenged again.  Then the answer carries the
platform's quirks (spec 3, 8): HTTP 200 for application errors, a text/html
content type for JSON, ``Key X changed ...`` debug text before the JSON of
``set_call_forwarding``, an HTML error fragment followed by ``null`` (``[]``
for aliases/ENUM) when a getter's backend call fails, HTTP 500 with an empty
body for a PHP fatal error.

Options: ``accounts_file`` (an extra seed file, see ``seed.py``), ``state_dir``.
"""

import json
from urllib.parse import parse_qsl

from voip_emulator.core.app import App, Response
from voip_emulator.core.auth import AuthFailed, DigestAuth
from voip_emulator.core.routes import Router
from voip_emulator.core.tables import Tables
from voip_emulator.sip2sip.models import (
    DIVERSION_KEYS, Backend, ParamError, PhpFatal, SoapFault, md5,
)
from voip_emulator.sip2sip.seed import seed

#: CDRTool pages never set a JSON content type (spec 1).
CONTENT_TYPE = "text/html; charset=UTF-8"
#: The realm of the digest challenge without a ``realm`` parameter (spec 2.2).
DEFAULT_REALM = "SIP_settings"
#: Unknown actions containing one of these answer JSON only (spec 3).
ACTION_WORDS = ("get_", "set_", "put_", "delete_", "export_", "add_")
#: The error fragment CDRTool prints when a getter's SOAP call fails (spec 3).
FRAGMENT = ("<div class=row-fluid><div class=span12><p><span class='alert alert-error'>%s</span></p>"
            "</div></div>\n")
PAGE_HEADER = ("<!DOCTYPE html>\n<html><head><title>SIP2SIP - SIP settings</title>"
               "<meta http-equiv='Content-Type' content='text/html; charset=utf-8'></head><body>\n")
SETTINGS_PAGE = PAGE_HEADER + ("<div class=container><h2>SIP settings of %s</h2>"
                               "<form method=post action=settings.phtml><!-- settings form --></form></div></body></html>\n")
NOT_FOUND = ("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n"
             "</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n")


def _html(status, text, headers=()):
    return Response(status, [("Content-Type", CONTENT_TYPE)] + list(headers), text)


def _json_text(value):
    # PHP json_encode escapes "/" by default.
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/")


class Sip2SipApp(App):
    name = "sip2sip"

    def __init__(self, store, options=None, clock=None):
        super().__init__(store, options, clock)
        self.tables = Tables(store, "sip2sip")
        self.tables.add("accounts", id_kind="key")
        self.tables.add("aliases", id_kind="key")
        self.tables.add("journal", id_kind="int", id_field="id")
        self.backend = Backend(self.tables, self.clock)
        with self.tables.lock:
            if not self.tables.load():
                seed(self.backend, self.options, self.clock.now())
            # The server key signing nonces survives restarts (like the real
            # server's configuration), so a client's nonce stays valid.
            self.secret = self.tables.get_meta("digest_secret") or md5(repr(self.clock.now()) + str(id(self)))
            self.tables.set_meta("digest_secret", self.secret)
        self.digest = DigestAuth(self.realm_for, ha1_for=self.ha1_for, clock=self.clock, nonce_ttl=300, qop="auth",
                                 secret=self.secret, payload=None)
        self.router = Router()
        for page in ("/settings.phtml", "/sip_settings_digest.phtml"):
            self.router.add("*", page, self.settings_page)
        self.actions = {
            "get_identity": ("getter", lambda a, p, r: self.backend.get_identity(a)),
            "get_aliases": ("getter", lambda a, p, r: self.backend.get_aliases(a)),
            "add_alias": ("setter", lambda a, p, r: self.backend.add_alias(a, p.get("username"))),
            "get_enum": ("getter", lambda a, p, r: self.backend.get_enum(a)),
            "get_history": ("getter", lambda a, p, r: self.backend.get_history(a)),
            "get_devices": ("getter", lambda a, p, r: self.backend.get_devices(a)),
            "get_prepaid": ("getter", lambda a, p, r: self.backend.get_prepaid(a)),
            "get_balance_history": ("getter", self._balance_history),
            "get_monthly_usage": ("getter", lambda a, p, r: self.backend.get_monthly_usage(a)),
            "get_call_forwarding": ("getter", lambda a, p, r: self.backend.get_call_forwarding(a)),
            "set_call_forwarding": ("setter", lambda a, p, r: self.backend.set_call_forwarding(a, p)),
            "get_accept_rules": ("getter", lambda a, p, r: self.backend.get_accept_rules(a)),
            "set_dnd_on": ("setter", lambda a, p, r: self.backend.set_dnd_on(a, p.get("duration"))),
            "set_dnd_off": ("setter", lambda a, p, r: self.backend.set_dnd_off(a)),
            "get_reject_rules": ("getter", lambda a, p, r: self.backend.get_reject_rules(a)),
            "get_voicemail": ("getter", lambda a, p, r: self.backend.get_voicemail(a)),
            "set_privacy_on": ("setter", lambda a, p, r: self.backend.set_privacy(a, True)),
            "set_privacy_off": ("setter", lambda a, p, r: self.backend.set_privacy(a, False)),
            "get_journal_entries": ("raw", lambda a, p, r: self.backend.get_journal_entries(a, p)),
            "put_journal_entries": ("raw", self._put_journal),
            "delete_journal_entries": ("raw", lambda a, p, r: self.backend.delete_journal_entries(a, p)),
            # Web form actions (spec 5.20): full HTML page, verify with the getter.
            "set aliases": ("form", lambda a, p, r: self.backend.set_aliases(a, _as_list(p.get("aliases[]")))),
            "set reject": ("form", lambda a, p, r: self.backend.set_reject(a, _as_list(p.get("rejectMembers[]")))),
            "set accept rules": ("form", lambda a, p, r: self.backend.set_accept_rules_form(a, p)),
        }

    # -- state ------------------------------------------------------------
    def reset(self):
        with self.tables.lock:
            self.tables.wipe()
            seed(self.backend, self.options, self.clock.now())
            self.tables.set_meta("digest_secret", self.secret)

    def on_clock_change(self):
        backend = getattr(self, "backend", None)
        if backend is not None:
            with self.tables.lock:
                backend.on_clock_change()

    def cost_key(self, request):
        return "%s %s" % (request.method, self.params(request).get("action") or "page")

    # -- request parsing ----------------------------------------------------
    @staticmethod
    def params(request):
        """PHP ``$_REQUEST``: query string, then a form-encoded POST body on top;
        ``name[]`` keys collect lists, a repeated plain key keeps its last value."""
        cached = getattr(request, "_sip2sip_params", None)
        if cached is not None:
            return cached
        pairs = list(request.query_pairs())
        content_type = (request.header("Content-Type") or "").lower()
        if request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded") and request.body:
            pairs += parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        params = {}
        for key, value in pairs:
            if key.endswith("[]"):
                params.setdefault(key, []).append(value)
            else:
                params[key] = value
        request._sip2sip_params = params  # pylint: disable=protected-access
        return params

    def realm_for(self, request):
        realm = self.params(request).get("realm")
        if not isinstance(realm, str) or not realm:
            return DEFAULT_REALM
        # Blink sends realm=user@domain: only the domain is the realm (spec 2.2).
        return realm.rpartition("@")[2] if "@" in realm else realm

    def _account_for(self, username, realm):
        user, _sep, domain = username.partition("@")
        return self.backend.account("%s@%s" % (user, domain or realm))

    def ha1_for(self, username, realm):
        """The HA1 the server expects (spec 2.5, in order of precedence)."""
        account = self._account_for(username, realm)
        if account is None:
            return None
        if account.get("web_ha1"):
            return account["web_ha1"]
        if account.get("ha1"):
            return account["ha1"]
        return md5("%s:%s:%s" % (username, realm, account["password"]))

    # -- the page -----------------------------------------------------------
    def no_route(self, request, allowed):
        return _html(404, NOT_FOUND)

    def settings_page(self, request):
        params = self.params(request)
        try:
            username = self.digest.authenticate(request)
        except AuthFailed as failure:
            # Empty body, fresh challenge; Basic credentials land here too.
            return Response(401, [("Content-Type", CONTENT_TYPE)] + failure.headers, b"")
        with self.tables.lock:
            account = self._account_for(username, self.realm_for(request))
            if account is None:  # deleted between the two lookups
                return Response(401, [("Content-Type", CONTENT_TYPE), ("WWW-Authenticate", self.digest.challenge(request))], b"")
            return self.run_action(account, params, request)

    def run_action(self, account, params, request):
        action = params.get("action")
        if not action:
            return _html(200, SETTINGS_PAGE % account["address"])
        if not isinstance(action, str):
            action = str(action)
        if action in (account.get("php_fatal") or []):
            return _html(500, "")
        entry = self.actions.get(action)
        if entry is None:
            body = _json_text({"success": False, "error_message": "Error: invalid action"})
            if any(word in action for word in ACTION_WORDS):
                return _html(200, body)
            return _html(200, PAGE_HEADER + body)
        kind, handler = entry
        try:
            value = handler(account, params, request)
        except PhpFatal:
            return _html(500, "")
        except ParamError as error:
            return _html(200, _json_text({"success": False, "error_message": str(error)}))
        except SoapFault as fault:
            if kind == "getter":
                empty = [] if action in ("get_aliases", "get_enum") else None
                return _html(200, FRAGMENT % fault.message + _json_text(empty))
            return _html(200, fault.prefix + _json_text({"success": False, "error_message": fault.message}))
        if kind == "getter":
            if isinstance(value, str):  # CSV export of get_balance_history
                return Response(200, [("Content-Type", "text/csv; charset=UTF-8")], value)
            response = _html(200, _json_text(value))
            if isinstance(value, list):
                response.rows_returned = len(value)
            return response
        if kind == "setter":
            prefix, message = value if isinstance(value, tuple) else ("", value)
            return _html(200, prefix + _json_text({"success": True, "error_message": message}))
        if kind == "form":
            return _html(200, SETTINGS_PAGE % account["address"])
        return _html(200, _json_text(value))

    def _balance_history(self, account, params, request):  # pylint: disable=unused-argument
        return self.backend.get_balance_history(account, as_csv=params.get("csv") == "1")

    def _put_journal(self, account, params, request):
        ip_address = (request.header("X-Forwarded-For") or "127.0.0.1").split(",")[0].strip()
        return self.backend.put_journal_entries(account, params.get("uuid"), params.get("data"), ip_address)


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


__all__ = ["Sip2SipApp", "DIVERSION_KEYS"]
