"""One inter-process lock for every writer of a store (refresh, import, the Bronnen page's
buttons, a scheduled job), built on the ``filelock`` library.

The lock is an OS lock on ``<root>/.writer.lock``, so a killed writer releases it at once.
Beside it ``.writer.json`` says who holds it (pid, what, since when) for the message the
next writer gets. The lock is re-entrant within a thread (a refresh holds it and every save
inside it takes it again); other threads and processes wait or are refused."""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from threading import Lock

from filelock import FileLock, Timeout

LOCK_FILE = ".writer.lock"
HOLDER_FILE = ".writer.json"

_locks: dict[tuple[int, str], FileLock] = {}  # one per process and store (never inherited by a fork)
_registry = Lock()


class StoreBusy(Exception):
    """Another writer holds the store; the message says who and since when."""


def _lock_for(root: Path) -> FileLock:
    key = (os.getpid(), str(root.resolve()))
    with _registry:
        if key not in _locks:
            _locks[key] = FileLock(root / LOCK_FILE, preserve_lock_file=True)
        return _locks[key]


def holder(root: Path) -> dict:
    """Who holds (or last held) the lock; empty when unknown."""
    try:
        data = json.loads((root / HOLDER_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def busy_message(root: Path) -> str:
    who = holder(root)
    if not who:
        return "another refresh or import is writing the store; try again when it has finished"
    return (
        f"another {who.get('action', 'writer')} is running since {who.get('since', '?')}, by pid {who.get('pid', '?')}; "
        "try again when it has finished"
    )


@contextmanager
def write_lock(root: Path, action: str, wait: float = 0) -> Iterator[bool]:
    """Hold the store's writer lock; raises StoreBusy when it is not free within ``wait``
    seconds. Yields True for the outermost holder (the one that should tidy up)."""
    root.mkdir(parents=True, exist_ok=True)
    lock = _lock_for(root)
    try:
        lock.acquire(timeout=wait, poll_interval=0.05)
    except Timeout:
        raise StoreBusy(busy_message(root)) from None
    outermost = lock.lock_counter == 1
    try:
        if outermost:
            since = datetime.now(UTC).replace(microsecond=0).isoformat()
            info = json.dumps({"pid": os.getpid(), "action": action, "since": since})
            (root / HOLDER_FILE).write_text(info, encoding="utf-8")
        yield outermost
    finally:
        lock.release()
