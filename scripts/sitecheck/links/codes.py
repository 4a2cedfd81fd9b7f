"""Every code `sitecheck links` reports, its default severity and a one-line description."""

from __future__ import annotations

from sitecheck.findings import Finding, Severity

E, W = Severity.ERROR, Severity.WARNING

CODES: dict[str, tuple[Severity, str]] = {
    "LNK001": (E, "link target (page, image or file) does not exist"),
    "LNK002": (E, "link target is outside docs_dir, so it is not published"),
    "LNK003": (E, "link target differs from the file name only in case (works locally, 404 on the server)"),
    "LNK004": (E, "link to a built URL (.html, folder/) where a .md page exists: link the .md file"),
    "LNK005": (E, "absolute path link (/...): MkDocs leaves it as is and it breaks under a sub-path"),
    "LNK006": (E, "anchor (#id) does not exist on the target page"),
    "LNK007": (E, "anchor differs from an existing id only in case (ids are case-sensitive)"),
    "LNK008": (E, "reference-style link [text][label] whose label has no definition"),
    "LNK009": (W, "reference definition [label]: url that no link uses"),
    "LNK010": (E, "footnote reference [^label] without a definition on the page"),
    "LNK011": (W, "footnote definition [^label]: that nothing references"),
    "LNK012": (E, "nav entry in mkdocs.yml points to a file that does not exist"),
    "LNK013": (W, "page is in no nav entry (orphan); an error when the strict build fails on it"),
    "LNK014": (E, "javascript:, vbscript: or data: URL in a link"),
    "LNK015": (E, "snippet (--8<--) file not found in the snippets base_path"),
    "LNK016": (E, "raw HTML link to a source path: MkDocs rewrites only Markdown links, so it 404s"),
    "LNK017": (W, "autorefs cross-reference whose identifier no heading or ::: object on this site has"),
    "LNK018": (W, "anchor or label missing where generated content (::: blocks, hooks) is only known after a build"),
    "LNK020": (E, "generated HTML (--site-dir): href or src points to a missing file"),
    "LNK021": (E, "generated HTML (--site-dir): #fragment has no matching id on the target page"),
    "LNK022": (E, "generated HTML (--site-dir): the same id appears twice on a page"),
    "LNK023": (E, "generated HTML (--site-dir): unprocessed [@key], [^label] or \\bibliography text"),
    "LNK030": (W, "external link (--external) is broken or unreachable; an error with --strict-external"),
    "CIT001": (E, "citation key [@key] is not in the bibliography"),
    "CIT002": (E, "citation key has characters mkdocs-bibtex cannot parse (it reads only [A-Za-z0-9_-] and \\w)"),
    "CIT003": (W, "bibliography entry is never cited nor linked (#ref-KEY)"),
    "CIT004": (W, "citation key differs from the bibliography's only in case (pybtex matches it anyway)"),
    "CIT005": (W, "citation-like text in code: mkdocs-bibtex rewrites it there too"),
    "CIT006": (E, "<!-- bibliography: KEYWORD --> marker matches no refs.bib entry"),
}


def finding(
    path: str,
    line: int,
    column: int,
    code: str,
    message: str,
    suggestion: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A Finding with the code's default severity (unless one is given)."""
    return Finding(path, line, column, code, severity or CODES[code][0], message, suggestion)


def code_table() -> str:
    """The ``--list-codes`` text: one ``CODE  severity  description`` line per code."""
    return "".join(f"{code}  {sev.value:<7}  {text}\n" for code, (sev, text) in CODES.items())
