"""Reading the store for the pages, cached across sessions.

Frames are cached on the store files' modification times, so a refresh or an import is
picked up at once while every rerun in between is served from memory.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.series import annual
from analysis.targets import TargetStatus, track_target
from analysis.trend import Trend, indicator_trend
from data_sources.api import IndicatorData, read_indicator, status_rows
from data_sources.catalogue import Catalogue, Indicator, load_catalogue
from data_sources.settings import catalogue_dir, data_dir
from data_sources.store import Store


def store() -> Store:
    return Store(data_dir())


@st.cache_resource(show_spinner=False)
def _catalogue(directory: str, version: tuple) -> Catalogue:
    return load_catalogue(Path(directory))


def catalogue() -> Catalogue:
    directory = catalogue_dir()
    return _catalogue(str(directory), _catalogue_files(directory))


def _catalogue_files(directory: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in directory.glob("*.toml")))


@st.cache_data(show_spinner=False, max_entries=256)
def _indicator_data(root: str, definition: str, version: tuple, _indicator: Indicator) -> IndicatorData:
    return read_indicator(Store(Path(root)), _indicator)


def indicator_data(indicator: Indicator) -> IndicatorData:
    """Keyed on the store files' versions and on the catalogue entry itself (its repr), so an
    edited factor or target is picked up as soon as the catalogue file changes."""
    s = store()
    return _indicator_data(str(s.root), repr(indicator), s.version(indicator.id), indicator)


def display_frame(data: IndicatorData) -> pd.DataFrame:
    """The frame with values in the unit the catalogue shows (CBS value × factor)."""
    frame = data.frame.copy()
    for column in ("value", "lower", "upper"):  # a survey's margins are in the value's unit
        if column in frame.columns:
            frame[column] = frame[column] * data.indicator.factor
    return frame


@st.cache_data(show_spinner=False, max_entries=1024)
def _verdicts(definition: str, version: tuple, region: str, span: tuple, _frame: pd.DataFrame, _indicator: Indicator) -> tuple[Trend, list[TargetStatus], pd.Series]:
    series = annual(_frame, region)
    cumulative = _indicator.derive is not None and _indicator.derive.operation == "cumulative_since"
    margins = {c: annual(_frame, region, c) for c in ("lower", "upper") if c in _frame.columns}
    verdict = indicator_trend(series, _indicator.better, cumulative, **margins, publications=_indicator.points)
    targets = [track_target(series, target, _indicator.better) for target in _indicator.targets]
    return verdict, targets, series


def verdicts(data: IndicatorData, frame: pd.DataFrame, region: str):
    """Trend, target statuses and the yearly series of one region (cached per store version).

    The cache is shared by every visitor of the process, so it is keyed on the frame's span too:
    a slide cut to a visitor's own years (van/tot) never becomes the verdict the next visitor of
    the full page reads."""
    periods = frame["period"]
    span = (len(frame), periods.min(), periods.max()) if len(frame) else (0,)
    return _verdicts(repr(data.indicator), store().version(data.indicator.id), region, span, frame, data.indicator)


@st.cache_data(show_spinner=False, max_entries=16)
def _status_table(root: str, versions: tuple) -> list[dict]:
    return status_rows(catalogue(), Store(Path(root)))


def status_table() -> list[dict]:
    """Refresh state of every indicator (sidebar and Bronnen), re-read only after a write."""
    s = store()
    return _status_table(str(s.root), _versions(s))


@st.cache_data(show_spinner=False, max_entries=16)
def _region_names(root: str, versions: tuple) -> dict[str, str]:
    names: dict[str, str] = {}
    for indicator in catalogue().indicators():
        data = indicator_data(indicator)
        if data.available:
            names.update(dict(zip(data.frame["region_code"], data.frame["region_name"], strict=True)))
    return names


def region_names() -> dict[str, str]:
    """Every region any stored indicator has, code -> name (for the region picker)."""
    s = store()
    return _region_names(str(s.root), _versions(s))


def versions() -> str:
    """A cache key for what is built from every indicator (a page over all of them): the
    store, the catalogue files and every indicator's store version, as one short digest (a
    key hashed once per cached call, not once per indicator)."""
    s = store()
    return hashlib.sha256(repr((str(s.root), _catalogue_files(catalogue_dir()), _versions(s))).encode()).hexdigest()


def _versions(s: Store) -> tuple:
    return s.versions(i.id for i in catalogue().indicators())
