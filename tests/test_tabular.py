"""The tabular adapter over HTTP against the emulator serving hand-made files (fictional
figures): CSV with Dutch separators, Excel with a header offset, Parquet, region names, every
fault kind, malformed files, local paths, catalogue checks, and how the pages name the source."""
from __future__ import annotations

import io
import math
from datetime import date
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from data_sources.catalogue import check_catalogue
from data_sources.emulator.server import Fault
from data_sources.refresh import refresh
from tests.fixtures.mirror import v3_value

HEADER = """[opgave]
id = "bestanden"
title_nl = "Bestanden"
title_en = "Files"
summary_nl = "Indicatoren uit bestanden van buiten het CBS."
summary_en = "Indicators from files outside CBS."
"""
DUTCH_CSV = (
    "Gemeentecode;Jaar;Aantal;Status\n"
    "GM0363;2022;1.234,5;Definitief\n"
    "GM0363;2023;12.345.678;Voorlopig\n"
    "GM0106;2022;-3,25;definitief\n"
    "GM0106;2023;.;\n"
    "\n"
    "NL01;2023;1.000.000;\n"
)


def toml_value(value) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return str(value)


def entry(name: str, levels=("land", "gemeente"), **source) -> str:
    fields = {
        "adapter": "tabular", "unit": "aantal", "licence": "CC BY 4.0", "attribution": "Testbureau",
        "value_column": "Aantal", "period_column": "Jaar", "period_format": "year",
        **source,
    }
    return (
        f'\n[[indicator]]\nid = "bestanden.{name}"\ntitle_nl = "{name}"\ntitle_en = "{name}"\n'
        'explanation_nl = "Uitleg."\nexplanation_en = "Explanation."\nkind = "context"\nunit_nl = "aantal"\n'
        f'unit_en = "number"\nbetter = "neutraal"\nregion_levels = {toml_value(list(levels))}\n[indicator.source]\n'
        + "".join(f"{k} = {toml_value(v)}\n" for k, v in fields.items())
    )


@pytest.fixture
def files(cbs):
    """Write a file the emulator serves; returns its URL."""
    folder = Path(cbs.mirror.root) / "files"
    folder.mkdir(exist_ok=True)

    def serve(name: str, payload: bytes | str) -> str:
        (folder / name).write_bytes(payload.encode("utf-8") if isinstance(payload, str) else payload)
        return f"{cbs.url}/files/{name}"

    return serve


@pytest.fixture
def catalogue_of(tmp_path):
    def build(*entries: str):
        folder = tmp_path / "catalogue"
        folder.mkdir(exist_ok=True)
        (folder / "bestanden.toml").write_text(HEADER + "".join(entries), encoding="utf-8")
        catalogue, problems = check_catalogue(folder)
        assert problems == []
        return catalogue

    return build


def refreshed(catalogue, store, ids=None):
    chosen = [i for i in catalogue.indicators() if ids is None or i.id in ids]
    return {o.indicator: o for o in refresh(catalogue, store, chosen)}


def value(frame, region: str, period: str) -> float:
    return frame[(frame.region_code == region) & (frame.period == period)]["value"].item()


def test_csv_with_dutch_decimals_and_thousands_over_http(cbs, files, catalogue_of, store):
    url = files("aantallen.csv", DUTCH_CSV)
    catalogue = catalogue_of(entry("csv", url=url, region_code_column="Gemeentecode", status_column="Status"))
    outcome = refreshed(catalogue, store)["bestanden.csv"]
    assert outcome.ok, outcome.error
    assert outcome.requests == 1 and outcome.bytes == len(DUTCH_CSV.encode())
    frame = store.frame("bestanden.csv")
    assert value(frame, "GM0363", "2022JJ00") == 1234.5
    assert value(frame, "GM0363", "2023JJ00") == 12345678
    assert value(frame, "GM0106", "2022JJ00") == -3.25
    assert math.isnan(value(frame, "GM0106", "2023JJ00"))  # '.' is missing, as at CBS
    assert value(frame, "NL01", "2023JJ00") == 1_000_000
    assert list(frame[frame.region_code == "GM0363"]["status"]) == ["definitief", "voorlopig"]
    prov = store.record("bestanden.csv").provenance
    assert (prov.source, prov.publisher, prov.attribution, prov.licence) == ("tabular", "Testbureau", "Bron: Testbureau", "CC BY 4.0")
    assert prov.table_id == "aantallen.csv" and prov.request_urls == [url] and prov.link() == url
    assert prov.statline_url() != prov.link()


