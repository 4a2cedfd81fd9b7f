"""data/outcomes.yml: the validator stops the build with file:line:col and what to fix; the real data passes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from guide_hooks.figures import data as figures_data

KEYS = {"anand2023", "dean2021cochrane", "sanacora2017"}

VALID = """\
trials:
  - id: elekt-d
    name: ELEKT-D
    design: Randomised, open-label
    cite: anand2023
    arms:
      - {id: ketamine, label: IV ketamine, n: 195, role: treatment}
      - {id: ect, label: ECT, n: 170, role: comparator}
results:
  - id: elektd-response
    trial: elekt-d
    outcome: response
    definition: score fell by half
    timepoint: week 3
    cite: anand2023
    arms:
      - {arm: ketamine, count: 108, percent: 55.4}
      - {arm: ect, count: 70, percent: 41.2}
schedules:
  - id: iv
    label: IV ketamine
    cite: anand2023
    events:
      - {week: 0, kind: assessment, label: Assessment, cite: sanacora2017}
      - {week: 0.5, kind: dose, label: infusion 1}
figures:
  - id: elektd
    kind: icons
    title: IV ketamine or ECT
    results: [elektd-response]
  - id: course
    kind: timeline
    title: A course
    schedules: [iv]
"""


def write(tmp_path: Path, text: str) -> Path:
    """Write a data file and return its path."""
    path = tmp_path / "outcomes.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads(tmp_path: Path) -> None:
    """A well-formed file loads with every trial, result, schedule and figure."""
    data = figures_data.load_outcomes(write(tmp_path, VALID), KEYS)
    result = data.results["elektd-response"]
    assert [v.per100 for v in result.ordered] == [55, 41]
    assert result.value("ect").count_text() == "70 of 170"
    assert data.figures["course"].schedules[0].events[0].cite == ("sanacora2017",)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    timepoint: week 3\n",
            "",
            ("10:5: result 'elektd-response': missing field(s) timepoint (required: id, trial, outcome, definition, timepoint, cite, arms)"),
        ),
        (
            "    cite: anand2023\n    arms:\n      - {arm",
            "    cite: nosuch2099\n    arms:\n      - {arm",
            ("15:5: result 'elektd-response': citation key(s) nosuch2099 not found in refs.bib; add the entry or correct the key"),
        ),
        (
            "{arm: ect, count: 70, percent: 41.2}",
            "{arm: ect, count: 171}",
            ("18:20: result 'elektd-response', arm 'ect': count 171 is larger than the arm's n (170); check both against the source"),
        ),
        (
            "{arm: ketamine, count: 108, percent: 55.4}",
            "{arm: ketamine, count: 108, percent: 54.4}",
            (
                "17:37: result 'elektd-response', arm 'ketamine': percent 54.4 does not match count/n = "
                "108/195 = 55.4%; correct the count, the n or the percentage"
            ),
        ),
        (
            "      - {arm: ect, count: 70, percent: 41.2}\n",
            "",
            ("16:5: result 'elektd-response': no number for arm(s) ect of trial 'elekt-d'; every arm is needed so the comparator is always shown"),
        ),
        (
            "{arm: ect, count: 70, percent: 41.2}",
            "{arm: ect}",
            "18:9: result 'elektd-response', arm 'ect': give 'count' (people out of n) or 'percent' as the source reports it",
        ),
        (
            "outcome: response",
            "outcome: cure",
            "12:5: result 'elektd-response': outcome 'cure' must be one of: response, remission, relapse, adverse event",
        ),
        (
            "    trial: elekt-d\n",
            "    trial: elekt-e\n",
            "11:5: result 'elektd-response': unknown trial 'elekt-e' (define it under 'trials')",
        ),
        (
            "{arm: ect, count: 70, percent: 41.2}",
            "{arm: ect, n: 200, count: 70}",
            (
                "18:20: result 'elektd-response', arm 'ect': n 200 is larger than the arm's n (170) in trial 'elekt-d'; "
                "a result's n counts the people it was measured in"
            ),
        ),
        (
            "role: comparator}",
            "role: treatment}",
            "6:5: trial 'elekt-d': needs at least one treatment arm and one comparator arm",
        ),
        (
            "results: [elektd-response]",
            "results: [elektd-remission]",
            "30:5: figure 'elektd': unknown result id(s) elektd-remission",
        ),
        (
            "{week: 0.5, kind: dose, label: infusion 1}",
            "{week: 0.5, kind: party, label: infusion 1}",
            "25:21: schedule 'iv': event kind 'party' must be one of: assessment, dose, review, decision, period",
        ),
    ],
)
def test_each_mistake_names_file_line_and_fix(tmp_path: Path, old: str, new: str, expected: str) -> None:
    """Each kind of mistake stops the build with the exact file:line:col message."""
    assert old in VALID
    path = write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(figures_data.DataError) as caught:
        figures_data.load_outcomes(path, KEYS)
    assert str(caught.value) == f"{path}:{expected}"


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    """Broken YAML is one line with its place, not a traceback."""
    path = write(tmp_path, VALID.replace("label: Assessment,", "label: Did it help? yes,", 1))
    with pytest.raises(figures_data.DataError) as caught:
        figures_data.load_outcomes(path, KEYS)
    assert str(caught.value).startswith(f"{path}:24:")
    assert "invalid YAML" in str(caught.value)


def test_missing_file_says_what_it_is(tmp_path: Path) -> None:
    """A missing data file is named, with what it is for."""
    with pytest.raises(figures_data.DataError, match="outcomes data file is missing"):
        figures_data.load_outcomes(tmp_path / "absent.yml", KEYS)


def test_duplicate_ids_are_caught(tmp_path: Path) -> None:
    """Two results with one id would make a number ambiguous."""
    second = VALID.split("results:\n", 1)[1].split("schedules:", 1)[0]
    text = VALID.replace("schedules:", second + "schedules:", 1)
    with pytest.raises(figures_data.DataError) as caught:
        figures_data.load_outcomes(write(tmp_path, text), KEYS)
    assert str(caught.value).endswith("result 'elektd-response': the id is used more than once")


def test_real_data_is_valid_and_cited(outcomes: figures_data.Outcomes, bib_keys: set[str]) -> None:
    """Every trial, result and schedule event in the real file cites keys that refs.bib defines."""
    keys = {k for t in outcomes.trials.values() for k in t.cite}
    keys |= {k for r in outcomes.results.values() for k in r.cite}
    keys |= {k for s in outcomes.schedules.values() for k in s.cite}
    keys |= {k for s in outcomes.schedules.values() for e in s.events for k in e.cite}
    assert keys and keys <= bib_keys
    assert len(outcomes.results) >= 10


def test_real_data_numbers_agree_with_themselves(outcomes: figures_data.Outcomes) -> None:
    """Where both are given, count/n rounds to the printed percentage, and no count exceeds its n."""
    checked = 0
    for result in outcomes.results.values():
        assert {v.arm.id for v in result.values} == {a.id for a in result.trial.arms}, result.id
        for value in result.values:
            assert value.n <= value.arm.n
            if value.count is not None:
                assert value.count <= value.n
            if value.count is not None and value.percent is not None:
                exact = Decimal(value.count * 100) / Decimal(value.n)
                assert abs(exact - value.percent) <= Decimal("0.05"), (result.id, value.arm.id)
                checked += 1
    assert checked >= 10


def test_comparator_always_beside_treatment(outcomes: figures_data.Outcomes) -> None:
    """Every result has a treatment arm and a comparator arm (IPDAS: never the treatment alone)."""
    for result in outcomes.results.values():
        roles = [v.arm.role for v in result.ordered]
        assert roles[0] == "treatment" and "comparator" in roles, result.id
