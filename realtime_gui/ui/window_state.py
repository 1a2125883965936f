"""The window's state between runs: geometry, the form and the body, never a key or secret."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

from .saved_body import restore_body, save_body

if TYPE_CHECKING:
    from .main_window import MainWindow

__all__ = ["restore_window_state", "save_window_state"]


def restore_window_state(window: MainWindow, settings: QSettings) -> None:
    """Put back the geometry, the form and the advanced settings (before the form starts)."""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    window.sessionForm.restore_settings(settings)
    config = restore_body(settings, window.api)
    if config is not None:
        window.advancedSection.keep(config)
        window.extraNote.show_extra(config.extra)


def save_window_state(window: MainWindow, settings: QSettings) -> None:
    """Store the geometry, the form and the body; the body without MCP credentials."""
    settings.setValue("window/geometry", window.saveGeometry())
    window.sessionForm.save_settings(settings)
    save_body(settings, window.session_config())
    settings.sync()
