# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``items_file``: the entries of a bulk task read from a JSON or YAML file by the
module itself, instead of ``items`` passed through Ansible's variables.

Why: Ansible keeps every variable value tagged with where it came from, and
templates, validates and copies a task's arguments several times.  Measured with
ansible-core 2.19 (docs/performance.md, "Memory at N=10,000"): only loading a
tenant of 4,000 subscribers as extra variables peaks at 230 MB from JSON and
480 MB from YAML (56 MB without it), before any task runs; the same entries read
here take a few KB each.

The entries are validated with the very suboptions of ``items`` (defaults,
types, choices, mutually exclusive keys), each error naming the entry; the
values of their ``no_log`` suboptions (passwords) are returned so that the
runner masks them in the result, as Ansible does for ``items``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import InputError

#: The rules of an argument spec entry that ArgumentSpecValidator takes as keywords.
RULES = ("mutually_exclusive", "required_together", "required_one_of", "required_if", "required_by")
#: At most this many entry errors are listed in the message.
SHOWN_ERRORS = 5


def parse(path, text):
    """The document in ``text``: JSON when it parses as JSON (or the file ends in
    .json), else YAML (PyYAML comes with ansible-core)."""
    stripped = text.lstrip()
    if path.lower().endswith(".json") or stripped.startswith(("[", "{")):
        try:
            return json.loads(text)
        except ValueError as exc:
            if path.lower().endswith(".json"):
                raise InputError("items_file: %s is not valid JSON (%s)" % (path, exc))
    try:
        import yaml
    except ImportError:
        raise InputError("items_file: %s is not JSON, and PyYAML (for YAML) is not installed on the host that runs "
                         "the module; write the entries as JSON or install PyYAML" % path)
    try:
        # CSafeLoader when PyYAML has it: several times faster on big files.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise InputError("items_file: %s is neither JSON nor YAML (%s)" % (path, exc))


def load_entries(path, items_spec):
    """``(entries, secrets)``: the validated entries of the file at ``path`` (a list
    of dicts with the keys of ``items``) and the values of their no_log options.
    Raises InputError naming the file and the entries that are wrong."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
    except (IOError, OSError) as exc:
        raise InputError("items_file: cannot read %s (%s); give the path of a JSON or YAML list of entries on the host "
                         "that runs the module (the controller, with a local connection)" % (path, exc))
    except UnicodeDecodeError as exc:
        raise InputError("items_file: %s is not UTF-8 text (%s)" % (path, exc))
    document = parse(path, text)
    if not isinstance(document, list):
        raise InputError("items_file: %s must hold a list of entries (the keys of items), not a %s"
                         % (path, type(document).__name__))
    validator = ArgumentSpecValidator(items_spec.get("options") or {},
                                      **dict((rule, items_spec[rule]) for rule in RULES if items_spec.get(rule)))
    entries, secrets, errors = [], set(), []
    for index, entry in enumerate(document):
        if not isinstance(entry, dict):
            errors.append("entry %d is a %s, not a dict" % (index, type(entry).__name__))
            continue
        outcome = validator.validate(entry)
        if outcome.error_messages:
            errors.append("entry %d: %s" % (index, "; ".join(outcome.error_messages)))
            continue
        # The validator's own holding place for no_log values (no public accessor;
        # pinned by tests/unit/plugins/module_utils/core/test_items_file.py).
        secrets.update(getattr(outcome, "_no_log_values", ()))
        entries.append(outcome.validated_parameters)
    if errors:
        raise InputError("items_file: %d of %d entries of %s are invalid, so nothing was applied: %s%s"
                         % (len(errors), len(document), path, "; ".join(errors[:SHOWN_ERRORS]),
                            "; ..." if len(errors) > SHOWN_ERRORS else ""))
    return entries, secrets
