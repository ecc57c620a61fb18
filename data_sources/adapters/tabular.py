"""Files outside CBS (RIVM, COA, a province, a ministry): CSV, Excel (.xlsx) and Parquet, from
a URL or from a path under ``OPGAVEMONITOR_FILES_DIR``.

The catalogue entry maps the file's columns onto the indicator frame: region code (or region
name, looked up among the region names the store already holds for one level), period and its
format, value, and optionally status. Downloads go through :class:`JsonClient` (timeout,
retries, bytes counted). Every cell that cannot be read is reported with file, row and column;
one such cell fails the indicator, so the store keeps its last good data.
"""
from __future__ import annotations

import csv
import difflib
import io
import math
import re
from datetime import date

import pandas as pd

from ..catalogue import OFFICIAL_DOMAINS, Indicator, TabularSource, official_url
from ..codes import parse_period, region_level, status_from_cbs
from ..failures import INPUT, MISSING, SELECTION, UNREADABLE
from ..frame import build_frame
from ..http import JsonClient, SourceError
from ..provenance import Provenance
from ..settings import PROJECT_FILES, data_dir, files_dir
from ..store import Store, now_iso
from .common import where

MAX_REPORTED = 10
REGION_CODE = re.compile(r"^(NL\d{2}|LD\d{2}|PV\d{2}|CR\d{2}|CO\d{2}|GM\d{4}|WK\d{6}|BU\d{8})$")
QUARTER = (
    re.compile(r"^(?P<year>\d{4})\s*[-/ ]?\s*(?:KW|Q|K)\s*0?(?P<q>[1-4])$", re.I),
    re.compile(r"^(?:KW|Q|K)\s*0?(?P<q>[1-4])\s*[-/ ]?\s*(?P<year>\d{4})$", re.I),
)
MONTH = (
    re.compile(r"^(?P<year>\d{4})[-/](?P<m>\d{1,2})(?:[-/]\d{1,2}(?:[ T].*)?)?$"),
    re.compile(r"^(?P<m>\d{1,2})[-/](?P<year>\d{4})$"),
)
YEAR = re.compile(r"^(?P<year>\d{4})(?:\.0+)?$")
DATE_PERIODS = {
    "year": lambda d: f"{d.year}JJ00",
    "quarter": lambda d: f"{d.year}KW0{(d.month - 1) // 3 + 1}",
    "month": lambda d: f"{d.year}MM{d.month:02d}",
}


class CellError(ValueError):
    """One cell cannot be read; the caller adds file, row and column."""


def fetch(indicator: Indicator, client: JsonClient) -> tuple[pd.DataFrame, Provenance]:
    src: TabularSource = indicator.source
    payload, location = _load(src, client, indicator)
    label = f"file {src.table} ({location}), {where(indicator)}"
    header, rows = _read_table(payload, src, label)
    _check_columns(header, src, label)
    records = _records(header, rows, indicator, label)
    return build_frame(indicator.id, records), _provenance(indicator, src, client)


