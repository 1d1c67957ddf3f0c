# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sipwise C5: the dialect, verbs and connection options are in c5/dialect.py.

Still here until they move to their own files of this package (the old flat
module c5.py became this package): value normalisations (spec §5.2),
references by natural key, run_c5, contacts by e-mail, time zones; and
re-exports of c5/dialect.py for the modules that import them from here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.c5.dialect import (  # noqa: F401 pylint: disable=unused-import
    DEFAULT_PAGE_SIZE, HAL_JSON, JSON_PATCH, C5Api, C5Dialect, c5_argument_spec, c5_client, embedded_items,
    id_from_location, list_pages, self_link_id, strip_hal)
from ansible_collections.voip.provisioning.plugins.module_utils.client import VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.engine import Engine, Unresolved


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
