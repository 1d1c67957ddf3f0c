# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fields declared once, on the resource.

A :class:`Field` says everything about one attribute of a resource: the option
that sets it (at task level and in an entry of ``items``), its API name, its type,
how a wanted value is normalised, how a server value is read into comparable form,
how two values compare, whether it is a secret, whether it can be written.  A
:class:`FieldSet` of them gives

* the argument spec of the task and of the entries of ``items``
  (:meth:`FieldSet.argument_spec`), so the two are never written twice;
* the desired state of an item (:meth:`FieldSet.desired`), the comparable view of
  a server object (:meth:`FieldSet.view`) and the API body (:meth:`FieldSet.to_api`);
* the comparison (:meth:`FieldSet.differs`) and the diff masking
  (:attr:`FieldSet.hidden`, :attr:`FieldSet.write_only`).

Names: ``name`` is the key of the field in the desired state, the view and the
diff; ``option`` the task option (default: ``name``); ``item_option`` the name in
an entry of ``items`` (default: ``option``; C5 subscribers are ``sip_username``
at task level, where ``username`` is the API login, and ``username`` in entries);
``api_name`` the key in the API's objects (default: ``name``).  A field with
``api=False`` is a task option that is not part of the object (``state``,
``update_password``, ``clear_others``): it is in the argument spec only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

#: What a secret looks like in results and diffs.
MASK = "********"
MASK_CHANGED = "******** (changed)"

_SPEC_KEYS = ("type", "elements", "choices", "default", "required", "aliases", "no_log")


def _differs_casefold(current, wanted):
    return str("" if current is None else current).lower() != str("" if wanted is None else wanted).lower()


def _canonical(value):
    # Sort key for set comparison of any JSON value (dicts and lists included).
    return repr(sorted(value.items())) if isinstance(value, dict) else repr(value)


def _differs_set(current, wanted):
    return sorted((_canonical(v) for v in current or [])) != sorted((_canonical(v) for v in wanted or []))


def _differs_ordered(current, wanted):
    return list(current or []) != list(wanted or [])


def _differs_equal(current, wanted):
    return current != wanted


COMPARISONS = {
    "equal": _differs_equal,
    "casefold": _differs_casefold,
    "set": _differs_set,
    "ordered": _differs_ordered,
}