def _records(header: list[str], rows: list[tuple[int, list]], indicator: Indicator, label: str) -> list[dict]:
    """Frame records of every row the entry selects; raises naming each unreadable cell."""
    src: TabularSource = indicator.source
    regions = Store(data_dir()).regions()
    titles = dict(zip(regions["region_code"], regions["region_name"], strict=True))
    names = _names_of_level(regions, src.region_level, label) if src.region_name_column else {}
    records, problems, unknown, seen = [], [], {}, {}
    for number, values in rows:
        if len(values) != len(header) and src.format == "csv":  # e.g. an unquoted 1,5 in a comma-separated file
            problems.append(f"row {number}: {len(values)} fields where the header has {len(header)} (a broken line or a wrong delimiter?)")
            continue
        row = dict(zip(header, values, strict=False))
        if any(cell_text(row.get(col)) != value for col, value in src.filters.items()):
            continue
        record, cell_problems = _record(row, number, src, names, unknown)
        problems += cell_problems
        if record is None or region_level(record["region_code"]) not in indicator.region_levels:
            continue
        key = (record["region_code"], record["period"])
        if key in seen:
            problems.append(f"row {number} repeats row {seen[key]} ({key[0]}, {key[1]})")
        seen.setdefault(key, number)
        records.append({**record, "region_name": titles.get(record["region_code"])})
    if unknown:
        listed = "; ".join(
            f"{name!r} (row {', '.join(map(str, rows_))}{_did_you_mean(name, names, titles)})" for name, rows_ in list(unknown.items())[:MAX_REPORTED]
        )
        problems.insert(0, f"{len(unknown)} region name(s) in column {src.region_name_column!r} are not {src.region_level} names in the store: {listed}")
    if problems:
        more = f" (and {len(problems) - MAX_REPORTED} more)" if len(problems) > MAX_REPORTED else ""
        raise SourceError(f"{label}: " + "; ".join(problems[:MAX_REPORTED]) + more, kind=UNREADABLE)
    if not records:
        raise SourceError(f"{label}: no rows for the region levels {', '.join(indicator.region_levels)} and filters {src.filters or 'none'}", kind=SELECTION)
    if all(math.isnan(r["value"]) for r in records):
        raise SourceError(f"{label}: every value in column {src.value_column!r} is empty (one of {list(src.missing_values)})", kind=SELECTION)
    return records


# -- reading the file -------------------------------------------------------------------------


def _load(src: TabularSource, client: JsonClient, indicator: Indicator) -> tuple[bytes, str]:
    if src.url:
        try:
            return client.get_bytes(src.url), src.url
        except SourceError as exc:
            raise exc.restated(f"file {src.url} ({where(indicator)}): {exc}") from exc
    root = (PROJECT_FILES if src.bundled else files_dir()).resolve()
    path = (root / src.path).resolve()
    if not path.is_relative_to(root):
        raise SourceError(f"path {src.path!r} lies outside {_folder(src)} ({root}); refused ({where(indicator)})")
    if not path.is_file():
        raise SourceError(f"file {path} does not exist ({where(indicator)})", kind=MISSING)
    return path.read_bytes(), str(path)


def _read_table(payload: bytes, src: TabularSource, label: str) -> tuple[list[str], list[tuple[int, list]]]:
    """Header and data rows (with their row number in the file) of a CSV, xlsx or parquet file."""
    try:
        header, rows = READERS[src.format](payload, src)
    except CellError as exc:
        raise SourceError(f"{label}: {exc}", kind=UNREADABLE) from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"{label}: not {src.encoding} text ({exc}); set encoding, e.g. encoding = 'cp1252'", kind=UNREADABLE) from exc
    except Exception as exc:  # csv, openpyxl, zipfile and pyarrow raise many types
        raise SourceError(f"{label}: not a readable {src.format} file ({type(exc).__name__}: {exc})", kind=UNREADABLE) from exc
    if header is None:
        raise SourceError(f"{label}: no header on row {src.header_row} (the file has fewer rows)", kind=UNREADABLE)
    return header, rows


def _csv(payload: bytes, src: TabularSource):
    text = payload.decode("utf-8-sig" if src.encoding.lower().replace("-", "") == "utf8" else src.encoding)
    lines = text.splitlines()
    if len(lines) < src.header_row:
        return None, []
    delimiter = src.delimiter or max(";,\t", key=lines[src.header_row - 1].count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header, rows = None, []
    for fields in reader:
        number = reader.line_num
        if header is None:
            if number >= src.header_row:
                header = [f.strip() for f in fields]
            continue
        if any(f.strip() for f in fields):
            rows.append((number, fields))
    return header, rows


def _xlsx(payload: bytes, src: TabularSource):
    import openpyxl  # only needed for Excel sources

    book = openpyxl.load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    try:
        if src.sheet and src.sheet not in book.sheetnames:
            raise CellError(f"no sheet {src.sheet!r}; its sheets: {', '.join(book.sheetnames)}")
        sheet = book[src.sheet] if src.sheet else book.worksheets[0]
        header, rows = None, []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number == src.header_row:
                header = [cell_text(v) for v in values]
            elif number > src.header_row and any(cell_text(v) for v in values):
                rows.append((number, list(values)))
        return header, rows
    finally:
        book.close()


def _parquet(payload: bytes, src: TabularSource):
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(payload))
    return table.column_names, [(n, list(r.values())) for n, r in enumerate(table.to_pylist(), start=1)]


