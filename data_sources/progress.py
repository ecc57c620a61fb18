"""Refresh progress, for the terminal and for the dashboard's first-run page.

A refresh runs in another process than the app, so its progress goes into a small JSON file
in the data directory (written atomically: a reader sees the previous state or the next one,
never half a file). The first-run page reads it every few seconds.
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, TextIO

from pydantic import AfterValidator, Field

from .disk import atomic_write_bytes
from .store import now_iso
from .store_schema import Text, Whole, validated

PROGRESS_FILE = "refresh-progress.json"
STALLED_AFTER = timedelta(minutes=30)  # no step for this long: the refresh died (killed, machine restarted)


def progress_path(data_dir: Path) -> Path:
    return Path(data_dir) / PROGRESS_FILE


def _with_zone(text: str) -> str:
    if datetime.fromisoformat(text).tzinfo is None:
        raise ValueError("a time without its zone")
    return text


Count = Annotated[Whole, Field(ge=0)]
Moment = Annotated[Text, AfterValidator(_with_zone)]  # ISO time with its zone


@dataclass
class Progress:
    total: Count
    done: Count = 0
    failed: Count = 0
    current: Text = ""  # the indicator refreshed last
    started: Moment = field(default_factory=now_iso)
    updated: Moment = field(default_factory=now_iso)
    finished: Moment | None = None

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    def running(self, now: datetime | None = None) -> bool:
        """Not finished and not stalled."""
        if self.finished:
            return False
        now = now or datetime.now(UTC)
        return now - datetime.fromisoformat(self.updated) < STALLED_AFTER


def read_progress(path: Path) -> Progress | None:
    """The last written progress, or None when there is none or it cannot be read (the
    page then simply shows no progress; the refresh itself never depends on this file)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return validated(Progress, data, "progress")[0]


class RefreshProgress:
    """The ``progress`` callback of :func:`data_sources.refresh.refresh`: a bar on the terminal
    and the progress file, updated after every indicator."""

    width = 30

    def __init__(self, total: int, path: Path, terminal: TextIO | None = None):
        self.state = Progress(total)
        self.path = Path(path)
        self.terminal = terminal or sys.stderr  # looked up now, so a redirected stderr is used
        self._write()

    def __call__(self, indicator, outcome) -> None:
        self.state.done += 1
        self.state.failed += not outcome.ok
        self.state.current = indicator.id
        self.state.updated = now_iso()
        filled = self.width * self.state.done // max(self.state.total, 1)
        self.terminal.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.state.done}/{self.state.total} {indicator.id:<45.45}")
        self.terminal.flush()
        self._write()

    def finish(self) -> None:
        self.terminal.write("\n")
        self.state.finished = self.state.updated = now_iso()
        self._write()

    def _write(self) -> None:
        try:
            atomic_write_bytes(self.path, json.dumps(asdict(self.state)).encode("utf-8"))
        except OSError as exc:  # progress is a courtesy: never fail a refresh over it
            self.terminal.write(f"\ncannot write refresh progress to {self.path}: {exc}\n")
