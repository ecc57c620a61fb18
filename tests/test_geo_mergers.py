"""Municipal mergers: a hand-made merger keeps both predecessors' histories, ends them at the
merger and is listed for the successor; the table in data_sources/mergers.toml is confirmed
against the real boundaries and figures in ../shared."""
import json

import pandas as pd
import pytest
import shapely

from analysis.mergers import division, ended_codes, lineage, predecessors_of, successor_of
from data_sources import mergers as merger_table
from data_sources.mergers import Merger, MergerTableError, load_mergers
from tests.apptest import app_page, texts

MERGER = Merger("GM0003", "Samendorp", {"GM0001": "Oostdorp", "GM0002": "Westdorp"}, 2022, "hand-made", successor_new=True)
# Zuidstad absorbs Noordhoek in 2019: the successor's code existed before.
ABSORBED = Merger("GM0004", "Zuidstad", {"GM0005": "Noordhoek"}, 2019, "hand-made", successor_new=False)


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


def test_division_of_a_period_before_the_mergers_names_what_ended_and_what_did_not_exist_yet():
    before = division({"GM0001": "Oostdorp", "GM0002": "Westdorp", "GM0004": "Zuidstad", "GM0005": "Noordhoek"}, [MERGER, ABSORBED])
    assert (before.year, before.count) == (2019, 4)  # Noordhoek's last year: the oldest indeling present
    assert before.ended == [("GM0005", "Noordhoek"), ("GM0001", "Oostdorp"), ("GM0002", "Westdorp")]
    assert before.not_yet == [("GM0003", "Samendorp")]  # new with its merger; Zuidstad existed all along
    between = division({"GM0001": "Oostdorp", "GM0002": "Westdorp", "GM0004": "Zuidstad"}, [MERGER, ABSORBED])
    assert (between.year, between.ended[0][0], between.not_yet) == (2022, "GM0001", [("GM0003", "Samendorp")])
    today = division({"GM0003": "Samendorp", "GM0004": "Zuidstad"}, [MERGER, ABSORBED])
    assert today.current and (today.count, today.ended, today.not_yet) == (2, [], [])


def test_a_later_merged_successor_is_not_a_municipality_of_today():
    later = Merger("GM0006", "Grootdorp", {"GM0003": "Samendorp"}, 2024, "hand-made", successor_new=True)
    found = division({"GM0001": "Oostdorp", "GM0002": "Westdorp"}, [MERGER, later])
    assert found.not_yet == [("GM0006", "Grootdorp")]  # Samendorp no longer exists either


def test_a_broken_table_names_file_and_entry(tmp_path):
    path = tmp_path / "mergers.toml"
    entry = '[[merger]]\nsuccessor = "GM0003"\nsuccessor_name = "S"\npredecessors = { GM0001 = "O" }\nlast_year = 2022\nconfirmed = "x"\n'
    path.write_text(entry + "successor_new = true\n" + '[[merger]]\nsuccessor = "GM0005"\n')
    with pytest.raises(MergerTableError, match=r"mergers.toml: merger 2: missing or wrong field"):
        load_mergers(path)
    path.write_text(entry + 'successor_new = "ja"\n')
    with pytest.raises(MergerTableError, match=r"merger 1: missing or wrong field .*successor_new must be true or false"):
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


# For the pages: the hand-made store's Assen (GM0106) merged into a new Nieuwdrenthe after 2020.
ASSEN_MERGED = '''
[[merger]]
successor = "GM0999"
successor_name = "Nieuwdrenthe"
successor_new = true
predecessors = { GM0106 = "Assen" }
last_year = 2020
confirmed = "hand-made for tests"
'''
NOTICE = "Indeling van 2020: 1 gemeente is sindsdien opgeheven (Assen); 1 gemeente van nu bestond toen nog niet (Nieuwdrenthe)"


@pytest.fixture
def assen_merged(filled, tmp_path, monkeypatch):
    path = tmp_path / "mergers.toml"
    path.write_text(ASSEN_MERGED, encoding="utf-8")
    monkeypatch.setattr(merger_table, "MERGERS_FILE", path)
    return filled


def test_samenhang_says_when_a_period_has_a_merged_away_municipality(assen_merged):
    at = app_page("samenhang", x="testwonen.waarde", y="testwonen.derden", periode="2020JJ00")
    assert not at.exception
    body = texts(at)
    assert f"{NOTICE}; de vergelijking telt 2 gemeenten van die indeling." in body
    # stapeling takes each indicator's latest period (2024), in which Assen is still there too
    assert f"Waarde per woning: {NOTICE}; de slechtste 20% is bepaald over 2 gemeenten van die indeling." in body
    # 2019: Assen has no value (a CBS null), only Amsterdam is compared: today's indeling, no notice
    at = app_page("samenhang", x="testwonen.waarde", y="testwonen.derden", periode="2019JJ00")
    assert not at.exception and "n = 1" in texts(at)
    assert "de vergelijking telt" not in texts(at)


def test_regions_tab_and_profile_rank_over_an_older_indeling_say_so(assen_merged):
    at = app_page("testwonen", indicator="testwonen.waarde", tab="regios", regio="GM0363")
    assert not at.exception
    assert f"{NOTICE}; de rangorde telt 2 gemeenten van die indeling." in texts(at)
    at = app_page("gemeente", regio="GM0363")
    assert not at.exception
    ranks = {str(h.value): at.table[n].value for n, h in enumerate(at.subheader)}["Testwonen"]["Plaats"]
    assert ranks["Waarde per woning"] == "1 van 2 (indeling 2020)"
    assert f"{NOTICE}; de rangorde telt 2 gemeenten van die indeling." in texts(at)


def test_no_notice_on_todays_indeling(filled):
    at = app_page("testwonen", indicator="testwonen.waarde", tab="regios", regio="GM0363")
    assert not at.exception and "plaats 1 van 2" in texts(at)
    assert "Indeling van" not in texts(at)