def test_excel_with_a_header_offset_and_a_named_sheet(cbs, files, catalogue_of, store):
    book = openpyxl.Workbook()
    book.active.title = "Toelichting"
    book.active.append(["Deze tab is uitleg, geen data"])
    sheet = book.create_sheet("Cijfers")
    sheet.append(["Opvang per kwartaal (fictief)"])
    sheet.append([])
    sheet.append(["Bron: Testbureau"])
    sheet.append(["Regio", "Kwartaal", "Aantal"])
    sheet.append(["GM0363", "2023 K2", 1500])
    sheet.append(["GM0363", "2023-Q3", "1.234,5"])  # a number typed as Dutch text
    sheet.append(["NL01", "KW4 2023", 9000.25])
    buffer = io.BytesIO()
    book.save(buffer)
    url = files("opvang.xlsx", buffer.getvalue())
    catalogue = catalogue_of(
        entry("excel", url=url, sheet="Cijfers", header_row=4, region_code_column="Regio", period_column="Kwartaal", period_format="quarter")
    )
    outcome = refreshed(catalogue, store)["bestanden.excel"]
    assert outcome.ok, outcome.error
    frame = store.frame("bestanden.excel")
    assert value(frame, "GM0363", "2023KW02") == 1500
    assert value(frame, "GM0363", "2023KW03") == 1234.5
    assert value(frame, "NL01", "2023KW04") == 9000.25
    assert set(frame["frequency"].astype(str)) == {"quarter"}

    missing_sheet = catalogue_of(
        entry("blad", url=url, sheet="Bestaatniet", header_row=4, region_code_column="Regio", period_column="Kwartaal", period_format="quarter")
    )
    outcome = refreshed(missing_sheet, store, {"bestanden.blad"})["bestanden.blad"]
    assert not outcome.ok and "opvang.xlsx" in outcome.error and "no sheet 'Bestaatniet'; its sheets: Toelichting, Cijfers" in outcome.error


def test_parquet_with_dates_as_months(cbs, files, catalogue_of, store):
    table = pa.table({
        "code": ["GM0363", "GM0363", "GM0106", "PV27"],
        "maand": [date(2024, 1, 1), date(2024, 2, 1), date(2024, 2, 1), date(2024, 2, 1)],
        "waarde": [1.5, 2.5, None, 7.0],
    })
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    url = files("maanden.parquet", buffer.getvalue())
    catalogue = catalogue_of(entry("parquet", url=url, region_code_column="code", period_column="maand", period_format="month", value_column="waarde"))
    outcome = refreshed(catalogue, store)["bestanden.parquet"]
    assert outcome.ok, outcome.error
    frame = store.frame("bestanden.parquet")
    assert value(frame, "GM0363", "2024MM02") == 2.5
    assert "PV27" not in set(frame["region_code"])  # not among the indicator's region levels
    assert "GM0106" not in set(frame["region_code"])  # a region without any value is left out, as for CBS


def test_region_names_are_mapped_to_cbs_codes_and_unknown_names_reported(cbs, files, catalogue_of, store, catalogue):
    assert refresh(catalogue, store, [catalogue.indicator("testwonen.waarde")])[0].ok  # the store learns the names
    good = files("namen.csv", "Gemeente;Jaar;Aantal\nAmsterdam;2023;10\n  assen ;2023;4\n")
    bad = files("namen_fout.csv", "Gemeente;Jaar;Aantal\nAmsterdam;2023;10\nAmsterdm;2023;3\nNergenshuizen;2022;1\nAmsterdm;2022;2\n")
    common = {"region_name_column": "Gemeente", "region_level": "gemeente"}
    built = catalogue_of(entry("namen", url=good, **common), entry("fout", url=bad, **common))
    outcomes = refreshed(built, store)
    assert outcomes["bestanden.namen"].ok, outcomes["bestanden.namen"].error
    frame = store.frame("bestanden.namen")
    assert dict(zip(frame["region_code"], frame["region_name"], strict=True)) == {"GM0106": "Assen", "GM0363": "Amsterdam"}
    error = outcomes["bestanden.fout"].error
    assert not outcomes["bestanden.fout"].ok
    assert "2 region name(s) in column 'Gemeente' are not gemeente names in the store" in error
    assert "'Amsterdm' (row 3, 5; did you mean 'Amsterdam'?)" in error and "'Nergenshuizen' (row 4)" in error
    assert "namen_fout.csv" in error and "bestanden.fout" in error
    assert not store.has_data("bestanden.fout")


