"""data/options.yml: the validator stops the build with one line naming file:line:col and the fix; the real data passes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

KEYS = {"anand2023", "berlim2014rtms"}

OUTCOMES = """\
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
"""

VALID = """\
trials:
  - id: pooled
    name: Pooled rTMS trials
    design: Meta-analysis
    cite: berlim2014rtms
    n_total: 1371
    arms:
      - {id: rtms, label: rTMS, role: treatment}
      - {id: sham, label: sham rTMS, role: comparator}
results:
  - id: pooled-response
    trial: pooled
    outcome: response
    definition: score fell by half
    timepoint: after about 13 sessions
    cite: berlim2014rtms
    arms:
      - {arm: rtms, percent: 29.3}
      - {arm: sham, percent: 10.4}
questions:
  - id: what
    label: What is it?
  - id: benefit
    label: How many did it help?
    print: true
options:
  - id: ketamine
    name: IV ketamine
    answers:
      what:
        text: A drip into a vein.
        cite: anand2023
      benefit:
        text: "ELEKT-D: [[compare:elektd-response]]."
        cite: anand2023
  - id: rtms
    name: rTMS
    answers:
      what:
        not_known: what it is. We looked in nothing.
      benefit:
        text: "Pooled: [[compare:pooled-response]]."
        cite: berlim2014rtms
values:
  - id: chance
    label: The chance that it helps
    detail: Compare each option with its comparison group.
    rows: [benefit]
