"""The first-run page's view of a running refresh (the first fill), re-read every few seconds."""
from __future__ import annotations

import streamlit as st

from data_sources.progress import progress_path, read_progress
from data_sources.settings import data_dir

from . import format as fmt
from .data import store
from .texts import t

EVERY_SECONDS = 3


@st.fragment(run_every=EVERY_SECONDS)
def fill_progress(lang: str) -> None:
    """Progress bar and state of the refresh filling the empty store. Once data is there and
    no refresh runs any more, the whole page reruns and shows the overview instead."""
    progress = read_progress(progress_path(data_dir()))
    running = progress is not None and progress.running()
    if not running and not store().is_empty():
        st.rerun()
    if progress is None:
        return
    if running:
        st.progress(progress.fraction, text=t("fill_progress", lang, done=progress.done, total=progress.total))
        st.info(t("fill_running", lang, done=progress.done, total=progress.total, at=fmt.datetime_text(progress.updated, lang)))
        if progress.failed:
            st.caption(t("fill_failures", lang, n=progress.failed))
    elif progress.finished:
        st.warning(t("fill_nothing", lang, at=fmt.datetime_text(progress.finished, lang), failed=progress.failed))
    else:
        st.caption(t("fill_stalled", lang, started=fmt.datetime_text(progress.started, lang)))