def test_files_with_region_names_refresh_after_the_cbs_tables_that_name_the_regions(cbs, files, catalogue_of, store, catalogue):
    url = files("namen_eerst.csv", "Gemeente;Jaar;Aantal\nAmsterdam;2023;10\n")
    built = catalogue_of(entry("eerst", url=url, region_name_column="Gemeente", region_level="gemeente"))
    names_first = [built.indicator("bestanden.eerst"), catalogue.indicator("testwonen.waarde")]  # an empty store
    outcomes = {o.indicator: o for o in refresh(built, store, names_first)}
    assert [o.indicator for o in outcomes.values()] == ["testwonen.waarde", "bestanden.eerst"]
    assert outcomes["bestanden.eerst"].ok, outcomes["bestanden.eerst"].error


@pytest.mark.parametrize("everyday, cbs", [("Den Haag", "'s-Gravenhage (gemeente)"), ("den  bosch", "'s-Hertogenbosch"), ("Friesland", "Fryslân (PV)")])
def test_everyday_names_count_as_the_cbs_name(everyday, cbs):
    from data_sources.adapters.tabular import name_key

    assert name_key(everyday) == name_key(cbs) and name_key("Den Helder") != name_key(cbs)


def test_region_names_need_names_in_the_store(cbs, files, catalogue_of, store):
    url = files("namen_leeg.csv", "Gemeente;Jaar;Aantal\nAmsterdam;2023;10\n")
    catalogue = catalogue_of(entry("leeg", url=url, region_name_column="Gemeente", region_level="gemeente"))
    outcome = refreshed(catalogue, store)["bestanden.leeg"]
    assert not outcome.ok and "the store holds no gemeente names" in outcome.error and outcome.kind == "input"


@pytest.mark.parametrize(
    "fault, expected, kind",
    [
        (Fault("aantallen_f", "status", 503), "HTTP 503", ("server", 503)),
        (Fault("aantallen_f", "status", 404), "HTTP 404", ("missing", 404)),
        (Fault("aantallen_f", "reset"), "connection failed", ("unreachable", None)),
        (Fault("aantallen_f", "truncate"), "connection broke off", ("unreachable", None)),
        (Fault("aantallen_f", "latency", 1.0), "timeout", ("unreachable", None)),
        (Fault("aantallen_f", "malformed"), "row 3: 3 fields where the header has 4", ("unreadable", None)),  # half the file, then "<html>"
    ],
    ids=lambda p: getattr(p, "kind", "") + str(getattr(p, "value", "")),
)
def test_every_fault_fails_that_indicator_only_and_keeps_its_last_good_data(cbs, files, catalogue_of, store, monkeypatch, fault, expected, kind):
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_TIMEOUT", "0.4")
    # Both files sit on the one test host; giving a host up after repeated failures is tested
    # in test_outage.py, so here it may fail as often as it likes and only the file counts.
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_HOST_FAILURES", "100")
    url = files("aantallen_f.csv", DUTCH_CSV)
    other = files("aantallen_ander.csv", DUTCH_CSV)
    catalogue = catalogue_of(
        entry("geraakt", url=url, region_code_column="Gemeentecode"), entry("ander", url=other, region_code_column="Gemeentecode")
    )
    assert all(o.ok for o in refreshed(catalogue, store).values())
    before = store.frame("bestanden.geraakt")
    cbs.faults.append(fault)
    outcomes = refreshed(catalogue, store)
    assert not outcomes["bestanden.geraakt"].ok
    assert expected in outcomes["bestanden.geraakt"].error and "aantallen_f.csv" in outcomes["bestanden.geraakt"].error
    assert outcomes["bestanden.ander"].ok
    record = store.record("bestanden.geraakt")
    assert record.error == outcomes["bestanden.geraakt"].error and record.last_refresh is not None
    assert (record.error_kind, record.error_status) == kind  # what a page shows, without reading the text
    assert store.frame("bestanden.geraakt").equals(before)  # the last good data stays


