"""Shared fixtures: the real catalogue, and a writable copy of data/ for breaking on purpose."""

import shutil
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from china_bigscience import DATA_DIR  # noqa: E402
from china_bigscience.catalogue import load_catalogue  # noqa: E402


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture
def data_copy(tmp_path):
    """A copy of data/ that a test may edit; returns its path."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture(scope="module")
def server():
    """The real dashboard on a free loopback port, one per test module (browser tests)."""
    from tools.app_server import running_app

    with running_app() as (base_url, _process):
        yield base_url


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, one per test module (browser tests)."""
    from playwright.sync_api import sync_playwright

    from tools.browser import launch

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
