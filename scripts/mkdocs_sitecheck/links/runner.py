"""Run the links check over a whole site: pages in parallel, then the checks that span pages."""

from __future__ import annotations

import gc
import multiprocessing
import os
import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from mkdocs_sitecheck.codes import finding
from mkdocs_sitecheck.findings import Finding, Severity
from mkdocs_sitecheck.links.config import DocsIndex, SiteConfig, find_link_loops, index_docs
from mkdocs_sitecheck.links.engine import Built, Locator, Rendered, build_pages, label_key
from mkdocs_sitecheck.links.nav import (
    check_auto_append,
    check_nav,
    check_orphans,
    config_nodes,
    nav_file_entries,
)
from mkdocs_sitecheck.links.pages import PageChecker, PageData
from mkdocs_sitecheck.links.review import check_review_dates
from mkdocs_sitecheck.links.slugs import toc_slugify
from mkdocs_sitecheck.project import Project
from mkdocs_sitecheck.suggest import Suggester, closest

PARALLEL_FROM = 400  # pages; below this a worker pool costs more than it saves
_CHECKER: PageChecker | None = None  # set before forking; workers inherit it


@dataclass
class SiteResult:
    """Everything the offline check found, plus what --external needs."""

    findings: list[Finding]
    pages: list[PageData]
    index: DocsIndex
    links: int


def _check_chunk(srcs: list[str]) -> list[PageData]:
    """Worker: check a chunk of pages with the inherited checker (freeing each page's garbage as it goes)."""
    assert _CHECKER is not None
    results = []
    for number, src in enumerate(srcs, 1):
        results.append(_CHECKER.check(src))
        if number % 100 == 0:
            gc.collect()
    return results


