"""Judge `sitecheck refs --bib` by the programs that read bibliographies: pybtex, BibTeX, biber, pandoc.

For every .bib file in a folder, each consumer gives per-entry verdicts:

- pybtex as mkdocs-bibtex drives it: ``parse_file`` (strict), then ``PlainStyle().format_entry`` and the
  Markdown backend for every entry (what a citation of that entry runs);
- BibTeX 0.99d with plain, unsrt and alpha: a minimal .aux with ``\\citation{*}``; the .blg, per entry;
- biber in tool mode with ``--validate-datamodel`` (biber's own copy of biblatex's data model);
- pandoc's bibliography reader (``-f biblatex`` or ``-f bibtex``, ``-t csljson``), as citeproc sees it.

A syntax error stops pandoc and biber for the whole file; the harness then blanks that entry (keeping
line numbers) and runs again, so every entry gets a verdict. Each program call has a timeout.

Then ``sitecheck refs --bib FILE --format json`` from ``--sitecheck SCRIPTS_DIR`` (so main and a branch
can be compared), and the comparison: for every sitecheck finding, does the consumer it targets agree;
for every rejection by that consumer, did sitecheck report it. Writes a Markdown table and a JSON file.

    .venv/bin/python bench/refs_oracle.py --bib-dir /work/corpus/bib --manifest bench/refs_corpus.json \\
        --sitecheck scripts --md bench/refs_oracle.md --json /tmp/oracle-main.json
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from checker_module import checker_module

CONSUMERS = ("pybtex", "bibtex", "biber", "csl")
ERROR, WARNING = "error", "warning"
POLICY_CODES = {"REF020"}
# Finding codes whose subject no consumer program judges (identifier checksums, page/URL form, keys, notes).
UNJUDGED_CODES = {
    "REF005", "REF006", "REF007", "REF008", "REF009", "REF010", "REF012", "REF014", "REF016",
    "REF019", "REF033", "REF034",  # refs branch: misplaced identifier, same work under two keys, arXiv as journal
}  # fmt: skip
# Which oracle verdict classes confirm a finding code.
CODE_CLASSES: dict[str, set[str]] = {
    "REF001": {"syntax", "undefined-macro", "dropped", "duplicate-field"},
    "REF004": {"syntax", "dropped"},
    "REF017": {"syntax", "undefined-macro", "dropped", "duplicate-field", "format-failure"},
    "REF002": {"missing-field", "format-failure"},
    "REF003": {"unknown-type"},
    "REF011": {"date", "year", "month"},
    "REF013": {"duplicate-key"},
    "REF015": {"key"},
    "REF018": {"month"},  # refs branch: month values the consumer rejects
}
ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(][ \t]*([^,\s{}()]*)", re.MULTILINE)
NOT_ENTRIES = {"string", "preamble", "comment"}


@dataclass(frozen=True)
class Entry:
    """One entry of a .bib file as located by a line scan: key, type, first line, last line."""

    key: str
    kind: str
    line: int
    end: int


@dataclass
class Verdict:
    """What one program says about one entry."""

    consumer: str
    key: str
    level: str
    klass: str
    message: str


@dataclass
class Finding:
    """One sitecheck finding, tied to the entry it is on."""

    key: str
    code: str
    severity: str
    message: str
    line: int


@dataclass
class FileResult:
    """Everything measured on one file."""

    file: str
    consumer: str
    entries: int
    verdicts: list[Verdict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)


# --- locating entries ----------------------------------------------------------------------------


class Index:
    """Map line numbers and keys of one file to its entries."""

    def __init__(self, text: str) -> None:
        """Scan ``text`` for lines that start an entry or a command."""
        starts: list[tuple[int, str, str]] = []
        for match in ENTRY_START.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            starts.append((line, match.group(1).lower(), match.group(2)))
        total = text.count("\n") + 1
        self.entries: list[Entry] = []
        self.starts: list[int] = []
        self.commands: list[int] = [line for line, _, _ in starts]
        for i, (line, kind, key) in enumerate(starts):
            end = starts[i + 1][0] - 1 if i + 1 < len(starts) else total
            if kind not in NOT_ENTRIES:
                self.entries.append(Entry(key, kind, line, end))
                self.starts.append(line)
        self.by_key: dict[str, Entry] = {}
        for entry in self.entries:
            self.by_key.setdefault(entry.key, entry)
            self.by_key.setdefault(entry.key.lower(), entry)

    def at_line(self, line: int) -> Entry | None:
        """The entry whose text holds ``line``."""
        line = min(line, self.entries[-1].end) if self.entries else line  # errors "at the end of input"
        i = bisect.bisect_right(self.starts, line) - 1
        return self.entries[i] if i >= 0 and line <= self.entries[i].end else None

    def key_at(self, line: int) -> str:
        """The key of the entry at ``line``, or ``line N`` when no entry holds it."""
        entry = self.at_line(line)
        return entry.key if entry else f"line {line}"

    def key(self, name: str) -> str:
        """The spelling of ``name`` in the file (BibTeX and pybtex match keys case-insensitively)."""
        entry = self.by_key.get(name) or self.by_key.get(name.lower())
        return entry.key if entry else name


def blank(text: str, entry: Entry | None, line: int) -> str:
    """``text`` with the entry at ``line`` replaced by empty lines, so every other line keeps its number."""
    lines = text.split("\n")
    first, last = (entry.line, entry.end) if entry else (line, line)
    for i in range(first - 1, min(last, len(lines))):
        lines[i] = ""
    return "\n".join(lines)


def run(cmd: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run ``cmd``: exit status, stdout, stderr; status 124 and a note when it times out."""
    try:
        done = subprocess.run(
            cmd, cwd=cwd, capture_output=True, timeout=timeout, env=env, check=False,
            preexec_fn=lambda: os.nice(10),
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return 124, "", f"timed out after {timeout:g} s"
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


# --- pybtex, as mkdocs-bibtex drives it ------------------------------------------------------------


def pybtex_verdicts_here(path: Path) -> list[dict[str, str | int]]:
    """Run in a child process: pybtex's parse errors (strict mode raises on each) and per-entry formatting."""
    import pybtex.errors
    from pybtex.backends.markdown import Backend
    from pybtex.database import parse_file
    from pybtex.database.input.bibtex import DuplicateField, UndefinedMacro
    from pybtex.scanner import PybtexSyntaxError
    from pybtex.style.formatting.plain import Style

    out: list[dict[str, str | int]] = []
    with pybtex.errors.capture() as errors:
        data = parse_file(str(path))
    for error in errors:
        if isinstance(error, UndefinedMacro):
            out.append({"line": error.lineno, "level": ERROR, "klass": "undefined-macro", "message": str(error)})
        elif isinstance(error, PybtexSyntaxError):
            out.append({"line": error.lineno, "level": ERROR, "klass": "syntax", "message": str(error)})
        elif isinstance(error, DuplicateField):
            found = re.search(r"entry with key (\S+)", str(error))
            key = found.group(1) if found else ""
            out.append({"key": key, "level": ERROR, "klass": "duplicate-field", "message": str(error)})
        else:
            found = re.search(r"entry: (\S+)", str(error))
            klass = "duplicate-key" if "repeated" in str(error) else "parse"
            out.append({"key": found.group(1) if found else "", "level": ERROR, "klass": klass, "message": str(error)})
    style, backend = Style(), Backend()
    for key, entry in data.entries.items():
        names = [name.lower() for name in (*entry.fields.keys(), *entry.persons.keys())]
        out.append({"key": key, "level": "fields", "klass": "fields", "message": " ".join(names)})
        try:
            style.format_entry("", entry).text.render(backend)
        except Exception as error:  # noqa: BLE001 - every failure of a citation is the verdict
            klass = "unknown-type" if isinstance(error, AttributeError) and "format_" in str(error) else "format-failure"
            if type(error).__name__ == "FieldIsMissing":
                klass = "missing-field"
            out.append({"key": key, "level": ERROR, "klass": klass, "message": f"{type(error).__name__}: {error}"})
    return out


def pybtex_oracle(path: Path, index: Index, timeout: float, fields: dict[str, list[str]]) -> tuple[list[Verdict], list[str]]:
    """pybtex's verdicts, computed in a child process with a timeout; ``fields`` gets the fields pybtex kept per entry."""
    code, out, err = run([sys.executable, __file__, "--pybtex-child", str(path.resolve())], path.parent, timeout)
    if code != 0:
        return [], [f"pybtex did not finish ({err.strip().splitlines()[-1] if err.strip() else code})"]
    verdicts = []
    for item in json.loads(out):
        key = index.key(str(item["key"])) if item.get("key") else index.key_at(int(item["line"]))
        if item["level"] == "fields":
            fields[key] = str(item["message"]).split()
            continue
        verdicts.append(Verdict("pybtex", key, str(item["level"]), str(item["klass"]), str(item["message"])))
    return verdicts, []


# --- BibTeX with the standard styles -------------------------------------------------------------

BLG_LINE = re.compile(r"-{2,3}line (\d+) of file")
BLG_IN_KEY = re.compile(r"^Warning--(.*) in (\S+)$")


def bibtex_run(path: Path, style: str, index: Index, timeout: float) -> tuple[list[Verdict], list[str]]:
    """One BibTeX run with ``style`` over every entry; the .blg read entry by entry."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "refs.bib").write_bytes(path.read_bytes())
        (work / "x.aux").write_text(f"\\relax\n\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n")
        code, _, err = run(["bibtex", "-terse", "x"], work, timeout)
        blg = (work / "x.blg").read_text("utf-8", "replace") if (work / "x.blg").exists() else ""
    notes = [f"bibtex {style}: {err.strip()}"] if code == 124 else []
    if code >= 3 and code != 124:
        notes.append(f"bibtex {style} exit {code}: {blg.strip().splitlines()[-1] if blg.strip() else ''}")
    verdicts: list[Verdict] = []
    lines = blg.splitlines()
    for i, line in enumerate(lines):
        found = BLG_LINE.search(line)
        if line.startswith("I was expecting") or line.startswith("Illegal, ") or "---this can't" in line:
            if found:
                verdicts.append(Verdict("bibtex", index.key_at(int(found.group(1))), ERROR, "syntax", line.strip()))
        elif line.startswith("Repeated entry") and found:
            verdicts.append(Verdict("bibtex", index.key_at(int(found.group(1))), ERROR, "duplicate-key", line.strip()))
        elif line.startswith("Warning--") and i + 1 < len(lines) and (nxt := BLG_LINE.search(lines[i + 1])):
            klass = "undefined-macro" if "string name" in line else "unknown-type" if "isn't style-file" in line else "other"
            level = ERROR if klass == "undefined-macro" else WARNING
            verdicts.append(Verdict("bibtex", index.key_at(int(nxt.group(1))), level, klass, f"{style}: {line.strip()}"))
        elif found_key := BLG_IN_KEY.match(line.strip()):
            what, key = found_key.groups()
            klass = "missing-field" if what.startswith("empty ") or "need " in what else "other"
            if "name" in what.lower() and "commas" in what.lower():
                klass = "name"
            verdicts.append(Verdict("bibtex", index.key(key), WARNING, klass, f"{style}: {line.strip()}"))
        elif line.startswith("Too many commas in name") or (line.startswith("Name ") and ' of "' in line):
            found_entry = re.search(r"for entry (\S+)", line + " " + (lines[i + 1] if i + 1 < len(lines) else ""))
            if found_entry:
                verdicts.append(Verdict("bibtex", index.key(found_entry.group(1)), WARNING, "name", f"{style}: {line}"))
        elif line.startswith("Sorry---you've exceeded"):
            notes.append(f"bibtex {style}: {line.strip()}")
    return verdicts, notes


def bibtex_oracle(path: Path, index: Index, timeout: float) -> tuple[list[Verdict], list[str]]:
    """BibTeX's verdicts with plain, unsrt and alpha; the same complaint from several styles counts once."""
    merged: dict[tuple[str, str, str], Verdict] = {}
    notes: list[str] = []
    for style in ("plain", "unsrt", "alpha"):
        verdicts, style_notes = bibtex_run(path, style, index, timeout)
        notes += style_notes
        for verdict in verdicts:
            text = re.sub(r"^(plain|unsrt|alpha): ", "", verdict.message)
            merged.setdefault((verdict.key, verdict.klass, text), verdict)
    return list(merged.values()), notes


# --- biber (biblatex) ----------------------------------------------------------------------------

BIBER_LINE = re.compile(r"line (\d+), (.*)")
BIBER_KEY = re.compile(r"[Ee]ntry '([^']+)'|entry key: '([^']+)'|in entry '([^']+)'")


def biber_class(message: str) -> tuple[str, str]:
    """The level and class of one biber WARN line."""
    table = (
        ("undefined macro", WARNING, "undefined-macro"),
        ("Invalid entry type", WARNING, "unknown-type"),
        ("Missing mandatory field", WARNING, "missing-field"),
        ("month field", WARNING, "month"),
        ("field 'month' must be", WARNING, "month"),
        ("year field", WARNING, "year"),
        ("field 'year' must be", ERROR, "year"),
        ("of date field", ERROR, "date"),
        ("Duplicate entry key", ERROR, "duplicate-key"),
        ("Invalid field", WARNING, "field-not-in-datamodel"),
        ("ISBN", WARNING, "isbn"),
        ("ISSN", WARNING, "issn"),
        ("Name", WARNING, "name"),
        ("Invalid value", WARNING, "datatype"),
        ("Overwriting field", WARNING, "duplicate-field"),
    )
    for needle, level, klass in table:
        if needle in message:
            return level, klass
    return WARNING, "other"


def biber_oracle(path: Path, index: Index, timeout: float) -> tuple[list[Verdict], list[str]]:
    """biber --tool --validate-datamodel; a syntax ERROR stops biber, so that entry is blanked and biber rerun."""
    text = path.read_text("utf-8", "replace")
    verdicts: list[Verdict] = []
    notes: list[str] = []
    for _ in range(60):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "refs.bib").write_text(text, encoding="utf-8")
            code, out, err = run(
                ["biber", "--tool", "--validate-datamodel", "--output-resolve", "--nolog", "--output-file", str(work / "out.bib"),
                 "refs.bib"], work, timeout,
            )  # fmt: skip
        if code == 124:
            return verdicts, [f"biber: {err.strip()}"]
        errors = [line for line in out.splitlines() if line.startswith("ERROR - ")]
        if not errors:
            for line in out.splitlines():
                if line.startswith("WARN - "):
                    message = line[7:]
                    found = BIBER_KEY.search(message)
                    at = BIBER_LINE.search(message)
                    key = index.key(next(g for g in found.groups() if g)) if found else index.key_at(int(at.group(1))) if at else ""
                    level, klass = biber_class(message)
                    verdicts.append(Verdict("biber", key, level, klass, message))
            return verdicts, notes
        blanked = False
        for line in errors:
            found = BIBER_LINE.search(line)
            if found:
                entry = index.at_line(int(found.group(1)))
                verdicts.append(Verdict("biber", index.key_at(int(found.group(1))), ERROR, "syntax", line[8:]))
                before, text = text, blank(text, entry, int(found.group(1)))
                blanked = blanked or text != before
            else:
                notes.append(f"biber: {line[8:]}")
        if not blanked:
            return verdicts, [*notes, "biber stopped at a line outside any entry"]
    notes.append("biber: stopped after 60 reruns")
    return verdicts, notes


