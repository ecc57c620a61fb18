"""The Bron panel: where an indicator's numbers come from, and how we judge them."""
from __future__ import annotations

import streamlit as st

from data_sources.api import IndicatorData
from data_sources.catalogue import Indicator, Opgave
from data_sources.provenance import ATTRIBUTION, Provenance

from . import format as fmt
from .safe import link, plain
from .texts import t


def source_panel(data: IndicatorData, lang: str) -> None:
    prov = data.record.provenance
    indicator = data.indicator
    if prov.source == "derived":
        st.markdown(f"**{t('derived_from', lang)}:** {plain(prov.operation)}")
    for source in prov.sources():
        _describe(source, lang)
    if indicator.survey(lang):
        st.markdown(f"**{t('survey', lang).capitalize()}:** {plain(indicator.survey(lang))}")
    publisher = prov.publisher if prov.source == "tabular" else "CBS" if prov.attribution == ATTRIBUTION else ""
    attribution = f"{t('source_label', lang)}: {plain(publisher)}" if publisher else plain(prov.attribution)
    st.markdown(f"**{t('licence', lang)}:** {attribution}, {link(prov.licence, prov.licence_url)}")
    if indicator.caveats(lang):
        st.markdown(f"**{t('caveats', lang)}**")
        for caveat in indicator.caveats(lang):
            st.markdown(f"- {plain(caveat)}")
    st.markdown(f"**{t('method_title', lang)}** {t('method', lang)}")


def _describe(prov: Provenance, lang: str) -> None:
    """One source; every CBS code with its CBS title, or 'titel niet beschikbaar'. A file from
    another publisher is never called a CBS table."""
    is_file = prov.source == "tabular"
    where = f"{t('source_file', lang)} ({plain(prov.publisher)})" if is_file else t("cbs_table", lang)
    modified = "" if is_file else f"**{t('cbs_modified', lang)}:** {fmt.date(prov.modified, lang) if prov.modified else '–'} · "
    summary = prov.summary(lang)
    st.markdown(
        f"**{where}:** {link(prov.table_id, prov.link())} — {plain(summary['table_title'])}  \n"
        f"**{t('column' if is_file else 'measure', lang)}:** {plain(_with_unit(summary['measure'], prov.unit))}  \n"
        f"**{t('filters', lang)}:** {'; '.join(plain(f) for f in summary['filters']) or '–'}  \n"
        f"{modified}**{t('retrieved', lang)}:** {fmt.datetime_text(prov.retrieved_at, lang)}"
    )


def _with_unit(label: str, unit: str) -> str:
    """'Aantal (m³)'; a label that already ends in its unit ('Aandeel (%)') keeps it once."""
    return label if unit and label.endswith(f"({unit})") else f"{label} ({unit or '–'})"


def comparability_note(opgave: Opgave, indicator: Indicator, lang: str) -> None:
    """Under the headline: say so when this page's series come from different surveys or
    definitions, and which one the shown series is from (never compare them as one)."""
    surveys = list(dict.fromkeys(i.survey(lang) for i in opgave.indicators if i.survey(lang)))
    if len(surveys) < 2 or not indicator.survey(lang):
        return
    others = [s for s in surveys if s != indicator.survey(lang)]
    st.info(t("mixed_sources", lang, this=plain(indicator.survey(lang)), others="; ".join(plain(s) for s in others)), icon="⚠️")


def source_line(data: IndicatorData, lang: str) -> str:
    """'Bron: CBS, 82235NED' per publisher, every table or file linked (inputs too, when derived)."""
    return _source_sentence(data, lang, lambda p: link(p.table_id, p.link()), plain)


def source_text(data: IndicatorData, lang: str) -> str:
    """The same line as plain text, for a file or an image (no markdown, nothing escaped)."""
    return _source_sentence(data, lang, lambda p: p.table_id, str)


def _source_sentence(data: IndicatorData, lang: str, table, text) -> str:
    prov = data.record.provenance
    if prov is None:
        return ""
    sources = prov.sources()
    tables: dict[str, dict[str, None]] = {}
    for p in sources:
        if p.table_id:
            tables.setdefault(text(p.publisher), {})[table(p)] = None
    named = "; ".join(f"{publisher}, {', '.join(found)}" for publisher, found in tables.items())
    licences = ", ".join(dict.fromkeys(text(p.licence) for p in sources))
    return f"{t('source_label', lang)}: {named} — {licences}"
