"""A "Copy as…" tool button: one menu action per snippet kind, named for automation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QToolButton, QWidget

if TYPE_CHECKING:
    from ..core.snippets import SnippetKind

__all__ = ["fill_copy_as_menu", "make_copy_as_button"]


def make_copy_as_button(
    parent: QWidget, *, text: str, name: str, accessible: str, tip: str
) -> QToolButton:
    """The button, disabled, with no menu yet (the caller fills it when it has something)."""
    button = QToolButton(parent)
    button.setText(text)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    button.setToolTip(tip)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setEnabled(False)
    return button


def fill_copy_as_menu(button: QToolButton, kinds: Iterable[SnippetKind]) -> QMenu:
    """Give ``button`` a menu: an action per kind, named ``<button>-<kind>``, its name as data.

    The caller connects the menu's ``triggered(QAction)`` to a slot method: a lambda held by
    a connection would keep its owner (and what that holds) alive after the window is dropped.
    """
    menu = QMenu(button)
    menu.setObjectName(button.objectName() + "Menu")
    menu.setToolTipsVisible(True)
    for kind in kinds:
        action = menu.addAction(kind.label)
        action.setObjectName(f"{button.objectName()}-{kind.name}")
        action.setData(kind.name)
        action.setToolTip(kind.description)
    button.setMenu(menu)
    return menu
