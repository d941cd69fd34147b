"""Drafting through the pages: create, edit, attach, submit; attachments only for those who may see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from workflow.models import Item

pytestmark = pytest.mark.django_db


def test_drafter_creates_attaches_and_submits_through_the_pages(client, org):
    client.force_login(org.users.drafter)
    response = client.post(
        reverse("workflow:item_create"),
        {
            "section": org.relief.pk,
            "title": "关于2026年临时救助标准的说明",
            "summary": "临时救助标准",
            "body": "正文",
            "category": org.category.pk,
            "attribute": "proactive",
            "scope": "unit",
        },
    )
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "workflow:item_detail", args=[item.pk]
    )
    assert (
        item.unit == org.civil
        and item.author == org.users.drafter
        and item.status == Item.Status.DRAFT
    )

    upload = SimpleUploadedFile("标准.txt", "临时救助标准表".encode(), content_type="text/plain")
    client.post(reverse("workflow:attachment_upload", args=[item.pk]), {"file": upload})
    attachment = item.attachments.get()
    download = client.get(reverse("workflow:attachment_download", args=[item.pk, attachment.pk]))
    assert (
        download.status_code == 200
        and b"".join(download.streaming_content) == "临时救助标准表".encode()
    )

    client.post(
        reverse("workflow:item_edit", args=[item.pk]),
        {
            "title": "关于2026年临时救助标准的说明（修订）",
            "summary": "s",
            "body": "正文2",
            "category": org.category.pk,
            "attribute": "proactive",
            "scope": "unit",
        },
    )
    item.refresh_from_db()
    assert item.title.endswith("（修订）") and item.section == org.relief

    client.post(reverse("workflow:item_submit", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW
    # once submitted, the drafter can no longer edit or attach
    assert client.get(reverse("workflow:item_edit", args=[item.pk])).status_code == 404
    client.post(
        reverse("workflow:attachment_upload", args=[item.pk]),
        {"file": SimpleUploadedFile("x.txt", b"x")},
    )
    assert item.attachments.count() == 1

    # an outsider cannot fetch the attachment
    client.force_login(org.users.outsider)
    assert (
        client.get(
            reverse("workflow:attachment_download", args=[item.pk, attachment.pk])
        ).status_code
        == 404
    )


def test_oversized_attachment_is_refused_with_a_message(client, org, make_item, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    item = make_item()
    client.force_login(org.users.drafter)
    response = client.post(
        reverse("workflow:attachment_upload", args=[item.pk]),
        {"file": SimpleUploadedFile("big.txt", b"x" * 100)},
        follow=True,
    )
    assert response.status_code == 200 and not item.attachments.exists()
    assert list(response.context["messages"])


def test_only_drafters_of_a_section_may_create_there(client, org):
    client.force_login(org.users.reviewer)
    assert client.get(reverse("workflow:item_create")).status_code == 404
    client.force_login(org.users.outsider)
    response = client.post(
        reverse("workflow:item_create"),
        {
            "section": org.relief.pk,
            "title": "x",
            "body": "y",
            "category": org.category.pk,
            "attribute": "proactive",
            "scope": "section",
        },
    )
    assert response.status_code == 200 and "section" in response.context["form"].errors
    assert not Item.objects.exists()


def test_a_formed_date_in_the_future_is_refused_whatever_the_entry_point(org, make_item):
    import datetime as dt

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        make_item(formed_on=tomorrow)
    assert "formed_on" in refused.value.error_dict


def test_an_attachment_cannot_slip_in_through_a_copy_loaded_before_submission(org, make_item):
    from workflow.exceptions import WorkflowError
    from workflow.models import Attachment
    from workflow.services.items import attachment_add, item_submit

    item = make_item()
    stale = Item.objects.get(pk=item.pk)  # a draft, as the upload page loaded it
    item_submit(item=item, user=org.users.drafter)

    with pytest.raises(WorkflowError):
        attachment_add(
            item=stale,
            user=org.users.drafter,
            upload=SimpleUploadedFile("后加.txt", "后加材料".encode()),
        )
    assert not Attachment.objects.filter(item=item).exists()
