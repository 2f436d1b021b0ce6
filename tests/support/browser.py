"""Debian's Chromium driven by Playwright, as every browser test of the suite starts it
(`scripts/system-deps.sh --browser` installs it; `playwright install` is never run)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# Screenshots kept after a run (CI keeps the folder as an artefact).
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium. Start it after the database work and the live server: Playwright's
    sync API runs an event loop in this thread, where Django would then refuse ORM calls."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
