"""Where realtime-gui keeps its files (config, data) and finds its own (the icons)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

__all__ = ["APP_NAME", "CONFIG_DIR_ENV", "ICON_SIZES", "config_dir", "data_dir", "icon_dir"]

APP_NAME = "realtime-gui"
CONFIG_DIR_ENV = "REALTIME_GUI_CONFIG_DIR"
# The PNG sizes shipped in resources/icons (realtime-gui-SIZE.png), rendered from the SVG.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def config_dir(env: Mapping[str, str]) -> Path:
    """$REALTIME_GUI_CONFIG_DIR, or the platform's user config folder (XDG_CONFIG_HOME on Linux)."""
    override = env.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The platform's user data folder (XDG_DATA_HOME on Linux): the history lives here."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def icon_dir() -> Path | None:
    """The package's resources/icons, the same in a source tree, a wheel and the bundle."""
    folder = Path(__file__).resolve().parent.parent / "resources" / "icons"
    return folder if folder.is_dir() else None
