"""MkDocs hook: trial numbers from data/outcomes.yml, printed in text and drawn as inline SVG figures.

data/outcomes.yml is the one place for trial-arm numbers. It has four lists:

``trials``     id, name, design, cite and ``arms`` (id, label, n, role: treatment | comparator)
``results``    id, trial, outcome (response | remission | relapse | adverse event), definition,
               timepoint, cite and ``arms``: for every arm of the trial, ``count`` and/or
               ``percent`` (and ``n`` when the result's denominator differs from the arm's)
``schedules``  treatment schedules for the course timeline (events in weeks, each cited)
``figures``    id, kind (icons | over-time | timeline | ledger), title, and what each draws

Everything is checked when the build starts. A missing field, an unknown trial, arm or citation
key, a count larger than its arm's n, or a percentage that does not match count/n stops the
build with ``data/outcomes.yml:LINE:COL: what is wrong; how to fix it``.

On a page (Markdown):

``<!-- figure: ID -->``        on its own line: the figure, its caption with citations, the
                               comparison in words and its numbers as a table
``[[per100:RESULT.ARM]]``      "55 out of 100"
``[[percent:RESULT.ARM]]``     "55.4%"
``[[count:RESULT.ARM]]``       "108 of 195" (or "55.4% of 195" when only a percentage is known)
``[[compare:RESULT]]``         every arm, comparator included, in one phrase with "out of 100"

Figures are drawn with no script, font or request to anyone else: shapes and text in SVG that
take their colours from Material's CSS variables (light, dark and print), with a filled versus
hollow shape (not colour alone) marking who had the outcome.
"""

from __future__ import annotations

import html
import importlib.util
import math
import re
import sys
import zlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from sitecheck.bib import load_bibliography
from sitecheck.findings import UsageError
from sitecheck.project import load_yaml

DATA_FILE = Path("data") / "outcomes.yml"
CSS_SOURCE = Path(__file__).with_name("figures.css")
CSS_URI = "assets/figures.css"
OUTCOMES: tuple[str, ...] = ("response", "remission", "relapse", "adverse event")
ROLES: tuple[str, ...] = ("treatment", "comparator")
KINDS: tuple[str, ...] = ("icons", "over-time", "timeline", "ledger")
EVENT_KINDS: tuple[str, ...] = ("assessment", "dose", "review", "decision", "period")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FIGURE_MARKER = re.compile(r"^<!--\s*figure:\s*(?P<id>[^\s>]+)\s*-->[ \t]*$", re.MULTILINE)
NUMBER_MARKER = re.compile(r"\[\[(?P<kind>[a-z0-9]+):(?P<ref>[^\]\s]*)\]\]")
NUMBER_KINDS: tuple[str, ...] = ("per100", "percent", "count", "compare")

TRIAL_FIELDS = ("id", "name", "design", "cite", "arms")
TRIAL_OPTIONAL = ("n_total",)
ARM_FIELDS = ("id", "label", "role")
ARM_OPTIONAL = ("n",)
RESULT_FIELDS = ("id", "trial", "outcome", "definition", "timepoint", "cite", "arms")
RESULT_OPTIONAL = ("note", "label")
RESULT_ARM_FIELDS = ("arm",)
RESULT_ARM_OPTIONAL = ("count", "percent", "n")
SCHEDULE_FIELDS = ("id", "label", "cite", "events")
EVENT_FIELDS = ("week", "kind", "label")
EVENT_OPTIONAL = ("until", "cite")
FIGURE_FIELDS = ("id", "kind", "title")
FIGURE_OPTIONAL = ("results", "schedules", "summary", "weeks")


# ---------------------------------------------------------------------------------------------
# Reading YAML with line numbers
# ---------------------------------------------------------------------------------------------


