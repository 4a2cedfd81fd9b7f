"""Load the site once, through MkDocs' own config loader, and the ``[tool.sitecheck]`` table beside it.

mkdocs.yml is read by MkDocs (``INHERIT``, ``!ENV``, ``!relative``, plugin, theme, extension and
hook forms) and validated by MkDocs' own schema: a config MkDocs rejects is a UsageError with
MkDocs' message at the key's line, one it accepts is never rejected. Plugins, themes and Markdown
extensions that are not installed are set aside first (:class:`Missing`): the run goes on without
them and says what it could not do.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import tomllib
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from mkdocs_sitecheck.findings import Severity, UsageError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


@dataclass(frozen=True)
class Missing:
    """A plugin, theme or Markdown extension mkdocs.yml names that is not installed here."""

    kind: str  # "plugin", "theme" or "markdown extension"
    name: str
    line: int
    column: int
    options: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)  # as written in mkdocs.yml
    reason: str = field(default="", compare=False, hash=False)  # installed, but failed to import what it needs

    @property
    def install(self) -> str:
        """How to get it: the package to pip-install or add to pre-commit's additional_dependencies."""
        return package_for(self.kind, self.name)


# The packages behind the plugins, themes and extensions sites use most (name -> PyPI package).
_PACKAGES = {
    "material": "mkdocs-material",
    "bibtex": "mkdocs-bibtex",
    "macros": "mkdocs-macros-plugin",
    "include-markdown": "mkdocs-include-markdown-plugin",
    "awesome-pages": "mkdocs-awesome-pages-plugin",
    "literate-nav": "mkdocs-literate-nav",
    "gen-files": "mkdocs-gen-files",
    "i18n": "mkdocs-static-i18n",
    "autorefs": "mkdocs-autorefs",
    "mkdocstrings": "mkdocstrings[python]",
    "redirects": "mkdocs-redirects",
    "section-index": "mkdocs-section-index",
    "blog": "mkdocs-material",
    "social": "mkdocs-material[imaging]",
    "git-revision-date-localized": "mkdocs-git-revision-date-localized-plugin",
    "mike": "mike",
    "minify": "mkdocs-minify-plugin",
    "glightbox": "mkdocs-glightbox",
    "exclude": "mkdocs-exclude",
    "pymdownx": "pymdown-extensions",
    "readthedocs": "mkdocs",
    "mkdocs": "mkdocs",
}


def package_for(kind: str, name: str) -> str:
    """The PyPI package that provides a plugin, theme or extension (a best guess for unknown ones)."""
    short = name.partition("/")[0] if kind == "plugin" and "/" in name else name
    if kind == "markdown extension":
        short = name.partition(".")[0]
    if short in _PACKAGES:
        return _PACKAGES[short]
    return f"mkdocs-{short}-plugin" if kind == "plugin" else f"mkdocs-{short}" if kind == "theme" else short


