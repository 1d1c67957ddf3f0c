# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.plugin_utils.local_action import LocalModuleAction


class ActionModule(LocalModuleAction):
    """Runs voip.provisioning.vtx_presence_info in-process when the connection is local."""
