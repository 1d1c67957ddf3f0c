"""Write-through persistence for emulator applications.

An application keeps its tables as dicts in memory (fast reads) and mirrors every
write here, so the state survives a restart.  Backed by one SQLite file (or an
in-memory database when no path is given).
"""

import json
import sqlite3
import threading


class Store:
    def __init__(self, path=None):
        self.path = path or ":memory:"
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS rows (platform TEXT, tbl TEXT, id TEXT, doc TEXT, PRIMARY KEY (platform, tbl, id))"
        )
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (platform TEXT, key TEXT, value TEXT, PRIMARY KEY (platform, key))")

    def put(self, platform, table, row_id, doc):
        with self._lock:
            # An upsert keeps the row's rowid, so :meth:`load` returns rows in
            # the order they were first inserted (tables with client-chosen or
            # GUID ids keep their insertion order across a restart).
            self._db.execute(
                "INSERT INTO rows VALUES (?, ?, ?, ?) ON CONFLICT (platform, tbl, id) DO UPDATE SET doc = excluded.doc",
                (platform, table, str(row_id), json.dumps(doc)),
            )

    def delete(self, platform, table, row_id):
        with self._lock:
            self._db.execute("DELETE FROM rows WHERE platform=? AND tbl=? AND id=?", (platform, table, str(row_id)))

    def load(self, platform):
        """Return {table: {id(str): doc}} for one platform, rows in insertion order."""
        tables = {}
        with self._lock:
            for table, row_id, doc in self._db.execute("SELECT tbl, id, doc FROM rows WHERE platform=? ORDER BY rowid", (platform,)):
                tables.setdefault(table, {})[row_id] = json.loads(doc)
        return tables

    def set_meta(self, platform, key, value):
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?, ?)", (platform, key, json.dumps(value)))

    def get_meta(self, platform, key, default=None):
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE platform=? AND key=?", (platform, key)).fetchone()
        return json.loads(row[0]) if row else default

    def wipe(self, platform):
        with self._lock:
            self._db.execute("DELETE FROM rows WHERE platform=?", (platform,))
            self._db.execute("DELETE FROM meta WHERE platform=?", (platform,))

    def close(self):
        with self._lock:
            self._db.close()
