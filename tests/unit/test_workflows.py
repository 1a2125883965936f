"""The GitHub workflows: pinned actions, the three release runners, and a lint that catches faults."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML  # comes with check-jsonschema, the workflow linter (dev extra)

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
RELEASE = WORKFLOWS / "release.yml"
PINNED = re.compile(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}")


def _load(path: Path) -> dict[str, Any]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in workflow["jobs"].items() for step in job["steps"]]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: it is in the dev extra (make venv)")
    return found


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_version_named(path: Path) -> None:
    lines = [line for line in path.read_text().splitlines() if "uses:" in line]
    assert lines, f"{path.name} uses no action"
    for line in lines:
        reference = line.split("uses:", 1)[1].split("#", 1)[0].strip()
        assert PINNED.fullmatch(reference), line
        assert re.search(r"# v\d+\.\d+\.\d+$", line), f"no version comment: {line}"


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_no_workflow_grants_more_than_read_access(path: Path) -> None:
    workflow = _load(path)
    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        assert job["permissions"] == {"contents": "read"}
        assert job["timeout-minutes"] <= 90
    checkouts = [s for _, s in _steps(workflow) if s.get("uses", "").startswith("actions/checkout")]
    assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_release_builds_on_linux_windows_and_macos_and_smoke_tests_each() -> None:
    workflow = _load(RELEASE)
    runners = {name: job["runs-on"] for name, job in workflow["jobs"].items()}
    assert sorted(r.split("-")[0] for r in runners.values()) == ["macos", "ubuntu", "windows"]
    expected = {
        "linux": ("build/dist/realtime-gui/realtime-gui", "dist/*.deb"),
        "windows": (r"build\dist\realtime-gui\realtime-gui-cli.exe", "dist/*.exe"),
        "macos": ("build/dist/realtime-gui.app/Contents/MacOS/realtime-gui", "dist/*.dmg"),
    }
    for job, (binary, artifact) in expected.items():
        runs = "\n".join(s.get("run", "") for s in workflow["jobs"][job]["steps"])
        assert "packaging/smoke.py" in runs.replace("\\", "/")
        assert binary in runs, (job, binary)
        uploads = [
            s for s in workflow["jobs"][job]["steps"] if "upload-artifact" in s.get("uses", "")
        ]
        assert len(uploads) == 1 and artifact in uploads[0]["with"]["path"]
        assert uploads[0]["with"]["if-no-files-found"] == "error"


def test_release_scripts_it_runs_exist_and_name_the_binaries_the_spec_builds() -> None:
    runs = "\n".join(s.get("run", "") for _, s in _steps(_load(RELEASE)))
    for script in ("packaging/windows/build.ps1", "packaging/macos/build.sh", "packaging/smoke.py"):
        assert script in runs.replace("\\", "/") and (ROOT / script).is_file(), script
    spec = (ROOT / "packaging" / "realtime-gui.spec").read_text()
    assert '"realtime-gui-cli"' in spec and "realtime-gui.app" in spec


def test_pull_requests_run_the_same_ci_script_as_every_stop() -> None:
    workflow = _load(WORKFLOWS / "test.yml")
    assert "pull_request" in workflow["on"]
    runs = [s.get("run", "") for _, s in _steps(workflow)]
    assert "bash .ci/run" in runs
    (job,) = workflow["jobs"].values()
    assert job["container"] == "debian:12" and job["timeout-minutes"] == 90


def test_the_workflow_lint_rejects_an_unpinned_action_and_a_broken_schema(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    bad = folder / "bad.yml"
    bad.write_text(RELEASE.read_text().replace(
        "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2", "actions/checkout@v4"
    ))  # fmt: skip
    config = ROOT / ".github" / "zizmor.yml"
    audit = [_tool("zizmor"), "--offline", "--persona", "pedantic", "--config", str(config)]
    found = subprocess.run([*audit, str(folder)], capture_output=True, text=True, timeout=120)
    assert found.returncode != 0 and "unpinned-uses" in found.stdout + found.stderr
    clean = subprocess.run([*audit, str(WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    bad.write_text(RELEASE.read_text().replace("runs-on:", "runs_on:", 1))
    schema = [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
    broken = subprocess.run([*schema, str(bad)], capture_output=True, text=True, timeout=120)
    assert broken.returncode != 0, broken.stdout
