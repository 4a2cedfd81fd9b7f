"""Which program reads the bibliography (its *consumer*), and how a finding is judged by it.

A finding is an error only when the consumer rejects the entry or renders it wrongly; what
another consumer would object to is a warning that names that consumer. The consumers:

- ``pybtex``: pybtex as mkdocs-bibtex drives it (``parse_file``, strict; the ``plain`` style
  formats each entry unless a ``csl_file`` hands formatting to pandoc); Sphinx's sphinxcontrib-bibtex
  and Jupyter Book (which uses it) read the file with pybtex too, and its styles differ from ``plain``
  only in labels and sorting;
- ``bibtex``: BibTeX with the standard styles (btxdoc);
- ``biblatex``: biblatex with biber (the biblatex manual, biber's own warnings);
- ``csl``: pandoc/citeproc (Quarto, and anything that runs ``pandoc --citeproc``).

Chosen, first match wins: ``--consumer``; ``[tool.sitecheck] consumer`` in pyproject.toml;
the site's mkdocs.yml using the bibtex plugin on this file; a ``_quarto.yml`` (csl), a Jupyter
Book ``_config.yml`` + ``_toc.yml`` or a Sphinx ``conf.py`` loading sphinxcontrib.bibtex (pybtex)
beside the file; biblatex-only fields or types in the entries; otherwise BibTeX.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mkdocs_sitecheck.bib import Bibliography
from mkdocs_sitecheck.findings import Finding, Severity, UsageError
from mkdocs_sitecheck.project import Project

NAMES = {
    "pybtex": "pybtex (mkdocs-bibtex)",
    "bibtex": "BibTeX",
    "biblatex": "biblatex/biber",
    "csl": "pandoc/citeproc (CSL)",
}
CHOICES = tuple(NAMES)
ALL = frozenset(NAMES)
# Fields and types only biblatex reads: their presence says the file is written for biblatex.
BIBLATEX_FIELDS = frozenset({
    "journaltitle", "location", "eprinttype", "maintitle", "origdate", "eventdate", "eventtitle", "shorthand", "langid",
    "addendum", "pubstate", "gender", "journalsubtitle", "subtitle",
})  # fmt: skip
BIBLATEX_TYPES = frozenset({"online", "report", "thesis", "mvbook", "collection", "mvcollection", "reference",
                            "inreference", "bookinbook", "suppbook", "suppcollection", "dataset", "software",
                            "periodical", "set", "xdata", "newspaper"})  # fmt: skip


@dataclass(frozen=True)
class Consumer:
    """The program the verdicts are for, and why it was chosen (shown in the report)."""

    name: str
    why: str
    formats: bool = True  # pybtex only: whether pybtex's plain style formats the entries (no csl_file)
    biblatex_file: bool = False  # the entries use biblatex-only fields or types (pandoc reads either dialect)

    @property
    def label(self) -> str:
        """The consumer's name in messages."""
        return NAMES[self.name]


def choose_consumer(requested: str | None, project: Project, bib_path: Path, bib: Bibliography) -> Consumer:
    """The consumer named on the command line or in pyproject.toml, else the one the context shows."""
    options = project.plugin_options("bibtex")
    formats = not (options or {}).get("csl_file")
    marker = _biblatex_marker(bib)
    if requested:
        return Consumer(requested, "--consumer", formats, bool(marker))
    configured = _configured(project.root / "pyproject.toml")
    if configured:
        return Consumer(configured, "[tool.sitecheck] consumer", formats, bool(marker))
    if options is not None and project.bib_file is not None and _same(project.bib_file, bib_path):
        how = "formats with its plain style" if formats else "formats with pandoc (csl_file)"
        return Consumer("pybtex", f"mkdocs.yml uses the bibtex plugin on this file (pybtex parses it, {how})", formats)
    if found := _project_beside(bib_path, project.root):
        name, why = found
        return Consumer(name, why, biblatex_file=bool(marker))
    if marker:
        return Consumer("biblatex", marker, biblatex_file=True)
    return Consumer("bibtex", "no site, project or biblatex field says otherwise")


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name one file."""
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _configured(pyproject: Path) -> str | None:
    """``[tool.sitecheck] consumer``, checked; None when it is not set."""
    if not pyproject.is_file():
        return None
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # the project loader reports an unreadable pyproject.toml
    table = data.get("tool", {}).get("sitecheck", {})
    value = table.get("consumer") if isinstance(table, dict) else None
    if value is None:
        return None
    if value not in NAMES:
        raise UsageError(f"{pyproject}: [tool.sitecheck] consumer = {value!r}: use one of {', '.join(CHOICES)}")
    return str(value)


def _project_beside(bib_path: Path, root: Path) -> tuple[str, str] | None:
    """The consumer and why, from a Quarto, Jupyter Book or Sphinx project in the file's folder or one above it."""
    folder = bib_path.resolve().parent
    for candidate in [folder, *folder.parents][:3]:
        if (candidate / "_quarto.yml").is_file():
            return "csl", f"{candidate.name or candidate}/_quarto.yml: a Quarto project (pandoc/citeproc)"
        if (candidate / "_config.yml").is_file() and (candidate / "_toc.yml").is_file():
            return "pybtex", f"{candidate.name or candidate}/_config.yml and _toc.yml: a Jupyter Book (sphinxcontrib-bibtex, pybtex)"
        conf = candidate / "conf.py"
        if conf.is_file() and "sphinxcontrib.bibtex" in conf.read_text(encoding="utf-8", errors="replace"):
            return "pybtex", f"{candidate.name or candidate}/conf.py loads sphinxcontrib.bibtex: a Sphinx project (pybtex)"
        if candidate == root:
            break
    return None


def _biblatex_marker(bib: Bibliography) -> str | None:
    """Why the entries look written for biblatex (a biblatex-only field or type), or None."""
    for entry in bib.entries:
        if entry.entry_type in BIBLATEX_TYPES:
            return f"'{entry.key}' (line {entry.line}) is a biblatex type (@{entry.entry_type})"
        fields = BIBLATEX_FIELDS & entry.fields.keys()
        if "date" in entry.fields and "year" not in entry.fields:
            fields = fields | {"date"}
        if fields:
            return f"'{entry.key}' (line {entry.line}) has the biblatex field {sorted(fields)[0]}"
    return None


def same_dialect(consumer: Consumer, objectors: Iterable[str]) -> set[str]:
    """The objectors that read the consumer's dialect: a BibTeX file is not judged by biblatex's types and fields, nor the reverse."""
    biblatex = consumer.name == "biblatex" or (consumer.name == "csl" and consumer.biblatex_file)
    dialect = {"biblatex", "csl"} if biblatex else {"pybtex", "bibtex", "csl"}
    return set(objectors) & dialect


def judge(found: Finding, objectors: Iterable[str], consumer: Consumer) -> Finding | None:
    """The finding as the consumer sees it: as is when it objects, a warning naming the others, or nothing."""
    others = [name for name in CHOICES if name in set(objectors)]
    if consumer.name in others:
        return found
    if not others:
        return None
    names = ", ".join(NAMES[name] for name in others)
    message = f"{found.message} [{names} would object; {consumer.label} accepts it]"
    return dataclasses.replace(found, severity=Severity.WARNING, message=message)
