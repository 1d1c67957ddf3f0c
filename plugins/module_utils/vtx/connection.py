# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options of the VTX modules and the API object built from them.

Authentication (spec 2): HTTP Basic with the enterprise's API login
(``openapi@<enterprise>.bus.ent``) plus the ``X-C5-Application`` header, the
"Service PSK" VTX support issues - a secret like the password (trap 8).  Every
option has a ``VTX_<OPTION>`` environment fallback (AWX credential types).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.auth import (
    BasicAuth, ExtraHeader, connection_argument_spec,
)
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import open_client
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import ServerTime
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.api import VtxApi
from ansible_collections.voip.provisioning.plugins.module_utils.vtx.dialect import VtxDialect

ENV_PREFIX = "VTX"
DEFAULT_URL = "https://api.ipvoip.ch/openapi"


class VtxLogin(BasicAuth):
    """HTTP Basic plus the ``X-C5-Application`` PSK: VTX answers 401 for either
    being wrong (spec 2), so a 401 names both."""

    def unauthorized_hint(self):
        return "check username, password and service_psk (the X-C5-Application value VTX support issued)"


STRATEGIES = [VtxLogin(extras=[ExtraHeader("X-C5-Application", "service_psk")])]


def argument_spec(**extra):
    """The connection options plus a module's own (``extra``)."""
    spec = connection_argument_spec(ENV_PREFIX, STRATEGIES, default_method="basic")
    spec["url"]["default"] = DEFAULT_URL
    spec.update(extra)
    return spec


def connect(options, run):
    """A :class:`VtxApi` for the task's connection options, each checked before
    any request (``open_client``: url, timeout, retries, workers, ca_path).
    Errors name the URL, the login and what to check (the client,
    :class:`VtxLogin` and :class:`VtxDialect`: service_psk on a 401, the
    allow-list on a dropped connection)."""
    if not options.get("url"):
        options = options.with_values(url=DEFAULT_URL)
    # The wiki's shared header file sends both with every request (spec 2).
    return VtxApi(open_client(options, run.warn, VtxDialect(), STRATEGIES, "basic", ENV_PREFIX, DEFAULT_URL,
                              headers={"Content-Type": "application/json", "Accept": "application/json"}),
                  ServerTime(run.local_now))


def run_with_api(options, run, work):
    """``work(api)`` with the API connected and closed."""
    api = connect(options, run)
    try:
        return work(api)
    finally:
        api.client.close()


def run_task(resource_class, options, run):
    """Run a resource task: the directory read and checked before any request,
    the server read once (its version says whether login names resolve, its
    ``Date`` gives the platform's clock), then the engine."""
    # Imported here: the engine is only needed by state modules.
    from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import run_resource
    from ansible_collections.voip.provisioning.plugins.module_utils.vtx.directory import Directory, UserResolver

    directory = Directory.from_options(options)

    def work(api):
        api.server()
        # Leases are timed by the platform: from here on "now" is its clock.
        run.set_clock(api.server_now)
        api.users = UserResolver(api, directory, run)
        return run_resource(resource_class, api, options, run)

    return run_with_api(options, run, work)
