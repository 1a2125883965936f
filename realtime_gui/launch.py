"""The ``realtime-gui`` command: the window without arguments, the command line with them."""

from __future__ import annotations

import sys


def entry_point() -> None:
    """Console-script entry point.

    Opening the window is the common case and the start-up users wait for: it imports
    neither the command line (argparse and the CLI's own helpers) nor anything the window
    does not need.
    """
    if len(sys.argv) == 1:
        from .app import main as run_window

        sys.exit(run_window())
    from .cli import main

    sys.exit(main())