# --- pandoc (citeproc's reader) ------------------------------------------------------------------

PANDOC_ERROR = re.compile(r'Error at "[^"]*" \(line (\d+), column (\d+)\):\n(.*)')
MONTH_FIELD = re.compile(r"^\s*month\s*=", re.IGNORECASE | re.MULTILINE)


def date_parts(issued: object) -> list[int]:
    """The first date's parts of a CSL ``issued`` value, as integers (empty when there are none)."""
    if not isinstance(issued, dict) or not issued.get("date-parts") or not issued["date-parts"][0]:
        return []
    try:
        return [int(part) for part in issued["date-parts"][0]]
    except (TypeError, ValueError):
        return []


def csl_oracle(path: Path, index: Index, timeout: float, reader: str) -> tuple[list[Verdict], list[str]]:
    """pandoc -f READER -t csljson: parse errors (blanked and rerun), dropped entries, types and dates citeproc gets."""
    text = path.read_text("utf-8", "replace")
    verdicts: list[Verdict] = []
    notes: list[str] = []
    records: list[dict[str, object]] = []
    for _ in range(60):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "refs.bib").write_text(text, encoding="utf-8")
            code, out, err = run(["pandoc", "-f", reader, "-t", "csljson", "refs.bib"], work, timeout)
        if code == 124:
            return verdicts, [f"pandoc: {err.strip()}"]
        if code == 0:
            records = json.loads(out or "[]")
            break
        found = PANDOC_ERROR.search(err)
        if not found:
            return verdicts, [f"pandoc exit {code}: {err.strip()[:200]}"]
        line = int(found.group(1))
        verdicts.append(Verdict("csl", index.key_at(line), ERROR, "syntax", f"pandoc: {found.group(3).strip()} at line {line}"))
        before, text = text, blank(text, index.at_line(line), line)
        if text == before:
            return verdicts, [f"pandoc stops at line {line}, outside any entry"]
    seen: Counter[str] = Counter()
    lines = path.read_text("utf-8", "replace").split("\n")
    for record in records:
        key = str(record.get("id", ""))
        seen[key] += 1
        entry = index.by_key.get(key)
        if record.get("type", "") == "" and entry and entry.kind != "misc":  # pandoc maps @misc to no type
            verdicts.append(Verdict("csl", key, WARNING, "unknown-type", "pandoc gives no CSL type: citeproc renders it as a generic item"))
        issued = record.get("issued")
        parts = date_parts(issued)
        if len(parts) >= 2 and not 1 <= parts[1] <= 12 and parts[1] < 21:
            verdicts.append(Verdict("csl", key, WARNING, "date", f"pandoc: issued month {parts[1]} is not a month"))
        if entry and len(parts) == 1 and MONTH_FIELD.search("\n".join(lines[entry.line - 1 : entry.end])):
            verdicts.append(Verdict("csl", key, WARNING, "month", "pandoc drops the month field: the date has a year only"))
    for entry in index.entries:
        if entry.key not in seen and not any(v.key == entry.key and v.klass == "syntax" for v in verdicts):
            if entry.kind not in {"xdata", "set"}:
                verdicts.append(Verdict("csl", entry.key, ERROR, "dropped", "pandoc's reader produced no item for this entry"))
    for key, count in seen.items():
        if count > 1:
            verdicts.append(Verdict("csl", key, ERROR, "duplicate-key", f"pandoc: {count} items with id {key!r}"))
    return verdicts, notes