READERS = {"csv": _csv, "xlsx": _xlsx, "parquet": _parquet}


def _check_columns(header: list[str], src: TabularSource, label: str) -> None:
    wanted = [src.value_column, src.period_column, src.region_code_column, src.region_name_column, src.status_column, *src.filters]
    missing = [c for c in wanted if c and c not in header]
    if missing:
        raise SourceError(
            f"{label}: no column {', '.join(map(repr, missing))} in the header (row {src.header_row}); "
            f"its columns: {', '.join(h for h in header if h)}",
            kind=UNREADABLE,
        )


# -- reading a row ----------------------------------------------------------------------------


def _record(row: dict, number: int, src: TabularSource, names: dict, unknown: dict) -> tuple[dict | None, list[str]]:
    problems = []

    def cell(column: str, parse):
        try:
            return parse(row.get(column))
        except CellError as exc:
            problems.append(f"row {number}, column {column!r}: {exc}")
            return None

    if src.region_name_column:
        name = cell_text(row.get(src.region_name_column))
        codes = names.get(name_key(name), set())
        if len(codes) != 1:
            if len(codes) > 1:
                problems.append(f"row {number}, column {src.region_name_column!r}: {name!r} is the name of {', '.join(sorted(codes))}")
            else:
                unknown.setdefault(name, []).append(number)
            return None, problems
        region = next(iter(codes))
    elif src.region_code_column:
        region = cell(src.region_code_column, parse_region_code)
    else:
        region = src.region
    period = cell(src.period_column, lambda v: parse_period_cell(v, src.period_format))
    value = cell(src.value_column, lambda v: parse_number(v, src))
    if problems or region is None:
        return None, problems
    status = status_from_cbs(cell_text(row.get(src.status_column))) if src.status_column else None
    record = {"region_code": region, "period": period, "value": value, "status": status}
    if src.note_column:
        record["note"] = cell_text(row.get(src.note_column))
    if src.source_url_column:
        url = cell_text(row.get(src.source_url_column))
        if not url.startswith("https://"):
            return None, [f"row {number}, column {src.source_url_column!r}: {url!r} is not an https page"]
        if src.bundled and not official_url(url):  # a file that ships with the project names official pages only
            return None, [f"row {number}, column {src.source_url_column!r}: {url!r} is not a page on an official site ({', '.join(OFFICIAL_DOMAINS)})"]
        record["source_url"] = url
    return record, []


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_region_code(value: object) -> str:
    code = cell_text(value).upper()
    if not REGION_CODE.match(code):
        raise CellError(f"{cell_text(value)!r} is not a CBS region code (NL01, PV27, GM0363, ...)")
    return code


def parse_period_cell(value: object, fmt: str) -> str:
    """A CBS period code from a cell in the entry's period format."""
    if isinstance(value, date):  # Excel and parquet dates (datetime is a date too)
        return DATE_PERIODS[fmt](value) if fmt in DATE_PERIODS else _bad_period(value, fmt)
    text = cell_text(value)
    if fmt == "cbs":
        if parse_period(text).start is None:
            _bad_period(value, fmt)
        return text
    patterns = {"year": (YEAR,), "quarter": QUARTER, "month": MONTH}[fmt]
    for pattern in patterns:
        match = pattern.match(text)
        if match:
            year = int(match.group("year"))
            if fmt == "year":
                return f"{year}JJ00"
            if fmt == "quarter":
                return f"{year}KW0{match.group('q')}"
            month = int(match.group("m"))
            if 1 <= month <= 12:
                return f"{year}MM{month:02d}"
    return _bad_period(value, fmt)


