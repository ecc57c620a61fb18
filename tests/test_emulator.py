"""The emulator answers like CBS: filters, select, paging, the cell cap, errors."""
import pytest
import requests

from data_sources.emulator.odata_filter import FilterError, compile_filter

COLS = {"RegioS", "Perioden", "Waarde_1"}


@pytest.mark.parametrize(
    "expr, row, expected",
    [
        ("RegioS eq 'GM0363    '", {"RegioS": "GM0363    "}, True),
        ("RegioS eq 'GM0363'", {"RegioS": "GM0363    "}, False),  # padded keys, as at CBS
        ("startswith(RegioS,'GM')", {"RegioS": "GM0363    "}, True),
        ("substringof('036',RegioS)", {"RegioS": "GM0363    "}, True),
        ("Perioden ge '2020JJ00' and Perioden lt '2022JJ00'", {"Perioden": "2021JJ00"}, True),
        ("Perioden gt '2021JJ00' or Perioden le '2000JJ00'", {"Perioden": "2021JJ00"}, False),
        ("not (Waarde_1 ne 5)", {"Waarde_1": 5}, True),
        ("Waarde_1 gt 4.5", {"Waarde_1": None}, False),
        ("Waarde_1 eq null", {"Waarde_1": None}, True),
        ("(RegioS eq 'A' or RegioS eq 'B') and not Perioden eq 'x'", {"RegioS": "B", "Perioden": "y"}, True),
        ("RegioS eq 'it''s'", {"RegioS": "it's"}, True),
    ],
)
def test_filter_semantics(expr, row, expected):
    assert compile_filter(expr, COLS)(row) is expected


@pytest.mark.parametrize("expr", ["Onbekend eq 'x'", "RegioS eq", "RegioS eq 'x' and", "foo(RegioS,'x')", "RegioS eq 'x')", "RegioS # 1"])
def test_bad_filters_are_errors(expr):
    with pytest.raises(FilterError):
        compile_filter(expr, COLS)


def test_v3_service_document_lists_present_endpoints_and_both_datasets(cbs):
    body = requests.get(f"{cbs.url}/ODataApi/odata/99902TST/?$format=json", timeout=5).json()
    names = {e["name"] for e in body["value"]}
    assert {"TypedDataSet", "UntypedDataSet", "RegioS", "Perioden"} <= names
    assert "DataProperties" not in names  # that folder has none
    assert requests.get(f"{cbs.url}/ODataApi/odata/99902TST/DataProperties", timeout=5).status_code == 404


def test_v3_feed_pages_with_next_link(cbs):
    url = f"{cbs.url}/ODataFeed/odata/99901TST/TypedDataSet?$format=json&$filter=startswith(RegioS,'PV27')"
    rows, pages = [], 0
    while url:
        body = requests.get(url, timeout=5).json()
        rows += body["value"]
        url = body.get("odata.nextLink")
        pages += 1
    assert len(rows) == 20 and pages == 3  # 10 years x 2 kinds, 7 per page


def test_v3_select_top_skip(cbs):
    body = requests.get(
        f"{cbs.url}/ODataApi/odata/99901TST/TypedDataSet",
        params={"$format": "json", "$select": "RegioS,Waarde_1", "$top": "3", "$skip": "2"},
        timeout=5,
    ).json()
    assert [set(r) for r in body["value"]] == [{"RegioS", "Waarde_1"}] * 3
    assert "odata.nextLink" not in body  # the Api does not page


def test_v3_unknown_column_in_select_or_filter_is_an_error(cbs):
    for params in ({"$select": "Onbekend_9"}, {"$filter": "Onbekend_9 eq 1"}):
        r = requests.get(f"{cbs.url}/ODataApi/odata/99901TST/TypedDataSet", params=params, timeout=5)
        assert r.status_code == 400
        assert "Onbekend_9" in r.json()["odata.error"]["message"]["value"]