class Field:
    """One declared attribute (see the module docstring for the names).

    ``type``/``elements``/``choices``/``default``/``required``/``aliases`` are the
    argument spec's; ``options`` are nested fields of a ``dict`` (or of the dicts
    of a ``list``), given as Fields or as a plain argument spec dict.
    ``normalise(value)`` turns a wanted value into comparable form (may raise
    InputError naming the field); ``read(value)`` does the same for a server
    value; ``compare`` is ``"equal"``, ``"casefold"``, ``"set"``, ``"ordered"`` or
    ``callable(current, wanted) -> True when they differ``.  ``secret`` is
    ``"readable"`` (the server returns it: compared, always masked) or
    ``"write_only"`` (never returned: sent on create, and on update only when the
    task asks, ``update_password: always``).  ``writable=False``: read, compared
    never written.  ``key``: part of the natural key (required in each entry of
    ``items``).  ``in_items=False``: a task-level option only.  ``omit_none``: the
    view leaves the field out when the server value is None (fields some logins
    cannot see).  ``resolve(resource, value, item)`` turns a reference (a name)
    into what the API takes (an id); it may raise Unresolved."""

    def __init__(self, name, type="str", api_name=None, elements=None, options=None, choices=None, default=None,
                 required=False, aliases=(), normalise=None, read=None, compare="equal", secret=None, writable=True,
                 key=False, in_items=True, description=None, option=None, item_option=None, item_aliases=None,
                 item_default=None, item_required=None, api=True, resolve=None, no_log=None, omit_none=False,
                 in_task=True):
        if secret not in (None, "readable", "write_only"):
            raise ValueError("Field %s: secret must be None, 'readable' or 'write_only'" % name)
        if not callable(compare) and compare not in COMPARISONS:
            raise ValueError("Field %s: unknown comparison %r" % (name, compare))
        self.name = name
        self.type = type
        self.api_name = api_name or name
        self.elements = elements
        self.options = options
        self.choices = list(choices) if choices is not None else None
        self.default = default
        self.required = required
        self.aliases = list(aliases or ())
        self.normalise = normalise
        self.read = read
        self.compare = compare
        self.secret = secret
        self.writable = writable
        self.key = key
        self.in_items = in_items
        self.in_task = in_task
        self.description = description
        self.option = option or name
        self.item_option = item_option or self.option
        self.item_aliases = list(item_aliases) if item_aliases is not None else list(self.aliases)
        self.item_default = item_default
        self.item_required = key if item_required is None else item_required
        self.api = api
        self.resolve = resolve
        self.no_log = no_log
        self.omit_none = omit_none

    # --- argument spec ------------------------------------------------------------------
    def _nested_spec(self):
        if self.options is None:
            return None
        if isinstance(self.options, dict):
            return copy.deepcopy(self.options)
        return dict((f.option, f.spec()) for f in self.options)

    def spec(self, for_items=False):
        """The argument spec entry of this field, at task level or in an entry."""
        spec = {"type": self.type}
        if self.elements is not None:
            spec["elements"] = self.elements
        nested = self._nested_spec()
        if nested is not None:
            spec["options"] = nested
        if self.choices is not None:
            spec["choices"] = list(self.choices)
        if for_items:
            if self.item_default is not None:
                spec["default"] = copy.deepcopy(self.item_default)
            if self.item_required:
                spec["required"] = True
            if self.item_aliases:
                spec["aliases"] = list(self.item_aliases)
        else:
            if self.default is not None:
                spec["default"] = copy.deepcopy(self.default)
            if self.required:
                spec["required"] = True
            if self.aliases:
                spec["aliases"] = list(self.aliases)
        no_log = self.no_log if self.no_log is not None else (True if self.secret else None)
        if no_log is not None:
            spec["no_log"] = no_log
        return spec

    # --- values ----------------------------------------------------------------------------
    def wanted(self, value):
        return self.normalise(value) if self.normalise is not None and value is not None else value

    def current(self, value):
        return self.read(value) if self.read is not None else value

    def differs(self, current, wanted):
        compare = self.compare if callable(self.compare) else COMPARISONS[self.compare]
        return bool(compare(current, wanted))


