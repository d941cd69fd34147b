"""Leadership: the approvals inbox and the approval page, where the public version, the
findings, the decisions and the history sit beside a one-step approve or return."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from workflow.models import Item

pytestmark = pytest.mark.django_db

ID_NUMBER = "320102198001011238"
BODY = f"救助对象王某某，身份证号{ID_NUMBER}，已于9月发放临时救助金3000元。"


@pytest.fixture
def at_approval(org, make_item, flow_steps):
    """An item through review with its ID number redacted, waiting for approval at its scope."""
    from review.services.redactions import passage_redact
    from workflow.models import LegalGround
    from workflow.services.tasks import task_claim

    def make(scope="section", title="临时救助发放情况公示"):
        item = make_item(scope=scope, title=title)
        item.body = BODY
        item.save(update_fields=["body"])
        flow_steps.submit(item)
        task = flow_steps.open_task(org.users.reviewer, "review")
        task_claim(task_id=task.pk, user=org.users.reviewer)
        passage_redact(
            item=item,
            user=org.users.reviewer,
            passage=ID_NUMBER,
            ground=LegalGround.objects.get(code="art15-third-party"),
        )
        from review.services import review_decide

        review_decide(task_id=task.pk, user=org.users.reviewer, outcome="pass")
        item.refresh_from_db()
        assert item.status == Item.Status.IN_APPROVAL
        return item

    return make


def _approval_task(user, name, flow_steps):
    return flow_steps.open_task(user, name)


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_approval_page_shows_the_public_version_findings_decisions_and_history(
    client, org, at_approval, flow_steps
):
    at_approval()
    task = _approval_task(org.users.section_head, "approve_section", flow_steps)
    client.force_login(org.users.section_head)

    html = client.get(reverse("workflow:task_detail", args=[task.pk])).content.decode()

    public = html[
        html.index('id="public-version"') : html.index(
            "</section>", html.index('id="public-version"')
        )
    ]
    assert "［依据《条例》第十五条不予公开］" in public
    assert f'<del class="withheld" title="不向公众公开">{ID_NUMBER}</del>' in public
    # The same counts the reviewer saw: found, redacted, dismissed with reasons, ruled, open.
    assert "敏感事项" in html
    assert "保密扫描共发现1处：已删除1处，写明理由排除0处，经保密局裁定0处，未处理0处。" in html
    assert "保密审查通过" in html  # the history, in words
    assert "审查审批记录" in html
    text = _visible_text(html)
    assert "workflow." not in text and "review.decision" not in text
    assert 'name="decision" value="approve"' in html and 'name="decision" value="return"' in html


def test_approve_in_one_step_publishes_without_claiming_first(client, org, at_approval, flow_steps):
    item = at_approval()
    task = _approval_task(org.users.section_head, "approve_section", flow_steps)
    client.force_login(org.users.section_head)

    response = client.post(
        reverse("workflow:task_detail", args=[task.pk]), {"decision": "approve", "comment": ""}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    assert ID_NUMBER not in item.public_body and "不予公开" in item.public_body


def test_return_needs_a_comment_shown_beside_the_field(client, org, at_approval, flow_steps):
    item = at_approval()
    task = _approval_task(org.users.section_head, "approve_section", flow_steps)
    client.force_login(org.users.section_head)
    url = reverse("workflow:task_detail", args=[task.pk])

    html = client.post(url, {"decision": "return", "comment": "  "}).content.decode()

    field = html[html.index('<div class="field has-error">') :]
    assert "请说明起草人需要修改的内容" in field[: field.index("</div>")]
    item.refresh_from_db()
    assert item.status == Item.Status.IN_APPROVAL and not item.approvals.exists()

    client.post(url, {"decision": "return", "comment": "请补充发放依据。"})
    item.refresh_from_db()
    assert item.status == Item.Status.RETURNED


def test_district_wide_item_reaches_the_district_office_marked_sensitive(client, org, at_approval):
    item = at_approval(scope="district", title="全区临时救助政策调整")
    client.force_login(org.users.district_approver)

    html = client.get(reverse("workflow:approvals")).content.decode()

    card = html[html.index("全区临时救助政策调整") - 600 :]
    assert "is-sensitive" in card[:700]
    assert "全区范围" in html and "发现 1 处" in html
    # Nobody else's approval inbox shows it.
    for user in (org.users.section_head, org.users.unit_head, org.users.outsider_head):
        client.force_login(user)
        assert item.title not in client.get(reverse("workflow:approvals")).content.decode()


def test_nav_offers_approvals_to_approvers_only(client, org):
    client.force_login(org.users.unit_head)
    assert reverse("workflow:approvals") in client.get(reverse("workflow:inbox")).content.decode()
    client.force_login(org.users.drafter)
    assert (
        reverse("workflow:approvals") not in client.get(reverse("workflow:inbox")).content.decode()
    )


def test_approvals_inbox_query_count_does_not_grow(client, org, at_approval):
    client.force_login(org.users.section_head)
    url = reverse("workflow:approvals")
    at_approval(title="事项一")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        at_approval(title=f"事项{n + 2}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("approval-card") == 5
    assert len(many) == len(few)
