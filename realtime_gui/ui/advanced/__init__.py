"""The advanced session settings, one tab page per module; advanced_panel.py composes them."""

from .audio import AudioTab
from .base import AdvancedTab
from .context import ContextTab
from .response import ResponseTab
from .tools import ToolsTab
from .turns import TurnsTab

__all__ = ["AdvancedTab", "AudioTab", "ContextTab", "ResponseTab", "ToolsTab", "TurnsTab"]