def test_a_transient_fault_is_retried(cbs, files, catalogue_of, store):
    url = files("aantallen_r.csv", DUTCH_CSV)
    catalogue = catalogue_of(entry("retry", url=url, region_code_column="Gemeentecode"))
    cbs.faults.append(Fault("aantallen_r", "reset", times=1))
    cbs.faults.append(Fault("aantallen_r", "status", 503, times=1))
    outcome = refreshed(catalogue, store)["bestanden.retry"]
    assert outcome.ok, outcome.error
    assert outcome.requests == 3


def test_a_malformed_file_fails_that_indicator_only_naming_file_row_and_column(cbs, files, catalogue_of, store):
    name = "aantallen_m.csv"
    url = files(name, DUTCH_CSV)
    catalogue = catalogue_of(
        entry("kapot", url=url, region_code_column="Gemeentecode"),
        entry("heel", url=files("aantallen_h.csv", DUTCH_CSV), region_code_column="Gemeentecode"),
    )
    assert all(o.ok for o in refreshed(catalogue, store).values())
    before = store.frame("bestanden.kapot")
    files(name, "Gemeentecode;Jaar;Aantal\nGM0363;2022;12.5\nGM0363;2023x;3\nGM363;2021;4\nGM0106;2022;abc\nGM0106;2021;7;8\nGM0106;2020;1\nGM0106;2020;2\n")
    outcomes = refreshed(catalogue, store)
    error = outcomes["bestanden.kapot"].error
    assert not outcomes["bestanden.kapot"].ok and outcomes["bestanden.heel"].ok
    assert f"file {name} ({url})" in error and "bestanden.kapot" in error and outcomes["bestanden.kapot"].kind == "unreadable"
    assert "row 2, column 'Aantal': '12.5' is not a number written as 1.234,5" in error  # never read as 125
    assert "row 3, column 'Jaar': '2023x' is not a period in format 'year'" in error
    assert "row 4, column 'Gemeentecode': 'GM363' is not a CBS region code" in error
    assert "row 5, column 'Aantal': 'abc' is not a number" in error
    assert "row 6: 4 fields where the header has 3" in error
    assert "row 8 repeats row 7 (GM0106, 2020JJ00)" in error
    assert store.frame("bestanden.kapot").equals(before)


@pytest.mark.parametrize(
    "payload, fmt, expected, kind",
    [
        (b"PK\x03\x04 not really a zip", "xlsx", "not a readable xlsx file", "unreadable"),
        (b"PAR1 broken", "parquet", "not a readable parquet file", "unreadable"),
        ("Gemeentecode;Jaar\nGM0363;2023\n", "csv", "no column 'Aantal' in the header (row 1); its columns: Gemeentecode, Jaar", "unreadable"),
        ("alleen een regel\n", "csv", "no header on row 3", "unreadable"),
        ("Gemeentecode;Jaar;Aantal\nGM0363;2023;\xe9\n".encode("latin-1"), "csv", "not utf-8 text", "unreadable"),
        ("Gemeentecode;Jaar;Aantal\nGM0363;2023;.\nGM0106;2023;x\n", "csv", "every value in column 'Aantal' is empty", "selection"),
    ],
)
def test_unreadable_files_are_reported(cbs, files, catalogue_of, store, payload, fmt, expected, kind):
    url = files(f"stuk.{fmt}", payload)
    header = {"header_row": 3} if expected.startswith("no header") else {}
    catalogue = catalogue_of(entry("stuk", url=url, region_code_column="Gemeentecode", **header))
    outcome = refreshed(catalogue, store)["bestanden.stuk"]
    assert not outcome.ok and expected in outcome.error and f"stuk.{fmt}" in outcome.error and outcome.kind == kind


