"""The hooks are one package: entry files MkDocs loads by path, code that imports only mkdocs_sitecheck.api from the checker."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
HOOKS = REPO / "scripts" / "hooks"


def _imports(path: Path) -> list[str]:
    """Every module a Python file imports, absolute names only."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_hooks_use_only_the_checkers_public_api() -> None:
    """No hook module imports sitecheck's internals, or loads another hook by its file path."""
    files = sorted(HOOKS.rglob("*.py"))
    assert len(files) >= 10
    for path in files:
        checker = [name for name in _imports(path) if name.split(".")[0] == "mkdocs_sitecheck"]
        assert all(name == "mkdocs_sitecheck.api" for name in checker), (path, checker)
        assert "spec_from_file_location" not in path.read_text(encoding="utf-8"), path


def test_every_listed_hook_is_a_thin_entry_into_the_package() -> None:
    """mkdocs.yml lists entry files; each imports its events from guide_hooks and defines no code of its own."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only strings
    listed = config["hooks"]
    assert listed and all(entry.startswith("scripts/hooks/") for entry in listed)
    for entry in listed:
        tree = ast.parse((REPO / entry).read_text(encoding="utf-8"))
        assert not [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))], entry
        assert any(name.startswith("guide_hooks.") for name in _imports(REPO / entry)), entry


def test_an_entry_file_loads_by_path_as_mkdocs_and_sitecheck_load_it() -> None:
    """Loaded by file path in a fresh interpreter with no sys.path help, the ledger entry still finds its package."""
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('ledger_entry', {str(HOOKS / 'ledger.py')!r})\n"
        "module = importlib.util.module_from_spec(spec); sys.modules['ledger_entry'] = module\n"
        "spec.loader.exec_module(module)\n"
        "print(module.render_ledger.__module__, module.on_page_markdown.mkdocs_priority)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO.parent, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["guide_hooks.ledger", "100"]
