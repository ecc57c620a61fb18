"""``describe`` and ``scaffold`` over HTTP against the emulator (hand-made mirror, and two real
tables of ../shared/cbs-mirror)."""
from __future__ import annotations

import json
import re
import tomllib

import pytest

from data_sources.__main__ import main
from data_sources.catalogue import check_catalogue
from data_sources.emulator import start_emulator
from data_sources.http import JsonClient
from data_sources.metadata import read_metadata
from data_sources.refresh import refresh
from tests.fixtures.mirror import v3_value, v4_value

OPGAVE_HEADER = """[opgave]
id = "nieuw"
title_nl = "Nieuw"
title_en = "New"
summary_nl = "Een opgave met een gescaffolde indicator."
summary_en = "An opgave with a scaffolded indicator."
"""
FILLED = {
    "explanation_nl": '"Uitleg. Hoger is beter."',
    "explanation_en": '"Explanation. Higher is better."',
    "kind": '"resultaat"',
    "better": '"hoger"',
    "value": "1200",
    "year": "2030",
    "label_nl": '"Doel 1.200 in 2030"',
    "label_en": '"Target 1,200 in 2030"',
    "source": '"Testakkoord"',
    "title_en": '"Value"',
    "unit_en": '"m³"',
    "caveats_nl": '["Code bevestigd uit de waarden."]',
    "caveats_en": '["Code confirmed from the values."]',
}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def fill(entry: str, **extra: str) -> str:
    """Replace every TODO value of a scaffolded entry, as a person would."""
    values = {**FILLED, "kind": '"resultaat"', **extra}
    lines = []
    for line in entry.splitlines():
        match = re.match(r'^(\w+) = (\[?)"TODO', line)
        if match:
            key = match.group(1)
            if key == "kind" and lines and lines[-1] == "[[indicator.target]]":
                line = 'kind = "value"'
            else:
                line = f"{key} = {values[key]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def write_catalogue(tmp_path, entry: str):
    folder = tmp_path / "catalogue"
    folder.mkdir(parents=True)
    (folder / "nieuw.toml").write_text(OPGAVE_HEADER + "\n" + entry, encoding="utf-8")
    return folder


# -- describe ---------------------------------------------------------------------------------


def test_describe_v3_lists_codes_with_titles_groups_periods_and_measures(cbs, capsys):
    code, out, _ = run(capsys, "describe", "99901TST")
    assert code == 0
    assert "99901TST — Testtabel v3" in out
    assert "Modified:  2025-06-30T02:00:00" in out
    assert "Periods:   2015JJ00 … 2024JJ00 (1 other, 10 year)" in out
    # codes under their CBS code group, without padding, with CBS titles
    gemeenten = out.index("[Gemeenten (indeling 2024)]")
    assert out.index("GM0363  Amsterdam") > gemeenten and out.index("GM0106  Assen") > gemeenten
    assert "T001100  Totaal woningen" in out
    assert "2024JJ00  2024* (Voorlopig)" in out
    assert "RegioS — Regio's (GeoDimension, 5 codes; levels land, provincie, gemeente)" in out
    assert re.search(r"Waarde_1\s+Waarde\s+\(unit m3, 0 decimals\)", out)
    assert "CBS metadata missing" not in out


def test_describe_v4_with_measure_groups_and_missing_group_endpoints(cbs, capsys):
    code, out, _ = run(capsys, "describe", "99903TST", "--v4")
    assert code == 0
    assert "99903TST — Testtabel v4" in out and "adapter = \"cbs_v4\"" in out
    assert re.search(r"M000001\s+Testmaat\s+\(unit aantal, 0 decimals\)\s+\[Testgroep\]", out)
    assert "3000     Mannen" in out
    assert "- GeslachtGroups: not in the table's service document" in out
    assert "- RegioSGroups" not in out  # that one exists


def test_describe_finds_the_api_by_itself(cbs):
    assert read_metadata("99903TST", JsonClient()).api == "v4"
    meta = read_metadata("99901TST", JsonClient())
    assert meta.catalogue == "opendata"
    assert meta.code_titles("Woningtype") == {"T001100": "Totaal woningen", "ZW25806": "Eengezinswoning"}
    assert meta.region_dimension.title_of("GM0363    ") == "Amsterdam"  # padded as in v3 rows


