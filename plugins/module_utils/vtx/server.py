# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connectivity check (vtx_server_info): ``GET /system/server``, what its
version enables, and optionally every directory entry checked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.vtx import timestamps
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.connection import run_with_api
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import Directory, UserResolver


def read_server(options, ctx):
    """The result of vtx_server_info."""
    directory = Directory.from_options(options)

    def work(api):
        server = api.server()
        try:
            build_date = timestamps.render(timestamps.parse(server.get("buildDate"), "buildDate"))
        except ValueError:
            build_date = None
        if options.get("check_directory"):
            resolver = UserResolver(api, directory, ctx)
            for index, entry in enumerate(directory.entries):
                resolver.resolve(entry["user_id"], "directory entry %d (%s)" % (index + 1, entry["login_name"] or entry["number"]))
        return {
            "changed": False,
            "server": server,
            "version": list(api.version()),
            "build_date": build_date,
            "login_names_supported": api.supports_login_names(),
            "page_size": api.page_limit(),
            "directory_users": len(directory),
            "directory_checked": bool(options.get("check_directory")),
        }

    return run_with_api(options, ctx, work)
