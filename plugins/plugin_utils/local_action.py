# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's logic in-process on the controller when the task's connection is local.

A module task costs ~0.37 s (packaging, a fresh interpreter); the same logic in
the controller process costs ~0.017 s (../shared/notes/toolchain.md).  These
modules talk to a remote API, not to the host they are "run on", so with a local
connection (``hosts: localhost``, ``delegate_to: localhost``, ``connection:
local``) the action plugin validates the arguments with the module's own spec
and calls the module's own ``run`` function.  With any other connection (an API
reachable only from a jump host) the module runs on the target as usual.

Set the environment variable ``VOIP_PROVISIONING_IN_PROCESS=0`` on the
controller to always run the module itself (used by the tests that show both
paths return the same results).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os

from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator
from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.voip.provisioning.plugins.module_utils.core.options import NoLogScrubber, Options, url_secrets
# RunContext moves to core/context.py (engine); until then it lives in the flat options.py.
from ansible_collections.voip.provisioning.plugins.module_utils.core.context import RunContext

display = Display()

LOCAL_CONNECTIONS = frozenset(("local", "ansible.builtin.local", "ansible.legacy.local"))


def runs_in_process(connection_name):
    if os.environ.get("VOIP_PROVISIONING_IN_PROCESS", "1").lower() in ("0", "false", "no", "off"):
        return False
    return connection_name in LOCAL_CONNECTIONS


def no_log_values(validation):
    """The values of the task's ``no_log`` options (nested ``items`` included).

    ansible-core has no public accessor for them: ``AnsibleModule`` keeps them in
    ``no_log_values``, the validator only in ``ValidationResult._no_log_values``
    (documented there as "a temporary holding place ... may move in the future").
    tests/unit/plugins/plugin_utils/test_local_action.py pins it, so a new
    ansible-core that moves it fails the tests, not a user's secrets; at run time
    a missing attribute fails the task instead of showing a secret."""
    values = getattr(validation, "_no_log_values", None)
    if not isinstance(values, (set, frozenset, list, tuple)):
        raise AnsibleActionFail("this ansible-core keeps no_log values where voip.provisioning does not look for them "
                                "(ValidationResult._no_log_values); set VOIP_PROVISIONING_IN_PROCESS=0 to run the "
                                "modules themselves, and report it")
    return values


def plain(value):
    """``value`` with Ansible's tagged types (``_AnsibleTaggedStr``, ``..Dict``,
    ``..List``: templated values carry their origin) turned into the plain types
    they subclass, at any depth; untagged values are returned as they are.

    A module run on a target receives its arguments as JSON, without tags; in
    process the task's arguments are the templated (tagged) objects themselves,
    and ``ModuleArgumentSpecValidator`` deep-copies them: a tagged value is copied
    through ``__reduce_ex__``, far slower than a plain one (three 1,000-item
    tasks: 2.9 -> 0.8 profiled seconds of validation, see docs/performance.md).  One pass here
    makes every later copy, the validation, the result and its pickling cheap."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if isinstance(value, dict):
        return dict((plain(key), plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, frozenset):
        return frozenset(plain(item) for item in value)
    if isinstance(value, set):
        return set(plain(item) for item in value)
    return value


def validate_arguments(spec, args):
    """Validate the task's arguments with the module's own spec, as ``AnsibleModule``
    does: ``(validation result, scrubber of the no_log values)``.  The arguments
    are first made :func:`plain` (as a module on a target gets them).

    Warnings and deprecations of the validation (an option and its alias both
    set) are not copied into the result: ``ModuleArgumentSpecValidator`` already
    reports them through ansible-core's public ``warn``/``deprecate``, which on
    the controller display them at once (pinned by a unit test too)."""
    validator = ModuleArgumentSpecValidator(spec.argument_spec, **spec.validator_kwargs())
    validation = validator.validate(plain(dict(args)))
    return validation, NoLogScrubber(set(no_log_values(validation)) | url_secrets(validation.validated_parameters))


class LocalModuleAction(ActionBase):
    """Action plugin base: ``plugins/action/<module>.py`` only subclasses this."""

    TRANSFERS_FILES = False
    _requires_connection = False

    def _module_name(self):
        resolved = getattr(self._task, "resolved_action", None) or self._task.action
        return resolved.split(".")[-1]

    def _connection_name(self):
        transport = getattr(self._connection, "transport", None)
        if transport:
            return transport
        return getattr(self._play_context, "connection", None)

    def run(self, tmp=None, task_vars=None):
        if not runs_in_process(self._connection_name()):
            result = super(LocalModuleAction, self).run(tmp, task_vars)
            result.update(self._execute_module(module_name=self._task.resolved_action or self._task.action,
                                               module_args=self._task.args, task_vars=task_vars))
            return result

        module = importlib.import_module("ansible_collections.voip.provisioning.plugins.modules.%s" % self._module_name())
        spec = module.MODULE
        validation, scrubber = validate_arguments(spec, self._task.args)
        if validation.error_messages:
            return scrubber.scrub(
                {"failed": True, "changed": False, "msg": "Unsupported parameters or invalid values: %s"
                 % "; ".join(validation.error_messages)})

        # The play context already holds the task-level check_mode/diff overrides.
        ctx = RunContext(check_mode=self._play_context.check_mode, diff=self._play_context.diff)
        result = spec.run(Options(validation.validated_parameters), ctx)
        # As AnsibleModule.exit_json does: no value of a no_log option leaves the run.
        result = scrubber.scrub(result)
        result["invocation"] = {"module_args": scrubber.scrub(invocation_args(validation.validated_parameters))}
        return result


#: Callbacks show ``invocation`` from this verbosity on (ansible-core's CallbackBase).
INVOCATION_VERBOSITY = 3


def invocation_args(parameters, verbosity=None):
    """The ``invocation.module_args`` of a run.  Below ``-vvv``, where no callback
    shows them, the entries of ``items`` are not echoed back, only counted: with
    every suboption filled in they were most of a bulk task's result (thousands of
    entries copied, pickled to the controller's main process and walked by its
    callbacks -- about 1 s and tens of MB at 1,000 subscribers with their settings;
    see docs/performance.md).  Each entry's own result still names it (``item``)."""
    if verbosity is None:
        verbosity = display.verbosity
    items = parameters.get("items")
    if verbosity >= INVOCATION_VERBOSITY or not isinstance(items, list):
        return parameters
    return dict(parameters, items="%d entries (shown with -vvv)" % len(items))
