"""Which PyPI packages a MkDocs project needs: from its theme, plugins, Markdown extensions and docs requirements.

Plugins and extensions are named in ``mkdocs.yml`` by entry point or module, not by distribution,
so a small table maps the common names; an unknown plugin ``x`` is tried as ``mkdocs-x-plugin``,
then ``mkdocs-x``, then ``x`` (alternatives are written ``a|b|c``). Requirement files next to the config or the docs (``*requirements*.txt``)
add the names of the packages they list (unpinned: old pins often do not install on this Python).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

PLUGINS: dict[str, str] = {
    "search": "",
    "i18n": "mkdocs-static-i18n",
    "macros": "mkdocs-macros-plugin",
    "monorepo": "mkdocs-monorepo-plugin",
    "literate-nav": "mkdocs-literate-nav",
    "awesome-pages": "mkdocs-awesome-pages-plugin",
    "awesome-nav": "mkdocs-awesome-nav",
    "include-markdown": "mkdocs-include-markdown-plugin",
    "mkdocstrings": "mkdocstrings[python]",
    "autorefs": "mkdocs-autorefs",
    "gen-files": "mkdocs-gen-files",
    "section-index": "mkdocs-section-index",
    "redirects": "mkdocs-redirects",
    "minify": "mkdocs-minify-plugin",
    "git-revision-date-localized": "mkdocs-git-revision-date-localized-plugin",
    "git-revision-date": "mkdocs-git-revision-date-plugin",
    "git-authors": "mkdocs-git-authors-plugin",
    "git-committers": "mkdocs-git-committers-plugin-2",
    "glightbox": "mkdocs-glightbox",
    "mike": "mike",
    "print-site": "mkdocs-print-site-plugin",
    "charts": "mkdocs-charts-plugin",
    "markdown-exec": "markdown-exec[ansi]",
    "exclude": "mkdocs-exclude",
    "rss": "mkdocs-rss-plugin",
    "meta-descriptions": "mkdocs-meta-descriptions-plugin",
    "swagger-ui-tag": "mkdocs-swagger-ui-tag",
    "intersphinx": "mkdocs-intersphinx",
    "mkdocs-jupyter": "mkdocs-jupyter",
    "bibtex": "mkdocs-bibtex",
    "table-reader": "mkdocs-table-reader-plugin",
    "open-in-new-tab": "mkdocs-open-in-new-tab",
    "mermaid2": "mkdocs-mermaid2-plugin",
    "markdownextradata": "mkdocs-markdownextradata-plugin",
    "simple-hooks": "mkdocs-simple-hooks",
    "click": "mkdocs-click",
    "llmstxt": "mkdocs-llmstxt",
    "termynal": "termynal",
    "typeset": "",
    "blog": "",
    "tags": "",
    "social": "",
    "meta": "",
    "offline": "",
    "privacy": "",
    "info": "",
    "optimize": "",
    "group": "",
    "projects": "",
}
"""Plugin name (as in ``plugins:``, without ``material/``) to the distribution that provides it."""

THEMES: dict[str, str] = {
    "material": "mkdocs-material",
    "readthedocs": "",
    "mkdocs": "",
    "windmill": "mkdocs-windmill",
    "bootstrap": "mkdocs-bootstrap",
    "dracula": "mkdocs-dracula-theme",
}
"""Theme name to its distribution ("" for the ones MkDocs ships)."""

EXTENSIONS: dict[str, str] = {
    "pymdownx": "pymdown-extensions",
    "markdown_include": "markdown-include",
    "mdx_truly_sane_lists": "mdx-truly-sane-lists",
    "markdown_exec": "markdown-exec[ansi]",
    "mkdocs_click": "mkdocs-click",
    "mdx_gh_links": "mdx-gh-links",
    "attr_list": "",
    "material": "mkdocs-material",
    "mkdocs_typer": "mkdocs-typer",
    "md_in_html": "",
    "toc": "",
    "admonition": "",
    "tables": "",
    "footnotes": "",
    "def_list": "",
    "abbr": "",
    "meta": "",
    "codehilite": "",
    "fenced_code": "",
    "sane_lists": "",
    "smarty": "",
    "nl2br": "",
    "extra": "",
    "wikilinks": "",
    "markdown": "",
    "pymdownx_blocks": "pymdown-extensions",
    "markdown_gfm_admonition": "markdown-gfm-admonition",
    "callouts": "markdown-callouts",
    "github-callouts": "markdown-callouts",
}
"""Top-level module of a ``markdown_extensions`` entry to its distribution."""

NETWORK_PLUGINS = ("social", "material/social", "privacy", "material/privacy", "optimize", "material/optimize", "git-committers", "rss")
"""Plugins that fetch from the internet during a build; the harness drops them (this machine has none)."""

DOCS_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?)")


class _Tolerant(yaml.SafeLoader):
    """A YAML loader that reads any tag (``!ENV``, ``!!python/name:``, ``!relative``) as its plain value."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """The node's value, whatever its tag."""
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