# --- sitecheck -----------------------------------------------------------------------------------


SITECHECK_CONSUMER = {"pybtex": "pybtex", "bibtex": "bibtex", "biber": "biblatex", "csl": "csl"}


def sitecheck_findings(path: Path, index: Index, scripts: Path, timeout: float, consumer: str | None = None) -> tuple[list[Finding], list[str], float]:
    """``sitecheck refs --bib PATH --format json [--consumer C]`` from ``scripts``, in an empty folder; its findings per entry."""
    env = dict(os.environ, PYTHONPATH=str(scripts.resolve()), SITECHECK_TODAY="2026-12-06")
    cmd = [sys.executable, "-m", checker_module(scripts), "refs", "--bib", str(path.resolve()), "--format", "json"]
    if consumer:
        cmd += ["--consumer", SITECHECK_CONSUMER[consumer]]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        code, out, err = run(cmd, Path(tmp), timeout, env)
        took = time.perf_counter() - started
    if code not in (0, 1):
        return [], [f"sitecheck exit {code}: {(err or out).strip()[:300]}"], took
    findings = []
    for item in json.loads(out)["findings"]:
        line = int(item.get("line") or 0)
        named = [q for q in re.findall(r"'([^']+)'|entry with key (\S+)", item["message"]) for q in q if q]
        known = [q for q in named if q in index.by_key]
        key = index.key(known[0]) if known else index.key_at(line)
        findings.append(Finding(key, item["code"], item["severity"], item["message"], line))
    return findings, [], took


