"""The review that cannot publish what it has not decided, in a real browser: a reviewer who
redacts one finding and presses pass is refused, with the open findings listed and linked; each
finding decided (redacted, or dismissed with a reason), the pass goes through, and the public
page carries nothing the scanner found that the reviewer did not let through in writing."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import draft_item, open_task_row, submit_for_review

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ID_NUMBER = "320102198001011238"
MOBILE = "13912345678"
ADDRESS = "北京市东城区和平里街道安定门外大街138号院3号楼2单元501室"


def test_a_pass_is_refused_until_every_finding_is_decided(open_as, live_server, screens):
    from review.models import ScanFinding
    from workflow.models import Item

    base = live_server.url
    title = "2026年第四季度临时救助个案公示"
    body = f"救助对象张三，身份证号{ID_NUMBER}，联系电话{MOBILE}，家住{ADDRESS}。发放救助金3000元。"
    drafter = open_as("drafter")
    draft_item(drafter, base, title=title, body=body, scope="section")
    submit_for_review(drafter)
    item = Item.objects.get(title=title)
    findings = {f.kind: f for f in item.findings.all()}
    assert {"id_number", "mobile", "address"} <= set(findings)

    reviewer = open_as("reviewer")
    open_task_row(reviewer, base, title)
    reviewer.get_by_role("button", name="认领").click()
    expect(reviewer.locator(".messages")).to_contain_text("已认领")

    # Only the ID number is redacted; its usual ground (Art. 15) is proposed.
    row = reviewer.locator(f"#finding-{findings['id_number'].pk}")
    expect(row.locator("select[name=ground] option:checked")).to_contain_text("第十五条")
    row.get_by_role("button", name="各处删除").click()
    expect(reviewer.locator(".messages")).to_contain_text("已在本件所有出现之处删除")

    reviewer.check("input[name=outcome][value=pass]")
    reviewer.get_by_role("button", name="提交").click()
    blockers = reviewer.locator("#pass-blockers")
    expect(blockers).to_contain_text("未处理")
    expect(blockers.locator(f'a[href="#finding-{findings["mobile"].pk}"]')).to_be_visible()
    expect(blockers.locator(f'a[href="#finding-{findings["address"].pk}"]')).to_be_visible()
    screens.shoot(reviewer, "reviewer-pass-refused")
    assert Item.objects.get(pk=item.pk).status == Item.Status.IN_REVIEW
    assert not item.findings.filter(resolution=ScanFinding.Resolution.DISMISSED).exists()

    # The mobile number is dismissed with a reason; a reason too short is refused first.
    row = reviewer.locator(f"#finding-{findings['mobile'].pk}")
    row.locator("input[name=note]").fill("可")
    row.get_by_role("button", name="不敏感").click()
    expect(reviewer.locator(".messages")).to_contain_text("说明")
    row = reviewer.locator(f"#finding-{findings['mobile'].pk}")
    row.locator("input[name=note]").fill("社区公开的服务热线")
    row.get_by_role("button", name="不敏感").click()
    expect(reviewer.locator(".messages")).to_contain_text("不敏感")
    # Whatever else is open (the address, and anything scanned with it) is redacted one by one.
    for _ in range(len(findings)):
        still_open = reviewer.locator("tr.finding-open")
        if not still_open.count():
            break
        still_open.first.get_by_role("button", name="各处删除").click()
        expect(reviewer.locator(".messages")).to_contain_text("已在本件所有出现之处删除")
    expect(reviewer.locator("tr.finding-open")).to_have_count(0)
    reviewer.check("input[name=outcome][value=pass]")
    reviewer.get_by_role("button", name="提交").click()
    expect(reviewer.locator(".messages")).to_contain_text("任务已完成")

    head = open_as("section_head")
    head.goto(f"{base}/approvals/")
    head.locator(".approval-card", has_text=title).locator("a.card-link").click()
    expect(head.locator("#sensitive")).to_contain_text(re.compile(r"写明理由排除1处"))
    expect(head.locator("#sensitive")).to_contain_text("社区公开的服务热线")
    screens.shoot(head, "approval-counts")
    head.get_by_role("button", name="同意公开发布").click()
    expect(head.locator(".messages")).to_contain_text("任务已完成")

    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    head.goto(f"{base}/catalogue/{item.pk}/")
    public = head.locator("main").inner_text()
    assert ID_NUMBER not in public and ADDRESS not in public
    assert MOBILE in public  # dismissed in writing by the reviewer
