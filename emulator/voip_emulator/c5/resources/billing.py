"""billingprofiles (spec §4.3)."""

import re

from voip_emulator.c5.errors import ApiError, invalid_value, scalar_text, validation_failed
from voip_emulator.c5.filters import EXACT, WILDCARD, Filter
from voip_emulator.c5.resources.base import AppliedRows, Resource, int_or_none, text_or_none, to_bool
from voip_emulator.c5.seed import billing_profile_defaults

BOOL_FIELDS = ("prepaid", "advice_of_charge", "ignore_domain", "fraud_use_reseller_rates")
NUMBER_FIELDS = ("interval_charge", "interval_free_cash")
INT_FIELDS = ("interval_free_time", "fraud_interval_limit", "fraud_daily_limit")
LOCK_FIELDS = ("fraud_interval_lock", "fraud_daily_lock")
TEXT_FIELDS = ("fraud_interval_notify", "fraud_daily_notify", "currency")
ZERO_DATE = "0000-00-00 00:00:00"
_HANDLE_RE = re.compile(r"^\w+$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def _number(field, value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    try:
        number = float(str(value))
    except ValueError as exc:
        raise validation_failed([(field, scalar_text(value), "Value must be a number")]) from exc
    return int(number) if number.is_integer() else number


def _weekdays(value):
    """``HH:MM`` comes back as ``HH:MM:SS``, sorted by weekday then start (verified live)."""
    out = []
    for entry in value or []:
        if not isinstance(entry, dict):
            raise ApiError(422, "Invalid peaktime_weekdays entry.")
        weekday = int_or_none(entry.get("weekday"))
        if weekday is None or not 0 <= weekday <= 6:
            raise validation_failed([("weekday", scalar_text(entry.get("weekday")), "Value must be between 0 and 6")])
        times = []
        for key in ("start", "stop"):
            match = _TIME_RE.match(str(entry.get(key) or ""))
            if not match:
                raise validation_failed([(key, scalar_text(entry.get(key)), "Invalid time format")])
            times.append("%02d:%s:%s" % (int(match.group(1)), match.group(2), match.group(3) or "00"))
        out.append({"weekday": weekday, "start": times[0], "stop": times[1]})
    out.sort(key=lambda e: (e["weekday"], e["start"]))
    for first, second in zip(out, out[1:]):
        if first["weekday"] == second["weekday"] and second["start"] <= first["stop"]:
            raise ApiError(422, "Peaktime weekday ranges overlap.")
    return out


def _special(value):
    out = []
    for entry in value or []:
        if not isinstance(entry, dict):
            raise ApiError(422, "Invalid peaktime_special entry.")
        for key in ("start", "stop"):
            if not _DATETIME_RE.match(str(entry.get(key) or "")):
                raise validation_failed([(key, scalar_text(entry.get(key)), "Invalid datetime format")])
        out.append({"start": entry["start"], "stop": entry["stop"]})
    out.sort(key=lambda e: e["start"])
    for first, second in zip(out, out[1:]):
        if second["start"] <= first["stop"]:
            raise ApiError(422, "Peaktime special ranges overlap.")
    return out


class BillingProfiles(AppliedRows, Resource):
    name = "billingprofiles"
    entity = "billingprofile"
    table = "billing_profiles"
    item_methods = ("GET", "PATCH", "PUT", "DELETE")
    patch_ops = ("replace", "add", "remove", "copy")
    filters = {
        "reseller_id": Filter(EXACT, lambda r: r.get("reseller_id")),
        "handle": Filter(WILDCARD, lambda r: r.get("handle")),
        "name": Filter(WILDCARD, lambda r: r.get("name")),
    }
    order_columns = ("id", "handle", "name", "reseller_id")

    def visible(self, ctx, row):
        if row["status"] == "terminated":
            return False
        return ctx.is_admin or row["reseller_id"] == ctx.reseller_id

    def render(self, ctx, row):
        body = {k: v for k, v in row.items() if k != "status"}
        body["status"] = row["status"]
        body["peaktime_weekdays"] = [dict(e) for e in row["peaktime_weekdays"]]
        body["peaktime_special"] = [dict(e) for e in row["peaktime_special"]]
        return body

    def relations(self, row):
        pid = row["id"]
        return [
            ("billingfees", "/api/billingfees/?billing_profile_id=%s" % pid),
            ("billingzones", "/api/billingzones/?billing_profile_id=%s" % pid),
            ("journal", "/api/billingprofiles/%s/journal/" % pid),
        ]

    def _apply(self, ctx, body, current):
        errors = []
        if ctx.is_admin:
            if body.get("reseller_id") in (None, ""):
                errors.append(("reseller_id", "", "Reseller field is required"))
            reseller_id = int_or_none(body.get("reseller_id"))
        else:
            reseller_id = ctx.reseller_id
        for field, label in (("handle", "Handle"), ("name", "Name")):
            if body.get(field) in (None, ""):
                errors.append((field, "", "%s field is required" % label))
        if errors:
            raise validation_failed(errors)
        if current is not None and reseller_id != current["reseller_id"]:
            raise ApiError(422, "Changing the reseller ID is not allowed.")
        if reseller_id is None or self.state.get("resellers", reseller_id) is None:
            raise ApiError(422, "Invalid reseller ID.")
        handle, name = str(body["handle"]), str(body["name"])
        if not _HANDLE_RE.match(handle):
            raise validation_failed([("handle", handle, "Handle must only contain letters, digits and underscores")])
        if len(name) > 31:
            raise validation_failed([("name", name, "Field should not exceed 31 characters")])
        for other in self.all_rows():
            if other["status"] == "terminated" or other["reseller_id"] != reseller_id or (current and other["id"] == current["id"]):
                continue
            if other["handle"].lower() == handle.lower():
                raise ApiError(422, "Reseller-Billing Profile handle '%s-%s-%s' already exists." % (reseller_id, handle, ZERO_DATE))
            if other["name"].lower() == name.lower():
                raise ApiError(422, "Reseller-Billing Profile name combination '%s-%s-%s' already exists." % (reseller_id, name, ZERO_DATE))
        # omitted scalar fields keep their value; omitted peak times are cleared (verified live)
        row = dict(current) if current else dict(billing_profile_defaults())
        row.update(reseller_id=reseller_id, handle=handle, name=name)
        for field in BOOL_FIELDS:
            if field in body and body[field] is not None:
                row[field] = to_bool(body[field])
        for field in NUMBER_FIELDS:
            if field in body and body[field] is not None:
                row[field] = _number(field, body[field])
        for field in INT_FIELDS:
            if field in body:
                row[field] = None if body[field] in (None, "") else int_or_none(body[field])
                if body[field] not in (None, "") and row[field] is None:
                    raise validation_failed([(field, scalar_text(body[field]), "Value must be an integer")])
        for field in LOCK_FIELDS:
            if field in body:
                lock = None if body[field] in (None, "") else int_or_none(body[field])
                if body[field] not in (None, "") and (lock is None or not 0 <= lock <= 5):
                    raise invalid_value(field, body[field])
                row[field] = lock
        for field in TEXT_FIELDS:
            if field in body:
                row[field] = text_or_none(body[field])
        if "prepaid_library" in body and body["prepaid_library"] not in (None, "libswrate"):
            raise invalid_value("prepaid_library", body["prepaid_library"])
        if "status" in body and body["status"] not in (None, "active", "terminated"):
            raise invalid_value("status", body["status"])
        if body.get("status") == "terminated":
            row["status"] = "terminated"
        row["peaktime_weekdays"] = _weekdays(body.get("peaktime_weekdays"))
        row["peaktime_special"] = _special(body.get("peaktime_special"))
        return row

    def delete(self, ctx, row):
        # DELETE terminates: the profile disappears from the API (verified live)
        self.state.put("billing_profiles", dict(row, status="terminated"))
