"""The first-run page's view of a running refresh (the first fill), re-read every few seconds."""
from __future__ import annotations

import streamlit as st

from data_sources.progress import progress_path, read_progress
from data_sources.settings import data_dir

from . import format as fmt
from .data import store
from .language import carried
from .texts import t

EVERY_SECONDS = 3


def fill_progress() -> None:
    """Progress bar and state of the refresh filling the empty store. Once data is there and
    no refresh runs any more, the whole page reruns and shows the overview instead. Its timed
    reruns run outside the page's run, so they take the page's language along."""
    st.fragment(run_every=EVERY_SECONDS)(carried(_fill_progress))()


def _fill_progress() -> None:
    progress = read_progress(progress_path(data_dir()))
    running = progress is not None and progress.running()
    if not running and not store().is_empty():
        st.rerun()
    if progress is None:
        return
    if running:
        st.progress(progress.fraction, text=t("fill_progress", done=progress.done, total=progress.total))
        st.info(t("fill_running", done=progress.done, total=progress.total, at=fmt.datetime_text(progress.updated)))
        if progress.failed:
            st.caption(t("fill_failures", n=progress.failed))
    elif progress.finished:
        st.warning(t("fill_nothing", at=fmt.datetime_text(progress.finished), failed=progress.failed))
    else:
        st.caption(t("fill_stalled", started=fmt.datetime_text(progress.started)))
