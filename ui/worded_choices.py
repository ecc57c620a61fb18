"""Choices shown in the page's words keep their value when the visitor switches the language.

The browser keeps a selectbox's or radio's choice as the text it shows. After a language switch
that text names no option any more, and the browser falls back to the widget's default (its first
option) at the next click: the chosen indicator, tab or mode was lost. A widget whose key goes
through ``worded`` gets its value set again on the run the language changes, so that Streamlit
sends the browser the choice in the new language's words. See docs/architecture.md.
"""
from __future__ import annotations

import streamlit as st

_WORDED = "worded-choices"  # session state: the keys of the worded choices drawn so far


def worded(key: str) -> str:
    """``key``, remembered as the key of a choice whose option texts follow the language. Only for
    widgets that take their value from session state (no ``index``/``value`` argument)."""
    st.session_state.setdefault(_WORDED, set()).add(key)
    return key


def keep_after_switch() -> None:
    """On the run the language changed, before the page draws its widgets: every worded choice
    still held is set to its own value again (read in the words of the language before)."""
    for key in st.session_state.get(_WORDED, ()):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