# --- comparison ----------------------------------------------------------------------------------


@dataclass
class Comparison:
    """The verdict on each sitecheck finding and each consumer rejection of one file."""

    agreed: list[tuple[Finding, str]] = field(default_factory=list)
    other: list[tuple[Finding, str]] = field(default_factory=list)
    false_alarms: list[Finding] = field(default_factory=list)
    unconfirmed_warnings: list[Finding] = field(default_factory=list)
    unjudged: list[Finding] = field(default_factory=list)
    misses: list[Verdict] = field(default_factory=list)
    missed_warnings: list[Verdict] = field(default_factory=list)
    reported_differently: list[Verdict] = field(default_factory=list)


def confirms(finding: Finding, verdicts: Iterable[Verdict]) -> list[Verdict]:
    """The verdicts on the finding's entry whose class matches what its code claims."""
    classes = CODE_CLASSES.get(finding.code, set())
    return [v for v in verdicts if v.key == finding.key and v.klass in classes]


def silently_dropped(finding: Finding, fields: dict[str, list[str]]) -> str:
    """For "a '}' closes entry X early ... starting with field F": "silent-drop" when pybtex's parse of X really lacks F."""
    found = re.search(r"closes entry '([^']+)' early.*field '([^']+)'", finding.message)
    if not found or found.group(1) not in fields:
        return ""
    return "silent-drop (pybtex, BibTeX, biber and pandoc say nothing)" if found.group(2).lower() not in fields[found.group(1)] else ""


