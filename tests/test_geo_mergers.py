"""Municipal mergers: a hand-made merger keeps both predecessors' histories, ends them at the
merger and is listed for the successor; the table in data_sources/mergers.toml is confirmed
against the real boundaries and figures in ../shared."""
import json
import re

import pandas as pd
import pytest
import shapely

from analysis.mergers import division, ended_codes, lineage, predecessors_of, successor_of
from data_sources import mergers as merger_table
from data_sources.mergers import Merger, MergerTableError, Split, load_mergers, load_splits
from tests.apptest import app_page, rendered, texts

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


def test_a_split_municipality_counts_as_ended_and_sets_the_indeling():
    split = Split("GM0007", "Tweedorp", {"GM0004": "Zuidstad", "GM0003": "Samendorp"}, 2017, "hand-made")
    found = division({"GM0001": "Oostdorp", "GM0002": "Westdorp", "GM0004": "Zuidstad", "GM0007": "Tweedorp"}, [MERGER], [split])
    assert found.year == 2017 and [c for c, _ in found.ended] == ["GM0001", "GM0007", "GM0002"]
    assert division({"GM0004": "Zuidstad"}, [MERGER], [split]).current


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
    path.write_text(entry + "successor_new = true\n" + '[[split]]\ncode = "GM0007"\nname = "T"\nlast_year = 2017\nconfirmed = "x"\n')
    assert len(load_mergers(path)) == 1
    with pytest.raises(MergerTableError, match=r"mergers.toml: split 1: missing or wrong field .*successors"):
        load_splits(path)
    path.write_text(entry + 'successor_new = "ja"\n')
    with pytest.raises(MergerTableError, match=r"merger 1: missing or wrong field .*successor_new must be true or false"):
        load_mergers(path)
    path.write_text("[[merger]\n")
    with pytest.raises(MergerTableError, match="mergers.toml"):
        load_mergers(path)