def test_metadata_fetches_only_the_code_lists_asked_for(cbs):
    for v4, table in ((False, "99901TST"), (True, "99903TST")):
        cbs.log.clear()
        meta = read_metadata(table, JsonClient(), v4=v4, codes_for={"RegioS"})
        assert meta.code_titles("RegioS")["GM0363"] == "Amsterdam"
        assert meta.dimension("Perioden").codes == () and meta.period_dimension is not None
        assert not any("Perioden" in path for path in cbs.log), cbs.log


def test_describe_dataderden_table_without_metadata_says_so_per_endpoint(cbs, capsys):
    code, out, _ = run(capsys, "describe", "99902TST", "--catalogue", "dataderden")
    assert code == 0
    assert "(no title: CBS metadata missing)" in out
    for endpoint in ("TableInfos", "DataProperties", "CategoryGroups"):
        assert f"- {endpoint}: not in the table's service document" in out
    # dimension endpoints still give titles; measures only as keys seen in the data
    assert "RegioS — RegioS (GeoDimension, inferred from its codes, 5 codes" in out
    assert "GM0363  Amsterdam" in out
    assert "Measures (2) (keys read from the data" in out
    assert re.search(r"Waarde_1\s+–", out)
    assert any("ODataApi/odata/99902TST/TypedDataSet" in p and "top=1" in p for p in cbs.log)
    # a dimension CBS lists no codes for: the codes the data holds, said to be without titles
    assert "Woningtype — Woningtype (Dimension, inferred from its codes, 2 codes read from the data" in out
    assert re.search(r"T001100\s+\(no CBS title\)", out) and re.search(r"ZW25806\s+\(no CBS title\)", out)
    code, _, err = run(capsys, "scaffold", "99902TST", "--catalogue", "dataderden", "--measure", "Waarde_1", "--filter", "Woningtype=XYZ")
    assert code != 0 and "dimension Woningtype has no code 'XYZ'; its codes: T001100 (no title); ZW25806 (no title)" in err


def test_describe_search_filters_codes_and_measures(cbs, capsys):
    code, out, _ = run(capsys, "describe", "99901TST", "--search", "ASSEN")
    assert code == 0
    assert "GM0106  Assen" in out and "(GeoDimension, 1 matching codes; levels gemeente)" in out
    assert "Amsterdam" not in out and "Totaal woningen" not in out
    assert "Measures (0)" in out
    _, out, _ = run(capsys, "describe", "99901TST", "--search", "aantal")
    assert "Aantal_2" in out and "Waarde_1" not in out


