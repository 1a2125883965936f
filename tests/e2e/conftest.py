"""End-to-end tests drive the window too: share the window fixtures of tests/gui."""

from tests.gui.conftest import make_window, settings_path  # noqa: F401 - fixtures, used by name
