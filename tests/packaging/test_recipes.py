"""What can be checked here of the recipes we cannot run here (Windows, macOS), and resources."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import realtime_gui

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"
ICONS = ROOT / "realtime_gui" / "resources" / "icons"


def test_spec_is_valid_python_and_names_existing_paths() -> None:
    spec = (PACKAGING / "realtime-gui.spec").read_text()
    ast.parse(spec)
    assert 'collect_submodules("keyring.backends")' in spec  # dynamic imports bundled
    assert 'copy_metadata("keyring")' in spec  # entry points keyring discovers them by
    for relative in re.findall(r'ROOT / "([^"]+)" / "([^"]+)"', spec):
        assert (ROOT.joinpath(*relative)).exists(), relative
    assert (PACKAGING / "entry.py").is_file()


def test_inno_setup_script_references_what_the_build_makes() -> None:
    script = (PACKAGING / "windows" / "realtime-gui.iss").read_text()
    sections = set(re.findall(r"^\[(\w+)\]", script, flags=re.MULTILINE))
    assert {"Setup", "Files", "Icons", "Run", "Code"} <= sections
    version = re.search(r'#define AppVersion "([^"]+)"', script)
    assert version and version.group(1) == realtime_gui.__version__
    dist = re.search(r'#define DistDir "([^"]+)"', script)
    assert dist is not None
    # DistDir is relative to the .iss file and must be where PyInstaller writes.
    resolved = (PACKAGING / "windows" / dist.group(1).replace("\\", "/")).resolve()
    assert resolved == ROOT / "build" / "dist" / "realtime-gui"
    # Both executables the spec makes on Windows are installed.
    spec = (PACKAGING / "realtime-gui.spec").read_text()
    for exe in ("realtime-gui", "realtime-gui-cli"):
        assert f'name="{exe}"' in spec
        assert f"{exe}.exe" in script
    build = (PACKAGING / "windows" / "build.ps1").read_text()
    assert "packaging\\windows\\realtime-gui.iss" in build
    assert "packaging/windows/realtime-gui.ico" in build
    assert "realtime-gui.ico" in script and "realtime-gui.ico" in spec


def test_macos_recipe_syntax_and_paths() -> None:
    script = PACKAGING / "macos" / "build.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    for path in re.findall(r"realtime_gui/resources/icons/realtime-gui-(\d+)\.png", text):
        assert (ICONS / f"realtime-gui-{path}.png").is_file()
    assert (PACKAGING / "macos" / "entitlements.plist").is_file()
    ET.parse(PACKAGING / "macos" / "entitlements.plist")
    assert "packaging/macos/realtime-gui.icns" in text
    assert "realtime-gui.icns" in (PACKAGING / "realtime-gui.spec").read_text()


def test_linux_build_script_syntax() -> None:
    subprocess.run(["bash", "-n", str(PACKAGING / "build-linux.sh")], check=True)


def test_icons_have_the_sizes_their_names_say() -> None:
    pngs = sorted(ICONS.glob("realtime-gui-*.png"))
    assert len(pngs) >= 6
    for png in pngs:
        size = int(png.stem.rsplit("-", 1)[1])
        image = QImage(str(png))
        assert (image.width(), image.height()) == (size, size), png.name
    ET.parse(ICONS / "realtime-gui.svg")


def test_desktop_entry() -> None:
    path = RESOURCES / "realtime-gui.desktop"
    entry = ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(path)
    section = entry["Desktop Entry"]
    assert section["Exec"] == "realtime-gui" and section["Icon"] == "realtime-gui"
    assert section["Type"] == "Application"
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (desktop-file-utils)")
    done = subprocess.run([tool, str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_appstream_metainfo() -> None:
    path = RESOURCES / "io.github.realtime_gui.metainfo.xml"
    root = ET.parse(path).getroot()
    assert root.findtext("id") == "io.github.realtime_gui"
    assert root.findtext("launchable") == "realtime-gui.desktop"
    release = root.find("releases/release")
    assert release is not None and release.get("version") == realtime_gui.__version__
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli is not installed (appstream)")
    done = subprocess.run([tool, "validate", "--no-net", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_playground_files_are_package_data_in_the_wheel_and_the_spec() -> None:
    # serve's GET / reads these through importlib.resources: a wheel or bundle without them
    # answers 500. The packaged serve test fetches them from the real PyInstaller bundle.
    import tomllib

    from realtime_gui.core.serve.page import PAGE_PATHS

    package = ROOT / "realtime_gui"
    folder = package / "core" / "serve" / "playground"
    served = {name for name, _ in PAGE_PATHS.values()}
    assert served <= {p.name for p in folder.iterdir()}
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["realtime_gui"]
    for name in served:
        relative = (folder / name).relative_to(package)
        assert any(relative.match(pattern) for pattern in patterns), name
    spec = (PACKAGING / "realtime-gui.spec").read_text()
    assert 'ROOT / "realtime_gui" / "core" / "serve" / "playground"' in spec
    assert '"realtime_gui/core/serve/playground"' in spec  # where importlib.resources looks
