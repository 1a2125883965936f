"""Headless Chromium (Debian's chromium + chromium-driver) driven by Selenium, for page tests.

CI installs both (.ci/run) and sets CI=true, so a missing browser fails the run there; on a
developer machine without them the browser tests are skipped with the install command.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# The flags of a browser that must not phone home: this machine's network is closed, and
# background connections would only slow the start and fill the log.
_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def require_browser() -> None:
    """Skip (or, under CI, fail) when Chromium or ChromeDriver is not installed."""
    if shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER):
        return
    message = (
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def headless_chromium() -> Iterator[webdriver.Chrome]:
    """A fresh headless browser with a throwaway profile; quit afterwards."""
    require_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="rtg-chromium-")
    for flag in (*_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # An explicit driver: Selenium Manager must not try to download one.
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
