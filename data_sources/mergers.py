"""The table of municipal mergers and splits (``mergers.toml``, with how each entry was
confirmed); what follows from it for series, profiles and maps is in analysis/mergers."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

MERGERS_FILE = Path(__file__).resolve().parent / "mergers.toml"


@dataclass(frozen=True)
class Merger:
    successor: str
    successor_name: str
    predecessors: dict[str, str]  # ended code -> CBS title
    last_year: int  # last year with figures under the predecessor codes
    confirmed: str  # how the entry was confirmed
    successor_new: bool = False  # the successor's code came into being with this merger (CBS: "Ontstaan per")


class MergerTableError(Exception):
    """The mergers file is not what it should be; the message names the file and entry."""


@dataclass(frozen=True)
class Split:
    """A municipality divided over several others: its code ended without one successor."""

    code: str
    name: str  # CBS title
    successors: dict[str, str]  # code -> CBS title of each municipality that received a part
    last_year: int  # last year with figures under the code
    confirmed: str


def load_mergers(path: Path = MERGERS_FILE) -> list[Merger]:
    return [_build(path, "merger", n, entry, lambda e: Merger(
        successor=str(e["successor"]), successor_name=str(e["successor_name"]),
        predecessors={str(k): str(v) for k, v in dict(e["predecessors"]).items()},
        last_year=int(e["last_year"]), confirmed=str(e["confirmed"]), successor_new=_flag(e["successor_new"]),
    )) for n, entry in enumerate(_entries(path, "merger"), start=1)]


def load_splits(path: Path = MERGERS_FILE) -> list[Split]:
    return [_build(path, "split", n, entry, lambda e: Split(
        code=str(e["code"]), name=str(e["name"]), successors={str(k): str(v) for k, v in dict(e["successors"]).items()},
        last_year=int(e["last_year"]), confirmed=str(e["confirmed"]),
    )) for n, entry in enumerate(_entries(path, "split"), start=1)]


def _entries(path: Path, kind: str) -> list:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get(kind, [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MergerTableError(f"{path}: {exc}") from exc


def _build(path: Path, kind: str, n: int, entry, make):
    try:
        return make(entry)
    except (KeyError, TypeError, ValueError) as exc:
        raise MergerTableError(f"{path}: {kind} {n}: missing or wrong field ({exc})") from exc


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"successor_new must be true or false, not {value!r}")
    return value
