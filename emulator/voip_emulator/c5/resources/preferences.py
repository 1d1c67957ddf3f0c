"""subscriberpreferences and subscriberpreferencedefs (spec §4.10, §4.11)."""

import ipaddress

from voip_emulator.c5 import hal, prefdefs
from voip_emulator.c5.errors import ApiError
from voip_emulator.c5.filters import EXACT, Filter
from voip_emulator.c5.resources.base import Resource, int_or_none
from voip_emulator.core.app import Response

IGNORED_KEYS = ("id", "subscriber_id", "_links", "_embedded")
# Enum preferences whose definition default is written on subscriber creation
# (verified live: a fresh subscriber shows exactly these two besides cc/ac/allowed_clis).
CREATION_ENUM_DEFAULTS = ("call_log_level", "emergency_location_format")
MAX_LENGTH = 128


def _perl_ref(value):
    """Perl's ref() of a decoded JSON value, as the type error messages print it."""
    if isinstance(value, list):
        return "ARRAY"
    if isinstance(value, dict):
        return "HASH"
    return ""


def _element(name, definition, value, resolve=None):
    kind = definition["type"]
    if isinstance(value, (list, dict)):
        raise ApiError(422, "Invalid data type for element in preference '%s', expected '%s'" % (name, kind))
    if kind == "boolean":
        if value in (True, False) or value in (0, 1) or value in ("0", "1", "true", "false"):
            return value in (True, 1, "1", "true")
        raise ApiError(422, "Invalid data type for element in preference '%s', expected 'boolean'" % name)
    if kind == "int":
        number = int_or_none(value)
        if number is None:
            raise ApiError(422, "Invalid data type for element in preference '%s', expected 'int'" % name)
        return number
    text = value if isinstance(value, str) else ("1" if value is True else "0" if value is False else str(value))
    if kind == "enum":
        allowed = [v for _label, v, _default in definition["enum"] if v is not None]
        if text not in allowed:
            raise ApiError(422, "Invalid enum value in preference '%s'" % name)
        return text
    if name in prefdefs.REFERENCE_PREFS:
        word, _resource = prefdefs.REFERENCE_PREFS[name]
        target = resolve(name, text) if resolve else None
        if target is None:
            raise ApiError(422, "Unknown %s '%s'" % (word, text))
        return target["id"]
    if name in prefdefs.IP_LIST_PREFS:
        try:
            ipaddress.ip_network(text, strict=False)
        except ValueError as exc:
            raise ApiError(422, "Invalid IPv4 or IPv6 address '%s'" % text) from exc
    return text


def _length(value):
    return len(value if isinstance(value, str) else _text(value))


def _text(value):
    return "1" if value is True else "0" if value is False else str(value)


def validate_preference(name, value, resolve=None):
    """The stored value of one preference, or a 422 as the real one answers it
    (length first, then the shape, then the value; Utils/Preferences.pm).
    ``resolve(name, text)`` finds the object a reference preference names."""
    definition = prefdefs.BY_NAME[name]
    if not isinstance(value, (list, dict)) and value is not None and _length(value) > MAX_LENGTH:
        raise ApiError(422, "Preference '%s' exceeds maximum length of %d characters" % (name, MAX_LENGTH))
    if isinstance(value, list) and any(v is not None and not isinstance(v, (list, dict)) and _length(v) > MAX_LENGTH for v in value):
        raise ApiError(422, "Element in preference '%s' exceeds maximum length of %d characters" % (name, MAX_LENGTH))
    if definition["max_occur"] == 1:
        if isinstance(value, (list, dict)):
            raise ApiError(422, "Invalid data type '%s' for preference '%s', expected flat value" % (_perl_ref(value), name))
        return _element(name, definition, value, resolve)
    if not isinstance(value, list):
        raise ApiError(422, "Invalid data type '%s' for preference '%s', expected ARRAY" % (_perl_ref(value), name))
    values = [_element(name, definition, v, resolve) for v in value]
    if name == "allowed_clis" and len(set(values)) != len(values):
        raise ApiError(422, "Duplicate value in preference 'allowed_clis'")
    return values


