"""Per-worker caches of data sets that change rarely (the register, the published schedule).

Each cache remembers the data version it was built from (`data_versions` table) and asks the database
for the current version at most every VERSION_CHECK_SECONDS, so a change published by one worker or by
a CLI import reaches every worker within seconds, while a lookup costs no query in between.
Whoever changes a data set calls `bump_data_version(name)` in the same transaction.
"""

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow

T = TypeVar("T")
VERSION_CHECK_SECONDS = 2.0


class DataVersion(db.Model):
    """A counter per data set ("register", "schedule"); each worker compares it to rebuild its in-memory copy."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def bump_data_version(name: str) -> None:
    """Mark a data set as changed, inside the caller's transaction (the caller commits)."""
    row = db.session.get(DataVersion, name)
    if row is None:
        db.session.add(DataVersion(name=name, version=1, changed_at=utcnow()))
    else:
        row.version += 1
        row.changed_at = utcnow()


def current_data_version(name: str) -> int:
    """The data set's version as committed (0 before its first change)."""
    return db.session.scalar(select(DataVersion.version).where(DataVersion.name == name)) or 0


class VersionedCache(Generic[T]):
    def __init__(self, data_set: str, build: Callable[[], T]):
        self.data_set = data_set
        self._build = build
        self._lock = threading.Lock()
        self._value: T | None = None
        self._version: int | None = None
        self._checked = 0.0
        self._engine = None

    def get(self) -> T:
        """The cached value, rebuilt when the data set's version moved (or for another database)."""
        now = time.monotonic()
        engine = db.engine
        if self._value is not None and self._engine is engine and now - self._checked < VERSION_CHECK_SECONDS:
            return self._value
        version = current_data_version(self.data_set)
        with self._lock:
            if self._value is None or self._engine is not engine or self._version != version:
                self._value = self._build()
                self._version, self._engine = version, engine
            self._checked = now
            return self._value

    def forget(self) -> None:
        """Drop the value: this worker changed the data and must not wait for the version check."""
        with self._lock:
            self._value, self._version, self._checked, self._engine = None, None, 0.0, None
