"""The note under the form about body keys kept as written and what an import changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

__all__ = ["ExtraNote"]


class ExtraNote(QLabel):
    """Names the JSON keys the form has no fields for (sent as written); hidden if none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("extraNote")
        self.setWordWrap(True)
        self.setAccessibleName("Fields kept from the JSON body")
        self._extra: dict[str, Any] = {}
        self.hide()

    @property
    def extra(self) -> dict[str, Any]:
        """The kept keys, as a body fragment (deep-merged into what Mint sends)."""
        return self._extra

    def show_extra(self, extra: Mapping[str, Any], notes: Sequence[str] = ()) -> None:
        """Keep ``extra`` and say so, after the notes of an import if there are any."""
        self._extra = dict(extra)
        kept = self._kept_text()
        text = "Import notes: " + " ".join(notes) + kept if notes else kept.strip()
        self.setText(text)
        self.setVisible(bool(text))

    def _kept_text(self) -> str:
        if not self._extra:
            return ""
        from ..core.body_reader import extra_paths  # only when a body brought unknown keys

        return (
            " Kept from the JSON body and sent as written (the form has no fields for them): "
            + ", ".join(extra_paths(self._extra))
            + "."
        )
