"""Read mkdocs.yml and pyproject.toml into one Project, and apply the project's finding policy."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sitecheck.findings import Severity, UsageError


class _MkDocsLoader(yaml.SafeLoader):
    """A safe YAML loader that tolerates mkdocs.yml's ``!!python/name`` and ``!ENV`` tags."""


class PythonTag(str):
    """A ``!!python/...`` tag kept as its name (a ``str``), with the ``args``/``kwds`` written under it."""

    args: tuple[Any, ...] = ()
    kwds: dict[str, Any] = {}  # noqa: RUF012 - replaced per instance, never mutated


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> str:
    """Keep ``!!python/name:module.attr`` as the dotted name; nothing is imported.

    ``!!python/object/apply:f {kwds: {...}}`` keeps its arguments too (e.g. a toc slugify factory).
    """
    tag = PythonTag(suffix)
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
        tag.args, tag.kwds = tuple(value.get("args") or ()), dict(value.get("kwds") or {})
    elif isinstance(node, yaml.SequenceNode):
        tag.args = tuple(loader.construct_sequence(node, deep=True))
    return tag


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """Read ``!ENV [NAME, default]`` as its default, as a build without the variable would."""
    if isinstance(node, yaml.ScalarNode):
        return None
    values = loader.construct_sequence(node)  # type: ignore[arg-type]
    return values[-1] if len(values) > 1 else None


_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)
_MkDocsLoader.add_constructor("!ENV", _env_tag)


class RelativePath(str):
    """MkDocs' ``!relative`` tag: ``$config_dir/sub``, ``$docs_dir/sub``, or '' (the current page's folder)."""

    def resolve(self, config_dir: Path, docs_dir: Path, page_dir: Path | None = None) -> Path | None:
        """The folder this tag stands for (None for a bare ``!relative`` outside a page)."""
        prefix, _, suffix = str(self).partition("/")
        if prefix == "$config_dir":
            return (config_dir / suffix).resolve()
        if prefix == "$docs_dir":
            return (docs_dir / suffix).resolve()
        return page_dir


def _relative_tag(loader: yaml.SafeLoader, node: yaml.Node) -> RelativePath:
    """Keep ``!relative VALUE`` as a :class:`RelativePath`, resolved once the folders are known."""
    return RelativePath(loader.construct_scalar(node) or "")  # type: ignore[arg-type]


_MkDocsLoader.add_constructor("!relative", _relative_tag)


@dataclass
class Project:
    """Everything the checks need to know about the site, read once."""

    root: Path
    config_path: Path
    config: dict[str, Any]
    docs_dir: Path
    severity_overrides: dict[str, Severity | None] = field(default_factory=dict)

    @property
    def nav(self) -> list[Any] | None:
        """The ``nav`` tree, or None when MkDocs builds it from the files."""
        nav = self.config.get("nav")
        return nav if isinstance(nav, list) else None

    @property
    def use_directory_urls(self) -> bool:
        """MkDocs' ``use_directory_urls`` (default true)."""
        return bool(self.config.get("use_directory_urls", True))

    @property
    def markdown_extensions(self) -> dict[str, dict[str, Any]]:
        """The configured Markdown extensions as ``{name: options}``."""
        return normalise_extensions(self.config.get("markdown_extensions") or [])

    @property
    def plugins(self) -> dict[str, dict[str, Any]]:
        """The enabled plugins as ``{name: options}`` (list or mapping form; ``enabled: false`` left out)."""
        return {
            name: options
            for name, options in normalise_extensions(self.config.get("plugins") or []).items()
            if options.get("enabled", True) is not False
        }

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
        return (self.root / str(options["bib_file"])).resolve()

    def rel(self, path: Path) -> str:
        """A path as reported: relative to the repository root, with forward slashes."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


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
                result[str(name)] = options if isinstance(options, dict) else {}
    return result


def load_yaml(
    path: Path,
    missing: str = "file not found (pass --config PATH to point at mkdocs.yml)",
    loader: type[yaml.SafeLoader] | None = None,
) -> Any:
    """Parse a YAML file (with MkDocs' tags, or ``loader``), turning every failure into a one-line UsageError with its place."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: {missing}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read file: {exc}") from None
    try:
        return yaml.load(text, Loader=loader or _MkDocsLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UsageError(f"{where}: invalid YAML: {problem}") from None


def load_config(config_path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it: ``INHERIT`` parents deep-merged under it (mappings merge, the rest is replaced)."""
    config = load_yaml(config_path)
    if not isinstance(config, dict):
        raise UsageError(f"{config_path}:1:1: expected a mapping of MkDocs settings at the top level")
    parent_name = config.pop("INHERIT", None)
    if parent_name is None:
        return config
    parent_path = (config_path.parent / str(parent_name)).resolve()
    if parent_path in seen or parent_path == config_path.resolve():
        raise UsageError(f"{config_path}: INHERIT '{parent_name}' makes a loop of inherited config files")
    if not parent_path.is_file():
        raise UsageError(f"{config_path}: INHERIT '{parent_name}': no such file at {parent_path}")
    return _merge(load_config(parent_path, (*seen, config_path.resolve())), config)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """mergedeep's default (as MkDocs uses it): nested mappings merge, every other value replaces."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merge(result[key], value)
        else:
            result[key] = value
    return result


def load_project(config_path: Path, *, site_required: bool = True) -> Project:
    """Load mkdocs.yml (with its INHERIT parents) and the ``[tool.sitecheck]`` table beside it.

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
    config = load_config(config_path)
    root = config_path.resolve().parent
    docs_dir = (root / str(config.get("docs_dir", "docs"))).resolve()
    if site_required and not docs_dir.is_dir():
        raise UsageError(f"{config_path}: docs_dir '{config.get('docs_dir', 'docs')}' is not a folder")
    return Project(
        root=root,
        config_path=config_path.resolve(),
        config=config,
        docs_dir=docs_dir,
        severity_overrides=load_overrides(root / "pyproject.toml"),
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
    from sitecheck.codes import registry, suggest_code

    settings, text = tool_settings(pyproject)
    table = settings.get("severity", {})
    if not isinstance(table, dict):
        raise UsageError(f"{pyproject}: [tool.sitecheck] severity must be a table of CODE = \"error\" | \"warning\" | \"info\" | \"off\"")
    known = registry()
    overrides: dict[str, Severity | None] = {}
    for code, value in table.items():
        line, col = _key_position(text, "tool.sitecheck.severity", code)
        where = f"{pyproject}:{line}:{col}: [tool.sitecheck.severity] {code}"
        if code not in known:
            hint = suggest_code(code)
            raise UsageError(
                f"{where}: unknown code" + (f" (did you mean '{hint}'?)" if hint else " (see `sitecheck explain --list`)")
            )
        if value == "off":
            overrides[code] = None
        elif value in {s.value for s in Severity}:
            overrides[code] = Severity(value)
        else:
            raise UsageError(f"{where} = {value!r}: use error, warning, info or off")
    return overrides
