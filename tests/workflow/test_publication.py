"""Nothing reaches the catalogue without a passed review and the required approval; index numbers."""

import pytest
from django.urls import reverse

from portal.selectors import catalogue_entries
from workflow.exceptions import PublicationRefused
from workflow.models import Item
from workflow.services.publication import ensure_cleared_for_publication, item_publish

pytestmark = pytest.mark.django_db


def _publish(org, make_item, flow_steps, **kwargs):
    item = make_item(**kwargs)
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    return item


def test_published_item_gets_an_index_number_and_enters_the_catalogue(
    org, make_item, flow_steps, client
):
    item = _publish(org, make_item, flow_steps)
    assert item.status == Item.Status.PUBLISHED
    year = item.published_at.year
    assert item.index_number == f"MZJ/{year}-00001"
    second = _publish(org, make_item, flow_steps, title="第二条")
    assert second.index_number == f"MZJ/{year}-00002"
    assert list(catalogue_entries()) == [second, item]
    page = client.get(reverse("portal:catalogue"))
    assert item.index_number in page.content.decode()
    assert client.get(reverse("portal:catalogue_detail", args=[item.pk])).status_code == 200


def test_index_number_format_is_configurable(org, make_item, flow_steps, settings):
    settings.INDEX_NUMBER_FORMAT = "{unit_code}-{year}-{serial:06d}"
    item = _publish(org, make_item, flow_steps)
    assert item.index_number == f"MZJ-{item.published_at.year}-000001"


@pytest.mark.parametrize("stage", ["draft", "in_review", "referred", "in_approval", "returned"])
def test_nothing_unapproved_is_in_the_catalogue(org, make_item, flow_steps, client, stage):
    item = make_item(title="未批准的信息")
    if stage != "draft":
        flow_steps.submit(item)
    if stage == "referred":
        flow_steps.review(item, "refer", comment="请审定")
    if stage in ("in_approval", "returned"):
        flow_steps.review(item, "pass")
    if stage == "returned":
        flow_steps.approve("approve_section", org.users.section_head, approve=False, comment="退回")
    assert not catalogue_entries().exists()
    assert "未批准的信息" not in client.get(reverse("portal:catalogue")).content.decode()
    assert client.get(reverse("portal:catalogue_detail", args=[item.pk])).status_code == 404


def test_publication_refuses_without_review_and_approval(org, make_item, flow_steps):
    item = make_item()
    process = flow_steps.submit(item)
    # no review yet
    with pytest.raises(PublicationRefused):
        item_publish(process=process)
    flow_steps.review(item, "pass")
    # reviewed but not approved
    with pytest.raises(PublicationRefused):
        item_publish(process=process)
    item.refresh_from_db()
    assert item.status == Item.Status.IN_APPROVAL and item.index_number is None


def test_approval_at_a_lower_level_does_not_clear_a_wider_scope(org, make_item, flow_steps):
    from workflow.models import ApprovalDecision

    item = make_item(scope=Item.Scope.DISTRICT)
    process = flow_steps.submit(item)
    flow_steps.review(item, "pass")
    # a forged section-level approval for a district-wide item
    ApprovalDecision.objects.create(
        process=process,
        item=item,
        level=Item.Scope.SECTION,
        approver=org.users.section_head,
        approved=True,
    )
    item.refresh_from_db()
    with pytest.raises(PublicationRefused):
        ensure_cleared_for_publication(item=item, process=process)


def test_drafted_as_not_disclosed_needs_reason_and_ground(org, make_item, client):
    from django.core.exceptions import ValidationError

    from workflow.models import LegalGround

    with pytest.raises(ValidationError) as exc:
        make_item(attribute=Item.Attribute.WITHHELD)
    assert {"withhold_reason", "withhold_ground"} <= set(exc.value.error_dict)
    # and the form says so beside the fields, in Chinese
    client.force_login(org.users.drafter)
    response = client.post(
        reverse("workflow:item_create"),
        {
            "section": org.relief.pk,
            "title": "t",
            "body": "b",
            "category": org.category.pk,
            "attribute": "withheld",
            "scope": "section",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"withhold_reason", "withhold_ground"}
    assert "请说明不予公开的理由" in response.content.decode()
    assert not Item.objects.exists()
    ground = LegalGround.objects.get(code="art16-internal")
    item = make_item(
        attribute=Item.Attribute.WITHHELD, withhold_reason="内部事务", withhold_ground=ground
    )
    assert item.withhold_ground == ground


def test_drafted_as_not_disclosed_is_filed_not_catalogued(org, make_item, flow_steps):
    from workflow.models import LegalGround

    ground = LegalGround.objects.get(code="art16-process")
    item = _publish(
        org,
        make_item,
        flow_steps,
        attribute=Item.Attribute.WITHHELD,
        withhold_reason="过程性信息",
        withhold_ground=ground,
    )
    assert item.status == Item.Status.WITHHELD and item.index_number is None
    assert not catalogue_entries().exists()


def test_on_request_items_list_metadata_but_not_the_body(org, make_item, flow_steps, client):
    item = _publish(org, make_item, flow_steps, attribute=Item.Attribute.ON_REQUEST)
    page = client.get(reverse("portal:catalogue_detail", args=[item.pk])).content.decode()
    assert item.index_number in page and item.body not in page


def test_a_published_item_is_marked_repealed_in_the_admin_and_audited(
    org, make_item, flow_steps, client
):
    import datetime as dt

    from django.contrib.auth import get_user_model

    from audit.models import AuditEntry

    item = _publish(org, make_item, flow_steps)
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    url = reverse("admin:workflow_item_change", args=[item.pk])
    # Everything but the repeal date is read-only: the other fields posted are ignored.
    too_early = client.post(url, {"repealed_on": "2000-01-01", "title": "改掉标题"})
    assert too_early.status_code == 200
    assert "不能早于" in too_early.content.decode() or "before it was published" in (
        too_early.content.decode()
    )
    later = (item.published_at + dt.timedelta(days=30)).date().isoformat()
    assert client.post(url, {"repealed_on": later, "title": "改掉标题"}).status_code == 302
    item.refresh_from_db()
    assert item.repealed_on.isoformat() == later and item.title != "改掉标题"
    entry = AuditEntry.objects.get(action="workflow.item.repealed", subject_id=str(item.pk))
    assert entry.actor == admin and entry.data["new"] == later


def test_a_draft_cannot_be_repealed(org, make_item):
    from django.core.exceptions import ValidationError

    from workflow.services.items import item_set_repealed

    with pytest.raises(ValidationError):
        item_set_repealed(item=make_item(), user=org.users.drafter, repealed_on=None)
