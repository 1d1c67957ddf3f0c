# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's clock: the one source of "now" for every time-based behaviour of
every platform (leases, DND countdowns, Digest nonce expiry, CDR timestamps, JWT
expiry), so that tests move time instead of waiting for it.

By default a :class:`Clock` follows real time.  A test can set it to any instant,
advance it, or freeze it (``/__emulator__/clock`` over HTTP, ``.clock`` in-process):

* running:  ``now() = time.time() + offset``; ``set``/``advance`` change the offset;
* frozen:   ``now()`` stays at one instant until ``set``/``advance`` move it.

Listeners (``add_listener``) run after every ``set``/``advance``/``unfreeze``; the
base :class:`~voip_emulator.core.app.App` registers its ``on_clock_change`` there,
so expiry work runs however the clock was moved (control API or in-process).
"""

import threading
import time
from datetime import datetime, timezone


class ClockError(ValueError):
    """An invalid clock value (not a number nor an ISO 8601 instant)."""


def parse_instant(value):
    """Epoch seconds from a number or an ISO 8601 string (``...Z``, ``+hh:mm``;
    a string without offset is UTC)."""
    if isinstance(value, bool):
        raise ClockError("a clock instant must be epoch seconds or an ISO 8601 string, not %r" % (value,))
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                raise ClockError("not an ISO 8601 instant nor epoch seconds: %r" % (value,)) from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.timestamp()
    raise ClockError("a clock instant must be epoch seconds or an ISO 8601 string, not %r" % (value,))


def iso(epoch):
    """``2026-12-04T16:40:25.123Z`` (milliseconds, UTC)."""
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


class Clock:
    """A controllable clock; thread-safe."""

    def __init__(self, start=None, frozen=False, time_source=time.time):
        self._time = time_source
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen_at = None
        self._listeners = []
        if start is not None:
            self._offset = parse_instant(start) - self._time()
        if frozen:
            self._frozen_at = self._now_unlocked()

    # reading -----------------------------------------------------------
    def _now_unlocked(self):
        return self._frozen_at if self._frozen_at is not None else self._time() + self._offset

    def now(self):
        """Epoch seconds (float)."""
        with self._lock:
            return self._now_unlocked()

    def utcnow(self):
        """``now()`` as an aware UTC :class:`datetime.datetime`."""
        return datetime.fromtimestamp(self.now(), timezone.utc)

    def strftime(self, fmt):
        """``now()`` formatted in UTC, e.g. ``clock.strftime("%Y-%m-%d %H:%M:%S")``."""
        return self.utcnow().strftime(fmt)

    def iso(self):
        return iso(self.now())

    @property
    def frozen(self):
        with self._lock:
            return self._frozen_at is not None

    @property
    def offset(self):
        """Seconds between the clock and real time (0.0 = real time)."""
        with self._lock:
            return self._now_unlocked() - self._time()

    def as_dict(self):
        with self._lock:
            now = self._now_unlocked()
            frozen = self._frozen_at is not None
            offset = now - self._time()
        return {"now": now, "iso": iso(now), "frozen": frozen, "offset": offset}

    # moving ------------------------------------------------------------
    def set(self, instant):
        """Jump to ``instant`` (epoch seconds or ISO 8601); stays frozen if frozen."""
        epoch = parse_instant(instant)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = epoch
            else:
                self._offset = epoch - self._time()
        self._notify()
        return self.now()

    def advance(self, seconds):
        """Move forward (or back, when negative) by ``seconds``."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ClockError("advance takes a number of seconds, not %r" % (seconds,))
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
        self._notify()
        return self.now()

    def freeze(self, frozen=True):
        """Stop the clock at its current instant (``freeze(False)`` = :meth:`unfreeze`)."""
        if not frozen:
            return self.unfreeze()
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = self._now_unlocked()
            return self._frozen_at

    def unfreeze(self):
        """Run on from the frozen instant (no jump back to real time)."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - self._time()
                self._frozen_at = None
        self._notify()
        return self.now()

    def reset(self):
        """Back to real time, running."""
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None
        self._notify()

    def update(self, command):
        """Apply a control command ``{"set": instant}`` / ``{"advance": s}`` /
        ``{"freeze": bool}`` / ``{"reset": true}`` (several keys: in that order
        reset, freeze, set, advance). Returns :meth:`as_dict`."""
        if not isinstance(command, dict):
            raise ClockError("clock command must be an object")
        unknown = sorted(set(command) - {"set", "advance", "freeze", "reset"})
        if unknown:
            raise ClockError("unknown clock command key(s): %s (known: advance, freeze, reset, set)" % ", ".join(unknown))
        # Validate everything before changing anything.
        epoch = parse_instant(command["set"]) if "set" in command else None
        advance = command.get("advance")
        if advance is not None and (isinstance(advance, bool) or not isinstance(advance, (int, float))):
            raise ClockError("advance takes a number of seconds, not %r" % (advance,))
        if "freeze" in command and not isinstance(command["freeze"], bool):
            raise ClockError("freeze takes true or false, not %r" % (command["freeze"],))
        if command.get("reset"):
            self.reset()
        if "freeze" in command:
            self.freeze(command["freeze"])
        if epoch is not None:
            self.set(epoch)
        if advance is not None:
            self.advance(advance)
        return self.as_dict()

    # listeners ---------------------------------------------------------
    def add_listener(self, callback):
        """Call ``callback()`` after the clock was moved."""
        with self._lock:
            self._listeners.append(callback)

    def _notify(self):
        with self._lock:
            listeners = list(self._listeners)
        for callback in listeners:
            callback()