_Tolerant.add_multi_constructor("", _any_tag)


def read_config(path: Path) -> dict[str, Any]:
    """A mkdocs.yml as plain data (following ``INHERIT``), or {} when it does not parse."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Tolerant)  # noqa: S506 - safe loader subclass
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    parent = data.get("INHERIT")
    if isinstance(parent, str):
        return _merged(read_config(path.parent / parent), data)
    return data


def _merged(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` over ``base`` as MkDocs merges an ``INHERIT`` parent: mappings key by key, all else replaced."""
    out = dict(base)
    for key, value in child.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _names(entries: Any) -> list[str]:
    """Names of a ``plugins:`` or ``markdown_extensions:`` value (list of str/dict, or dict)."""
    if isinstance(entries, dict):
        return [str(k) for k in entries]
    names = []
    for entry in entries or []:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict):
            names.extend(str(k) for k in entry)
    return names


def plugin_names(config: dict[str, Any]) -> list[str]:
    """The plugins a config names."""
    return _names(config.get("plugins"))


def theme_name(config: dict[str, Any]) -> str:
    """The theme's name."""
    theme = config.get("theme")
    if isinstance(theme, dict):
        return str(theme.get("name") or "mkdocs")
    return str(theme or "mkdocs")


def _plugin_package(name: str) -> str:
    """The distribution for one plugin name ("" when MkDocs or the theme ships it)."""
    short = name.split("/", 1)[1] if name.startswith("material/") else name
    if short in PLUGINS:
        return PLUGINS[short]
    return f"mkdocs-{short}-plugin|mkdocs-{short}|{short}"


def _requirement_files(project: Path, config: Path) -> list[Path]:
    """Docs requirement files of a project: next to the config, in docs/ or requirements/."""
    found: list[Path] = []
    for folder in {config.parent, project, project / "docs", project / "requirements", config.parent / "docs"}:
        if folder.is_dir():
            found += [p for p in folder.glob("*requirements*.txt") if "test" not in p.name and "dev" not in p.name]
            found += [p for p in folder.glob("*.txt") if folder.name == "requirements" and "doc" in p.name]
    return sorted(set(found))


def packages(project: Path, config_path: Path) -> tuple[list[str], list[str]]:
    """The packages to install for a project, and the plugin names they were derived from."""
    config = read_config(config_path)
    wanted = {"mkdocs"}
    theme = theme_name(config)
    wanted.add(THEMES.get(theme, f"mkdocs-{theme}"))
    plugins = plugin_names(config)
    wanted.update(_plugin_package(p) for p in plugins)
    for ext in _names(config.get("markdown_extensions")):
        top = ext.split(".", 1)[0]
        wanted.add(EXTENSIONS.get(top, top.replace("_", "-")))
    for req in _requirement_files(project, config_path):
        for line in req.read_text(encoding="utf-8", errors="replace").splitlines():
            match = DOCS_REQUIREMENT.match(line)
            if match and not line.lstrip().startswith(("-", "#")) and "://" not in line and re.search(r"mkdocs|markdown|pymdown|griffe", line, re.I):
                wanted.add(match.group(1).lower())
    wanted.discard("")
    return sorted(wanted), plugins