def compare(result: FileResult) -> Comparison:
    """Sort every sitecheck finding and every target-consumer complaint of one file."""
    cmp = Comparison()
    target = [v for v in result.verdicts if v.consumer == result.consumer]
    others = [v for v in result.verdicts if v.consumer != result.consumer]
    for finding in result.findings:
        if finding.code in POLICY_CODES or (finding.code not in CODE_CLASSES and finding.code not in UNJUDGED_CODES):
            continue
        if finding.code in UNJUDGED_CODES or (finding.code == "REF015" and result.consumer != "pybtex"):
            cmp.unjudged.append(finding)
        elif dropped := silently_dropped(finding, result.fields):
            cmp.agreed.append((finding, dropped))
        elif hit := confirms(finding, target):
            cmp.agreed.append((finding, hit[0].klass))
        elif hit := confirms(finding, others):
            cmp.other.append((finding, ",".join(sorted({v.consumer for v in hit}))))
        elif finding.code == "REF015" and result.consumer == "pybtex":
            cmp.unjudged.append(finding)
        elif finding.severity == "error":
            cmp.false_alarms.append(finding)
        else:
            cmp.unconfirmed_warnings.append(finding)
    flagged: dict[str, set[str]] = defaultdict(set)
    for finding in result.findings:
        if finding.code not in POLICY_CODES:
            flagged[finding.key].add(finding.code)
    broken = {v.key for v in target if v.level == ERROR and v.klass in {"syntax", "undefined-macro"}}
    for verdict in target:
        if verdict.level == WARNING and verdict.key in broken and flagged[verdict.key]:
            continue  # what a consumer says after skipping the rest of a broken entry
        if verdict.klass in {"other", "field-not-in-datamodel", "name", "isbn", "issn", "datatype"}:
            continue
        codes = {code for code, classes in CODE_CLASSES.items() if verdict.klass in classes}
        if flagged[verdict.key] & codes:
            continue
        if verdict.level == ERROR and flagged[verdict.key]:
            cmp.reported_differently.append(verdict)
        elif verdict.level == ERROR:
            cmp.misses.append(verdict)
        else:
            cmp.missed_warnings.append(verdict)
    return cmp


# --- driving -------------------------------------------------------------------------------------

