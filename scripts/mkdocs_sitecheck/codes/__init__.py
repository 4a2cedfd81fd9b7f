"""The one table of sitecheck codes, the one ``finding()`` helper, and the codes' explanation pages.

Every code every check reports is defined here, once: its default severity, a one-line summary,
the check that reports it, and whether it is a *policy* of the site rather than a defect of the
file. Each code has an explanation page ``<CODE>.md`` beside this file (``sitecheck explain``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mkdocs_sitecheck.findings import Finding, Severity

PAGES = Path(__file__).parent
CODE_FORM = re.compile(r"[A-Z]{3}[0-9]{3}")
INFO_URI = "https://github.com/ketamine-guide/ketamine-guide#readme"
HELP_URI = "https://github.com/ketamine-guide/ketamine-guide/blob/main/scripts/mkdocs_sitecheck/codes/{code}.md"
PAGE_SECTIONS = ("## What it means", "## Why it matters", "## How to fix", "## Example")
# Appended to a policy code's summary in code tables, and (with how to turn it off) to its messages.
POLICY_MARK = " [site policy, not a BibTeX error]"


@dataclass(frozen=True)
class Code:
    """One registered code: its default severity, one-line summary, the check that reports it.

    ``policy`` marks a rule of this site rather than a defect of the file (a policy finding says how to turn it off).
    """

    code: str
    severity: Severity
    summary: str
    check: str
    policy: bool = False

    @property
    def page(self) -> Path:
        """The code's explanation page."""
        return PAGES / f"{self.code}.md"


class RegistryError(Exception):
    """The code tables contradict each other: a programming error, caught by the tests."""


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
_LINKS, _REFS, _POLICY = "links", "refs", "policy"

