"""Import cost of the CLI path (python -X importtime) vs importing httpx; Qt must not load."""

from __future__ import annotations

import re
from pathlib import Path

from common import PYTHON, Row, child_env, median, run_child, temp_dir

NAME = "imports"
_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)\s*$")
QT_PREFIXES = ("PySide6", "shiboken6")
COMMANDS = {
    "cli": [PYTHON, "-X", "importtime", "-c", "import realtime_gui.cli"],
    "mint_help": [PYTHON, "-X", "importtime", "-m", "realtime_gui", "mint", "--help"],
    "baseline": [PYTHON, "-X", "importtime", "-c", "import httpx"],
}
NAMES = {
    "cli": "import realtime_gui.cli",
    "mint_help": "python -m realtime_gui mint --help",
}


def parse_importtime(stderr: str) -> tuple[float, list[str]]:
    """Sum of every module's self time in ms, and the modules imported, in order."""
    total_us = 0
    modules = []
    for line in stderr.splitlines():
        match = _LINE.match(line)
        if match:
            total_us += int(match.group(1))
            modules.append(match.group(4))
    if not modules:
        raise ValueError(f"no -X importtime lines in: {stderr[-300:]!r}")
    return total_us / 1000, modules


def run(quick: bool) -> list[Row]:
    runs = 3 if quick else 10
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    qt_seen: dict[str, set[str]] = {name: set() for name in COMMANDS}
    with temp_dir() as tmp:
        env = child_env(Path(tmp))
        for command in COMMANDS.values():  # one untimed warm-up round (bytecode, page cache)
            run_child(command, env)
        for _ in range(runs):
            for name, command in COMMANDS.items():
                total, modules = parse_importtime(run_child(command, env).stderr)
                times[name].append(total)
                qt_seen[name].update(m for m in modules if m.startswith(QT_PREFIXES))
    baseline = median(times["baseline"])
    rows = []
    for key, name in NAMES.items():
        qt = sorted(qt_seen[key])
        rows.append(
            Row(
                name=name,
                unit="ms",
                value=median(times[key]),
                baseline=baseline,
                baseline_name="python -X importtime -c 'import httpx'",
                target="no Qt imported",
                passed=not qt,
                runs=runs,
                samples=times[key],
                baseline_samples=times["baseline"],
                detail="Qt imported: "
                + (", ".join(qt[:5]) if qt else "no")
                + "; sum of the self times of every imported module (-X importtime)",
            )
        )
    return rows
