"""The region profile (/gemeente) with AppTest on the hand-made store: every indicator with data
for the region, rank, differences in the same period, trend, predecessors from the mergers
table, the CSV with provenance, the picker and garbage parameters."""
import io

import pandas as pd
import pytest

from analysis.profile import standing
from tests.apptest import app_page, rendered, texts


def profile(**params):
    """The router on /gemeente."""
    return app_page("gemeente", **params)


def _tables(at) -> dict[str, pd.DataFrame]:
    """Each opgave's table as a reader sees it (its cells are plain-text markdown)."""
    shown = {}
    for n, heading in enumerate(at.subheader):
        table = at.table[n].value.map(rendered)
        shown[rendered(str(heading.value))] = table.set_axis(table.index.map(rendered))
    return shown


def test_profile_of_a_municipality(filled):
    at = profile(regio="GM0363")
    assert not at.exception
    tables = _tables(at)
    assert set(tables) == {"Testwonen", "Testenergie"}
    wonen = tables["Testwonen"]
    row = wonen.loc["Waarde per woning"]
    assert row["Laatste waarde"] == "210 m³" and row["Periode"] == "2024"
    assert row["Plaats"] == "1 van 2"  # Amsterdam 210 vs Assen 100, higher is better
    assert row["t.o.v. Nederland"] == "−880 m³"  # 210 − 1.090 in the same year
    assert row["Trend"] == "✓ verbetert"
    assert "Aantal (v4)" in wonen.index  # the v4 indicator: Amsterdam has data there too
    body = texts(at)
    assert "Weesp (GM0457)" in body and "cijfers t/m 2022" in body  # its predecessor, from mergers.toml
    assert at.query_params["regio"] == "GM0363"


def test_csv_download_carries_the_numbers_and_their_sources(filled):
    from views.gemeente import profile_csv, profile_rows

    at = profile(regio="GM0363")
    assert len(at.get("download_button")) == 1
    # the button's bytes are the ones profile_csv builds; check them directly
    table = pd.DataFrame(profile_rows("GM0363", [])[0])
    csv = pd.read_csv(io.BytesIO(profile_csv(table)))
    row = csv[csv["indicator_id"] == "testwonen.waarde"].iloc[0]
    assert row["value"] == 210 and row["period"] == "2024JJ00" and row["nederland"] == 1090
    assert row["bron"].startswith("CBS 99901TST") and row["licentie"] == "Bron: CBS, CC BY 4.0"
    assert row["opgehaald"]


def test_province_profile_and_the_picker_updates_the_url(filled):
    at = profile(regio="PV27")
    assert not at.exception and "Noord-Holland (PV27)" in [rendered(h.value) for h in at.header]
    at.selectbox(key="profile-region").set_value("GM0106").run()
    assert not at.exception
    assert at.query_params["regio"] == "GM0106"
    assert "Assen (GM0106)" in [rendered(h.value) for h in at.header]


@pytest.mark.parametrize("params", [{}, {"regio": "NL01"}, {"regio": "XX99"}, {"regio": "<script>"}])
def test_without_a_municipality_the_page_explains_itself(filled, params):
    at = profile(**params)
    assert not at.exception
    assert "Kies een gemeente of provincie" in texts(at)
    assert len(at.table) == 0


def test_standing_compares_the_same_period():
    frame = pd.DataFrame({
        "region_code": ["NL01", "GM0001", "GM0002", "GM0003", "NL01", "GM0001"],
        "region_level": ["land", "gemeente", "gemeente", "gemeente", "land", "gemeente"],
        "period": ["2023JJ00"] * 4 + ["2024JJ00"] * 2,
        "period_start": pd.to_datetime(["2023-01-01"] * 4 + ["2024-01-01"] * 2),
        "frequency": ["year"] * 6,
        "value": [10.0, 4.0, 8.0, 6.0, 12.0, 5.0],
        "region_name": ["NL", "A", "B", "C", "NL", "A"], "status": [None] * 6,
    })
    where = standing(frame, "GM0001", "lager", peers=["GM0002", "GM0003"])
    # one of three municipalities has a 2024 figure: "1 van 1" would say nothing, so no rank
    assert (where.period, where.value, where.rank, where.count) == ("2024JJ00", 5.0, None, 1)
    assert where.versus_national == -7.0 and where.peers is None  # no peer has a 2024 figure
    older = standing(frame[frame["period"] == "2023JJ00"], "GM0001", "lager", peers=["GM0002", "GM0003"])
    assert (older.rank, older.count, older.peers, older.versus_peers) == (1, 3, 7.0, -3.0)
    assert standing(frame, "GM0009", "lager") is None and standing(frame, "NL01", "lager") is None
