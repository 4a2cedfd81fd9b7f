"""MkDocs hook: the option grid, the "what matters most to you" step and the printable summary.

Their content lives in data/options.yml:

``trials``, ``results``  extra trial numbers the grid needs, in exactly the shape of
                         data/outcomes.yml (checked by the figures hook's own reader); a number
                         that is already in data/outcomes.yml is used from there, never retyped
``questions``            the grid's rows: id, label, and ``print: true`` for the rows the
                         one-page summary shows
``options``              the grid's columns: id, name and ``answers``, one per question, each
                         either ``text`` + ``cite`` or ``not_known`` (what we searched and
                         where), or both (what is known, then what is not)
``values``               the values step: id, label, detail and the grid ``rows`` it points to

Everything is checked when the build starts; a problem stops the build with
``data/options.yml:LINE:COL: what is wrong; how to fix it``. Text gives numbers only through
``[[per100:RESULT.ARM]]``, ``[[percent:...]]``, ``[[count:...]]`` or ``[[compare:RESULT]]``
markers; a typed-in "out of 100" or percentage is refused, so every number has one source.

On a page, a line of its own:

``<!-- options: values -->``        the values step (a form that needs no script)
``<!-- options: grid -->``          the grid: a table on a wide screen, one block per question
                                    with each option's name beside its answer on a phone
``<!-- options: summary -->``       the rows marked ``print`` for every option, compact
``<!-- options: values-sheet -->``  the values step as a sheet to fill in on paper

Number markers whose result is defined in data/options.yml are expanded on every page (the
figures hook expands the others).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from mkdocs_sitecheck.api import UsageError, load_yaml

from .figures.data import DataError, LineLoader, Node, Outcomes, Reader, load_outcomes, place
from .figures.words import number_text
from .paths import bib_keys_for, shown

DATA_FILE = Path("data") / "options.yml"
OUTCOMES_FILE = Path("data") / "outcomes.yml"
TOP_LEVEL = ("trials", "results", "questions", "options", "values")
QUESTION_FIELDS = ("id", "label")
QUESTION_OPTIONAL = ("print",)
OPTION_FIELDS = ("id", "name", "answers")
OPTION_OPTIONAL = ("short",)
ANSWER_OPTIONAL = ("text", "cite", "not_known")
VALUE_FIELDS = ("id", "label", "detail", "rows")
BLOCKS = ("values", "grid", "summary", "values-sheet")
MARKER = re.compile(r"^<!--\s*options:\s*(?P<what>[a-z-]+)\s*-->[ \t]*$", re.MULTILINE)
NUMBER_MARKER = re.compile(r"\[\[(?P<kind>[a-z0-9]+):(?P<ref>[^\]\s]*)\]\]")
# A number typed into the text instead of a marker: "27 out of 100", "27%", "27 percent".
TYPED_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*(?:%|percent\b|per cent\b|out of 100\b|in 100\b)", re.IGNORECASE)
CHOICES = ("A lot", "A little", "Not at all")  # how much an item matters to the reader


class OptionsError(PluginError):
    """A problem in data/options.yml or in an options marker, as one ``file:line:col: message`` line."""


def _fail(path: Path, node: Any, message: str, key: str | None = None) -> OptionsError:
    """An error naming the file and the line (of ``key`` when given) of ``node``."""
    return OptionsError(f"{place(path, node, key)}: {message}")


# ---------------------------------------------------------------------------------------------
# The data model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One row of the grid."""

    id: str
    label: str
    print: bool = False


@dataclass(frozen=True)
class Answer:
    """One cell: what is known (text with citations), and what we searched for and did not find."""

    text: str = ""
    cite: tuple[str, ...] = ()
    not_known: str = ""


@dataclass(frozen=True)
class Option:
    """One column of the grid."""

    id: str
    name: str
    short: str
    answers: dict[str, Answer]


@dataclass(frozen=True)
class Value:
    """One item of the values step, pointing at the grid rows that answer it."""

    id: str
    label: str
    detail: str
    rows: tuple[str, ...]


