# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options of the XC5 modules, the API object built from them, and
how a resource module runs.

Authentication (spec 2): HTTP Basic with an enabled XC5 account that has
``accountresource:api_access=system`` (every account) or ``=user`` (its own
account and descendants only). The collection cannot grant API access itself
(spec gap 12). Every option has an ``XC5_<OPTION>`` environment fallback.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.auth import BasicAuth, connection_argument_spec
from ansible_collections.voip.provisioning.plugins.module_utils.core.client import open_client, url_without_userinfo
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import run_resource
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError
from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.api import Xc5Api
from ansible_collections.voip.provisioning.plugins.module_utils.xc5.dialect import Xc5Dialect

ENV_PREFIX = "XC5"


class Xc5Login(BasicAuth):
    """HTTP Basic with an XC5 account: a 401 means the account is unknown,
    disabled or its password wrong (no API access is a 403, see
    :meth:`Xc5Dialect.forbidden_hint`)."""

    def unauthorized_hint(self):
        return "check username and password (the login must be an existing, enabled XC5 account)"


STRATEGIES = [Xc5Login()]
EXAMPLE_URL = "https://xc5.example.net"


def argument_spec(**extra):
    """The connection options plus a module's own (``extra``)."""
    spec = connection_argument_spec(ENV_PREFIX, STRATEGIES, default_method="basic")
    spec.update(extra)
    return spec


def base_url(options):
    """The server's base URL; a given ``/api-sys`` suffix is dropped (paths add it)."""
    url = (options.get("url") or "").strip().rstrip("/")
    if not url:
        raise InputError("url is required: the XC5 server's base URL, e.g. https://xc5.example.net "
                         "(or set XC5_URL)")
    if not url.lower().startswith(("http://", "https://")):
        # Never echo credentials a wrong url may hold (ftp://user:pw@host).
        raise InputError("url '%s' must start with https:// (or http:// for in-house provisioning)%s"
                         % (url_without_userinfo(url).split("://", 1)[-1] if "@" in url else url,
                            "; and give the login as username/password, not in url" if "@" in url else ""))
    if url.lower().endswith("/api-sys"):
        url = url[:-len("/api-sys")]
    return url


def connect(options, run):
    """An :class:`Xc5Api` for the task's connection options, each checked before
    any request: the XC5 url rules (:func:`base_url`), then the core's
    (``open_client``: no credentials in url, timeout, retries, workers, ca_path).
    Errors name ``<url>/api-sys/``, the login and what to check (the client,
    :class:`Xc5Login` and :class:`Xc5Dialect`)."""
    url = base_url(options)
    client = open_client(options.with_values(url=url), run.warn, Xc5Dialect(), STRATEGIES, "basic", ENV_PREFIX,
                         EXAMPLE_URL, headers={"Accept": "application/hal+json, application/json"},
                         endpoint=url + "/api-sys/")
    return Xc5Api(client, run)


def run_with_api(options, run, work):
    """``work(api)`` with the API connected and closed."""
    api = connect(options, run)
    try:
        return work(api)
    finally:
        api.client.close()


def run_xc5(resource_class, options, run):
    """Run an XC5 resource module: one object, or every entry of ``items``."""
    return run_with_api(options, run, lambda api: run_resource(resource_class, api, options, run))


def xc5_module(resource_class, item_rules=None, extra=None, **rules):
    """The ModuleSpec of an XC5 resource module: connection options + the
    resource's declared fields (task and ``items``), and the module's option rules."""
    spec = resource_class.fields.argument_spec(item_rules=item_rules)
    spec.update(extra or {})
    return ModuleSpec(argument_spec=argument_spec(**spec),
                      run_function=lambda options, ctx: run_xc5(resource_class, options, ctx), **rules)
