"""The .deb as Debian sees it: lintian finds no error, installing and purging it leaves nothing.

Run by ``make package-tests`` after ``make package``. lintian and dpkg come from Debian; the
lintian test skips where lintian is missing, except in CI (CI=true), where it fails.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging.test_linux_package import DIST, ROOT, VERSION, _only, unpacked  # noqa: F401

pytestmark = pytest.mark.packaging

PACKAGING_README = ROOT / "packaging" / "README.md"


def _deb() -> Path:
    return _only(f"realtime-gui_{VERSION}_*.deb")


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is missing: .ci/run installs it")
        pytest.skip(f"{tool} is not installed (Debian: apt-get install {tool})")
    return found


def _documented_warnings() -> set[str]:
    """The lintian warnings packaging/README.md lists, each with its reason."""
    text = PACKAGING_README.read_text()
    section = text.split("### lintian warnings that remain", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.MULTILINE))


def test_lintian_reports_no_error_and_only_documented_warnings() -> None:
    lintian = _require("lintian")
    done = subprocess.run(
        [lintian, "--tag-display-limit", "0", str(_deb())],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    findings = [line for line in done.stdout.splitlines() if re.match(r"^[EW]: ", line)]
    errors = [line for line in findings if line.startswith("E: ")]
    assert not errors, "\n".join(errors)
    warnings = {line.split()[2] for line in findings if line.startswith("W: ")}
    documented = _documented_warnings()
    assert documented, "packaging/README.md lists no lintian warning"
    assert warnings <= documented, f"undocumented lintian warnings: {warnings - documented}"


def test_deb_carries_copyright_changelog_man_page_and_overrides(tmp_path: Path) -> None:
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(_deb()), str(root)], check=True)
    doc = root / "usr/share/doc/realtime-gui"
    assert (doc / "copyright").read_text().startswith("Format: https://www.debian.org/")
    changelog = gzip.decompress((doc / "changelog.gz").read_bytes()).decode()
    assert changelog.startswith(f"realtime-gui ({VERSION}) ")  # the version being shipped
    man = gzip.decompress((root / "usr/share/man/man1/realtime-gui.1.gz").read_bytes()).decode()
    assert man.startswith(".TH REALTIME-GUI 1")
    overrides = (root / "usr/share/lintian/overrides/realtime-gui").read_text()
    rules = [line for line in overrides.splitlines() if line.startswith("realtime-gui:")]
    assert rules and all("[usr/lib/realtime-gui/" in rule for rule in rules)
    maintainer = subprocess.run(
        ["dpkg-deb", "-f", str(_deb()), "Maintainer"], capture_output=True, text=True, check=True
    ).stdout
    assert "@" in maintainer and "invalid" not in maintainer


def test_bundle_libraries_are_not_executable_and_search_only_their_own_folder(
    unpacked: Path,  # noqa: F811
) -> None:
    readelf = _require("readelf")
    libraries = [p for p in unpacked.parent.rglob("*.so*") if p.is_file()]
    assert len(libraries) > 50
    executable = [p.name for p in libraries if os.stat(p).st_mode & 0o111]
    assert not executable
    outside = []
    for library in libraries:
        dynamic = subprocess.run([readelf, "-d", str(library)], capture_output=True, text=True)
        for path in re.findall(r"\((?:RUNPATH|RPATH)\).*\[(.*)\]", dynamic.stdout):
            if any(not part.startswith("$ORIGIN") for part in path.split(":")):
                outside.append(f"{library.name}: {path}")
    assert not outside


def test_install_then_purge_leaves_nothing_behind(tmp_path: Path) -> None:
    """dpkg installs into a private root (no maintainer script needs one) and purges it."""
    dpkg = _require("dpkg")
    root = tmp_path / "root"
    for folder in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"):
        (root / folder).mkdir(parents=True)
    for name in ("status", "available"):
        (root / "var/lib/dpkg" / name).touch()
    # The dependencies are the host's business here: the private root has no libc6.
    base = [dpkg, f"--root={root}", "--force-depends", "--force-not-root", "--log=/dev/null"]
    done = subprocess.run([*base, "-i", str(_deb())], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    installed = {p.relative_to(root) for p in root.rglob("*")} - {Path("var")}
    assert Path("usr/lib/realtime-gui/realtime-gui") in installed
    assert Path("usr/bin/realtime-gui") in installed
    done = subprocess.run([*base, "--purge", "realtime-gui"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    left = sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if not p.is_relative_to(root / "var")
    )
    assert left == [], left


def _needed(elf: Path, readelf: str) -> list[str]:
    dynamic = subprocess.run([readelf, "-d", str(elf)], capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\).*\[(.*)\]", dynamic)


def test_what_the_bundle_leaves_to_the_system_resolves_and_the_deb_depends_on_it(
    unpacked: Path,  # noqa: F811
) -> None:
    """The spec leaves the desktop's libraries out; each must load and be a Depends."""
    readelf, ldd = _require("readelf"), _require("ldd")
    folder = unpacked.parent
    bundled = {p.name for p in folder.rglob("*.so*")}
    elves = [unpacked, *(p for p in folder.rglob("*.so*") if p.is_file() and not p.is_symlink())]
    from_system = {so for elf in elves for so in _needed(elf, readelf)} - bundled
    assert {"libX11.so.6", "libstdc++.so.6", "libglib-2.0.so.0"} <= from_system
    # Nothing the app loads stays unresolved (the build machine has the desktop libraries).
    for elf in (unpacked, folder / "_internal/PySide6/Qt/plugins/platforms/libqxcb.so"):
        done = subprocess.run([ldd, str(elf)], capture_output=True, text=True, timeout=60)
        assert "not found" not in done.stdout, done.stdout
    depends = subprocess.run(
        ["dpkg-deb", "-f", str(_deb()), "Depends"], capture_output=True, text=True, check=True
    ).stdout
    packages = {part.strip().split(" ")[0] for part in depends.split(",")}
    for so in sorted(from_system):
        owner = subprocess.run(["dpkg", "-S", f"*/{so}"], capture_output=True, text=True)
        candidates = {line.split(":")[0] for line in owner.stdout.splitlines()}
        assert candidates & packages, f"{so} comes from {candidates}, not in Depends"
