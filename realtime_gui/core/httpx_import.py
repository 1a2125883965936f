"""httpx, imported without its command line, which this app never uses."""

import sys

# `import httpx` also imports httpx._main, its command line, which loads click and pygments
# whenever they are installed (uvicorn brings click) and then fails on rich: about 4 MB and
# 20 modules for nothing. Marked absent, httpx falls back to its stub `main` instead.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import httpx  # noqa: E402 - after the line above, on purpose

__all__ = ["httpx"]
