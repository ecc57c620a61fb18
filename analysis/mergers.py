"""Municipal mergers (herindelingen): which codes ended in which successor, so a series of a
code that no longer exists ends visibly, a successor lists its predecessors, and a map says
when data and boundaries come from different municipal divisions."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_sources.mergers import Merger, Split


def successor_of(code: str, mergers: list[Merger]) -> Merger | None:
    """The merger a code ended in, or None when it did not end in one."""
    return next((m for m in mergers if code in m.predecessors), None)


def predecessors_of(code: str, mergers: list[Merger]) -> list[tuple[str, str, int]]:
    """(code, name, last year) of every municipality that merged into ``code``."""
    return [(c, name, m.last_year) for m in mergers if m.successor == code for c, name in m.predecessors.items()]


def lineage(frame: pd.DataFrame, code: str, mergers: list[Merger]) -> pd.DataFrame:
    """The rows of ``code`` and of its predecessors, each series as CBS published it: the
    predecessors' rows end where their figures end (nothing is filled with zeros or summed)."""
    codes = [code] + [c for c, _, _ in predecessors_of(code, mergers)]
    rows = frame[frame["region_code"].isin(codes) & frame["value"].notna()]
    return rows.sort_values(["region_code", "period_start"]).reset_index(drop=True)


def split_of(code: str, splits: list[Split]) -> Split | None:
    return next((s for s in splits if s.code == code), None)


def ended_codes(codes: list[str], mergers: list[Merger]) -> dict[str, Merger]:
    """Of ``codes``, those that ended in a merger, with that merger."""
    found = {c: successor_of(c, mergers) for c in codes}
    return {c: m for c, m in found.items() if m is not None}


@dataclass(frozen=True)
class Division:
    """The gemeentelijke indeling of a set of municipalities (one period's figures), against
    today's: a rank or comparison over an older indeling must say so."""

    count: int  # municipalities in the set (the n of a rank)
    year: int | None  # the last year in which every code of the set still existed; None: today's indeling
    ended: list[tuple[str, str]]  # (code, name) in the set that have been merged away since
    not_yet: list[tuple[str, str]]  # (code, name) of today's municipalities that did not exist yet

    @property
    def current(self) -> bool:
        return self.year is None


def division(names: dict[str, str], mergers: list[Merger], splits: list[Split] = ()) -> Division:
    """``names`` maps the municipal codes of one period to their names. A code that later
    merged away (or was split up) shows an older indeling (whatever the period: CBS also
    republishes old years on a newer indeling, so the codes decide, not the period). Today's
    municipalities that came into being with a merger after that year did not exist yet."""
    last_years = {code: merger.last_year for code in names if (merger := successor_of(code, mergers))}
    last_years |= {split.code: split.last_year for split in splits if split.code in names}
    if not last_years:
        return Division(len(names), None, [], [])
    year = min(last_years.values())
    merged_away = {code for m in mergers for code in m.predecessors} | {split.code for split in splits}
    not_yet = {(m.successor, m.successor_name) for m in mergers
               if m.successor_new and m.last_year >= year and m.successor not in names and m.successor not in merged_away}

    def by_name(pairs):
        return sorted(pairs, key=lambda pair: (pair[1], pair[0]))

    return Division(len(names), year, by_name((c, names[c]) for c in last_years), by_name(not_yet))
