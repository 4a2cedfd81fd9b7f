"""Count the assertions in the test suite: `assert` statements and Playwright `expect(...).to_*` calls.

Usage: python bench/count_assertions.py [TESTS_DIR] [--by-file]

Used to show that speeding up the suite dropped no assertion: run it before and after a change and
compare the totals (and, with --by-file, where they moved).
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from pathlib import Path


def _is_expect_assertion(node: ast.Call) -> bool:
    """Whether a call is `expect(x).to_...(...)` or `expect(x).not_to_...(...)`."""
    func = node.func
    if not isinstance(func, ast.Attribute) or not func.attr.startswith(("to_", "not_to_")):
        return False
    inner = func.value
    return isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "expect"


def count(source: str) -> Counter[str]:
    """Assertions in one module's source, by kind: 'assert' and 'expect'."""
    found: Counter[str] = Counter()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            found["assert"] += 1
        elif isinstance(node, ast.Call) and _is_expect_assertion(node):
            found["expect"] += 1
    return found


def count_tree(tests: Path) -> dict[str, Counter[str]]:
    """Assertions per test module under a folder, keyed by its path relative to the folder's parent."""
    return {path.relative_to(tests.parent).as_posix(): count(path.read_text(encoding="utf-8")) for path in sorted(tests.rglob("*.py"))}


def main(argv: list[str] | None = None) -> int:
    """Print the totals (and per file with --by-file); exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tests", nargs="?", type=Path, default=Path(__file__).resolve().parents[1] / "tests")
    parser.add_argument("--by-file", action="store_true", help="one line per module as well")
    args = parser.parse_args(argv)
    per_file = count_tree(args.tests)
    total: Counter[str] = Counter()
    for name, found in per_file.items():
        total += found
        if args.by_file and found:
            print(f"{name}: {found['assert']} assert, {found['expect']} expect")
    print(f"total: {total['assert'] + total['expect']} assertions ({total['assert']} assert, {total['expect']} expect) in {len(per_file)} modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