BIBLATEX_ONLY = re.compile(r"^\s*(journaltitle|date|location|langid|eprinttype|urldate|addendum)\s*=", re.IGNORECASE | re.MULTILINE)


def guess_consumer(text: str) -> str:
    """Without a manifest: biber when biblatex-only fields appear, else BibTeX."""
    return "biber" if BIBLATEX_ONLY.search(text) else "bibtex"


def check_file(path: Path, consumer: str, scripts: Path, consumers: list[str], timeout: float, pass_consumer: bool) -> FileResult:
    """Every oracle and sitecheck on one file."""
    text = path.read_text("utf-8", "replace")
    index = Index(text)
    result = FileResult(path.name, consumer, len(index.entries))
    reader = "biblatex" if consumer in {"biber", "csl"} else "bibtex"
    oracles = {
        "pybtex": lambda: pybtex_oracle(path, index, timeout, result.fields),
        "bibtex": lambda: bibtex_oracle(path, index, timeout),
        "biber": lambda: biber_oracle(path, index, timeout),
        "csl": lambda: csl_oracle(path, index, timeout, reader),
    }
    for name in consumers:
        started = time.perf_counter()
        verdicts, notes = oracles[name]()
        result.seconds[name] = round(time.perf_counter() - started, 2)
        result.verdicts += verdicts
        result.notes += notes
    result.findings, notes, took = sitecheck_findings(path, index, scripts, timeout, consumer if pass_consumer else None)
    result.seconds["sitecheck"] = round(took, 2)
    result.notes += notes
    return result


def reason(cmp: Comparison) -> str:
    """A short account of the disagreements of one file."""
    parts = []
    fa = Counter(f"{f.code} {explain_key(f)}" for f in cmp.false_alarms)
    parts += [f"FA {what} ×{n}" for what, n in fa.most_common(3)]
    other = Counter(f"{f.code} only {who}" for f, who in cmp.other)
    parts += [f"{what} ×{n}" for what, n in other.most_common(2)]
    miss = Counter(v.klass for v in cmp.misses)
    parts += [f"miss {what} ×{n}" for what, n in miss.most_common(3)]
    warn = Counter(v.klass for v in cmp.missed_warnings)
    parts += [f"miss-warn {what} ×{n}" for what, n in warn.most_common(2)]
    return "; ".join(parts) or "all agree"


def explain_key(finding: Finding) -> str:
    """The finding's message reduced to its class (field names kept, keys and values dropped)."""
    message = re.sub(r"'[^']*'", "…", finding.message)
    return message[:70]


def markdown(results: list[FileResult], label: str, manifest: dict[str, dict[str, str]]) -> str:
    """The committed table."""
    head = (
        f"# sitecheck refs against the real programs ({label})\n\n"
        "Generated by `bench/refs_oracle.py`; explanations of every disagreement class are in\n"
        "`/work/notes/refs-oracle.md` and summarised under the table. Consumer = the program the file's project\n"
        "feeds it to (from the manifest). *agreed*: the target consumer complains about the same entry in the same\n"
        "class; *other*: only another consumer does (should be a warning naming it); *FA*: no consumer does;\n"
        "*warn-unconf*: a sitecheck warning no program confirms;\n"
        "*unjudged*: identifier/page/URL checks no program performs; *miss*: the target consumer rejects or drops\n"
        "the entry and sitecheck says nothing about that entry; *miss-warn*: the consumer warns (missing field,\n"
        "month, unknown type) and sitecheck is silent.\n\n"
        "| file | source | consumer | entries | sc err | sc warn | agreed | other | FA | warn-unconf | unjudged | miss | miss-warn | reason |\n"
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
    )
    rows = []
    totals: Counter[str] = Counter()
    for result in results:
        cmp = compare(result)
        errors = sum(1 for f in result.findings if f.severity == "error" and f.code not in POLICY_CODES)
        warnings = sum(1 for f in result.findings if f.severity == "warning")
        source = manifest.get(result.file, {}).get("repo", "")
        counts = {
            "entries": result.entries, "errors": errors, "warnings": warnings, "agreed": len(cmp.agreed),
            "other": len(cmp.other), "fa": len(cmp.false_alarms), "wu": len(cmp.unconfirmed_warnings), "unjudged": len(cmp.unjudged),
            "miss": len(cmp.misses), "misswarn": len(cmp.missed_warnings),
        }  # fmt: skip
        totals.update(counts)
        note = reason(cmp) + ("; " + "; ".join(result.notes[:2]) if result.notes else "")
        rows.append(
            f"| {result.file} | {source} | {result.consumer} | {result.entries} | {errors} | {warnings} | "
            f"{len(cmp.agreed)} | {len(cmp.other)} | {len(cmp.false_alarms)} | {len(cmp.unconfirmed_warnings)} | {len(cmp.unjudged)} | "
            f"{len(cmp.misses)} | {len(cmp.missed_warnings)} | {note.replace('|', '/')} |"
        )
    rows.append(
        f"| **total** ({len(results)} files) | | | {totals['entries']} | {totals['errors']} | {totals['warnings']} | "
        f"{totals['agreed']} | {totals['other']} | {totals['fa']} | {totals['wu']} | {totals['unjudged']} | {totals['miss']} | "
        f"{totals['misswarn']} | |"
    )
    return head + "\n".join(rows) + "\n\n" + summary(results)


