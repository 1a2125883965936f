"""Colours that follow the system palette: the one place that decides light or dark."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

__all__ = [
    "ERROR_COLOURS",
    "WARNING_COLOURS",
    "error_colour",
    "is_dark",
    "paint_error",
    "pick",
]

# (light palette, dark palette): red and amber that stay readable on either background.
ERROR_COLOURS = ("#c62828", "#ff6e6e")
WARNING_COLOURS = ("#b36b00", "#ffb74d")


def is_dark(widget: QWidget, role: QPalette.ColorRole = QPalette.ColorRole.Window) -> bool:
    """True when ``widget``'s palette draws ``role`` dark (so text colours must be light)."""
    return widget.palette().color(role).lightness() < 128


def pick(widget: QWidget, colours: tuple[str, str]) -> str:
    """The light- or dark-palette colour of a pair, for ``widget``'s current palette."""
    return colours[1] if is_dark(widget) else colours[0]


def error_colour(widget: QWidget) -> str:
    """The error text colour for ``widget``'s palette."""
    return pick(widget, ERROR_COLOURS)


def paint_error(widget: QWidget) -> None:
    """Give ``widget`` (an error label) the error text colour of its palette."""
    widget.setStyleSheet(f"color: {error_colour(widget)};")
