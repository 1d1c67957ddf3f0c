# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The generic desired-state engine: one flow function, a plan per resource kind.

A module declares a resource class of one of four kinds and calls
:func:`run_resource`; the engine does the rest the same way for every module of
every platform: normalise the wanted state, read the current one, compare only
what the user set, write only what differs (nothing in check mode, with the same
predicted result), report ``changed``, the object and a ``diff`` whose secrets
are masked -- for one object, or for every entry of ``items`` on bounded workers.

Kinds (each its own plan, check-mode and diff behaviour):

* :class:`ObjectResource` -- an object in a collection, found by a natural key:
  created, updated field by field, deleted.  A create that failed in a way that
  may have reached the server is followed by a fresh look-up, never blindly
  repeated.
* :class:`SettingsResource` -- a document that always exists with its owner (call
  forwards, preferences): read and written, never created or deleted;
  ``state: absent`` writes what :meth:`SettingsResource.defaults` restores.
* :class:`EntrySetResource` -- entries under a parent (routes, call rules):
  matched by their defining fields, created when missing, updated or replaced when
  they differ, optionally ``exclusive`` (unlisted entries are deleted), in order;
  a retried create looks again first (or uses a client-chosen id), so a lost
  answer never duplicates an entry.
* :class:`LeaseResource` -- an object with an expiry (subscriptions): created when
  missing, renewed within ``renew_margin`` seconds of its expiry, duplicates
  removed (the one that lasts longest is kept), all deleted for ``absent``; an
  asked lifetime beyond the platform's maximum fails before any write.

Resources never talk to Ansible: they get the platform API object, the task's
options and the :class:`~.context.RunContext` (checks, caches, clock, warnings).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import (
    ApiError, ConnectionFailed, InputError, Unresolved, VoipError, bulk_failure_message,
)
from ansible_collections.voip.provisioning.plugins.module_utils.core.fields import MASK, MASK_CHANGED, FieldSet, mask

__all__ = ["MASK", "MASK_CHANGED", "Resource", "ObjectResource", "SettingsResource", "EntrySetResource",
           "LeaseResource", "run_resource", "mask", "Unresolved"]

#: Longest single wait between create attempts, whatever Retry-After says.
MAX_RETRY_WAIT = 60.0


