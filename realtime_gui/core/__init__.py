"""Qt-free core: session model, bodies, responses, errors, HTTP client and credentials.

Import the submodules directly; this package imports nothing so that importing one of
them (say, ``session`` for the window's first paint) does not pull in httpx or keyring.
"""