# (code, default severity, summary, check, policy). A new code adds one line here and one page beside this file.
TABLE: tuple[tuple[str, Severity, str, str, bool], ...] = (
    ("LNK001", E, "link target (page, image or file) does not exist", _LINKS, False),
    ("LNK002", E, "link target is outside docs_dir, so it is not published", _LINKS, False),
    ("LNK003", E, "link target differs from the file name only in case (works locally, 404 on the server)", _LINKS, False),
    ("LNK004", E, "link to a built URL (.html, folder/) where a .md page exists: link the .md file", _LINKS, False),
    ("LNK005", E, "absolute path link (/...): MkDocs leaves it as is and it breaks under a sub-path", _LINKS, False),
    ("LNK006", E, "anchor (#id) does not exist on the target page", _LINKS, False),
    ("LNK007", E, "anchor differs from an existing id only in case (ids are case-sensitive)", _LINKS, False),
    ("LNK008", E, "reference-style link [text][label] whose label has no definition", _LINKS, False),
    ("LNK009", W, "reference definition [label]: url that no link uses", _LINKS, False),
    ("LNK010", E, "footnote reference [^label] without a definition on the page", _LINKS, False),
    ("LNK011", W, "footnote definition [^label]: that nothing references", _LINKS, False),
    ("LNK012", E, "nav entry in mkdocs.yml points to a file that does not exist", _LINKS, False),
    ("LNK013", W, "page is in no nav entry (orphan); an error when the strict build fails on it", _LINKS, False),
    ("LNK014", E, "javascript:, vbscript: or data: URL in a link", _LINKS, False),
    ("LNK015", E, "snippet (--8<--) file not found in the snippets base_path", _LINKS, False),
    ("LNK016", E, "raw HTML link to a source path: MkDocs rewrites only Markdown links, so it 404s", _LINKS, False),
    ("LNK017", I, "autorefs cross-reference no heading or ::: object on this site has; it may be in an imported inventory", _LINKS, False),
    ("LNK018", W, "anchor missing on a page whose ::: blocks a plugin that is not installed would render", _LINKS, False),
    ("LNK019", W, "a plugin, theme or Markdown extension mkdocs.yml names is not installed: what it could change is a warning", _LINKS, False),
    ("LNK020", E, "generated HTML (--site-dir): href or src points to a missing file", _LINKS, False),
    ("LNK021", E, "generated HTML (--site-dir): #fragment has no matching id on the target page", _LINKS, False),
    ("LNK022", E, "generated HTML (--site-dir): the same id appears twice on a page", _LINKS, False),
    ("LNK023", E, "generated HTML (--site-dir): unprocessed [@key], [^label] or \\bibliography text", _LINKS, False),
    ("LNK024", E, "page too large to render (over 10 MB): split it", _LINKS, False),
    ("LNK025", E, "MkDocs cannot render the page (an extension raised): the build fails on it", _LINKS, False),
    ("LNK026", E, "two pages are published at the same URL: one overwrites the other", _LINKS, False),
    ("LNK030", W, "external link (--external) is broken or unreachable; an error with --strict-external", _LINKS, False),
    ("CIT001", E, "citation key [@key] is not in the bibliography", _LINKS, False),
    ("CIT002", E, "citation key has characters mkdocs-bibtex cannot parse (it reads only [A-Za-z0-9_-] and \\w)", _LINKS, False),
    ("CIT003", W, "bibliography entry is never cited nor linked (#ref-KEY)", _LINKS, False),
    ("CIT004", W, "citation key differs from the bibliography's only in case (pybtex matches it anyway)", _LINKS, False),
    ("CIT005", W, "citation-like text in code: mkdocs-bibtex rewrites it there too", _LINKS, False),
    ("CIT006", E, "<!-- bibliography: KEYWORD --> marker matches no refs.bib entry", _LINKS, False),
    ("REV001", W, "page is past its next_review date", _LINKS, False),
    ("REV002", E, "review date missing or invalid", _LINKS, False),
    # sitecheck refs, offline: the .bib file itself.
    ("REF001", E, "malformed BibTeX entry (the rest of the file is still checked)", _REFS, False),
    ("REF002", E, "a field the entry type requires is missing or empty", _REFS, False),
    ("REF003", W, "unknown entry type", _REFS, False),
    ("REF004", E, "a field's value swallowed the next field: a comma is missing", _REFS, False),
    ("REF005", E, "invalid DOI", _REFS, False),
    ("REF006", E, "invalid PMID", _REFS, False),
    ("REF007", E, "invalid PMCID", _REFS, False),
    ("REF008", E, "invalid ISBN (form or check digit)", _REFS, False),
    ("REF009", E, "invalid ISSN (form or check digit)", _REFS, False),
    ("REF010", E, "invalid URL", _REFS, False),
    ("REF011", E, "implausible year", _REFS, False),
    ("REF012", E, "invalid page range", _REFS, False),
    ("REF013", E, "duplicate key (mkdocs-bibtex matches keys case-insensitively)", _REFS, False),
    ("REF014", E, "the same DOI, PMID or PMCID in two entries", _REFS, False),
    ("REF015", E, "key mkdocs-bibtex cannot cite (use letters, digits, '_' and '-')", _REFS, False),
    ("REF016", E, "malformed acknowledgement: write verification = {STATUS: reason}", _REFS, False),
    ("REF017", E, "mkdocs-bibtex's parser (pybtex, strict) rejects this or drops fields: the site build fails", _REFS, False),
    ("REF018", E, "month the consumer cannot read (biber ignores it, pandoc leaves it out): month = jan … dec or 1-12", _REFS, False),
    ("REF019", W, "an identifier (DOI, arXiv id, PMID, PMCID, ISBN) in another field: move it to its own", _REFS, False),
    # sitecheck refs: one status flag per entry, notes on its record, acknowledgements.
    ("REF020", E, "unverifiable: no identifier or official URL, or no source has a confident match", _REFS, True),
    ("REF021", E, "not_found: the DOI, PMID, PMCID or URL does not exist", _REFS, False),
    ("REF022", E, "mismatch: the entry disagrees with the record its identifier names", _REFS, False),
    ("REF023", W, "minor difference from the record (year off by one, small title change, co-author)", _REFS, False),
    ("REF024", E, "retracted (or withdrawn or removed)", _REFS, False),
    ("REF025", W, "expression of concern or partial retraction", _REFS, False),
    ("REF026", I, "correction or erratum published", _REFS, False),
    ("REF027", W, "incomplete: a source could not be reached, so the entry was not judged (exit 3)", _REFS, False),
    ("REF028", I, "verified without an identifier: add the DOI/PMID found", _REFS, False),
    ("REF029", W, "the DOI exists but no registry has metadata to compare", _REFS, False),
    ("REF030", I, "acknowledged flag: kept on purpose, shown as not verified on the site", _REFS, False),
    ("REF031", W, "stale acknowledgement: the check now finds another status", _REFS, False),
    ("REF032", W, "the identifier names a notice (retraction, correction…), not the article", _REFS, False),
    ("REF033", E, "the same work under two keys (same title, first author and year; no identifier tells them apart)", _REFS, False),
    ("REF034", W, "an arXiv preprint written as a journal (Google Scholar style): use eprint and @misc", _REFS, False),
    ("REF035", E, "a bare '%' in a value: pandoc reads it as a comment (cuts the value, or loses the entries after it)", _REFS, False),
    ("REF040", W, "entry URL not fetched: it points at a loopback, private, link-local or metadata address", _REFS, False),
    ("REF041", W, "arXiv DOI with a version suffix (v2): arXiv's DOIs name the paper, not a version", _REFS, False),
    # Every run: the project's ignore comments.
    ("SCK001", E, "ignore comment names a code that does not exist (or names none)", _POLICY, False),
    ("SCK002", W, "ignore comment suppresses nothing: remove it, or the code from it", _POLICY, False),
)