def test_describe_json(cbs, capsys):
    code, out, _ = run(capsys, "describe", "99901TST", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["title"] == "Testtabel v3" and data["adapter"] == "cbs"
    regions = next(d for d in data["dimensions"] if d["key"] == "RegioS")
    assert {"key": "GM0363", "title": "Amsterdam", "description": "", "group": "3", "status": ""} in regions["codes"]
    assert {"id": "3", "title": "Gemeenten (indeling 2024)", "parent": ""} in regions["groups"]
    assert data["period_range"] == ["2015JJ00", "2024JJ00"]
    assert {"key": "Waarde_1", "title": "Waarde", "unit": "m3", "decimals": 0, "description": "", "group": ""} in data["measures"]


def test_describe_unknown_table_fails_clearly(cbs, capsys):
    code = None
    with pytest.raises(SystemExit) as exc:
        run(capsys, "describe", "99999XXX")
    code = exc.value.code
    err = capsys.readouterr().err
    assert code == 1
    assert "99999XXX not found in v3 opendata, v4, v3 dataderden" in err


def test_describe_reports_an_outage(cbs, capsys):
    cbs.faults.append(__import__("data_sources.emulator.server", fromlist=["Fault"]).Fault("99901TST/DataProperties", "status", 503))
    with pytest.raises(SystemExit):
        run(capsys, "describe", "99901TST")
    assert "HTTP 503" in capsys.readouterr().err


# -- scaffold ---------------------------------------------------------------------------------


def test_scaffold_v3_entry_validates_once_filled_and_refreshes(cbs, store, capsys, tmp_path):
    code, entry, _ = run(capsys, "scaffold", "99901TST", "--measure", "Waarde_1", "--filter", "Woningtype=ZW25806", "--opgave", "nieuw")
    assert code == 0
    assert 'Woningtype = "ZW25806"  # Woningtype: Eengezinswoning' in entry
    assert 'region_dimension = "RegioS"' in entry and 'region_levels = ["land", "provincie", "gemeente"]' in entry
    assert 'unit_nl = "m3"' in entry and "decimals = 0" in entry
    assert 'title_nl = "Waarde (Eengezinswoning)"' in entry
    assert 'title_en = "TODO: translate \'Waarde (Eengezinswoning)\'"' in entry  # validate refuses it untranslated
    assert "\ncaveats_nl = " not in entry  # every code has its CBS title: no caveat asked for
    tomllib.loads(entry)  # valid TOML as printed

    # unfilled: refused, naming every field a person must decide
    _, problems = check_catalogue(write_catalogue(tmp_path / "raw", entry))
    fields = {p.field for p in problems}
    assert {"explanation_nl", "explanation_en", "kind", "better", "target[1].kind", "target[1].value"} <= fields
    assert all("TODO placeholder" in p.message for p in problems)

    folder = write_catalogue(tmp_path, fill(entry))
    catalogue, problems = check_catalogue(folder)
    assert problems == []
    [outcome] = refresh(catalogue, store, catalogue.indicators())
    assert outcome.ok, outcome.error
    frame = store.frame("nieuw.waarde_eengezinswoning")
    row = frame[(frame.region_code == "GM0363") & (frame.period == "2020JJ00")]
    assert row["value"].item() == v3_value("GM0363", 2020) * 0.5


def test_scaffold_v4_entry_refreshes(cbs, store, capsys, tmp_path):
    code, entry, _ = run(capsys, "scaffold", "99903TST", "--v4", "--measure", "M000001", "--filter", "Geslacht=3000", "--opgave", "nieuw")
    assert code == 0
    assert 'adapter = "cbs_v4"' in entry and 'Geslacht = "3000"  # Geslacht: Mannen' in entry
    catalogue, problems = check_catalogue(write_catalogue(tmp_path, fill(entry)))
    assert problems == []
    [outcome] = refresh(catalogue, store, catalogue.indicators())
    assert outcome.ok, outcome.error
    frame = store.frame(catalogue.indicators()[0].id)
    assert frame[(frame.region_code == "PV27") & (frame.period == "2018JJ00")]["value"].item() == v4_value("PV27", 2018) / 2


def test_scaffold_dataderden_table_without_metadata(cbs, store, capsys, tmp_path):
    code, entry, _ = run(
        capsys, "scaffold", "99902TST", "--catalogue", "dataderden", "--measure", "Waarde_1", "--filter", "Woningtype=T001100", "--opgave", "nieuw"
    )
    assert code == 0
    assert 'catalogue = "dataderden"' in entry
    assert "# CBS metadata missing: TableInfos, DataProperties, CategoryGroups" in entry
    # no measure title or unit from CBS: the person fills them in too
    assert 'title_nl = "TODO' in entry and 'unit_nl = "TODO' in entry
    assert "# decimals: CBS gives none" in entry
    # the measure has no CBS title: the entry asks how its meaning was confirmed
    assert 'caveats_nl = ["TODO: what Waarde_1, Woningtype=T001100 mean(s) and how that was confirmed (CBS gives no title)"]' in entry
    filled = fill(
        entry.replace('id = "nieuw.waarde_1"', 'id = "nieuw.derden"'),
        title_nl='"Waarde"', title_en='"Value"', unit_nl='"m³"', unit_en='"m³"',
    )
    catalogue, problems = check_catalogue(write_catalogue(tmp_path, filled))
    assert problems == []
    [outcome] = refresh(catalogue, store, catalogue.indicators())
    assert outcome.ok, outcome.error
    frame = store.frame("nieuw.derden")
    assert frame[(frame.region_code == "NL01") & (frame.period == "2016JJ00")]["value"].item() == v3_value("NL01", 2016)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--measure", "Nergens_9", "--filter", "Woningtype=T001100"], "has no measure 'Nergens_9'; for example: Waarde_1 (Waarde)"),
        (["--measure", "Wraade_1", "--filter", "Woningtype=T001100"], "has no measure 'Wraade_1'; for example: Waarde_1 (Waarde)"),
        (["--measure", "Waarde_1"], "dimension Woningtype (Woningtype) needs one code: add --filter Woningtype=CODE; its codes: T001100 (Totaal woningen)"),
        (["--measure", "Waarde_1", "--filter", "Woningtype=X1"], "dimension Woningtype has no code 'X1'"),
        (["--measure", "Waarde_1", "--filter", "Woningtype=T001100", "--filter", "RegioS=GM0363"], "RegioS is the table's region dimension"),
        (["--measure", "Waarde_1", "--filter", "Soort=1"], "has no dimension 'Soort'"),
    ],
)
def test_scaffold_refuses_what_does_not_fit_the_table(cbs, capsys, argv, message):
    code, out, err = run(capsys, "scaffold", "99901TST", *argv)
    assert code == 2
    assert out == ""
    assert message in err


