"""`manage.py check_published`: entries published before the review refused what it had not
decided (or changed behind the services since) are found, so an office can take them down."""

import io

import pytest
from django.core.management import call_command

from review.services import passage_redact
from workflow.models import Item

pytestmark = pytest.mark.django_db


def _run() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_published", stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def published(org, make_item, flow_steps, held_review, decide_held, ground):
    item = make_item(body="救助对象王某某，发放救助金3000元。")
    flow_steps.submit(item)
    task = held_review()
    passage_redact(item=item, user=org.users.reviewer, passage="王某某", ground=ground)
    decide_held(task, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    return item


def test_a_clean_catalogue_passes(published):
    status, out, _err = _run()
    assert status == 0 and published.index_number not in out


def test_a_live_mark_in_a_published_text_is_reported(published):
    Item.objects.filter(pk=published.pk).update(public_body="秘密★5年\n" + published.public_body)
    status, out, err = _run()
    assert status == 1
    assert published.index_number in out and "秘密★5年" in out and "正文" in out
    assert "1" in err


def test_a_withheld_string_readable_in_the_public_title_is_reported(published):
    Item.objects.filter(pk=published.pk).update(public_title="关于王某某的救助公示")
    status, out, _err = _run()
    assert status == 1 and "王某某" in out and "名称" in out
