"""The Profiles dialog: list, add, edit and remove profiles; removing a key only when asked."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.credentials import DEFAULT_PROFILE, KeyStatus
from ..core.errors import InvalidInput
from ..core.profiles import Profile, ProfileKind
from .profile_switcher import ProfileChange, ProfileChangeResult, ProfileRoster, status_text

__all__ = ["ProfileEditor", "ProfilesDialog", "RemoveProfileDialog"]


def _line(
    parent: QWidget, name: str, accessible: str, tip: str, placeholder: str = ""
) -> QLineEdit:
    line = QLineEdit(parent)
    line.setObjectName(name)
    line.setAccessibleName(accessible)
    line.setToolTip(tip)
    line.setPlaceholderText(placeholder)
    return line


class ProfileEditor(QDialog):
    """Name, provider, base URL and ids of one profile; never a key."""

    def __init__(self, profile: Profile | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("profileEditor")
        self.setWindowTitle("Edit profile" if profile else "Add profile")
        self.original = profile.name if profile else None
        self.nameInput = _line(
            self, "profileNameInput", "Profile name", "1-64 letters, digits, . - _"
        )
        self.kindInput = QComboBox(self)
        self.kindInput.setObjectName("profileProviderInput")
        self.kindInput.setAccessibleName("Provider")
        self.kindInput.setToolTip(
            "OpenAI and custom send Authorization: Bearer; Azure sends api-key"
        )
        for kind in ProfileKind:
            self.kindInput.addItem(kind.label, kind.value)
        self.baseUrlInput = _line(
            self,
            "profileBaseUrlInput",
            "Base URL",
            "Required for custom; Azure derives it from the resource",
            "https://api.openai.com/v1",
        )
        self.orgInput = _line(self, "profileOrgInput", "Organization", "OpenAI-Organization header")
        self.projectInput = _line(self, "profileProjectInput", "Project", "OpenAI-Project header")
        self.resourceInput = _line(
            self, "profileResourceInput", "Azure resource", "https://RESOURCE.openai.azure.com"
        )
        self.deploymentInput = _line(
            self,
            "profileDeploymentInput",
            "Azure deployment",
            "Kept with the profile; mint with it as the model",
        )
        self.errorLabel = QLabel(self)
        self.errorLabel.setObjectName("profileEditorError")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.hide()
        form = QFormLayout()
        form.addRow("&Name:", self.nameInput)
        form.addRow("&Provider:", self.kindInput)
        form.addRow("&Base URL:", self.baseUrlInput)
        form.addRow("&Organization:", self.orgInput)
        form.addRow("Pro&ject:", self.projectInput)
        form.addRow("Azure &resource:", self.resourceInput)
        form.addRow("Azure &deployment:", self.deploymentInput)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errorLabel)
        layout.addWidget(buttons)
        self.kindInput.currentIndexChanged.connect(self._follow_kind)
        if profile is not None:
            self.nameInput.setText(profile.name)
            self.nameInput.setReadOnly(True)  # the key is stored under the name
            self.kindInput.setCurrentIndex(self.kindInput.findData(profile.kind.value))
            for line, value in (
                (self.baseUrlInput, profile.base_url), (self.orgInput, profile.organization),
                (self.projectInput, profile.project), (self.resourceInput, profile.azure_resource),
                (self.deploymentInput, profile.azure_deployment),
            ):  # fmt: skip
                line.setText(value or "")
        self._extra = profile.extra if profile else {}
        self._follow_kind()
        self.result_profile: Profile | None = None

    @Slot()
    def _follow_kind(self) -> None:
        azure = self.kindInput.currentData() == ProfileKind.AZURE.value
        for line in (self.resourceInput, self.deploymentInput):
            line.setEnabled(azure)
        for line in (self.orgInput, self.projectInput):
            line.setEnabled(not azure)

    def profile(self) -> Profile:
        azure = self.kindInput.currentData() == ProfileKind.AZURE.value
        return Profile(
            self.nameInput.text().strip(),
            ProfileKind(self.kindInput.currentData()),
            base_url=self.baseUrlInput.text(),
            organization=None if azure else self.orgInput.text(),
            project=None if azure else self.projectInput.text(),
            azure_resource=self.resourceInput.text() if azure else None,
            azure_deployment=self.deploymentInput.text() if azure else None,
            extra=self._extra,
        )

    @Slot()
    def _check(self) -> None:
        """Accept only a valid profile; otherwise say what is wrong and stay open."""
        try:
            self.result_profile = self.profile().checked()
        except InvalidInput as exc:
            self.errorLabel.setText(exc.user_message)
            self.errorLabel.setAccessibleDescription(exc.user_message)
            self.errorLabel.show()
            return
        self.accept()


class RemoveProfileDialog(QDialog):
    """Asks before removing; the key is deleted only when the box is ticked."""

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("removeProfileDialog")
        self.setWindowTitle("Remove profile")
        self.name = name
        question = QLabel(f"Remove the profile '{name}'?", self)
        self.deleteKeyCheck = QCheckBox("Also &delete its API key from the keyring", self)
        self.deleteKeyCheck.setObjectName("deleteKeyCheck")
        self.deleteKeyCheck.setToolTip("Unticked, the key stays in the keyring under this name")
        buttons = QDialogButtonBox(self)
        remove = buttons.addButton("&Remove", QDialogButtonBox.ButtonRole.AcceptRole)
        remove.setObjectName("confirmRemoveButton")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.deleteKeyCheck)
        layout.addWidget(buttons)


class ProfilesDialog(QDialog):
    """The profiles with their key status; changes go to the worker as ProfileChange."""

    changeRequested = Signal(object)  # ProfileChange

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("profilesDialog")
        self.setWindowTitle("Profiles")
        self._profiles: dict[str, Profile] = {}
        self._statuses: dict[str, KeyStatus] = {}
        self.editor: ProfileEditor | None = None
        self.confirm: RemoveProfileDialog | None = None
        self.profilesList = QListWidget(self)
        self.profilesList.setObjectName("profilesList")
        self.profilesList.setAccessibleName("Profiles")
        self.addButton = self._button("&Add…", "addProfileButton", "Add a profile")
        self.editButton = self._button("&Edit…", "editProfileButton", "Edit the selected profile")
        self.removeButton = self._button(
            "&Remove…", "removeProfileButton", "Remove the selected profile ('default' stays)"
        )
        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("profilesMessage")
        self.messageLabel.setWordWrap(True)
        note = QLabel(
            "Each profile's key is stored in the OS keyring under the profile's name; set it "
            "with Set key… after choosing the profile.",
            self,
        )
        note.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.addButton, self.editButton, self.removeButton):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.profilesList, 1)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(self.messageLabel)
        layout.addWidget(close)
        self.addButton.clicked.connect(self.add_profile)
        self.editButton.clicked.connect(self.edit_profile)
        self.removeButton.clicked.connect(self.remove_profile)
        self.profilesList.currentItemChanged.connect(self._update_buttons)
        self.profilesList.itemDoubleClicked.connect(self.edit_profile)
        self.resize(520, 360)

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        return button

    @property
    def selected(self) -> str | None:
        item = self.profilesList.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _text(self, profile: Profile) -> str:
        url = profile.stored_base_url() or "OpenAI"
        status = status_text(self._statuses.get(profile.name))
        return f"{profile.name} — {profile.kind.label}, {url} — {status}"

    def show_roster(self, roster: ProfileRoster) -> None:
        selected = self.selected
        self._profiles = {p.name: p for p in roster.listing.profiles}
        self._statuses.update(roster.statuses)
        self.profilesList.clear()
        for profile in self._profiles.values():
            item = QListWidgetItem(self._text(profile), self.profilesList)
            item.setData(Qt.ItemDataRole.UserRole, profile.name)
            if profile.name == selected:
                self.profilesList.setCurrentItem(item)
        if roster.listing.problems:
            self._say(" ".join(roster.listing.problems), error=True)
        self._update_buttons()

    def show_status(self, status: KeyStatus) -> None:
        self._statuses[status.profile] = status
        for row in range(self.profilesList.count()):
            item = self.profilesList.item(row)
            profile = self._profiles.get(str(item.data(Qt.ItemDataRole.UserRole)))
            if profile is not None and profile.name == status.profile:
                item.setText(self._text(profile))

    def show_result(self, result: ProfileChangeResult) -> None:
        self._say(result.message, error=not result.ok)

    def _say(self, text: str, *, error: bool) -> None:
        self.messageLabel.setText(text)
        self.messageLabel.setProperty("error", error)
        self.messageLabel.setAccessibleDescription(text)

    @Slot()
    def _update_buttons(self) -> None:
        selected = self.selected
        self.editButton.setEnabled(selected is not None)
        self.removeButton.setEnabled(selected not in (None, DEFAULT_PROFILE))

    @Slot()
    def add_profile(self) -> ProfileEditor:
        return self._edit(None)

    @Slot()
    def edit_profile(self) -> ProfileEditor | None:
        name = self.selected
        return None if name is None else self._edit(self._profiles.get(name, Profile(name)))

    def _edit(self, profile: Profile | None) -> ProfileEditor:
        editor = ProfileEditor(profile, self)
        editor.accepted.connect(self._on_edited)
        self.editor = editor
        editor.open()
        return editor

    @Slot()
    def _on_edited(self) -> None:
        editor = self.editor
        if editor is None or editor.result_profile is None:
            return
        name = editor.result_profile.name
        if editor.original is None and name in self._profiles and name != DEFAULT_PROFILE:
            self._say(f"A profile called '{name}' exists already; edit it instead.", error=True)
            return
        self.changeRequested.emit(ProfileChange(editor.result_profile, editor.original))

    @Slot()
    def remove_profile(self) -> RemoveProfileDialog | None:
        name = self.selected
        if name is None or name == DEFAULT_PROFILE:
            return None
        confirm = RemoveProfileDialog(name, self)
        confirm.accepted.connect(self._on_remove_confirmed)
        self.confirm = confirm
        confirm.open()
        return confirm

    @Slot()
    def _on_remove_confirmed(self) -> None:
        confirm = self.confirm
        if confirm is not None:
            self.changeRequested.emit(
                ProfileChange(remove=confirm.name, delete_key=confirm.deleteKeyCheck.isChecked())
            )
