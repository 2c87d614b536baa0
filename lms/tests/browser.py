"""Helpers for the real-browser tests: Debian's Chromium driven by Playwright, and screenshots.

Nothing is downloaded: Playwright drives the system's /usr/bin/chromium (CI installs it with apt).
Screenshots go to artifacts/screenshots/ under the project root (ignored by git, kept by CI); the folder
is made when the first screenshot is taken.
"""

import re
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000  # every wait of a step: generous, yet a broken step fails in seconds, not minutes
SITE_VIEWPORT = {"width": 1280, "height": 900}
# The Wagtail admin scrolls inside its own panel, so a "full page" shot of it is one viewport: a taller
# one shows whole forms.
ADMIN_VIEWPORT = {"width": 1280, "height": 1600}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def launch(playwright):
    """A headless Chromium: the system's own, never a downloaded one."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


# Reports each violation of the Content-Security-Policy to the test: run in every document before its own
# scripts, and exempt from the policy itself.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.reportCspViolation({
    page: document.location.pathname, directive: event.violatedDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, sample: event.sample,
}));
"""


def new_page(browser, base_url: str, *, viewport=SITE_VIEWPORT):
    """A page in a fresh browser profile (its own cookies), with bounded waits and downloads allowed.

    `page.csp_violations` lists what the Content-Security-Policy refused on it: the browser's
    `securitypolicyviolation` events, and its console's messages about the policy.
    """
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="en-US", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    violations = []
    context.expose_binding("reportCspViolation", lambda source, violation: violations.append(violation))
    context.add_init_script(REPORT_CSP_VIOLATIONS)

    def console(message):
        if "Content Security Policy" in message.text:
            violations.append({"console": message.text})

    page = context.new_page()
    page.on("console", console)
    page.csp_violations = violations
    return page


def serve_current_settings(live_server) -> str:
    """Make the live server's middleware read the running test's settings; return the server's URL.

    `live_server` is session-scoped: its thread builds Django's handler, and so the middleware, when the
    first test asks for it, before function-scoped overrides exist. SecurityMiddleware reads
    SECURE_SSL_REDIRECT once, in `__init__`, so conftest's `settings.SECURE_SSL_REDIRECT = False` never
    reaches it: every page would answer with a redirect to https:// and Chromium would fail with
    ERR_SSL_PROTOCOL_ERROR. Loading the middleware again picks up the test's settings.
    """
    app = live_server.thread.httpd.get_app()  # StaticFilesHandler → _MediaFilesHandler → WSGIHandler
    while hasattr(app, "application"):
        app = app.application
    app.load_middleware()
    return live_server.url


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _shoot(page, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


class Camera:
    """Full-page screenshots numbered in the order taken: artifacts/screenshots/NN-name.png (NNN past 99).

    Each journey owns a range of numbers (`first`..`last`), so that the journeys' files never collide and
    sort in the order of the story; the range's files of an earlier run are removed first.
    """

    def __init__(self, first: int, last: int):
        self.number, self.last = first, last
        for old in SCREENSHOTS.glob("[0-9]*-*.png"):
            if first <= int(old.name.split("-", 1)[0]) <= last:
                old.unlink(missing_ok=True)  # another run (xdist, a colleague) may have got there first

    def __call__(self, page, name: str) -> Path:
        assert self.number <= self.last, "this journey has used up its screenshot numbers"
        path = _shoot(page, SCREENSHOTS / f"{self.number:02d}-{_slug(name)}.png")
        self.number += 1
        return path


def forget_failures(test_name: str) -> None:
    for old in SCREENSHOTS.glob(f"failed-{_slug(test_name)}-*.png"):
        old.unlink(missing_ok=True)


def keep_failure(page, test_name: str, number: int) -> Path:
    """The page as a failed step left it: artifacts/screenshots/failed-<test>-<n>.png."""
    return _shoot(page, SCREENSHOTS / f"failed-{_slug(test_name)}-{number}.png")
