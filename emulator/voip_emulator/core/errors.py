# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Error answers an application can raise from anywhere.

:class:`HttpError` carries a status, a payload and headers; the base
:class:`~voip_emulator.core.app.App` turns it into a :class:`Response` (a
platform that needs another rendering catches it first, or overrides
``App.error_response``).  Payloads: a dict or list is sent as JSON, a str or
bytes as ``text/plain``, None as an empty body.

Each platform keeps its exact error shape on top of :func:`json_error`
(``{"code": status, "message": msg}`` or ``[{"error": msg}]``)."""

import json

from voip_emulator.core.app import Response


class HttpError(Exception):
    """An HTTP error answer. ``headers`` is a list of (name, value) pairs."""

    def __init__(self, status, payload=None, headers=(), content_type=None):
        super().__init__("%s %s" % (status, payload))
        self.status = status
        self.payload = payload
        self.headers = list(headers)
        self.content_type = content_type

    @property
    def message(self):
        """The error text, whatever the payload shape."""
        payload = self.payload
        if isinstance(payload, dict):
            return str(payload.get("message", payload.get("error", payload)))
        if isinstance(payload, list) and payload and isinstance(payload[0], dict):
            return str(payload[0].get("error", payload[0].get("message", payload)))
        if isinstance(payload, bytes):
            return payload.decode("utf-8", "replace")
        return "" if payload is None else str(payload)

    def response(self):
        payload = self.payload
        if payload is None:
            return Response(self.status, self.headers, b"")
        if isinstance(payload, (dict, list)):
            return json_response(self.status, payload, self.headers, self.content_type or "application/json")
        content_type = self.content_type or "text/plain; charset=utf-8"
        return Response(self.status, [("Content-Type", content_type)] + self.headers, payload)


def json_response(status, obj, headers=(), content_type="application/json"):
    """A JSON answer (compact, keys in insertion order)."""
    return Response(status, [("Content-Type", content_type)] + list(headers), json.dumps(obj).encode("utf-8"))


def error_payload(status, message, shape="object"):
    """``{"code": status, "message": message}`` (shape "object") or
    ``[{"error": message}]`` (shape "array")."""
    if shape == "object":
        return {"code": status, "message": message}
    if shape == "array":
        return [{"error": message}]
    raise ValueError("unknown error shape %r (object or array)" % (shape,))


def json_error(status, message, shape="object", headers=()):
    """A JSON error :class:`Response`, see :func:`error_payload`."""
    return json_response(status, error_payload(status, message, shape), headers)


def http_error(status, message, shape="object", headers=()):
    """An :class:`HttpError` with a :func:`error_payload` body, to ``raise``."""
    return HttpError(status, error_payload(status, message, shape), headers)
