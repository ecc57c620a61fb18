"""The current view as a table, as an Excel workbook (figures as numbers, provenance on a
second sheet), and as a zip of CSV plus README with provenance."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
from openpyxl.styles import Font

from data_sources.api import IndicatorData
from data_sources.catalogue import Indicator
from data_sources.spreadsheet import neutral_cell, neutral_frame, safe_csv

from . import format as fmt
from .language import current, pick
from .provenance import derivation_words, margins_text, method
from .texts import t


def view_table(frame: pd.DataFrame, regions: list[str], indicator: Indicator) -> pd.DataFrame:
    """Newest period first (what a reader looks for), the regions in the order chosen."""
    order = {code: n for n, code in enumerate(regions)}
    rows = frame[frame["region_code"].isin(regions)].assign(_order=lambda f: f["region_code"].map(order))
    rows = rows.sort_values(["period_start", "_order"], ascending=[False, True])
    table = pd.DataFrame(
        {
            t("region"): rows["region_name"].astype(str),
            "code": rows["region_code"].astype(str),
            "periode" if current() == "nl" else "period": [fmt.period(p) for p in rows["period"]],
            f"{pick(indicator, 'title')} ({pick(indicator, 'unit')})": [fmt.number(v, indicator.decimals) for v in rows["value"]],
            "status": [t("status_" + s) if isinstance(s, str) else "" for s in rows["status"].astype(object)],
        }
    )
    for bound in ("lower", "upper"):  # a survey's 95% interval, where the source publishes it
        if bound in rows.columns and rows[bound].notna().any():
            table.insert(len(table.columns) - 1, t(f"margin_{bound}"), [fmt.number(v, indicator.decimals) for v in rows[bound]])
    for name, column in _publication_columns(rows).items():
        table[name] = column.to_numpy()
    return table


def _publication_columns(rows: pd.DataFrame) -> dict[str, pd.Series]:
    """Separate publications: each row's wording and page (none for a continuous series)."""
    if "note" not in rows.columns:
        return {}
    return {
        t("publication_page"): rows["note"].fillna("").astype(str),
        t("source_label").lower(): rows.get("source_url", pd.Series("", index=rows.index)).fillna("").astype(str),
    }


def csv_rows(frame: pd.DataFrame, regions: list[str], indicator: Indicator) -> str:
    """Machine-readable CSV: codes, ISO dates, dot decimals (for re-use, not for reading)."""
    rows = frame[frame["region_code"].isin(regions)].sort_values(["region_code", "period_start"])
    extra = [c for c in ("lower", "upper") if c in rows.columns]  # the 95% interval, where published
    notes = [c for c in ("note", "source_url") if c in rows.columns]  # separate publications' wording and page
    out = rows[["indicator", "region_code", "region_name", "period", "period_start", "value", *extra, "status", *notes]].copy()
    out["unit"] = indicator.unit_nl
    return safe_csv(out, index=False, date_format="%Y-%m-%d")


def readme(data: IndicatorData, regions: list[str]) -> str:
    ind, prov = data.indicator, data.record.provenance
    lines = [
        f"# {pick(ind, 'title')}",
        "",
        pick(ind, "explanation"),
        "",
        f"- indicator: {ind.id}",
        f"- {t('region').lower()}: {', '.join(regions)}",
    ]
    if prov.source == "derived":
        if ind.derive:
            lines.append(f"- {t('calculated').lower()}: {derivation_words(ind.derive)}")
        lines.append(f"- {t('derived_from').lower()}: {prov.operation}")
    if pick(ind, "survey"):
        lines.append(f"- {t('survey')}: {pick(ind, 'survey')}")
    for source in prov.sources():
        summary, is_file = source.summary(t("title_unavailable")), source.source == "tabular"
        lines += [
            "",
            f"## {t('source_label')}: {source.publisher} {source.table_id} — {summary['table_title']}",
            f"- {'URL' if is_file else 'StatLine'}: {source.link() or '-'}",
            f"- {t('column' if is_file else 'measure').lower()}: {summary['measure']}",
            f"- {t('filters').lower()}: {'; '.join(summary['filters']) or '-'}",
            *([] if is_file else [f"- {t('cbs_modified').lower()}: {source.modified or '-'}"]),
            f"- {t('retrieved').lower()}: {source.retrieved_at}",
            f"- {t('readme_source_unit', publisher=source.publisher)}: {source.unit or '-'}",
        ]
    lines += [
        "",
        f"- {t('readme_unit', unit=pick(ind, 'unit'), factor=f'{ind.factor:g}')}",
        f"- {t('licence').lower()}: {prov.attribution}, {prov.licence} ({prov.licence_url or '-'})",
    ]
    if margins_text(ind):
        lines.append(f"- {t('margins_source')}: {margins_text(ind)}")
    if pick(ind, "caveats"):
        lines += ["", f"## {t('caveats')}", *[f"- {c}" for c in pick(ind, "caveats")]]
    lines += ["", f"## {t('method_title')}", method(ind), ""]
    return "\n".join(lines)


def zip_bundle(frame: pd.DataFrame, regions: list[str], data: IndicatorData) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{data.indicator.id}.csv", csv_rows(frame, regions, data.indicator))
        zf.writestr("README.md", readme(data, regions))
    return buffer.getvalue()


def xlsx_bundle(frame: pd.DataFrame, regions: list[str], data: IndicatorData) -> bytes:
    """A workbook that opens correctly in a Dutch (or any) Excel: one sheet with the view's
    figures as numbers (shown with the indicator's decimals; Excel applies the reader's own
    decimal mark), one with the README's provenance. Text cells cannot become formulas."""
    ind = data.indicator
    order = {code: n for n, code in enumerate(regions)}
    rows = frame[frame["region_code"].isin(regions)].assign(_order=lambda f: f["region_code"].map(order))
    rows = rows.sort_values(["_order", "period_start"])
    figures = neutral_frame(pd.DataFrame({
        t("region"): rows["region_name"].astype(str),
        "code": rows["region_code"].astype(str),
        "periode" if current() == "nl" else "period": [fmt.period(p) for p in rows["period"]],
        f"{pick(ind, 'title')} ({pick(ind, 'unit')})": rows["value"].astype(float),
        **{t(f"margin_{c}"): rows[c].astype(float) for c in ("lower", "upper") if c in rows.columns},  # 95% interval
        "status": [t("status_" + s) if isinstance(s, str) else "" for s in rows["status"].astype(object)],
        **_publication_columns(rows),
    }))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = t("xlsx_data_sheet")
    sheet.append(list(figures.columns))
    for record in figures.itertuples(index=False):
        sheet.append([None if isinstance(v, float) and v != v else v for v in record])  # NaN: an empty cell
    number_format = "#,##0" + ("." + "0" * ind.decimals if ind.decimals > 0 else "")
    numbers = 4 + sum(c in rows.columns for c in ("lower", "upper"))  # the value and its bounds
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=numbers):
        for cell in row:
            cell.number_format = number_format
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (28, 12, 18, 40, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    about = book.create_sheet(t("xlsx_about_sheet"))
    for line in readme(data, regions).splitlines():
        heading = line.startswith("#")
        about.append([neutral_cell(line.lstrip("# ") if heading else line.removeprefix("- "))])
        about.cell(about.max_row, 1).font = Font(bold=heading)
    about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
