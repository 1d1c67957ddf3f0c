"""Sipwise C5 (NGCP) REST API v1 emulator application.

Reproduces the behaviour recorded from a real C5 in ``tests/fixtures/c5-real``
and specified in ``shared/specs/c5-rest-api.md``.
"""

from voip_emulator.c5.app import C5App

__all__ = ["C5App"]
