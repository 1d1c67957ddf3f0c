# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading call logs (vtx_cdr_info): per user or per enterprise, every page, the
platform's four timestamp styles parsed into one (``call_start``, UTC), newest
first; a user is checked by its own call-log read (no extra request)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError
from ansible_collections.voip.provisioning.plugins.module_utils.vtx import timestamps
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.connection import run_with_api
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import Directory, UserResolver


def _instant(options, name):
    value = options.get(name)
    if value is None:
        return None
    try:
        return timestamps.parse(value, name)
    except ValueError as exc:
        raise InputError(str(exc))


def read_call_logs(options, ctx):
    """The result of vtx_cdr_info."""
    directory = Directory.from_options(options)
    since, until = _instant(options, "since"), _instant(options, "until")
    if since is not None and until is not None and since >= until:
        raise InputError("since (%s) must be before until (%s)" % (options.get("since"), options.get("until")))
    limit = options.get("limit")
    if limit is not None and limit < 1:
        raise InputError("limit must be at least 1, not %s" % limit)
    query = dict(start=timestamps.render(since) if since is not None else None,
                 end=timestamps.render(until) if until is not None else None,
                 # One more than asked: whether the list was cut short is then known.
                 limit=limit + 1 if limit is not None else None)

    def annotate(raw):
        entry = dict(raw)
        try:
            entry["_epoch"] = timestamps.parse(raw.get("callStart"), "callStart")
            entry["call_start"] = timestamps.render(entry["_epoch"])
        except ValueError:
            # An unparsable start is kept (and sorted last), never dropped.
            entry["_epoch"], entry["call_start"] = float("-inf"), None
        known = directory.entry(raw.get("userId")) or {}
        entry["login_name"] = known.get("login_name")
        entry["number"] = known.get("number")
        return entry

    def work(api):
        api.server()
        resolver = UserResolver(api, directory, ctx)
        logs, complete = [], True
        if options.get("enterprise"):
            domain_id = options.get("domain_id")
            if domain_id is None:
                if not len(directory):
                    raise InputError("enterprise: set domain_id, or a directory (its first user's presence names the enterprise)")
                domain_id = api.presence(directory.user_ids()[0])["domainId"]
            logs, complete = api.call_logs(domain_id=domain_id, **query)
        else:
            # The call-log read is the check that a user exists (no extra request).
            entries = dict((e["user_id"], e) for e in (resolver.resolve(user, "users", verify=False)
                                                       for user in options.get("users") or []))
            if not entries:
                raise InputError("users: name at least one user, or set enterprise")
            for user_id in sorted(entries):
                try:
                    found, whole = api.call_logs(user_id=user_id, **query)
                except ApiError as exc:
                    raise resolver.unknown(entries[user_id], "users", exc)
                logs.extend(found)
                complete = complete and whole
        entries = sorted((annotate(raw) for raw in logs), key=lambda e: (e["_epoch"], e.get("id") or ""), reverse=True)
        if limit is not None and len(entries) > limit:
            entries, complete = entries[:limit], False
        for entry in entries:
            entry.pop("_epoch")
        return {"changed": False, "call_logs": entries, "count": len(entries), "complete": complete}

    return run_with_api(options, ctx, work)
