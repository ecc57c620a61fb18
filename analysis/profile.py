"""One region on one indicator, for the region profile: its latest value, its rank among the
regions of its level in that period, and how far it is from Nederland and from its comparable
municipalities in that same period (never comparing different periods)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_sources.codes import REGION_LEVELS

from .regional import level_values, rank_of, well_covered

LEVEL_OF_PREFIX = {"GM": "gemeente", "PV": "provincie"}
NATIONAL = "NL01"


@dataclass(frozen=True)
class Standing:
    period: str
    value: float
    rank: int | None
    count: int  # regions of the level with a value in that period
    national: float | None  # Nederland in the same period
    peers: float | None  # median of the comparable regions in the same period
    peer_count: int  # how many of them have a value then

    @property
    def versus_national(self) -> float | None:
        return None if self.national is None else self.value - self.national

    @property
    def versus_peers(self) -> float | None:
        return None if self.peers is None else self.value - self.peers


def level_of(code: str) -> str | None:
    return LEVEL_OF_PREFIX.get(code[:2])


def standing(frame: pd.DataFrame, region: str, better: str, peers: list[str] = (), ranks: bool = True,
             level_size: int | None = None) -> Standing | None:
    """None when the region has no value at all in ``frame``. No rank when ``ranks`` is off
    (classes, not amounts) or when fewer than half of the level's ``level_size`` regions have
    a value in that period (the four cities of a price series: "4 van 4" says nothing)."""
    level = level_of(region)
    own = frame[(frame["region_code"] == region) & frame["value"].notna() & frame["period_start"].notna()]
    if level is None or own.empty:
        return None
    if (own["frequency"] == "year").any():
        own = own[own["frequency"] == "year"]
    latest = own.sort_values("period_start").iloc[-1]
    period = str(latest["period"])
    position = rank_of(frame, level, period, better, region) if ranks and well_covered(frame, level, period, level_size) else None
    count = position[1] if position else len(level_values(frame, level, period))
    same_period = frame[(frame["period"] == period) & frame["value"].notna()]
    national = same_period.loc[same_period["region_code"] == NATIONAL, "value"]
    peer_values = same_period.loc[same_period["region_code"].isin(list(peers)), "value"]
    return Standing(
        period=period, value=float(latest["value"]), rank=position[0] if position else None, count=count,
        national=float(national.iloc[0]) if len(national) else None,
        peers=float(peer_values.median()) if len(peer_values) else None, peer_count=len(peer_values),
    )


@dataclass(frozen=True)
class Absence:
    """Why a profile has no figures for an opgave, so it can say so in one line."""

    reason: str  # "level": none of its indicators has the region's level; "store": none fetched yet;
    #              "new": the region came into being after the latest figures; "region": no value for it
    levels: tuple[str, ...] = ()  # the levels the opgave does have (reason "level")
    period: str | None = None  # the latest period with figures at the region's level
    since: int | None = None  # the first year of a region formed by a merger (reason "new")


def absence(region: str, indicators: list[tuple[tuple[str, ...], pd.DataFrame | None]], mergers: list) -> Absence:
    """``indicators``: per indicator of the opgave its catalogue levels and its frame (None when
    the store has none)."""
    level = level_of(region)
    at_level = [frame for levels, frame in indicators if level in levels]
    if not at_level:
        found = {lvl for levels, _ in indicators for lvl in levels}
        return Absence("level", levels=tuple(lvl for lvl in REGION_LEVELS if lvl in found))
    frames = [f for f in at_level if f is not None]
    rows = pd.concat([f[(f["region_level"] == level) & f["value"].notna() & f["period_start"].notna()] for f in frames]) if frames else None
    if rows is None or rows.empty:
        return Absence("store")
    period = str(rows.sort_values("period_start")["period"].iloc[-1])
    formed = next((m.last_year + 1 for m in mergers if m.successor == region and m.successor_new), None)
    if formed is not None and int(rows["period_start"].max().year) < formed:
        return Absence("new", period=period, since=formed)
    return Absence("region", period=period)
