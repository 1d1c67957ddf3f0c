# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Sipwise C5 (NGCP REST API v1) dialect: HAL collections, paging,
``Location`` ids, ``Prefer`` and the value normalisations of the spec's §5.2.

Facts this code relies on (docs: ../shared/specs/c5-rest-api.md):
* collection URLs end with ``/`` (without it: a 301 that would turn a POST into a GET);
* ``_embedded."ngcp:<res>"`` is an array since mr6.4, a bare object before, and
  missing when the collection is empty;
* POST of the core resources answers 201 with an empty body: the id is in ``Location``;
* filters are LIKE-based and case-insensitive, unknown filters are ignored: every
  look-up result is checked again locally.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import env_fallback

from ansible_collections.voip.provisioning.plugins.module_utils.client import ApiClient, ApiError, InputError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.engine import Engine, Unresolved
from ansible_collections.voip.provisioning.plugins.module_utils.options import connection_argument_spec

HAL_JSON = "application/json"
JSON_PATCH = "application/json-patch+json"
# A bounded page: big pages are slow on a real C5 (a 1000-row page of
# subscribers took ~29 s there); 100 rows keep each request short.
DEFAULT_PAGE_SIZE = 100


def c5_argument_spec(**module_options):
    spec = connection_argument_spec("C5")
    spec["auth_method"] = dict(type="str", choices=["basic", "jwt"], default="basic", fallback=(env_fallback, ["C5_AUTH_METHOD"]))
    spec["page_size"] = dict(type="int", default=DEFAULT_PAGE_SIZE, fallback=(env_fallback, ["C5_PAGE_SIZE"]))
    spec.update(module_options)
    return spec


def c5_client(options, ctx):
    url = options.get("url")
    if not url:
        raise InputError("url is required: set the option url (or the environment variable C5_URL) to the API base, "
                         "e.g. https://c5.example.com:1443")
    url = url.rstrip("/")
    if url.endswith("/api"):
        url = url[:-4]
    username = options.get("username")
    password = options.get("password")
    token = options.get("token")
    client_cert = options.get("client_cert")
    if not (token or client_cert or (username and password)):
        raise InputError("no credentials: set username and password (C5_USERNAME/C5_PASSWORD), or token (C5_TOKEN), "
                         "or client_cert and client_key (C5_CLIENT_CERT/C5_CLIENT_KEY)")
    use_password = bool(username and password and not token and not client_cert)
    jwt_login = use_password and options.get("auth_method") == "jwt"
    client = ApiClient(
        url, auth=(username, password) if use_password and not jwt_login else None, token=token, client_cert=client_cert, client_key=options.get("client_key"),
        validate_certs=options.get("validate_certs", True), ca_path=options.get("ca_path"),
        timeout=options.get("timeout", 120.0), retries=options.get("retries", 3),
        max_connections=options.get("workers", 2), warn=ctx.warn,
    )
    if jwt_login:
        # One password check per task instead of one per request: Basic auth
        # makes a C5 run bcrypt (~0.42 s of server CPU) on every call.
        answer = client.request("POST", "/login_jwt", json_body={"username": username, "password": password}).json()
        if not answer.get("jwt"):
            raise VoipError("POST /login_jwt answered without a token; use auth_method=basic or a client certificate")
        client.session.headers["Authorization"] = "Bearer %s" % answer["jwt"]
    return client


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
        """Yield every item of a collection, page by page, never asking for more
        than ``rows`` per page.  The next page is asked for with our own
        parameters (``page`` + 1) while the server announces a ``next`` link:
        the hrefs it returns are not re-escaped (``%`` comes back raw)."""
        rows = rows or self.page_size
        page = 1
        while True:
            params = dict(filters or {})
            params.update(page=page, rows=rows)
            body = self.client.request("GET", self.collection(resource), params=params).json()
            items = embedded_items(body, resource)
            for item in items:
                yield strip_hal(item)
            if not (body.get("_links") or {}).get("next") or not items:
                return
            page += 1

    def get(self, resource, item_id, missing_ok=True):
        try:
            return strip_hal(self.client.request("GET", self.item_path(resource, item_id)).json())
        except ApiError as exc:
            if exc.status == 404 and missing_ok:
                return None
            raise

    def get_document(self, path):
        """A non-collection document such as /api/subscriberpreferencedefs/."""
        return strip_hal(self.client.request("GET", path).json())

    def create(self, resource, body):
        response = self.client.request("POST", self.collection(resource), json_body=body,
                                       headers={"Content-Type": "application/json"})
        new_id = id_from_location(response.headers.get("Location"))
        if new_id is None:
            raise VoipError("POST %s answered %s without a Location header naming the new id"
                            % (self.collection(resource), response.status_code))
        return new_id

    def put(self, resource, item_id, body, representation=True):
        headers = {"Content-Type": "application/json",
                   "Prefer": "return=representation" if representation else "return=minimal"}
        response = self.client.request("PUT", self.item_path(resource, item_id), json_body=body, headers=headers)
        return strip_hal(response.json()) if representation and response.status_code == 200 and response.content else None

    def patch(self, resource, item_id, operations, representation=True):
        headers = {"Content-Type": JSON_PATCH,
                   "Prefer": "return=representation" if representation else "return=minimal"}
        response = self.client.request("PATCH", self.item_path(resource, item_id),
                                       data=json.dumps(operations), headers=headers)
        return strip_hal(response.json()) if representation and response.status_code == 200 and response.content else None

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


