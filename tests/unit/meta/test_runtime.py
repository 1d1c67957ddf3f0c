# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module is in its platform's action group and has its in-process action plugin."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PLATFORMS = ("c5", "xc5", "vtx", "sip2sip")


def modules():
    names = []
    for filename in sorted(os.listdir(os.path.join(ROOT, "plugins", "modules"))):
        if filename.endswith(".py") and not filename.startswith("_"):
            names.append(filename[:-3])
    return names


def test_there_are_modules():
    assert "c5_domain" in modules()


def test_every_module_is_in_its_platform_action_group():
    with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        groups = yaml.safe_load(handle)["action_groups"]
    for module in modules():
        platform = module.split("_", 1)[0]
        assert platform in PLATFORMS, "module %s does not start with a platform prefix" % module
        assert module in groups.get(platform, []), "module %s is missing from action group %s in meta/runtime.yml" % (module, platform)
    for platform, members in groups.items():
        for member in members:
            assert member in modules(), "action group %s lists %s, which is not a module" % (platform, member)


def test_every_module_has_its_action_plugin():
    actions = set(f[:-3] for f in os.listdir(os.path.join(ROOT, "plugins", "action")) if f.endswith(".py"))
    missing = [m for m in modules() if m not in actions]
    assert not missing, "modules without an action plugin of the same name: %s" % missing
