"""Extraction on saved pages against reviewed golden output; one test per field, so a failure names it."""

import pytest

from golden import FIELDS, case_id, cases, load_golden, run_case

CASES = cases()


@pytest.fixture(scope="module")
def outputs():
    return {case_id(path): run_case(path, load_golden(path)["input_url"]) for path in CASES}


@pytest.mark.parametrize("path", CASES, ids=case_id)
def test_verdict(path, outputs):
    assert outputs[case_id(path)]["verdict"] == load_golden(path)["verdict"]


RECAP_CASES = [path for path in CASES if "recap" in load_golden(path)]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("path", RECAP_CASES, ids=case_id)
def test_field(path, field, outputs):
    assert outputs[case_id(path)]["recap"][field] == load_golden(path)["recap"][field]


@pytest.mark.parametrize("path", RECAP_CASES, ids=case_id)
def test_no_unexpected_fields(path, outputs):
    assert set(outputs[case_id(path)]["recap"]) == set(load_golden(path)["recap"])
