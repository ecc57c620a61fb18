"""Municipal mergers: a hand-made merger keeps both predecessors' histories, ends them at the
merger and is listed for the successor; the table in data_sources/mergers.toml is confirmed
against the real boundaries and figures in ../shared."""
import json

import pandas as pd
import pytest
import shapely

from analysis.mergers import ended_codes, lineage, predecessors_of, successor_of
from data_sources.mergers import Merger, MergerTableError, load_mergers

MERGER = Merger("GM0003", "Samendorp", {"GM0001": "Oostdorp", "GM0002": "Westdorp"}, 2022, "hand-made")


def _frame():
    rows = []
    for code, name, years in (("GM0001", "Oostdorp", range(2019, 2023)), ("GM0002", "Westdorp", range(2019, 2023)),
                              ("GM0003", "Samendorp", range(2023, 2025)), ("GM0004", "Zuidstad", range(2019, 2025))):
        for year in years:
            rows.append({"region_code": code, "region_name": name, "period": f"{year}JJ00",
                         "period_start": pd.Timestamp(year, 1, 1), "value": float(year - 2000)})
    return pd.DataFrame(rows)


def test_lineage_keeps_both_histories_and_ends_them_at_the_merger():
    rows = lineage(_frame(), "GM0003", [MERGER])
    assert set(rows["region_code"]) == {"GM0001", "GM0002", "GM0003"}
    for code in ("GM0001", "GM0002"):
        series = rows[rows["region_code"] == code]
        assert list(series["period"]) == ["2019JJ00", "2020JJ00", "2021JJ00", "2022JJ00"]
        assert (series["value"] > 0).all()  # never dropped to zero
    assert list(rows.loc[rows["region_code"] == "GM0003", "period"]) == ["2023JJ00", "2024JJ00"]
    assert list(lineage(_frame(), "GM0004", [MERGER])["region_code"].unique()) == ["GM0004"]


def test_successor_lists_its_predecessors_and_ended_codes_know_their_successor():
    assert predecessors_of("GM0003", [MERGER]) == [("GM0001", "Oostdorp", 2022), ("GM0002", "Westdorp", 2022)]
    assert predecessors_of("GM0004", [MERGER]) == []
    assert successor_of("GM0002", [MERGER]) is MERGER and successor_of("GM0003", [MERGER]) is None
    assert ended_codes(["GM0001", "GM0004"], [MERGER]) == {"GM0001": MERGER}


def test_a_broken_table_names_file_and_entry(tmp_path):
    path = tmp_path / "mergers.toml"
    path.write_text('[[merger]]\nsuccessor = "GM0003"\nsuccessor_name = "S"\npredecessors = { GM0001 = "O" }\nlast_year = 2022\nconfirmed = "x"\n'
                    '[[merger]]\nsuccessor = "GM0005"\n')
    with pytest.raises(MergerTableError, match=r"mergers.toml: merger 2: missing or wrong field"):
        load_mergers(path)
    path.write_text("[[merger]\n")
    with pytest.raises(MergerTableError, match="mergers.toml"):
        load_mergers(path)


def _shapes(mirror, year):
    collection = json.loads((mirror / "geo" / f"gemeenten_{year}.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["statcode"]: shapely.make_valid(shapely.from_geojson(json.dumps(f["geometry"]))) for f in collection["features"]}


def _sale_price_periods(mirror):
    rows = json.loads((mirror / "v4" / "83625NED" / "Observations.json").read_text(encoding="utf-8"))["value"]
    periods: dict[str, set[str]] = {}
    for row in rows:
        if row["Value"] is not None:
            periods.setdefault(row["RegioS"], set()).add(row["Perioden"])
    return periods


def test_every_merger_in_the_table_is_confirmed_by_the_mirror(shared_mirror):
    before, after = _shapes(shared_mirror, 2022), _shapes(shared_mirror, 2024)
    periods = _sale_price_periods(shared_mirror)
    mergers = load_mergers()
    assert mergers
    for merger in mergers:
        assert merger.successor in after
        union = shapely.union_all([before[c] for c in merger.predecessors])
        for code in merger.predecessors:
            assert code in before and code not in after, code
            assert shapely.intersection(before[code], after[merger.successor]).area > 0.95 * before[code].area, code
            assert max(periods[code]) == f"{merger.last_year}JJ00", code
        if merger.successor not in before:  # a new municipality: exactly its predecessors together
            assert union.area == pytest.approx(after[merger.successor].area, rel=0.05)
            assert min(periods[merger.successor]) == f"{merger.last_year + 1}JJ00"
    # and no code that disappeared between the two boundary years is missing from the table
    assert set(before) - set(after) == {c for m in mergers for c in m.predecessors}