def _bad_period(value: object, fmt: str) -> str:
    examples = {"cbs": "2023JJ00, 2023KW02, 2023MM11", "year": "2023", "quarter": "2023-Q2, 2023 K2", "month": "2023-03, 03-2023, a date"}
    raise CellError(f"{cell_text(value)!r} is not a period in format {fmt!r} ({examples[fmt]})")


def parse_number(value: object, src: TabularSource) -> float:
    """A number from a cell: numbers as they are; text with the entry's decimal and
    thousands separators (Dutch by default: 1.234,5), strictly, so 12.5 is never 125."""
    if value is None:
        return float("nan")
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u00a0", " ")
    if text in src.missing_values:
        return float("nan")
    dec, sep = re.escape(src.decimal), re.escape(src.thousands)
    whole = rf"(?:\d{{1,3}}(?:{sep}\d{{3}})+|\d+)" if src.thousands else r"\d+"
    if not re.fullmatch(rf"[-+]?{whole}(?:{dec}\d+)?", text):
        example = f"1{src.thousands}234{src.decimal}5"
        raise CellError(f"{text!r} is not a number written as {example} (decimal {src.decimal!r}, thousands {src.thousands!r})")
    if src.thousands:
        text = text.replace(src.thousands, "")
    return float(text.replace(src.decimal, "."))


# -- region names -----------------------------------------------------------------------------


# Names in everyday use for regions CBS titles otherwise (GM0518 's-Gravenhage, GM0796
# 's-Hertogenbosch, PV21 Fryslân): files from other organisations often use these.
EVERYDAY_NAMES = {"den haag": "'s-gravenhage", "den bosch": "'s-hertogenbosch", "friesland": "fryslân"}


def name_key(name: str) -> str:
    """How names are compared: case, spacing and CBS's level suffix ('Utrecht (PV)') ignored;
    an everyday name counts as CBS's."""
    text = re.sub(r"\s*\((pv|gemeente|gem\.|cr|ld)\)$", "", " ".join(str(name).split()).casefold())
    return EVERYDAY_NAMES.get(text, text)


def _did_you_mean(name: str, names: dict[str, set[str]], titles: dict[str, str]) -> str:
    """'; did you mean 'Amsterdam'?' for a near miss among the level's CBS names."""
    close = difflib.get_close_matches(name_key(name), list(names), n=1, cutoff=0.8)
    return f"; did you mean {titles[min(names[close[0]])]!r}?" if close else ""


def _names_of_level(regions: pd.DataFrame, level: str, label: str) -> dict[str, set[str]]:
    """Name key -> codes of that level."""
    names: dict[str, set[str]] = {}
    of_level = regions[regions["region_level"] == level]
    for code, name in zip(of_level["region_code"], of_level["region_name"], strict=True):
        names.setdefault(name_key(name), set()).add(code)
    if not names:
        raise SourceError(f"{label}: the store holds no {level} names to look region names up in; refresh a CBS indicator with {level} data first", kind=INPUT)
    return names


def _folder(src: TabularSource) -> str:
    return "data_sources/files" if src.bundled else "OPGAVEMONITOR_FILES_DIR"


def _provenance(indicator: Indicator, src: TabularSource, client: JsonClient) -> Provenance:
    return Provenance(
        indicator=indicator.id,
        source="tabular",
        table_id=src.table,
        table_title=src.title,
        catalogue=src.format,
        retrieved_at=now_iso(),
        request_urls=list(client.urls) or [f"{_folder(src)}/{src.path}"],
        measure=src.value_column,
        filters=dict(src.filters),
        unit=src.unit,
        licence=src.licence,
        attribution=f"Bron: {src.attribution}",
        publisher=src.attribution,
        licence_url=src.licence_url,
        source_url=src.source_url or src.url,
    )
