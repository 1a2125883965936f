"""End-to-end tests drive the window too: share the window fixtures of tests/gui."""

from tests.e2e.serve_support import serve  # noqa: F401 - the token endpoint fixture
from tests.gui.conftest import make_window, settings_path  # noqa: F401 - fixtures, used by name
