"""Boundaries as a source: fetched over HTTP from the emulator's WFS route (hand-made fixture),
reprojected from RD New, simplified once and stored atomically; bad input is refused with a
message and keeps the last good file. Real boundaries (../shared) keep every municipality."""
import json

import pytest
import shapely

from data_sources.__main__ import main
from data_sources.boundaries import BoundaryStore, fetch, refresh_boundaries, simplify
from data_sources.emulator import start_emulator
from data_sources.emulator.server import Fault
from data_sources.http import JsonClient, SourceError
from data_sources.settings import HttpSettings
from tests.fixtures.geo import build_geo


@pytest.fixture(scope="module")
def geo_emulator(tmp_path_factory):
    em = start_emulator(build_geo(tmp_path_factory.mktemp("geo-mirror")))
    yield em
    em.stop()


@pytest.fixture
def wfs(geo_emulator, monkeypatch):
    geo_emulator.faults.clear()
    geo_emulator.log.clear()
    monkeypatch.setenv("OPGAVEMONITOR_GEO_URL", geo_emulator.url)
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_RETRIES", "1")
    monkeypatch.setenv("OPGAVEMONITOR_HTTP_BACKOFF", "0.01")
    yield geo_emulator
    geo_emulator.faults.clear()


def _client():
    return JsonClient(HttpSettings(timeout=2, retries=1, backoff=0.01))


def test_refresh_over_http_stores_simplified_shapes_with_provenance(wfs, tmp_path):
    outcomes = {(o.level, o.year): o for o in refresh_boundaries(tmp_path, [2021, 2022, 2024], client=_client())}
    assert outcomes[("gemeente", 2022)].ok and outcomes[("gemeente", 2022)].features == 3
    assert outcomes[("gemeente", 2024)].features == 2
    assert not outcomes[("gemeente", 2021)].ok and outcomes[("gemeente", 2021)].error.startswith("not available")
    assert outcomes[("provincie", 2021)].ok  # the year-independent provinces file
    assert any("/2022/wfs/v1_0?" in p and "typeName=gemeente_gegeneraliseerd" in p for p in wfs.log)
    store = BoundaryStore(tmp_path)
    assert store.years("gemeente") == [2022, 2024]
    shapes = store.shapes("gemeente", 2022)
    assert [f["properties"]["statcode"] for f in shapes["features"]] == ["GM0001", "GM0002", "GM0004"]
    meta = store.meta("gemeente", 2022)
    assert meta["request_url"].startswith(wfs.url) and meta["licence"] == "CC BY 4.0"
    assert meta["features"] == 3 and meta["bytes_stored"] < meta["bytes_fetched"]
    assert outcomes[("gemeente", 2022)].bytes_in == meta["bytes_fetched"] > 0
    # simplified once, at refresh: the 200-point zigzag of Oostdorp is gone
    oost = shapely.from_geojson(json.dumps(shapes["features"][0]["geometry"]))
    assert shapely.get_num_coordinates(oost) <= 6 and oost.is_valid
    assert not any(p.name.endswith(".tmp") for p in store.folder.iterdir())


def test_rd_new_is_reprojected_to_lon_lat(wfs):
    raw, source, _ = fetch("gemeente", 2023, _client())
    assert raw["features"][0]["geometry"]["coordinates"][0][0][0][0] > 100_000  # metres
    collection, notes = simplify(raw, "gemeente", source)
    assert notes["reprojected_from_rd"] is True
    zuid = shapely.from_geojson(json.dumps(collection["features"][1]["geometry"]))
    xmin, ymin, xmax, ymax = zuid.bounds
    assert xmin == pytest.approx(5.0, abs=2e-4) and ymax == pytest.approx(52.0, abs=2e-4)
    assert xmax == pytest.approx(5.2, abs=2e-4) and ymin == pytest.approx(51.9, abs=2e-4)


def test_exterior_rings_are_clockwise_for_plotly(wfs):
    raw, source, _ = fetch("gemeente", 2024, _client())
    collection, _ = simplify(raw, "gemeente", source)
    for feature in collection["features"]:
        for polygon in shapely.get_parts(shapely.from_geojson(json.dumps(feature["geometry"]))):
            assert not polygon.exterior.is_ccw


def test_bad_answers_are_refused_and_keep_the_last_good_file(wfs, tmp_path):
    refresh_boundaries(tmp_path, [2022], ("gemeente",), client=_client())
    store = BoundaryStore(tmp_path)
    good = store.shape_path("gemeente", 2022).read_bytes()
    wfs.faults.append(Fault("/2022/wfs", "status", 503))
    (outcome,) = refresh_boundaries(tmp_path, [2022], ("gemeente",), client=_client())
    assert not outcome.ok and "HTTP 503" in outcome.error
    assert store.shape_path("gemeente", 2022).read_bytes() == good
    assert "HTTP 503" in store.meta("gemeente", 2022)["error"] and store.meta("gemeente", 2022)["features"] == 3
    (broken,) = refresh_boundaries(tmp_path, [2020], ("gemeente",), client=_client())
    assert "feature 0 has no gemeente code in 'statcode'" in broken.error
    assert not store.shape_path("gemeente", 2020).exists()


