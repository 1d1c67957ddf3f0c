# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Sipwise C5 (NGCP REST API v1) dialect: HAL collections, paging,
``Location`` ids, the C5 verbs and the C5 connection options.

Facts this code relies on (docs: ../shared/specs/c5-rest-api.md):
* collection URLs end with ``/`` (without it: a 301 that would turn a POST into a GET);
* ``_embedded."ngcp:<res>"`` is an array since mr6.4, a bare object before, and
  missing when the collection is empty;
* pages are asked for with ``page`` and ``rows``; a ``next`` link announces another
  page; ``total_count`` is the count (absent with ``no_count``);
* POST of the core resources answers 201 with an empty body: the id is in ``Location``;
* filters are LIKE-based and case-insensitive, unknown filters are ignored: every
  look-up result is checked again locally (by the callers).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.voip.provisioning.plugins.module_utils.core.auth import (
    BasicAuth, BearerToken, ClientCertificate, LoginForToken, connection_argument_spec)
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import open_client
from ansible_collections.voip.provisioning.plugins.module_utils.core.dialect import Dialect
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, VoipError

HAL_JSON = "application/json"
JSON_PATCH = "application/json-patch+json"
# A bounded page: big pages are slow on a real C5 (a 1000-row page of
# subscribers took ~29 s there); 100 rows keep each request short.
DEFAULT_PAGE_SIZE = 100


def id_from_location(location):
    match = re.search(r"/(\d+)/?$", location or "")
    return int(match.group(1)) if match else None


def embedded_items(page, resource):
    """Items of a HAL collection page: array, bare object (before mr6.4) or none."""
    embedded = (page or {}).get("_embedded") or {}
    items = embedded.get("ngcp:%s" % resource)
    if items is None:
        return []
    if isinstance(items, dict):
        return [items]
    return list(items)


def strip_hal(obj):
    if isinstance(obj, dict):
        return {k: v for k, v in obj.items() if k not in ("_links", "_embedded")}
    return obj


def self_link_id(obj):
    """The id a HAL object's ``_links.self.href`` names, or None.  Items of
    /api/callforwards/ carry no ``id`` key: their self link is the only id."""
    link = ((obj or {}).get("_links") or {}).get("self")
    if isinstance(link, list):
        link = link[0] if link else None
    return id_from_location((link or {}).get("href")) if isinstance(link, dict) else None


def resource_of(collection_path):
    """``/api/subscribers/`` -> ``subscribers``."""
    return collection_path.strip("/").split("/")[-1]


class C5Dialect(Dialect):
    """HAL+JSON bodies; ``page``/``rows`` paging while a ``next`` link is announced
    (the next page is asked for with our own parameters: the hrefs the server
    returns are not re-escaped, ``%`` comes back raw); the id of a create in
    ``Location``."""

    def page_request(self, path, params, page_number, page_size):
        query = dict(params or {})
        query.update(page=int(page_number), rows=int(page_size))
        return path, query

    def page_items(self, body, collection):
        return embedded_items(body if isinstance(body, dict) else {}, resource_of(collection))

    def page_has_next(self, body, items):
        return bool(((body or {}).get("_links") or {}).get("next")) and bool(items)

    def page_total(self, body):
        return (body or {}).get("total_count")

    def created(self, response, body):
        return id_from_location(response.headers.get("Location"))

    def forbidden_hint(self, method, path, who):
        # A C5 answers 403 when the login is valid but its role may not use the
        # resource: typically a reseller login on an admin-only resource
        # (resellers, other resellers' objects, admins, system settings).
        hint = ("%s is authenticated but not allowed to %s %s: a reseller login gets HTTP 403 on admin-only "
                "resources and on other resellers' objects; use an administrator login for this task, or check "
                "the login's role and reseller" % (who[0].upper() + who[1:], method, path))
        if who == BearerToken.label:
            # A token the C5 no longer accepts is "Invalid user" too (see JWT_LOGIN below);
            # auth_method jwt has already logged in again by then, a given token cannot.
            hint += "; a C5 also answers 403 to a token that has expired or whose login is inactive: get a new token"
        return hint


# --- connection -------------------------------------------------------------------------

# A token the C5 no longer accepts (expired by its clock, a new JWT key, the
# admin deactivated) is refused with 403 "Invalid user", not 401: ngcp-panel's
# Root::auto lets a request whose Bearer token does not verify go on without a
# user, and the API controllers' ACL action role then detaches to
# API::Root::invalid_user.  So a 403 on a cached token also means "log in again".
JWT_LOGIN = LoginForToken(
    "jwt", "/login_jwt",
    request_body=lambda values: {"username": values["username"], "password": values["password"]},
    token_from=lambda body: body.get("jwt") if isinstance(body, dict) else None,
    label="a JWT login", no_token_hint="use auth_method=basic or a client certificate",
    refused_statuses=(401, 403))

