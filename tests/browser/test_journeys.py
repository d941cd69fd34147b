"""The three groups' journeys in a real browser (Debian's chromium, headless, via Playwright).

Each step is what a person does with a mouse or the keyboard on the real pages; the database is
only read to confirm what the pages claim."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def draft_item(page, base, *, title, body, scope):
    page.goto(f"{base}/items/new/")
    page.select_option("#id_section", label="民政局 / 社会救助科")
    page.fill("#id_title", title)
    page.fill("#id_summary", "公示本区临时救助发放情况")
    page.fill("#id_body", body)
    page.select_option("#id_category", label="社会救助")
    page.check("input[name=attribute][value=proactive]")
    page.check(f"input[name=scope][value={scope}]")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("h1")).to_have_text(title)


def submit_for_review(page):
    page.get_by_role("button", name=re.compile("提交审查")).click()
    expect(page.locator(".messages")).to_contain_text("已提交保密审查")


def keys_ready(page):
    """Wait until the page's deferred keys.js has run: a key pressed before that goes nowhere, and
    on a busy machine the test would outrun the page."""
    page.wait_for_load_state("load")


def open_task_row(page, base, title):
    page.goto(f"{base}/")
    row = page.locator("#worklist tbody tr", has_text=title)
    expect(row).to_have_count(1)
    row.locator("a.open").click()


def approval_card(page, base, title):
    """The leader's approvals inbox, and the card of one item in it."""
    page.goto(f"{base}/approvals/")
    card = page.locator(".approval-card", has_text=title)
    expect(card).to_be_visible()
    return card


def approve(page):
    page.get_by_role("button", name="同意公开发布").click()
    expect(page.locator(".messages")).to_contain_text("任务已完成")


def test_drafter_reviewer_section_head_publication(open_as, live_server, screens):
    from workflow.models import Item

    base = live_server.url
    title = "2026年第四季度临时救助发放情况公示"
    body = "第四季度共发放临时救助金12万元，惠及困难群众86户。\n救助对象王某某，身份证号320102198001011238。"

    # The drafter writes the item and submits it.
    drafter = open_as("drafter")
    draft_item(drafter, base, title=title, body=body, scope="section")
    screens.shoot(drafter, "drafter-item")
    submit_for_review(drafter)

    # The reviewer finds it in the queue, previews it with the scanner's finding highlighted...
    reviewer = open_as("reviewer")
    expect(reviewer.locator("#worklist")).to_contain_text(title)
    screens.shoot(reviewer, "reviewer-queue")
    reviewer.locator("#worklist tbody tr", has_text=title).locator("a.preview-link").click()
    expect(reviewer.locator("#preview mark")).to_have_text("320102198001011238")
    screens.shoot(reviewer, "reviewer-preview")
    # ...and returns it with a comment, from the keyboard alone.
    reviewer.locator("#preview").get_by_role("link", name="打开任务").click()
    keys_ready(reviewer)
    reviewer.keyboard.press("2")  # the second choice: return to the drafter
    expect(reviewer.locator("input[name=outcome][value=return]")).to_be_checked()
    reviewer.locator("#id_comment").focus()
    reviewer.keyboard.type("请删除救助对象的身份证号。")
    screens.shoot(reviewer, "reviewer-return")
    reviewer.keyboard.press("Control+Enter")
    expect(reviewer.locator(".messages")).to_contain_text("任务已完成")
    assert Item.objects.get(title=title).status == Item.Status.RETURNED

    # The drafter sees the comment, revises and resubmits.
    drafter.goto(f"{base}/")
    open_task_row(drafter, base, title)
    expect(drafter.locator("body")).to_contain_text("请删除救助对象的身份证号。")
    screens.shoot(drafter, "drafter-returned")
    drafter.get_by_role("link", name="编辑").click()
    drafter.fill("#id_body", "第四季度共发放临时救助金12万元，惠及困难群众86户。")
    drafter.get_by_role("button", name="保存草稿").click()
    submit_for_review(drafter)

    # The reviewer opens the resubmitted review from the work list and passes it from the keyboard.
    open_task_row(reviewer, base, title)
    keys_ready(reviewer)
    reviewer.keyboard.press("1")  # pass
    expect(reviewer.locator("input[name=outcome][value=pass]")).to_be_checked()
    screens.shoot(reviewer, "reviewer-pass")
    reviewer.keyboard.press("Control+Enter")
    expect(reviewer.locator(".messages")).to_contain_text("任务已完成")

    # The section head approves from the approvals inbox in one step.
    head = open_as("section_head")
    expect(head.get_by_role("link", name="待我审批")).to_be_visible()
    card = approval_card(head, base, title)
    screens.shoot(head, "section-head-approvals")
    card.locator("a.card-link").click()
    expect(head.locator("#public-version")).to_contain_text("第四季度共发放临时救助金12万元")
    screens.shoot(head, "section-head-approval")
    approve(head)

    # Published: in the catalogue with an index number.
    item = Item.objects.get(title=title)
    assert item.status == Item.Status.PUBLISHED and item.index_number
    head.goto(f"{base}/catalogue/")
    expect(head.locator("main")).to_contain_text(title)
    head.get_by_role("link", name=title).click()
    expect(head.locator("main")).to_contain_text(item.index_number)
    screens.shoot(head, "catalogue-entry")


