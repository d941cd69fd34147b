"""The Content Security Policy in a real browser: the admin, the reports and the security pages
run with no violation, and markup that does get onto a page cannot run a script."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESK

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_admin_and_account_pages_run_without_violations(open_as, live_server, csp, screens):
    from workflow.models import Item

    base = live_server.url
    page = open_as("admin")
    item = Item.objects.order_by("pk").first()
    for url in (
        "/admin/",
        "/admin/workflow/item/",
        f"/admin/workflow/item/{item.pk}/change/",
        "/admin/portal/guide/add/",
        "/admin/audit/auditentry/",
        "/admin/auth/user/",
        "/accounts/password/",
    ):
        response = page.goto(base + url)
        assert response.status == 200, url
    screens.shoot(page, "password-change")
    # The admin's own scripts (the date widgets, the collapsible filters) ran under the policy.
    page.goto(base + "/admin/auth/user/")
    expect(page.locator("#changelist-filter")).to_be_visible()
    assert not csp.violations


def test_injected_inline_script_is_blocked(browser, live_server, demo, csp):
    # Suppose some markup slipped past the escaping onto one of our pages: the browser refuses to
    # run it, and reports the refusal.
    context = csp.watch(browser.new_context(viewport=DESK, locale="zh-CN"))
    page = context.new_page()
    page.goto(live_server.url + "/open/")
    page.evaluate(
        """() => {
            const s = document.createElement('script');
            s.textContent = 'window.__pwned = true';
            document.body.appendChild(s);
            const img = document.createElement('img');
            img.setAttribute('src', 'x');
            img.setAttribute('onerror', 'window.__pwned2 = true');
            document.body.appendChild(img);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned === undefined && window.__pwned2 === undefined")
    blocked = list(csp.violations)
    csp.violations.clear()  # expected here; the fixture fails on any left over
    context.close()
    assert blocked and all("Content Security Policy" in v for v in blocked)
