# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a C5 resource module runs: its argument spec from the connection options
and the resource's declared fields, and one run of the engine over a C5 client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.c5.dialect import C5Api, c5_argument_spec, c5_client
from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import run_resource
from ansible_collections.voip.provisioning.plugins.module_utils.core.runner import ModuleSpec


def run_c5(resource_class, options, ctx):
    """Run a C5 resource module: one object, or every entry of ``items``."""
    client = c5_client(options, ctx)
    try:
        return run_resource(resource_class, C5Api(client, options.get("page_size")), options, ctx)
    finally:
        client.close()


def c5_module(resource_class, item_rules=None, **rules):
    """The ModuleSpec of a C5 resource module: connection options + the
    resource's fields (task and ``items``), and the module's option rules."""
    return ModuleSpec(
        argument_spec=c5_argument_spec(**resource_class.fields.argument_spec(item_rules=item_rules)),
        run_function=lambda options, ctx: run_c5(resource_class, options, ctx),
        **rules)