def summary(results: list[FileResult]) -> str:
    """Per-consumer rejection counts and the disagreement classes over all files."""
    lines = ["## Per consumer (all files, every consumer run on every file)\n",
             "| consumer | entries with an error | entries with a warning | seconds |", "|---|---:|---:|---:|"]  # fmt: skip
    for consumer in CONSUMERS:
        errors = {(r.file, v.key) for r in results for v in r.verdicts if v.consumer == consumer and v.level == ERROR}
        warnings = {(r.file, v.key) for r in results for v in r.verdicts if v.consumer == consumer and v.level == WARNING}
        seconds = sum(r.seconds.get(consumer, 0.0) for r in results)
        lines.append(f"| {consumer} | {len(errors)} | {len(warnings)} | {seconds:.0f} |")
    seconds = sum(r.seconds.get("sitecheck", 0.0) for r in results)
    lines.append(f"| sitecheck (findings, all codes) | {sum(len(r.findings) for r in results)} | | {seconds:.0f} |")
    fa: Counter[str] = Counter()
    other: Counter[str] = Counter()
    miss: Counter[str] = Counter()
    for result in results:
        cmp = compare(result)
        fa.update(f"{f.code} {explain_key(f)} [{result.consumer}]" for f in cmp.false_alarms)
        other.update(f"{f.code} [{result.consumer}] only {who}" for f, who in cmp.other)
        miss.update(f"{v.consumer} {v.klass} ({v.level})" for v in cmp.misses + cmp.missed_warnings)
    lines += ["\n## False alarms by class\n", "| n | class [target consumer] |", "|---:|---|"]
    lines += [f"| {n} | {what.replace('|', '/')} |" for what, n in fa.most_common(40)]
    lines += ["\n## Findings confirmed only by another consumer\n", "| n | class |", "|---:|---|"]
    lines += [f"| {n} | {what} |" for what, n in other.most_common(20)]
    lines += ["\n## Misses by class (target consumer)\n", "| n | class |", "|---:|---|"]
    lines += [f"| {n} | {what} |" for what, n in miss.most_common(30)]
    return "\n".join(lines) + "\n"


def counts(result: FileResult) -> tuple[int, ...]:
    """Errors, warnings, agreed, other-consumer, false alarms, unconfirmed warnings, misses, missed warnings."""
    cmp = compare(result)
    errors = sum(1 for f in result.findings if f.severity == "error" and f.code not in POLICY_CODES)
    warnings = sum(1 for f in result.findings if f.severity == "warning")
    return (errors, warnings, len(cmp.agreed), len(cmp.other), len(cmp.false_alarms), len(cmp.unconfirmed_warnings),
            len(cmp.misses), len(cmp.missed_warnings))  # fmt: skip


def before_after(before: list[FileResult], after: list[FileResult], before_label: str, after_label: str) -> str:
    """One row per file: the counts of ``before`` and ``after`` side by side, judged by the same verdicts."""
    names = ("err", "warn", "agreed", "other", "FA", "warn-unconf", "miss", "miss-warn")
    old = {r.file: counts(r) for r in before}
    lines = [
        f"# Before / after: {before_label} → {after_label}\n",
        "Each cell is before → after, judged by the same program verdicts (errors exclude the REF020 policy).\n",
        "| file | consumer | entries | " + " | ".join(names) + " |",
        "|---|---|---:|" + "---:|" * len(names),
    ]
    totals_old: Counter[str] = Counter()
    totals_new: Counter[str] = Counter()
    for result in after:
        new = counts(result)
        prev = old.get(result.file, tuple(0 for _ in names))
        totals_old.update(dict(zip(names, prev, strict=True)))
        totals_new.update(dict(zip(names, new, strict=True)))
        cells = " | ".join(f"{a} → {b}" if a != b else str(a) for a, b in zip(prev, new, strict=True))
        lines.append(f"| {result.file} | {result.consumer} | {result.entries} | {cells} |")
    cells = " | ".join(f"{totals_old[n]} → {totals_new[n]}" for n in names)
    lines.append(f"| **total** | | {sum(r.entries for r in after)} | {cells} |")
    return "\n".join(lines) + "\n"


