# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest fixtures for tests that run against the emulator.

Enable with ``pytest_plugins = ["voip_emulator.pytest_plugin"]`` in the root
``conftest.py`` (with ``emulator/`` on ``sys.path``).

``emulator``            ``emulator("c5")``, ``emulator("xc5", tls=True)``, ...: any
                        platform over HTTP(S); one process per platform and options
                        for the whole session, reset (seed data, empty log, no
                        faults, startup config, real-time clock) the first time a
                        test asks for it. Returns an
                        :class:`~voip_emulator.testing.EmulatorProcess`.
``inprocess_emulator``  ``inprocess_emulator("c5")``: a fresh
                        :class:`~voip_emulator.inprocess.InProcessEmulator` (no
                        sockets; ``.session()`` / ``.adapter``), closed after the test
``c5_emulator``         ``emulator("c5")``
``c5_emulator_tls``     ``emulator("c5", tls=True, client_certs=True)`` (``.ca_file``)
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


class EmulatorPool:
    """Session-wide emulator processes, one per (platform, options)."""

    def __init__(self):
        self.running = {}

    def get(self, platform, **options):
        merged = dict(_session_options(), **options)
        key = (platform, tuple(sorted((name, repr(value)) for name, value in merged.items())))
        emulator = self.running.get(key)
        if emulator is None:
            emulator = EmulatorProcess(platform=platform, **merged)
            self.running[key] = emulator
            emulator.start()
        return emulator

    def stop(self):
        for emulator in self.running.values():
            emulator.stop()
        self.running.clear()


@pytest.fixture(scope="session")
def emulator_pool():
    pool = EmulatorPool()
    yield pool
    pool.stop()


@pytest.fixture
def emulator(emulator_pool):
    """``emulator(platform="c5", **options)`` -> a running, freshly reset
    EmulatorProcess (reset once per test; asking again in the same test returns
    the same emulator without resetting it)."""
    used = {}

    def get(platform="c5", **options):
        process = emulator_pool.get(platform, **options)
        if id(process) not in used:
            used[id(process)] = _fresh(process)
        return process

    return get


@pytest.fixture
def inprocess_emulator():
    """``inprocess_emulator(platform="c5", **options)`` -> a new InProcessEmulator."""
    from voip_emulator.inprocess import InProcessEmulator  # pylint: disable=import-outside-toplevel

    made = []

    def make(platform="c5", **options):
        instance = InProcessEmulator(platform, **options)
        made.append(instance)
        return instance

    yield make
    for instance in made:
        instance.close()


@pytest.fixture(scope="session")
def c5_emulator_session(emulator_pool):
    return emulator_pool.get("c5")


@pytest.fixture
def c5_emulator(emulator):
    return emulator("c5")


@pytest.fixture(scope="session")
def c5_emulator_tls_session(emulator_pool):
    return emulator_pool.get("c5", tls=True, client_certs=True)


@pytest.fixture
def c5_emulator_tls(emulator):
    return emulator("c5", tls=True, client_certs=True)


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
