# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``python -m voip_emulator``: see :mod:`voip_emulator.cli`."""

import sys

from voip_emulator.cli import main

sys.exit(main())
