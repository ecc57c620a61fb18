"""Bronnen: every indicator's table, rows, periods, refresh state; snapshots; refresh."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from data_sources.provenance import LICENCE, LICENCE_URL
from data_sources.refresh import refresh
from data_sources.settings import editing_allowed
from data_sources.snapshot import SnapshotError, export_snapshot, import_snapshot
from data_sources.store import StoreBusy
from ui import format as fmt
from ui.data import catalogue, status_table, store
from ui.language import current, pick
from ui.layout import notices
from ui.reasons import failure_reason
from ui.safe import plain
from ui.state import View
from ui.texts import t

# On a phone the four columns do not fit: each table scrolls in its own box (names and periods
# first, in view) instead of pushing the page sideways. Wider screens show every column.
NARROW_TABLES = """<style>
.om-scroll-hint { display: none; }
@media (max-width: 640px) {
  .st-key-freshness table { display: block; overflow-x: auto; font-size: 0.9rem; }
  .st-key-freshness th, .st-key-freshness td { padding: 0.35rem 0.5rem; }
  .om-scroll-hint { display: block; font-size: 0.9rem; color: #3E4C59; margin: 0; }
}
</style>"""


def render(view: View) -> None:
    st.title(t("sources"))
    notices(view)
    rows = status_table()
    cat = catalogue()
    freshness_summary(rows)
    by_opgave: dict[str, list[dict]] = {}
    for row in rows:
        by_opgave.setdefault(row["opgave"], []).append(row)
    st.markdown(NARROW_TABLES + f"<p class='om-scroll-hint'>{html.escape(t('scroll_hint'))}</p>", unsafe_allow_html=True)
    with st.container(key="freshness"):
        for opgave in cat.opgaven:
            if opgave.id in by_opgave:
                opgave_freshness(pick(opgave, "title"), by_opgave[opgave.id], cat)
    with st.expander(t("analyst_details")):
        analyst_table(rows)
    st.caption(t("licence_note", licence=f"[{LICENCE}]({LICENCE_URL})"))

    st.header(t("export"))
    snapshot_store = store()
    st.download_button(
        t("export"), data=lambda: export_snapshot(snapshot_store),  # built only when clicked
        file_name="opgavemonitor-momentopname.zip", mime="application/zip",
    )
    if not editing_allowed():
        st.caption(t("refresh_off"))
        return
    st.header(t("import"))
    upload = st.file_uploader(t("import"), type=["zip"], label_visibility="collapsed")
    if upload is not None and st.button(t("import"), key="do-import"):
        try:
            count = import_snapshot(store(), upload.getvalue())
            st.success(t("import_ok", n=count))
        except SnapshotError as exc:
            st.error(t("import_refused", error=plain(exc)))
    if st.button(t("refresh_button"), type="primary"):
        try:
            with st.spinner("…"):
                outcomes = refresh(cat, store(), cat.indicators())
        except StoreBusy as exc:
            st.warning(plain(str(exc)))
            return
        failed = [o for o in outcomes if not o.ok]
        st.success(f"{len(outcomes) - len(failed)} ok, {len(failed)} ✗")
        for o in failed:
            st.warning(plain(f"{o.indicator}: {o.error}"))


def freshness_summary(rows: list[dict]) -> None:
    """Freshness first: the last refresh and its age, how many indicators have figures, and
    how many failed their last refresh (an icon and words, never colour alone)."""
    refreshed = [r["last_refresh"] for r in rows if r["last_refresh"]]
    latest = max(refreshed, key=pd.Timestamp) if refreshed else None
    with_data = sum(bool(r["rows"]) for r in rows)
    failed = sum(bool(r["error"]) for r in rows)
    text = t("freshness_summary", when=fmt.datetime_text(latest), age=fmt.age_words(latest),
             n=fmt.number(with_data, 0), total=fmt.number(len(rows), 0)) if latest else t("freshness_never")
    st.markdown(text + (" " + t("freshness_failed", n=failed) if failed else ""))


def opgave_freshness(title: str, rows: list[dict], cat) -> None:
    """One opgave's indicators (with their CBS table or file) as a table of four columns that
    wraps instead of scrolling, down to a phone's width: the periods the figures cover, how long
    ago they were fetched, and when CBS last changed the table."""
    st.header(plain(title))
    head = [t(k) for k in ("indicator", "figures_cover", "retrieved", "cbs_modified")]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for r in rows:
        cover = f"{fmt.period(r['first_period'])} – {fmt.period(r['last_period'])}" if r["first_period"] else t("no_figures_yet")
        lines.append("| " + " | ".join((
            plain(f"{pick(cat.indicator(r['id']), 'title')} ({r['table'] or '–'})"),
            plain(cover),
            *_fetched_and_modified(r, cat),
        )) + " |")
    st.markdown("\n".join(lines))
    for r in rows:
        if r["error"]:
            st.markdown(t("refresh_failed_line", indicator=plain(pick(cat.indicator(r["id"]), "title")),
                          at=fmt.datetime_text(r["error_at"]), reason=failure_reason(r["error_kind"], r["error"])))


def _fetched_and_modified(r: dict, cat) -> tuple[str, str]:
    """How fresh a row is. A file shipped with the project was typed over from publications:
    its fetch says nothing about how new the figures are, its latest figure does."""
    if getattr(cat.indicator(r["id"]).source, "bundled", False):
        latest = plain(fmt.period(r["last_period"])) if r["last_period"] else "–"
        return t("bundled_retrieved"), t("bundled_modified", period=latest)
    modified = f"{fmt.date(r['cbs_modified'])} ({fmt.age_words(r['cbs_modified'])})" if r["cbs_modified"] else "–"
    return fmt.age_words(r["last_refresh"]) if r["last_refresh"] else t("never_refreshed"), modified


def analyst_table(rows: list[dict]) -> None:
    """Ids, row counts, codes without a CBS title and the last error, for whoever maintains the
    catalogue (``python -m data_sources status`` shows the same)."""
    st.dataframe(
        pd.DataFrame({
            "id": [r["id"] for r in rows],
            t("table_or_file"): [r["table"] for r in rows],
            "rijen" if current() == "nl" else "rows": [fmt.number(r["rows"], 0) for r in rows],
            t("untitled_codes"): [", ".join(r["missing_titles"]) for r in rows],
            "fout" if current() == "nl" else "error": [f"{fmt.datetime_text(r['error_at'])}: {failure_reason(r['error_kind'], r['error'], markdown=False)}" if r["error"] else "" for r in rows],
        }),
        hide_index=True, width="stretch",
    )
    untitled = sum(bool(r["missing_titles"]) for r in rows)
    if untitled:
        st.caption(t("untitled_note", n=untitled))