class Resource:
    """What every kind shares.  Subclasses set the class attributes and implement
    their kind's methods; they never talk to Ansible, only to ``self.api``.

    One instance serves one item (it may keep per-item state between its
    methods); :meth:`prefetch` runs on an instance of its own before the items."""

    #: the result key and the name in messages ("subscriber").
    name = "object"
    #: "object", "settings", "entry_set" or "lease" (set by the kind classes).
    kind = None
    #: the declared fields (argument specs, compare, masking come from them).
    fields = FieldSet()
    #: option names that identify the object, for messages.
    key = ()
    #: more keys to mask, for documents whose keys are not declared fields
    #: (a preference that is a password).
    secret_keys = ()
    #: when a secret that cannot be compared is written: None follows the task's
    #: ``update_password`` (default ``on_create``); "always" writes it when given.
    secret_policy = None

    def __init__(self, api, options, run):
        self.api = api
        self.options = options  # the task's options (an Options view)
        self.run = run  # the RunContext

    @property
    def ctx(self):
        return self.run

    # --- identity, desired state, view ------------------------------------------------------
    def identity(self, item):
        """A short text naming the object, for messages and the ``item`` of bulk results."""
        return ", ".join("%s=%s" % (k, item.get(k)) for k in self.key)

    def desired(self, item):
        """The normalised wanted state: only the fields the user set, references
        resolved.  Raise InputError / Unresolved for bad input."""
        return self.fields.desired(item, resolver=self)

    def view(self, raw):
        """The comparable form of a server object."""
        return self.fields.view(raw)

    def result_object(self, raw):
        """What the module returns as the object (the engine masks the secrets)."""
        return raw

    def prefetch(self, items):
        """Bulk hook: load what many items need with few requests."""

    def validate(self, item):
        """Check the item's input with the platform's rules, without any request;
        raise InputError naming the field and the fix.  :func:`run_resource` asks
        every item before the first request, so one invalid entry of ``items``
        stops the task before anything is written (unless ``continue_on_error``).
        Default: nothing to check here (``desired`` still checks at its turn)."""

    def differs(self, name, current, wanted):
        return self.fields.differs(name, current, wanted)

    def hidden(self):
        return tuple(self.fields.hidden) + tuple(self.secret_keys)

    def write_only(self):
        return tuple(self.fields.write_only)

    def changes(self, item, current, desired):
        """The names the user set whose value differs from the server's.  Secrets
        the server does not show are written only when the policy says so."""
        policy = self.secret_policy or item.get("update_password", "on_create")
        write_only = self.write_only()
        hidden = self.hidden()
        found = []
        for name, wanted in desired.items():
            if name in write_only or (name in hidden and name not in current):
                if policy == "always" and wanted is not None:
                    found.append(name)
                continue
            if self.differs(name, current.get(name), wanted):
                found.append(name)
        return found

    # --- results -------------------------------------------------------------------------------
    def result(self, changed, raw, before, after, changed_secrets=(), **extra):
        hidden = self.hidden()
        result = {"changed": changed}
        if raw is not None:
            result[self.name] = mask(self.result_object(raw), hidden)
        if self.run.diff:
            result["diff"] = {"before": mask(before, hidden), "after": mask(after, hidden, changed_secrets)}
        result.update(extra)
        return result

    def unresolved(self, item, exc):
        """What an item whose reference is missing means: in check mode for
        ``present`` a change (an earlier task may create it), for ``absent`` no
        change (what it belongs to does not exist, so neither does it)."""
        state = item.get("state", "present")
        if self.run.check_mode and state == "present":
            self.run.warn("%s (%s): %s; in check mode this is assumed to be created by an earlier task"
                          % (self.name, self.identity(item), exc))
            return {"changed": True, "unresolved": str(exc)}
        if state == "absent":
            return {"changed": False}
        raise exc

    def create_once(self, item, create, find_fresh, what=None):
        """Run ``create()`` without ever turning one create into two objects.

        After a failure that may have reached the server (no answer, 5xx, 429),
        ``find_fresh()`` looks again: found means the create did happen.  Absent,
        it is sent again (after a backoff, up to ``retries``) only when the error is
        ``retryable`` (no answer, or 429/502/503/504); any other 5xx is the
        server's verdict on this request and is reported."""
        retries = int(self.options.get("retries", 3))
        what = what or "%s (%s)" % (self.name, self.identity(item))
        attempt = 0
        while True:
            try:
                return create()
            except ApiError as exc:
                if exc.status is not None and exc.status < 500 and exc.status != 429:
                    raise
                if attempt >= retries:
                    raise
                found = find_fresh()
                if found is not None:
                    self.run.warn("%s: the create answered '%s' but the object exists: using it" % (what, exc))
                    return found
                if not exc.retryable:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else 0.5 * (2 ** attempt)
                self.run.warn("%s: create failed (%s); it is not there, so retrying in %.1f s" % (what, exc, wait))
                self.run.sleep(min(wait, MAX_RETRY_WAIT))
                attempt += 1

    def converge(self, item):
        raise NotImplementedError

    # --- moves between the items of a bulk task ------------------------------------------------
    #: True for resources whose items can take something another item gives up
    #: (a number moving from one subscriber to another): a bulk task then frees
    #: every such thing before any item takes it (see :func:`run_resource`).
    moves = False

    def claims(self, item):
        """``(releases, claims)``: what the item's write would free and take
        (hashable tokens), found without writing; None when it cannot tell."""
        return None

    def release(self, item, tokens):
        """Write only what frees ``tokens`` (the rest is left to :meth:`converge`);
        return the view of the object before, or None when there is nothing."""
        raise NotImplementedError


