"""Query-parameter filters with the semantics of the real API (spec §1.7).

NGCP tables use a case-insensitive collation, so every text comparison here is
case-insensitive.  ``$null`` / ``$not_null`` are the special values."""

import re

EXACT = "exact"
WILDCARD = "wildcard"    # SQL LIKE on the escaped value, '*' -> '%'
PATTERN = "pattern"      # '*' -> '%', '?' -> '_', else '='
LIST = "list"            # comma-separated list, IN (...)
NOT_LIST = "not_list"    # comma-separated list, NOT IN (...)


class Filter:
    """One declared filter: its kind and how to read the value(s) from a row."""

    def __init__(self, kind, getter):
        self.kind = kind
        self.getter = getter

    def matcher(self, raw):
        """Return a predicate row -> bool for the query value ``raw``."""
        value_test = _value_test(self.kind, raw)
        getter = self.getter

        def predicate(row):
            value = getter(row)
            if isinstance(value, (list, tuple, set)):
                return any(value_test(v) for v in value)
            return value_test(value)

        return predicate


def _text(value):
    if value is True:
        return "1"
    if value is False:
        return "0"
    return str(value).lower()


def _value_test(kind, raw):
    if raw == "$null" and kind in (EXACT, PATTERN):
        return lambda v: v is None
    if raw == "$not_null" and kind in (EXACT, PATTERN):
        return lambda v: v is not None
    if kind == LIST:
        wanted = {p.strip().lower() for p in raw.split(",")}
        return lambda v: v is not None and _text(v) in wanted
    if kind == NOT_LIST:
        unwanted = {p.strip().lower() for p in raw.split(",")}
        return lambda v: v is None or _text(v) not in unwanted
    if kind == WILDCARD:
        if raw == "$null":
            # LIKE '' (spec §1.7: $null degenerates for wildcard filters)
            return lambda v: v is not None and str(v) == ""
        if raw == "$not_null":
            return lambda v: v is not None
        regex = re.compile("".join(".*" if ch == "*" else re.escape(ch) for ch in raw), re.IGNORECASE | re.DOTALL)
        return lambda v: v is not None and regex.fullmatch(str(v)) is not None
    if kind == PATTERN and ("*" in raw or "?" in raw):
        regex = re.compile("".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in raw), re.IGNORECASE | re.DOTALL)
        return lambda v: v is not None and regex.fullmatch(str(v)) is not None
    wanted = raw.lower()
    return lambda v: v is not None and _text(v) == wanted


def is_plain(raw):
    """True when a query value is a literal (usable for an index lookup)."""
    return raw is not None and not raw.startswith("$") and "*" not in raw and "?" not in raw
