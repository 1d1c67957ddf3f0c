# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The platform-independent core: errors, auth strategies, dialect hooks, the HTTP
client, options, the run context, declared fields, the engine and the module runner.
A platform is one package beside this one (``module_utils/c5/``, ...)."""
