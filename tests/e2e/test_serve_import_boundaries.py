"""The server stack loads only for ``serve``: never for the window, ``mint`` or ``--help``."""

from __future__ import annotations

from tests.e2e.cli_runner import modules_after

SERVER_STACK = ("uvicorn", "starlette", "realtime_gui.core.serve")


def _loaded(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in SERVER_STACK or m.startswith(SERVER_STACK)}


def test_the_window_does_not_load_the_server_stack() -> None:
    modules = modules_after("import realtime_gui.app")
    assert "realtime_gui.ui.main_window" in modules  # the window's modules really loaded
    assert not _loaded(modules)


def test_the_cli_parser_does_not_load_the_server_stack() -> None:
    modules = modules_after("import realtime_gui.cli\nrealtime_gui.cli.build_parser()")
    assert "realtime_gui.cli_serve" in modules  # serve is registered
    assert not _loaded(modules)


def test_the_serve_package_loads_it_without_qt() -> None:
    modules = modules_after("import realtime_gui.core.serve")
    assert {"uvicorn", "starlette"} <= modules
    assert not {m for m in modules if m.split(".")[0] in ("PySide6", "shiboken6")}
