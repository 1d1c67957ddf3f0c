# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Attributes of the modules that change a platform.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without sending any write.
    support: full
  diff_mode:
    description: Returns details on what changed (or would change in check mode); secrets are masked.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
"""

    C5_GROUP = r"""
attributes:
  action_group:
    description: Use C(group/voip.provisioning.c5) in C(module_defaults) to set the connection options.
    support: full
    membership:
      - voip.provisioning.c5
"""

    INFO_MODULE = r"""
attributes:
  check_mode:
    description: Can run in check mode; it only reads.
    support: full
  diff_mode:
    description: Nothing changes, so there is no diff.
    support: N/A
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
"""
