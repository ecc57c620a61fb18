"""Catalogue validation: every problem names file, entry and field."""
from pathlib import Path

import pytest

from data_sources.catalogue import CatalogueError, check_catalogue, load_catalogue
from tests.conftest import FIXTURE_CATALOGUE

GOOD_INDICATOR = """
[[indicator]]
id = "demo.a"
title_nl = "A"
title_en = "A"
explanation_nl = "Uitleg."
explanation_en = "Explanation."
kind = "resultaat"
unit_nl = "%"
unit_en = "%"
better = "hoger"
[indicator.source]
adapter = "cbs"
table = "1"
measure = "M_1"
"""
HEAD = """
[opgave]
id = "demo"
title_nl = "Demo"
title_en = "Demo"
summary_nl = "s"
summary_en = "s"
"""


def _problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "demo.toml").write_text(text, encoding="utf-8")
    return [str(p) for p in check_catalogue(tmp_path)[1]]


def test_fixture_catalogue_is_valid():
    catalogue = load_catalogue(FIXTURE_CATALOGUE)
    assert [o.id for o in catalogue.opgaven] == ["testwonen", "testenergie"]
    assert catalogue.indicator("testwonen.per_persoon").derive.inputs == ("testwonen.waarde", "testwonen.aantal")


def test_real_catalogue_is_valid():
    catalogue, problems = check_catalogue()
    assert problems == []
    assert len(catalogue.opgaven) >= 1


def test_good_file_has_no_problems(tmp_path):
    assert _problems(tmp_path, HEAD + GOOD_INDICATOR) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (('better = "hoger"', 'better = "beter"'), "demo.toml [demo.a] better: must be one of hoger, lager, neutraal; got 'beter'"),
        (('kind = "resultaat"', 'kind = "output"'), "demo.toml [demo.a] kind: must be one of resultaat, context"),
        (('kind = "resultaat"\n', ""), "demo.toml [demo.a] kind: must be one of resultaat, context; got None"),
        (('unit_en = "%"', 'unit_en = "%"\nunit_eng = "%"'), "demo.toml [demo.a] unit_eng: unknown field (a typo?); did you mean 'unit_en'?"),
        (('adapter = "cbs"', 'adapter = "ftp"'), "demo.toml [demo.a.source] adapter: must be one of cbs, cbs_v4"),
        (('measure = "M_1"', 'measure = ""'), "demo.toml [demo.a.source] measure: is required"),
        (('id = "demo.a"', 'id = "andere.a"'), "demo.toml [andere.a] id: must start with the opgave id: 'demo.'"),
        (('unit_nl = "%"', 'unit_nl = "%"\nunt_en = "x"'), "demo.toml [demo.a] unt_en: unknown field (a typo?)"),
        (('table = "1"', 'table = "1"\ncatalogue = "elders"'), "demo.toml [demo.a.source] catalogue: unknown v3 catalogue 'elders'"),
        (('table = "1"', 'table = "1"\nperiod_dimension = ""\nperiod = "2022"'), "demo.toml [demo.a.source] period: must be a CBS period code such as 2022JJ00"),
        (('better = "hoger"', 'better = "hoger"\naxis_reason_nl = "klassen 1 tot 5"'), "demo.toml [demo.a] axis_reason_en: give the reason in both languages"),
        (('better = "hoger"', 'better = "hoger"\ntarget_note_en = "x"'), "demo.toml [demo.a] target_note_nl: give the note in both languages"),
    ],
)
def test_wrong_entry_names_file_entry_and_field(tmp_path, change, expected):
    text = HEAD + GOOD_INDICATOR.replace(*change)
    problems = _problems(tmp_path, text)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_mistyped_adapter_is_the_one_problem_reported(tmp_path):
    text = HEAD + GOOD_INDICATOR.replace('adapter = "cbs"', 'adapter = "tabluar"\npath = "a.csv"\nattribution = "X"\nlicence = "CC0"')
    assert _problems(tmp_path, text) == ["demo.toml [demo.a.source] adapter: must be one of cbs, cbs_v4, tabular; got 'tabluar'"]


def test_targets_and_derivations_are_checked(tmp_path):
    text = HEAD + GOOD_INDICATOR + """
[[indicator.target]]
kind = "cumulative"
value = 10
label_nl = "x"
label_en = "x"
source = "s"

[[indicator]]
id = "demo.b"
title_nl = "B"
title_en = "B"
explanation_nl = "U."
explanation_en = "E."
kind = "context"
unit_nl = "%"
unit_en = "%"
better = "neutraal"
[indicator.derive]
operation = "ratio"
inputs = ["demo.a", "demo.onbekend"]
"""
    problems = _problems(tmp_path, text)
    assert any("[demo.a.target #1] year: a cumulative target needs the year" in p for p in problems)
    assert any("[demo.a.target #1] start_year" in p for p in problems)
    assert any("[demo.b] derive.inputs: unknown indicator 'demo.onbekend'" in p for p in problems)