"""


def write(tmp_path: Path, text: str) -> Path:
    """Write an options file and return its path."""
    path = tmp_path / "options.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def outcomes(grid: ModuleType, tmp_path: Path) -> Any:
    """A small outcomes file, validated by the figures hook."""
    path = tmp_path / "outcomes.yml"
    path.write_text(OUTCOMES, encoding="utf-8")
    return grid.load_outcomes(path, KEYS)


def test_valid_file_loads_and_reuses_both_files_numbers(grid: ModuleType, tmp_path: Path, outcomes: Any) -> None:
    """A well-formed file loads; its markers reach results in this file and in data/outcomes.yml."""
    data = grid.load_options(write(tmp_path, VALID), KEYS, outcomes)
    assert [o.id for o in data.options] == ["ketamine", "rtms"]
    assert data.own_results == frozenset({"pooled-response"})
    assert grid.expand_numbers(data.options[0].answers["benefit"].text, data) == ("ELEKT-D: 55 out of 100 with IV ketamine and 41 out of 100 with ECT.")
    assert grid.expand_numbers(data.options[1].answers["benefit"].text, data) == ("Pooled: 29 out of 100 with rTMS and 10 out of 100 with sham rTMS.")
    assert data.options[1].answers["what"].not_known == "what it is. We looked in nothing."


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '      benefit:\n        text: "Pooled',
            '      benefitx:\n        text: "Pooled',
            "41:7: option 'rtms': unknown question id(s) benefitx (questions: what, benefit)",
        ),
        (
            "      what:\n        not_known: what it is. We looked in nothing.\n",
            "",
            ("38:5: option 'rtms': no answer for question(s) what; answer each, or say 'not_known' and what was searched"),
        ),
        (
            "text: A drip into a vein.",
            "text: A drip into a vein; 27 out of 100 liked it.",
            (
                "31:9: option 'ketamine', question 'what': '27 out of 100' is typed into the text; give it as a "
                "[[per100:RESULT.ARM]] or [[compare:RESULT]] marker so the number comes from the data"
            ),
        ),
        (
            "[[compare:pooled-response]]",
            "[[compare:pooled-remission]]",
            (
                "42:9: option 'rtms', question 'benefit': [[compare:pooled-remission]]: unknown result "
                "'pooled-remission' (defined results: elektd-response, pooled-response)"
            ),
        ),
        (
            "[[compare:pooled-response]]",
            "[[per100:pooled-response]]",
            ("42:9: option 'rtms', question 'benefit': [[per100:pooled-response]]: add an arm after the result id: 'pooled-response.ARM' (arms: rtms, sham)"),
        ),
        (
            "        text: A drip into a vein.\n        cite: anand2023\n",
            "        text: A drip into a vein.\n",
            "31:9: option 'ketamine', question 'what': 'text' needs 'cite' beside it (every statement is cited)",
        ),
        (
            "        text: A drip into a vein.\n        cite: anand2023\n",
            "        text: A drip into a vein.\n        cite: nosuch2099\n",
            ("32:9: option 'ketamine', question 'what': citation key(s) nosuch2099 not found in refs.bib; add the entry or correct the key"),
        ),
        (
            "      what:\n        not_known: what it is. We looked in nothing.\n",
            "      what: {}\n",
            "39:13: option 'rtms', question 'what': give 'text' and 'cite', or 'not_known' saying what was searched and where",
        ),
        (
            "    rows: [benefit]",
            "    rows: [cost]",
            "48:5: value 'chance': unknown question id(s) cost in 'rows'",
        ),
        (
            "  - id: pooled-response\n",
            "  - id: elektd-response\n",
            "11:5: result 'elektd-response' is already defined in data/outcomes.yml; use that one",
        ),
        (
            "  - id: rtms\n    name: rTMS\n",
            "  - id: ketamine\n    name: rTMS\n",
            "36:5: option 'ketamine': the id is used more than once",
        ),
        (
            "    print: true\n",
            "    print: yes please\n",
            "25:5: question 'benefit': 'print' must be true or false, got 'yes please'",
        ),
        (
            "      - {arm: sham, percent: 10.4}\n",
            "",
            ("17:5: result 'pooled-response': no number for arm(s) sham of trial 'pooled'; every arm is needed so the comparator is always shown"),
        ),
        (
            "values:\n",
            "valuez:\n",
            "44:1: unknown top-level key(s) valuez (allowed: trials, results, questions, options, values)",
        ),
        (
            "    name: IV ketamine\n",
            "    name: [IV ketamine\n",
            "29:12: invalid YAML: expected ',' or ']', but got ':'",
        ),
    ],
)
def test_bad_data_stops_with_one_line(grid: ModuleType, tmp_path: Path, outcomes: Any, old: str, new: str, expected: str) -> None:
    """Each fault stops the build with exactly one line: file:line:col, what is wrong, how to fix it."""
    assert old in VALID
    path = write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(grid.OptionsError) as caught:
        grid.load_options(path, KEYS, outcomes)
    assert str(caught.value) == f"{path}:{expected}"


def test_a_missing_file_is_one_line(grid: ModuleType, tmp_path: Path, outcomes: Any) -> None:
    """No data file: one line saying what is missing."""
    path = tmp_path / "options.yml"
    with pytest.raises(grid.OptionsError) as caught:
        grid.load_options(path, KEYS, outcomes)
    assert str(caught.value) == f"{path}: the option grid's data file is missing"


def test_unknown_block_on_a_page_names_page_and_line(grid: ModuleType, tmp_path: Path, outcomes: Any) -> None:
    """A marker for a block that does not exist stops the build at the page's line."""
    data = grid.load_options(write(tmp_path, VALID), KEYS, outcomes)
    markdown = "# Title\n\nText.\n\n<!-- options: gird -->\n"
    with pytest.raises(grid.OptionsError) as caught:
        grid.expand(markdown, data, "docs/treatment/compare-options.md")
    assert str(caught.value) == ("docs/treatment/compare-options.md:5:1: unknown options block 'gird' (use one of: values, grid, summary, values-sheet)")


def test_page_markers_of_this_file_are_expanded_and_others_left_for_the_figures_hook(grid: ModuleType, tmp_path: Path, outcomes: Any) -> None:
    """On a page, this file's results are expanded; data/outcomes.yml's are left for the figures hook."""
    data = grid.load_options(write(tmp_path, VALID), KEYS, outcomes)
    page = "A [[per100:pooled-response.sham]]; B [[per100:elektd-response.ect]]."
    assert grid.expand(page, data, "docs/x.md") == "A 10 out of 100; B [[per100:elektd-response.ect]]."