@dataclass
class Options:
    """Everything in data/options.yml, validated, with the numbers of both data files."""

    questions: list[Question] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    outcomes: Any = None
    own_results: frozenset[str] = frozenset()


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


class _Reader(Reader):
    """Checks one options file with the figures data's checks; each raises OptionsError naming the line."""

    error = OptionsError

    def __init__(self, path: Path, bib_keys: set[str], outcomes: Any) -> None:
        super().__init__(path, bib_keys)
        self.outcomes = outcomes

    def question(self, node: Any, index: int) -> Question:
        """One grid row."""
        node = self.fields(node, f"question {index}", QUESTION_FIELDS, QUESTION_OPTIONAL)
        question_id = self.ident(node, f"question {index}")
        printed = node.get("print", False)
        if not isinstance(printed, bool):
            raise _fail(self.path, node, f"question '{question_id}': 'print' must be true or false, got {printed!r}", "print")
        return Question(question_id, self.text(node, f"question '{question_id}'", "label"), printed)

    def body(self, node: Any, what: str) -> str:
        """Answer text whose number markers all resolve and that types no number itself."""
        value = self.text(node, what, "text")
        for match in NUMBER_MARKER.finditer(value):
            try:
                number_text(self.outcomes, match.group("kind"), match.group("ref"))
            except ValueError as exc:
                raise _fail(self.path, node, f"{what}: {match.group(0)}: {exc}", "text") from None
        typed = TYPED_NUMBER.search(NUMBER_MARKER.sub("", value))
        if typed:
            raise _fail(
                self.path,
                node,
                f"{what}: '{typed.group(0)}' is typed into the text; give it as a [[per100:RESULT.ARM]] "
                "or [[compare:RESULT]] marker so the number comes from the data",
                "text",
            )
        return value

    def answer(self, node: Any, what: str) -> Answer:
        """One cell: text with its citations, or what was searched without finding anything, or both."""
        node = self.fields(node, what, (), ANSWER_OPTIONAL)
        if "text" not in node and "not_known" not in node:
            raise _fail(self.path, node, f"{what}: give 'text' and 'cite', or 'not_known' saying what was searched and where")
        if ("text" in node) != ("cite" in node):
            given, needed = ("text", "cite") if "text" in node else ("cite", "text")
            raise _fail(self.path, node, f"{what}: '{given}' needs '{needed}' beside it (every statement is cited)", given)
        text = self.body(node, what) if "text" in node else ""
        cites = self.cites(node, what) if "cite" in node else ()
        searched = self.text(node, what, "not_known") if "not_known" in node else ""
        return Answer(text, cites, searched)

    def option(self, node: Any, index: int, questions: list[Question]) -> Option:
        """One grid column, with an answer for every question."""
        node = self.fields(node, f"option {index}", OPTION_FIELDS, OPTION_OPTIONAL)
        option_id = self.ident(node, f"option {index}")
        what = f"option '{option_id}'"
        raw = node["answers"]
        if not isinstance(raw, dict):
            raise _fail(self.path, node, f"{what}: 'answers' must map each question id to an answer", "answers")
        known = [q.id for q in questions]
        unknown = [k for k in raw if k not in known]
        if unknown:
            raise _fail(self.path, raw, f"{what}: unknown question id(s) {', '.join(map(str, unknown))} (questions: {', '.join(known)})", str(unknown[0]))
        absent = [q for q in known if q not in raw]
        if absent:
            raise _fail(
                self.path, node, f"{what}: no answer for question(s) {', '.join(absent)}; answer each, or say 'not_known' and what was searched", "answers"
            )
        answers = {q: self.answer(raw[q], f"{what}, question '{q}'") for q in known}
        name = self.text(node, what, "name")
        short = self.text(node, what, "short") if "short" in node else name
        return Option(option_id, name, short, answers)

    def value(self, node: Any, index: int, questions: list[Question]) -> Value:
        """One item of the values step."""
        node = self.fields(node, f"value {index}", VALUE_FIELDS)
        value_id = self.ident(node, f"value {index}")
        what = f"value '{value_id}'"
        rows = node["rows"]
        if not isinstance(rows, list) or not rows or not all(isinstance(r, str) for r in rows):
            raise _fail(self.path, node, f"{what}: 'rows' must be a non-empty list of question ids", "rows")
        known = {q.id for q in questions}
        unknown = [r for r in rows if r not in known]
        if unknown:
            raise _fail(self.path, node, f"{what}: unknown question id(s) {', '.join(unknown)} in 'rows'", "rows")
        return Value(value_id, self.text(node, what, "label"), self.text(node, what, "detail"), tuple(rows))