def test_duplicate_ids_and_bad_toml(tmp_path):
    (tmp_path / "demo.toml").write_text(HEAD + GOOD_INDICATOR + GOOD_INDICATOR, encoding="utf-8")
    (tmp_path / "kapot.toml").write_text("[opgave\nid=", encoding="utf-8")
    problems = [str(p) for p in check_catalogue(tmp_path)[1]]
    assert any("[demo.a] id: also defined in demo.toml" in p for p in problems)
    assert any(p.startswith("kapot.toml: not valid TOML") for p in problems)
    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path)


def test_targets_must_reach_the_overview_card(tmp_path):
    target = '[[indicator.target]]\nkind = "value"\nvalue = 50\nyear = 2030\nlabel_nl = "50%"\nlabel_en = "50%"\nsource = "Wet"\n'
    other = GOOD_INDICATOR.replace('"demo.a"', '"demo.b"').replace('better = "hoger"', 'better = "hoger"\nheadline = true')
    problems = _problems(tmp_path, HEAD + other + GOOD_INDICATOR + target)
    assert problems == [
        "demo.toml [opgave] headline: indicators carry targets but none of them is on the overview card: "
        "mark one of demo.a with headline = true"
    ]
    assert _problems(tmp_path, HEAD + GOOD_INDICATOR + target) == []  # no headline at all: the card shows the first two
    assert _problems(tmp_path, HEAD + other + GOOD_INDICATOR.replace('better = "hoger"', 'better = "hoger"\nheadline = true') + target) == []


def test_the_published_json_schema_is_generated_from_the_catalogue_types(tmp_path):
    """docs/catalogue.schema.json is what `python -m data_sources schema` writes; an editor
    checking a file against it flags what validate flags (a typo, a wrong choice, a missing field)."""
    import json

    from data_sources.catalogue import SCHEMA_FILE, catalogue_schema

    assert SCHEMA_FILE.read_text(encoding="utf-8") == catalogue_schema(), "run: python -m data_sources schema"
    schema = json.loads(catalogue_schema())
    indicator = schema["$defs"]["Indicator"]
    assert indicator["additionalProperties"] is False and "opgave" not in indicator["properties"]  # set from the file, never written
    assert {"id", "title_nl", "kind", "better"} <= set(indicator["required"])
    assert indicator["properties"]["better"]["enum"] == ["hoger", "lager", "neutraal"]
    assert "target" in indicator["properties"] and "file" not in indicator["properties"]
    assert set(schema["properties"]) == {"opgave", "indicator", "context", "moment"}


def test_roles_are_a_closed_vocabulary_given_once(tmp_path):
    """Pages ask the catalogue for a role (``with_role``) instead of naming an indicator."""
    with_role = GOOD_INDICATOR.replace('better = "hoger"', 'better = "hoger"\nroles = ["inwoners"]')
    (tmp_path / "demo.toml").write_text(HEAD + with_role, encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert catalogue.with_role("inwoners").id == "demo.a" and catalogue.with_role("dichtheid") is None
    assert _problems(tmp_path, HEAD + with_role.replace('"inwoners"', '"bevolking"')) == [
        "demo.toml [demo.a] roles: unknown role 'bevolking'; use inwoners, dichtheid, stedelijkheid, samenhang-x, samenhang-y"
    ]
    twice = with_role + with_role.replace('"demo.a"', '"demo.b"')
    assert _problems(tmp_path, HEAD + twice) == ["demo.toml [demo.b] roles: role 'inwoners' is also given to demo.a"]
    real = load_catalogue()
    assert {role: real.with_role(role).id for role in ("inwoners", "samenhang-x")} == {
        "inwoners": "woningtekort.bevolking", "samenhang-x": "woningtekort.verkoopprijs"}


def test_every_catalogue_file_passes_the_published_schema_and_a_typo_does_not(tmp_path):
    """What an editor checks against docs/catalogue.schema.json agrees with validate."""
    import json
    import tomllib

    import jsonschema  # installed with streamlit (altair)

    from data_sources.catalogue import SCHEMA_FILE
    from data_sources.settings import catalogue_dir

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for path in [*sorted(catalogue_dir().glob("*.toml")), *sorted(FIXTURE_CATALOGUE.glob("*.toml"))]:
        as_json = json.loads(json.dumps(tomllib.loads(path.read_text(encoding="utf-8")), default=str))  # dates as text
        jsonschema.validate(as_json, schema)
    typo = tomllib.loads((HEAD + GOOD_INDICATOR).replace('unit_en = "%"', 'unit_en = "%"\nunt_nl = "x"'))
    with pytest.raises(jsonschema.ValidationError, match="unt_nl"):
        jsonschema.validate(typo, schema)


def test_a_derivation_without_its_operation_names_it_as_empty(tmp_path):
    """The inputs rule words a missing operation as '' (as before pydantic), not None."""
    derived = GOOD_INDICATOR.replace('[indicator.source]\nadapter = "cbs"\ntable = "1"\nmeasure = "M_1"\n', '[indicator.derive]\ninputs = ["demo.x"]\n')
    assert "demo.toml [demo.a.derive] inputs: operation '' takes 2 input(s); got 1" in _problems(tmp_path, HEAD + derived)
