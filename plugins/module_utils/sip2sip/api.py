# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options and the per-account API of SIP2SIP.

Every SIP2SIP account is its own login (HTTP Digest, spec 2): the digest user is
the bare lower-case user part, the ``realm`` request parameter is the account's
domain, the password is the account's web password when one is set, else its SIP
password.  :class:`Accounts` keeps one keep-alive client per account of a task,
so a task with ``items`` for many accounts runs them on bounded workers, each
account signing its requests with its own nonce.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import threading
from urllib.parse import urlencode

from ansible.module_utils.basic import env_fallback

from ansible_collections.voip.provisioning.plugins.module_utils.core.auth import DigestAuth
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import ApiClient, Reachability
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.sip2sip.dialect import Sip2SipDialect

DEFAULT_URL = "https://enrollment.sipthor.net/settings.phtml"
ENV_PREFIX = "SIP2SIP"
_ACCOUNT_RE = re.compile(r"^([a-z0-9][a-z0-9._+-]*)@([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)$")


def _env(name):
    return (env_fallback, ["%s_%s" % (ENV_PREFIX, name.upper())])


def connection_spec():
    """The connection options every SIP2SIP module takes (each with a ``SIP2SIP_*``
    environment fallback). ``account``/``password`` may instead come per entry of
    ``items``."""
    return dict(
        url=dict(type="str", fallback=_env("url")),
        account=dict(type="str", fallback=_env("account")),
        password=dict(type="str", no_log=True, fallback=_env("password")),
        validate_certs=dict(type="bool", default=True, fallback=_env("validate_certs")),
        ca_path=dict(type="path", fallback=_env("ca_path")),
        timeout=dict(type="float", default=60.0, fallback=_env("timeout")),
        retries=dict(type="int", default=3, fallback=_env("retries")),
        workers=dict(type="int", default=4, fallback=_env("workers")),
    )


def split_account(account, field="account"):
    """``(user, domain)`` of a SIP address, lower-cased (the platform's digest
    check lower-cases both, spec 2.5). Raises InputError naming ``field``."""
    if not account:
        raise InputError("%s is required: the SIP address of the account (user@domain), or set SIP2SIP_ACCOUNT" % field)
    text = str(account).strip()
    if text.lower().startswith("sip:"):
        text = text[4:]
    match = _ACCOUNT_RE.match(text.lower())
    if not match:
        raise InputError("%s: %r is not a SIP address; write user@domain, e.g. alice@sip2sip.info "
                         "(the domain is sent as the digest realm)" % (field, account))
    return match.group(1), match.group(2)


def page_url(url):
    """``(base_url, page)``: the settings page is ``settings.phtml`` unless the URL names one."""
    url = (url or DEFAULT_URL).strip()
    if not re.match(r"^https?://", url):
        raise InputError("url: %r must start with https:// (or http://), e.g. %s" % (url, DEFAULT_URL))
    base, _sep, last = url.rstrip("/").rpartition("/")
    if last.endswith(".phtml") and base not in ("http:/", "https:/"):
        return base, last
    return url.rstrip("/"), "settings.phtml"


class AccountDigest(DigestAuth):
    """HTTP Digest as SIP2SIP checks it: named by the account (user@domain) in
    messages, with what to check after a refused login."""

    def __init__(self, account):
        super(AccountDigest, self).__init__()
        self.account = account

    def login(self, options=None):
        return self.account

    def unauthorized_hint(self):
        return ("check the account (user@domain: the domain is sent as the digest realm) and the password (the "
                "account's web password when one is set, else its SIP password)")


