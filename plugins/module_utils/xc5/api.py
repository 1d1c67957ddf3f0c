# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``/api-sys/`` calls the XC5 resources make, over the core client.

Paths address accounts by name (the API takes a guid or an account name,
case-insensitively; spec 5); names are percent-quoted except ``@`` and ``.``.
Every answer is an array (:class:`.dialect.Xc5Dialect`): :meth:`Xc5Api.record`
returns its first element, :meth:`Xc5Api.records` the whole list.

Lookups that several items of one task share (an account by name, a listing)
are cached in the run context; a write forgets what it changes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import uuid

try:
    from urllib.parse import quote
except ImportError:  # Python 2 (sanity's compile test only)
    from urllib import quote  # type: ignore

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.values import is_guid

BASE = "/api-sys"


def segment(value):
    """One path segment: an account name (``reception@acmebrick.x.co.nz``) or guid."""
    return quote(str(value), safe="@.:_-")


def new_guid():
    """A client-chosen id for ``PUT …/{guid}`` (spec 5.8: "PUT creates if
    required"): a create under it can be repeated without duplicating. The API's
    own ``GET /api-sys/guid`` makes the same kind of id; making it here saves one
    request per create."""
    return str(uuid.uuid4()).upper()


class Xc5Api:
    def __init__(self, client, run):
        self.client = client
        self.run = run
        self.accounts = run.cache("xc5.accounts")
        self.listings = run.cache("xc5.listings")
        self.refs = run.cache("xc5.account_refs")

    # -- plain calls -----------------------------------------------------------
    def path(self, *parts):
        return "/".join([BASE] + [segment(p) for p in parts])

    def records(self, method, path, params=None, json_body=None, files=None, idempotent=None):
        """The answer's records.  ``idempotent=False`` for a ``PUT`` on a
        collection that creates a record (gap 1): the client then does not send
        it again after it may have reached the server; the engine looks first."""
        body = self.client.call(method, path, params=params, json_body=json_body, files=files, idempotent=idempotent)
        if isinstance(body, list):
            return body
        return [] if body in (None, "") else [body]

    def record(self, method, path, params=None, json_body=None, files=None, idempotent=None):
        found = self.records(method, path, params=params, json_body=json_body, files=files, idempotent=idempotent)
        return found[0] if found else None

    def get_or_none(self, path, params=None):
        """The record at ``path``, or None when the server answers 404."""
        try:
            return self.record("GET", path, params=params)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    # -- accounts -----------------------------------------------------------------
    def account(self, name, fresh=False):
        """The verbose account record by name (or guid), None when absent; cached."""
        key = str(name).lower()
        if fresh:
            self.accounts.forget(key)
        return self.accounts.get_or_compute(key, lambda: self.get_or_none(self.path("account", name)))

    def prime_accounts(self):
        """Bulk tasks: read every account this login sees with ONE listing (lean
        records: guid and name are all a reference needs), instead of one GET per
        account an item names. Done once per task."""
        def listing():
            for record in self.records("GET", self.path("account")):
                self.refs.put(str(record.get("username")).lower(), record)
            return True
        self.refs.get_or_compute("__primed__", listing)

    def account_ref(self, name):
        """An account an item refers to (its guid and name): from the primed listing
        when there is one (then authoritative: absent there means absent), else
        the verbose record."""
        if self.refs.get("__primed__", False):
            found = self.refs.get(str(name).lower(), None)
            if found is not None or not is_guid(name):
                return found
        return self.account(name)

    def forget_account(self, name):
        self.accounts.forget(str(name).lower())

    def remember_account(self, record):
        if record and record.get("username"):
            self.accounts.put(record["username"].lower(), record)

    # -- children of an account (numbers, routes, call rules, forks, prompts) -------
    def listing(self, account, collection, fresh=False):
        key = (str(account).lower(), collection)
        if fresh:
            self.listings.forget(key)
        return self.listings.get_or_compute(key, lambda: self.records("GET", self.path("account", account, collection)))

    def forget_listing(self, account, collection):
        self.listings.forget((str(account).lower(), collection))
