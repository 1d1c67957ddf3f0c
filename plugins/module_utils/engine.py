# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The generic desired-state engine.

A module declares a :class:`Resource` subclass (its natural key, how to find,
normalise, create, update and delete one object); the engine does the rest the
same way for every module of every platform:

find by natural key -> normalise -> compare only the fields the user set ->
create / update / delete (or, in check mode, compute the same result without
writing) -> result with ``changed``, the object and a ``diff`` whose secrets
are masked.

Many objects in one task (``items``) run concurrently over the shared session
with a bounded worker count; each item gets its own result and its own error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.voip.provisioning.plugins.module_utils.client import ApiError, VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext as CoreRunContext
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import Resource as CoreResource
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import run_resource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import Unresolved

MASK = "********"
MASK_CHANGED = "******** (changed)"


class Resource:
    """One kind of object, as a module declares it.

    Subclasses set the class attributes and implement the methods below; they
    never talk to Ansible, only to the platform API object they are given.
    """

    #: human name used in messages and as the result key ("subscriber").
    name = "object"
    #: option names that identify the object (natural key), for messages.
    key_options = ()
    #: fields that can be read back but must never be shown (SIP password).
    secret_fields = ()
    #: fields the server never returns (web password): compared never, sent
    #: on create, and on update only with ``update_password: always``.
    write_only_fields = ()

    def __init__(self, api, options, ctx, shared):
        self.api = api
        self.options = options  # task-level Options
        self.ctx = ctx
        # A per-run dict shared by all items (look-up caches), with its lock.
        self.shared = shared

    # --- what a subclass implements -------------------------------------------
    def identity(self, item):
        """A short text naming the object, for messages."""
        return ", ".join("%s=%s" % (k, item.get(k)) for k in self.key_options)

    def desired(self, item):
        """The normalised desired state: only the fields the user set, with
        references resolved to ids.  Raise InputError/Unresolved for bad input."""
        raise NotImplementedError

    def find(self, item, desired):
        """The current raw object, or None."""
        raise NotImplementedError

    def view(self, raw):
        """The normalised, comparable form of a raw server object."""
        raise NotImplementedError

    def create(self, item, desired):
        """Create; return the new raw object."""
        raise NotImplementedError

    def update(self, item, raw, desired, changes):
        """Bring ``raw`` to ``desired``; ``changes`` names the differing fields.
        Return the new raw object."""
        raise NotImplementedError

    def delete(self, item, raw):
        raise NotImplementedError

    def find_fresh(self, item, desired):
        """Like find, but bypassing any look-up cache: used after a create whose
        outcome is unknown.  Resources that cache look-ups override it."""
        return self.find(item, desired)

    def prefetch(self, items):
        """Bulk hook: load what many items need with few requests (e.g. one
        collection listing instead of one GET per object)."""

    def result_object(self, raw):
        """What the module returns as the object (secrets are masked by the engine)."""
        return raw

    def absent_view(self):
        return {}

    # --- comparison -------------------------------------------------------------
    def differs(self, field, current, wanted):
        """Whether one field differs.  Override for fields with special semantics."""
        return current != wanted


def mask_secrets(data, secret_fields, changed_secrets=()):
    if not isinstance(data, dict):
        return data
    masked = dict(data)
    for field in secret_fields:
        if masked.get(field) is not None:
            masked[field] = MASK_CHANGED if field in changed_secrets else MASK
    return masked