#: The C5's ways to authenticate.  Without ``auth_method``: ``token`` when a token
#: is set, else ``client_cert`` when a certificate is set, else ``basic``.
C5_STRATEGIES = (BearerToken(), ClientCertificate(), BasicAuth(), JWT_LOGIN)
C5_DEFAULT_METHOD = "basic"


def c5_argument_spec(**module_options):
    """The C5 connection options (doc fragment ``voip.provisioning.c5_connection``)
    plus the module's own."""
    spec = connection_argument_spec("C5", C5_STRATEGIES, C5_DEFAULT_METHOD,
                                    extra=dict(page_size=dict(type="int", default=DEFAULT_PAGE_SIZE)))
    spec.update(module_options)
    return spec


def c5_client(options, ctx):
    """An :class:`ApiClient` for the task's C5 (logged in when auth_method is jwt);
    a trailing ``/api`` in url is accepted and dropped."""
    return open_client(options, ctx.warn, C5Dialect(), C5_STRATEGIES, C5_DEFAULT_METHOD, "C5",
                       "https://c5.example.com:1443", url_suffix="/api")


# --- verbs ------------------------------------------------------------------------------

class C5Api:
    """Verbs over the C5 resources; every path keeps the collection's trailing slash."""

    def __init__(self, client, page_size=DEFAULT_PAGE_SIZE):
        self.client = client
        self.page_size = max(1, int(page_size or DEFAULT_PAGE_SIZE))

    @staticmethod
    def collection(resource):
        return "/api/%s/" % resource

    @staticmethod
    def item_path(resource, item_id):
        return "/api/%s/%s" % (resource, item_id)

    def list(self, resource, filters=None, rows=None):
        """Yield every item of a collection (without HAL links), page by page,
        never asking for more than ``rows`` per page."""
        for item in self.client.iterate(self.collection(resource), filters, rows or self.page_size):
            yield strip_hal(item)

    def list_pages(self, resource, filters=None, keep=None, max_pages=None, workers=1, count_first=False):
        """A bulk prefetch: :meth:`ApiClient.paginate` with ``keep`` defaulting to
        :func:`strip_hal` (``keep`` gets raw items, links included).  Returns
        ``(kept, complete)``; see ``paginate`` for ``max_pages``, ``workers`` and
        ``count_first``."""
        return self.client.paginate(self.collection(resource), filters, page_size=self.page_size,
                                    keep=keep or strip_hal, max_pages=max_pages, workers=workers,
                                    count_first=count_first)

    def get(self, resource, item_id, missing_ok=True):
        try:
            return strip_hal(self.client.call("GET", self.item_path(resource, item_id)))
        except ApiError as exc:
            if exc.status == 404 and missing_ok:
                return None
            raise

    def get_document(self, path):
        """A non-collection document such as /api/subscriberpreferencedefs/."""
        return strip_hal(self.client.call("GET", path))

    def create(self, resource, body):
        response = self.client.request("POST", self.collection(resource), json_body=body,
                                       headers={"Content-Type": "application/json"})
        new_id = self.client.dialect.created(response, None)
        if new_id is None:
            raise VoipError("POST %s answered %s without a Location header naming the new id"
                            % (self.collection(resource), response.status_code))
        return new_id

    def _representation(self, response, representation):
        if representation and response.status_code == 200 and response.content:
            return strip_hal(self.client.decode(response))
        return None

    def put(self, resource, item_id, body, representation=True):
        headers = {"Content-Type": "application/json",
                   "Prefer": "return=representation" if representation else "return=minimal"}
        response = self.client.request("PUT", self.item_path(resource, item_id), json_body=body, headers=headers)
        return self._representation(response, representation)

    def patch(self, resource, item_id, operations, representation=True):
        headers = {"Content-Type": JSON_PATCH,
                   "Prefer": "return=representation" if representation else "return=minimal"}
        response = self.client.request("PATCH", self.item_path(resource, item_id),
                                       data=json.dumps(operations), headers=headers)
        return self._representation(response, representation)

    def delete(self, resource, item_id):
        try:
            self.client.request("DELETE", self.item_path(resource, item_id))
        except ApiError as exc:
            if exc.status != 404:
                raise

    def find_one(self, resource, filters, match, what):
        """The single item among the filtered listing that ``match(item)`` accepts
        (filters are case-insensitive LIKEs, so candidates are re-checked)."""
        found = [item for item in self.list(resource, filters) if match(item)]
        if len(found) > 1:
            raise VoipError("%s is ambiguous: %d %s match (ids %s); name it by id instead"
                            % (what, len(found), resource, ", ".join(str(i.get("id")) for i in found)))
        return found[0] if found else None


def list_pages(api, resource, filters=None, keep=None, max_pages=None, workers=1, count_first=False):
    """:meth:`C5Api.list_pages` as a function (its callers' spelling)."""
    return C5Api.list_pages(api, resource, filters, keep=keep, max_pages=max_pages, workers=workers,
                            count_first=count_first)
