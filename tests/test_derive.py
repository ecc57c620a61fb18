"""Derived indicators: operations on hand-made frames, with provenance of every input."""
import pytest

from data_sources.catalogue import Derivation
from data_sources.derive import derive, derived_provenance
from data_sources.frame import build_frame
from data_sources.provenance import Provenance


def frame(values: dict, status=None):
    return build_frame("x", [{"region_code": r, "period": p, "value": v, "status": status} for (r, p), v in values.items()])


A = frame({("NL01", "2020JJ00"): 10, ("NL01", "2021JJ00"): 20, ("GM0363", "2021JJ00"): 5}, status="definitief")
B = frame({("NL01", "2020JJ00"): 100, ("NL01", "2021JJ00"): 200, ("PV27", "2021JJ00"): 1}, status="voorlopig")


def values(result):
    return {(r, p): v for r, p, v in zip(result["region_code"], result["period"], result["value"], strict=True)}


@pytest.mark.parametrize(
    "operation, factor, expected",
    [
        ("per_capita", 1000, {("NL01", "2020JJ00"): 100.0, ("NL01", "2021JJ00"): 100.0}),
        ("ratio", 1, {("NL01", "2020JJ00"): 0.1, ("NL01", "2021JJ00"): 0.1}),
        ("share", 1, {("NL01", "2020JJ00"): 10.0, ("NL01", "2021JJ00"): 10.0}),
        ("sum", 1, {("NL01", "2020JJ00"): 110.0, ("NL01", "2021JJ00"): 220.0}),
        ("difference", 1, {("NL01", "2020JJ00"): -90.0, ("NL01", "2021JJ00"): -180.0}),
    ],
)
def test_two_input_operations_match_region_and_period(operation, factor, expected):
    result = derive("d.x", Derivation(operation, ("a", "b"), factor=factor), [A, B])
    assert values(result) == pytest.approx(expected)
    assert set(result["indicator"]) == {"d.x"}
    assert set(result["status"].astype(str)) == {"voorlopig"}  # the less final status wins


def test_change_since_base_year():
    result = derive("d.x", Derivation("change_since", ("a",), base_year=2020), [A])
    assert values(result) == pytest.approx({("NL01", "2020JJ00"): 0.0, ("NL01", "2021JJ00"): 100.0})


def test_cumulative_since_start_year():
    series = frame({("NL01", f"{y}JJ00"): 1.0 * y for y in (2019, 2020, 2021, 2022)})
    result = derive("d.x", Derivation("cumulative_since", ("a",), start_year=2021), [series])
    assert values(result) == {("NL01", "2021JJ00"): 2021.0, ("NL01", "2022JJ00"): 4043.0}


def test_provenance_keeps_every_input():
    inputs = [Provenance("a", "cbs", table_id="1", modified="2024-01-01"), Provenance("b", "cbs_v4", table_id="2", modified="2025-01-01")]
    prov = derived_provenance("d.x", Derivation("ratio", ("a", "b")), inputs, "%")
    assert [p["table_id"] for p in prov.inputs] == ["1", "2"]
    assert prov.table_id == "1 + 2" and prov.modified == "2025-01-01" and prov.operation == "a / b"
