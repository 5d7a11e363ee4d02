"""JSON documents in SQLite (a file when state must outlive the process, else in memory).

One lock guards the connection; ``transaction()`` holds it across several calls so a vendor
operation (check, then write) is atomic with respect to concurrent requests.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    ns TEXT NOT NULL, coll TEXT NOT NULL, key TEXT NOT NULL,
    seq INTEGER NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (ns, coll, key)
);
CREATE TABLE IF NOT EXISTS counters (ns TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (ns, name));
"""


class Store:
    def __init__(self, path: str | None = None) -> None:
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        if path:
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            if self._db.in_transaction:  # nested: the outer transaction commits
                yield
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def namespace(self, name: str) -> Namespace:
        return Namespace(self, name)

    def close(self) -> None:
        with self._lock:
            self._db.close()


class Namespace:
    """One emulator's slice of the store: collections of JSON documents kept in insertion order."""

    def __init__(self, store: Store, name: str) -> None:
        self._store = store
        self._ns = name

    def transaction(self) -> Any:
        return self._store.transaction()

    def _execute(self, sql: str, params: tuple[Any, ...]) -> sqlite3.Cursor:
        with self._store._lock:
            return self._store._db.execute(sql, params)

    def get(self, coll: str, key: str) -> Any | None:
        row = self._execute(
            "SELECT doc FROM docs WHERE ns=? AND coll=? AND key=?", (self._ns, coll, key)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, coll: str, key: str, doc: Any) -> None:
        """Insert or replace; a replaced document keeps its place in the order."""
        with self._store._lock:
            self._execute(
                "INSERT INTO docs (ns, coll, key, seq, doc) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (ns, coll, key) DO UPDATE SET doc = excluded.doc",
                (self._ns, coll, key, self.next_value("__seq"), json.dumps(doc)),
            )

    def delete(self, coll: str, key: str) -> bool:
        cursor = self._execute(
            "DELETE FROM docs WHERE ns=? AND coll=? AND key=?", (self._ns, coll, key)
        )
        return cursor.rowcount > 0

    def list(self, coll: str) -> list[Any]:
        rows = self._execute(
            "SELECT doc FROM docs WHERE ns=? AND coll=? ORDER BY seq", (self._ns, coll)
        ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def collections(self) -> builtins.list[str]:
        rows = self._execute("SELECT DISTINCT coll FROM docs WHERE ns=? ORDER BY coll", (self._ns,))
        return [row[0] for row in rows.fetchall()]

    def next_value(self, name: str) -> int:
        """A counter that only grows (ids, sequence numbers); survives restarts with the file."""
        with self._store._lock:
            self._execute(
                "INSERT INTO counters (ns, name, value) VALUES (?, ?, 1) "
                "ON CONFLICT (ns, name) DO UPDATE SET value = value + 1",
                (self._ns, name),
            )
            row = self._execute(
                "SELECT value FROM counters WHERE ns=? AND name=?", (self._ns, name)
            ).fetchone()
            return int(row[0])

    def clear(self) -> None:
        with self._store._lock:
            self._execute("DELETE FROM docs WHERE ns=?", (self._ns,))
            self._execute("DELETE FROM counters WHERE ns=?", (self._ns,))
