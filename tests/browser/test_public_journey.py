"""A member of the public in a real browser: searches the catalogue in Chinese, reads an entry
whose personal data was withheld, reads a unit's guide, submits a request and looks it up."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESK, PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WITHHELD_ID = "110101199003071234"


def captcha_in_session(page) -> str:
    """The code of the picture the browser shows, from its session on the server."""
    from importlib import import_module

    from django.conf import settings

    from security.captcha import SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    return store(session_key=cookie["value"]).load()[SESSION_KEY]["code"]


@pytest.fixture
def visitor(browser, live_server, demo, csp):
    from workflow.demo_catalogue import demo_publish_catalogue

    demo_publish_catalogue()
    contexts = []

    def open_page(screen=DESK, mobile=False):
        context = csp.watch(browser.new_context(viewport=screen, locale="zh-CN", is_mobile=mobile))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_search_read_guide_apply_and_look_up(visitor, live_server, screens):
    from workflow.models import DisclosureRequest

    page = visitor()
    base = live_server.url
    page.goto(f"{base}/open/")
    screens.shoot(page, "portal-home")

    # Search in Chinese from the home page.
    page.get_by_placeholder(re.compile("检索标题")).first.fill("低保")
    page.get_by_role("button", name="检索").first.click()
    expect(page.locator("main")).to_contain_text("检索“低保”找到 1 条")
    page.get_by_role("link", name="关于调整2026年城乡最低生活保障标准的通知").click()
    expect(page.locator("h1")).to_have_text("关于调整2026年城乡最低生活保障标准的通知")
    expect(page.locator(".entry")).to_contain_text("索引号")
    expect(page.locator(".entry")).to_contain_text("1150元")
    screens.shoot(page, "entry")

    # An entry with a withheld ID number: the public version only.
    page.goto(f"{base}/catalogue/?q=临时救助")
    page.get_by_role("link", name="2026年第二季度临时救助发放情况公示").click()
    expect(page.locator(".entry")).to_contain_text("发放临时救助金5000元")
    assert WITHHELD_ID not in page.content()
    screens.shoot(page, "entry-withheld")
    page.goto(f"{base}/catalogue/?q={WITHHELD_ID}")
    expect(page.locator("main")).to_contain_text("找到 0 条")

    # Browse by unit and read its guide.
    page.goto(f"{base}/guide/")
    page.get_by_role("link", name="民政局").click()
    expect(page.locator("h1")).to_have_text("民政局政府信息公开指南")
    expect(page.locator(".guide")).to_contain_text("三、政府信息公开工作机构")
    screens.shoot(page, "guide")

    # Request something unpublished, on a phone, and look it up by the tracking code.
    phone = visitor(screen=PHONE, mobile=True)
    phone.goto(f"{base}/apply/")
    phone.select_option("#id_unit", label="民政局")
    phone.fill("#id_applicant_name", "赵六")
    phone.fill("#id_id_number", "110101198001010053")
    phone.fill("#id_phone", "13700000000")
    phone.fill("#id_description", "2026年养老机构运营补贴的发放名单")
    # The CAPTCHA: drawn by this server; the visitor reads the picture, the test reads the code
    # the server kept in the visitor's session.
    picture = phone.locator("#captcha-image")
    expect(picture).to_be_visible()
    phone.wait_for_function("document.getElementById('captcha-image').naturalWidth > 0")
    screens.shoot(phone, "apply")
    phone.fill("#id_captcha", captcha_in_session(phone).lower())
    phone.get_by_role("button", name="提交申请").click()
    code = phone.locator(".tracking-code strong").inner_text().strip()
    assert DisclosureRequest.objects.filter(tracking_code=code).exists()
    screens.shoot(phone, "applied")
    phone.goto(f"{base}/apply/status/")
    phone.fill("#id_code", code)
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator("main")).to_contain_text(code)
    screens.shoot(phone, "status")
