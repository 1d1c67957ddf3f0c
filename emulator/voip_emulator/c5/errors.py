"""API errors of the C5 emulator, rendered as the real error body (spec §3.3):
``{"code": <status>, "message": <message>}`` (the core's "object" error shape)."""

from voip_emulator.core.errors import HttpError, error_payload


class ApiError(HttpError):
    """An error answered as ``{"code": <status>, "message": <message>}``."""

    def __init__(self, status, message):
        super().__init__(status, error_payload(status, message))
        self.reason = message

    @property
    def message(self):
        return self.reason


def not_found(entity):
    return ApiError(404, "Entity '%s' not found." % entity)


def path_not_found():
    return ApiError(404, "Path not found")


def invalid_user():
    return ApiError(403, "Invalid user")


def validation_failed(errors):
    """``errors`` is a list of (field, input, message) in form order (spec §3.3)."""
    parts = ["field='%s', input='%s', errors='%s'" % (field, "" if value is None else value, message) for field, value, message in errors]
    return ApiError(422, "Validation failed. " + "; ".join(parts))


def invalid_value(field, value):
    """The HTML::FormHandler message for a value outside a select list."""
    text = scalar_text(value)
    return validation_failed([(field, text, "'%s' is not a valid value" % text)])


def scalar_text(value):
    """How Perl stringifies a JSON scalar in a form message."""
    if value is True:
        return "1"
    if value is False:
        return "0"
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