class Node(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers where it and each of its keys are in the file."""

    line: int = 0
    column: int = 0
    key_lines: dict[str, tuple[int, int]]


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader whose mappings are Nodes carrying their line and column."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Node:
    """Build a Node, recording where the mapping and each key start."""
    mapping = Node(loader.construct_mapping(node, deep=True))
    mapping.line, mapping.column = node.start_mark.line + 1, node.start_mark.column + 1
    mapping.key_lines = {
        str(key.value): (key.start_mark.line + 1, key.start_mark.column + 1) for key, _ in node.value
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]


def _shown(path: Path) -> str:
    """The path as a reader would type it: relative to the working folder when possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


class DataError(PluginError):
    """A problem in data/outcomes.yml, reported as ``file:line:col: message``."""


def _fail(path: Path, node: Any, message: str, key: str | None = None) -> DataError:
    """An error that names the file and the line (of ``key`` when given) in it."""
    line, column = 0, 0
    if isinstance(node, Node):
        line, column = node.key_lines.get(key or "", (node.line, node.column))
    where = f"{_shown(path)}:{line}:{column}" if line else _shown(path)
    return DataError(f"{where}: {message}")


# ---------------------------------------------------------------------------------------------
# The data model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Arm:
    """One arm of a trial."""

    id: str
    label: str
    n: int
    role: str
    shared_n: bool = False

    @property
    def n_text(self) -> str:
        """The group size as a reader should read it."""
        return f"{self.n} in both groups together" if self.shared_n else str(self.n)


@dataclass(frozen=True)
class Trial:
    """A trial or pooled analysis with its arms."""

    id: str
    name: str
    design: str
    cite: tuple[str, ...]
    arms: tuple[Arm, ...]

    def arm(self, arm_id: str) -> Arm:
        """The arm with this id."""
        return next(a for a in self.arms if a.id == arm_id)


@dataclass(frozen=True)
class ArmValue:
    """One arm's number for one result: a count of n, a percentage, or both."""

    arm: Arm
    n: int
    count: int | None
    percent: Decimal | None

    @property
    def rate(self) -> Decimal:
        """The percentage: as reported, else computed from count/n."""
        if self.percent is not None:
            return self.percent
        assert self.count is not None
        return Decimal(self.count * 100) / Decimal(self.n)

    @property
    def per100(self) -> int:
        """Out of 100 people, rounded half up (what the icon array draws)."""
        return int(self.rate.quantize(Decimal(1), rounding="ROUND_HALF_UP"))

    def percent_text(self) -> str:
        """The percentage as reported, or count/n to one decimal."""
        value = self.percent if self.percent is not None else self.rate.quantize(Decimal("0.1"))
        return f"{value}%"

    def count_text(self) -> str:
        """'108 of 195', or '55.4% of 195' when only the percentage is known."""
        if self.count is not None:
            return f"{self.count} of {self.n}"
        return f"{self.percent_text()} of {self.n}"


@dataclass(frozen=True)
class Result:
    """One outcome of one trial at one time point, for every arm."""

    id: str
    trial: Trial
    outcome: str
    definition: str
    timepoint: str
    cite: tuple[str, ...]
    values: tuple[ArmValue, ...]
    label: str = ""
    note: str = ""

    def value(self, arm_id: str) -> ArmValue:
        """The number for one arm."""
        return next(v for v in self.values if v.arm.id == arm_id)

    @property
    def ordered(self) -> tuple[ArmValue, ...]:
        """Treatment arms first, then comparators (the order figures draw them)."""
        return tuple(sorted(self.values, key=lambda v: ROLES.index(v.arm.role)))


@dataclass(frozen=True)
class Event:
    """One step on a treatment schedule, in weeks from the start."""

    week: float
    kind: str
    label: str
    until: float | None
    cite: tuple[str, ...]


@dataclass(frozen=True)
class Schedule:
    """A treatment schedule drawn as one lane of the course timeline."""

    id: str
    label: str
    cite: tuple[str, ...]
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Figure:
    """A figure a page places with ``<!-- figure: ID -->``."""

    id: str
    kind: str
    title: str
    summary: str
    results: tuple[Result, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    weeks: int = 12


@dataclass
class Outcomes:
    """Everything in data/outcomes.yml, validated."""

    trials: dict[str, Trial] = field(default_factory=dict)
    results: dict[str, Result] = field(default_factory=dict)
    schedules: dict[str, Schedule] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


def _named(node: Any, kind: str, index: int) -> str:
    """'result 'elektd-response'' when the entry has an id, else 'result 3' (its position)."""
    entry_id = node.get("id") if isinstance(node, dict) else None
    return f"{kind} '{entry_id}'" if isinstance(entry_id, str) and entry_id.strip() else f"{kind} {index}"


class _Reader:
    """Validates one data file; every check raises DataError naming the line."""

    def __init__(self, path: Path, bib_keys: set[str]) -> None:
        self.path = path
        self.bib_keys = bib_keys

    def fields(self, node: Any, what: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Node:
        """A mapping with every required field and no unknown ones."""
        if not isinstance(node, Node):
            raise _fail(self.path, node, f"{what}: expected a mapping of fields, got {type(node).__name__}")
        missing = [name for name in required if name not in node or node[name] is None]
        if missing:
            raise _fail(
                self.path, node, f"{what}: missing field(s) {', '.join(missing)} (required: {', '.join(required)})"
            )
        unknown = sorted(set(node) - set(required) - set(optional))
        if unknown:
            allowed = ", ".join(required + optional)
            raise _fail(self.path, node, f"{what}: unknown field(s) {', '.join(unknown)} (allowed: {allowed})", unknown[0])
        return node

    def text(self, node: Node, what: str, name: str) -> str:
        """A non-empty string field."""
        value = node.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise _fail(self.path, node, f"{what}: field '{name}' must be non-empty text, got {value!r}", name)
        return " ".join(value.split())

    def ident(self, node: Node, what: str, name: str = "id") -> str:
        """An id: lower-case letters, digits and hyphens."""
        value = self.text(node, what, name)
        if not ID.match(value):
            raise _fail(
                self.path, node, f"{what}: field '{name}' is {value!r}; use lower-case letters, digits and hyphens", name
            )
        return value

    def count(self, node: Node, what: str, name: str, minimum: int = 0) -> int:
        """A whole number at least ``minimum``."""
        value = node.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise _fail(self.path, node, f"{what}: field '{name}' must be a whole number >= {minimum}, got {value!r}", name)
        return value

    def cites(self, node: Node, what: str, name: str = "cite") -> tuple[str, ...]:
        """One or more citation keys, each defined in refs.bib."""
        value = node.get(name)
        keys = [value] if isinstance(value, str) else value
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and k.strip() for k in keys):
            raise _fail(self.path, node, f"{what}: field '{name}' must be a refs.bib key or a list of keys, got {value!r}", name)
        absent = [k for k in keys if k not in self.bib_keys]
        if absent:
            raise _fail(
                self.path,
                node,
                f"{what}: citation key(s) {', '.join(absent)} not found in refs.bib; add the entry or correct the key",
                name,
            )
        return tuple(k.strip() for k in keys)

    def items(self, data: Node, name: str, required: bool = True) -> list[Any]:
        """A top-level list."""
        value = data.get(name)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            raise _fail(self.path, data, f"top-level '{name}' must be a non-empty list", name)
        return value

    def trial(self, node: Any, index: int) -> Trial:
        """One trial and its arms."""
        what = _named(node, "trial", index)
        node = self.fields(node, what, TRIAL_FIELDS, TRIAL_OPTIONAL)
        trial_id = self.ident(node, what)
        what = f"trial '{trial_id}'"
        total = self.count(node, what, "n_total", 1) if "n_total" in node else None
        raw_arms = node["arms"]
        if not isinstance(raw_arms, list) or len(raw_arms) < 2:
            raise _fail(self.path, node, f"{what}: 'arms' must list at least two arms (a treatment and its comparator)", "arms")
        arms: list[Arm] = []
        for raw in raw_arms:
            arm_node = self.fields(raw, f"{what}, arm", ARM_FIELDS, ARM_OPTIONAL)
            arm_id = self.ident(arm_node, f"{what}, arm")
            arm_what = f"{what}, arm '{arm_id}'"
            if total is None and "n" not in arm_node:
                raise _fail(
                    self.path, arm_node, f"{arm_what}: missing field n (people in the arm; or give the trial's n_total "
                    "when the source gives only the number in all arms together)"
                )
            if total is not None and "n" in arm_node:
                raise _fail(self.path, arm_node, f"{arm_what}: give either the arm's n or the trial's n_total, not both", "n")
            role = self.text(arm_node, arm_what, "role")
            if role not in ROLES:
                raise _fail(self.path, arm_node, f"{arm_what}: role {role!r} must be one of: {', '.join(ROLES)}", "role")
            if any(a.id == arm_id for a in arms):
                raise _fail(self.path, arm_node, f"{arm_what}: the arm id is used twice in this trial", "id")
            n = total if total is not None else self.count(arm_node, arm_what, "n", 1)
            arms.append(Arm(arm_id, self.text(arm_node, arm_what, "label"), n, role, total is not None))
        if {a.role for a in arms} != set(ROLES):
            raise _fail(self.path, node, f"{what}: needs at least one treatment arm and one comparator arm", "arms")
        return Trial(trial_id, self.text(node, what, "name"), self.text(node, what, "design"), self.cites(node, what), tuple(arms))

    def percent(self, node: Node, what: str) -> Decimal | None:
        """An optional percentage between 0 and 100, kept with its reported decimals."""
        value = node.get("percent")
        if value is None:
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = Decimal(-1)
        if isinstance(value, bool) or not number.is_finite() or not 0 <= number <= 100:
            raise _fail(self.path, node, f"{what}: 'percent' must be a number from 0 to 100, got {value!r}", "percent")
        return number

    def arm_value(self, node: Any, trial: Trial, what: str) -> ArmValue:
        """One arm's count and/or percentage, checked against its n."""
        node = self.fields(node, f"{what}, arm", RESULT_ARM_FIELDS, RESULT_ARM_OPTIONAL)
        arm_id = self.text(node, f"{what}, arm", "arm")
        if arm_id not in {a.id for a in trial.arms}:
            known = ", ".join(a.id for a in trial.arms)
            raise _fail(self.path, node, f"{what}: trial '{trial.id}' has no arm '{arm_id}' (its arms: {known})", "arm")
        arm = trial.arm(arm_id)
        what = f"{what}, arm '{arm_id}'"
        n = self.count(node, what, "n", 1) if "n" in node else arm.n
        if n > arm.n:
            raise _fail(
                self.path, node, f"{what}: n {n} is larger than the arm's n ({arm.n}) in trial '{trial.id}'; "
                "a result's n counts the people it was measured in", "n"
            )
        count = self.count(node, what, "count") if "count" in node else None
        percent = self.percent(node, what)
        if count is None and percent is None:
            raise _fail(self.path, node, f"{what}: give 'count' (people out of n) or 'percent' as the source reports it")
        if count is not None and count > n:
            raise _fail(
                self.path, node, f"{what}: count {count} is larger than the arm's n ({n}); check both against the source", "count"
            )
        if count is not None and percent is not None:
            exact = Decimal(count * 100) / Decimal(n)
            exponent = percent.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            tolerance = Decimal(5) / (Decimal(10) ** (places + 1))
            if abs(exact - percent) > tolerance:
                shown = exact.quantize(Decimal(1) / (Decimal(10) ** places)) if places else exact.quantize(Decimal(1))
                raise _fail(
                    self.path,
                    node,
                    f"{what}: percent {percent} does not match count/n = {count}/{n} = {shown}%; "
                    "correct the count, the n or the percentage",
                    "percent",
                )
        return ArmValue(arm, n, count, percent)

    def result(self, node: Any, index: int, trials: dict[str, Trial]) -> Result:
        """One result: an outcome in every arm of a trial."""
        what = _named(node, "result", index)
        node = self.fields(node, what, RESULT_FIELDS, RESULT_OPTIONAL)
        result_id = self.ident(node, what)
        what = f"result '{result_id}'"
        trial_id = self.text(node, what, "trial")
        if trial_id not in trials:
            raise _fail(self.path, node, f"{what}: unknown trial '{trial_id}' (define it under 'trials')", "trial")
        trial = trials[trial_id]
        outcome = self.text(node, what, "outcome")
        if outcome not in OUTCOMES:
            raise _fail(self.path, node, f"{what}: outcome {outcome!r} must be one of: {', '.join(OUTCOMES)}", "outcome")
        raw = node["arms"]
        if not isinstance(raw, list):
            raise _fail(self.path, node, f"{what}: 'arms' must be a list with one entry per arm", "arms")
        values = [self.arm_value(item, trial, what) for item in raw]
        given = [v.arm.id for v in values]
        repeated = sorted({a for a in given if given.count(a) > 1})
        if repeated:
            raise _fail(self.path, node, f"{what}: arm(s) {', '.join(repeated)} given more than once", "arms")
        absent = [a.id for a in trial.arms if a.id not in given]
        if absent:
            raise _fail(
                self.path,
                node,
                f"{what}: no number for arm(s) {', '.join(absent)} of trial '{trial.id}'; "
                "every arm is needed so the comparator is always shown",
                "arms",
            )
        return Result(
            id=result_id,
            trial=trial,
            outcome=outcome,
            definition=self.text(node, what, "definition"),
            timepoint=self.text(node, what, "timepoint"),
            cite=self.cites(node, what),
            values=tuple(values),
            label=self.text(node, what, "label") if "label" in node else "",
            note=self.text(node, what, "note") if "note" in node else "",
        )

    def week(self, node: Node, what: str, name: str) -> float:
        """A week number from 0 to 52."""
        value = node.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 52:
            raise _fail(self.path, node, f"{what}: '{name}' must be a number of weeks from 0 to 52, got {value!r}", name)
        return float(value)

    def schedule(self, node: Any, index: int) -> Schedule:
        """A treatment schedule for the timeline."""
        what = _named(node, "schedule", index)
        node = self.fields(node, what, SCHEDULE_FIELDS)
        schedule_id = self.ident(node, what)
        what = f"schedule '{schedule_id}'"
        raw = node["events"]
        if not isinstance(raw, list) or not raw:
            raise _fail(self.path, node, f"{what}: 'events' must be a non-empty list", "events")
        events = []
        for item in raw:
            event_node = self.fields(item, f"{what}, event", EVENT_FIELDS, EVENT_OPTIONAL)
            kind = self.text(event_node, f"{what}, event", "kind")
            if kind not in EVENT_KINDS:
                raise _fail(self.path, event_node, f"{what}: event kind {kind!r} must be one of: {', '.join(EVENT_KINDS)}", "kind")
            start = self.week(event_node, f"{what}, event", "week")
            until = self.week(event_node, f"{what}, event", "until") if "until" in event_node else None
            if until is not None and until < start:
                raise _fail(self.path, event_node, f"{what}: event ends (until {until:g}) before it starts (week {start:g})", "until")
            cites = self.cites(event_node, f"{what}, event") if "cite" in event_node else ()
            events.append(Event(start, kind, self.text(event_node, f"{what}, event", "label"), until, cites))
        return Schedule(schedule_id, self.text(node, what, "label"), self.cites(node, what), tuple(events))

    def figure(self, node: Any, index: int, outcomes: Outcomes) -> Figure:
        """A figure definition whose results and schedules exist."""
        what = _named(node, "figure", index)
        node = self.fields(node, what, FIGURE_FIELDS, FIGURE_OPTIONAL)
        figure_id = self.ident(node, what)
        what = f"figure '{figure_id}'"
        kind = self.text(node, what, "kind")
        if kind not in KINDS:
            raise _fail(self.path, node, f"{what}: kind {kind!r} must be one of: {', '.join(KINDS)}", "kind")
        results = self.refs(node, what, "results", outcomes.results, needed=kind in ("icons", "over-time"))
        schedules = self.refs(node, what, "schedules", outcomes.schedules, needed=kind == "timeline")
        if kind == "over-time":
            trials = {r.trial.id for r in results}
            if len(trials) != 1:
                raise _fail(self.path, node, f"{what}: an over-time figure shows one trial; these results come from {', '.join(sorted(trials))}", "results")
        weeks = self.count(node, what, "weeks", 1) if "weeks" in node else 12
        summary = self.text(node, what, "summary") if "summary" in node else ""
        return Figure(figure_id, kind, self.text(node, what, "title"), summary, tuple(results), tuple(schedules), weeks)

    def refs(self, node: Node, what: str, name: str, known: dict[str, Any], needed: bool) -> list[Any]:
        """A list of ids that must exist in ``known``."""
        value = node.get(name)
        if value is None:
            if needed:
                raise _fail(self.path, node, f"{what}: this kind of figure needs '{name}'")
            return []
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise _fail(self.path, node, f"{what}: '{name}' must be a non-empty list of ids", name)
        unknown = [v for v in value if v not in known]
        if unknown:
            raise _fail(self.path, node, f"{what}: unknown {name[:-1]} id(s) {', '.join(unknown)}", name)
        return [known[v] for v in value]


def _unique(path: Path, nodes: list[Any], items: list[Any], what: str) -> None:
    """Stop on an id used twice in one list."""
    seen: set[str] = set()
    for node, item in zip(nodes, items, strict=True):
        if item.id in seen:
            raise _fail(path, node, f"{what} '{item.id}': the id is used more than once", "id")
        seen.add(item.id)


def load_outcomes(path: Path, bib_keys: set[str]) -> Outcomes:
    """Read and validate the outcomes file; any problem raises DataError with file:line:col."""
    missing = "the outcomes data file is missing (figures and numbers are read from it)"
    try:
        data = load_yaml(path, missing=missing, loader=_LineLoader)
    except UsageError as exc:
        raise DataError(str(exc).replace(str(path), _shown(path), 1)) from None
    if not isinstance(data, Node):
        raise DataError(f"{_shown(path)}:1:1: expected a mapping with 'trials', 'results', 'schedules' and 'figures'")
    reader = _Reader(path, bib_keys)
    unknown = sorted(set(data) - {"trials", "results", "schedules", "figures"})
    if unknown:
        raise _fail(path, data, f"unknown top-level key(s) {', '.join(unknown)} (allowed: trials, results, schedules, figures)", unknown[0])
    out = Outcomes()
    raw_trials = reader.items(data, "trials")
    trials = [reader.trial(node, i) for i, node in enumerate(raw_trials, 1)]
    _unique(path, raw_trials, trials, "trial")
    out.trials = {t.id: t for t in trials}
    raw_results = reader.items(data, "results")
    results = [reader.result(node, i, out.trials) for i, node in enumerate(raw_results, 1)]
    _unique(path, raw_results, results, "result")
    out.results = {r.id: r for r in results}
    raw_schedules = reader.items(data, "schedules", required=False)
    schedules = [reader.schedule(node, i) for i, node in enumerate(raw_schedules, 1)]
    _unique(path, raw_schedules, schedules, "schedule")
    out.schedules = {s.id: s for s in schedules}
    raw_figures = reader.items(data, "figures", required=False)
    figures = [reader.figure(node, i, out) for i, node in enumerate(raw_figures, 1)]
    _unique(path, raw_figures, figures, "figure")
    out.figures = {f.id: f for f in figures}
    return out


# ---------------------------------------------------------------------------------------------
# Numbers in text
# ---------------------------------------------------------------------------------------------


def _arm_phrase(value: ArmValue) -> str:
    """'55 out of 100 with IV ketamine'."""
    return f"{value.per100} out of 100 with {value.arm.label}"


def compare_phrase(result: Result) -> str:
    """Every arm of a result in words, treatment first, comparator beside it."""
    parts = [_arm_phrase(v) for v in result.ordered]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return joined


def number_text(outcomes: Outcomes, kind: str, ref: str) -> str:
    """The text a number marker stands for; ValueError says what is wrong with the marker."""
    if kind not in NUMBER_KINDS:
        raise ValueError(f"unknown number kind '{kind}' (use one of: {', '.join(NUMBER_KINDS)})")
    result_id, _, arm_id = ref.partition(".")
    if result_id not in outcomes.results:
        raise ValueError(f"unknown result '{result_id}' (defined results: {', '.join(sorted(outcomes.results))})")
    result = outcomes.results[result_id]
    if kind == "compare":
        if arm_id:
            raise ValueError("[[compare:RESULT]] takes a result id without an arm")
        return compare_phrase(result)
    if arm_id not in {a.id for a in result.trial.arms}:
        arms = ", ".join(a.id for a in result.trial.arms)
        if not arm_id:
            raise ValueError(f"add an arm after the result id: '{result_id}.ARM' (arms: {arms})")
        raise ValueError(f"result '{result_id}' has no arm '{arm_id}' (arms: {arms})")
    value = result.value(arm_id)
    if kind == "per100":
        return f"{value.per100} out of 100"
    if kind == "percent":
        return value.percent_text()
    return value.count_text()


# ---------------------------------------------------------------------------------------------
# SVG drawing
# ---------------------------------------------------------------------------------------------


def _esc(text: str) -> str:
    """Text escaped for SVG/HTML."""
    return html.escape(text, quote=True)


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap to at most ``width`` characters a line."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _text(x: float, y: float, lines: list[str], cls: str, anchor: str = "start", step: float = 14) -> str:
    """A multi-line SVG text element."""
    spans = "".join(
        f'<tspan x="{x:g}" dy="{0 if i == 0 else step:g}">{_esc(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text class="{cls}" x="{x:g}" y="{y:g}" text-anchor="{anchor}">{spans}</text>'


PERSON = "M5,0.4a2.2,2.2 0 1,1 0,4.4a2.2,2.2 0 1,1 0,-4.4zM1.2,11.6v-3.2q0,-2.6 3.8,-2.6q3.8,0 3.8,2.6v3.2z"


def _icon_array(symbol: str, x: float, y: float, filled: int, cell: float) -> str:
    """100 people in a 10 by 10 grid, row by row: the first ``filled`` solid, the rest hollow.

    Each person is a ``<use>`` of one symbol, in a solid or a hollow group, to keep pages light.
    ``xlink:href``, not ``href``: Material's instant navigation rewrites every ``[href]`` on the
    page and fails on SVG ``<use>``, whose ``href`` property is read-only.
    """
    people = [
        f'<use xlink:href="#{symbol}" x="{x + col * cell:g}" y="{y + row * cell:g}"/>'
        for row, col in (divmod(i, 10) for i in range(100))
    ]
    return (
        f'<g class="kfig-array" data-filled="{filled}">'
        f'<g class="kfig-yes">{"".join(people[:filled])}</g>'
        f'<g class="kfig-no">{"".join(people[filled:])}</g></g>'
    )


def _svg(prefix: str, width: float, height: float, label: str, body: str, defs: str = "") -> str:
    """An accessible inline SVG: role=img, a name, a title and a description."""
    return (
        f'<svg class="kfig-svg" id="{prefix}-svg" viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
        f'role="img" aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" focusable="false">'
        f'<title id="{prefix}-title">{_esc(label)}</title><desc id="{prefix}-desc">{_esc(label)}</desc>'
        f"<defs>{defs}</defs>{body}</svg>"
    )


def result_words(result: Result) -> str:
    """One sentence: what was measured, when, and every arm out of 100."""
    what = {"response": "had a response", "remission": "were in remission", "relapse": "relapsed"}.get(
        result.outcome, f"had {result.label.lower() or 'this side effect'}"
    )
    return f"{result.trial.name}, {result.timepoint}: {compare_phrase(result)} {what}."


def icons_words(results: tuple[Result, ...]) -> str:
    """The comparison in words; side effects of one trial in one compact sentence."""
    trials = {r.trial.id for r in results}
    if len(trials) == 1 and all(r.outcome == "adverse event" for r in results) and len(results[0].values) == 2:
        first = results[0]
        treatment, comparator = first.ordered
        items = "; ".join(
            f"{(r.label or r.outcome).lower()}: {r.ordered[0].per100} compared with {r.ordered[1].per100}" for r in results
        )
        return (
            f"Out of 100 people in {first.trial.name}, {first.timepoint}, with {treatment.arm.label} "
            f"compared with {comparator.arm.label}: {items}."
        )
    return " ".join(result_words(r) for r in results)


def _icon_pair(prefix: str, result: Result) -> str:
    """One result as its own SVG: a heading, then each arm's 100 people, treatment first."""
    cell = 12.0  # the person symbol is drawn on a 12-unit grid
    panel = cell * 10
    symbol = f"kp-{zlib.crc32(prefix.encode()) % 100000}"
    gap = 24.0
    width = 10 + len(result.values) * panel + (len(result.values) - 1) * gap + 10
    heading = result.label or f"{result.outcome.capitalize()}, {result.timepoint}"
    lines = _wrap(heading, int(width / 8.6))
    pieces = [_text(10, 20, lines, "kfig-heading")]
    y = 20 + 15 * len(lines)
    label_lines = max(len(_wrap(v.arm.label, int(panel / 6.8))) for v in result.values)
    for i, value in enumerate(result.ordered):
        x = 10 + i * (panel + gap)
        role = "kfig-role-" + value.arm.role
        pieces.append(
            f'<g class="kfig-panel {role}" data-result="{result.id}" data-arm="{value.arm.id}" data-per100="{value.per100}">'
            + _text(x, y + 10, _wrap(value.arm.label, int(panel / 6.8)), "kfig-label", step=13)
            + _icon_array(symbol, x, y + 6 + 13 * label_lines, value.per100, cell)
            + _text(x, y + 6 + 13 * label_lines + panel + 16, [f"{value.per100} out of 100"], "kfig-number")
            + "</g>"
        )
    height = y + 6 + 13 * label_lines + panel + 26
    defs = f'<path id="{symbol}" d="{PERSON}"/>'
    return _svg(prefix, width, height, f"{heading}. {result_words(result)}", "".join(pieces), defs)


def draw_icons(figure: Figure) -> str:
    """One small SVG per result (so they wrap side by side on wide screens and stack on phones)."""
    return "".join(_icon_pair(f"kfig-{figure.id}-{i}", r) for i, r in enumerate(figure.results, 1))


def _marker(kind: str, x: float, y: float, role: str) -> str:
    """A data point: a filled circle for treatment, a hollow square for the comparator."""
    if role == "treatment":
        return f'<circle class="kfig-point kfig-yes" cx="{x:g}" cy="{y:g}" r="6"/>'
    return f'<rect class="kfig-point kfig-no" x="{x - 5.5:g}" y="{y - 5.5:g}" width="11" height="11"/>'


def draw_over_time(figure: Figure) -> str:
    """Out-of-100 values at the time points the source reports: points only, no line between them."""
    prefix = f"kfig-{figure.id}"
    results = figure.results
    trial = results[0].trial
    left, top, plot_h = 44.0, 78.0, 200.0
    col = 110.0
    longest = max(len(a.label) for a in trial.arms)
    width = max(left + col * len(results) + 16, left + 24 + 6.8 * longest)
    height = top + plot_h + 64
    parts = []
    for tick in (0, 25, 50, 75, 100):
        ty = top + plot_h - plot_h * tick / 100
        parts.append(f'<line class="kfig-grid" x1="{left:g}" x2="{width - 10:g}" y1="{ty:g}" y2="{ty:g}"/>')
        parts.append(_text(left - 6, ty + 4, [str(tick)], "kfig-axis", "end"))
    parts.append(_text(4, 14, ["Out of 100 people"], "kfig-axis"))
    # Legend: shape and words, never colour alone, one line per group.
    for k, arm in enumerate(sorted(trial.arms, key=lambda a: ROLES.index(a.role))):
        parts.append(_marker("legend", left + 6, 28 + 18 * k, arm.role))
        parts.append(_text(left + 18, 32 + 18 * k, [arm.label], "kfig-label"))
    for i, result in enumerate(results):
        cx = left + col * i + col / 2
        parts.append(_text(cx, top + plot_h + 18, _wrap(result.timepoint, 14), "kfig-axis", "middle", 13))
        for j, value in enumerate(result.ordered):
            px = cx + (-14 if j == 0 else 14)
            py = top + plot_h - plot_h * value.per100 / 100
            parts.append(
                f'<g class="kfig-datum" data-result="{result.id}" data-arm="{value.arm.id}" data-per100="{value.per100}">'
                + _marker("point", px, py, value.arm.role)
                + _text(px + (-10 if j == 0 else 10), py + 4, [str(value.per100)], "kfig-number", "end" if j == 0 else "start")
                + "</g>"
            )
    label = (
        f"{figure.title}. " + " ".join(result_words(r) for r in results)
        + " Only the time points the study reports are shown; nothing is drawn between them."
    )
    return _svg(prefix, width, height, label, "".join(parts))


EVENT_SHAPES = {
    "assessment": "M0,-7L7,0L0,7L-7,0z",  # diamond
    "dose": "M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0z",  # circle
    "review": "M0,-7L7,6L-7,6z",  # triangle
    "decision": "M-6,-6h12v12h-12z",  # square
}


def _place(taken: list[tuple[float, float, int]], start: float, end: float, rows: int) -> int:
    """The first label row in which [start, end] overlaps no label already placed."""
    for row in range(rows):
        if all(end < a or start > b for a, b, r in taken if r == row):
            taken.append((start, end, row))
            return row
    taken.append((start, end, rows - 1))
    return rows - 1


def draw_timeline(figure: Figure) -> str:
    """One lane per schedule, weeks across: assessment, doses, reviews and decisions as shapes."""
    prefix = f"kfig-{figure.id}"
    left, right, lane_h, week_w, top = 24.0, 24.0, 150.0, 48.0, 44.0
    width = left + week_w * figure.weeks + right
    parts = [_text(left, 14, ["Weeks from the start of treatment"], "kfig-axis")]
    bottom = top + lane_h * len(figure.schedules)
    for week in range(figure.weeks + 1):
        x = left + week * week_w
        parts.append(f'<line class="kfig-grid" x1="{x:g}" x2="{x:g}" y1="{top - 6:g}" y2="{bottom:g}"/>')
        parts.append(_text(x, top - 10, [str(week)], "kfig-axis", "middle"))
    for lane, schedule in enumerate(figure.schedules):
        y0 = top + lane * lane_h
        parts.append(_text(left + 2, y0 + 20, [schedule.label], "kfig-heading"))
        axis_y = y0 + 46
        parts.append(f'<line class="kfig-axisline" x1="{left:g}" x2="{width - right:g}" y1="{axis_y:g}" y2="{axis_y:g}"/>')
        taken: list[tuple[float, float, int]] = []
        for event in schedule.events:
            x = left + event.week * week_w
            if event.kind == "period":
                end = left + (event.until if event.until is not None else figure.weeks) * week_w
                lines = _wrap(event.label, max(int((end - x) / 6.6), 12))
                row = _place(taken, x, end, 3)
                parts.append(
                    f'<g class="kfig-event" data-kind="period"><rect class="kfig-period" x="{x:g}" y="{axis_y - 6:g}" '
                    f'width="{max(end - x, 4):g}" height="12"/>'
                    + _text(x + 2, axis_y + 26 + 28 * row, lines, "kfig-small", step=12)
                    + "</g>"
                )
                continue
            cls = "kfig-yes" if event.kind == "dose" else "kfig-mark"
            parts.append(
                f'<g class="kfig-event" data-kind="{event.kind}" data-week="{event.week:g}">'
                f'<path class="{cls}" transform="translate({x:g},{axis_y:g})" d="{EVENT_SHAPES[event.kind]}"/></g>'
            )
            if event.kind != "dose":
                lines = _wrap(event.label, 18)
                span = 6.2 * max(len(line) for line in lines)
                start = max(x - span / 2, 2.0)
                row = _place(taken, start, start + span, 3)
                parts.append(_text(start, axis_y + 26 + 28 * row, lines, "kfig-small", step=12))
    legend_y = bottom + 20
    keys = (
        ("assessment", "assessment"),
        ("dose", "one dose (infusion or spray session)"),
        ("review", "check: is it helping?"),
        ("decision", "decision about what comes next"),
    )
    for i, (kind, words) in enumerate(keys):
        lx = left
        ly = legend_y + i * 22
        cls = "kfig-yes" if kind == "dose" else "kfig-mark"
        parts.append(f'<path class="{cls}" transform="translate({lx + 7:g},{ly:g})" d="{EVENT_SHAPES[kind]}"/>')
        parts.append(_text(lx + 20, ly + 4, [words], "kfig-small"))
    parts.append(
        f'<rect class="kfig-period" x="{left:g}" y="{legend_y + 82:g}" width="28" height="10"/>'
        + _text(left + 34, legend_y + 91, ["a stretch of time with no fixed schedule"], "kfig-small")
    )
    height = legend_y + 104
    label = f"{figure.title}. " + " ".join(f"{s.label}: {_doses_phrase(s)}." for s in figure.schedules)
    return _svg(prefix, width, height, label, "".join(parts))


def _import_ledger() -> ModuleType:
    """The claims-ledger hook (a file beside this one), for its validated loader."""
    name = "figures_ledger_hook"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("ledger.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def ledger_counts(claims: list[Any], articles: tuple[str, ...], verdicts: tuple[str, ...]) -> dict[str, Counter[str]]:
    """Verdict counts per article (a claim made by several articles counts for each)."""
    return {a: Counter(c.verdict for c in claims if a in c.articles) for a in articles}


def draw_ledger(figure: Figure, counts: dict[str, Counter[str]], verdicts: tuple[str, ...]) -> str:
    """Articles down, verdicts across: each cell a number and that many small squares."""
    prefix = f"kfig-{figure.id}"
    left, col, row, top = 78.0, 42.0, 50.0, 112.0
    width = left + col * len(verdicts) + 8
    parts = []
    for j, verdict in enumerate(verdicts):
        x = left + col * j + col / 2
        parts.append(
            f'<text class="kfig-small" transform="translate({x - 6:g},{top - 8:g}) rotate(-90)">{_esc(verdict.capitalize())}</text>'
        )
    for i, (article, per) in enumerate(counts.items()):
        y = top + row * i
        parts.append(f'<line class="kfig-grid" x1="4" x2="{width - 4:g}" y1="{y:g}" y2="{y:g}"/>')
        name = f"Article {article.removeprefix('source-').upper()}"
        parts.append(_text(6, y + 20, [name], "kfig-label"))
        parts.append(_text(6, y + 36, [f"{sum(per.values())} claims"], "kfig-small"))
        for j, verdict in enumerate(verdicts):
            x = left + col * j
            count = per.get(verdict, 0)
            squares = "".join(
                f'<rect class="{"kfig-yes" if count else "kfig-no"}" x="{x + 4 + (k % 5) * 6.5:g}" y="{y + 26 + (k // 5) * 6.5:g}" width="5" height="5"/>'
                for k in range(count)
            )
            parts.append(
                f'<g class="kfig-cell" data-article="{article}" data-verdict="{verdict}" data-count="{count}">'
                + _text(x + 4, y + 20, [str(count) if count else "–"], "kfig-number")
                + squares
                + "</g>"
            )
    height = top + row * len(counts) + 6
    words = "; ".join(
        f"Article {a.removeprefix('source-').upper()}: "
        + ", ".join(f"{per.get(v, 0)} {v}" for v in verdicts if per.get(v, 0))
        for a, per in counts.items()
    )
    label = f"{figure.title}. {words}."
    return _svg(prefix, width, height, label, "".join(parts))


# ---------------------------------------------------------------------------------------------
# Markdown around each figure: caption, words, citations, data table
# ---------------------------------------------------------------------------------------------


def _cite(keys: tuple[str, ...] | list[str]) -> str:
    """mkdocs-bibtex citation syntax, one bracket for all keys."""
    unique = list(dict.fromkeys(keys))
    return "[" + "; ".join(f"@{k}" for k in unique) + "]" if unique else ""


def _results_table(results: tuple[Result, ...]) -> list[str]:
    """The numbers behind a results figure, arm by arm."""
    # Five columns, so the table fits the text column at desktop width (study, measure, time
    # point and source share the first cell).
    lines = [
        "| Study: what was counted, when | Group | People in group | Had it | Out of 100 |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for r in results:
        what = r.label or r.outcome.capitalize()
        for v in r.ordered:
            had = str(v.count) if v.count is not None else f"{v.percent_text()} (count not reported)"
            lines.append(
                f"| {r.trial.name}: {what} ({r.definition}), {r.timepoint} {_cite(r.cite)} "
                f"| {v.arm.label} ({v.arm.role}) "
                f"| {v.n if not v.arm.shared_n else f'{v.n} in both groups together'} | {had} | {v.per100} |"
            )
    notes = [f"{r.trial.name}, {r.label or r.outcome}: {r.note}" for r in results if r.note]
    if notes:
        lines += ["", "Notes: " + " ".join(notes)]
    return lines


def _doses_phrase(schedule: Schedule) -> str:
    """'6 doses in the first 3 weeks'."""
    weeks = [e.week for e in schedule.events if e.kind == "dose"]
    span = math.ceil(max(weeks)) if weeks else 0
    return f"{len(weeks)} doses in the first {span} week{'s' if span != 1 else ''}"


def _when(week: float) -> str:
    """A time on the timeline in words: 'at the start', 'after about 4 weeks'."""
    if week < 0.5:
        return "at the start"
    rounded = round(week)
    return f"after about {rounded} week{'s' if rounded != 1 else ''}"


def _schedule_table(schedules: tuple[Schedule, ...]) -> list[str]:
    """The timeline as a table, one row per step."""
    lines = ["| Treatment | Week | Step | Source |", "| --- | --- | --- | --- |"]
    for s in schedules:
        for e in s.events:
            week = f"{e.week:g}" + (f" to {e.until:g}" if e.until is not None else "")
            lines.append(f"| {s.label} | {week} | {e.kind.capitalize()}: {e.label} | {_cite(e.cite or s.cite)} |")
    return lines


def _ledger_table(counts: dict[str, Counter[str]], verdicts: tuple[str, ...]) -> list[str]:
    """The verdict counts as a table: a row per verdict, a column per article (narrow enough for a desktop column)."""
    names = [f"Art. {article.removeprefix('source-').upper()}" for article in counts]
    lines = [
        "| Verdict | " + " | ".join(names) + " | All |",
        "| --- | " + " | ".join("---:" for _ in names) + " | ---: |",
    ]
    for v in verdicts:
        row = [str(per.get(v, 0)) for per in counts.values()]
        lines.append(f"| {v.capitalize()} | " + " | ".join(row) + f" | {sum(per.get(v, 0) for per in counts.values())} |")
    lines.insert(0, "Art. A to Art. E are Articles A to E; a claim made by several articles counts in each one's column.\n")
    totals = [str(sum(per.values())) for per in counts.values()]
    lines.append("| All verdicts | " + " | ".join(totals) + f" | {sum(sum(per.values()) for per in counts.values())} |")
    return lines


def _wrapper(figure: Figure, svg: str) -> str:
    """The box around the SVG: icon arrays wrap; a wide figure scrolls, reachable by keyboard."""
    if figure.kind == "icons":
        return f'<div class="kfig-row">{svg}</div>'
    if figure.kind == "timeline":
        label = _esc(f"{figure.title} (scrolls sideways)")
        return f'<div class="kfig-scroll" tabindex="0" role="group" aria-label="{label}">{svg}</div>'
    return f'<div class="kfig-scroll">{svg}</div>'


def figure_markdown(figure: Figure, svg: str, words: str, cites: list[str], table: list[str], legend: str) -> str:
    """The figure block: SVG, caption with the comparison in words and citations, data table."""
    caption = f"**{figure.title}.** {words}"
    if figure.summary:
        caption += f" {figure.summary}"
    if cites:
        caption += f" {_cite(cites)}"
    details = ['??? note kfig-data "The numbers behind this figure"', ""] + ["    " + line if line else "" for line in table]
    return "\n".join(
        [
            f'<div class="kfig kfig--{figure.kind}" id="figure-{figure.id}" markdown="1">',
            f'<p class="kfig-scrollcue" aria-hidden="true">{_esc("Scroll sideways to see all of the figure.")}</p>'
            if figure.kind == "timeline"
            else "",
            _wrapper(figure, svg),
            f'<p class="kfig-legend">{legend}</p>' if legend else "",
            "",
            caption,
            "{ .kfig-caption }",
            "",
            *details,
            "",
            "</div>",
        ]
    )


ICON_LEGEND = (
    '<span class="kfig-key kfig-key--yes" aria-hidden="true"></span> solid figure: had the outcome; '
    '<span class="kfig-key kfig-key--no" aria-hidden="true"></span> outline: did not. '
    "Each block is 100 people like those in the trial."
)
TIME_LEGEND = (
    '<span class="kfig-key kfig-key--dot" aria-hidden="true"></span> solid circle: treatment; '
    '<span class="kfig-key kfig-key--square" aria-hidden="true"></span> hollow square: comparison group. '
    "Points are the time points the study reports; nothing is drawn between them."
)


def render_figure(figure: Figure, ledger: tuple[dict[str, Counter[str]], tuple[str, ...]] | None = None) -> str:
    """The Markdown block for one figure."""
    if figure.kind == "icons":
        svg = draw_icons(figure)
        words = icons_words(figure.results)
        cites = [k for r in figure.results for k in r.trial.cite + r.cite]
        return figure_markdown(figure, svg, words, cites, _results_table(figure.results), ICON_LEGEND)
    if figure.kind == "over-time":
        svg = draw_over_time(figure)
        words = " ".join(result_words(r) for r in figure.results)
        cites = [k for r in figure.results for k in r.cite]
        return figure_markdown(figure, svg, words, cites, _results_table(figure.results), TIME_LEGEND)
    if figure.kind == "timeline":
        svg = draw_timeline(figure)
        cites = [k for s in figure.schedules for k in s.cite + tuple(c for e in s.events for c in e.cite)]
        words = " ".join(
            f"{s.label}: {_doses_phrase(s)}; "
            + "; ".join(f"{_when(e.week)}, {e.label[0].lower() + e.label[1:]}" for e in s.events if e.kind != "dose")
            + "."
            for s in figure.schedules
        )
        return figure_markdown(figure, svg, words, cites, _schedule_table(figure.schedules), "")
    assert ledger is not None
    counts, verdicts = ledger
    svg = draw_ledger(figure, counts, verdicts)
    totals = Counter()  # type: Counter[str]
    for per in counts.values():
        totals.update(per)
    words = "Across the five articles (a claim made by several articles counts once for each): " + ", ".join(
        f"{totals.get(v, 0)} {v}" for v in verdicts
    ) + "."
    return figure_markdown(figure, svg, words, [], _ledger_table(counts, verdicts), "")


# ---------------------------------------------------------------------------------------------
# MkDocs events
# ---------------------------------------------------------------------------------------------


class _State:
    """What the hook read when the build started."""

    root: Path = Path(".")
    bib_keys: set[str] = set()  # noqa: RUF012 - replaced, never mutated
    outcomes: Outcomes | None = None


def on_config(config: Any) -> Any:
    """Validate data/outcomes.yml against refs.bib, and add the figures' stylesheet."""
    _State.root = Path(config["config_file_path"]).parent
    plugin = config["plugins"].get("bibtex")
    bib_file = plugin.config.bib_file if plugin is not None else "refs.bib"
    try:
        _State.bib_keys = load_bibliography(_State.root / bib_file).keys()
    except UsageError as exc:
        raise DataError(f"{_shown(_State.root / DATA_FILE)}: cannot check citation keys: {exc}") from None
    _State.outcomes = load_outcomes(_State.root / DATA_FILE, _State.bib_keys)
    if CSS_URI not in config["extra_css"]:
        config["extra_css"].append(CSS_URI)
    return config


def on_files(files: Files, config: Any) -> Files:
    """Publish the figures' stylesheet (kept beside this hook, so no docs/ file is needed)."""
    files.append(File.generated(config, CSS_URI, abs_src_path=str(CSS_SOURCE)))
    return files


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild on `mkdocs serve` when the data or the figures' stylesheet changes."""
    server.watch(str(_State.root / DATA_FILE))
    server.watch(str(CSS_SOURCE))
    return server


def _line_of(markdown: str, index: int) -> int:
    """1-based line number of a character offset."""
    return markdown.count("\n", 0, index) + 1


def expand(markdown: str, outcomes: Outcomes, page_path: str, ledger: Any = None) -> str:
    """Replace figure and number markers; an unknown id stops the build with page:line."""

    def figure(match: re.Match[str]) -> str:
        figure_id = match.group("id")
        if figure_id not in outcomes.figures:
            known = ", ".join(sorted(outcomes.figures)) or "none"
            raise PluginError(
                f"{page_path}:{_line_of(markdown, match.start())}: unknown figure '{figure_id}' "
                f"(figures in {DATA_FILE.as_posix()}: {known})"
            )
        fig = outcomes.figures[figure_id]
        return render_figure(fig, ledger() if fig.kind == "ledger" and ledger else None)

    def number(match: re.Match[str]) -> str:
        try:
            return number_text(outcomes, match.group("kind"), match.group("ref"))
        except ValueError as exc:
            raise PluginError(f"{page_path}:{_line_of(markdown, match.start())}: {match.group(0)}: {exc}") from None

    markdown = NUMBER_MARKER.sub(number, markdown)
    return FIGURE_MARKER.sub(figure, markdown)


def _ledger_data() -> tuple[dict[str, Counter[str]], tuple[str, ...]]:
    """Verdict counts per article from data/claims.yml, validated by the ledger hook's loader."""
    ledger = _import_ledger()
    claims = ledger.load_ledger(_State.root / ledger.LEDGER_FILE, _State.bib_keys)
    return ledger_counts(claims, ledger.ARTICLES, ledger.VERDICTS), ledger.VERDICTS


@event_priority(100)  # before mkdocs-bibtex turns the figures' citations into footnotes
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Expand ``<!-- figure: ID -->`` and ``[[kind:RESULT.ARM]]`` markers on a page."""
    if "[[" not in markdown and "figure:" not in markdown:
        return markdown
    assert _State.outcomes is not None
    return expand(markdown, _State.outcomes, f"docs/{page.file.src_uri}", _ledger_data)
