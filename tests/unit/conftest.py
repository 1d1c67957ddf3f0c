# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unit tests talk to the bundled emulator in-process (no sockets): put
``emulator/`` of this collection on ``sys.path`` so ``voip_emulator`` imports.
ansible-test runs the units from the collection copy, which carries ``emulator/``."""

import os
import sys

EMULATOR_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))
if os.path.isdir(EMULATOR_DIR) and EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)
