# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Moved to core/errors.py and core/client.py; these re-exports keep the modules
working until they move."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.voip.provisioning.plugins.module_utils.core.client import ApiClient  # noqa: F401 pylint: disable=unused-import
from ansible_collections.voip.provisioning.plugins.module_utils.core.errors import (  # noqa: F401 pylint: disable=unused-import
    ApiError, InputError, VoipError)
