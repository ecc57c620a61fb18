"""The store's record of one indicator (``<id>.json``): provenance, refresh bookkeeping, the
last failure (its kind, HTTP status and text) and the name of its data file.

The record is declared once, as this dataclass; pydantic checks a record read from a file or
about to be written against it (``store_schema``), with messages naming the field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .failures import known_kind
from .provenance import Provenance, input_problems
from .store_schema import Text, Whole, validated

DATA_NAME = re.compile(r"^(?P<id>.+)\.(?P<hash>[0-9a-f]{16})\.parquet$")


@dataclass(frozen=True)
class Failure:
    """Why a refresh failed: ``kind`` (one of ``failures.KINDS``, what pages translate), the
    operator's ``reason`` and the HTTP ``status`` when a source answered."""

    kind: str
    reason: str
    status: int | None = None


@dataclass
class Record:
    """What the store knows about one indicator besides its rows."""

    indicator: Text
    provenance: Provenance | None = None
    last_refresh: Text | None = None  # last successful refresh
    last_attempt: Text | None = None
    error: Text | None = None  # reason of the last failed refresh (cleared on success)
    error_kind: Text | None = None  # its kind; absent in records written before kinds were stored
    error_status: Whole | None = None  # its HTTP status, when a source answered
    error_at: Text | None = None
    rows: Whole = 0
    first_period: Text | None = None
    last_period: Text | None = None
    history: list[dict] = field(default_factory=list)
    data: Text | None = None  # name of the data file; None in the previous release's layout

    @property
    def failure(self) -> Failure | None:
        """The last refresh's failure (cleared on success); a kind this release does not know,
        or none at all in an old record, reads as "other"."""
        if not self.error:
            return None
        return Failure(known_kind(self.error_kind), self.error, self.error_status)

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["provenance"] = self.provenance.to_dict() if self.provenance else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Record:
        """Raises ValueError naming every wrong field (records are read from untrusted files)."""
        record, problems = parsed_record(data)
        if problems:
            raise ValueError("; ".join(problems))
        return record


def parsed_record(data, where: str = "record") -> tuple[Record | None, list[str]]:
    """The record in ``data``, or None and everything wrong with it (types, names, provenance)."""
    record, problems = validated(Record, data, where)
    if record is None:
        return None, problems
    name = record.data
    if name is not None and (DATA_NAME.match(name) is None or DATA_NAME.match(name)["id"] != record.indicator):
        problems.append(f"{where}.data: {name!r} is not a data file of {record.indicator!r}")
    if record.provenance is not None:
        problems += input_problems(record.provenance, f"{where}.provenance")
    return (None if problems else record), problems


def record_problems(data, where: str = "record") -> list[str]:
    """Everything wrong with a record dict as the store writes it."""
    return parsed_record(data, where)[1]
