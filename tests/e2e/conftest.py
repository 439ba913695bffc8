"""Fixtures of the browser tests: Debian's Chromium driven by Playwright (never `playwright install`), a context
that reaches loopback only, waits for Streamlit to settle, and screenshots kept for a person to look at."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SHARED_ARTIFACTS = Path("/tmp/e2e-artifacts")  # a copy of every screenshot, where a person can look at them
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
# A loaded 2-core machine: Streamlit's first render of a page can take 10-20 s.
RENDER_MS = 90_000


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One Chromium for this folder, closed after it: a sync Playwright left running would stop any later test from
    starting its own ("Sync API inside the asyncio loop")."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (never `playwright install`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _loopback_only(route) -> None:
    """Nothing leaves the machine: the provider's page links a stylesheet from a CDN, which would only slow it."""
    host = urlsplit(route.request.url).hostname or ""
    if host in LOOPBACK:
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def new_context(browser) -> Iterator:
    """Make a fresh browser context (one per person: its own cookies), closed after the test."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(RENDER_MS)
        context.route("**/*", _loopback_only)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("e2e-artifacts")
    shutil.rmtree(SHARED_ARTIFACTS, ignore_errors=True)
    SHARED_ARTIFACTS.mkdir(parents=True)
    print(f"\nscreenshots: {folder} (copied to {SHARED_ARTIFACTS})")
    return folder


def settle(page) -> None:
    """Wait until Streamlit is connected, has finished running the script, shows no spinner or skeleton, and has
    drawn its charts."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=RENDER_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=RENDER_MS)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-testid="stSkeleton"]')
                 && !document.querySelector('[data-testid="stSpinner"]')
                 && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                        .every(chart => chart.querySelector('canvas, svg'))
                 && [...document.querySelectorAll('[data-testid="stDataFrame"]')]
                        .every(frame => frame.querySelector('canvas'))""",
        timeout=RENDER_MS,
    )


def screenshot(page, artifacts: Path, name: str) -> Path:
    """A full-page screenshot. Streamlit scrolls inside its main container, not the page, so the viewport is
    stretched to the container's height for the shot."""
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(document.body.scrollHeight,
                          ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
                              .map(element => element.scrollHeight))"""
    )
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(height + 40, 8000)})
        settle(page)
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    shutil.copy(path, SHARED_ARTIFACTS / path.name)
    return path


def wait_http(url: str, seconds: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the process serving {url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds:.0f} s")
