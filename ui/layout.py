"""Shared page pieces: the sidebar, notices, empty states and the verdict lines."""
from __future__ import annotations

import streamlit as st

from analysis.targets import TargetStatus
from analysis.trend import Trend
from data_sources.api import IndicatorData
from data_sources.settings import editing_allowed

from . import format as fmt
from . import state
from .data import region_names, status_table
from .safe import echo, plain
from .texts import LANGUAGES, t, verdict

CSS = """
<style>
  /* Larger base text for projectors and phones; visible focus for keyboard users (WCAG 2.4.7). */
  html, body, [class*="css"] { font-size: 17px; }
  a:focus, button:focus, [role="radio"]:focus { outline: 3px solid #01689B !important; outline-offset: 2px; }
  .block-container { padding-top: 2.2rem; }
  .om-verdict { font-weight: 600; }
  .om-muted { color: #4A5560; font-size: 0.92rem; }
</style>
"""


def sidebar(view: state.View) -> None:
    """Language, region(s) and freshness; the chosen values go into ``view`` and the URL."""
    names = region_names()
    names.setdefault(state.DEFAULT_REGION, "Nederland")
    for key, value in (("taal", view.taal), ("regio", view.regio)):
        st.session_state.setdefault(key, value)
    with st.sidebar:
        view.taal = st.selectbox(t("language", "nl"), list(LANGUAGES), format_func=LANGUAGES.get, key="taal")
        lang = view.taal
        options = sorted(names, key=lambda c: (_level_order(c), names[c]))
        st.session_state["regio"] = [c for c in st.session_state["regio"] if c in names] or [state.DEFAULT_REGION]
        st.session_state["regio-before"] = list(st.session_state["regio"])
        chosen = st.multiselect(
            t("region", lang), options, format_func=lambda c: f"{names[c]} ({c})", key="regio",
            help=t("regions_compare", lang, max=state.MAX_REGIONS), max_selections=state.MAX_REGIONS,
            on_change=_newest_region_first, select_all=False, filter_mode="contains", wrap=True,
            placeholder=t("region_placeholder", lang),
        )
        view.regio = chosen or [state.DEFAULT_REGION]
        freshness(lang)


def _newest_region_first() -> None:
    """A region the visitor just picked becomes the main one (first); the rest keep their order."""
    before = st.session_state.get("regio-before", [])
    now = st.session_state["regio"]
    st.session_state["regio"] = [c for c in now if c not in before] + [c for c in now if c in before]


def footer(lang: str) -> None:
    """Which mode this deployment runs in, on every page: a visitor can tell whether anyone
    using the site could have changed what it shows."""
    st.divider()
    st.caption(t("mode_edit" if editing_allowed() else "mode_readonly", lang))


def _level_order(code: str) -> int:
    return {"NL": 0, "LD": 1, "PV": 2, "CR": 3, "GM": 4}.get(code[:2], 5)


def freshness(lang: str) -> None:
    rows = status_table()
    refreshed = [r["last_refresh"] for r in rows if r["last_refresh"]]
    failed = [r for r in rows if r["error"]]
    st.markdown(f"**{t('freshness', lang)}**")
    if not refreshed:
        st.caption(f"{t('last_refresh', lang)}: {t('never', lang)}")
        return
    oldest, newest = min(refreshed), max(refreshed)
    days = fmt.age_days(oldest)
    st.caption(
        f"{t('last_refresh', lang)}: {fmt.datetime_text(newest, lang)}"
        + (f" · {t('days_old', lang, n=days)}" if days else "")
    )
    if failed:
        st.caption("⚠ " + t("failed_count", lang, n=len(failed)))


def notices(view: state.View) -> None:
    """What the link asked for that could not be shown; the visitor's text stays plain text."""
    for key, name, value in view.notices:
        st.caption(f"ℹ {t(key, view.taal, name=name, value=echo(value), max=state.MAX_REGIONS)}")


def empty_state(data: IndicatorData, lang: str) -> None:
    """Why an indicator has no data, and how to fix it."""
    if data.problem and "never refreshed" not in data.problem:
        st.warning(t("unreadable", lang, problem=plain(data.problem)))
    elif data.record.error:
        st.warning(t("no_data_failed", lang, at=fmt.datetime_text(data.record.error_at, lang), error=plain(data.record.error)))
    else:
        st.info(t("no_data_never", lang, id=data.indicator.id))


def no_figures_notice(wanted: list[str], shown_name: str, lang: str) -> None:
    """Said where the figure is: the regions asked for have no figures, another one is shown."""
    names = region_names()
    asked = ", ".join(plain(names.get(code, code)) for code in wanted)
    st.info(t("no_figures_for", lang, region=asked, shown=plain(shown_name)), icon="ℹ️")


def stale_warning(data: IndicatorData, lang: str) -> None:
    if data.available and data.record.error:
        st.caption(
            "⚠ " + t("stale_failed", lang, at=fmt.datetime_text(data.record.error_at, lang),
                      good=fmt.datetime_text(data.record.last_refresh, lang), error=plain(data.record.error))
        )


def trend_line(trend: Trend, lang: str, unit: str, decimals: int) -> str:
    text = verdict(trend.verdict, lang)
    if trend.verdict in ("onvoldoende gegevens", "niet van toepassing"):
        return text
    return f"{text} ({pace(trend.slope, unit, decimals, lang)} {t('per_year', lang)})"


def target_block(status: TargetStatus, lang: str, unit: str, decimals: int) -> None:
    """One target: verdict, label, the numbers behind it (each with its unit), and its source."""
    target = status.target
    parts = [f"**{verdict(status.verdict, lang)}** — {plain(target.in_language('label', lang))}"]
    if target.kind == "cumulative" and status.current is not None:
        parts.append(f"{amount(status.current, unit, 0, lang)} {t('so_far', lang)}")
    if status.needed_pace is not None and target.kind != "annual":
        parts.append(f"{t('needed_pace', lang)}: {pace(status.needed_pace, unit, decimals, lang)}")
    if status.realised_pace is not None and target.kind == "annual":
        parts.append(f"{t('realised_in', lang, year=int(status.current_year))}: {amount(status.realised_pace, unit, decimals, lang)}")
    elif status.realised_pace is not None:
        parts.append(f"{t('realised_pace', lang)}: {pace(status.realised_pace, unit, decimals, lang)}")
    if status.projected is not None and target.year:
        parts.append(f"{t('projected', lang, year=target.year)}: {amount(status.projected, unit, decimals, lang)}")
    st.markdown(" · ".join(parts))
    st.caption(f"{t('source_label', lang)}: {plain(target.source)}")


def amount(value: float, unit: str, decimals: int, lang: str) -> str:
    """A level with its unit: 16,0% / 82.000 woningen (markdown-safe)."""
    return plain(fmt.value_with_unit(value, unit, decimals, lang))


def pace(value: float, unit: str, decimals: int, lang: str) -> str:
    """A change with its unit; a change of a percentage is in percentage points."""
    places = decimals if abs(value) >= 10 else max(decimals, 1)
    change_unit = t("points", lang) if unit.startswith("%") else unit
    return plain(f"{fmt.number(value, places, lang, signed=True)} {change_unit}")
