# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""References a task names by natural key (reseller name, domain name, billing
profile handle, customer external_id, contact e-mail) resolved to ids once per
run, in the run context's caches, shared by every item of a bulk task.

C5 filters are case-insensitive LIKEs and unknown filters are ignored: every
listed candidate is checked again locally (:func:`find_unique`), and more than
one match is an error, never a guess.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.context import find_unique
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, Unresolved, VoipError

RESELLERS = "c5.resellers"  # name -> id or None
DOMAINS = "c5.domains"  # lower-cased name -> domain object or None
BILLING_PROFILES = "c5.billing_profiles"  # (handle, reseller_id) -> id or None
CUSTOMERS = "c5.customers"  # external_id -> customer object or None
CUSTOMER_IDS = "c5.customer_ids"  # id -> exists and not terminated
CONTACT_IDS = "c5.contact_ids"  # (lower-cased e-mail, reseller_id) -> id or None
NAMED = "c5.named_references"  # (collection, lower-cased name, reseller_id) -> object or None
PROFILES = "c5.subscriber_profiles"  # (profile set id, lower-cased name) -> object or None

NCOS_SETS = "ncossets"
NCOS_SETS_PATH = "/api/v2/ncos/sets"

#: Preferences whose value names another object (spec §4.10): written and shown by
#: its name, stored as its id; the object must belong to the subscriber's reseller.
#: name -> (collection, the column holding the name, what it is called).
REFERENCE_PREFERENCES = {
    "ncos": ("ncoslevels", "level", "NCOS level"),
    "adm_ncos": ("ncoslevels", "level", "NCOS level"),
    "adm_cf_ncos": ("ncoslevels", "level", "NCOS level"),
    "rewrite_rule_set": ("rewriterulesets", "name", "rewrite rule set"),
    "sound_set": ("soundsets", "name", "sound set"),
    "contract_sound_set": ("soundsets", "name", "sound set"),
    "header_rule_set": ("headerrulesets", "name", "header rule set"),
    "emergency_mapping_container": ("emergencymappingcontainers", "name", "emergency mapping container"),
    # NCOS sets exist only in the C5's second API (/api/v2/ncos/sets); ngcp-panel's
    # v1 has no collection of them, but its preferences take and show their names.
    "ncos_set": (NCOS_SETS, "name", "NCOS set"),
    "adm_ncos_set": (NCOS_SETS, "name", "NCOS set"),
    "adm_cf_ncos_set": (NCOS_SETS, "name", "NCOS set"),
}
# Names unique platform-wide (a unique key on the name alone): looked up by name
# alone, so one of another reseller is reported as such rather than as unknown.
PLATFORM_UNIQUE = ("rewriterulesets", "headerrulesets")
# Where they are created, for messages.
CREATED_BY = {"ncoslevels": "/api/ncoslevels/", "rewriterulesets": "/api/rewriterulesets/", "soundsets": "/api/soundsets/",
              "subscriberprofilesets": "/api/subscriberprofilesets/", "subscriberprofiles": "/api/subscriberprofiles/",
              "headerrulesets": "/api/headerrulesets/", "billingnetworks": "/api/billingnetworks/",
              "emergencymappingcontainers": "/api/emergencymappingcontainers/",
              NCOS_SETS: "%s, the C5's v2 API" % NCOS_SETS_PATH}


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