class FieldSet:
    """The fields of one resource, in declaration order (see the module docstring)."""

    def __init__(self, *fields):
        self.fields = list(fields)
        self.by_name = dict((f.name, f) for f in self.fields)
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("FieldSet: a field name is declared twice: %s" % sorted(n for n in names if names.count(n) > 1))

    def __iter__(self):
        return iter(self.fields)

    def __contains__(self, name):
        return name in self.by_name

    def get(self, name):
        return self.by_name.get(name)

    def extended(self, *fields):
        """A new FieldSet with more fields (a variant of a resource)."""
        return FieldSet(*(self.fields + list(fields)))

    @property
    def hidden(self):
        """Names never shown in results and diffs (every secret)."""
        return tuple(f.name for f in self.fields if f.secret)

    @property
    def write_only(self):
        """Names the server never returns (compared never)."""
        return tuple(f.name for f in self.fields if f.secret == "write_only")

    @property
    def keys(self):
        return tuple(f.name for f in self.fields if f.key)

    # --- argument specs -----------------------------------------------------------------------
    def task_spec(self):
        return dict((f.option, f.spec()) for f in self.fields if f.in_task)

    def items_spec(self):
        return dict((f.item_option, f.spec(for_items=True)) for f in self.fields if f.in_items)

    def argument_spec(self, items=True, item_rules=None):
        """The task's argument spec (without the connection options): every field's
        option and, with ``items``, the list of entries whose options come from the
        same fields (no task default: an entry inherits what it does not set), and
        ``continue_on_error`` (doc fragment ``voip.provisioning.bulk``; see
        :func:`.engine.run_resource`)."""
        spec = self.task_spec()
        if items:
            spec["items"] = dict(type="list", elements="dict", options=self.items_spec())
            spec["items"].update(copy.deepcopy(item_rules or {}))
            spec["continue_on_error"] = dict(type="bool", default=False)
            # The entries read from a file by the module (core/items_file.py).
            spec["items_file"] = dict(type="path")
        return spec

    def entry_as_task(self, entry):
        """An entry of ``items`` in the task's option names: each field's
        ``item_option`` becomes its ``option`` (an entry's ``username`` is the
        subscriber's, never the task's API login); a value given under the task
        name in the entry (tests, aliases already resolved) is kept when the entry
        name is unset."""
        entry = dict(entry)
        for field in self.fields:
            if field.item_option == field.option or not field.in_items:
                continue
            value = entry.pop(field.item_option, None)
            if value is None:
                value = entry.get(field.option)
            entry[field.option] = value
        return entry

    # --- desired / view / api -------------------------------------------------------------------
    def desired(self, item, resolver=None):
        """The wanted values of the API fields the item sets, normalised, keyed by
        name (references resolved when ``resolver`` is given)."""
        desired = {}
        for field in self.fields:
            if not field.api:
                continue
            value = item.get(field.option)
            if value is None:
                continue
            if field.resolve is not None:
                if resolver is None:
                    continue
                value = field.resolve(resolver, value, item)
                if value is None:
                    continue
            desired[field.name] = field.wanted(value)
        return desired

    def view(self, raw):
        """The comparable form of a server object: API fields by name, read."""
        raw = raw or {}
        view = {}
        for field in self.fields:
            if not field.api or field.secret == "write_only":
                continue
            value = raw.get(field.api_name)
            if value is None and field.omit_none:
                continue
            view[field.name] = field.current(value)
        return view

    def to_api(self, values):
        """An API body from values keyed by name (writable fields only; unknown
        names are passed through as they are)."""
        body = {}
        for name, value in values.items():
            field = self.by_name.get(name)
            if field is None:
                body[name] = value
            elif field.api and field.writable:
                body[field.api_name] = value
        return body

    def differs(self, name, current, wanted):
        field = self.by_name.get(name)
        if field is None:
            return current != wanted
        return field.differs(current, wanted)


def mask(data, hidden, changed=()):
    """A copy of ``data`` with the values of ``hidden`` keys masked (those in
    ``changed`` as ``"******** (changed)"``)."""
    if not isinstance(data, dict):
        return data
    masked = dict(data)
    for name in hidden:
        if masked.get(name) is not None:
            masked[name] = MASK_CHANGED if name in changed else MASK
    return masked


#: Keys that hold a secret in what an API returns, whatever the resource: a
#: password (``password``, ``webpassword``, ``peer_auth_pass``, ``account_password``),
#: a secret, a token, a pre-shared key.
SECRET_KEY = re.compile(r"(pass|passwd|password|secret|token|psk)$", re.IGNORECASE)


def mask_deep(data, is_secret=None):
    """A copy of ``data`` (dicts and lists, at any depth) with the value of every
    key that ``is_secret(key)`` accepts masked (default: :data:`SECRET_KEY`): for
    info modules, which return whole API objects."""
    is_secret = is_secret or (lambda key: bool(SECRET_KEY.search(str(key))))
    if isinstance(data, dict):
        return dict((key, MASK if is_secret(key) and value not in (None, "") and not isinstance(value, (dict, list))
                     else mask_deep(value, is_secret)) for key, value in data.items())
    if isinstance(data, list):
        return [mask_deep(value, is_secret) for value in data]
    return data
