"""A small generic resource framework: declared filters, ordering, scoping,
rendering and the hooks the request dispatcher (``c5/app.py``) calls."""

import re

from voip_emulator.c5.errors import ApiError, not_found, path_not_found, scalar_text, validation_failed
from voip_emulator.c5.filters import Filter


class Context:
    """Who is calling: the authenticated admin row and derived role."""

    def __init__(self, app, request, admin):
        self.app = app
        self.request = request
        self.admin = admin
        self.role = "admin" if (admin.get("is_superuser") or admin.get("is_system")) else "reseller"
        self.reseller_id = admin.get("reseller_id")
        self.show_passwords = bool(admin.get("show_passwords"))

    @property
    def is_admin(self):
        return self.role == "admin"


class Resource:
    """Base class; subclasses set the class attributes and override the hooks."""

    name = ""                 # collection name, e.g. "customers"
    entity = ""               # name in "Entity '<entity>' not found."
    table = ""                # state table
    roles = ("admin", "reseller")
    collection_methods = ("GET", "POST")
    item_methods = ("GET", "PATCH", "PUT")
    patch_ops = ("replace", "copy")
    generic_handler = False   # POST honours Prefer; every Link rel has "item" on GET
    item_link_header = True   # resellers send no Link header (verified live)
    item_link_rels = None     # relations prefixed "item" on GET; None: all when generic_handler
    filters = {}
    order_columns = ()        # real columns usable in order_by
    expandable = {}           # field -> resource name for ``expand``

    def __init__(self, app):
        self.app = app
        self.state = app.state

    # reading -----------------------------------------------------------------
    def all_rows(self):
        return self.state.tables[self.table].values()

    def visible(self, ctx, row):  # pylint: disable=unused-argument
        return True

    def candidates(self, ctx, params):  # pylint: disable=unused-argument
        """Rows to filter, in id order; subclasses narrow this with an index."""
        return self.all_rows()

    def lookup(self, ctx, item_id):
        row = self.state.get(self.table, item_id)
        if row is None or not self.visible(ctx, row):
            return None
        return row

    def lookup_any(self, item_id):
        """A row by id whoever asks (references stored by id)."""
        return self.state.get(self.table, item_id)

    def require(self, ctx, item_id):
        row = self.lookup(ctx, item_id)
        if row is None:
            raise not_found(self.entity)
        return row

    def build_filters(self, params):
        predicates = []
        for key, value in params:
            spec = self.filters.get(key)
            if isinstance(spec, Filter):
                predicates.append(spec.matcher(value))
        return predicates

    def order_value(self, row, column):
        value = row.get(column)
        return (value is not None, value if not isinstance(value, str) else value.lower())

    # rendering ----------------------------------------------------------------
    # The dispatcher only calls a hook for a method the resource declares; a
    # method a resource lacks is a 404 "Path not found" on the real API (spec §1.1).
    def render(self, ctx, row):  # pylint: disable=unused-argument
        raise path_not_found()

    def relations(self, row):  # pylint: disable=unused-argument
        """Ordered (name, href) list of the item's ``ngcp:<name>`` relations."""
        return []

    def item_id(self, row):
        return row["id"]

    def patch_document(self, ctx, row):
        return self.render(ctx, row)

    # writing ------------------------------------------------------------------
    def create(self, ctx, body):  # pylint: disable=unused-argument
        raise path_not_found()

    def update(self, ctx, row, body, patch):  # pylint: disable=unused-argument
        raise path_not_found()

    def delete(self, ctx, row):  # pylint: disable=unused-argument
        raise path_not_found()


# helpers ---------------------------------------------------------------------

def now_sql(clock):
    """``YYYY-MM-DD HH:MM:SS`` by the emulator clock (customers, billing, contracts)."""
    return clock.strftime("%Y-%m-%d %H:%M:%S")


def now_iso(clock):
    """``2026-11-23T09:24:54+00:00`` by the emulator clock (subscribers, verified live)."""
    return clock.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def to_bool(value):
    """JSON true/false and 0/1 are accepted for booleans (spec §3.5)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false")
    return bool(value)


_INT_RE = re.compile(r"^\s*[+-]?\d+\s*$")


def int_or_none(value):
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT_RE.match(value):
        return int(value)
    return None


def require_int(field, value, positive=False, message=None):
    """An integer form field: 422 ``Value must be an integer`` otherwise."""
    number = int_or_none(value)
    if number is None or (positive and number < 0):
        errors = message or ("Value must be an integer" + (",Value must be a positive integer" if positive else ""))
        raise validation_failed([(field, scalar_text(value), errors)])
    return number


def text_or_none(value):
    if value is None:
        return None
    return scalar_text(value)


def reject_readonly(ctx):
    if ctx.admin.get("read_only"):
        raise ApiError(403, "Invalid HTTP method for read-only user")


class AppliedRows:
    """``create``/``update`` of a resource whose ``_apply(ctx, body, current)``
    checks a body and returns the row it makes (a new row takes the table's next
    id).  Mixed in before the resource's base class."""

    def create(self, ctx, body):
        row = self._apply(ctx, body, None)
        row["id"] = self.state.next_id(self.table)
        self.state.put(self.table, row)
        return row

    def update(self, ctx, row, body, patch):  # pylint: disable=unused-argument
        new = self._apply(ctx, body, row)
        self.state.put(self.table, new)
        return new