def test_local_paths_only_under_the_files_folder(cbs, catalogue_of, store, tmp_path, monkeypatch):
    folder = tmp_path / "bestanden"
    (folder / "rivm").mkdir(parents=True)
    (folder / "rivm" / "a.csv").write_text(DUTCH_CSV, encoding="utf-8")
    (tmp_path / "geheim.csv").write_text(DUTCH_CSV, encoding="utf-8")
    (folder / "link.csv").symlink_to(tmp_path / "geheim.csv")
    monkeypatch.setenv("OPGAVEMONITOR_FILES_DIR", str(folder))
    catalogue = catalogue_of(
        entry("lokaal", path="rivm/a.csv", region_code_column="Gemeentecode"),
        entry("link", path="link.csv", region_code_column="Gemeentecode"),
        entry("weg", path="rivm/b.csv", region_code_column="Gemeentecode"),
    )
    outcomes = refreshed(catalogue, store)
    assert outcomes["bestanden.lokaal"].ok and value(store.frame("bestanden.lokaal"), "GM0363", "2022JJ00") == 1234.5
    assert not outcomes["bestanden.link"].ok and "lies outside OPGAVEMONITOR_FILES_DIR" in outcomes["bestanden.link"].error
    assert not outcomes["bestanden.weg"].ok and "b.csv does not exist" in outcomes["bestanden.weg"].error and outcomes["bestanden.weg"].kind == "missing"


def test_catalogue_requires_unit_licence_attribution_and_one_location(tmp_path):
    bad = entry("zonder", url="http://x/a.csv", path="a.csv", region_code_column="C", unit="", licence="", attribution="")
    bad += entry("buiten", path="../a.csv", region_code_column="C", region_name_column="N", period_format="week")
    (tmp_path / "bestanden.toml").write_text(HEADER + bad, encoding="utf-8")
    _, problems = check_catalogue(tmp_path)
    found = {(p.file, p.entry, p.field) for p in problems}
    for field in ("unit", "licence", "attribution", "url"):
        assert ("bestanden.toml", "bestanden.zonder.source", field) in found
    assert ("bestanden.toml", "bestanden.buiten.source", "path") in found
    assert ("bestanden.toml", "bestanden.buiten.source", "region_code_column") in found  # two ways to give the region
    assert ("bestanden.toml", "bestanden.buiten.source", "region_level") in found
    assert ("bestanden.toml", "bestanden.buiten.source", "period_format") in found
    (tmp_path / "bestanden.toml").write_text(
        HEADER + entry("niveau", levels=("provincie",), url="http://x/a.csv", region_name_column="N", region_level="gemeente"), encoding="utf-8"
    )
    _, problems = check_catalogue(tmp_path)
    assert [str(p) for p in problems] == ["bestanden.toml [bestanden.niveau] region_levels: must include 'gemeente', the level of the source's region names"]


def test_the_test_catalogue_example_refreshes(cbs, store, catalogue):
    outcome = refresh(catalogue, store, [catalogue.indicator("testwonen.waarde"), catalogue.indicator("testwonen.laadpalen")])[1]
    assert outcome.ok, outcome.error
    frame = store.frame("testwonen.laadpalen")
    assert value(frame, "GM0363", "2022JJ00") == 1510 and value(frame, "GM0363", "2022JJ00") != v3_value("GM0363", 2022)
    assert dict(zip(frame["region_code"], frame["region_name"], strict=True))["GM0363"] == "Amsterdam"


def test_pages_name_the_file_and_its_publisher_never_cbs(cbs, store, catalogue):
    from streamlit.testing.v1 import AppTest

    from data_sources.api import read_indicator
    from tests.apptest import rendered
    from ui.provenance import source_line

    refresh(catalogue, store, [catalogue.indicator("testwonen.waarde"), catalogue.indicator("testwonen.laadpalen")])
    line = rendered(source_line(read_indicator(store, catalogue.indicator("testwonen.laadpalen"))))
    assert line == "Bron: Testprovincie, [Laadpalen per gemeente (fictief)](https://example.org/testprovincie/laadpalen) — CC0 1.0"  # the publication, not the file name
    assert "CBS" not in line
    cbs_line = rendered(source_line(read_indicator(store, catalogue.indicator("testwonen.waarde"))))
    assert cbs_line.startswith("Bron: CBS, [99901TST](https://opendata.cbs.nl/") and cbs_line.endswith("— CC BY 4.0")

    script = (
        "from data_sources.api import open_store, read_indicator\n"
        "from data_sources.catalogue import load_catalogue\nfrom ui.language import use\nfrom ui.provenance import source_panel\n"
        "ind = load_catalogue().indicator('testwonen.laadpalen')\nuse({lang!r})\nsource_panel(read_indicator(open_store(), ind))\n"
    )
    for lang, file_label, label in (("nl", "Bestand (Testprovincie)", "Bron"), ("en", "File (Testprovincie)", "Source")):
        at = AppTest.from_string(script.format(lang=lang), default_timeout=30).run()
        assert not at.exception
        text = rendered("\n".join(m.value for m in at.markdown))
        assert f"**{file_label}:** [testprovincie_laadpalen.csv](https://example.org/testprovincie/laadpalen)" in text
        assert f"{label}: Testprovincie, [CC0 1.0](https://creativecommons.org/publicdomain/zero/1.0/deed.nl)" in text
        about_the_source = [m.value for m in at.markdown if "Monitor" not in m.value]  # the method note cites CBS's Monitor
        assert len(about_the_source) == 2 and not any("CBS" in m for m in about_the_source)


