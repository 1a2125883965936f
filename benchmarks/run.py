"""Runs every benchmark, prints the table, writes results/latest.json and the README table."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

import event_loop
import imports
import memory
import mint_overhead
import package
import serve
import shutdown
import startup
from common import BENCH_DIR, PYTHON, Row

BENCHMARKS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (startup, mint_overhead, serve, event_loop, memory, shutdown, imports, package)
}
RESULTS = BENCH_DIR / "results" / "latest.json"
README = BENCH_DIR / "README.md"
START_MARKER = "<!-- results:start -->"
END_MARKER = "<!-- results:end -->"


def _number(value: float, unit: str) -> str:
    if unit in ("MB", "MiB"):
        return f"{value:.1f} {unit}"
    if value >= 100:
        return f"{value:.0f} {unit}"
    if value >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


def table(rows: list[Row]) -> str:
    lines = [
        "| benchmark | median | baseline median | ratio | target | result | runs |",
        "|---|--:|--:|--:|---|---|--:|",
    ]
    for row in rows:
        value = "—" if row.value is None else _number(row.value, row.unit)
        base = "—" if row.baseline is None else _number(row.baseline, row.unit)
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}×"
        runs = str(row.runs) if row.runs else "—"
        lines.append(
            f"| {row.name} | {value} | {base} | {ratio} | {row.target} | {row.verdict} | {runs} |"
        )
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, object]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "interpreter": PYTHON,
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "loadavg_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def update_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    start = readme.index(START_MARKER) + len(START_MARKER)
    end = readme.index(END_MARKER)
    README.write_text(readme[:start] + "\n" + text + "\n" + readme[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs: a smoke check")
    parser.add_argument("--only", choices=sorted(BENCHMARKS), help="run one benchmark")
    parser.add_argument(
        "--no-readme",
        action="store_true",
        help="do not rewrite the README table (it is only rewritten by a full run anyway)",
    )
    args = parser.parse_args(argv)
    chosen = [args.only] if args.only else list(BENCHMARKS)
    info = machine()
    began = time.perf_counter()
    rows: list[Row] = []
    crashed: list[str] = []
    timings: dict[str, float] = {}
    for name in chosen:
        print(f"running {name}…", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            rows.extend(BENCHMARKS[name].run(args.quick))
        except Exception:
            traceback.print_exc()
            crashed.append(name)
            rows.append(Row(name=name, unit="", value=None, status="CRASHED"))
        timings[name] = time.perf_counter() - start
        print(f"  {name}: {timings[name]:.1f} s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - began

    stamp = datetime.datetime.now().astimezone()
    loadavg = info["loadavg_at_start"]
    load = f", load average {loadavg[0]:.2f}" if isinstance(loadavg, tuple) else ""
    summary = (
        f"Measured {stamp:%Y-%m-%d %H:%M %Z} on {info['cpu']}, {info['cpus']} CPUs{load}, "
        f"Python {info['python']}, {info['platform']}; "
        f"{'quick' if args.quick else 'full'} run of {', '.join(chosen)} in {elapsed:.0f} s."
    )
    rendered = table(rows)
    print()
    print(rendered)
    print()
    for row in rows:
        if row.detail:
            print(f"- {row.name}: {row.detail}")
    print(summary)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "generated": stamp.isoformat(timespec="seconds"),
                "quick": args.quick,
                "only": args.only,
                "machine": info,
                "elapsed_s": elapsed,
                "benchmark_s": timings,
                "crashed": crashed,
                "rows": [row.as_json() for row in rows],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {RESULTS.relative_to(BENCH_DIR.parent)}")
    if args.quick or args.only or args.no_readme:
        print("README table left as is (only a full run of every benchmark rewrites it)")
    else:
        notes = "\n".join(f"- {row.name}: {row.detail}" for row in rows if row.detail)
        update_readme(f"{summary}\n\n{rendered}\n\n{notes}")
        print(f"updated {README.relative_to(BENCH_DIR.parent)}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