class AccountApi:
    """The settings API of one account: one Digest-authenticated client, every
    request ``settings.phtml?realm=<domain>&action=<action>`` (so every error
    names the action); the client's messages name the page URL and the account."""

    def __init__(self, options, account, password, warn=None, reachability=None):
        self.user, self.domain = split_account(account)
        self.account = "%s@%s" % (self.user, self.domain)
        if not password:
            raise InputError("password is required for %s: its web password, or its SIP password when it has none "
                             "(or set SIP2SIP_PASSWORD)" % self.account)
        self.base_url, self.page = page_url(options.get("url"))
        self.url = "%s/%s" % (self.base_url, self.page)
        auth = AccountDigest(self.account).bind({"username": self.user, "password": password})
        # One account's requests go one after the other: its digest nonce count
        # is per account, and the platform is one PHP page per request.
        self.client = ApiClient(self.base_url, dialect=Sip2SipDialect(), auth=auth, endpoint=self.url,
                                validate_certs=options.get("validate_certs", True), ca_path=options.get("ca_path"),
                                timeout=options.get("timeout", 60.0), retries=options.get("retries", 3), workers=1,
                                warn=warn, reachability=reachability)
        self.writes = 0

    def path(self, action):
        """The page with the realm and the action (the rest of the parameters go in
        the query or the form after them)."""
        return "%s?%s" % (self.page, urlencode([("realm", self.domain), ("action", action)]))

    def get(self, action, **params):
        """The decoded answer of the getter ``action`` (errors of every shape raise ApiError)."""
        return self.client.call("GET", self.path(action), params=params or None)

    def set(self, action, **params):
        """A JSON setter, sent as the platform documents it: a GET with its
        parameters in the query (spec 5), that the client never repeats once it
        may have reached the server (``idempotent=False``: the platform does not
        de-duplicate; a repeated add_alias or set_privacy_on would fail and be
        misread).  Returns the server's success text."""
        self.writes += 1
        body = self.client.call("GET", self.path(action), params=params or None, idempotent=False)
        return body.get("error_message") if isinstance(body, dict) else body

    def post(self, action, form):
        """An action with a form body (``put_journal_entries`` is documented as a
        POST; its data and a journal delete's id list can be long).  Never repeated
        blindly.  Returns the decoded answer."""
        self.writes += 1
        return self.client.call("POST", self.path(action), data=form)

    def submit_form(self, action, form):
        """A web form action (spec 5.20: ``set reject``, ``set aliases``): a form
        POST whose answer is an HTML page (``expect="html"``); verify with the getter."""
        self.writes += 1
        return self.client.call("POST", self.path(action), data=form, expect="html")

    def rows(self, action, **params):
        """Every row of a paged getter (the journal), through the client's paging loop."""
        return self.client.paginate(self.path(action), params=params)[0]

    def close(self):
        self.client.close()


class Accounts:
    """One :class:`AccountApi` per account of a task (thread-safe), closed at the
    end.  They share one :class:`Reachability`: against a dead server the task
    stops after a few failures instead of trying every account."""

    def __init__(self, options, warn=None):
        self.options = options
        self.warn = warn
        self._lock = threading.Lock()
        self._apis = {}
        self.reachability = Reachability()

    def api(self, item):
        user, domain = split_account(item.get("account"))
        key = (user, domain, item.get("password"))
        with self._lock:
            api = self._apis.get(key)
            if api is None:
                api = self._apis[key] = AccountApi(self.options, item.get("account"), item.get("password"), self.warn,
                                                   reachability=self.reachability)
            return api

    def close(self):
        with self._lock:
            for api in self._apis.values():
                api.close()
            self._apis = {}


def check_items(options):
    """Every entry of ``items`` names a valid account, each account once (two
    entries for one account would race each other's writes)."""
    seen = {}
    for position, entry in enumerate(options.get("items") or [], 1):
        account = (entry or {}).get("account") or options.get("account")
        user, domain = split_account(account, field="items[%d].account" % position)
        key = "%s@%s" % (user, domain)
        if key in seen:
            raise InputError("items: %s is named by entries %d and %d; give each account once" % (key, seen[key], position))
        seen[key] = position


def with_accounts(options, ctx, work):
    """Run ``work(accounts)`` and close every client afterwards (``items`` are
    checked first: nothing is sent when one of them names a bad or repeated account)."""
    check_items(options)
    accounts = Accounts(options, warn=ctx.warn)
    try:
        return work(accounts)
    finally:
        accounts.close()


__all__ = ["AccountApi", "Accounts", "connection_spec", "split_account", "with_accounts", "VoipError"]