class SubscriberPreferences(Resource):
    name = "subscriberpreferences"
    entity = "subscriberpreference"
    table = "subscribers"
    collection_methods = ("GET",)
    item_methods = ("GET", "PATCH", "PUT")
    patch_ops = ("replace", "add", "remove", "copy")

    def __init__(self, app):
        super().__init__(app)
        contracts = self.state.tables["contracts"]
        self.filters = {
            "reseller_id": Filter(EXACT, lambda r: r["reseller_id"]),
            "contact_id": Filter(EXACT, lambda r: contracts[r["customer_id"]]["contact_id"]),
        }

    def visible(self, ctx, row):
        return self.app.resources["subscribers"].visible(ctx, row)

    @staticmethod
    def enum_defaults():
        return {name: prefdefs.enum_default(prefdefs.BY_NAME[name]) for name in CREATION_ENUM_DEFAULTS}

    def referenced(self, name, ref_id):
        """The row a stored reference preference names, None once it is gone
        (the real one then leaves the preference out of GET)."""
        resource = prefdefs.REFERENCE_PREFS[name][1]
        return self.app.reference_source(resource).lookup_any(ref_id) if resource else None

    def render(self, ctx, row):
        prefs = self.app.resources["subscribers"].prefs(row)
        body = {}
        for name, value in prefs.items():
            if name not in prefdefs.BY_NAME:
                continue
            if name in prefdefs.REFERENCE_PREFS:
                target = self.referenced(name, value)
                if target is not None:
                    body[name] = target["level"] if "level" in target else target["name"]
                continue
            body[name] = list(value) if isinstance(value, list) else value
        body["id"] = row["id"]
        body["subscriber_id"] = row["id"]
        return body

    def relations(self, row):
        return [("subscribers", "/api/subscribers/%s" % row["id"]), ("journal", "/api/subscriberpreferences/%s/journal/" % row["id"])]

    def resolver(self, sub):
        """Reference names resolve among the objects of the subscriber's reseller."""
        def resolve(name, text):
            resource = prefdefs.REFERENCE_PREFS[name][1]
            return self.app.reference_source(resource).find_for_preference(sub["reseller_id"], text) if resource else None
        return resolve

    def update(self, ctx, row, body, patch):
        old = self.app.resources["subscribers"].prefs(row)
        resolve = self.resolver(row)
        new = {}
        for name, value in body.items():
            if name in IGNORED_KEYS:
                continue
            if name in prefdefs.FOREIGN_ENUM_PREFS:
                # verified live: rejected whatever the value, nothing is stored
                raise ApiError(422, "Invalid enum value in preference '%s'" % name)
            if name not in prefdefs.BY_NAME:
                continue  # unknown (or internal) names are silently ignored
            if value is None:
                # PUT: null = not set; PATCH: a replace with null keeps the old value
                if patch and name in old:
                    new[name] = old[name]
                continue
            new[name] = validate_preference(name, value, resolve)
        # PUT replaces the complete set; PATCH deletes what vanished from the document
        self.app.resources["subscribers"].put_prefs(row["id"], new)
        return row


class SubscriberPreferenceDefs(Resource):
    """Not paginated, no total_count: one object keyed by preference name."""

    name = "subscriberpreferencedefs"
    entity = "subscriberpreferencedef"
    table = "subscribers"
    roles = ("admin", "reseller")
    collection_methods = ("GET",)
    item_methods = ()

    def lookup(self, ctx, item_id):
        return None

    def collection_response(self, ctx):
        body = {"_links": {"curies": hal.CURIES, "profile": {"href": hal.PROFILE}, "self": {"href": "/api/subscriberpreferencedefs/"}}}
        for definition in prefdefs.DEFINITIONS:
            body[definition["name"]] = prefdefs.render_definition(definition)
        response = Response(200, [("Content-Type", hal.hal_content_type(ctx.request))], hal.encode(body))
        response.rows_returned = len(prefdefs.DEFINITIONS)
        return response