@dataclass
class Project:
    """Everything the checks need to know about the site, read once.

    ``config`` is MkDocs' validated ``MkDocsConfig`` (a mapping; a plain dict when there is no
    mkdocs.yml); ``raw`` is mkdocs.yml as MkDocs read it (INHERIT merged), before validation.
    """

    root: Path
    config_path: Path
    config: Any
    docs_dir: Path
    severity_overrides: dict[str, Severity | None] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)

    @property
    def nav(self) -> list[Any] | None:
        """The ``nav`` tree mkdocs.yml writes, or None when MkDocs (or a nav plugin) builds it."""
        nav = (self.raw if self.raw else self.config).get("nav")
        return nav if isinstance(nav, list) else None

    @property
    def use_directory_urls(self) -> bool:
        """MkDocs' ``use_directory_urls`` (default true)."""
        return bool(self.config.get("use_directory_urls", True))

    @property
    def markdown_extensions(self) -> dict[str, dict[str, Any]]:
        """The configured (installed) Markdown extensions as ``{name: options}``, as MkDocs validated them."""
        names = self.config.get("markdown_extensions") or []
        configs = self.config.get("mdx_configs") or {}
        if isinstance(names, list) and all(isinstance(n, str) for n in names) and "mdx_configs" in self.config:
            return {name: dict(configs.get(name) or {}) for name in names}
        return normalise_extensions(names)

    @property
    def plugins(self) -> dict[str, dict[str, Any]]:
        """The enabled plugins as ``{name: options}``: installed ones with MkDocs' validated options,
        missing ones with their options as written (``enabled: false`` left out)."""
        result: dict[str, dict[str, Any]] = {}
        collection = self.config.get("plugins")
        if isinstance(collection, dict):  # MkDocs' PluginCollection: {name: plugin instance}
            for name, plugin in collection.items():
                if isinstance(plugin, types.ModuleType):  # a hook file, loaded by MkDocs as a plugin
                    continue
                options = dict(getattr(plugin, "config", {}) or {})
                if options.get("enabled", True) is not False:
                    result[name] = options
        elif collection is not None:
            result.update(normalise_extensions(collection))
        for item in self.missing:
            if item.kind == "plugin":
                result[item.name] = item.options
        return {name: options for name, options in result.items() if options.get("enabled", True) is not False}

    def plugin_options(self, name: str) -> dict[str, Any] | None:
        """Options of an enabled plugin, ``{}`` when it has none, None when it is not enabled.

        A theme-namespaced name (``material/blog``) is found by its short name too.
        """
        plugins = self.plugins
        if name in plugins:
            return plugins[name]
        for full, options in plugins.items():
            if full.rpartition("/")[2] == name:
                return options
        return None

    @property
    def bib_file(self) -> Path | None:
        """The bibtex plugin's ``bib_file``, resolved against mkdocs.yml's folder."""
        options = self.plugin_options("bibtex")
        if not options or not options.get("bib_file"):
            return None
        return (self.root / os.fspath(options["bib_file"])).resolve()

    @property
    def hooks(self) -> list[Path]:
        """The site's ``hooks`` files, resolved as MkDocs resolves them."""
        hooks = self.raw.get("hooks") or []
        hooks = [hooks] if isinstance(hooks, str) else hooks if isinstance(hooks, list) else []
        return [(self.root / str(h)).resolve() for h in hooks]

    def rel(self, path: Path) -> str:
        """A path as reported: relative to mkdocs.yml's folder, with forward slashes."""
        return shown_path(path.resolve(), self.root)

    def without_plugin(self, name: str, reason: str) -> Project:
        """The project loaded again with an installed plugin set aside because it failed to import what it needs."""
        unusable = {m.name: m.reason for m in self.missing if m.reason}
        unusable[name] = reason
        return load_project(self.config_path, unusable=unusable)

    def missing_of(self, kind: str) -> list[Missing]:
        """The missing plugins, themes or extensions."""
        return [m for m in self.missing if m.kind == kind]