# -- the real mirror --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_cbs(shared_mirror):
    em = start_emulator(shared_mirror)
    yield em
    em.stop()


def test_describe_real_tables(real_cbs, shared_mirror, monkeypatch, capsys):
    for key, value in real_cbs.env().items():
        monkeypatch.setenv(key, value)
    def raw(*parts):
        return json.loads((shared_mirror.joinpath(*parts)).read_text(encoding="utf-8"))


    # v3 with CategoryGroups: codes grouped under CBS's own groups
    code, out, _ = run(capsys, "describe", "82070ENG")
    assert code == 0
    info = raw("v3", "82070ENG", "TableInfos.json")[0]
    assert info["Title"] in out
    groups = {g["ID"]: g["Title"] for g in raw("v3", "82070ENG", "CategoryGroups.json")}
    code_record = raw("v3", "82070ENG", "PersonalCharacteristics.json")[1]
    assert f"[{groups[0]} > {groups[code_record['CategoryGroupID']]}]" in out
    assert re.search(rf"{re.escape(code_record['Key'].strip())}\s+{re.escape(code_record['Title'])}", out)
    topic = next(p for p in raw("v3", "82070ENG", "DataProperties.json") if p["Type"] == "Topic")
    assert re.search(rf"{re.escape(topic['Key'])}\s+{re.escape(topic['Title'])}\s+\(unit {re.escape(topic['Unit'].strip())}", out)

    # v4 with <Dim>Groups (gemeenten, wijken, buurten) and measure groups
    code, out, _ = run(capsys, "describe", "83765NED", "--v4", "--search", "Aa en Hunze")
    assert code == 0
    assert raw("v4", "83765NED", "Properties.json")["Title"] in out
    assert "Observations" not in out  # data, not metadata
    first = raw("v4", "83765NED", "WijkenEnBuurtenCodes.json")["value"][1]
    assert first["Title"] == "Aa en Hunze"
    assert re.search(rf"{first['Identifier']}\s+Aa en Hunze", out)
    code, out, _ = run(capsys, "describe", "83765NED", "--v4", "--json")
    data = json.loads(out)
    measure = raw("v4", "83765NED", "MeasureCodes.json")["value"][0]
    group = next(g for g in raw("v4", "83765NED", "MeasureGroups.json")["value"] if g["Id"] == measure["MeasureGroupId"])
    mine = next(m for m in data["measures"] if m["key"] == measure["Identifier"])
    assert (mine["title"], mine["unit"], mine["decimals"]) == (measure["Title"], measure["Unit"], measure["Decimals"])
    assert mine["group"].endswith(group["Title"])
    wb = data["dimensions"][0]
    assert wb["key"] == "WijkenEnBuurten" and len(wb["codes"]) == len(raw("v4", "83765NED", "WijkenEnBuurtenCodes.json")["value"])

    # v3 without DataProperties: a dimension with no code list is a dimension, not a measure
    code, out, _ = run(capsys, "describe", "85005NED", "--json")
    data = json.loads(out)
    columns = [k for k in raw("v3", "85005NED", "TypedDataSet.json")[0] if k not in ("ID", "RegioS", "Perioden")]
    assert "SectorEnVermogensklasse" in columns
    assert data["missing"]["SectorEnVermogensklasse"].startswith("a dimension in the data without a code list")
    assert [m["key"] for m in data["measures"]] == [c for c in columns if c != "SectorEnVermogensklasse"]


def test_a_long_period_dimension_lists_its_first_and_last_periods():
    from data_sources.describe import render
    from data_sources.metadata import Code, Dimension, TableMetadata

    months = tuple(Code(f"{2000 + n // 12}MM{n % 12 + 1:02d}", f"{2000 + n // 12} maand {n % 12 + 1}") for n in range(40))
    meta = TableMetadata("1", "v4", "v4", "u", dimensions=(Dimension("Perioden", "Perioden", "TimeDimension", months),))
    text = render(meta)
    assert "2000MM01" in text and "2003MM04" in text and "2000MM07" not in text
    assert "28 more (all of them: --json)" in text
    assert sum(line.startswith("    20") for line in text.splitlines()) == 12