class ObjectResource(Resource):
    """An object in a collection, found by its natural key."""

    kind = "object"

    def find(self, item, desired):
        """The current raw object, or None."""
        raise NotImplementedError

    def find_fresh(self, item, desired):
        """Like find, bypassing look-up caches: used after a create whose outcome
        is unknown.  Resources that cache look-ups override it."""
        return self.find(item, desired)

    def create(self, item, desired):
        """Create; return the new raw object."""
        raise NotImplementedError

    def update(self, item, raw, desired, changes):
        """Bring ``raw`` to ``desired`` (``changes`` names the differing fields);
        return the new raw object, or None when the answer does not hold it."""
        raise NotImplementedError

    def delete(self, item, raw):
        raise NotImplementedError

    def absent_view(self):
        """The diff's ``after`` of a deletion."""
        return {}

    def converge(self, item):
        state = item.get("state", "present")
        try:
            desired = self.desired(item)
        except Unresolved as exc:
            return self.unresolved(item, exc)
        current_raw = self.find(item, desired)

        if state == "absent":
            if current_raw is None:
                return {"changed": False}
            before = self.view(current_raw)
            if not self.run.check_mode:
                self.delete(item, current_raw)
            return self.result(True, None, before, self.absent_view())

        if current_raw is None:
            after = dict(desired)
            if self.run.check_mode:
                return self.result(True, None, {}, after)
            raw = self.create_once(item, lambda: self.create(item, desired), lambda: self.find_fresh(item, desired))
            return self.result(True, raw, {}, self.view(raw) if raw else after)
        return update_plan(self, item, current_raw, desired, self.update)


def update_plan(resource, item, current_raw, desired, write):
    """Compare and, when something differs, write: the update half that objects
    and settings documents share."""
    current = resource.view(current_raw)
    changes = resource.changes(item, current, desired)
    if not changes:
        return resource.result(False, current_raw, current, current)
    after = dict(current)
    for name in changes:
        after[name] = desired.get(name)
    hidden = resource.hidden()
    changed_secrets = [name for name in changes if name in hidden]
    if resource.run.check_mode:
        return resource.result(True, current_raw, current, after, changed_secrets)
    raw = write(item, current_raw, desired, changes)
    if raw is not None:
        after = resource.view(raw)
        for name in changed_secrets:
            # The server does not return a written secret: show it as changed (masked).
            after[name] = desired.get(name)
    return resource.result(True, raw if raw is not None else current_raw, current, after, changed_secrets)


class SettingsResource(Resource):
    """A document that always exists with its owner: read, compared, written;
    never created or deleted.  ``state: absent`` writes :meth:`defaults`."""

    kind = "settings"

    def read(self, item, desired):
        """The current raw document.  Raise Unresolved when its owner is missing."""
        raise NotImplementedError

    def write(self, item, raw, desired, changes):
        """Write the changed settings; return the new raw document or None."""
        raise NotImplementedError

    def defaults(self, item):
        """What ``state: absent`` restores, in the desired form (checked before
        anything is read)."""
        raise NotImplementedError

    def complete(self, item, raw, desired):
        """The desired state once the current document is known (for settings
        that depend on it: the owner's domain, "remove the others")."""
        return desired

    def converge(self, item):
        absent = item.get("state", "present") == "absent"
        try:
            desired = self.defaults(item) if absent else self.desired(item)
            raw = self.read(item, desired)
        except Unresolved as exc:
            return self.unresolved(item, exc)
        if not absent:
            desired = self.complete(item, raw, desired)
        return update_plan(self, item, raw, desired, self.write)