def _shapes(mirror, year):
    collection = json.loads((mirror / "geo" / f"gemeenten_{year}.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["statcode"]: shapely.make_valid(shapely.from_geojson(json.dumps(f["geometry"]))) for f in collection["features"]}


def _years_with_figures(mirror) -> dict[str, set[int]]:
    """Per municipal code, the years with a figure in 03759ned, 83625NED (v4) and 81528NED."""
    years: dict[str, set[int]] = {}
    for table in ("03759ned", "83625NED"):
        for row in json.loads((mirror / "v4" / table / "Observations.json").read_text(encoding="utf-8"))["value"]:
            if row["Value"] is not None:
                years.setdefault(row["RegioS"], set()).add(int(row["Perioden"][:4]))
    dimensions = {"ID", "RegioS", "Perioden", "Woningkenmerken"}
    for row in json.loads((mirror / "v3" / "81528NED" / "TypedDataSet.json").read_text(encoding="utf-8")):
        if any(v is not None for k, v in row.items() if k not in dimensions):
            years.setdefault(row["RegioS"].strip(), set()).add(int(row["Perioden"][:4]))
    return years


EVENT = re.compile(r"^(?P<kind>[A-Z][\w ]*?) per (?P<date>\d\d-\d\d-\d{4})(?:, (?P<direction>overgegaan naar|ontvangen van|uit):)?")
LISTED = re.compile(r"^- .+? \((?P<code>GM\d{4})\)")


def cbs_events(description: str) -> list[dict]:
    """The changes in a CBS region description (03759ned RegioSCodes): kind ('Opgeheven',
    'Ontstaan', 'Gemeentelijke herindeling', ...), date, direction and the codes listed under it."""
    events = []
    for line in description.splitlines():
        if found := EVENT.match(line.strip()):
            events.append({**found.groupdict(), "codes": []})
        elif (found := LISTED.match(line.strip())) and events:
            events[-1]["codes"].append(found["code"])
    return events


def test_cbs_events_reads_a_description():
    text = ("Opgeheven per 24-03-2022, overgegaan naar:\r\n- Amsterdam (GM0363),\r\n... 2272 hectare\r\n\r\n"
            "Grenswijziging per 01-01-2016, ontvangen van:\r\n- Muiden (GM0424),\r\n... 235 hectare\r\nBegindatum voor 1830\r\n")
    assert cbs_events(text) == [
        {"kind": "Opgeheven", "date": "24-03-2022", "direction": "overgegaan naar", "codes": ["GM0363"]},
        {"kind": "Grenswijziging", "date": "01-01-2016", "direction": "ontvangen van", "codes": ["GM0424"]},
    ]


def test_every_merger_in_the_table_is_confirmed_by_the_mirror(shared_mirror):
    codes = json.loads((shared_mirror / "v4" / "03759ned" / "RegioSCodes.json").read_text(encoding="utf-8"))["value"]
    described = {c["Identifier"]: cbs_events(c["Description"]) for c in codes}
    figures = _years_with_figures(shared_mirror)
    before, after = _shapes(shared_mirror, 2022), _shapes(shared_mirror, 2024)
    mergers = load_mergers()
    assert len(mergers) >= 40
    merged_away = {code: m for m in mergers for code in m.predecessors}
    for merger in mergers:
        successor = merger.successor
        dates = set()
        for code in merger.predecessors:  # CBS: ended, into this successor alone
            (ended,) = [e for e in described[code] if e["kind"] == "Opgeheven"]
            assert (ended["direction"], ended["codes"]) == ("overgegaan naar", [successor]), code
            dates.add(ended["date"])
            assert max(figures[code]) == merger.last_year, code  # the series ends there
        (date,) = dates
        (received,) = [e for e in described[successor] if e["date"] == date and e["direction"] in ("ontvangen van", "uit")]
        assert set(merger.predecessors) <= set(received["codes"]), successor
        assert (received["kind"] == "Ontstaan") == merger.successor_new, successor
        assert max(figures[successor]) > merger.last_year, successor  # the successor goes on
        if merger.successor_new:
            assert min(figures[successor]) > merger.last_year, successor
        later = merged_away.get(successor)  # exists today, or merged again later
        assert successor in after or (later is not None and later.last_year > merger.last_year), successor
        if set(merger.predecessors) <= set(before):  # between the two boundary years: the shapes agree
            union = shapely.union_all([before[c] for c in merger.predecessors])
            for code in merger.predecessors:
                assert code not in after, code
                assert shapely.intersection(before[code], after[successor]).area > 0.95 * before[code].area, code
            if successor not in before:  # a new municipality: exactly its predecessors together
                assert union.area == pytest.approx(after[successor].area, rel=0.05)
    # and no code that disappeared between the two boundary years is missing from the table
    assert set(before) - set(after) == set(merged_away) & set(before)
    splits = load_splits()
    assert len(splits) >= 5
    for split in splits:  # divided: CBS lists every receiver, each lists the split code
        (ended,) = [e for e in described[split.code] if e["kind"] == "Opgeheven"]
        assert (ended["direction"], ended["codes"]) == ("overgegaan naar", list(split.successors)), split.code
        assert max(figures[split.code]) == split.last_year, split.code
        for successor in split.successors:
            assert any(e["date"] == ended["date"] and split.code in e["codes"] for e in described[successor]), (split.code, successor)
            later = merged_away.get(successor)
            assert successor in after or (later is not None and later.last_year > split.last_year), successor
            assert max(figures[successor]) > split.last_year, successor


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
    # one note for the page, naming what it covers: the figure, and the worst fifths (each
    # indicator's latest period, 2024, in which Assen is still there too)
    notes = [c.value for c in at.caption if "Indeling van" in c.value]
    assert notes == [f"ℹ {NOTICE}; dit geldt voor de figuur (2 gemeenten); de slechtste 20% bij Waarde per woning (2 gemeenten); "
                     "de slechtste 20% bij Opgeteld sinds 2020 (2 gemeenten)."]
    # 2019: Assen has no value (a CBS null), only Amsterdam is compared: today's indeling, so the figure is not named
    at = app_page("samenhang", x="testwonen.waarde", y="testwonen.derden", periode="2019JJ00")
    assert not at.exception and "n = 1" in texts(at)
    assert "de figuur" not in texts(at)


def test_regions_tab_and_profile_rank_over_an_older_indeling_say_so(assen_merged):
    at = app_page("testwonen", indicator="testwonen.waarde", tab="regios", regio="GM0363")
    assert not at.exception
    assert f"{NOTICE}; de rangorde telt 2 gemeenten van die indeling." in texts(at)
    at = app_page("testwonen", indicator="testwonen.waarde", tab="regios", regio="GM0363", taal="en")
    assert ("Municipal division of 2020: 1 municipality has since been abolished (Assen); 1 of today's municipalities did "
            "not exist yet (Nieuwdrenthe); the ranking counts 2 municipalities of that division.") in texts(at)
    at = app_page("gemeente", regio="GM0363")
    assert not at.exception
    ranks = {str(h.value): at.table[n].value for n, h in enumerate(at.subheader)}["Testwonen"]["Plaats"]
    assert rendered(ranks["Waarde per woning"]) == "1 van 2 (indeling 2020)"  # cells are plain-text markdown
    assert f"{NOTICE}; de rangorde telt 2 gemeenten van die indeling." in texts(at)


def test_no_notice_on_todays_indeling(filled):
    at = app_page("testwonen", indicator="testwonen.waarde", tab="regios", regio="GM0363")
    assert not at.exception and "plaats 1 van 2" in texts(at)
    assert "Indeling van" not in texts(at)
