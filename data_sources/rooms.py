"""Follow-along rooms: which slide of which deck a presenter shows, kept server-side.

A room is a short code in the URL. The presenter's page writes the current slide; followers'
pages poll it. The rooms live in a small SQLite file in the state folder (setting
``OPGAVEMONITOR_STATE_DIR``, default ``state/`` beside the data folder, never inside the
published data store), so several app processes on one machine share them. Rooms that were
not touched for ``TTL_SECONDS`` are gone; a closed presenter tab simply stops updating one.
"""
from __future__ import annotations

import os
import secrets
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from .settings import data_dir

TTL_SECONDS = 6 * 3600
MAX_ROOMS = 1000  # a bound on what visitors can make the server keep
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed on phones
CODE_LENGTH = 5
MAX_DECK_CHARS = 64 * 1024


@dataclass(frozen=True)
class Room:
    code: str
    deck: str
    slide: int
    updated: float


def state_dir() -> Path:
    return Path(os.environ.get("OPGAVEMONITOR_STATE_DIR") or data_dir().parent / "state")


def valid_code(code: str | None) -> bool:
    return bool(code) and len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


class Rooms:
    def __init__(self, path: Path | None = None, clock=time.time):
        self.path = Path(path or state_dir() / "rooms.sqlite")
        self.clock = clock

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS rooms (code TEXT PRIMARY KEY, deck TEXT NOT NULL, slide INTEGER NOT NULL, updated REAL NOT NULL)")
        return db

    def open(self, deck: str, slide: int) -> str:
        """A new room showing ``slide`` of ``deck``; returns its code."""
        with closing(self._connect()) as db:
            db.execute("DELETE FROM rooms WHERE updated < ?", (self.clock() - TTL_SECONDS,))
            (count,) = db.execute("SELECT COUNT(*) FROM rooms").fetchone()
            if count >= MAX_ROOMS:
                raise RuntimeError("too many open rooms; try again later")
            while True:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if db.execute("INSERT OR IGNORE INTO rooms VALUES (?, ?, ?, ?)", (code, deck[:MAX_DECK_CHARS], slide, self.clock())).rowcount:
                    return code

    def show(self, code: str, deck: str, slide: int) -> None:
        """The presenter moved to ``slide`` (also keeps the room alive). Unknown codes are
        ignored: a presenter cannot create a room under a code of their choosing, nor revive
        an expired one."""
        now = self.clock()
        with closing(self._connect()) as db:
            db.execute(
                "UPDATE rooms SET deck = ?, slide = ?, updated = ? WHERE code = ? AND updated >= ?",
                (deck[:MAX_DECK_CHARS], slide, now, code, now - TTL_SECONDS),
            )

    def get(self, code: str) -> Room | None:
        """The room, or None when it does not exist or has expired."""
        if not valid_code(code):
            return None
        with closing(self._connect()) as db:
            row = db.execute("SELECT code, deck, slide, updated FROM rooms WHERE code = ?", (code,)).fetchone()
        if row is None or row[3] < self.clock() - TTL_SECONDS:
            return None
        return Room(*row)