class EntrySetResource(Resource):
    """Entries under a parent, matched by their defining fields.

    Task options: ``entries`` (a list of dicts, the entry fields), ``exclusive``
    (delete the entries not listed), ``state`` (``absent`` deletes the listed
    entries, or every entry when none is listed).  ``fields`` are the task's
    options (the parent's name ...); ``entry_fields`` those of one entry.

    When ``order_field`` is set, an entry that does not give its order gets its
    position (1-based) in ``entries``; several entries may share an order, and
    entries are created in that order (stable), so an append-only API ends up
    in the listed order."""

    kind = "entry_set"
    entry_fields = FieldSet()
    #: the option holding the list of entries.
    entries_option = "entries"
    order_field = None
    #: whether the entries' order in the listing matters (an append-only list
    #: whose order is its meaning): see :meth:`misplaced`.
    ordered = False

    # --- what a subclass implements ---------------------------------------------------------
    def parent(self, item):
        """The parent object (or its id).  Raise Unresolved when it is missing."""
        raise NotImplementedError

    def entries(self, parent):
        """The current raw entries of the parent (a fresh listing)."""
        raise NotImplementedError

    def entry_key(self, view):
        """The defining fields of an entry view, hashable (defaults to the
        ``key=True`` entry fields)."""
        return tuple((name, _hashable(view.get(name))) for name in self.entry_fields.keys)

    def match_key(self, view, item):
        """What the plan matches entries by: the key of an entry view for the task
        (or bulk item) ``item``, whose options may say how to match (XC5
        ``match_by``).  Defaults to :meth:`entry_key`, so a resource that only
        overrides ``entry_key(view)`` keeps working."""
        return self.entry_key(view)

    def entry_view(self, raw):
        return self.entry_fields.view(raw)

    def entry_desired(self, entry, position):
        desired = self.entry_fields.desired(entry, resolver=self)
        if self.order_field and desired.get(self.order_field) is None:
            desired[self.order_field] = position
        return desired

    def create_entry(self, parent, desired, entry_id=None):
        """Create one entry (under ``entry_id`` when :meth:`client_id` gave one);
        return its raw form."""
        raise NotImplementedError

    #: set to a method ``update_entry(parent, raw, desired, changes) -> raw`` when
    #: the API can change an entry in place; without it a differing entry is
    #: deleted and created again.
    update_entry = None

    def delete_entry(self, parent, raw):
        raise NotImplementedError

    def client_id(self, parent, desired):
        """An id for a new entry chosen by the client, where the API allows it
        (then a retried create cannot duplicate); None otherwise."""
        return None

    def entry_differs(self, current, desired):
        return [name for name, wanted in desired.items()
                if self.entry_fields.differs(name, current.get(name), wanted)]

    def identity(self, item):
        return Resource.identity(self, item) or self.name

    # --- the plan ---------------------------------------------------------------------------------
    def plan(self, item, parent):
        """``(raws, views, actions, after)``: the current entries and their views, the actions
        (("create", desired) / ("update", raw, desired, changes) / ("replace", raw, desired)
        / ("delete", raw)) in the order they run, and the predicted entries."""
        raws = self.entries(parent)
        views = [self.entry_view(raw) for raw in raws]
        state = item.get("state", "present")
        listed = item.get(self.entries_option)
        wanted = [self.entry_desired(dict(entry), index + 1) for index, entry in enumerate(listed or [])]
        if self.order_field:
            wanted = sorted(wanted, key=lambda d: _order_key(d.get(self.order_field)))
        unused = list(range(len(raws)))
        actions = []
        after = []
        if state == "absent":
            keys = set(self.match_key(d, item) for d in wanted)
            for index in unused:
                if listed is None or self.match_key(views[index], item) in keys:
                    actions.append(("delete", raws[index]))
                else:
                    after.append(views[index])
            return raws, views, actions, after
        matched = []  # (desired, index of the current entry or None, changed names), in the wanted order
        for desired in wanted:
            key = self.match_key(desired, item)
            match = next((i for i in unused if self.match_key(views[i], item) == key), None)
            if match is not None:
                unused.remove(match)
            matched.append((desired, match, self.entry_differs(views[match], desired) if match is not None else []))
        tail = self.misplaced(matched)
        creates = []
        for position, (desired, match, changes) in enumerate(matched):
            if match is None or position >= tail:
                if match is not None:
                    actions.append(("delete", raws[match]))  # created again at the end, in order
                creates.append(("create", desired))
                after.append(dict(views[match], **desired) if match is not None else dict(desired))
            elif not changes:
                after.append(views[match])
            else:
                after.append(dict(views[match], **desired))
                if self.update_entry is not None:
                    actions.append(("update", raws[match], desired, changes))
                else:
                    actions.append(("replace", raws[match], desired))
        kept = []
        for index in unused:
            if item.get("exclusive"):
                actions.insert(0, ("delete", raws[index]))
            else:
                kept.append(views[index])
        return raws, views, actions + creates, kept + after

    def misplaced(self, matched):
        """The position in the wanted list from which the entries must be created
        again to stand in the listed order (len(matched): none).  Only for
        ``ordered`` entry sets: an append-only API puts every new (or replaced)
        entry at the end, so from the first entry that is new, replaced, or
        listed before one that stands ahead of it, all are created again."""
        if not self.ordered:
            return len(matched)
        last = -1
        for position, (_desired, match, changes) in enumerate(matched):
            if match is None or match < last or (changes and self.update_entry is None):
                if match is None and all(m is None for _d, m, _c in matched[position:]):
                    return len(matched)  # only new entries from here: appended in order anyway
                return position
            last = match
        return len(matched)

    def converge(self, item):
        try:
            parent = self.parent(item)
        except Unresolved as exc:
            return self.unresolved(item, exc)
        _raws, before, actions, after = self.plan(item, parent)
        if not actions:
            return self.entries_result(False, before, before, after)
        if self.run.check_mode:
            return self.entries_result(True, before, after, after)
        for action in actions:
            if action[0] == "delete":
                self.delete_entry(parent, action[1])
            elif action[0] == "update":
                self.update_entry(parent, action[1], action[2], action[3])
            elif action[0] == "replace":
                self.delete_entry(parent, action[1])
                self._create_entry(item, parent, action[2])
            else:
                self._create_entry(item, parent, action[1])
        final = [self.entry_view(raw) for raw in self.entries(parent)]
        return self.entries_result(True, before, final, final)

    def entries_result(self, changed, before, after, entries):
        """The result: the entries (their views: what the module compares; in check
        mode the predicted ones) and a diff under the entries option."""
        hidden = self.hidden() + tuple(self.entry_fields.hidden)
        result = {"changed": changed, self.name: [mask(e, hidden) for e in entries]}
        if self.run.diff:
            result["diff"] = {"before": {self.entries_option: [mask(e, hidden) for e in before]},
                              "after": {self.entries_option: [mask(e, hidden) for e in after]}}
        return result

    def _create_entry(self, item, parent, desired):
        entry_id = self.client_id(parent, desired)
        key = self.match_key(desired, item)

        def find_fresh():
            # Look again: the lost answer may have been a success (the plan only
            # creates keys that were not there, so a match is this create's).
            for raw in self.entries(parent):
                if self.match_key(self.entry_view(raw), item) == key:
                    return raw
            return None

        what = "%s (%s) entry %s" % (self.name, self.identity(item), ", ".join("%s=%s" % pair for pair in key))
        return self.create_once(item, lambda: self.create_entry(parent, desired, entry_id), find_fresh, what=what)


