"""Unit tests for the Qt-free core (realtime_gui.core and realtime_gui.cli)."""
