"""Scale benchmark of the offline `sitecheck refs --bib` check (issue 18, item 4).

Builds a bibliography of about ``--mb`` MB (about 270 bytes an entry: 60 MB is some 220,000 entries),
synthetic or made of the real entries of ``--corpus`` repeated with renamed keys, and checks 1/4, 1/2
and the full size with ``sitecheck refs --bib FILE`` in a child process, using the sitecheck package of
``--sitecheck SCRIPTS_DIR`` (so main and a branch can be compared on the same files). Prints wall time,
peak RSS (from ``wait4``), entries per second and the exit status; each run is bounded by ``--timeout``
seconds (then killed, exit -9) and ``--memory-gb`` of address space. Exit 0 when the full size takes at
most 60 s of CPU and 1 GB (CPU, not wall: the machine is shared).

    .venv/bin/python bench/bench_refs_scale.py [--mb 60] [--corpus /work/corpus/bib] [--sitecheck DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from checker_module import checker_module

REPO = Path(__file__).resolve().parent.parent
WORDS = (
    "ketamine esketamine depression infusion glutamate synaptic plasticity remission relapse suicidal ideation "
    "adolescent maintenance randomized trial cohort response biomarkers inflammation neuroimaging placebo dose"
).split()


def synthetic_entry(i: int) -> str:
    """One realistic entry of about 300 bytes: an article with a DOI, a book with an ISBN, a paper without one, a web page."""
    title = " ".join(WORDS[(i * k + k) % len(WORDS)] for k in range(1, 9)).capitalize()
    author = f"Author{i % 9973}, Ann and Second{i % 701}, Bo"
    kind = i % 4
    if kind == 0:
        return (f"@article{{s{i},\n  author = {{{author}}},\n  title = {{{title} {i}}},\n"
                f"  journal = {{Journal of Benchmark Psychiatry}},\n  year = {{{1990 + i % 35}}},\n  volume = {{{i % 90 + 1}}},\n"
                f"  pages = {{{i % 900 + 1}--{i % 900 + 9}}},\n  doi = {{10.5555/bench.{i}}}\n}}\n")  # fmt: skip
    if kind == 1:
        return (f"@book{{s{i},\n  author = {{{author}}},\n  title = {{{title} {i}}},\n  publisher = {{Benchmark Press}},\n"
                f"  address = {{Oxford}},\n  year = {{{1990 + i % 35}}},\n  isbn = {{{isbn13(978_000_000_000 + i)}}}\n}}\n")  # fmt: skip
    if kind == 2:
        return (f"@inproceedings{{s{i},\n  author = {{{author}}},\n  title = {{{title} {i}}},\n"
                f"  booktitle = {{Proceedings of the Benchmark Conference}},\n  year = {{{1990 + i % 35}}},\n"
                f"  pages = {{{i % 900 + 1}--{i % 900 + 9}}}\n}}\n")  # fmt: skip
    return (f"@misc{{s{i},\n  author = {{{author}}},\n  title = {{{title} {i}}},\n  year = {{{1990 + i % 35}}},\n"
            f"  howpublished = {{\\url{{https://www.who.int/publications/bench/{i}}}}},\n  note = {{Accessed 2024-01-0{i % 9 + 1}}}\n}}\n")  # fmt: skip


def isbn13(first12: int) -> str:
    """The ISBN-13 whose first twelve digits are ``first12``, with its check digit."""
    digits = f"{first12:012d}"
    total = sum(int(d) * (1 if n % 2 == 0 else 3) for n, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def real_entries(corpus: Path) -> list[str]:
    """The entries of every .bib file in ``corpus`` (text from one line-start ``@`` to the next); @string kept in front."""
    entries: list[str] = []
    for path in sorted(corpus.glob("*.bib")):
        text = path.read_text("utf-8", "replace")
        entries += [chunk if chunk.startswith("@") else "@" + chunk for chunk in re.split(r"(?m)^@", text)[1:]]
    return entries


def scale_file(path: Path, megabytes: float, corpus: Path | None) -> int:
    """Write a bibliography of about ``megabytes`` MB to ``path``; return its entry count."""
    target, size, count = int(megabytes * 1_000_000), 0, 0
    pool = real_entries(corpus) if corpus else []
    key = re.compile(r"^(@\s*\w+\s*[{(]\s*)([^,\s]*)")
    with path.open("w", encoding="utf-8") as out:
        while size < target:
            if pool:
                chunk = pool[count % len(pool)]
                if not re.match(r"@\s*(string|preamble|comment)", chunk, re.IGNORECASE):
                    chunk = key.sub(rf"\g<1>\g<2>-r{count // len(pool)}", chunk, count=1)
            else:
                chunk = synthetic_entry(count)
            size += len(chunk.encode()) + 1
            out.write(chunk + "\n")
            count += 1
    return count


def measured_run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float, memory_gb: float) -> tuple[float, float, int, int, str]:
    """Run ``cmd`` in a child: wall and CPU seconds, peak RSS in KiB, exit status (-9 when killed at the timeout), last line."""

    def limit() -> None:
        os.nice(10)
        cap = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=limit)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.send_signal(signal.SIGKILL)
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        took = time.perf_counter() - started
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    code = os.waitstatus_to_exitcode(status)
    return took, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code, lines[-1][:200] if lines else ""


def scale_bench(megabytes: float, corpus: Path | None, scripts: Path, timeout: float, memory_gb: float) -> int:
    """Check 1/4, 1/2 and the full size offline; print time, peak RSS and throughput per size."""
    env = dict(os.environ, PYTHONPATH=str(scripts.resolve()), SITECHECK_TODAY="2026-12-06")
    source = f"real entries of {corpus}" if corpus else "synthetic entries"
    print(f"sitecheck refs --bib (offline) at scale, {source}, sitecheck from {scripts}")
    print(f"{'MB':>6}{'entries':>9}{'wall s':>9}{'CPU s':>8}{'peak RSS MB':>13}{'entries/CPU s':>15}  exit  last line")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for fraction in (0.25, 0.5, 1.0):
            bib = Path(tmp) / "big.bib"
            entries = scale_file(bib, megabytes * fraction, corpus)
            size = bib.stat().st_size / 1e6
            cmd = [sys.executable, "-m", checker_module(scripts), "refs", "--bib", str(bib), "--format", "text"]
            took, cpu, rss, code, last = measured_run(cmd, Path(tmp), env, timeout, memory_gb)
            rate = entries / cpu if cpu else 0.0
            print(f"{size:>6.1f}{entries:>9}{took:>9.1f}{cpu:>8.1f}{rss / 1024:>13.0f}{rate:>15.0f}  {code:>4}  {last}", flush=True)
            ok = ok and code in (0, 1) and (fraction < 1.0 or (cpu <= 60 and rss < 2**20))
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mb", type=float, default=60.0, help="size of the full-size bibliography")
    parser.add_argument("--corpus", type=Path, help="a folder of real .bib files to repeat (default: synthetic)")
    parser.add_argument("--sitecheck", type=Path, default=REPO / "scripts", help="scripts dir of the sitecheck under test")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds allowed per run")
    parser.add_argument("--memory-gb", type=float, default=3.0, help="address-space cap per run")
    args = parser.parse_args(argv)
    return scale_bench(args.mb, args.corpus, args.sitecheck, args.timeout, args.memory_gb)


if __name__ == "__main__":
    raise SystemExit(main())
