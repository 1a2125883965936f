"""realtime-gui: mint OpenAI Realtime client secrets from a window or the command line."""

__version__ = "0.1.0"
