"""The CLI end to end against the emulator: refresh, status, show, export/import, validate."""
import json

from data_sources.__main__ import main
from tests.conftest import FIXTURE_CATALOGUE


def test_refresh_status_show(cbs, store, capsys):
    code = main(["refresh"])
    out, err = capsys.readouterr()
    assert code == 1  # testenergie.kapot fails on purpose
    assert "testwonen.waarde" in out and "ok" in out
    assert "testenergie.kapot" in out and "FAILED: table 99909TST does not exist" in out
    assert "6 ok, 1 failed" in out
    assert "[" in err and "7/7" in err  # the progress bar

    assert main(["status", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["testwonen.waarde"]["rows"] == 51 and rows["testwonen.waarde"]["first_period"] == "2015JJ00"
    assert rows["testwonen.per_persoon"]["rows"] > 0 and rows["testwonen.per_persoon"]["kind"] == "resultaat"
    assert rows["testenergie.kapot"]["error"].startswith("table 99909TST does not exist")
    assert (rows["testenergie.kapot"]["error_kind"], rows["testenergie.kapot"]["error_status"]) == ("missing", 404)
    for key in ("id", "opgave", "kind", "rows", "first_period", "last_period", "last_refresh", "error"):
        assert key in rows["testwonen.waarde"]

    # 99902TST has no DataProperties and no Woningtype endpoint at CBS: its codes lack titles
    assert rows["testwonen.derden"]["missing_titles"] == ["99902TST: Waarde_1", "99902TST: Woningtype=ZW25806"]
    assert rows["testwonen.waarde"]["missing_titles"] == [] and rows["testwonen.aantal"]["missing_titles"] == []

    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "ERROR" in out
    assert "1 indicator(s) with codes whose CBS title is not available" in out
    assert "testwonen.derden: 99902TST: Waarde_1, 99902TST: Woningtype=ZW25806" in out

    assert main(["show", "testwonen.waarde", "--region", "GM0363", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert {r["region_code"] for r in shown["rows"]} == {"GM0363"} and len(shown["rows"]) == 10
    assert shown["sources"][0]["filters"] == ["Woningtype = T001100 — Totaal woningen"]
    assert shown["sources"][0]["measure"] == "Waarde_1 — Waarde"

    assert main(["show", "testwonen.per_persoon", "--format", "json"]) == 0  # derived: every input
    shown = json.loads(capsys.readouterr().out)
    assert shown["operation"] == "testwonen.waarde / testwonen.aantal × 1000"
    assert [s["filters"] for s in shown["sources"]] == [["Woningtype = T001100 — Totaal woningen"], ["Geslacht = T001038 — Totaal"]]

    assert main(["show", "testwonen.derden", "--format", "json"]) == 0
    source = json.loads(capsys.readouterr().out)["sources"][0]
    assert source["filters"] == ["Woningtype = ZW25806 — title not available"]
    assert source["measure"] == "Waarde_1 — title not available" and source["table_title"] == "title not available"

    assert main(["show", "testwonen.waarde", "--region", "PV27"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("indicator,region_code,region_name")


def test_second_refresh_skips_unchanged_tables(cbs, store, capsys):
    chosen = ["--indicator", "testwonen.waarde", "--indicator", "testwonen.aantal"]
    assert main(["refresh", *chosen]) == 0
    capsys.readouterr()
    cbs.log.clear()
    assert main(["refresh", *chosen]) == 0
    out = capsys.readouterr().out
    assert "2 ok, 0 failed; 2 unchanged at CBS (not fetched)" in out
    assert [line.split()[-1] for line in out.splitlines()[:2]] == ["unchanged", "unchanged"]
    assert cbs.log and not [u for u in cbs.log if "TypedDataSet" in u or "Observations" in u]  # metadata only
    cbs_requests = [u for u in cbs.log if "/wfs/" not in u]  # boundaries: years the fixture does not publish are asked again
    assert all("TableInfos" in u or "Properties" in u or u.endswith("/?%24format=json") for u in cbs_requests), cbs_requests

    path = store.record_path("testwonen.waarde")  # CBS modified the table since: fetched again
    path.write_text(path.read_text(encoding="utf-8").replace("2025-06-30T02:00:00", "2024-01-01T00:00:00"), encoding="utf-8")
    cbs.log.clear()
    assert main(["refresh", *chosen]) == 0
    assert "1 unchanged" in capsys.readouterr().out
    assert [u for u in cbs.log if "TypedDataSet" in u] and not [u for u in cbs.log if "Observations" in u]

    cbs.log.clear()
    assert main(["refresh", "--force", *chosen]) == 0
    assert "unchanged" not in capsys.readouterr().out
    assert [u for u in cbs.log if "TypedDataSet" in u] and [u for u in cbs.log if "Observations" in u]


def test_changed_selection_or_record_without_titles_is_fetched_although_cbs_table_is_unchanged(cbs, store, catalogue):
    from dataclasses import replace

    from data_sources.refresh import refresh_one

    ind = catalogue.indicator("testwonen.waarde")
    assert refresh_one(catalogue, store, ind).ok
    assert refresh_one(catalogue, store, ind, skip_unchanged=True).unchanged
    narrower = replace(ind, region_levels=("gemeente",))
    outcome = refresh_one(catalogue, store, narrower, skip_unchanged=True)
    assert outcome.ok and not outcome.unchanged
    assert set(store.frame(ind.id)["region_level"]) == {"gemeente"}

    path = store.record_path(ind.id)  # a record from before titles were recorded: fetched again
    record = json.loads(path.read_text(encoding="utf-8"))
    del record["provenance"]["filter_titles"]
    path.write_text(json.dumps(record), encoding="utf-8")
    assert store.record(ind.id).provenance.filter_titles is None  # read back compatibly: unknown
    assert store.record(ind.id).provenance.missing_titles() == ["99901TST: Woningtype=T001100"]
    outcome = refresh_one(catalogue, store, narrower, skip_unchanged=True)
    assert outcome.ok and not outcome.unchanged
    assert store.record(ind.id).provenance.filter_titles == {"Woningtype": "Totaal woningen"}


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
    assert "catalogue ok: 2 opgaven, 7 indicators" in capsys.readouterr().out
    (tmp_path / "x.toml").write_text('[opgave]\nid = "y"\n')
    monkeypatch.setenv("OPGAVEMONITOR_CATALOGUE_DIR", str(tmp_path))
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert "x.toml [opgave] id: must equal the file name 'x'; got 'y'" in out

    one_language = (FIXTURE_CATALOGUE / "testwonen.toml").read_text(encoding="utf-8").replace(
        'kind = "context"', 'survey_nl = "GGD-monitor"\nkind = "context"', 1
    )
    (tmp_path / "x.toml").unlink()
    (tmp_path / "testwonen.toml").write_text(one_language, encoding="utf-8")
    assert main(["validate"]) == 1
    assert "testwonen.toml [testwonen.derden] survey_en: give the survey in both languages" in capsys.readouterr().out


def test_logging_level_from_verbose_or_the_setting(monkeypatch):
    """Set up by the command line, never at import: -v INFO, -vv DEBUG, else the setting."""
    import logging

    from data_sources import __main__ as cli

    levels = []
    monkeypatch.setattr(logging, "basicConfig", lambda **kwargs: levels.append(kwargs["level"]))
    monkeypatch.setattr(cli, "COMMANDS", {**cli.COMMANDS, "validate": lambda args: 0})
    for argv, setting in ((["-v"], "error"), (["-vv"], ""), ([], "info"), ([], "loud"), ([], "")):
        monkeypatch.setenv("OPGAVEMONITOR_LOG_LEVEL", setting)
        assert main([*argv, "validate"]) == 0
    assert levels == [logging.INFO, logging.DEBUG, logging.INFO, logging.WARNING, logging.WARNING]