@lru_cache(maxsize=1)
def registry() -> dict[str, Code]:
    """Every code of every check, in table order, after checking that codes are unique and well formed."""
    codes: dict[str, Code] = {}
    for code, severity, summary, check, policy in TABLE:
        if not CODE_FORM.fullmatch(code):
            raise RegistryError(f"code {code!r} is not three capitals and three digits")
        if code in codes:
            raise RegistryError(f"code {code} is defined twice")
        if not summary:
            raise RegistryError(f"code {code} needs a summary")
        codes[code] = Code(code, severity, summary, check, policy)
    return codes


def finding(
    path: str,
    line: int,
    column: int,
    code: str,
    message: str,
    suggestion: str | None = None,
    severity: Severity | None = None,
    subject: str = "",
) -> Finding:
    """A Finding with its code's default severity (unless one is given); an unknown code is a bug (KeyError)."""
    return Finding(path, line, column, code, severity or registry()[code].severity, message, suggestion, subject)


def policy_note(code: str) -> str:
    """What a policy finding's message ends with: that it is the site's rule, and how to turn it off."""
    return f'{POLICY_MARK[:-1]}; to turn it off: [tool.sitecheck.severity] {code} = "off"]'


def problems() -> list[str]:
    """What is wrong with the registry and its pages (empty when all is well)."""
    try:
        codes = registry()
    except RegistryError as exc:
        return [str(exc)]
    found = []
    for code in codes.values():
        if not code.page.is_file():
            found.append(f"{code.code}: no explanation page {code.page.name}")
            continue
        text = code.page.read_text(encoding="utf-8")
        if not text.startswith(f"# {code.code}"):
            found.append(f"{code.page.name}: must start with '# {code.code}'")
        found += [f"{code.page.name}: missing section '{s}'" for s in PAGE_SECTIONS if s not in text]
    orphans = {p.stem for p in PAGES.glob("*.md")} - set(codes)
    found += [f"{name}.md: explains a code no check defines" for name in sorted(orphans)]
    return found


def code_table(check: str | None = None) -> str:
    """``CODE  severity  summary`` lines (policy codes marked), for one check or all of them."""
    return "".join(
        f"{c.code}  {c.severity.value:<7}  {c.summary}{POLICY_MARK if c.policy else ''}\n" for c in registry().values() if check is None or c.check == check
    )


def explain(code: str) -> str | None:
    """The explanation page of a code (any case), headed by its default severity; None when unknown."""
    entry = registry().get(code.upper())
    if entry is None:
        return None
    text = entry.page.read_text(encoding="utf-8").rstrip("\n")
    body = text.partition("\n")[2]
    by = "every run" if entry.check == "policy" else f"`sitecheck {entry.check}`"
    return f"# {entry.code}: {entry.summary}\n\nDefault severity: {entry.severity.value}; reported by {by}.\n{body}\n"


def suggest_code(word: str) -> str | None:
    """The registered code a mistyped one most likely means: case and zero padding first, then spelling."""
    from mkdocs_sitecheck.suggest import closest

    match = re.fullmatch(r"([A-Za-z]+)0*([0-9]+)", word.strip())
    if match:
        padded = f"{match.group(1).upper()}{int(match.group(2)):03d}"
        if padded in registry():
            return padded
    return closest(word.upper(), registry())