def default_jobs() -> int:
    """Worker processes to use by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def check_pages(checker: PageChecker, srcs: list[str], jobs: int) -> list[PageData]:
    """Check every page, in ``jobs`` forked workers when that pays off."""
    global _CHECKER
    if jobs <= 1 or len(srcs) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return [checker.check(src) for src in srcs]
    size = max(50, len(srcs) // (jobs * 8))
    chunks = [srcs[i : i + size] for i in range(0, len(srcs), size)]
    _CHECKER = checker
    gc.collect()
    gc.freeze()  # the workers share what exists now instead of copying it when a collection touches it
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_check_chunk, chunks, chunksize=1)
    finally:
        _CHECKER = None
        gc.unfreeze()
    return [page for chunk in results for page in chunk]


class _Pages:
    """Checks each page as the build hands it over, keeping only what the checks across pages need."""

    def __init__(self, site: SiteConfig, external: bool, generators_ran: bool = False) -> None:
        self.site = site
        self.external = external
        self.generators_ran = generators_ran  # the site's ``:::`` generators are installed: rendered ids are final
        self.built = Built()
        self.index: DocsIndex | None = None
        self.checker: PageChecker | None = None
        self.done: dict[str, PageData] = {}
        self.pages: set[str] = set()  # the index's pages (others rendered, such as generated ones, only cite)
        self.cited: set[str] = set()
        self.notes = footnote_keys(site)

    def begin(self, built: Built) -> None:
        """Index the docs with the files, URLs and redirects the build knows."""
        self.built = built
        self.index = index_docs(self.site, built.files, built.urls, built.redirects)
        self.checker = PageChecker(self.site, self.index, external=self.external)
        self.pages = set(self.index.pages)

    def page(self, src: str, rendered: Rendered) -> None:
        """Check one rendered page against its source, then let the render go."""
        assert self.checker is not None
        self.cited |= rendered_citations(self.site, rendered, self.notes)
        if rendered.outside and src not in self.pages:  # merged from another folder: checked at its own file
            self.site.merged(src, Path(rendered.outside))
        elif src not in self.pages:
            return
        self.checker.rendered = {src: rendered}
        try:
            page = self.checker.check(src)
            rendered_links(self.checker, page, rendered)
        finally:
            self.checker.rendered = {}
        page.ids = sorted(rendered.ids)  # what the build wrote, not what the source parse expects
        page.final_ids = self.generators_ran
        page.findings = [f for f in page.findings if confirmed(f, rendered)]
        page.urls, page.md_urls = [], []  # only needed to match the render's links
        self.done[src] = page

    def finish(self, jobs: int) -> list[PageData]:
        """Every page's results in the index's order: those the build did not render checked from source."""
        if self.checker is None:
            self.begin(self.built)
        assert self.index is not None and self.checker is not None
        order = self.index.pages + sorted(self.site.outside)
        rest = [src for src in order if src not in self.done]
        self.done.update((page.src, page) for page in check_pages(self.checker, rest, jobs))
        return [self.done[src] for src in order]


def check_site(project: Project, site: SiteConfig, *, jobs: int, external: bool = False) -> SiteResult:
    """All offline checks: pages, anchors across pages, citations, nav, orphans, snippets."""
    find_link_loops(site)
    visitor = _Pages(site, external, not set(site.generators) & {m.name for m in project.missing})
    built = build_pages(project, visitor) if project.raw else Built()
    pages = visitor.finish(jobs)
    index = visitor.index
    assert index is not None
    findings = [f for page in pages for f in page.findings]
    findings += _unique([f for page in pages for f in page.included_findings])
    ids = page_ids(site, pages, findings)
    page_paths = {site.page_path(page.src) for page in pages}
    anchor_findings = check_anchors(site, pages, ids) + check_autorefs(site, pages, ids)
    findings += [f for f in anchor_findings if f.path in page_paths]
    findings += _unique([f for f in anchor_findings if f.path not in page_paths])
    root = config_nodes(project.config_path)
    config_rel = project.rel(project.config_path)
    nav_findings, named = check_nav(site, index, config_rel, root, built.nav_links)
    findings += nav_findings
    if project.nav is not None:  # as MkDocs: omitted pages are reported against a nav written in mkdocs.yml
        findings += check_orphans(site, index, named | (built.nav_pages or frozenset()) | built.not_in_nav)
    findings += nav_file_entries(site, index, built.nav_problems)
    findings += check_auto_append(site, config_rel, root)
    findings += unused_entries(site, pages, visitor.cited)
    findings += check_review_dates(project, site.docs_dir, index.pages, site.page_path)
    findings += build_failures(site, built, findings)
    return SiteResult(findings, pages, index, sum(p.links for p in pages))


def build_failures(site: SiteConfig, built: Built, findings: list[Finding]) -> list[Finding]:
    """LNK025 for pages MkDocs could not render (unless a missing snippet, LNK015, says why), LNK026 for pages
    written to one URL."""
    snippet_pages = {f.path for f in findings if f.code == "LNK015"}
    result = [
        finding(site.page_path(src), 1, 1, "LNK025", f"MkDocs cannot render this page: {why}; `mkdocs build` fails the same way")
        for src, why in sorted(built.failed.items())
        if site.page_path(src) not in snippet_pages
    ]
    for url, srcs in sorted(built.same_url.items()):
        first, *others = sorted(srcs)
        message = (
            f"this page and {', '.join(repr(site.page_path(o)) for o in others)} are both published at '{url}'; "
            "the build keeps only one: give one of them another slug or file name"
        )
        severity = None
        if _readme_beside_index(srcs):  # MkDocs' own rule for a README.md beside an index.md: a warning, README left out
            severity = Severity.WARNING
            message += ", or leave the README out of the site with exclude_docs"
        result.append(finding(site.page_path(first), 1, 1, "LNK026", message, severity=severity))
    return result


def _readme_beside_index(srcs: list[str]) -> bool:
    """Whether two pages on one URL are a README.md and an index.md (a folder's readme, which MkDocs itself leaves out
    with a warning when both are in one folder; mkdocs-static-i18n can put a shared one beside each language's index)."""
    names = sorted(posixpath.basename(src).lower() for src in srcs)
    return len(names) == 2 and names == ["index.md", "readme.md"]


def rendered_links(checker: PageChecker, page: PageData, rendered: Rendered) -> None:
    """Check the links and images the build rendered that the source parse did not see (Markdown in
    HTML blocks, included or generated text), at the line their author wrote."""
    drop_unrendered(page, rendered)
    seen = Counter(page.urls)
    locator = Locator(checker.read(page.src), rendered.markdown, _texts(rendered.read))
    if not page.anchor_paths:
        page.anchor_paths = [""] * len(page.anchors)
    for kind, url in [("md", url) for _, url in rendered.links] + [("html", url) for url in rendered.raw]:
        if seen[url] > 0:
            seen[url] -= 1
            continue
        if url.startswith("#") and url[1:] in rendered.ids:
            continue  # a permalink or footnote link the extensions wrote
        included, line, col = locator.place(url)
        where = checker.site.rel(included) if included else checker.site.page_path(page.src)
        checker.link(page.src, where, kind, url, line, col, page, "link")
        page.anchor_paths += [where if included else ""] * (len(page.anchors) - len(page.anchor_paths))


_LINK_CODES = frozenset({"LNK001", "LNK002", "LNK003", "LNK004", "LNK005", "LNK014"})


def drop_unrendered(page: PageData, rendered: Rendered) -> None:
    """Forget what the source parse took for Markdown links that the render has no link for (link syntax
    in a raw HTML block without ``markdown``, a title glued to the URL, ...): they are text on the site."""
    left = Counter(url for _, url in rendered.links)
    phantom = set()
    for url in page.md_urls:
        if left[url] > 0:
            left[url] -= 1
        else:
            phantom.add(url)
    if not phantom:
        return
    page.findings = [f for f in page.findings if not (f.code in _LINK_CODES and f.subject in phantom)]
    kept = [i for i, anchor in enumerate(page.anchors) if anchor[4] not in phantom]
    if page.anchor_paths:
        page.anchor_paths = [page.anchor_paths[i] for i in kept]
    page.anchors = [page.anchors[i] for i in kept]
    page.urls = [url for url in page.urls if url not in phantom]


def _texts(paths: list[str]) -> dict[str, str]:
    """The text of each file, by path (unreadable ones left out)."""
    texts = {}
    for path in paths:
        try:
            texts[path] = Path(path).read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
    return texts


_CITED = re.compile(r"\[[^\]]*?@([\w:.-]+)")


def confirmed(f: Finding, rendered: Rendered) -> bool:
    """Keep a reference or footnote finding only where Python-Markdown, with the site's extensions and plugins,
    agrees: an undefined label is still text on the page (``[][Label](#x)`` or a label a plugin defines renders
    as a link), an unused definition was never looked up (a use inside an HTML block or included text counts)."""
    if f.code == "LNK008":
        return rendered.left_as_text(f"[{f.subject}]")
    if f.code == "LNK010":
        return rendered.left_as_text(f"[^{f.subject}]")
    if f.code in ("LNK009", "LNK011") and rendered.unused is not None:
        unused = rendered.unused.references if f.code == "LNK009" else rendered.unused.footnotes
        return label_key(f.subject) in unused
    return True


def _unique(findings: list[Finding]) -> list[Finding]:
    """Each finding once (a snippet included by many pages is checked once per page)."""
    seen: set[Finding] = set()
    result = []
    for f in findings:
        if f not in seen:
            seen.add(f)
            result.append(f)
    return result


def page_ids(site: SiteConfig, pages: Iterable[PageData], findings: list[Finding]) -> dict[str, set[str]]:
    """Each page's ids, with the ``ref-KEY`` ids the bibliography hook adds (CIT006 for empty groups)."""
    ids = {}
    keywords = sorted(site.keyword_keys)
    for page in pages:
        page_set = set(page.ids) | set(page.cite_ids)
        if site.bibliography_hook:
            for keyword, line, col in page.markers:
                keys = site.keyword_keys.get(keyword)
                if keys:
                    page_set.update(f"ref-{key}" for key in keys)
                else:
                    findings.append(
                        finding(
                            site.page_path(page.src),
                            line,
                            col,
                            "CIT006",
                            f"bibliography marker keyword '{keyword}' matches no entry's keywords in {site.bib_rel or 'the bibliography'}",
                            closest(keyword, keywords),
                        )
                    )
        ids[page.src] = page_set
    return ids


def _generated_match(fragment: str, objects: list[str]) -> bool:
    """Whether an anchor names a ``:::`` object or one of its members (``pkg.Obj.attr``, ``pkg.Obj--section``)."""
    return any(fragment == o or fragment.startswith((o + ".", o + "--", o + "(")) for o in objects)


def check_anchors(site: SiteConfig, pages: Iterable[PageData], ids: dict[str, set[str]]) -> list[Finding]:
    """LNK006/LNK007 for ``#fragments`` that name no id on their target page (LNK018 on generated pages)."""
    findings = []
    folded: dict[str, dict[str, str]] = {}
    near_ids: dict[str, Suggester] = {}
    pages = list(pages)
    generated = {page.src: page.generated for page in pages if page.generated and not page.final_ids}
    for page in pages:
        page_path = site.page_path(page.src)
        paths = page.anchor_paths or [""] * len(page.anchors)
        for (target, fragment, line, col, url), included in zip(page.anchors, paths, strict=True):
            path = included or page_path
            present = ids.get(target, set())
            if fragment in present or unquote(fragment) in present:
                continue
            objects = generated.get(target)
            if objects and _generated_match(unquote(fragment), objects):
                continue
            if target not in folded:
                folded[target] = {i.lower(): i for i in sorted(present)}
            base = url.partition("#")[0]
            where = "this page" if target == page.src and not included else f"'{site.page_path(target)}'"
            if objects:
                shown = ", ".join(f"::: {o}" for o in objects[:3]) + (", ..." if len(objects) > 3 else "")
                findings.append(
                    finding(
                        path,
                        line,
                        col,
                        "LNK018",
                        f"link '{url}': anchor '#{fragment}' is not among the ids written in {where}; its "
                        f"generated blocks ({shown}, rendered by {', '.join(site.generators)}) may add it at build "
                        "time: run `mkdocs build --strict` to confirm",
                    )
                )
                continue
            actual = folded[target].get(unquote(fragment).lower())
            if actual is not None:
                findings.append(
                    finding(
                        path, line, col, "LNK007", f"link '{url}': anchor '#{fragment}' differs in case from the id '#{actual}' on {where}", f"{base}#{actual}"
                    )
                )
                continue
            if target not in near_ids:
                near_ids[target] = Suggester(sorted(present))
            near = near_ids[target].closest(unquote(fragment))
            findings.append(
                finding(path, line, col, "LNK006", f"link '{url}': there is no anchor '#{fragment}' on {where}", f"{base}#{near}" if near else None)
            )
    return findings


def check_autorefs(site: SiteConfig, pages: Iterable[PageData], ids: dict[str, set[str]]) -> list[Finding]:
    """Reference labels no page defines, as the autorefs plugin resolves them: against every page's
    headings and ids, and the ``:::`` objects; what may come from an inventory mkdocstrings imports is LNK017
    (info), and with no inventory an unknown identifier is broken (LNK008)."""
    pages = list(pages)
    if not any(page.autorefs for page in pages):
        return []
    known: set[str] = set()
    for page_ids_ in ids.values():
        known.update(page_ids_)
    objects = sorted({o for page in pages for o in page.generated})
    known.update(objects)
    findings = []
    inventories = len(site.inventories)
    for page in pages:
        for label, line, col, path in page.autorefs:
            identifier = label.strip()
            if identifier.startswith("`") and identifier.endswith("`"):
                identifier = identifier.strip("`").strip()
            if identifier in known or toc_slugify(identifier, "-") in known or _generated_match(identifier, objects):
                continue
            if not identifier or not inventories:  # autorefs has nothing else to look in: the text stays on the page
                hint = (
                    ""
                    if not identifier or any(c.isspace() for c in identifier)
                    else ("; if it names another project's object, import that project's inventory under mkdocstrings' handlers")
                )
                findings.append(
                    finding(
                        path,
                        line,
                        col,
                        "LNK008",
                        f"reference link uses label [{label}], which has no definition on this page, and no heading "
                        f"on this site has it as its autorefs identifier{hint}",
                    )
                )
                continue
            findings.append(
                finding(
                    path,
                    line,
                    col,
                    "LNK017",
                    f"autorefs identifier [{identifier}] is not a heading or ::: object on this site; it may come from "
                    f"one of the {inventories} inventories mkdocstrings imports: `mkdocs build --strict` reports it if "
                    "autorefs cannot resolve it",
                    severity=Severity.INFO,
                )
            )
    return findings


def footnote_keys(site: SiteConfig) -> dict[str, str]:
    """The id of the footnote mkdocs-bibtex writes for each bibliography key, to the key."""
    return {f"fn:{site.footnote_format.format(key=key)}": key for key in site.bib.keys()} if site.bib else {}


def rendered_citations(site: SiteConfig, rendered: Rendered, notes: dict[str, str]) -> set[str]:
    """The keys a built page cites: mkdocs-bibtex wrote a footnote for them (``notes``: footnote id to key), or
    ``[@key]`` is still in the plugins' Markdown (mkdocs-bibtex is not installed)."""
    if site.bib is None:
        return set()
    cited = {notes[i] for i in rendered.ids if i in notes}
    markdown = rendered.markdown
    written = set(_CITED.findall(markdown)) & site.bib.keys() if "@" in markdown else set()
    return cited | written


def unused_entries(site: SiteConfig, pages: Iterable[PageData], cited: set[str] | None = None) -> list[Finding]:
    """CIT003 for refs.bib entries no page cites nor links to (``#ref-KEY``)."""
    if site.bib is None:
        return []
    used = set(cited or ())
    for page in pages:
        used.update(page.cites)
        used.update(fragment[4:] for _, fragment, _, _, _ in page.anchors if fragment.startswith("ref-"))
    return [
        finding(site.bib_rel, entry.line, 1, "CIT003", f"bibliography entry '{entry.key}' is never cited ([@{entry.key}]) nor linked (#ref-{entry.key})")
        for entry in site.bib.entries
        if entry.key not in used
    ]
