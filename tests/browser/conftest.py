"""Real-browser journeys: Debian's chromium, driven headless by Playwright for Python, against
the live test server. No browser is downloaded: the system chromium is used (`.ci/run` installs
it with apt), and Playwright's own browsers are never fetched.

Every screen a journey passes is kept as a screenshot under test-artifacts/screenshots/, and its
visible text is checked for English left in the Chinese interface.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.chinese import english_words
from tests.conftest import _unavailable

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make between
# browser steps are synchronous and safe, so Django's async guard is lifted for these tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the machine's network is closed: no update checks
    "--disable-component-update",
    "--disable-sync",
]
# The machine is shared: under load a POST that scans and routes an item can take longer than
# Playwright's default 5 s for an assertion to come true.
expect.set_options(timeout=15_000)
DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        _unavailable("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Screens:
    """One test's screenshots, numbered in the order the journey takes them."""

    def __init__(self, name: str):
        self.dir = ARTIFACTS / name
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self.count = 0

    def shoot(self, page, name: str) -> Path:
        self.count += 1
        path = self.dir / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
        english = english_left(page)
        assert not english, f"English left on the {name} screen: {english}"
        return path


def english_left(page) -> list[str]:
    """Latin words in the visible text of the page, outside the allowed ones, the language
    switcher (each language names itself) and codes such as tracking numbers."""
    text = page.evaluate(
        """() => {
            const clone = document.body.cloneNode(true);
            clone.querySelectorAll('select[name=language], script, style, code').forEach(e => e.remove());
            return clone.innerText;
        }"""
    )
    return english_words(text)


class PolicyWatch:
    """Content Security Policy violations reported by chromium on any page of the watched
    contexts. Our pages have no inline script or style, so every report is a defect: either the
    policy blocks something a page needs, or something got onto a page that should not be there."""

    def __init__(self):
        self.violations: list[str] = []

    def watch(self, context):
        def on_console(message):
            if "Content Security Policy" in message.text:
                self.violations.append(f"{message.location.get('url', '?')}: {message.text}")

        context.on("console", on_console)
        return context


@pytest.fixture
def csp():
    watch = PolicyWatch()
    yield watch
    assert not watch.violations, "Content Security Policy violations:\n" + "\n".join(
        watch.violations
    )


@pytest.fixture
def screens(request):
    return Screens(request.node.name)


@pytest.fixture
def demo(transactional_db):
    from workflow.demo import DEMO_PASSWORD, demo_seed

    demo_seed()
    return DEMO_PASSWORD


@pytest.fixture
def open_as(browser, live_server, demo, csp):
    """A logged-in page for a demo user, on a desk-sized or a phone-sized screen."""
    contexts = []

    def login(username: str, screen: dict = DESK, mobile: bool = False):
        context = csp.watch(
            browser.new_context(
                viewport=screen,
                locale="zh-CN",
                is_mobile=mobile,
                has_touch=mobile,
                accept_downloads=True,
            )
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(demo)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield login
    for context in contexts:
        context.close()