class LeaseResource(Resource):
    """An object with an expiry: created when missing, renewed within
    ``renew_margin`` seconds of its expiry (an expired one too), duplicates
    removed (the one that lasts longest is kept), all deleted for ``absent``.

    Task options read: ``state``, ``renew_margin`` (seconds, default
    :attr:`default_margin`), ``lifetime`` (seconds asked for; default
    :attr:`max_lifetime`), ``exclusive`` (see :meth:`rivals`).  A lifetime
    beyond :attr:`max_lifetime` is an InputError before any request.

    A task may fix the expiry instead of a lifetime (:meth:`fixed_expiry`):
    the lease is then renewed only when it ends earlier than that (by more
    than :attr:`clock_slack`), not within a margin.  "Now" is the run
    context's clock, which a platform whose server times the leases sets to
    the server's (:meth:`~.context.RunContext.set_clock`)."""

    kind = "lease"
    #: the longest lifetime the platform grants, in seconds.
    max_lifetime = 3 * 24 * 3600
    default_margin = 3600
    #: seconds between reading "now" and the server applying a lease: a new
    #: expiry stays this far below ``now + max_lifetime`` (the server checks
    #: its cap when the request arrives), and a lease that ends within it of a
    #: fixed expiry is not renewed.
    clock_slack = 0

    def leases(self, item, desired):
        """The current raw leases the item names (several are duplicates)."""
        raise NotImplementedError

    def expires(self, view):
        """The expiry of a lease view, in epoch seconds."""
        raise NotImplementedError

    def create(self, item, desired):
        raise NotImplementedError

    def renew(self, item, raw, desired):
        """Extend (and bring to ``desired``) one lease; return its raw form."""
        raise NotImplementedError

    def delete(self, item, raw):
        raise NotImplementedError

    def fixed_expiry(self, item):
        """The expiry the task fixes (epoch seconds, e.g. from an ``expires``
        option), or None (default): the lease lasts ``lifetime`` and is renewed
        within ``renew_margin`` of its end.  Only asked for ``state: present``,
        after :meth:`lifetime` (which checks the task's input)."""
        return None

    def rivals(self, item, desired):
        """The raw leases that this one replaces when the task sets
        ``exclusive`` (e.g. subscriptions of other users to the same URL, which
        would deliver twice): deleted after the lease's own plan, their ids
        returned as ``removed_other``.  Default: none."""
        return []

    def lease_id(self, raw):
        return raw.get("id")

    def lifetime(self, item):
        lifetime = seconds_option(item, "lifetime", self.max_lifetime, minimum=0, inclusive=False)
        if lifetime > self.max_lifetime:
            raise InputError("lifetime: %s seconds is beyond what the platform grants (%d seconds at most); "
                             "ask for %d or less" % (item.get("lifetime"), self.max_lifetime, self.max_lifetime))
        return lifetime

    def margin(self, item):
        return seconds_option(item, "renew_margin", self.default_margin, minimum=0)

    def expiry_margin(self, expiry):
        """The margin that renews a lease only when it ends earlier than
        ``expiry`` -- or than what a renewal can give now, when that is sooner --
        by more than :attr:`clock_slack` (so a second run changes nothing)."""
        now = self.run.now()
        target = min(expiry, now + self.max_lifetime - self.clock_slack)
        return max(0.0, target - now - self.clock_slack)

    def new_expiry(self, lifetime):
        """The expiry a create or renewal asks for: now + ``lifetime``, kept
        :attr:`clock_slack` below the platform's cap."""
        return self.run.now() + min(lifetime, self.max_lifetime - self.clock_slack)

    def converge(self, item):
        state = item.get("state", "present")
        try:
            lifetime = self.lifetime(item) if state == "present" else None
            expiry = self.fixed_expiry(item) if state == "present" else None
            margin = self.margin(item) if expiry is None else self.expiry_margin(expiry)
            desired = self.desired(item)
        except Unresolved as exc:
            return self.unresolved(item, exc)
        result = self.converge_lease(item, state, margin, desired)
        if item.get("exclusive"):
            self.remove_rivals(item, desired, result)
        return result

    def converge_lease(self, item, state, margin, desired):
        """The plan of the item's own lease (and its duplicates)."""
        now = self.run.now()
        raws = self.leases(item, desired)
        views = [self.view(raw) for raw in raws]
        if state == "absent":
            if not raws:
                return {"changed": False}
            if not self.run.check_mode:
                for raw in raws:
                    self.delete(item, raw)
            return self.result(True, None, views[0] if len(views) == 1 else {"leases": views}, {})
        if not raws:
            after = dict(desired)
            if self.run.check_mode:
                return self.result(True, None, {}, after)
            raw = self.create_once(item, lambda: self.create(item, desired), lambda: self._latest(item, desired))
            return self.result(True, raw, {}, self.view(raw) if raw else after)
        order = sorted(range(len(raws)), key=lambda i: self.expires(views[i]) or 0, reverse=True)
        keep, duplicates = order[0], order[1:]
        current = views[keep]
        changes = self.changes(item, current, desired)
        expires = self.expires(current) or 0
        renew = bool(changes) or expires - now <= margin
        if not renew and not duplicates:
            return self.result(False, raws[keep], current, current)
        after = dict(current)
        after.update(dict((name, desired.get(name)) for name in changes))
        if self.run.check_mode:
            return self.result(True, raws[keep], current, after, removed=len(duplicates))
        for index in duplicates:
            self.delete(item, raws[index])
        raw = self.renew(item, raws[keep], desired) if renew else raws[keep]
        return self.result(True, raw, current, self.view(raw) if raw is not None else after, removed=len(duplicates))

    def remove_rivals(self, item, desired, result):
        """``exclusive``: delete :meth:`rivals` (not in check mode); a change when
        there were any; their ids as ``removed_other``."""
        others = self.rivals(item, desired)
        if others:
            if not self.run.check_mode:
                for raw in others:
                    self.delete(item, raw)
            result["changed"] = True
        result["removed_other"] = [self.lease_id(raw) for raw in others]

    def _latest(self, item, desired):
        raws = self.leases(item, desired)
        if not raws:
            return None
        return max(raws, key=lambda raw: self.expires(self.view(raw)) or 0)


