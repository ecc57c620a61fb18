"""The table of municipal mergers (``mergers.toml``, with how each entry was confirmed); what
follows from it for series, profiles and maps is in analysis/mergers."""
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


def load_mergers(path: Path = MERGERS_FILE) -> list[Merger]:
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("merger", [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MergerTableError(f"{path}: {exc}") from exc
    mergers = []
    for n, entry in enumerate(entries, start=1):
        try:
            mergers.append(Merger(
                successor=str(entry["successor"]), successor_name=str(entry["successor_name"]),
                predecessors={str(k): str(v) for k, v in dict(entry["predecessors"]).items()},
                last_year=int(entry["last_year"]), confirmed=str(entry["confirmed"]),
                successor_new=_flag(entry["successor_new"]),
            ))
        except (KeyError, TypeError, ValueError) as exc:
            raise MergerTableError(f"{path}: merger {n}: missing or wrong field ({exc})") from exc
    return mergers


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"successor_new must be true or false, not {value!r}")
    return value
