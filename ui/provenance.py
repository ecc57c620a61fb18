"""The Bron panel: where an indicator's numbers come from, and how we judge them."""
from __future__ import annotations

import streamlit as st

from data_sources.api import IndicatorData
from data_sources.provenance import Provenance

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
    st.markdown(f"**{t('licence', lang)}:** {prov.attribution}, {_link(prov.licence, prov.licence_url)}")
    if indicator.caveats(lang):
        st.markdown(f"**{t('caveats', lang)}**")
        for caveat in indicator.caveats(lang):
            st.markdown(f"- {caveat}")
    st.markdown(f"**{t('method_title', lang)}** {t('method', lang)}")


def _describe(prov: Provenance, lang: str) -> None:
    is_file = prov.source == "tabular"  # never call a file from another publisher a CBS table
    where = f"{t('source_file', lang)} ({prov.publisher})" if is_file else t("cbs_table", lang)
    modified = "" if is_file else f"**{t('cbs_modified', lang)}:** {fmt.date(prov.modified, lang) if prov.modified else '–'} · "
    st.markdown(
        f"**{where}:** {_link(prov.table_id, prov.link())} — {prov.table_title or '–'}  \n"
        f"**{t('column' if is_file else 'measure', lang)}:** `{prov.measure}` {prov.measure_title} ({prov.unit or '–'})  \n"
        f"**{t('filters', lang)}:** {', '.join(f'{k} = {v}' for k, v in prov.filters.items()) or '–'}  \n"
        f"{modified}**{t('retrieved', lang)}:** {fmt.datetime_text(prov.retrieved_at, lang)}"
    )


def _link(text: str, url: str) -> str:
    return f"[{text}]({url})" if url else text


def source_line(data: IndicatorData, lang: str) -> str:
    """'Bron: CBS, 82235NED — CC BY 4.0' with every table linked to StatLine, and a file from
    another publisher under that publisher's name and licence (inputs too, when derived)."""
    prov = data.record.provenance
    if prov is None:
        return ""
    sources = [Provenance.from_dict(p) for p in prov.inputs] if prov.source == "derived" else [prov]
    links: dict[str, dict[str, None]] = {}
    for p in sources:
        if p.table_id:
            links.setdefault(p.publisher, {})[_link(p.table_id, p.link())] = None
    named = "; ".join(f"{publisher}, {', '.join(found)}" for publisher, found in links.items())
    return f"{t('source_label', lang)}: {named} — {', '.join(dict.fromkeys(p.licence for p in sources))}"
