"""The CLI end to end against the emulator: refresh, status, show, export/import, validate."""
import json

from data_sources.__main__ import main


def test_refresh_status_show(cbs, store, capsys):
    code = main(["refresh"])
    out, err = capsys.readouterr()
    assert code == 1  # testenergie.kapot fails on purpose
    assert "testwonen.waarde" in out and "ok" in out
    assert "testenergie.kapot" in out and "FAILED: table 99909TST does not exist" in out
    assert "5 ok, 1 failed" in out
    assert "[" in err and "6/6" in err  # the progress bar

    assert main(["status", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["testwonen.waarde"]["rows"] == 51 and rows["testwonen.waarde"]["first_period"] == "2015JJ00"
    assert rows["testwonen.per_persoon"]["rows"] > 0 and rows["testwonen.per_persoon"]["kind"] == "resultaat"
    assert rows["testenergie.kapot"]["error"].startswith("table 99909TST does not exist")
    for key in ("id", "opgave", "kind", "rows", "first_period", "last_period", "last_refresh", "error"):
        assert key in rows["testwonen.waarde"]

    assert main(["status"]) == 0
    assert "ERROR" in capsys.readouterr().out

    assert main(["show", "testwonen.waarde", "--region", "GM0363", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert {r["region_code"] for r in shown} == {"GM0363"} and len(shown) == 10

    assert main(["show", "testwonen.waarde", "--region", "PV27"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("indicator,region_code,region_name")


def test_refresh_by_opgave_and_indicator(cbs, store, capsys):
    assert main(["refresh", "--indicator", "testwonen.aantal"]) == 0
    assert "1 ok, 0 failed" in capsys.readouterr().out
    assert main(["refresh", "--opgave", "nietbestaand"]) == 2


def test_export_import(cbs, store, tmp_path, capsys):
    main(["refresh", "--opgave", "testwonen"])
    assert main(["export", str(tmp_path / "s.zip")]) == 0
    store.frame_path("testwonen.waarde").unlink()
    assert main(["import", str(tmp_path / "s.zip")]) == 0
    assert store.has_data("testwonen.waarde")
    (tmp_path / "bad.zip").write_bytes(b"nope")
    assert main(["import", str(tmp_path / "bad.zip")]) == 1
    assert "store is unchanged" in capsys.readouterr().err


def test_validate(cbs, capsys, monkeypatch, tmp_path):
    assert main(["validate"]) == 0
    assert "catalogue ok: 2 opgaven, 6 indicators" in capsys.readouterr().out
    (tmp_path / "x.toml").write_text('[opgave]\nid = "y"\n')
    monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(tmp_path))
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert "x.toml [opgave] id: must equal the file name 'x'; got 'y'" in out