def seconds_option(item, name, default, minimum=0, inclusive=True):
    """A task option that is a number of seconds (``default`` when unset)."""
    value = item.get(name)
    try:
        seconds = float(default if value is None else value)
    except (TypeError, ValueError):
        raise InputError("%s must be a number of seconds, not '%s'" % (name, value))
    if seconds < minimum or (seconds == minimum and not inclusive):
        raise InputError("%s must be %s %s seconds, not %s"
                         % (name, "at least" if inclusive else "more than", minimum, value))
    return seconds


def _hashable(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def _order_key(value):
    try:
        return (0, float(value))
    except (TypeError, ValueError):
        return (1, 0.0)


# --- the one flow ------------------------------------------------------------------------------

def task_items(resource_class, options):
    """The items of a bulk task as task-level options: each entry's names mapped to
    the task's (FieldSet.entry_as_task), unset values inherited from the task."""
    entries = options.get("items")
    if entries is None:
        return None
    fields = resource_class.fields
    items = []
    for entry in entries:
        entry = fields.entry_as_task(entry)
        items.append(options.with_values(**dict((k, v) for k, v in entry.items() if v is not None)))
    return items


def release_first(resource_class, api, options, run, items, pool):
    """Free what one item gives up and another takes before any item takes anything.

    Two items that move a number between them would otherwise write at the same
    time (or the taker first) and the platform refuses the taker's write (the
    number is still the giver's).  Every item's claims are read first (no
    write); then the givers write only the release; then every item converges as
    usual.  Returns ``{index: (before view, error)}`` of the items that released."""
    def prepare(item):
        try:
            return resource_class(api, options, run).claims(item)
        except VoipError:
            return None  # the item reports it when it converges
    plans = list(pool.map(prepare, items))
    takers = {}
    for index, plan in enumerate(plans):
        for token in (plan or ((), ()))[1]:
            takers.setdefault(token, set()).add(index)
    releases = {}
    for index, plan in enumerate(plans):
        tokens = set(token for token in (plan or ((), ()))[0] if takers.get(token, set()) - set([index]))
        if tokens:
            releases[index] = tokens

    def release_one(index):
        try:
            return index, (resource_class(api, options, run).release(items[index], releases[index]), None)
        except VoipError as exc:
            return index, (None, exc)
    return dict(pool.map(release_one, sorted(releases)))


def merge_release(resource, result, before):
    """One item's result from its release and its converge: changed, with the
    diff's ``before`` from before the release."""
    if result.get("failed"):
        return result
    result["changed"] = True
    if resource.run.diff:
        diff = result.get("diff") or {"after": resource.absent_view() if hasattr(resource, "absent_view") else {}}
        result["diff"] = dict(diff, before=mask(before, resource.hidden()))
    return result


def invalid_items(resource_class, api, options, run, items):
    """``{index: InputError}`` of the items that fail :meth:`Resource.validate`."""
    invalid = {}
    for index, item in enumerate(items):
        try:
            resource_class(api, options, run).validate(item)
        except InputError as exc:
            invalid[index] = exc
    return invalid


def not_applied(resource_class, api, options, run, items, invalid):
    """The result of a bulk task stopped by invalid items before any request:
    each invalid item failed with its error, each valid one ``changed: null``,
    "not applied: item N (...) is invalid" (N counts from 0, as in ``results``)."""
    def identity(index):
        return resource_class(api, options, run).identity(items[index])
    named = ", ".join("%d (%s)" % (index, identity(index)) for index in sorted(invalid))
    reason = "not applied: item%s %s %s invalid" % ("s" if len(invalid) > 1 else "", named,
                                                    "are" if len(invalid) > 1 else "is")
    results = []
    for index in range(len(items)):
        if index in invalid:
            results.append({"changed": False, "failed": True, "msg": str(invalid[index]), "item": identity(index)})
        else:
            results.append({"changed": None, "msg": reason, "item": identity(index)})
    first = min(invalid)
    return {
        "changed": False, "failed": True, "results": results,
        "summary": {"total": len(items), "changed": 0, "failed": len(invalid), "not_applied": len(items) - len(invalid)},
        "msg": "%d of %d items %s invalid, so nothing was applied (no request was sent; fix %s, or set "
               "continue_on_error: true to apply the valid ones); item %d (%s): %s"
               % (len(invalid), len(items), "are" if len(invalid) > 1 else "is",
                  "them" if len(invalid) > 1 else "it", first, identity(first), invalid[first]),
    }


def run_resource(resource_class, api, options, run):
    """Run a task: one object, or every entry of ``items`` on bounded workers
    (each with its own result and error; the summary counts them).  Every item
    is validated first (no request): an invalid one stops the task before any
    request, unless ``continue_on_error``, which applies the valid ones."""
    run.workers = max(1, int(options.get("workers", 2) or 2))
    items = task_items(resource_class, options)
    if items is None:
        resource_class(api, options, run).validate(options)
        return resource_class(api, options, run).converge(options)
    run.bulk = True
    invalid = invalid_items(resource_class, api, options, run, items)
    if invalid and not options.get("continue_on_error"):
        return not_applied(resource_class, api, options, run, items, invalid)
    if len(invalid) < len(items):
        resource_class(api, options, run).prefetch([item for index, item in enumerate(items) if index not in invalid])

    def converge_one(item):
        resource = resource_class(api, options, run)
        try:
            result = resource.converge(item)
        except VoipError as exc:
            result = failed_item(exc)
        result["item"] = resource.identity(item)
        return result

    # Items nothing of which reached the server (a dead server): reported together.
    unsent = []

    def failed_item(exc):
        result = {"changed": False, "failed": True, "msg": str(exc)}
        if isinstance(exc, ConnectionFailed) and not exc.uncertain:
            unsent.append((result, exc))
        return result

    released = {}

    def converge_at(index):
        if index in invalid:  # continue_on_error: reported, never sent
            return {"changed": False, "failed": True, "msg": str(invalid[index]),
                    "item": resource_class(api, options, run).identity(items[index])}
        before, error = released.get(index, (None, None))
        if error is not None:  # its release failed: its write would fail the same way
            result = failed_item(error)
            result["item"] = resource_class(api, options, run).identity(items[index])
            return result
        result = converge_one(items[index])
        return merge_release(resource_class(api, options, run), result, before) if before is not None else result

    workers = max(1, min(run.workers, len(items) or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        if resource_class.moves and not run.check_mode and len(items) - len(invalid) > 1:
            valid = [index for index in range(len(items)) if index not in invalid]
            freed = release_first(resource_class, api, options, run, [items[index] for index in valid], pool)
            released.update((valid[position], outcome) for position, outcome in freed.items())
        results = list(pool.map(converge_at, range(len(items))))
    failed = [r for r in results if r.get("failed")]
    summary = {
        "changed": any(r.get("changed") for r in results),
        "results": results,
        "summary": {
            "total": len(results),
            "changed": sum(1 for r in results if r.get("changed")),
            "failed": len(failed),
        },
    }
    if run.diff:
        # The items' diffs as the task's diff too (Ansible shows a list of diffs),
        # each headed by its item; already masked.
        summary["diff"] = [dict(r["diff"], before_header=r["item"], after_header=r["item"])
                           for r in results if r.get("changed") and isinstance(r.get("diff"), dict)]
    if failed:
        summary["failed"] = True
        summary["msg"] = bulk_failure_message(failed, len(results), unsent)
    return summary