class C5References:
    """The run's look-ups of referenced objects (thread-safe; each computed once)."""

    def __init__(self, api, run):
        self.api = api
        self.run = run

    def _find(self, resource, filters, match, what):
        return find_unique(self.api.list(resource, filters), match, what, plural=resource)

    def reseller_id(self, reseller, field="reseller"):
        """An id as is; a name looked up in /api/resellers/ (admins only)."""
        if reseller is None:
            return None
        if isinstance(reseller, int) or str(reseller).isdigit():
            return int(reseller)

        def lookup():
            found = self._find("resellers", {"name": reseller},
                               lambda r: r.get("name") == reseller and r.get("status") != "terminated",
                               "%s '%s'" % (field, reseller))
            return found["id"] if found else None
        found_id = self.run.cache(RESELLERS).get_or_compute(reseller, lookup)
        if found_id is None:
            raise Unresolved("%s: no reseller named '%s' exists; create it first or give its id" % (field, reseller))
        return found_id

    def domain(self, name, field="domain"):
        """The domain object named ``name`` (case-insensitive, as C5 compares), or None."""
        lowered = name.lower()

        def lookup():
            return self._find("domains", {"domain": name}, lambda d: str(d.get("domain", "")).lower() == lowered,
                              "%s '%s'" % (field, name))
        return self.run.cache(DOMAINS).get_or_compute(lowered, lookup)

    def forget_domain(self, name):
        self.run.cache(DOMAINS).forget(str(name).lower())

    def billing_profile_id(self, handle, reseller_id=None, field="billing_profile"):
        if handle is None:
            return None
        if isinstance(handle, int) or str(handle).isdigit():
            return int(handle)

        def lookup():
            filters = {"handle": handle}
            if reseller_id is not None:
                filters["reseller_id"] = reseller_id
            found = self._find(
                "billingprofiles", filters,
                lambda p: p.get("handle") == handle and (reseller_id is None or p.get("reseller_id") in (None, reseller_id)),
                "%s '%s'" % (field, handle))
            return found["id"] if found else None
        found_id = self.run.cache(BILLING_PROFILES).get_or_compute((handle, reseller_id), lookup)
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
            return self._find("customers", {"external_id": ref, "not_status": "terminated"},
                              lambda c: c.get("external_id") == ref and c.get("status") != "terminated",
                              "%s '%s'" % (field, ref))
        return self.run.cache(CUSTOMERS).get_or_compute(ref, lookup)

    def forget_customer(self, external_id):
        self.run.cache(CUSTOMERS).forget(external_id)

    def customer_id(self, ref=None, ref_id=None):
        """The id of the customer an item names by ``customer`` (external_id) or
        ``customer_id`` (None when it names none); Unresolved when it does not
        exist or is terminated."""
        if ref is not None:
            customer = self.customer(str(ref))
            if customer is None:
                raise Unresolved("customer: no customer with external_id '%s' exists (terminated ones do not count); "
                                 "create it first (voip.provisioning.c5_customer) or give customer_id" % ref)
            return customer["id"]
        if ref_id is None:
            return None

        def exists():
            customer = self.api.get("customers", int(ref_id))
            return bool(customer) and customer.get("status") != "terminated"
        if not self.run.cache(CUSTOMER_IDS).get_or_compute(ref_id, exists):
            raise Unresolved("customer_id: customer %s does not exist or is terminated; create the customer first "
                             "(voip.provisioning.c5_customer) or correct the id" % ref_id)
        return int(ref_id)

    def contact_id(self, email, reseller_id, field="contact"):
        """The id of the one customer contact with this e-mail within the reseller."""
        def lookup():
            found = matching_contacts(self.api, email, reseller_id)
            if len(found) > 1:
                raise VoipError("%s: e-mail '%s' is ambiguous, %d customer contacts have it (ids %s); give contact_id instead%s"
                                % (field, email, len(found), ", ".join(str(c.get("id")) for c in found),
                                   "" if reseller_id is not None else " or set reseller"))
            return found[0]["id"] if found else None
        found_id = self.run.cache(CONTACT_IDS).get_or_compute((str(email).strip().lower(), reseller_id), lookup)
        if found_id is None:
            raise Unresolved("%s: no customer contact with e-mail '%s'%s exists; create it first "
                             "(voip.provisioning.c5_customer_contact) or give contact_id"
                             % (field, email, "" if reseller_id is None else " in reseller %s" % reseller_id))
        return found_id

    # --- objects named by name within a reseller (reference preferences, profile sets) ---------
    def named(self, collection, column, name, reseller_id=None, what=None, field=None, reseller_filter=True):
        """The one object of ``collection`` whose ``column`` is ``name`` (compared
        case-insensitively, as the C5's collation does) within ``reseller_id``.
        Reseller logins do not see ``reseller_id``: a missing one matches.  None
        matches: Unresolved; several (sound set names repeat): an error naming them."""
        what = what or collection
        field = field or what
        lowered = str(name).lower()

        def lookup():
            filters = {column: name}
            if reseller_id is not None and reseller_filter:
                filters["reseller_id"] = reseller_id
            return [c for c in self._list(collection, filters) if str(c.get(column, "")).lower() == lowered]
        candidates = self.run.cache(NAMED).get_or_compute((collection, column, lowered, reseller_filter and reseller_id), lookup)
        mine = [c for c in candidates if reseller_id is None or c.get("reseller_id") in (None, reseller_id)]
        if len(mine) > 1:
            raise VoipError("%s: %s '%s' is ambiguous: %d %ss of %s have that name (ids %s); the C5 would take one "
                            "of them, so rename them apart first"
                            % (field, what, name, len(mine), what, "reseller %s" % reseller_id if reseller_id is not None
                               else "this login", ", ".join(str(c.get("id")) for c in mine)))
        if not mine:
            others = [c for c in candidates if c not in mine]
            if others:
                raise VoipError("%s: %s '%s' belongs to reseller %s, not to reseller %s (the subscriber's); the C5 only "
                                "takes one of the subscriber's reseller" % (field, what, name, others[0].get("reseller_id"),
                                                                            reseller_id))
            raise Unresolved("%s: no %s '%s' exists%s; create it first (%s) or correct the name"
                             % (field, what, name, "" if reseller_id is None else " for reseller %s" % reseller_id,
                                CREATED_BY.get(collection, collection)))
        return mine[0]

    def _list(self, collection, filters):
        """The objects of a v1 collection, or of the v2 NCOS sets (``Accept:
        application/json`` answers ``{"data": [...], "total_count": n}``)."""
        if collection != NCOS_SETS:
            return self.api.list(collection, filters)
        params = dict(filters, rows=1000)
        body = self.api.client.call("GET", NCOS_SETS_PATH, params=params, headers={"Accept": "application/json"})
        return list((body or {}).get("data") or []) if isinstance(body, dict) else []

    def reference_preference(self, preference, name, reseller_id):
        """The stored spelling of the object a reference preference names.  When
        the C5 has no collection to look it up in (HTTP 404: a C5 without the v2
        API has no NCOS sets to list, a CE none of header rule sets) the name is
        sent as given and the C5 checks it (422 "Unknown <what> '<name>'")."""
        collection, column, what = REFERENCE_PREFERENCES[preference]
        try:
            found = self.named(collection, column, name, reseller_id, what=what, field="preferences.%s" % preference,
                               reseller_filter=collection not in PLATFORM_UNIQUE)
        except ApiError as exc:
            if exc.status == 404:
                return name
            raise
        return found.get(column)

    def profile_set(self, ref, reseller_id=None, field="profile_set"):
        """A subscriber profile set by id (int) or name within the reseller."""
        if isinstance(ref, int) or str(ref).isdigit():
            found = self.api.get("subscriberprofilesets", int(ref))
            if found is None:
                raise Unresolved("%s: subscriber profile set %s does not exist; create it first (%s) or correct the id"
                                 % (field, ref, CREATED_BY["subscriberprofilesets"]))
            return found
        return self.named("subscriberprofilesets", "name", ref, reseller_id, what="subscriber profile set", field=field)

    def profile(self, ref, profile_set, field="profile"):
        """A subscriber profile of ``profile_set`` (an object) by id or name."""
        set_id = int(profile_set["id"])
        if isinstance(ref, int) or str(ref).isdigit():
            found = self.api.get("subscriberprofiles", int(ref))
            if found is None or int(found.get("profile_set_id") or 0) != set_id:
                raise Unresolved("%s: subscriber profile %s is not a profile of the set '%s' (id %s); give one of its "
                                 "profiles" % (field, ref, profile_set.get("name"), set_id))
            return found
        lowered = str(ref).lower()

        def lookup():
            return find_unique(self.api.list("subscriberprofiles", {"profile_set_id": set_id, "name": ref}),
                               lambda p: str(p.get("name", "")).lower() == lowered
                               and int(p.get("profile_set_id") or 0) == set_id,
                               "%s '%s'" % (field, ref), plural="subscriber profiles")
        found = self.run.cache(PROFILES).get_or_compute((set_id, lowered), lookup)
        if found is None:
            raise Unresolved("%s: the subscriber profile set '%s' (id %s) has no profile '%s'; create it first (%s) or "
                             "correct the name" % (field, profile_set.get("name"), set_id, ref, CREATED_BY["subscriberprofiles"]))
        return found