def _numbers(path: Path, data: Any, bib_keys: set[str], outcomes: Any) -> tuple[Any, frozenset[str]]:
    """The outcomes of both files together: this file's trials and results, checked by the figures hook's reader."""
    reader = Reader(path, bib_keys)
    trials = dict(outcomes.trials)
    raw_trials = data.get("trials") or []
    raw_results = data.get("results") or []
    if not isinstance(raw_trials, list) or not isinstance(raw_results, list):
        bad = "trials" if not isinstance(raw_trials, list) else "results"
        raise _fail(path, data, f"top-level '{bad}' must be a list (in the shape of {OUTCOMES_FILE.as_posix()})", bad)
    for i, node in enumerate(raw_trials, 1):
        trial = reader.trial(node, i)
        if trial.id in trials:
            raise _fail(path, node, f"trial '{trial.id}' is already defined in {OUTCOMES_FILE.as_posix()}; use it from there", "id")
        trials[trial.id] = trial
    results = dict(outcomes.results)
    own: set[str] = set()
    for i, node in enumerate(raw_results, 1):
        result = reader.result(node, i, trials)
        if result.id in results:
            where = "earlier in this file" if result.id in own else f"in {OUTCOMES_FILE.as_posix()}"
            raise _fail(path, node, f"result '{result.id}' is already defined {where}; use that one", "id")
        results[result.id] = result
        own.add(result.id)
    merged = Outcomes(trials=trials, results=results, schedules=outcomes.schedules, figures=outcomes.figures)
    return merged, frozenset(own)


def load_options(path: Path, bib_keys: set[str], outcomes: Any) -> Options:
    """Read and check the options file against refs.bib and the outcomes already loaded."""
    try:
        data = load_yaml(path, missing="the option grid's data file is missing", loader=LineLoader)
    except UsageError as exc:
        raise OptionsError(str(exc).replace(str(path), shown(path), 1)) from None
    except DataError as exc:
        raise OptionsError(str(exc)) from None
    if not isinstance(data, Node):
        raise OptionsError(f"{shown(path)}:1:1: expected a mapping with 'questions', 'options' and 'values'")
    unknown = sorted(set(data) - set(TOP_LEVEL))
    if unknown:
        raise _fail(path, data, f"unknown top-level key(s) {', '.join(unknown)} (allowed: {', '.join(TOP_LEVEL)})", unknown[0])
    try:
        merged, own = _numbers(path, data, bib_keys, outcomes)
    except DataError as exc:
        raise OptionsError(str(exc)) from None
    reader = _Reader(path, bib_keys, merged)
    raw_questions = reader.items(data, "questions")
    questions = [reader.question(node, i) for i, node in enumerate(raw_questions, 1)]
    reader.unique(raw_questions, [q.id for q in questions], "question")
    raw_options = reader.items(data, "options")
    options = [reader.option(node, i, questions) for i, node in enumerate(raw_options, 1)]
    reader.unique(raw_options, [o.id for o in options], "option")
    raw_values = reader.items(data, "values")
    values = [reader.value(node, i, questions) for i, node in enumerate(raw_values, 1)]
    reader.unique(raw_values, [v.id for v in values], "value")
    return Options(questions, options, values, merged, own)


# ---------------------------------------------------------------------------------------------
# Rendering (Markdown with HTML blocks that md_in_html fills in, so citations become notes)
# ---------------------------------------------------------------------------------------------


def _esc(text: str) -> str:
    """Text escaped for HTML."""
    return html.escape(text, quote=True)


def _cite(keys: tuple[str, ...]) -> str:
    """mkdocs-bibtex citation syntax, one bracket for all keys."""
    return "[" + "; ".join(f"@{k}" for k in dict.fromkeys(keys)) + "]" if keys else ""