def test_district_wide_item_reaches_the_district_office_on_a_phone(open_as, live_server, screens):
    from workflow.models import ApprovalDecision, Item

    base = live_server.url
    title = "关于调整全区临时救助标准的通知"
    drafter = open_as("drafter")
    draft_item(
        drafter,
        base,
        title=title,
        body="自2027年1月1日起，全区临时救助标准调整为每人每次3000元。",
        scope="district",
    )
    submit_for_review(drafter)

    reviewer = open_as("reviewer")
    reviewer.select_option("select[name=kind]", "review")
    reviewer.get_by_role("button", name="筛选").click()
    open_task_row(reviewer, base, title)
    reviewer.check("input[name=outcome][value=pass]")
    reviewer.get_by_role("button", name="提交").click()
    expect(reviewer.locator(".messages")).to_contain_text("任务已完成")

    # Neither the section head nor the unit head is asked: it goes to the district office.
    for username in ("section_head", "unit_head"):
        page = open_as(username)
        page.goto(f"{base}/approvals/")
        expect(page.locator("main")).not_to_contain_text(title)

    office = open_as("district_approver", screen=PHONE, mobile=True)
    card = approval_card(office, base, title)
    expect(card).to_have_class(re.compile("is-sensitive"))
    expect(card).to_contain_text("全区范围")
    screens.shoot(office, "district-office-approvals-phone")
    card.locator("a.card-link").click()
    expect(office.locator("#sensitive")).to_contain_text("涉及全区范围")
    screens.shoot(office, "district-office-approval-phone")
    approve(office)

    item = Item.objects.get(title=title)
    assert item.status == Item.Status.PUBLISHED
    decision = ApprovalDecision.objects.get(item=item)
    assert (
        decision.level == Item.Scope.DISTRICT and decision.approver.username == "district_approver"
    )


def test_overdue_request_appears_on_the_supervisor_dashboard(
    open_as, live_server, screens, tmp_path
):
    import openpyxl
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from workflow.models import DisclosureRequest, Unit
    from workflow.services.intake import request_register

    received = timezone.localdate() - dt.timedelta(days=60)
    request = request_register(
        user=get_user_model().objects.get(username="request_officer"),
        unit=Unit.objects.get(name="民政局"),
        data={
            "channel": "in_person",
            "submitted_on": received,
            "applicant_kind": "natural_person",
            "applicant_name": "赵六",
            "id_number": "110101199003077777",
            "phone": "13800000000",
            "description": "本区2025年度养老服务补贴发放情况",
        },
        today=received,
    )
    request.refresh_from_db()
    assert request.due_on < timezone.localdate()
    assert request.status in DisclosureRequest.OPEN_STATUSES

    supervisor = open_as("supervisor")
    supervisor.get_by_role("link", name="督办").click()
    row = supervisor.locator("tr", has_text=request.tracking_code)
    expect(row).to_be_visible()
    expect(row).to_contain_text("逾期")
    screens.shoot(supervisor, "supervisor-dashboard")

    with supervisor.expect_download() as download:
        supervisor.get_by_role("link", name=re.compile("导出")).click()
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    cells = [
        str(cell.value)
        for sheet in openpyxl.load_workbook(path).worksheets
        for row_cells in sheet.iter_rows()
        for cell in row_cells
        if cell.value is not None
    ]
    assert request.tracking_code in cells

    # Drill down to the request itself.
    row.get_by_role("link", name=request.tracking_code).click()
    expect(supervisor.locator("h1")).to_contain_text(request.tracking_code)
    screens.shoot(supervisor, "supervisor-drill-down")
