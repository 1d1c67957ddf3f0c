# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control API under ``/__emulator__/`` (no authentication, never logged,
never faulted, no latency):

``GET    /__emulator__/health``    ``{"platform": "c5", "ok": true, "url": ..., "ca_file": ..., ...}``
``GET    /__emulator__/requests``  the request log, oldest first; ``?since=SEQ`` only newer
                                   entries, ``?clear=1`` empties the log in the same step
``DELETE /__emulator__/requests``  empty the log
``GET    /__emulator__/faults``    the fault rules with their ``matched``/``fired`` counters
``POST   /__emulator__/faults``    add a rule (object) or rules (list), see ``FaultRules``
``DELETE /__emulator__/faults``    remove all rules
``GET    /__emulator__/config``    the effective latency profile, time scale, seed, worker use
``POST   /__emulator__/config``    change them, see ``Emulator.configure``
``POST   /__emulator__/reset``     back to seed data, empty log, no faults, startup config,
                                   real-time clock; a body ``{"app": false}`` (or
                                   requests/faults/config/clock) keeps that part
``GET    /__emulator__/clock``     ``{"now": epoch, "iso": "...Z", "frozen": bool, "offset": s}``
``POST   /__emulator__/clock``     ``{"set": epoch or ISO 8601}``, ``{"advance": seconds}``,
                                   ``{"freeze": true|false}``, ``{"reset": true}`` (real time);
                                   answers the new clock state
"""

import json
from urllib.parse import parse_qs

from voip_emulator.core.app import Response

#: Prefix of the control API; requests below it are never logged or faulted.
CONTROL_PREFIX = "/__emulator__/"


def _ok(obj, status=200):
    return Response.json(status, obj)


def _error(status, message):
    return Response.json(status, {"ok": False, "error": message})


def _json_body(request, default=None):
    if not request.body.strip():
        return default
    try:
        return json.loads(request.body)
    except ValueError as exc:
        raise ValueError("body is not valid JSON: %s" % exc) from exc


def _flag(value):
    return value.lower() in ("1", "true", "yes", "on")


def _requests(emulator, request, query):
    if request.method in ("GET", "HEAD"):
        since = int(query.get("since", ["0"])[-1] or 0)
        clear = _flag(query.get("clear", ["0"])[-1])
        return _ok(emulator.log.entries(since=since, clear=clear))
    if request.method == "DELETE":
        return _ok({"ok": True, "cleared": emulator.log.clear()})
    return None


def _faults(emulator, request, _query):
    if request.method in ("GET", "HEAD"):
        return _ok(emulator.faults.as_list())
    if request.method == "POST":
        rules = _json_body(request)
        if rules is None:
            raise ValueError("POST a fault rule object or a list of them")
        return _ok(emulator.faults.add(rules))
    if request.method == "DELETE":
        emulator.faults.clear()
        return _ok({"ok": True})
    return None


def _config(emulator, request, _query):
    if request.method in ("GET", "HEAD"):
        return _ok(emulator.config())
    if request.method == "POST":
        return _ok(emulator.configure(_json_body(request, {})))
    return None


def _reset(emulator, request, _query):
    if request.method != "POST":
        return None
    parts = _json_body(request, {})
    if not isinstance(parts, dict):
        raise ValueError("reset body must be an object")
    emulator.reset(**{part: bool(parts.get(part, True)) for part in ("app", "requests", "faults", "config", "clock")})
    return _ok({"ok": True})


def _clock(emulator, request, _query):
    if request.method in ("GET", "HEAD"):
        return _ok(emulator.clock.as_dict())
    if request.method == "POST":
        # ClockError is a ValueError: 400 with its message.
        return _ok(emulator.clock.update(_json_body(request, {})))
    return None


def _health(emulator, request, _query):
    if request.method not in ("GET", "HEAD"):
        return None
    return _ok(emulator.health())


ROUTES = {
    "health": _health,
    "requests": _requests,
    "faults": _faults,
    "config": _config,
    "reset": _reset,
    "clock": _clock,
}


def handle_control(emulator, request):
    """Answer one control request."""
    name = request.path[len(CONTROL_PREFIX):].strip("/")
    route = ROUTES.get(name)
    if route is None and name.startswith(emulator.platform + "/") and hasattr(emulator.app, "control"):
        # A platform's own controls, /__emulator__/<platform>/...: answered by its
        # application's control(request, name) (None: no such control).
        answer = emulator.app.control(request, name[len(emulator.platform) + 1:])
        if answer is not None:
            return answer
    if route is None:
        return _error(404, "unknown control endpoint %r (known: %s)" % (name, ", ".join(sorted(ROUTES))))
    query = parse_qs(request.query_string, keep_blank_values=True)
    try:
        response = route(emulator, request, query)
    except (TypeError, ValueError) as exc:
        # Invalid rules, profiles and bodies (FaultError and ProfileError are ValueErrors).
        return _error(400, str(exc))
    if response is None:
        return _error(405, "method %s not allowed on %s" % (request.method, request.path))
    return response
