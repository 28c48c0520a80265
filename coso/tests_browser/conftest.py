"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

- No `playwright install`: we launch /usr/bin/chromium with the flags from DESIGN.md
  (plus --disable-quic) so that Chromium never tries to reach the internet by itself.
- One browser per session; a fresh context (cookies, storage) and page per test, 1366x768,
  Vietnamese locale (otherwise Chromium's en-US Accept-Language makes Django answer in English).
- Playwright's sync API keeps an asyncio loop marked as running in the main thread while it is
  started, which makes Django refuse ORM calls (SynchronousOnlyOperation). Those calls are plain
  synchronous code in the test thread, so DJANGO_ALLOW_ASYNC_UNSAFE is set while the browser
  lives (and restored afterwards).
- `watch` records every request, failed request, >=400 response, console error and page error,
  so a test can assert that nothing left 127.0.0.1/localhost and that there was no CSP violation.
- Screenshots go to artifacts/screenshots/ (kept by CI), named by step.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1366, "height": 768}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}
TIMEOUT_MS = 5_000
SCREENSHOT_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} not found: `make browser-deps` installs Debian's chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # in CI a missing browser must not pass as a skip
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Watch:
    """What the page did behind the scenes."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        outside = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if parts.scheme not in {"http", "https", "ws", "wss"} or parts.hostname not in LOCAL_HOSTS:
                outside.append(url)
        return outside

    def assert_clean(self) -> None:
        assert self.requests, "no request recorded: is the watch attached?"
        assert self.outside_requests() == [], "requests left 127.0.0.1/localhost"
        assert self.console_errors == [], "browser console errors (CSP violations, 404s?)"
        assert self.page_errors == [], "uncaught JavaScript errors"
        assert self.failed == [], "failed requests"
        assert self.bad_responses == [], "HTTP error responses"


@pytest.fixture
def watch():
    return Watch()


@pytest.fixture
def page(browser, watch):
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("request", lambda r: watch.requests.append(r.url))
    # net::ERR_ABORTED is the browser dropping a pending request (e.g. the favicon) when the
    # test navigates on; any other failure (refused, blocked, reset) is recorded.
    page.on(
        "requestfailed",
        lambda r: "ERR_ABORTED" not in (r.failure or "") and watch.failed.append(f"{r.method} {r.url}: {r.failure}"),
    )
    page.on("response", lambda r: r.status >= 400 and watch.bad_responses.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(f"{m.text} @ {m.location}"))
    page.on("pageerror", lambda e: watch.page_errors.append(str(e)))
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def shot(screenshot_dir):
    """shot(page, "01-login"): a full-page PNG at 1366 px wide into artifacts/screenshots/.

    Each step also checks that the page does not scroll sideways at 1366 px.
    """

    def take(page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        # a full page of a long report is a large image to paint and encode: its own, longer
        # timeout (a loaded machine took over 5 s), not the 5 s the assertions wait
        page.screenshot(path=str(path), full_page=True, animations="disabled", timeout=SCREENSHOT_TIMEOUT_MS)
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width, f"{name}: page scrolls sideways ({scroll_width} > {inner_width} px)"
        return path

    return take


def log_in(page, base_url: str, username: str, password: str) -> None:
    """Log in through the real form; Django then redirects to the tree."""
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/to-chuc/(\?.*)?$"))
