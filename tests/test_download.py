"""The download: CSV of the current view plus a README with source, licence, retrieval time
and caveats, in one zip."""
import io
import zipfile

import pandas as pd

from data_sources.api import read_indicator
from data_sources.refresh import refresh_one
from ui.download import view_table, zip_bundle


def test_zip_has_csv_of_the_view_and_readme_with_provenance(cbs, store, catalogue):
    indicator = catalogue.indicator("testwonen.waarde")
    assert refresh_one(catalogue, store, indicator).ok
    data = read_indicator(store, indicator)
    frame = data.frame[data.frame["period_start"].dt.year >= 2020]
    payload = zip_bundle(frame, ["GM0363", "PV27"], data, "nl")
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
    table = view_table(data.frame, ["NL01"], indicator, "nl")
    row = table[table["periode"] == "2024"].iloc[0]
    assert row["Waarde per woning (m³)"] == "1.090" and row["status"] == "voorlopig"


def test_readme_names_every_code_with_its_cbs_title(cbs, store, catalogue):
    from data_sources.refresh import refresh

    refresh(catalogue, store, catalogue.select(["testwonen"]))
    derived = read_indicator(store, catalogue.indicator("testwonen.per_persoon"))
    text = zip_text(derived, "nl")
    assert "testwonen.waarde / testwonen.aantal × 1000" in text
    assert "Woningtype = T001100 — Totaal woningen" in text and "Geslacht = T001038 — Totaal" in text
    assert "Waarde_1 — Waarde" in text and "M000001 — Testmaat" in text
    bare = read_indicator(store, catalogue.indicator("testwonen.derden"))
    assert "Woningtype = ZW25806 — titel niet beschikbaar" in zip_text(bare, "nl")
    assert "Woningtype = ZW25806 — title not available" in zip_text(bare, "en")


def zip_text(data, lang: str) -> str:
    with zipfile.ZipFile(io.BytesIO(zip_bundle(data.frame, ["NL01"], data, lang))) as zf:
        return zf.read("README.md").decode("utf-8")
