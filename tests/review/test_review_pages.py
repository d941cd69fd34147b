"""The review panel in the browser's terms: findings highlighted in context, redacting from the
task page, countersigning, and 404 for everyone who may not see the item."""

import pytest
from django.urls import reverse

from review.models import Countersign, Redaction, ScanFinding

from .conftest import ID_NUMBER

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(org, sensitive_item, flow_steps):
    item = sensitive_item()
    flow_steps.submit(item)
    return item


def test_the_task_page_shows_findings_highlighted_in_chinese(org, submitted, held_review, client):
    task = held_review()
    client.force_login(org.users.reviewer)
    page = client.get(reverse("workflow:task_detail", args=[task.pk])).content.decode()
    assert f"<mark>{ID_NUMBER}</mark>" in page
    assert "身份证号" in page  # the context before the number
    assert "居民身份证号码" in page or "身份证" in page
    assert "保密审查" in page and "标记需删除的段落" in page
    assert "Redact" not in page  # no English fragments in the review panel


def test_redacting_from_the_task_page(org, submitted, held_review, client):
    from workflow.models import LegalGround

    task = held_review()
    ground = LegalGround.objects.get(code="art15-third-party")
    finding = submitted.findings.get(kind="id_number")
    client.force_login(org.users.reviewer)
    back = reverse("workflow:task_detail", args=[task.pk])
    response = client.post(
        reverse("review:finding_redact", args=[submitted.pk, finding.pk]),
        {"ground": ground.pk, "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Redaction.objects.get(item=submitted).text == ID_NUMBER
    # A passage without a ground: refused with the reason, nothing written.
    response = client.post(
        reverse("review:passage_redact", args=[submitted.pk]),
        {"source": "body", "passage": "王某某", "next": back},
        follow=True,
    )
    assert "该字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert Redaction.objects.filter(item=submitted).count() == 1
    # An offsite `next` is ignored.
    response = client.post(
        reverse(
            "review:finding_dismiss", args=[submitted.pk, submitted.findings.get(kind="mobile").pk]
        ),
        {"note": "办事电话", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("workflow:item_detail", args=[submitted.pk])
    assert submitted.findings.get(kind="mobile").resolution == ScanFinding.Resolution.DISMISSED


def test_a_reviewer_without_the_task_is_refused_with_a_message(org, submitted, client):
    from workflow.models import LegalGround

    finding = submitted.findings.get(kind="id_number")
    client.force_login(org.users.reviewer)  # may see the item, has not claimed the task
    response = client.post(
        reverse("review:finding_redact", args=[submitted.pk, finding.pk]),
        {"ground": LegalGround.objects.first().pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "认领" in response.content.decode()
    assert not Redaction.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["item_rescan", "passage_redact", "countersign_unit_add"],
)
def test_outsiders_get_404_on_review_actions(org, submitted, client, name):
    client.force_login(org.users.outsider)
    response = client.post(reverse(f"review:{name}", args=[submitted.pk]), {})
    assert response.status_code == 404


def test_outsiders_get_404_on_finding_and_redaction_urls(org, submitted, client):
    finding = submitted.findings.first()
    client.force_login(org.users.outsider)
    for url in (
        reverse("review:finding_redact", args=[submitted.pk, finding.pk]),
        reverse("review:finding_dismiss", args=[submitted.pk, finding.pk]),
        reverse("review:redaction_withdraw", args=[submitted.pk, 1]),
    ):
        assert client.post(url, {}).status_code == 404


def test_countersigning_through_the_pages(org, make_item, flow_steps, client):
    item = make_item()
    client.force_login(org.users.drafter)
    response = client.post(
        reverse("review:countersign_unit_add", args=[item.pk]), {"unit": org.edu.pk}
    )
    assert response.status_code == 302
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    countersign = Countersign.objects.get(item=item, status=Countersign.Status.PENDING)
    # The education bureau's head finds it in the list and confirms it.
    client.force_login(org.users.outsider_head)
    listing = client.get(reverse("review:countersign_list")).content.decode()
    assert item.title in listing
    url = reverse("review:countersign_detail", args=[countersign.pk])
    page = client.get(url).content.decode()
    assert "会签" in page and item.body[:10] in page
    # An objection without a comment is refused beside the field.
    page = client.post(url, {"decision": "objected"}).content.decode()
    assert "请说明" in page
    response = client.post(url, {"decision": "confirmed", "comment": "无意见"})
    assert response.status_code == 302
    countersign.refresh_from_db()
    assert countersign.status == Countersign.Status.CONFIRMED
    # Another unit's head cannot open it; a colleague of the drafter's unit sees it read-only.
    client.force_login(org.users.outsider)
    assert client.get(url).status_code == 404