class Engine:
    """Runs one Resource for a task: a single object or a list of ``items``."""

    def __init__(self, resource_class, api, options, ctx):
        self.resource_class = resource_class
        self.api = api
        self.options = options
        self.ctx = ctx
        # Per-run state shared by all items: look-up caches, their lock, and the
        # worker count (bulk prefetches read pages that many at a time).
        self.shared = {"lock": threading.RLock(), "workers": max(1, int(options.get("workers", 2) or 2))}

    def resource(self):
        return self.resource_class(self.api, self.options, self.ctx, self.shared)

    # --- one object ---------------------------------------------------------------
    def converge(self, item):
        resource = self.resource()
        state = item.get("state", "present")
        hidden = tuple(resource.secret_fields) + tuple(resource.write_only_fields)
        try:
            desired = resource.desired(item)
        except Unresolved as exc:
            if self.ctx.check_mode and state == "present":
                self.ctx.warn("%s (%s): %s; in check mode this is assumed to be created by an earlier task"
                              % (resource.name, resource.identity(item), exc))
                return {"changed": True, "unresolved": str(exc)}
            if state == "absent":
                # What it belongs to does not exist, so neither does the object.
                return {"changed": False}
            raise
        current_raw = resource.find(item, desired)

        if state == "absent":
            if current_raw is None:
                return {"changed": False}
            before = resource.view(current_raw)
            if not self.ctx.check_mode:
                resource.delete(item, current_raw)
            return self._result(resource, True, None, before, resource.absent_view(), hidden, ())

        if current_raw is None:
            after = dict(desired)
            if self.ctx.check_mode:
                return self._result(resource, True, None, {}, after, hidden, ())
            raw = self._create(resource, item, desired)
            return self._result(resource, True, raw, {}, resource.view(raw) if raw else after, hidden, ())

        current = resource.view(current_raw)
        changes = self.changes(resource, item, current, desired)
        if not changes:
            return self._result(resource, False, current_raw, current, current, hidden, ())
        after = dict(current)
        for field in changes:
            after[field] = desired.get(field)
        changed_secrets = [f for f in changes if f in hidden]
        if self.ctx.check_mode:
            return self._result(resource, True, current_raw, current, after, hidden, changed_secrets)
        raw = resource.update(item, current_raw, desired, changes)
        if raw is not None:
            after = resource.view(raw)
            for field in changed_secrets:
                # The server does not return a written secret: show it as changed (masked).
                after[field] = desired.get(field)
        return self._result(resource, True, raw if raw is not None else current_raw, current, after, hidden,
                            changed_secrets)

    def changes(self, resource, item, current, desired):
        """Fields the user set whose value differs from the server's."""
        update_password = item.get("update_password", "on_create")
        changes = []
        for field, wanted in desired.items():
            if field in resource.write_only_fields:
                # Never returned by the server, so never comparable: sent
                # only when asked to (update_password: always).
                if update_password == "always" and wanted is not None:
                    changes.append(field)
                continue
            if field in resource.secret_fields and field not in current:
                # The server hides it from this login (no show_passwords).
                if update_password == "always" and wanted is not None:
                    changes.append(field)
                continue
            if resource.differs(field, current.get(field), wanted):
                changes.append(field)
        return changes

    def _create(self, resource, item, desired):
        """Create, without ever turning one create into two objects.

        After a failure that may have reached the server, look the object up by
        its natural key: found means the create did happen; absent means it is
        safe to send it again."""
        retries = int(self.options.get("retries", 3))
        attempt = 0
        while True:
            try:
                return resource.create(item, desired)
            except ApiError as exc:
                if exc.status is not None and exc.status < 500 and exc.status != 429:
                    raise
                if attempt >= retries:
                    raise
                found = resource.find_fresh(item, desired)
                if found is not None:
                    self.ctx.warn("%s (%s): the create answered '%s' but the object exists: using it"
                                  % (resource.name, resource.identity(item), exc))
                    return found
                wait = exc.retry_after if exc.retry_after is not None else 0.5 * (2 ** attempt)
                self.ctx.warn("%s (%s): create failed (%s); it is not there, so retrying in %.1f s"
                              % (resource.name, resource.identity(item), exc, wait))
                time.sleep(min(wait, 60.0))
                attempt += 1

    def _result(self, resource, changed, raw, before, after, hidden, changed_secrets):
        result = {"changed": changed}
        if raw is not None:
            result[resource.name] = mask_secrets(resource.result_object(raw), hidden)
        if self.ctx.diff:
            result["diff"] = {
                "before": mask_secrets(before, hidden),
                "after": mask_secrets(after, hidden, changed_secrets),
            }
        return result

    # --- a task: one object or many ------------------------------------------------
    def run(self, item_options, bulk_items=None):
        """Run a task.  ``item_options`` are the task's options; ``bulk_items``
        (a list of dicts) makes it a bulk task in which each item inherits the
        task's options it does not set itself.

        Resources of the core engine (core/engine.py) run there: this class is
        only the old entry point while the C5 modules move (removed after)."""
        if isinstance(self.resource_class, type) and issubclass(self.resource_class, CoreResource):
            run = self.ctx
            if not hasattr(run, "cache"):
                run = CoreRunContext(check_mode=self.ctx.check_mode, diff=self.ctx.diff, warn=self.ctx.warn)
            options = item_options.with_values(items=bulk_items)
            return run_resource(self.resource_class, self.api, options, run)
        if bulk_items is None:
            return self.converge(item_options)
        items = [item_options.with_values(**{k: v for k, v in entry.items() if v is not None}) for entry in bulk_items]
        resource = self.resource()
        self.shared["bulk"] = True
        if items:
            resource.prefetch(items)
        workers = max(1, min(int(self.options.get("workers", 2)), len(items) or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(self._converge_isolated, items))
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
        if failed:
            summary["failed"] = True
            summary["msg"] = "%d of %d items failed; first error: %s" % (len(failed), len(results), failed[0]["msg"])
        return summary

    def _converge_isolated(self, item):
        resource = self.resource()
        try:
            result = self.converge(item)
        except VoipError as exc:
            result = {"changed": False, "failed": True, "msg": str(exc)}
        result["item"] = resource.identity(item)
        return result
