"""Plant known defects in a copy of a real MkDocs project and say where each must be reported.

Every kind the issue lists, where the project's config makes it meaningful:

* a relative link to a missing page, a missing same-page anchor, a wrong-case anchor, a
  GitHub-style slug (``--`` where Python-Markdown's toc makes ``-``), a missing image,
* a nav entry to a missing page in ``mkdocs.yml`` (when it has ``nav:``), in the literate-nav
  ``SUMMARY.md``, an awesome-pages ``.pages`` or an awesome-nav ``.nav.yml`` in docs/ (when the
  plugin is on; the file is made when the site has none),
* an undefined reference label, and an undefined footnote (when ``footnotes`` is on),
* a broken link inside a ``--8<--`` snippet (when ``pymdownx.snippets`` is on) and inside an
  ``{% include-markdown %}`` file (when that plugin is on), reported at the included file's line,
* a missing image inside ``<figure markdown>`` (when ``md_in_html`` is on).

The defects go at the end of one page (the docs index, else the first page) and into the nav
files; each comes with the file and line where a correct checker reports it as an error.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from links_packages import plugin_names, read_config


@dataclass
class Planted:
    """One planted defect and where it must be reported (path relative to the config's folder)."""

    kind: str
    path: str
    line: int
    text: str


def _extensions(config: dict[str, Any]) -> dict[str, Any]:
    """The config's markdown_extensions as name → options."""
    found: dict[str, Any] = {}
    entries = config.get("markdown_extensions") or []
    if isinstance(entries, dict):
        return dict(entries)
    for entry in entries:
        if isinstance(entry, str):
            found[entry] = {}
        elif isinstance(entry, dict):
            found.update(entry)
    return found


def _target_page(docs: Path) -> Path | None:
    """The page that receives the planted links: the docs index, else the first page."""
    for name in ("index.md", "README.md"):
        if (docs / name).is_file():
            return docs / name
    pages = sorted(docs.rglob("*.md"))
    return pages[0] if pages else None


def _append(path: Path, lines: list[str]) -> int:
    """Append lines (after a blank line) to a file; the 1-based number of the first appended line."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    text += "\n"
    first = text.count("\n") + 1
    path.write_text(text + "\n".join(lines) + "\n", encoding="utf-8")
    return first


def _append_item(path: Path, line: str) -> int:
    """Append one list item right after a list's last line (no blank line, so the list stays tight); its line number.
    literate-nav rejects a loose list: C2SM's SUMMARY.md, planted after a blank line, failed with
    "LiterateNavParseError: Expected no more elements, but got <p>...</p>" (the checker rightly stopped, exit 3)."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def _snippet_base(config: dict[str, Any], root: Path) -> Path:
    """The first folder pymdownx.snippets looks in (base_path, relative to where mkdocs runs)."""
    options = _extensions(config).get("pymdownx.snippets") or {}
    base = options.get("base_path", ".") if isinstance(options, dict) else "."
    if isinstance(base, list):
        base = base[0] if base else "."
    base = str(base).replace("$config_dir", ".")
    return (root / base).resolve()


def _plant_nav_yml(config_path: Path, rel: str) -> Planted | None:
    """Insert a nav entry to a missing page right after ``nav:`` in mkdocs.yml."""
    lines = config_path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^nav:\s*$", line):
            nxt = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            indent = re.match(r"^(\s*)", lines[nxt]).group(1) if nxt is not None else "  "  # type: ignore[union-attr]
            lines.insert(i + 1, f"{indent}- Planted nav: planted-missing-nav.md")
            config_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return Planted("nav entry in mkdocs.yml", rel, i + 2, "planted-missing-nav.md")
    return None


def _slug_defect(extensions: dict[str, Any], config_text: str) -> tuple[str, str]:
    """A link to the heading "Planted: A & B c" by the slug style the site does NOT use.

    Python-Markdown's toc makes ``planted-a-b-c``; GitHub (and pymdownx.slugs) make ``planted-a--b-c``.
    """
    toc = extensions.get("toc") or extensions.get("markdown.extensions.toc") or {}
    block = re.search(r"(?ms)^\s*-\s*(?:markdown\.extensions\.)?toc:[ \t]*\n(.*?)(?=^\s*-\s)", config_text)  # toc's own options
    github = block and re.search(r"slugify:\s*!!python/(object/apply|name):pymdownx\.slugs", block.group(1))  # the loader drops tags
    if isinstance(toc, dict) and (github or "pymdownx.slugs" in str(toc.get("slugify", ""))):
        return ("toc-style slug on a GitHub-slug site", "[planted toc slug](#planted-a-b-c)")
    return ("GitHub-style slug", "[planted github slug](#planted-a--b-c)")


def plant(root: Path, config_path: Path, workdir: Path | None = None) -> list[Planted]:
    """Plant every applicable defect in the project at root (already a copy); where each must be reported.
    ``workdir``: the folder mkdocs runs in (default: the config's), where snippets' base_path starts."""
    config = read_config(config_path)
    base = config_path.parent
    docs = (base / str(config.get("docs_dir") or "docs")).resolve()
    page = _target_page(docs)
    if page is None:
        return []
    plugins = [p.split("/")[-1] for p in plugin_names(config)]
    extensions = _extensions(config)
    rel = lambda p: os.path.relpath(p, base).replace(os.sep, "/")  # noqa: E731
    planted: list[Planted] = []
    body = [
        ("relative link", "[planted page](planted-missing-page.md)"),
        ("anchor", "[planted anchor](#planted-missing-anchor)"),
        ("wrong-case anchor", f"[planted case]({page.name}#Planted-Heading-Here)"),
        _slug_defect(extensions, config_path.read_text(encoding="utf-8", errors="replace")),
        ("image", "![planted image](planted-missing-image.png)"),
        ("undefined reference", "[planted reference][planted-undefined-label]"),
    ]
    if "footnotes" in extensions or "markdown.extensions.footnotes" in extensions:
        body.append(("undefined footnote", "Planted footnote[^planted-undefined-note]."))
    first = _append(page, ["## Planted heading here", "", "## Planted: A & B c", ""] + [text + "\n" for _, text in body])
    line = first + 4
    for kind, text in body:
        planted.append(Planted(kind, rel(page), line, text))
        line += 2
    if "md_in_html" in extensions or "markdown.extensions.md_in_html" in extensions:
        at = _append(page, ["<figure markdown>", "", "![planted figure](planted-missing-figure.png)", "", "</figure>"])
        planted.append(Planted("image in <figure markdown>", rel(page), at + 2, "planted-missing-figure.png"))
    if "pymdownx.snippets" in extensions:
        folder = _snippet_base(config, workdir or base)
        folder.mkdir(parents=True, exist_ok=True)
        snippet = folder / "planted-snippet.md"
        snippet.write_text("Planted snippet.\n\n[in snippet](planted-missing-from-snippet.md)\n", encoding="utf-8")
        _append(page, ['--8<-- "planted-snippet.md"'])
        planted.append(Planted("link in a snippet", rel(snippet), 3, "planted-missing-from-snippet.md"))
    if "include-markdown" in plugins:
        included = base / "planted-include.md"
        included.write_text("Planted include.\n\n[in include](planted-missing-from-include.md)\n", encoding="utf-8")
        _append(page, [f'{{% include-markdown "{os.path.relpath(included, page.parent)}" %}}'])
        planted.append(Planted("link in an include-markdown file", rel(included), 3, "planted-missing-from-include.md"))
    if "nav" in config:
        entry = _plant_nav_yml(config_path, rel(config_path))
        if entry:
            planted.append(entry)
    if "literate-nav" in plugins:
        options = next((p["literate-nav"] for p in config.get("plugins") or [] if isinstance(p, dict) and "literate-nav" in p), None)
        nav_file = (options or {}).get("nav_file", "SUMMARY.md") if isinstance(options, dict) else "SUMMARY.md"
        summary = docs / nav_file
        if summary.exists():
            at = _append_item(summary, "* [Planted summary](planted-missing-summary.md)")
            planted.append(Planted("nav entry in SUMMARY.md", rel(summary), at, "planted-missing-summary.md"))
        elif "nav" not in config:  # a nav file of its own: the page, then the planted entry
            summary.write_text(f"* [Home]({page.relative_to(docs).as_posix()})\n* [Planted summary](planted-missing-summary.md)\n", encoding="utf-8")
            planted.append(Planted("nav entry in SUMMARY.md", rel(summary), 2, "planted-missing-summary.md"))
        # else: a root nav file made here would replace mkdocs.yml's nav (literate-nav prefers it), and with it
        # the nav entry planted there (Python-Markdown: MkDocs then says nothing about it)
    for plugin, name in (("awesome-pages", ".pages"), ("awesome-nav", ".nav.yml")):
        if plugin in plugins:
            planted.append(_plant_nav_file(docs / name, rel, f"nav entry in {name}"))
    return planted


def _plant_nav_file(path: Path, rel: Any, kind: str) -> Planted:
    """Add a missing page to the ``nav:`` of an awesome-pages/awesome-nav file (made when absent)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    at = next((i for i, text in enumerate(lines) if re.match(r"^nav:\s*$", text)), None)
    if at is None:
        lines = ["nav:", "  - planted-missing-pages.md", "  - ..."] + [t for t in lines if not t.startswith("nav")]
        line = 2
    else:  # as indented as the list's own items (rook's .pages indents them by four)
        nxt = next((j for j in range(at + 1, len(lines)) if lines[j].strip()), None)
        indent = re.match(r"^(\s*)", lines[nxt]).group(1) if nxt is not None and lines[nxt].lstrip().startswith("-") else "  "  # type: ignore[union-attr]
        lines.insert(at + 1, f"{indent}- planted-missing-pages.md")
        line = at + 2
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Planted(kind, rel(path), line, "planted-missing-pages.md")


def copy_project(root: Path, into: Path) -> Path:
    """A copy of a project folder (with its .git file, so git plugins work; without built sites) to plant defects in."""
    if into.exists():
        shutil.rmtree(into)
    shutil.copytree(root, into, symlinks=True, ignore=shutil.ignore_patterns("site", "node_modules"))
    return into


def verdict(planted: Planted, findings: list[dict[str, Any]], base: Path | None = None) -> str:
    """How the checker reported one planted defect: at its line as an error, elsewhere, as a warning, or not at all."""

    def about(f: dict[str, Any]) -> bool:
        needle = planted.text.split("](")[-1].rstrip(")").split("][")[-1].rstrip("]").lstrip("[^").lstrip("#").split("#")[-1]
        return needle.lower() in f["message"].lower()

    def place(path: str) -> str:
        """A finding's path, resolved against the config's folder when given."""
        return str((base / path).resolve()) if base is not None else path

    here = [f for f in findings if place(f["path"]) == place(planted.path) and f["line"] == planted.line]
    if any(f["severity"] == "error" for f in here):
        return "error at file:line"
    related = [f for f in findings if about(f)]
    if any(f["severity"] == "error" for f in related):
        where = next(f for f in related if f["severity"] == "error")
        return f"error at {where['path']}:{where['line']} (expected {planted.path}:{planted.line})"
    if here or related:
        return "warning only"
    return "NOT reported"
