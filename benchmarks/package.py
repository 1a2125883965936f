"""Packaged artifacts: .tar.gz and .deb sizes, and the packaged start vs the source start."""

from __future__ import annotations

from pathlib import Path

from common import PYTHON, QUIT_AFTER_PAINT, REPO, Row, child_env, interleaved, median, temp_dir

NAME = "package"
# Issue #13: the .tar.gz at most 50 MB (10^6 bytes); the packaged start within 1.1x the source.
TARGET_TAR_MB = 50.0
TARGET_START_RATIO = 1.1
MIB = 1024 * 1024
MB = 1_000_000
NOT_BUILT = "not built (run make package)"
PACKAGED_BINARY = REPO / "build" / "dist" / "realtime-gui" / "realtime-gui"


def _size_row(pattern: str, name: str, target_mb: float | None) -> Row:
    found = sorted((REPO / "dist").glob(pattern), key=lambda p: p.stat().st_mtime)
    if not found:
        return Row(name=name, unit="MB", value=None, status=NOT_BUILT)
    artifact = found[-1]
    size = artifact.stat().st_size
    row = Row(
        name=name,
        unit="MB",
        value=size / MB,
        runs=1,
        samples=[size / MB],
        detail=f"{artifact.name}: {size / MIB:.1f} MiB = {size / MB:.1f} MB",
    )
    if target_mb is not None:
        row.target = f"≤ {target_mb:g} MB"
        row.passed = size / MB <= target_mb
    return row


def run(quick: bool) -> list[Row]:
    rows = [
        _size_row("realtime-gui-*-linux-*.tar.gz", "dist .tar.gz size", TARGET_TAR_MB),
        _size_row("realtime-gui_*.deb", "dist .deb size", None),
    ]
    name = "packaged start to first paint"
    if not PACKAGED_BINARY.exists():
        rows.append(Row(name=name, unit="ms", value=None, status=NOT_BUILT))
        return rows
    runs = 3 if quick else 10
    with temp_dir() as tmp:
        env = child_env(Path(tmp), QUIT_AFTER_PAINT)
        times = interleaved(
            {"packaged": [str(PACKAGED_BINARY)], "source": [PYTHON, "-m", "realtime_gui"]},
            env,
            runs,
        )
    row = Row(
        name=name,
        unit="ms",
        value=median(times["packaged"]),
        baseline=median(times["source"]),
        baseline_name="source start (python -m realtime_gui)",
        runs=runs,
        samples=times["packaged"],
        baseline_samples=times["source"],
        detail=f"{PACKAGED_BINARY.relative_to(REPO)}, offscreen, quit after the first paint",
        target=f"ratio ≤ {TARGET_START_RATIO}",
    )
    row.passed = row.ratio is not None and row.ratio <= TARGET_START_RATIO
    rows.append(row)
    return rows