def shown_path(path: Path, root: Path) -> str:
    """A path as findings name it: relative to mkdocs.yml's folder (``../`` when it lies outside), with forward slashes."""
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def normalise_extensions(items: list[Any] | dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Turn mkdocs.yml's list of names or one-key mappings (or one mapping) into ``{name: options}``."""
    result: dict[str, dict[str, Any]] = {}
    if isinstance(items, dict):
        items = [items]
    elif not isinstance(items, list):
        return result
    for item in items:
        if isinstance(item, str):
            result[item] = {}
        elif isinstance(item, dict):
            for name, options in item.items():
                result[str(name)] = dict(options) if isinstance(options, dict) else {}
    return result


def load_yaml(
    path: Path,
    missing: str = "file not found",
    loader: type[yaml.SafeLoader] | None = None,
) -> Any:
    """Parse a YAML data file (safe loader, or ``loader``), turning every failure into a one-line UsageError with its place."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: {missing}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read file: {exc}") from None
    try:
        return yaml.load(text, Loader=loader or yaml.SafeLoader)  # noqa: S506 - a SafeLoader (subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UsageError(f"{where}: invalid YAML: {problem}") from None


def _compose(path: Path) -> yaml.Node | None:
    """mkdocs.yml as YAML nodes, for the line and column of a key (None when it cannot be composed)."""
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def node_at(root: yaml.Node | None, *keys: str) -> yaml.Node | None:
    """The node at a path of keys (a list item is matched by its name: ``plugins``, ``search``)."""
    node = root
    for key in keys:
        found = None
        if isinstance(node, yaml.MappingNode):
            found = next((k for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
            value = next((v for k, v in node.value if k is found), None) if found is not None else None
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if isinstance(item, yaml.ScalarNode) and item.value == key:
                    found, value = item, item
                    break
                if isinstance(item, yaml.MappingNode) and item.value and item.value[0][0].value == key:
                    found, value = item.value[0][0], item.value[0][1]
                    break
        if found is None:
            return None
        if key == keys[-1]:
            return found
        node = value
    return node


def position(root: yaml.Node | None, *keys: str) -> tuple[int, int]:
    """Line and column of a key in mkdocs.yml (1:1 when it is not there, e.g. it comes from INHERIT)."""
    node = node_at(root, *keys)
    return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)


def _loads_extension(md: Any, name: str, options: dict[str, Any]) -> bool:
    """Whether Python-Markdown can load a Markdown extension, by its own loader (entry point name first, then
    ``pkg.mod:Class`` or ``pkg.mod``); an extension that loads but rejects its options is installed (MkDocs'
    validation reports the options)."""
    try:
        md.build_extension(name, options)
    except ImportError:
        return False
    except Exception:  # noqa: BLE001 - it imported; what is wrong with its options is MkDocs' to say
        return True
    return True


def set_aside_missing(raw: dict[str, Any], nodes: yaml.Node | None, unusable: dict[str, str] | None = None) -> list[Missing]:
    """Take the plugins, theme and Markdown extensions that are not installed out of ``raw``, and list them
    (``unusable``: installed plugins that failed to import what they need, with why)."""
    from mkdocs.plugins import get_plugins
    from mkdocs.utils import get_theme_names

    missing: list[Missing] = []
    theme = raw.get("theme")
    theme_options = dict(theme) if isinstance(theme, dict) else {"name": theme} if isinstance(theme, str) else None
    theme_name = str(theme_options.get("name") or "") if theme_options else "mkdocs"
    if theme_options and theme_name and theme_name not in get_theme_names():
        missing.append(Missing("theme", theme_name, *position(nodes, "theme")))
        kept = {k: v for k, v in theme_options.items() if k in ("custom_dir", "language", "locale")}
        raw["theme"] = {**kept, "name": "mkdocs"}
        theme_name = "mkdocs"
    installed = set(get_plugins())
    items = raw.get("plugins")
    if isinstance(items, (list, dict)):
        kept_items: list[Any] = []
        for item in [{k: v} for k, v in items.items()] if isinstance(items, dict) else items:
            names = [item] if isinstance(item, str) else list(item) if isinstance(item, dict) else []
            name = str(names[0]) if len(names) == 1 else ""
            if name and (name in (unusable or {}) or (name not in installed and f"{theme_name}/{name}" not in installed)):
                options = item.get(name) if isinstance(item, dict) else None
                where = position(nodes, "plugins", name)
                missing.append(Missing("plugin", name, *where, dict(options or {}), (unusable or {}).get(name, "")))
                continue
            kept_items.append(item)
        raw["plugins"] = kept_items
    extensions = raw.get("markdown_extensions")
    if isinstance(extensions, (list, dict)):
        from markdown import Markdown

        md = Markdown()
        kept_ext: list[Any] = []
        for item in [{k: v} for k, v in extensions.items()] if isinstance(extensions, dict) else extensions:
            names = [item] if isinstance(item, str) else list(item) if isinstance(item, dict) else []
            name = str(names[0]) if len(names) == 1 else ""
            options = item.get(name) if isinstance(item, dict) else None
            if name and not _loads_extension(md, name, dict(options) if isinstance(options, dict) else {}):
                missing.append(Missing("markdown extension", name, *position(nodes, "markdown_extensions", name), dict(options or {})))
                continue
            kept_ext.append(item)
        raw["markdown_extensions"] = kept_ext
    return missing


class _Collect(logging.Handler):
    """Keeps MkDocs' and plugins' log records instead of printing them; it stands where `mkdocs build` puts its
    console handler, with a formatter as that one has."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter())  # hooks retune the console formatter `mkdocs build` installs (its datefmt)

    def emit(self, record: logging.LogRecord) -> None:
        """Keep one record."""
        self.records.append(record)


_LOG = _Collect()


def quiet_mkdocs() -> _Collect:
    """Route the ``mkdocs`` logger (MkDocs, its plugins, the site's hooks) into one collector, not stderr."""
    logger = logging.getLogger("mkdocs")
    if _LOG not in logger.handlers:
        logger.handlers.insert(0, _LOG)  # where `mkdocs build` puts its console handler: hooks reach for handlers[0]
        logger.propagate = False
        logger.setLevel(logging.INFO)
    return _LOG


def load_mkdocs_config(
    config_path: Path, *, site_required: bool = True, unusable: dict[str, str] | None = None
) -> tuple[MkDocsConfig, dict[str, Any], list[Missing]]:
    """mkdocs.yml read and validated by MkDocs; missing plugins/themes/extensions set aside.

    A config MkDocs rejects is a UsageError naming MkDocs' message at the key's line.
    """
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    quiet_mkdocs()
    shown = _shown(config_path)
    config = MkDocsConfig(config_file_path=str(config_path.resolve()))
    try:
        with config_path.open("rb") as fd:
            raw = yaml_load(fd, get_yaml_loader(config=config))
    except FileNotFoundError:
        raise UsageError(f"{shown}: file not found (pass --config PATH to point at mkdocs.yml)") from None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read file: {exc.strerror}") from None
    except ConfigurationError as exc:
        mark = getattr(exc.__context__, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else f"{shown}:1:1"
        problem = getattr(exc.__context__, "problem", None)
        raise UsageError(f"{where}: {'invalid YAML: ' + problem if problem else str(exc)}") from None
    if not isinstance(raw, dict):
        raise UsageError(f"{shown}:1:1: expected a mapping of MkDocs settings at the top level")
    nodes = _compose(config_path)
    missing = set_aside_missing(raw, nodes, unusable)
    config.load_dict(copy.copy(raw))
    try:
        errors, _warnings = config.validate()
    except Exception as exc:  # noqa: BLE001 - a hook or plugin that fails to load: MkDocs' build fails the same way
        raise UsageError(f"{shown}:1:1: MkDocs cannot load this config: {type(exc).__name__}: {exc}") from None
    if not site_required:
        errors = [(name, error) for name, error in errors if name != "docs_dir"]
    if errors:
        name, error = errors[0]
        line, col = position(nodes, name)
        more = f" (and {len(errors) - 1} more config errors)" if len(errors) > 1 else ""
        raise UsageError(f"{shown}:{line}:{col}: Config value '{name}': {error}{more}")
    return config, raw, missing


def _shown(path: Path) -> str:
    """mkdocs.yml as the user named it (``--config``)."""
    return str(path)


def load_project(config_path: Path, *, site_required: bool = True, unusable: dict[str, str] | None = None) -> Project:
    """Load mkdocs.yml through MkDocs and the ``[tool.sitecheck]`` table beside it.

    ``site_required=False`` (``sitecheck refs``, which needs only a bibliography): a missing
    mkdocs.yml gives a bare project in the current folder, and ``docs_dir`` need not exist.
    """
    if not site_required and not config_path.exists():
        here = Path.cwd().resolve()
        return Project(
            root=here,
            config_path=(here / config_path).resolve(),
            config={},
            docs_dir=here / "docs",
            severity_overrides=load_overrides(here / "pyproject.toml"),
        )
    config, raw, missing = load_mkdocs_config(config_path, site_required=site_required, unusable=unusable)
    root = config_path.resolve().parent
    docs_dir = Path(str(config.get("docs_dir") or root / "docs")).resolve()
    if site_required and not docs_dir.is_dir():
        raise UsageError(f"{_shown(config_path)}: docs_dir '{raw.get('docs_dir', 'docs')}' is not a folder")
    return Project(
        root=root,
        config_path=config_path.resolve(),
        config=config,
        docs_dir=docs_dir,
        severity_overrides=load_overrides(root / "pyproject.toml"),
        raw=raw,
        missing=missing,
    )


def tool_settings(pyproject: Path) -> tuple[dict[str, Any], str]:
    """The ``[tool.sitecheck]`` table of a pyproject.toml (empty when there is none) and the file's text."""
    if not pyproject.is_file():
        return {}, ""
    try:
        text = pyproject.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{pyproject}: cannot read [tool.sitecheck]: {exc}") from None
    table = data.get("tool", {}).get("sitecheck", {})
    return (table if isinstance(table, dict) else {}), text


def _key_position(text: str, table: str, key: str) -> tuple[int, int]:
    """Line and column of ``key`` in the TOML table ``[table]`` (1:1 when it cannot be placed)."""
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.replace(" ", "") == f"[{table}]"
        elif in_table and re.match(rf"""["']?{re.escape(key)}["']?\s*=""", stripped):
            return number, line.index(stripped) + 1
    return 1, 1


def load_overrides(pyproject: Path) -> dict[str, Severity | None]:
    """Read ``[tool.sitecheck.severity]``: CODE = "error" | "warning" | "info" | "off", for known codes only."""
    from mkdocs_sitecheck.codes import registry, suggest_code

    settings, text = tool_settings(pyproject)
    table = settings.get("severity", {})
    if not isinstance(table, dict):
        raise UsageError(f'{pyproject}: [tool.sitecheck] severity must be a table of CODE = "error" | "warning" | "info" | "off"')
    known = registry()
    overrides: dict[str, Severity | None] = {}
    for code, value in table.items():
        line, col = _key_position(text, "tool.sitecheck.severity", code)
        where = f"{pyproject}:{line}:{col}: [tool.sitecheck.severity] {code}"
        if code not in known:
            hint = suggest_code(code)
            raise UsageError(f"{where}: unknown code" + (f" (did you mean '{hint}'?)" if hint else " (see `sitecheck explain --list`)"))
        if value == "off":
            overrides[code] = None
        elif value in {s.value for s in Severity}:
            overrides[code] = Severity(value)
        else:
            raise UsageError(f"{where} = {value!r}: use error, warning, info or off")
    return overrides