@pytest.mark.parametrize(
    "cell, fmt, period",
    [
        ("2023", "year", "2023JJ00"), (2023, "year", "2023JJ00"), (2023.0, "year", "2023JJ00"), (date(2023, 7, 1), "year", "2023JJ00"),
        ("2023-Q2", "quarter", "2023KW02"), ("2023 K3", "quarter", "2023KW03"), ("KW1 2024", "quarter", "2024KW01"),
        (date(2023, 8, 15), "quarter", "2023KW03"), ("2023-03", "month", "2023MM03"), ("2023-03-31", "month", "2023MM03"),
        ("11-2023", "month", "2023MM11"), ("2023MM11", "cbs", "2023MM11"),
    ],
)
def test_period_formats(cell, fmt, period):
    from data_sources.adapters.tabular import parse_period_cell

    assert parse_period_cell(cell, fmt) == period


@pytest.mark.parametrize("cell, fmt", [("2023-Q5", "quarter"), ("2023-13", "month"), ("23", "year"), ("2023X000", "cbs"), (date(2023, 1, 1), "cbs")])
def test_bad_periods(cell, fmt):
    from data_sources.adapters.tabular import CellError, parse_period_cell

    with pytest.raises(CellError, match=f"is not a period in format '{fmt}'"):
        parse_period_cell(cell, fmt)


@pytest.mark.parametrize(
    "text, decimal, thousands, number",
    [("1.234,5", ",", ".", 1234.5), ("1234,5", ",", ".", 1234.5), ("-0,25", ",", ".", -0.25), ("1,234.5", ".", ",", 1234.5),
     ("1 234,5", ",", " ", 1234.5), ("1234.5", ".", "", 1234.5)],
)
def test_number_formats(text, decimal, thousands, number):
    from data_sources.adapters.tabular import parse_number
    from data_sources.catalogue import TabularSource

    src = TabularSource("tabular", "f.csv", "x", "l", "a", "v", "p", "year", decimal=decimal, thousands=thousands)
    assert parse_number(text, src) == number
    with pytest.raises(ValueError):
        parse_number("12" + thousands + "5" if thousands else "1" + decimal + "2" + decimal + "3", src)


def test_a_file_is_never_given_a_statline_link_or_cbs_labels(cbs, store, catalogue):
    from data_sources.api import read_indicator
    from ui.download import readme

    refresh(catalogue, store, [catalogue.indicator("testwonen.waarde"), catalogue.indicator("testwonen.laadpalen")])
    data = read_indicator(store, catalogue.indicator("testwonen.laadpalen"))
    summary = data.record.provenance.summary()
    assert "statline" not in summary
    assert (summary["attribution"], summary["licence"], summary["source_url"]) == (
        "Bron: Testprovincie", "CC0 1.0", "https://example.org/testprovincie/laadpalen")
    text = readme(data, ["GM0363"])
    about_the_file = text.split("## Bron:")[1].split("## Hoe oordelen we?")[0]  # the method note cites CBS's Monitor
    assert "CBS" not in about_the_file, text
    assert "- eenheid (Testprovincie): aantal" in text  # the Dutch README in Dutch throughout
    cbs = read_indicator(store, catalogue.indicator("testwonen.waarde")).record.provenance.summary()
    assert cbs["statline"].startswith("https://opendata.cbs.nl/") and "attribution" not in cbs


def test_the_footer_names_every_publisher(filled):
    from tests.apptest import app_page, texts

    at = app_page("")
    footer = next(line for line in texts(at).splitlines() if line.startswith("Alleen-lezen publicatie"))
    assert footer.endswith("Bronnen: CBS (CC BY 4.0), Testprovincie (CC0 1.0); bij elk cijfer staat welke."), footer
