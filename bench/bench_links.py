"""Benchmark `sitecheck links` against MkDocs' own validation and lychee on generated sites.

    .venv/bin/python bench/bench_links.py --pages 1000 2000 5000 10000 --runs 3 --mkdocs-max 5000
    .venv/bin/python bench/bench_links.py --pages 10000 --broken 0.02 0.20 --tools sitecheck

For each N (and each ``--broken`` rate, default 2 %) it generates a site of N pages (100 per
folder) with about 30 links a page: 10 % to an anchor, the given share broken (half a missing
anchor; of the missing pages, half a typo in the file name and half in a renamed folder, the two
cases "did you mean" has to answer), plus headings, a code block holding a link that must be
ignored, and an image. It then times, on the same tree:

* ``sitecheck links`` (the installed command, JSON output),
* ``mkdocs build`` with a minimal config (theme ``mkdocs``, one nav entry, validation at ``warn``),
* ``lychee --offline --include-fragments`` over the Markdown files,

plus ``sitecheck (re-run)``: the same command again with nothing changed (its cache kept; the cold
runs above delete ``.cache/`` first), and prints, per tool and N, the median wall time of ``--runs`` runs, the peak memory of the
whole process tree (PSS, sampled from /proc in one extra run, so forked workers' shared pages
count once), and how many broken links each found (expected: the number generated).
Linux only (it reads /proc).

The checker under test is selectable: ``--sitecheck DIR`` runs ``python -m mkdocs_sitecheck`` with DIR (a
``scripts`` folder) on PYTHONPATH, with ``--python`` (default: this interpreter), so the same
script compares main and a branch.

``--bad-input`` instead feeds the checker what a hostile pull request might hold, each bounded by
``--timeout`` and a memory cap (the process is killed above ``--max-mb``):

* a symlink loop inside ``docs/`` (``docs/loop -> .``),
* one ~105 MB page holding about 5 million broken links,

and reports, for each, the exit code, the first line of output, peak memory (RSS high-water mark
from ``/usr/bin/time -v`` and sampled PSS) and wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from checker_module import checker_module

LINKS_PER_PAGE = 30
PAGES_PER_FOLDER = 100
SECTIONS = 6
BIN = Path(sys.executable).parent
CHECKER: list[str] = [str(BIN / "sitecheck")]
CHECKER_ENV: dict[str, str] = {}
TOOL_TIMEOUT = [1800.0]


@dataclass
class Measure:
    """One tool on one tree: median wall and CPU seconds, peak tree memory (MB), broken links found."""

    seconds: float
    peak_mb: float
    broken: int
    cpu: float = 0.0


def page_path(i: int) -> str:
    """The docs path of page ``i``."""
    return f"part{i // PAGES_PER_FOLDER:03d}/page{i:05d}.md"


def broken_link(rng: random.Random, target: int, rel: str) -> str:
    """A broken link near page ``target``: a typo in its name, a renamed folder, or a missing anchor."""
    folder, name = f"part{target // PAGES_PER_FOLDER:03d}", f"page{target:05d}"
    roll = rng.random()
    if roll < 0.25:
        return f"[typo](../{folder}/{name[:2]}{name[3:]}.md)"  # "pge00123.md"
    if roll < 0.5:
        return f"[renamed folder](../old{folder[4:]}/{name}.md)"  # "old001/page00123.md"
    return f"[missing anchor]({rel}#no-such-section)"


def generate(root: Path, pages: int, seed: int = 1, broken_rate: float = 0.02) -> int:
    """Write a site of ``pages`` pages under root/docs; return how many links are broken."""
    rng = random.Random(seed)
    docs = root / "docs"
    broken = 0
    (docs / "img").mkdir(parents=True, exist_ok=True)
    (docs / "img" / "logo.png").write_bytes(b"\x89PNG\r\n")
    for i in range(pages):
        path = docs / page_path(i)
        path.parent.mkdir(parents=True, exist_ok=True)
        here = Path(page_path(i)).parent
        lines = [f"# Page {i}", "", "Introduction with an image ![logo](../img/logo.png).", ""]
        links: list[str] = []
        for _ in range(LINKS_PER_PAGE - 1):
            roll = rng.random()
            target = rng.randrange(pages)
            rel = os.path.relpath(page_path(target), here).replace(os.sep, "/")
            if roll < broken_rate:
                links.append(broken_link(rng, target, rel))
                broken += 1
            elif roll < broken_rate + 0.10:
                links.append(f"[section]({rel}#section-{rng.randrange(SECTIONS)}-of-page-{target})")
            else:
                links.append(f"[page {target}]({rel})")
        per_section = len(links) // SECTIONS + 1
        for s in range(SECTIONS):
            lines += [f"## Section {s} of page {i}", ""]
            chunk = links[s * per_section : (s + 1) * per_section]
            for j in range(0, len(chunk), 3):
                lines.append("Some words about this topic, " + ", ".join(chunk[j : j + 3]) + ", and more words.")
            lines.append("")
            if s == 2:
                lines += ["```text", "[not a link](nowhere.md) inside a code block", "```", ""]
        path.write_text("\n".join(lines), encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\nA generated site.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: bench\n"
        "theme:\n  name: mkdocs\n"
        "nav:\n  - Home: index.md\n"
        "not_in_nav: |\n  /part*/\n"
        "plugins: []\n"
        "markdown_extensions:\n  - toc\n  - attr_list\n"
        "validation:\n"
        "  nav:\n    omitted_files: info\n    not_found: warn\n"
        "  links:\n    not_found: warn\n    anchors: warn\n    absolute_links: warn\n    unrecognized_links: warn\n",
        encoding="utf-8",
    )
    return broken


def _descendants(pid: int) -> list[int]:
    """A process and its descendants (via /proc/PID/task/*/children)."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return found


def _tree_pss_kb(pid: int) -> int:
    """Proportional resident memory (kB) of a process tree: shared pages counted once, not per fork."""
    total = 0
    for current in _descendants(pid):
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


def run_once(argv: list[str], cwd: Path, *, sample: bool = False) -> tuple[float, float, str, str, float]:
    """Run a command; return wall seconds, peak memory of its tree (MB, when sampled), stdout, stderr, CPU seconds.

    CPU seconds (user + system of the command and its workers) stay meaningful when other work
    shares the machine; wall time does not.

    Timed runs are not sampled (the sampler would compete for the CPUs); memory comes from a
    separate sampled run.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **CHECKER_ENV}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]

    def sampler() -> None:
        """Sample the process tree's memory until it exits."""
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_pss_kb(proc.pid))
            time.sleep(0.05)

    thread = threading.Thread(target=sampler, daemon=True)
    if sample:
        thread.start()
    try:
        out, err = proc.communicate(timeout=TOOL_TIMEOUT[0])
    except subprocess.TimeoutExpired:
        for pid in reversed(_descendants(proc.pid)):
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        out, err = proc.communicate()
        err += f"\ntimed out after {TOOL_TIMEOUT[0]:.0f} s"
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if sample:
        thread.join()
    return seconds, peak[0] / 1024, out, err, cpu


def count_sitecheck(out: str, err: str) -> int:
    """Broken links in sitecheck's JSON output."""
    data = json.loads(out)
    return sum(1 for f in data["findings"] if f["code"] in ("LNK001", "LNK006"))


MKDOCS_PROBLEM = re.compile(r"contains a link .*(not found among documentation files|does not contain an anchor|no such anchor)")


def count_mkdocs(out: str, err: str) -> int:
    """Broken links in mkdocs' log."""
    return sum(1 for line in err.splitlines() if MKDOCS_PROBLEM.search(line))


def count_lychee(out: str, err: str) -> int:
    """Broken links in lychee's JSON report."""
    data = json.loads(out)
    return int(data.get("errors", 0))


def tools(root: Path, site_dir: Path) -> dict[str, tuple[list[str], object]]:
    """The commands to compare, and how to count what each found."""
    files = sorted(str(p) for p in (root / "docs").rglob("*.md"))
    return {
        "sitecheck": ([*CHECKER, "links", "--config", str(root / "mkdocs.yml"), "--format", "json"], count_sitecheck),
        "sitecheck (re-run)": ([*CHECKER, "links", "--config", str(root / "mkdocs.yml"), "--format", "json"], count_sitecheck),
        "mkdocs": ([str(BIN / "mkdocs"), "build", "--site-dir", str(site_dir)], count_mkdocs),
        "lychee": (
            [str(BIN / "lychee"), "--offline", "--include-fragments", "--no-progress", "--format", "json", "--root-dir", str(root / "docs"), *files],
            count_lychee,
        ),
    }


def measure(name: str, argv: list[str], counter: object, root: Path, runs: int) -> Measure:
    """Median time over ``runs`` runs of one tool, then its peak memory from one sampled run.

    ``sitecheck`` runs cold (its ``.cache`` folder deleted before each run); ``sitecheck (re-run)``
    runs once to fill the cache, then is timed with nothing changed.
    """
    times, cpus, found = [], [], 0
    cold = name == "sitecheck"
    if name == "sitecheck (re-run)":
        run_once(argv, root)
    for _ in range(runs):
        if cold:
            shutil.rmtree(root / ".cache", ignore_errors=True)
        seconds, _, out, err, cpu = run_once(argv, root)
        times.append(seconds)
        cpus.append(cpu)
        try:
            found = counter(out, err)  # type: ignore[operator]
        except (ValueError, KeyError) as exc:
            print(f"  {name}: cannot read its output ({exc}); stderr: {err[-500:]}", file=sys.stderr)
            found = -1
    if cold:
        shutil.rmtree(root / ".cache", ignore_errors=True)
    _, peak, _, _, _ = run_once(argv, root, sample=True)
    return Measure(statistics.median(times), peak, found, statistics.median(cpus))


def bad_site(root: Path, case: str) -> None:
    """Write one hostile site: ``loop`` (a symlink loop in docs/) or ``huge`` (a ~105 MB page of broken links)."""
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text("site_name: bad input\n", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\n[guide](guide.md)\n", encoding="utf-8")
    (docs / "guide.md").write_text("# Guide\n", encoding="utf-8")
    if case == "loop":
        (docs / "sub").mkdir(exist_ok=True)
        (docs / "sub" / "loop").symlink_to("..", target_is_directory=True)
        (docs / "self").symlink_to("self")
    else:
        with open(docs / "huge.md", "w", encoding="utf-8") as handle:
            handle.write("# Huge\n\n")
            for i in range(500_000):  # 10 distinct missing targets a line, 211 bytes: 105.5 MB
                handle.write("".join(f"[b](missi{i * 10 + k:07d}.md) " for k in range(10)) + "\n")


def run_bounded(argv: list[str], cwd: Path, timeout: float, max_mb: float) -> dict[str, object]:
    """Run a command under /usr/bin/time -v; kill it past the timeout or the memory cap."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **CHECKER_ENV}
    timing = cwd / "time.txt"
    start = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", str(timing), *argv], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak, killed = [0], [""]

    def watch() -> None:
        """Sample memory; kill the tree past the cap or the timeout."""
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_pss_kb(proc.pid))
            over = peak[0] / 1024 > max_mb
            late = time.perf_counter() - start > timeout
            if over or late:
                killed[0] = f"killed: {'over ' + str(int(max_mb)) + ' MB' if over else 'timeout ' + str(int(timeout)) + ' s'}"
                for pid in reversed(_descendants(proc.pid)):
                    try:
                        os.kill(pid, 9)
                    except OSError:
                        pass
                return
            time.sleep(0.1)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    out, err = proc.communicate()
    thread.join()
    seconds = time.perf_counter() - start
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing.read_text() if timing.exists() else "")
    first = next((line for line in (err.strip().splitlines() + out.strip().splitlines()) if "Command exited" not in line), "")
    return {
        "exit": proc.returncode,
        "first": first[:200],
        "rss_mb": int(rss.group(1)) / 1024 if rss else 0.0,
        "pss_mb": peak[0] / 1024,
        "seconds": seconds,
        "killed": killed[0],
        "lines": len(out.splitlines()),
    }


def bad_input(timeout: float, max_mb: float) -> int:
    """Run the checker on each hostile site and print a Markdown table of how it behaved."""
    print("| case | exit | first line of output | output lines | peak RSS MB | peak PSS MB | seconds | note |")
    print("|---|---:|---|---:|---:|---:|---:|---|")
    for case in ("loop", "huge"):
        base = Path(tempfile.mkdtemp(prefix=f"bench-bad-{case}-"))
        try:
            bad_site(base, case)
            size = sum(p.stat().st_size for p in (base / "docs").glob("*.md"))
            result = run_bounded([*CHECKER, "links", "--config", str(base / "mkdocs.yml")], base, timeout, max_mb)
            label = "symlink loop in docs/" if case == "loop" else f"{size / 1e6:.0f} MB page, 5,000,000 broken links"
            first = str(result["first"]).replace("|", "\\|").replace(str(base), "<tmp>")
            print(
                f"| {label} | {result['exit']} | `{first}` | {result['lines']} | {result['rss_mb']:.0f} | {result['pss_mb']:.0f} | "
                f"{result['seconds']:.1f} | {result['killed']} |",
                flush=True,
            )
        finally:
            shutil.rmtree(base, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Generate sites, run every tool, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    parser.add_argument("--broken", type=float, nargs="+", default=[0.02], help="shares of links broken")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mkdocs-max", type=int, default=10000, help="skip the MkDocs build above this many pages")
    parser.add_argument("--tools", nargs="+", default=["sitecheck", "sitecheck (re-run)", "mkdocs", "lychee"])
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--sitecheck", type=Path, help="a scripts folder holding the sitecheck package (default: the installed command)")
    parser.add_argument("--python", type=Path, default=Path(sys.executable), help="the Python that runs --sitecheck")
    parser.add_argument("--bad-input", action="store_true", help="run the hostile-input cases instead of the timing table")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a bad-input run is killed")
    parser.add_argument("--max-mb", type=float, default=3000, help="memory above which a bad-input run is killed")
    parser.add_argument("--tool-timeout", type=float, default=1800, help="seconds before one timed run is killed")
    args = parser.parse_args(argv)
    TOOL_TIMEOUT[0] = args.tool_timeout
    if args.sitecheck:
        CHECKER[:] = [str(args.python), "-m", checker_module(args.sitecheck.resolve())]
        CHECKER_ENV["PYTHONPATH"] = str(args.sitecheck.resolve())
    if args.bad_input:
        return bad_input(args.timeout, args.max_mb)
    rows = []
    for n, rate in [(n, rate) for n in args.pages for rate in args.broken]:
        base = args.keep or Path(tempfile.mkdtemp(prefix="bench-links-"))
        root = base / f"site-{n}-{rate:g}"
        shutil.rmtree(root, ignore_errors=True)
        expected = generate(root, n, broken_rate=rate)
        commands = tools(root, base / f"out-{n}")
        row = {"pages": n, "rate": rate, "expected": expected}
        for name in args.tools:
            if name == "mkdocs" and n > args.mkdocs_max:
                continue
            command, counter = commands[name]
            result = measure(name, command, counter, root, args.runs)
            row[name] = result
            print(
                f"N={n} broken={rate:.0%} {name}: {result.seconds:.2f} s ({result.cpu:.2f} s CPU), {result.peak_mb:.0f} MB, {result.broken}/{expected} broken",
                file=sys.stderr,
                flush=True,
            )
        rows.append(row)
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    columns = " | ".join(f"{t} s / CPU s / MB / found" for t in args.tools)
    print(f"| pages | broken share | expected broken | {columns} | mkdocs ÷ sitecheck | lychee ÷ sitecheck |")
    print("|---:|---:|---:|" + "---:|" * (len(args.tools) + 2))
    for row in rows:
        cells = []
        for name in args.tools:
            m = row.get(name)
            cells.append(f"{m.seconds:.2f} / {m.cpu:.2f} / {m.peak_mb:.0f} / {m.broken}" if isinstance(m, Measure) else "–")
        ratios = []
        for other in ("mkdocs", "lychee"):
            m, s = row.get(other), row.get("sitecheck")
            both = isinstance(m, Measure) and isinstance(s, Measure) and s.seconds > 0 and s.cpu > 0
            ratios.append(f"{m.seconds / s.seconds:.1f}× wall, {m.cpu / s.cpu:.1f}× CPU" if both else "–")  # type: ignore[union-attr]
        print(f"| {row['pages']} | {row['rate']:.0%} | {row['expected']} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
