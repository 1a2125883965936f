"""Packaged artifacts: .tar.gz and .deb sizes, and the packaged start vs the source start."""

from __future__ import annotations

from pathlib import Path

from common import PYTHON, QUIT_AFTER_PAINT, REPO, Row, child_env, interleaved, median, temp_dir

NAME = "package"
TARGET_TAR_MIB = 55.0
MIB = 1024 * 1024
MB = 1_000_000
NOT_BUILT = "not built (run make package)"
PACKAGED_BINARY = REPO / "build" / "dist" / "realtime-gui" / "realtime-gui"


def _size_row(pattern: str, name: str, target_mib: float | None) -> Row:
    found = sorted((REPO / "dist").glob(pattern), key=lambda p: p.stat().st_mtime)
    if not found:
        return Row(name=name, unit="MiB", value=None, status=NOT_BUILT)
    artifact = found[-1]
    size = artifact.stat().st_size
    row = Row(
        name=name,
        unit="MiB",
        value=size / MIB,
        runs=1,
        samples=[size / MIB],
        detail=f"{artifact.name}: {size / MIB:.1f} MiB = {size / MB:.1f} MB",
    )
    if target_mib is not None:
        row.target = f"≤ {target_mib:g} MiB"
        row.passed = size / MIB <= target_mib
    return row


def run(quick: bool) -> list[Row]:
    rows = [
        _size_row("*.tar.gz", "dist .tar.gz size", TARGET_TAR_MIB),
        _size_row("*.deb", "dist .deb size", None),
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
    rows.append(
        Row(
            name=name,
            unit="ms",
            value=median(times["packaged"]),
            baseline=median(times["source"]),
            baseline_name="source start (python -m realtime_gui)",
            runs=runs,
            samples=times["packaged"],
            baseline_samples=times["source"],
            detail=f"{PACKAGED_BINARY.relative_to(REPO)}, offscreen, quit after the first paint",
        )
    )
    return rows
