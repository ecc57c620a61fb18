"""The Bron panel: where an indicator's numbers come from, and how we judge them."""
from __future__ import annotations

import streamlit as st

from data_sources.api import IndicatorData
from data_sources.provenance import LICENCE_URL, Provenance

from . import format as fmt
from .texts import t


def source_panel(data: IndicatorData, lang: str) -> None:
    prov = data.record.provenance
    indicator = data.indicator
    if prov.source == "derived":
        st.markdown(f"**{t('derived_from', lang)}:** {prov.operation}")
        for item in prov.inputs:
            _describe(Provenance.from_dict(item), lang)
    else:
        _describe(prov, lang)
    st.markdown(f"**{t('licence', lang)}:** {t('source_label', lang)}: CBS, [{prov.licence}]({LICENCE_URL})")
    if indicator.caveats(lang):
        st.markdown(f"**{t('caveats', lang)}**")
        for caveat in indicator.caveats(lang):
            st.markdown(f"- {caveat}")
    st.markdown(f"**{t('method_title', lang)}** {t('method', lang)}")


def _describe(prov: Provenance, lang: str) -> None:
    link = prov.statline_url()
    st.markdown(
        f"**{t('cbs_table', lang)}:** [{prov.table_id}]({link}) — {prov.table_title or '–'}  \n"
        f"**{t('measure', lang)}:** `{prov.measure}` {prov.measure_title} ({prov.unit or '–'})  \n"
        f"**{t('filters', lang)}:** {', '.join(f'{k} = {v}' for k, v in prov.filters.items()) or '–'}  \n"
        f"**{t('cbs_modified', lang)}:** {fmt.date(prov.modified, lang) if prov.modified else '–'} · "
        f"**{t('retrieved', lang)}:** {fmt.datetime_text(prov.retrieved_at, lang)}"
    )


def source_line(data: IndicatorData, lang: str) -> str:
    """'Bron: CBS, 82235NED' with every table linked to StatLine (inputs too, when derived)."""
    prov = data.record.provenance
    if prov is None:
        return ""
    sources = [Provenance.from_dict(p) for p in prov.inputs] if prov.source == "derived" else [prov]
    links = ", ".join(dict.fromkeys(f"[{p.table_id}]({p.statline_url()})" for p in sources if p.table_id))
    return f"{t('source_label', lang)}: CBS, {links} — CC BY 4.0"
