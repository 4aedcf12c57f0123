"""Headless Debian Chromium through Playwright, set up the way this machine needs it.

Playwright's own browser download is not available here, so we point it at the
`chromium` binary from Debian (or BROWSER_PATH). The flags keep Chromium from
reaching for the internet (background networking, component updates, sync).
"""

from __future__ import annotations

import os
import shutil
import time

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# Every page under a path asks for <page>/_stcore/health and <page>/_stcore/host-config first and
# gets a harmless 404 before it falls back to the root; a console-error check must allow those.
HARMLESS_CONSOLE = ("_stcore/health", "_stcore/host-config", "status of 404")


def chromium_path() -> str:
    for candidate in (os.environ.get("BROWSER_PATH"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    raise FileNotFoundError("No Chromium found: install Debian's `chromium` package or set BROWSER_PATH.")


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


def wait_for_app(page, timeout: float = 60.0) -> None:
    """Wait until the Streamlit script has finished running and nothing is still pending."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    idle_since = None
    while time.monotonic() < deadline:
        state = page.get_attribute('[data-testid="stApp"]', "data-test-script-state")
        if state == "notRunning":
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > 0.3:
                return
        else:
            idle_since = None
        time.sleep(0.05)
    raise TimeoutError("the Streamlit script did not finish in time")


def is_harmless(message: str) -> bool:
    return any(part in message for part in HARMLESS_CONSOLE)