def test_simplify_refuses_points_and_duplicates():
    point = {"type": "Feature", "properties": {"statcode": "GM0001"}, "geometry": {"type": "Point", "coordinates": [5, 52]}}
    with pytest.raises(SourceError, match=r"x: feature 0 \(GM0001\) is a Point, not an area"):
        simplify({"features": [point]}, "gemeente", "x")
    square = {"type": "Polygon", "coordinates": [[[5, 52], [5, 52.1], [5.1, 52.1], [5.1, 52], [5, 52]]]}
    twice = [{"properties": {"statcode": "GM0001"}, "geometry": square}] * 2
    with pytest.raises(SourceError, match="codes occur more than once: GM0001"):
        simplify({"features": twice}, "gemeente", "x")
    with pytest.raises(SourceError, match="no GeoJSON features"):
        simplify({"type": "FeatureCollection", "features": []}, "gemeente", "x")


def test_cli_fetches_the_years_asked_for(wfs, store, capsys):
    assert main(["boundaries", "--year", "2022", "--year", "2019", "--level", "gemeente"]) == 0
    out = capsys.readouterr().out
    assert "gemeente   2022    3 shapes" in out
    assert "boundaries gemeente: 1 year(s) stored (2022); not published by the source: 2019" in out
    assert "http" not in out  # a year the source does not publish is named, its URL is not
    assert BoundaryStore(store.root).years("gemeente") == [2022]


def test_cli_without_years_or_data_says_what_to_do(wfs, store, capsys, monkeypatch):
    from tests.conftest import FIXTURE_CATALOGUE

    monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(FIXTURE_CATALOGUE))
    assert main(["boundaries"]) == 2
    assert "--year" in capsys.readouterr().err


@pytest.mark.parametrize("year", [2022, 2024])
def test_real_boundaries_keep_every_municipality_small_and_valid(shared_mirror, year):
    raw, source, size = fetch("gemeente", year, _client(), base=str(shared_mirror / "geo"))
    collection, notes = simplify(raw, "gemeente", source)
    assert [f["properties"]["statcode"] for f in collection["features"]] == [f["properties"]["statcode"] for f in raw["features"]]
    geometries = [shapely.from_geojson(json.dumps(f["geometry"])) for f in collection["features"]]
    assert all(g.is_valid and not g.is_empty for g in geometries)
    payload = len(json.dumps(collection, separators=(",", ":")))
    assert payload < 400_000  # the whole country's map, well under 1 MB
    if year == 2022:  # PDOK's own 'gegeneraliseerd' file: simplification takes off most of it
        assert payload < 0.25 * size
    # no municipality changes much in area (the map still shows what it claims)
    before = {f["properties"]["statcode"]: shapely.from_geojson(json.dumps(f["geometry"])).area for f in raw["features"]}
    for feature, geometry in zip(collection["features"], geometries, strict=True):
        assert geometry.area == pytest.approx(before[feature["properties"]["statcode"]], rel=0.1)


def test_refresh_also_fetches_the_boundaries_its_regional_data_needs(cbs, wfs, store, capsys):
    """One refresh brings the maps too: every level for the years with regional figures;
    a year the source does not publish is one line per level, without URLs; a second refresh
    does not fetch a stored year again."""
    main(["refresh"])  # testenergie.kapot fails on purpose: exit 1 whatever the boundaries do
    out = capsys.readouterr().out
    shapes = BoundaryStore(store.root)
    assert shapes.years("gemeente") == [2022, 2023, 2024]  # the regional years the fixture WFS publishes
    assert shapes.years("provincie") == list(range(2015, 2025))  # its year-independent file
    lines = [line for line in out.splitlines() if line.startswith("boundaries")]
    assert lines[0] == "boundaries gemeente: 3 year(s) stored (2022-2024), 1 failed; not published by the source: 2015-2019, 2021"
    assert lines[1].startswith("boundaries gemeente: FAILED for 2020: ") and "has no gemeente code" in lines[1]  # the broken year
    assert lines[2:] == ["boundaries provincie: 10 year(s) stored (2015-2024)"]
    wfs.log.clear()
    main(["refresh"])
    assert not any("/2022/" in path or "/2024/" in path for path in wfs.log)
    assert "boundaries provincie: 0 year(s) stored, 10 already stored" in capsys.readouterr().out