def expand_numbers(text: str, data: Options) -> str:
    """Replace every number marker in ``text`` with its phrase from the data."""
    return NUMBER_MARKER.sub(lambda m: number_text(data.outcomes, m.group("kind"), m.group("ref")), text)


def answer_markdown(answer: Answer, data: Options, brief: bool = False) -> str:
    """One cell: the text with its citations, then what is not known and where we looked.

    ``brief`` (the printed summary) keeps what is known and says only "Not known." where nothing is.
    """
    parts = []
    if answer.text:
        text = expand_numbers(answer.text, data)
        body, stop = (text[:-1], ".") if text.endswith(".") else (text, "")
        parts.append(f"{body} {_cite(answer.cite)}{stop}")
    if answer.not_known and brief and not answer.text:
        parts.append('<strong class="og-unknown">Not known.</strong>')
    elif answer.not_known and not brief:
        parts.append(f'<strong class="og-unknown">Not known:</strong> <span class="og-searched">{_esc(answer.not_known)}</span>')
    return " ".join(parts)


def _question_anchor(question_id: str) -> str:
    """The id of a question's row, for links from the values step."""
    return f"og-q-{question_id}"


def render_grid(data: Options) -> str:
    """The grid: option names across the top, a heading row per question, then each option's answer."""
    count = len(data.options)
    head = "".join(f'<th scope="col" role="columnheader" id="og-o-{o.id}" class="og-option">{_esc(o.name)}</th>' for o in data.options)
    rows = []
    for q in data.questions:
        rows.append(
            f'<tr role="row" class="og-qrow" id="{_question_anchor(q.id)}">'
            f'<th scope="colgroup" role="rowheader" colspan="{count}" id="og-h-{q.id}">{_esc(q.label)}</th></tr>'
        )
        cells = "".join(
            f'<td role="cell" markdown="span" headers="og-h-{q.id} og-o-{o.id}" data-option="{o.id}">'
            f'<span class="og-name" aria-hidden="true">{_esc(o.name)}</span> {answer_markdown(o.answers[q.id], data)}</td>'
            for o in data.options
        )
        rows.append(f'<tr role="row" class="og-arow" markdown="1" data-question="{q.id}">{cells}</tr>')
    return "\n".join(
        [
            '<div class="og" id="option-grid" markdown="1">',
            '<table class="og-table" role="table" aria-label="The options side by side" markdown="1">',
            f'<thead><tr role="row">{head}</tr></thead>',
            '<tbody markdown="1">',
            *rows,
            "</tbody>",
            "</table>",
            "</div>",
        ]
    )


def render_summary(data: Options) -> str:
    """The rows marked ``print``, one line per option, small enough for one or two printed pages."""
    printed = [q for q in data.questions if q.print]
    head = '<th scope="col" role="columnheader">Option</th>' + "".join(f'<th scope="col" role="columnheader">{_esc(q.label)}</th>' for q in printed)
    rows = []
    for o in data.options:
        cells = "".join(
            f'<td role="cell" markdown="span"><span class="og-name" aria-hidden="true">{_esc(q.label)}</span> '
            f"{answer_markdown(o.answers[q.id], data, brief=True)}</td>"
            for q in printed
        )
        rows.append(f'<tr role="row" markdown="1"><th scope="row" role="rowheader">{_esc(o.short)}</th>{cells}</tr>')
    return "\n".join(
        [
            '<div class="og-summary" markdown="1">',
            '<table class="og-sumtable" role="table" aria-label="Summary of the options" markdown="1">',
            f'<thead><tr role="row">{head}</tr></thead>',
            '<tbody markdown="1">',
            *rows,
            "</tbody>",
            "</table>",
            "</div>",
        ]
    )


def _row_links(value: Value, data: Options, page_prefix: str) -> str:
    """Links to the grid rows that answer a value."""
    labels = {q.id: q.label for q in data.questions}
    return ", ".join(f'<a href="{page_prefix}#{_question_anchor(r)}">{_esc(labels[r])}</a>' for r in value.rows)


