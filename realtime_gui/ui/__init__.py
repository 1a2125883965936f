"""Qt widgets and dialogs; no network or keyring calls on the GUI thread."""
