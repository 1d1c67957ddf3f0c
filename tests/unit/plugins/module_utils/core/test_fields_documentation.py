# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module whose resource declares its fields documents exactly those
options: an option undocumented, documented but not declared, or documented with
another type, default, choices, elements, aliases or required-ness fails here --
for the task and for the entries of ``items``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import importlib
import os

import pytest
import yaml

from ansible_collections.voip.provisioning.plugins.module_utils.core.engine import Resource

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", ".."))
PACKAGE = "ansible_collections.voip.provisioning.plugins"
MODULES = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py"))
                 if not os.path.basename(p).startswith("_"))


def fragment_options(name):
    """The options a doc fragment (``voip.provisioning.c5_connection``, ``...attributes.C5_GROUP``) adds."""
    parts = name.split(".")
    if parts[:2] != ["voip", "provisioning"]:
        return {}
    module = importlib.import_module("%s.doc_fragments.%s" % (PACKAGE, parts[2]))
    text = getattr(module.ModuleDocFragment, parts[3] if len(parts) > 3 else "DOCUMENTATION")
    return (yaml.safe_load(text) or {}).get("options") or {}


def resources_of(module):
    """The resource classes a module file uses (declared fields, the core engine)."""
    return [value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Resource) and value is not Resource
            and list(value.fields)]


def documented(spec_entry):
    """The facts the documentation must repeat, in the argument spec's terms."""
    facts = {
        "type": spec_entry.get("type", "str"),
        "required": bool(spec_entry.get("required", False)),
        "default": spec_entry.get("default"),
        "choices": spec_entry.get("choices"),
        "elements": spec_entry.get("elements"),
        "aliases": sorted(spec_entry.get("aliases") or []),
    }
    return facts


def compare(spec, docs, where, fragments=None):
    """Differences between an argument spec and documented options, as text."""
    problems = []
    fragments = fragments or {}
    for name, entry in sorted(spec.items()):
        doc = docs.get(name, fragments.get(name))
        if doc is None:
            problems.append("%s%s: declared but not documented" % (where, name))
            continue
        want, have = documented(entry), documented(dict(doc, aliases=doc.get("aliases")))
        for fact in want:
            if want[fact] != have[fact] and not (fact == "default" and want[fact] in ([], {}) and have[fact] in ([], {})):
                problems.append("%s%s: %s is %r in the fields but %r in DOCUMENTATION" % (where, name, fact, want[fact], have[fact]))
        if entry.get("options") is not None or doc.get("suboptions") is not None:
            problems.extend(compare(entry.get("options") or {}, doc.get("suboptions") or {}, "%s%s." % (where, name)))
    for name in sorted(set(docs) - set(spec)):
        problems.append("%s%s: documented but not declared" % (where, name))
    return problems


@pytest.mark.parametrize("name", MODULES)
def test_documentation_matches_the_declared_fields(name):
    module = importlib.import_module("%s.modules.%s" % (PACKAGE, name))
    resources = resources_of(module)
    if not resources:
        pytest.skip("%s declares no resource fields" % name)
    documentation = yaml.safe_load(module.DOCUMENTATION)
    fragments = {}
    for fragment in documentation.get("extends_documentation_fragment") or []:
        fragments.update(fragment_options(fragment))
    options = documentation.get("options") or {}
    spec = module.MODULE.argument_spec
    declared = {}
    for resource in resources:
        declared.update(resource.fields.task_spec())
    # The declared fields, ``items`` (built from them) and whatever else the module
    # adds; the connection options are checked against their fragment by sanity.
    checked = dict((k, v) for k, v in spec.items() if k in declared or k == "items" or k not in fragments)
    for name in declared:
        assert name in spec, "%s: field option %s is not in the module's argument spec" % (name, name)
    own = dict((k, v) for k, v in options.items() if k in checked or k not in fragments)
    problems = compare(checked, own, "", fragments)
    assert not problems, "%s: DOCUMENTATION and the declared fields disagree:\n  %s" % (name, "\n  ".join(problems))


def test_a_disagreement_is_reported():
    spec = {"size": {"type": "int", "default": 3},
            "items": {"type": "list", "elements": "dict", "options": {"size": {"type": "int"}}}}
    docs = {"size": {"type": "str"}, "colour": {"type": "str"},
            "items": {"type": "list", "elements": "dict", "suboptions": {"size": {"type": "int"}, "x": {}}}}
    assert compare(spec, docs, "") == [
        "items.x: documented but not declared",
        "size: type is 'int' in the fields but 'str' in DOCUMENTATION",
        "size: default is 3 in the fields but None in DOCUMENTATION",
        "colour: documented but not declared",
    ]
    assert compare({"size": {"type": "int"}}, {}, "") == ["size: declared but not documented"]
