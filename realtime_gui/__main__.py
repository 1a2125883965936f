"""``python -m realtime_gui`` behaves like the ``realtime-gui`` command."""

from .launch import entry_point

if __name__ == "__main__":
    entry_point()