# --- normalisers (spec §5.2) -------------------------------------------------------

def norm_bool(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def norm_str(value):
    return None if value is None else str(value)


def norm_int(value):
    if value is None or value == "":
        return None
    return int(value)


# --- references by natural key, cached per run -----------------------------------------

class C5References:
    """Resolves the references a task names by natural key (reseller name, billing
    profile handle, customer external_id, contact e-mail, domain name) to ids, once
    per run, shared by every item of a bulk task."""

    def __init__(self, api, shared):
        self.api = api
        self.shared = shared

    def _cached(self, key, compute):
        cache = self.shared.setdefault("c5_refs", {})
        with self.shared["lock"]:
            if key in cache:
                return cache[key]
        value = compute()
        with self.shared["lock"]:
            cache[key] = value
        return value

    def forget(self, key):
        with self.shared["lock"]:
            self.shared.setdefault("c5_refs", {}).pop(key, None)

    def reseller_id(self, reseller, field="reseller"):
        """An id as is; a name looked up in /api/resellers/ (admins only)."""
        if reseller is None:
            return None
        if isinstance(reseller, int) or str(reseller).isdigit():
            return int(reseller)

        def lookup():
            found = self.api.find_one("resellers", {"name": reseller},
                                      lambda r: r.get("name") == reseller and r.get("status") != "terminated",
                                      "%s '%s'" % (field, reseller))
            return found["id"] if found else None
        found_id = self._cached(("reseller", reseller), lookup)
        if found_id is None:
            raise Unresolved("%s: no reseller named '%s' exists; create it first or give its id" % (field, reseller))
        return found_id

    def domain(self, name, field="domain"):
        """The domain object named ``name`` (case-insensitive, as C5 compares), or None."""
        lowered = name.lower()

        def lookup():
            return self.api.find_one("domains", {"domain": name}, lambda d: str(d.get("domain", "")).lower() == lowered,
                                     "%s '%s'" % (field, name))
        return self._cached(("domain", lowered), lookup)

    def billing_profile_id(self, handle, reseller_id=None, field="billing_profile"):
        if handle is None:
            return None
        if isinstance(handle, int) or str(handle).isdigit():
            return int(handle)

        def lookup():
            filters = {"handle": handle}
            if reseller_id is not None:
                filters["reseller_id"] = reseller_id
            found = self.api.find_one(
                "billingprofiles", filters,
                lambda p: p.get("handle") == handle and (reseller_id is None or p.get("reseller_id") in (None, reseller_id)),
                "%s '%s'" % (field, handle))
            return found["id"] if found else None
        found_id = self._cached(("billingprofile", handle, reseller_id), lookup)
        if found_id is None:
            raise Unresolved("%s: no billing profile with handle '%s'%s exists; check the handle or create the profile first"
                             % (field, handle, "" if reseller_id is None else " for reseller %s" % reseller_id))
        return found_id

    def customer(self, ref, field="customer"):
        """A customer by id (int) or by external_id (str); terminated customers are
        skipped (they stay listed but can no longer be used)."""
        if ref is None:
            return None
        if isinstance(ref, int):
            customer = self.api.get("customers", ref)
            return customer if customer and customer.get("status") != "terminated" else None

        def lookup():
            return self.api.find_one(
                "customers", {"external_id": ref, "not_status": "terminated"},
                lambda c: c.get("external_id") == ref and c.get("status") != "terminated",
                "%s '%s'" % (field, ref))
        return self._cached(("customer", ref), lookup)


def run_c5(resource_class, options, ctx):
    """Run a C5 resource module: one object, or every entry of ``items``."""
    client = c5_client(options, ctx)
    try:
        engine = Engine(resource_class, C5Api(client, options.get("page_size")), options, ctx)
        result = engine.run(options, options.get("items"))
    finally:
        client.close()
    return result


# --- raw collection pages (generic; used where HAL links or total_count matter) ----------

def self_link_id(obj):
    """The id a HAL object's ``_links.self.href`` names, or None.  Items of
    /api/callforwards/ carry no ``id`` key: their self link is the only id."""
    link = ((obj or {}).get("_links") or {}).get("self")
    if isinstance(link, list):
        link = link[0] if link else None
    return id_from_location((link or {}).get("href")) if isinstance(link, dict) else None


def collection_page(api, resource, filters=None, page=1, rows=None):
    """One page of a collection, unstripped: ``(items, total_count, has_next)``.

    ``items`` keep their ``_links``; ``total_count`` is None when the server
    did not count (``no_count``); ``has_next`` follows the ``next`` link."""
    params = dict(filters or {})
    params.update(page=int(page), rows=int(rows or api.page_size))
    body = api.client.request("GET", api.collection(resource), params=params).json()
    items = embedded_items(body, resource)
    has_next = bool((body.get("_links") or {}).get("next")) and bool(items)
    return items, body.get("total_count"), has_next


def list_pages(api, resource, filters=None, keep=None, max_pages=None, workers=1, count_first=False):
    """Read a whole collection page by page for a bulk prefetch, keeping only what
    ``keep(raw_item)`` returns (None drops the item), so that a big platform is never
    held in memory whole.  Returns ``(kept, complete)``.

    When the listing would take more than ``max_pages`` pages it stops (``complete``
    False: the caller falls back to one request per object, which is then cheaper).
    With a known count the pages are read ``workers`` at a time (the client's pool
    never opens more connections than that); without one they are followed one by
    one.  ``count_first`` asks for the count with a one-row request, so that a
    listing that does not pay costs one cheap request instead of a full page."""
    keep = keep or strip_hal
    rows = api.page_size
    kept = []

    def read(page):
        return collection_page(api, resource, filters, page=page, rows=rows)

    def take(items):
        for raw in items:
            value = keep(raw)
            if value is not None:
                kept.append(value)

    if count_first and max_pages is not None:
        total = collection_page(api, resource, filters, page=1, rows=1)[1]
        first_page = 0
    else:
        items, total, has_next = read(1)
        take(items)
        if not has_next:
            return kept, True
        first_page = 1

    if total is None:
        # No count (no_count servers): follow the pages one by one.
        page, has_next = first_page, True
        while has_next:
            page += 1
            if max_pages is not None and page > max_pages:
                return kept, False
            items, _total, has_next = read(page)
            take(items)
        return kept, True

    pages = (int(total) + rows - 1) // rows
    if max_pages is not None and pages > max_pages:
        return kept, False
    remaining = list(range(first_page + 1, pages + 1))
    if workers > 1 and len(remaining) > 1:
        with ThreadPoolExecutor(max_workers=min(workers, len(remaining))) as pool:
            for items, _total, _next in pool.map(read, remaining):
                take(items)
    else:
        for page in remaining:
            take(read(page)[0])
    return kept, True


# --- customer contacts by e-mail, time zone names (generic; contacts, customers, subscribers) ---

def matching_contacts(api, email, reseller_id=None):
    """The customer contacts whose e-mail is ``email`` (compared case-insensitively,
    as the server's filter does) within ``reseller_id``.  E-mail is not unique on a
    C5: the caller decides what several matches mean.  Reseller logins do not see
    ``reseller_id`` (only their own contacts), so a missing one matches."""
    filters = {"email": email}
    if reseller_id is not None:
        filters["reseller_id"] = reseller_id
    wanted = str(email).strip().lower()
    return [c for c in api.list("customercontacts", filters)
            if str(c.get("email") or "").strip().lower() == wanted
            and (reseller_id is None or c.get("reseller_id") in (None, reseller_id))]


_TZ_LINKS = None
# Used when the controller has no /usr/share/zoneinfo/tzdata.zi to read the links from.
_TZ_FALLBACK_LINKS = {
    "US/Eastern": "America/New_York", "US/Central": "America/Chicago", "US/Mountain": "America/Denver",
    "US/Pacific": "America/Los_Angeles", "US/Alaska": "America/Anchorage", "US/Hawaii": "Pacific/Honolulu",
    "GB": "Europe/London", "UTC": "Etc/UTC", "GMT": "Etc/GMT", "Asia/Calcutta": "Asia/Kolkata",
    "Europe/Kiev": "Europe/Kyiv", "Asia/Saigon": "Asia/Ho_Chi_Minh", "Japan": "Asia/Tokyo",
}


def canonical_timezone(name):
    """The target of a time zone link name (``US/Eastern`` -> ``America/New_York``),
    as the C5 stores it (spec §4.4); other names unchanged."""
    global _TZ_LINKS
    if name is None:
        return None
    if _TZ_LINKS is None:
        links = dict(_TZ_FALLBACK_LINKS)
        try:
            with open("/usr/share/zoneinfo/tzdata.zi") as handle:
                for line in handle:
                    if line.startswith("L "):
                        parts = line.split()
                        if len(parts) >= 3:
                            links[parts[2]] = parts[1]
        except (IOError, OSError):
            pass
        _TZ_LINKS = links
    seen = set()
    while name in _TZ_LINKS and name not in seen:
        seen.add(name)
        name = _TZ_LINKS[name]
    return name


def same_timezone(current, wanted):
    """Whether the server's zone name and the wanted one name the same zone."""
    if current == wanted:
        return True
    if not current or not wanted:
        return not current and not wanted
    return canonical_timezone(current) == canonical_timezone(wanted)
