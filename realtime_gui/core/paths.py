"""Where realtime-gui keeps its files: the user config folder and the user data folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

__all__ = ["APP_NAME", "CONFIG_DIR_ENV", "config_dir", "data_dir"]

APP_NAME = "realtime-gui"
CONFIG_DIR_ENV = "REALTIME_GUI_CONFIG_DIR"


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
