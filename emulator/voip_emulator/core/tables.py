# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""State tables of an emulated platform: in-memory dicts (fast reads) mirrored
write-through to the :class:`~voip_emulator.core.store.Store` (state survives a
restart on the same state directory).

    tables = Tables(store, "xc5")
    domains = tables.add("domains", id_kind="key")
    routes = tables.add("routes", id_kind="guid")
    users = tables.add("users", id_kind="int", id_field="id")
    if not tables.load():          # nothing persisted yet
        seed(tables)
    with tables.lock:              # one lock per platform state
        user_id = users.insert({"name": "alice"})      # 1, 2, ... ; doc["id"] set
        users.put(user_id, dict(users.get(user_id), name="bob"))

Id kinds:

``int``   integers counting up from ``first_id`` (default 1); the sequence is
          persisted and never reused, also after deletes (like a database
          auto-increment); ``next_id()`` consumes one without inserting
``guid``  upper-case GUID strings (``"3F2504E0-4F89-11D3-9A0C-0305E82C3301"``)
``key``   natural keys the caller passes as ``row_id`` (strings)

``rows()`` lists (id, doc) in insertion order (int tables: id order, which is
the same unless a caller inserted explicit ids out of order).
"""

import threading
import uuid

ID_KINDS = ("int", "guid", "key")


class Table:
    """One table. ``data`` is the live ``{id: doc}`` dict (read it freely while
    holding the lock; write only through the methods)."""

    def __init__(self, store, platform, name, id_kind="int", id_field=None, first_id=1, lock=None):
        if id_kind not in ID_KINDS:
            raise ValueError("id_kind must be one of %s, not %r" % (", ".join(ID_KINDS), id_kind))
        self.store = store
        self.platform = platform
        self.name = name
        self.id_kind = id_kind
        # When set, insert() writes the id into the doc under this key.
        self.id_field = id_field
        self.first_id = first_id
        self.lock = lock or threading.RLock()
        self.data = {}
        self._next = first_id

    # ids ---------------------------------------------------------------
    @property
    def _seq_key(self):
        return "seq:" + self.name

    def next_id(self):
        """A new id (int tables: the next sequence value, persisted; guid tables:
        a new GUID). Key tables have no ids of their own."""
        with self.lock:
            if self.id_kind == "guid":
                return str(uuid.uuid4()).upper()
            if self.id_kind == "key":
                raise ValueError("table %r has natural keys: pass row_id" % self.name)
            value = self._next
            self._next = value + 1
            if self.store is not None:
                self.store.set_meta(self.platform, self._seq_key, self._next)
            return value

    def set_next_id(self, value):
        """Move the sequence of an int table (e.g. to match a fresh real database)."""
        with self.lock:
            self._next = int(value)
            if self.store is not None:
                self.store.set_meta(self.platform, self._seq_key, self._next)

    def _normal_id(self, row_id):
        if self.id_kind == "int":
            return int(row_id)
        return str(row_id)

    # writing -----------------------------------------------------------
    def insert(self, doc, row_id=None):
        """Store a new row; return its id. ``row_id`` is required for key tables
        and optional otherwise (an explicit int id beyond the sequence moves the
        sequence past it). Raises KeyError when the id exists."""
        with self.lock:
            if row_id is None:
                row_id = self.next_id()
            else:
                row_id = self._normal_id(row_id)
                if self.id_kind == "int" and row_id >= self._next:
                    self.set_next_id(row_id + 1)
            if row_id in self.data:
                raise KeyError("%s: id %r exists" % (self.name, row_id))
            if self.id_field:
                doc[self.id_field] = row_id
            self._write(row_id, doc)
            return row_id

    def put(self, row_id, doc):
        """Insert or replace the row ``row_id`` (no sequence use)."""
        with self.lock:
            self._write(self._normal_id(row_id), doc)
            return doc

    def _write(self, row_id, doc):
        self.data[row_id] = doc
        if self.store is not None:
            self.store.put(self.platform, self.name, row_id, doc)

    def delete(self, row_id):
        """Remove a row; return its doc, or None when there was none."""
        with self.lock:
            row_id = self._normal_id(row_id)
            doc = self.data.pop(row_id, None)
            if self.store is not None:
                self.store.delete(self.platform, self.name, row_id)
            return doc

    def clear(self):
        """Remove every row (the int sequence goes back to ``first_id``)."""
        with self.lock:
            for row_id in list(self.data):
                self.delete(row_id)
            self.set_next_id(self.first_id)

    # reading -----------------------------------------------------------
    def get(self, row_id, default=None):
        try:
            return self.data.get(self._normal_id(row_id), default)
        except (TypeError, ValueError):
            return default

    def __contains__(self, row_id):
        return self.get(row_id) is not None

    def __len__(self):
        return len(self.data)

    def __iter__(self):
        """Ids, in order."""
        return iter(list(self.data))

    def rows(self):
        """List of (id, doc), in insertion / id order."""
        with self.lock:
            return list(self.data.items())

    def values(self):
        with self.lock:
            return list(self.data.values())

    def find(self, pred):
        """List of (id, doc) whose doc satisfies ``pred(doc)``, in order."""
        with self.lock:
            return [(row_id, doc) for row_id, doc in self.data.items() if pred(doc)]

    def first(self, pred):
        """(id, doc) of the first row satisfying ``pred(doc)``, or None."""
        with self.lock:
            for row_id, doc in self.data.items():
                if pred(doc):
                    return row_id, doc
        return None

    # persistence -------------------------------------------------------
    def _load(self, rows):
        """Take rows from :meth:`Store.load` (``{id str: doc}``, insertion order)."""
        # Filled in place: callers may hold references to ``data``.
        self.data.clear()
        if self.id_kind == "int":
            self.data.update((int(k), rows[k]) for k in sorted(rows, key=int))
            default = max(self.first_id, (max(self.data) + 1) if self.data else self.first_id)
        else:
            self.data.update(rows)
            default = self.first_id
        stored = self.store.get_meta(self.platform, self._seq_key) if self.store is not None else None
        self._next = stored if stored is not None else default

    def _wipe(self):
        # Clear in place: callers may hold references to ``data``.
        self.data.clear()
        self._next = self.first_id


class Tables:
    """The tables of one platform, sharing one lock (``tables.lock``)."""

    def __init__(self, store, platform):
        self.store = store
        self.platform = platform
        self.lock = threading.RLock()
        self.tables = {}

    def add(self, name, id_kind="int", id_field=None, first_id=1):
        table = Table(self.store, self.platform, name, id_kind, id_field, first_id, lock=self.lock)
        self.tables[name] = table
        return table

    def __getitem__(self, name):
        return self.tables[name]

    def __contains__(self, name):
        return name in self.tables

    def __iter__(self):
        return iter(self.tables.values())

    def load(self):
        """Load every table from the store; True when the store held any row of
        this platform (else the caller seeds)."""
        with self.lock:
            loaded = self.store.load(self.platform) if self.store is not None else {}
            for name, table in self.tables.items():
                table._load(loaded.get(name, {}))  # pylint: disable=protected-access
            return any(loaded.get(name) for name in self.tables)

    def wipe(self):
        """Drop every row and sequence of this platform (in memory and in the store)."""
        with self.lock:
            if self.store is not None:
                self.store.wipe(self.platform)
            for table in self.tables.values():
                table._wipe()  # pylint: disable=protected-access

    def get_meta(self, key, default=None):
        return self.store.get_meta(self.platform, key, default) if self.store is not None else default

    def set_meta(self, key, value):
        if self.store is not None:
            self.store.set_meta(self.platform, key, value)
