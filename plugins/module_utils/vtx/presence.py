# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading presence (vtx_presence_info): one request per user (it is also the
check that the user exists), ``workers`` at a time, the effective state flattened
next to the platform's four states."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import ApiError, InputError
from ansible_collections.voip.provisioning.plugins.module_utils.vtx import timestamps
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.connection import run_with_api
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import Directory, UserResolver


def flatten(entry, raw):
    current = raw.get("current") or {}
    modified = current.get("modifiedOn")
    try:
        modified = timestamps.render(timestamps.parse(modified, "modifiedOn")) if modified else None
    except ValueError:
        pass
    states = dict((k, v) for k, v in raw.items() if k not in ("userId", "domainId"))
    return {
        "user_id": entry["user_id"], "login_name": entry.get("login_name"), "number": entry.get("number"),
        "domain_id": raw.get("domainId"), "activity": current.get("activity"),
        "enhanced_activity": current.get("enhancedActivity"), "modified_on": modified, "states": states,
    }


def read_presence(options, ctx):
    """The result of vtx_presence_info."""
    directory = Directory.from_options(options)
    references = options.get("users")
    if references is None:
        references = [entry["user_id"] for entry in directory.entries]
        if not references:
            raise InputError("users: name the users, or set directory to read every user of it")

    def work(api):
        resolver = UserResolver(api, directory, ctx)
        # The presence read is the check that the user exists: one request per user.
        entries = [resolver.resolve(reference, "users", verify=False) for reference in references]

        def read(entry):
            try:
                return api.presence(entry["user_id"])
            except ApiError as exc:
                raise resolver.unknown(entry, "users", exc)

        with ThreadPoolExecutor(max_workers=max(1, min(options.get("workers", 2), len(entries) or 1))) as pool:
            answers = list(pool.map(read, entries))
        known = [dict(entry, **dict((k, v) for k, v in (directory.entry(entry["user_id"]) or {}).items() if v)) for entry in entries]
        return {"changed": False, "presence": [flatten(entry, raw) for entry, raw in zip(known, answers)]}

    return run_with_api(options, ctx, work)
