# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A loopback emulator of VoIP provisioning APIs (Sipwise C5 first) for tests,
demos and benchmarks of the voip.provisioning collection.

``python -m voip_emulator --platform c5`` (or ``emulator/voip-emulator``) runs
it; :mod:`voip_emulator.testing` starts it from tests.
"""

import importlib

#: Platform name -> "module:class" of its application, imported only when used
#: (so one platform's missing or broken module never stops another).
PLATFORMS = {
    "c5": "voip_emulator.c5.app:C5App",
    "sip2sip": "voip_emulator.sip2sip.app:Sip2SipApp",
    "vtx": "voip_emulator.vtx.app:VtxApp",
    "xc5": "voip_emulator.xc5.app:XC5App",
    # A trivial application that echoes requests, for the core's own tests.
    "echo": "voip_emulator.core.echo:EchoApp",
}


def load_platform(name):
    """Return the application class registered as platform ``name``."""
    try:
        target = PLATFORMS[name]
    except KeyError:
        raise ValueError("unknown platform %r (known: %s)" % (name, ", ".join(sorted(PLATFORMS)))) from None
    module_name, _sep, class_name = target.partition(":")
    return getattr(importlib.import_module(module_name), class_name)