def loaded(item: dict[str, object], bib_dir: Path) -> FileResult:
    """A FileResult read back from the JSON output (pandoc's no-type verdicts on @misc dropped: that is its mapping)."""
    result = FileResult(**item)  # type: ignore[arg-type]
    result.verdicts = [Verdict(**v) for v in item["verdicts"]]  # type: ignore[attr-defined]
    result.findings = [Finding(**f) for f in item["findings"]]  # type: ignore[attr-defined]
    for verdict in result.verdicts:
        if verdict.consumer == "biber" and verdict.klass not in {"syntax", "undefined-macro"}:
            verdict.level, verdict.klass = biber_class(verdict.message)
    path = bib_dir / result.file
    if path.exists():
        kinds = {e.key: e.kind for e in Index(path.read_text("utf-8", "replace")).entries}
        result.verdicts = [
            v for v in result.verdicts
            if not (v.consumer == "csl" and v.klass == "unknown-type" and kinds.get(v.key) == "misc")
        ]  # fmt: skip
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the oracles and sitecheck on a folder of .bib files and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bib-dir", type=Path, default=Path("/work/corpus/bib"))
    parser.add_argument("--manifest", type=Path, help="JSON list of {file, repo, consumer, ...}")
    parser.add_argument("--sitecheck", type=Path, default=Path(__file__).resolve().parent.parent / "scripts",
                        help="the scripts dir whose sitecheck package is under test")  # fmt: skip
    parser.add_argument("--consumers", default=",".join(CONSUMERS))
    parser.add_argument("--timeout", type=float, default=400.0, help="seconds per program call")
    parser.add_argument("--only", action="append", default=[], help="check only this file name (repeatable)")
    parser.add_argument("--label", default="sitecheck under test")
    parser.add_argument("--pass-consumer", action="store_true", help="tell sitecheck the file's consumer (--consumer; refs branch)")
    parser.add_argument("--md", type=Path, help="write the Markdown table here")
    parser.add_argument("--json", type=Path, help="write every verdict and finding here")
    parser.add_argument("--pybtex-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--from-json", type=Path, help="re-render the table from a JSON file this script wrote")
    parser.add_argument("--before", type=Path, help="with --from-json: a JSON of the same files from another sitecheck")
    parser.add_argument("--before-label", default="before")
    parser.add_argument("--verdicts-from", type=Path, help="with --from-json: take the programs' verdicts from this JSON")
    args = parser.parse_args(argv)
    if args.pybtex_child:
        print(json.dumps(pybtex_verdicts_here(args.pybtex_child)))
        return 0
    manifest: dict[str, dict[str, str]] = {}
    if args.manifest:
        manifest = {row["file"]: row for row in json.loads(args.manifest.read_text())}
    if args.from_json:
        results = [loaded(item, args.bib_dir) for item in json.loads(args.from_json.read_text())]
        for result in results:  # the manifest's consumer is the one judged (it may have been corrected since)
            result.consumer = manifest.get(result.file, {}).get("consumer", result.consumer)
        oracle: dict[str, FileResult] = {}
        if args.verdicts_from:
            oracle = {r.file: r for r in (loaded(item, args.bib_dir) for item in json.loads(args.verdicts_from.read_text()))}
            for result in results:
                if result.file in oracle:
                    result.verdicts, result.fields = oracle[result.file].verdicts, oracle[result.file].fields
                    result.notes += oracle[result.file].notes
                    result.seconds = {**oracle[result.file].seconds, "sitecheck": result.seconds.get("sitecheck", 0.0)}
        text = markdown(results, args.label, manifest)
        if args.before:
            before = [loaded(item, args.bib_dir) for item in json.loads(args.before.read_text())]
            for result in before:
                result.consumer = manifest.get(result.file, {}).get("consumer", result.consumer)
                if args.verdicts_from and result.file in oracle:
                    result.verdicts, result.fields = oracle[result.file].verdicts, oracle[result.file].fields
            text = before_after(before, results, args.before_label, args.label) + "\n" + text
        if args.md:
            args.md.write_text(text)
        return 0
    files = sorted(args.bib_dir.glob("*.bib"))
    if args.only:
        files = [f for f in files if f.name in args.only]
    consumers = [c for c in args.consumers.split(",") if c]
    results = []
    for path in files:
        consumer = manifest.get(path.name, {}).get("consumer") or guess_consumer(path.read_text("utf-8", "replace"))
        started = time.perf_counter()
        result = check_file(path, consumer, args.sitecheck, consumers, args.timeout, args.pass_consumer)
        cmp = compare(result)
        print(
            f"{path.name}: {result.entries} entries, {len(result.findings)} findings; agreed {len(cmp.agreed)}, "
            f"other {len(cmp.other)}, FA {len(cmp.false_alarms)}, miss {len(cmp.misses)}+{len(cmp.missed_warnings)}w "
            f"({time.perf_counter() - started:.1f} s) {'; '.join(result.notes)}",
            flush=True,
        )
        results.append(result)
        if args.json:  # after every file, so an interrupted run keeps what it measured
            args.json.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=0))
    if args.md:
        args.md.write_text(markdown(results, args.label, manifest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
