# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pytest set-up for tests/emulator and tests/integration: the bundled
emulator package is importable and its fixtures are available."""

import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
EMULATOR_DIR = os.path.join(REPO, "emulator")
if EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)

pytest_plugins = ["voip_emulator.pytest_plugin"]
