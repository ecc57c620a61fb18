"""The current view as a table, and as a zip of CSV plus README with provenance."""
from __future__ import annotations

import io
import zipfile

import pandas as pd

from data_sources.api import IndicatorData
from data_sources.catalogue import Indicator

from . import format as fmt
from .texts import t


def view_table(frame: pd.DataFrame, regions: list[str], indicator: Indicator, lang: str) -> pd.DataFrame:
    rows = frame[frame["region_code"].isin(regions)].sort_values(["region_code", "period_start"])
    return pd.DataFrame(
        {
            t("region", lang): rows["region_name"].astype(str),
            "code": rows["region_code"].astype(str),
            "periode" if lang == "nl" else "period": [fmt.period(p, lang) for p in rows["period"]],
            f"{indicator.title(lang)} ({indicator.unit(lang)})": [fmt.number(v, indicator.decimals, lang) for v in rows["value"]],
            "status": [t("status_" + s, lang) if isinstance(s, str) else "" for s in rows["status"].astype(object)],
        }
    )


def csv_rows(frame: pd.DataFrame, regions: list[str], indicator: Indicator) -> str:
    """Machine-readable CSV: codes, ISO dates, dot decimals (for re-use, not for reading)."""
    rows = frame[frame["region_code"].isin(regions)].sort_values(["region_code", "period_start"])
    out = rows[["indicator", "region_code", "region_name", "period", "period_start", "value", "status"]].copy()
    out["unit"] = indicator.unit_nl
    return out.to_csv(index=False, date_format="%Y-%m-%d")


def readme(data: IndicatorData, regions: list[str], lang: str) -> str:
    ind, prov = data.indicator, data.record.provenance
    lines = [
        f"# {ind.title(lang)}",
        "",
        ind.explanation(lang),
        "",
        f"- indicator: {ind.id}",
        f"- {t('region', lang).lower()}: {', '.join(regions)}",
        f"- {t('source_label', lang).lower()}: {prov.publisher}, {prov.table_id} {prov.table_title}".rstrip(),
        f"- {'URL' if prov.source == 'tabular' else 'StatLine'}: {prov.link() or '-'}" if prov.table_id and prov.source != "derived" else f"- {t('derived_from', lang).lower()}: {prov.operation}",
        f"- {t('measure', lang).lower()}: {prov.measure} {prov.measure_title}".rstrip(),
        f"- {t('filters', lang).lower()}: {prov.filters or '-'}",
        f"- {t('cbs_modified', lang).lower()}: {prov.modified or '-'}",
        f"- {t('retrieved', lang).lower()}: {prov.retrieved_at}",
        f"- unit (CBS): {prov.unit or '-'}; shown as {ind.unit(lang)} (value × {ind.factor:g})",
        f"- {t('licence', lang).lower()}: {prov.attribution}, {prov.licence} ({prov.licence_url or '-'})",
    ]
    if ind.caveats(lang):
        lines += ["", f"## {t('caveats', lang)}", *[f"- {c}" for c in ind.caveats(lang)]]
    lines += ["", f"## {t('method_title', lang)}", t("method", lang), ""]
    return "\n".join(lines)


def zip_bundle(frame: pd.DataFrame, regions: list[str], data: IndicatorData, lang: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{data.indicator.id}.csv", csv_rows(frame, regions, data.indicator))
        zf.writestr("README.md", readme(data, regions, lang))
    return buffer.getvalue()


