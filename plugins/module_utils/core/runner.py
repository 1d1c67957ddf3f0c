# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a module is run, either as an Ansible module or in-process by its action plugin.

A module file defines ``MODULE = ModuleSpec(...)`` and ``main()`` calls
``MODULE.main()``.  The action plugin of the same name imports the module file,
validates the task arguments with ``MODULE.argument_spec`` and calls
``MODULE.run(options, ctx)``: the same code, the same results.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import VoipError
from ansible_collections.voip.provisioning.plugins.module_utils.core.items_file import load_entries
from ansible_collections.voip.provisioning.plugins.module_utils.core.options import NoLogScrubber, Options, url_secrets
# RunContext moves to core/context.py (engine); until then it lives in the flat options.py.
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext


#: The choices of the ``item_results`` option of every task with ``items``.
ITEM_RESULTS = ("full", "compact")
#: What a compact result keeps of an item that neither changed nor failed.
COMPACT_KEEP = ("changed", "item", "msg", "warnings", "skipped")


def compact_results(result):
    """``item_results: compact`` (doc fragment ``voip.provisioning.bulk``): every
    entry of ``results`` that neither changed nor failed keeps only ``changed``,
    ``item`` (and a ``msg`` or ``warnings`` it has); the object and the diff of
    such an item are dropped.  Changed and failed items keep everything.  Done in
    place, before the result is scrubbed, copied and pickled: at 1,000 unchanged
    items that is most of a converged re-run's controller work (see
    docs/performance.md, "Controller time of a converged re-run")."""
    entries = result.get("results")
    if not isinstance(entries, list):
        return result
    for index, entry in enumerate(entries):
        if isinstance(entry, dict) and entry.get("changed") is False and not entry.get("failed"):
            entries[index] = dict((key, entry[key]) for key in COMPACT_KEEP if key in entry)
    return result


class ModuleSpec:
    """A module's argument spec plus the function that does its work.

    ``run_function(options, ctx)`` returns the result dict; raising
    :class:`VoipError` fails the task with its message.
    """

    def __init__(self, argument_spec, run_function, mutually_exclusive=None, required_together=None,
                 required_one_of=None, required_if=None, required_by=None):
        if "items" in argument_spec and "item_results" not in argument_spec:
            # Every bulk task: how much of an unchanged item's result to return.
            argument_spec = dict(argument_spec, item_results=dict(type="str", choices=list(ITEM_RESULTS),
                                                                  default="full"))
        self.argument_spec = argument_spec
        self.run_function = run_function
        self.mutually_exclusive = list(mutually_exclusive or [])
        self.required_together = required_together or []
        self.required_one_of = list(required_one_of or [])
        if "items_file" in argument_spec:
            # items_file stands for items: wherever a rule names items, it names
            # items_file too, and the two exclude each other.
            self.mutually_exclusive = (
                self.mutually_exclusive
                + [tuple("items_file" if name == "items" else name for name in group)
                   for group in self.mutually_exclusive if "items" in group]
                + [("items", "items_file")])
            self.required_one_of = [tuple(group) + (("items_file",) if "items" in group else ())
                                    for group in self.required_one_of]
        self.required_if = required_if or []
        self.required_by = required_by or {}

    def validator_kwargs(self):
        return dict(
            mutually_exclusive=self.mutually_exclusive,
            required_together=self.required_together,
            required_one_of=self.required_one_of,
            required_if=self.required_if,
            required_by=self.required_by,
        )

    def run(self, options, ctx):
        """Run and always return a result dict (failures included).  With
        ``items_file`` the entries are read, validated with the suboptions of
        ``items`` and run as ``items``; their secrets are masked in the result."""
        file_secrets = ()
        try:
            if options.get("items_file"):
                entries, file_secrets = load_entries(options["items_file"], self.argument_spec["items"])
                options = options.with_values(items=entries)
            result = self.run_function(options, ctx)
        except VoipError as exc:
            result = {"failed": True, "changed": False, "msg": str(exc)}
        if file_secrets:
            result = NoLogScrubber(set(file_secrets)).scrub(result)
        if ctx.warnings:
            result.setdefault("warnings", []).extend(ctx.warnings)
        if options.get("item_results") == "compact" and options.get("items") is not None:
            compact_results(result)
        return result

    def main(self):
        module = AnsibleModule(argument_spec=self.argument_spec, supports_check_mode=True, **self.validator_kwargs())
        # AnsibleModule has no public diff flag: _diff is pinned by tests/unit/plugins/plugin_utils/test_local_action.py.
        ctx = RunContext(check_mode=module.check_mode, diff=module._diff)
        result = self.run(Options(module.params), ctx)
        # Scrub secrets here in linear time, then spare exit_json its quadratic
        # remove_values (thousands of item passwords); same guarantee, see NoLogScrubber.
        scrubber = NoLogScrubber(set(module.no_log_values) | url_secrets(module.params))
        result = scrubber.scrub(result)
        result["invocation"] = {"module_args": scrubber.scrub(module.params)}
        module.no_log_values = set()
        # AnsibleModule prints its own warnings; do not print them twice.
        for message in result.pop("warnings", []):
            module.warn(message)
        if result.get("failed"):
            result.pop("failed")
            msg = result.pop("msg")
            module.fail_json(msg=msg, **result)
        module.exit_json(**result)
