# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest fixtures for tests that run against the emulator.

Enable with ``pytest_plugins = ["voip_emulator.pytest_plugin"]`` in the root
``conftest.py`` (with ``emulator/`` on ``sys.path``).

``c5_emulator``         a C5 emulator over HTTP, one process per session, reset
                        (seed data, empty log, no faults, startup config) before each test
``c5_emulator_tls``     the same over HTTPS with client certificates (``.ca_file``)
``emulator_factory``    ``emulator_factory(platform="c5", tls=..., profile=..., ...)``
                        starts a private emulator, stopped after the test

``VOIP_EMULATOR_PROFILE`` and ``VOIP_EMULATOR_TIME_SCALE`` in the environment
select the session emulators' latency profile (e.g. ``c5-real`` and ``0.1``).
"""

import os

import pytest

from voip_emulator.testing import EmulatorProcess


def _session_options():
    options = {}
    if os.environ.get("VOIP_EMULATOR_PROFILE"):
        options["profile"] = os.environ["VOIP_EMULATOR_PROFILE"]
    if os.environ.get("VOIP_EMULATOR_TIME_SCALE"):
        options["time_scale"] = float(os.environ["VOIP_EMULATOR_TIME_SCALE"])
    return options


def _fresh(emulator):
    # A test may have killed the process on purpose; bring it back first.
    emulator.ensure_running()
    emulator.reset()
    return emulator


@pytest.fixture(scope="session")
def c5_emulator_session():
    with EmulatorProcess(platform="c5", **_session_options()) as emulator:
        yield emulator


@pytest.fixture
def c5_emulator(c5_emulator_session):
    return _fresh(c5_emulator_session)


@pytest.fixture(scope="session")
def c5_emulator_tls_session():
    with EmulatorProcess(platform="c5", tls=True, client_certs=True, **_session_options()) as emulator:
        yield emulator


@pytest.fixture
def c5_emulator_tls(c5_emulator_tls_session):
    return _fresh(c5_emulator_tls_session)


@pytest.fixture
def emulator_factory():
    started = []

    def start(**options):
        emulator = EmulatorProcess(**options)
        # Registered before start, so a failed start still cleans its state dir.
        started.append(emulator)
        return emulator.start()

    yield start
    for emulator in started:
        emulator.stop()