def test_v3_api_refuses_more_than_10000_cells(cbs, monkeypatch):
    from data_sources.emulator import server

    monkeypatch.setattr(server, "API_CELL_LIMIT", 50)
    big = requests.get(f"{cbs.url}/ODataApi/odata/99901TST/TypedDataSet?$format=json", timeout=5)
    assert big.status_code == 400 and "te groot" in big.text
    small = requests.get(f"{cbs.url}/ODataApi/odata/99901TST/TypedDataSet?$format=json&$top=8&$select=RegioS,Waarde_1", timeout=5)
    assert small.status_code == 200 and len(small.json()["value"]) == 8
    feed = requests.get(f"{cbs.url}/ODataFeed/odata/99901TST/TypedDataSet?$format=json", timeout=5)
    assert feed.status_code == 200  # the Feed pages instead


def test_v4_observations_filter_select_and_paging(cbs):
    url = f"{cbs.v4_url}/CBS/99903TST/Observations"
    params = {"$filter": "Measure eq 'M000001' and RegioS eq 'PV27' and Geslacht eq 'T001038'", "$select": "Value,Perioden"}
    rows = []
    while url:
        body = requests.get(url, params=params, timeout=5).json()
        rows += body["value"]
        url, params = body.get("@odata.nextLink"), None
    assert len(rows) == 10
    assert set(rows[0]) == {"Value", "Perioden"}


def test_v4_properties_is_a_single_entity_and_unknown_table_is_404(cbs):
    assert requests.get(f"{cbs.v4_url}/CBS/99903TST/Properties", timeout=5).json()["Identifier"] == "99903TST"
    assert requests.get(f"{cbs.v4_url}/CBS/00000XXX/Properties", timeout=5).status_code == 404


def test_cbsodata_downloads_from_the_emulator(cbs, monkeypatch):
    """cbsodata (what an analyst uses by hand) cannot tell the emulator from CBS."""
    import cbsodata

    monkeypatch.setattr(cbsodata.options, "use_https", False)
    data = cbsodata.download_data("99901TST", catalog_url=cbs.url.removeprefix("http://"), timeout=5)
    assert len(data["TypedDataSet"]) == 101
    assert data["TableInfos"][0]["Title"] == "Testtabel v3"
    rows = cbsodata.get_data("99901TST", catalog_url=cbs.url.removeprefix("http://"), filters="startswith(RegioS,'GM0363')")
    assert {r["RegioS"] for r in rows} == {"Amsterdam"}  # get_data swaps codes for titles


def test_emulator_command_line(mirror_dir):
    """`python -m data_sources.emulator DIR --port N --fault ...` as docs/sources.md says."""
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "data_sources.emulator", str(mirror_dir), "--port", str(port), "--page-size", "3",
         "--fault", "Perioden=status:503"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert f"OPGAVEMONITOR_CBS_V4_URL=http://127.0.0.1:{port}/odata/v1" in proc.stdout.readline() + proc.stdout.readline() + proc.stdout.readline() + proc.stdout.readline()
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                body = requests.get(f"{base}/ODataFeed/odata/99901TST/TypedDataSet?$format=json", timeout=2).json()
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert len(body["value"]) == 3 and "odata.nextLink" in body
        assert requests.get(f"{base}/ODataApi/odata/99901TST/Perioden", timeout=2).status_code == 503
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_files_come_from_another_folder_when_asked(mirror_dir, tmp_path):
    from data_sources.emulator.server import Emulator

    (tmp_path / "eigen.csv").write_text("Jaar;Aantal\n2023;1\n", encoding="utf-8")
    (tmp_path.parent / "buiten.csv").write_text("geheim", encoding="utf-8")
    emulator = Emulator(mirror_dir, files=tmp_path).start()
    try:
        assert requests.get(f"{emulator.url}/files/eigen.csv", timeout=5).text == "Jaar;Aantal\n2023;1\n"
        assert requests.get(f"{emulator.url}/files/..%2Fbuiten.csv", timeout=5).status_code == 404  # never outside it
    finally:
        emulator.stop()
