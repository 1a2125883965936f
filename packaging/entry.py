"""PyInstaller entry point: the same as the ``realtime-gui`` console script."""

from realtime_gui.launch import entry_point

if __name__ == "__main__":
    entry_point()
