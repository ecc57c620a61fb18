"""Follow-along rooms: which slide of which deck a presenter shows, kept server-side.

A room is a short code in the URL. The presenter's page writes the current slide; followers'
pages poll it. The rooms live in a small SQLite file in the state folder (setting
``OPGAVEMONITOR_STATE_DIR``, default ``state/`` beside the data folder, never inside the
published data store), so several app processes on one machine share them. Rooms that were
not touched for ``TTL_SECONDS`` are gone; a closed presenter tab simply stops updating one.

The code is public (it is in every follow link and QR code); moving a room takes the
presenter's key as well, which ``open`` hands to the presenter's session only. The file keeps
a hash of the key, never the key. What one client (an IP address) can open is bounded in
number and rate, and all rooms together in number, so a visitor cannot grow the file at will.
"""
from __future__ import annotations

import hashlib
import ipaddress
import os
import secrets
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from data_sources.settings import data_dir

TTL_SECONDS = 3 * 3600  # a workshop's length; every slide the presenter shows restarts it
MAX_ROOMS = 200  # all open rooms together
MAX_OPEN_PER_CLIENT = 5  # open rooms of one client at a time
MAX_OPENS_PER_HOUR = 10  # rooms one client may open in an hour
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed on phones
CODE_LENGTH = 5
MAX_DECK_CHARS = 64 * 1024  # decks.MAX_BYTES: a longer value is no deck


class RoomRefused(Exception):
    """No room opened; ``reason`` is 'full' (all rooms taken), 'client' (this client has
    ``MAX_OPEN_PER_CLIENT`` open), 'rate' (too many opened this hour) or 'deck' (too long)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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


def client_key(address: str) -> str:
    """Whose rooms count together: an IPv4 address, or an IPv6 /64 (one household or server
    holds a whole /64, so single addresses would let one client pass for millions). A server
    listening on both families sees IPv4 visitors as ``::ffff:a.b.c.d``: those are IPv4 clients,
    never one shared /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


SCHEMA = (
    "CREATE TABLE IF NOT EXISTS rooms (code TEXT PRIMARY KEY, key_hash TEXT NOT NULL, client TEXT NOT NULL,"
    " deck TEXT NOT NULL, slide INTEGER NOT NULL, updated REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS opened (client TEXT NOT NULL, at REAL NOT NULL)",
)


class Rooms:
    def __init__(self, path: Path | None = None, clock=time.time):
        self.path = Path(path or state_dir() / "rooms.sqlite")
        self.clock = clock

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        if "key_hash" not in {row[1] for row in db.execute("PRAGMA table_info(rooms)")}:
            db.execute("DROP TABLE IF EXISTS rooms")  # rooms of an earlier version had no key: anyone could move them
        for statement in SCHEMA:
            db.execute(statement)
        return db

    def open(self, deck: str, slide: int, client: str) -> tuple[str, str]:
        """A new room showing ``slide`` of ``deck``; returns its code and the presenter's key.
        Raises RoomRefused."""
        if len(deck) > MAX_DECK_CHARS:
            raise RoomRefused("deck")
        now = self.clock()
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")  # counting and inserting as one step, across processes
            try:
                db.execute("DELETE FROM rooms WHERE updated < ?", (now - TTL_SECONDS,))
                db.execute("DELETE FROM opened WHERE at < ?", (now - 3600,))
                refusal = self._refusal(db, client)
                if refusal:
                    raise RoomRefused(refusal)
                key = secrets.token_urlsafe(24)
                while True:
                    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                    if db.execute("INSERT OR IGNORE INTO rooms VALUES (?, ?, ?, ?, ?, ?)", (code, _hash(key), client, deck, slide, now)).rowcount:
                        break
                db.execute("INSERT INTO opened VALUES (?, ?)", (client, now))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return code, key

    @staticmethod
    def _refusal(db: sqlite3.Connection, client: str) -> str | None:
        (opened,) = db.execute("SELECT COUNT(*) FROM opened WHERE client = ?", (client,)).fetchone()
        if opened >= MAX_OPENS_PER_HOUR:
            return "rate"
        (mine,) = db.execute("SELECT COUNT(*) FROM rooms WHERE client = ?", (client,)).fetchone()
        if mine >= MAX_OPEN_PER_CLIENT:
            return "client"
        (count,) = db.execute("SELECT COUNT(*) FROM rooms").fetchone()
        return "full" if count >= MAX_ROOMS else None

    def show(self, code: str, key: str, deck: str, slide: int) -> bool:
        """The presenter moved to ``slide`` (also keeps the room alive); True when the room
        moved. Without the room's key, for unknown or expired codes and for an over-long deck
        nothing changes: nobody can create a room under a code of their choosing, revive an
        expired one, or move someone else's."""
        if len(deck) > MAX_DECK_CHARS:
            return False
        now = self.clock()
        with closing(self._connect()) as db:
            return bool(db.execute(
                "UPDATE rooms SET deck = ?, slide = ?, updated = ? WHERE code = ? AND key_hash = ? AND updated >= ?",
                (deck, slide, now, code, _hash(key), now - TTL_SECONDS),
            ).rowcount)

    def close(self, code: str, key: str) -> None:
        """The presenter opened another room: this one goes (only with its key)."""
        with closing(self._connect()) as db:
            db.execute("DELETE FROM rooms WHERE code = ? AND key_hash = ?", (code, _hash(key)))

    def get(self, code: str) -> Room | None:
        """The room, or None when it does not exist or has expired."""
        if not valid_code(code):
            return None
        with closing(self._connect()) as db:
            row = db.execute("SELECT code, deck, slide, updated FROM rooms WHERE code = ?", (code,)).fetchone()
        if row is None or row[3] < self.clock() - TTL_SECONDS:
            return None
        return Room(*row)
