"""Bronnen: every indicator's table, rows, periods, refresh state; snapshots; refresh."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data_sources.provenance import LICENCE, LICENCE_URL
from data_sources.refresh import refresh
from data_sources.settings import editing_allowed
from data_sources.snapshot import SnapshotError, export_snapshot, import_snapshot
from data_sources.store import StoreBusy
from ui import format as fmt
from ui.data import catalogue, status_table, store
from ui.layout import notices
from ui.reasons import failure_reason
from ui.safe import plain
from ui.state import View
from ui.texts import t


def render(view: View) -> None:
    lang = view.taal
    st.title(t("sources", lang))
    notices(view)
    rows = status_table()
    cat = catalogue()
    table = pd.DataFrame(
        {
            "indicator": [cat.indicator(r["id"]).title(lang) for r in rows],
            "id": [r["id"] for r in rows],
            t("table_or_file", lang): [r["table"] for r in rows],
            "rijen" if lang == "nl" else "rows": [fmt.number(r["rows"], 0, lang) for r in rows],
            "perioden" if lang == "nl" else "periods": [f"{fmt.period(r['first_period'], lang)} – {fmt.period(r['last_period'], lang)}" if r["first_period"] else "–" for r in rows],
            t("last_refresh", lang): [fmt.datetime_text(r["last_refresh"], lang) for r in rows],
            t("cbs_modified", lang): [fmt.date(r["cbs_modified"], lang) if r["cbs_modified"] else "–" for r in rows],
            t("untitled_codes", lang): [", ".join(r["missing_titles"]) for r in rows],
            "fout" if lang == "nl" else "error": [f"{fmt.datetime_text(r['error_at'], lang)}: {failure_reason(r['error'], lang, markdown=False)}" if r["error"] else "" for r in rows],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    untitled = sum(bool(r["missing_titles"]) for r in rows)
    if untitled:
        st.caption(t("untitled_note", lang, n=untitled))
    st.caption(t("licence_note", lang, licence=f"[{LICENCE}]({LICENCE_URL})"))

    st.header(t("export", lang))
    snapshot_store = store()
    st.download_button(
        t("export", lang), data=lambda: export_snapshot(snapshot_store),  # built only when clicked
        file_name="opgavemonitor-momentopname.zip", mime="application/zip",
    )
    if not editing_allowed():
        st.caption(t("refresh_off", lang))
        return
    st.header(t("import", lang))
    upload = st.file_uploader(t("import", lang), type=["zip"], label_visibility="collapsed")
    if upload is not None and st.button(t("import", lang), key="do-import"):
        try:
            count = import_snapshot(store(), upload.getvalue())
            st.success(t("import_ok", lang, n=count))
        except SnapshotError as exc:
            st.error(t("import_refused", lang, error=plain(exc)))
    if st.button(t("refresh_button", lang), type="primary"):
        try:
            with st.spinner("…"):
                outcomes = refresh(cat, store(), cat.indicators())
        except StoreBusy as exc:
            st.warning(str(exc))
            return
        failed = [o for o in outcomes if not o.ok]
        st.success(f"{len(outcomes) - len(failed)} ok, {len(failed)} ✗")
        for o in failed:
            st.warning(plain(f"{o.indicator}: {o.error}"))
