# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""XC5-XS ``/api-sys/`` (spec shared/specs/xc5-api-sys.md) on the plugin core:
its dialect, API object and connection (``dialect``, ``api``, ``connection``),
the platform's value rules (``values``) and one resource per module."""
