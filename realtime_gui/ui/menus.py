"""The window's menu bar: its actions and shortcuts; the window connects what they do."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

__all__ = ["WindowMenus"]


class WindowMenus(QObject):
    """File (Mint, Test connection, Set key, Keep running in the tray, Quit), Edit (Copy
    secret), View (Serve panel, Open playground) and Help (About).

    A history entry goes into View, and a Profile menu between View and Help; a tray
    icon's menu reuses these actions.
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.mintAction = self._action("&Mint secret", "Ctrl+Return", "Ctrl+Enter")
        self.keyAction = self._action("Set API &key…", "Ctrl+K")
        self.testAction = self._action("&Test connection", "Ctrl+T")
        self.testAction.setToolTip("Mint a sibling secret and open a Realtime session with it")
        self.quitAction = self._action("&Quit", "Ctrl+Q")
        self.copyAction = self._action("&Copy secret", "Ctrl+Shift+C")
        self.copyAction.setEnabled(False)  # until there is a secret
        self.serveAction = self._action("&Serve panel", "Ctrl+Shift+S")
        self.serveAction.setCheckable(True)
        self.serveAction.setToolTip("Show or hide the Serve tab: a local token endpoint")
        self.playgroundAction = self._action("Open &playground", "Ctrl+Shift+P")
        self.playgroundAction.setToolTip(
            "Try the form's session in your browser: starts serving if needed"
        )
        self.keepInTrayAction = self._action("&Keep running in the tray when closed")
        self.keepInTrayAction.setObjectName("keepInTrayAction")
        self.keepInTrayAction.setCheckable(True)
        # Enabled by the tray icon (ui/tray.py) once it exists: without a tray, close quits.
        self.keepInTrayAction.setEnabled(False)
        self.keepInTrayAction.setToolTip("Needs a system tray; closing the window quits")
        self.aboutAction = self._action("&About realtime-gui")
        self.aboutAction.triggered.connect(self._about)

        bar = window.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.mintAction, self.testAction, self.keyAction])
        file_menu.addSeparator()
        file_menu.addAction(self.keepInTrayAction)
        file_menu.addAction(self.quitAction)
        bar.addMenu("&Edit").addAction(self.copyAction)
        bar.addMenu("&View").addActions([self.serveAction, self.playgroundAction])
        self._help = bar.addMenu("&Help")
        self._help.addAction(self.aboutAction)

    def add_profile_menu(self, actions: list[QAction]) -> None:
        """The Profile menu (choose, manage), between View and Help (ui/profile_switcher.py)."""
        menu = QMenu("Pr&ofile", self._window)
        menu.addActions(actions)
        self._window.menuBar().insertMenu(self._help.menuAction(), menu)

    def _action(self, text: str, *keys: str) -> QAction:
        # Owned by the window, so the shortcuts work wherever the focus is in it. A list even
        # for one key: setShortcut's overloads create all Qt-namespace enums (12 ms at start).
        action = QAction(text, self._window)
        if keys:
            action.setShortcuts([QKeySequence(key) for key in keys])
        return action

    @Slot()
    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from .. import __version__

        QMessageBox.about(
            self._window,
            "About realtime-gui",
            f"realtime-gui {__version__}\nMint short-lived OpenAI Realtime client secrets.",
        )