def render_values(data: Options) -> str:
    """The values step: for each item, three choices (radio buttons, no script) and the grid rows to read."""
    blocks = []
    for v in data.values:
        choices = "".join(f'<label class="og-choice"><input type="radio" name="og-v-{v.id}" value="{i}"> {_esc(c)}</label>' for i, c in enumerate(CHOICES))
        blocks.append(
            f'<fieldset class="og-value" id="og-v-{v.id}"><legend>{_esc(v.label)}</legend>'
            f'<p class="og-detail">{_esc(v.detail)} See: {_row_links(v, data, "")}.</p>'
            f'<div class="og-choices">{choices}</div></fieldset>'
        )
    return "\n".join(
        [
            '<form class="og-values" aria-label="What matters most to you">',
            *blocks,
            "</form>",
        ]
    )


def render_values_sheet(data: Options) -> str:
    """The values step on paper: one line per item with boxes to tick and room for a note."""
    head = '<th scope="col">How much it matters to me</th>' + "".join(f'<th scope="col">{_esc(c)}</th>' for c in CHOICES)
    rows = "".join(
        f'<tr><th scope="row">{_esc(v.label)}</th>'
        + "".join(f'<td><span class="og-box" role="img" aria-label="empty box to tick for: {_esc(c)}"></span></td>' for c in CHOICES)
        + "</tr>"
        for v in data.values
    )
    return (
        '<div class="og-sheet"><table class="og-sheettable" aria-label="What matters most to you, to fill in">'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def render_block(what: str, data: Options) -> str:
    """The Markdown for one ``<!-- options: WHAT -->`` marker."""
    renderers = {
        "values": render_values,
        "grid": render_grid,
        "summary": render_summary,
        "values-sheet": render_values_sheet,
    }
    return renderers[what](data)


def _line_of(markdown: str, index: int) -> int:
    """1-based line number of a character offset."""
    return markdown.count("\n", 0, index) + 1


def expand(markdown: str, data: Options, page_path: str) -> str:
    """Replace the options markers and this file's number markers on a page; a bad marker stops the build at page:line."""

    def block(match: re.Match[str]) -> str:
        what = match.group("what")
        if what not in BLOCKS:
            raise OptionsError(f"{page_path}:{_line_of(markdown, match.start())}:1: unknown options block '{what}' (use one of: {', '.join(BLOCKS)})")
        return render_block(what, data)

    def number(match: re.Match[str]) -> str:
        if match.group("ref").partition(".")[0] not in data.own_results:
            return match.group(0)
        try:
            return number_text(data.outcomes, match.group("kind"), match.group("ref"))
        except ValueError as exc:
            line = _line_of(markdown, match.start())
            raise OptionsError(f"{page_path}:{line}:1: {match.group(0)}: {exc}") from None

    return NUMBER_MARKER.sub(number, MARKER.sub(block, markdown))


# ---------------------------------------------------------------------------------------------
# MkDocs events
# ---------------------------------------------------------------------------------------------


class _State:
    """What the hook read when the build started."""

    root: Path = Path(".")
    data: Options | None = None


def on_config(config: Any) -> Any:
    """Check data/options.yml (with data/outcomes.yml and refs.bib) before anything is built."""
    _State.root = Path(config["config_file_path"]).parent
    keys = bib_keys_for(config, _State.root / DATA_FILE, OptionsError)
    try:
        outcomes = load_outcomes(_State.root / OUTCOMES_FILE, keys)
    except DataError as exc:
        raise OptionsError(str(exc)) from None
    _State.data = load_options(_State.root / DATA_FILE, keys, outcomes)
    return config


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild on `mkdocs serve` when the options data changes."""
    server.watch(str(_State.root / DATA_FILE))
    return server


@event_priority(110)  # before the figures hook (100) and mkdocs-bibtex, which turns the citations into notes
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Expand the options markers, and number markers for results defined in data/options.yml."""
    if "options:" not in markdown and "[[" not in markdown:
        return markdown
    assert _State.data is not None
    return expand(markdown, _State.data, f"docs/{page.file.src_uri}")
