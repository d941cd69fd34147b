"""A small catalogue built through the real services: published entries (one with a redacted
passage, one with an attachment, one disclosed on request) beside items that must never reach the
public (a draft, one under review, a withheld one, another unit's draft). Each secret text is a
marker that no API answer may contain."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

# Texts that exist only in originals or in items the public may not see.
REDACTED = "秘密救助对象甲乙丙"
DRAFT_MARKER = "草稿专用标记丁戊"
REVIEW_MARKER = "审查中标记己庚"
WITHHELD_MARKER = "不予公开标记辛壬"
OTHER_UNIT_MARKER = "外单位草稿标记癸子"
ON_REQUEST_MARKER = "依申请公开正文丑寅"
SECRETS = (REDACTED, DRAFT_MARKER, REVIEW_MARKER, WITHHELD_MARKER, OTHER_UNIT_MARKER)
# A word of a published entry's public body, for the Chinese search.
SEARCH_WORD = "最低生活保障"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache: every test starts with a full budget.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def token_client():
    def client_for(user) -> APIClient:
        token, _ = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def publish(org, make_item, flow_steps):
    """Draft, submit, pass review and approve an item: the way the catalogue is filled."""
    from review.permissions import forget_cached_grants
    from review.services import passage_redact, review_decide
    from workflow.models import LegalGround
    from workflow.selectors import queue_for_user
    from workflow.services.approvals import approval_decide
    from workflow.services.items import attachment_add
    from workflow.services.tasks import task_claim

    def task_of(item, user, name):
        # This item's task, not merely the first of its name: other items may be waiting too.
        forget_cached_grants(user)
        return next(
            t
            for t in queue_for_user(user=user)
            if t.flow_task.name == name and t.process.disclosureprocess.item_id == item.pk
        )

    def publish(*, body: str = "", redact: str = "", attachment: bool = False, **kwargs):
        item = make_item(**kwargs)
        if body:
            _with_body(item, body)
        if attachment:
            attachment_add(
                item=item,
                user=org.users.drafter,
                upload=SimpleUploadedFile("发放标准.txt", "城乡低保发放标准表".encode()),
            )
        flow_steps.submit(item)
        reviewer, head = org.users.reviewer, org.users.section_head
        task = task_of(item, reviewer, "review")
        if redact:
            task_claim(task_id=task.pk, user=reviewer)
            ground = LegalGround.objects.get(code="art15-third-party")
            passage_redact(item=item, user=reviewer, passage=redact, ground=ground)
        review_decide(task_id=task.pk, user=reviewer, outcome="pass", comment="")
        approval = task_of(item, head, "approve_section")
        approval_decide(task_id=approval.pk, user=head, approve=True, comment="")
        item.refresh_from_db()
        assert item.status in ("published", "withheld"), item.status
        return item

    return publish


def _with_body(item, body):
    item.body = body
    item.save(update_fields=["body"])
    return item


@pytest.fixture
def catalogue(org, make_item, flow_steps, publish):
    from workflow.models import Item, LegalGround

    entry = publish(title="2026年城乡低保标准调整的通知", attachment=True)
    redacted = publish(
        title="临时救助发放情况",
        redact=REDACTED,
        body=f"本季度救助对象{REDACTED}已领取临时救助金。",
    )
    on_request = publish(
        title="低保资金分配明细",
        attribute=Item.Attribute.ON_REQUEST,
        body=f"分配明细：{ON_REQUEST_MARKER}。",
    )
    withheld = publish(
        title="内部会议纪要",
        attribute=Item.Attribute.WITHHELD,
        withhold_reason="内部事务信息",
        withhold_ground=LegalGround.objects.get(code="art16-internal"),
        body=WITHHELD_MARKER,
    )
    draft = _with_body(make_item(title="草稿", attribute="proactive"), DRAFT_MARKER)
    in_review = _with_body(make_item(title="审查中的信息"), REVIEW_MARKER)
    flow_steps.submit(in_review)
    other_draft = _with_body(
        make_item(title="外单位草稿", author=org.users.outsider, section=org.edu_section),
        OTHER_UNIT_MARKER,
    )
    return SimpleNamespace(
        entry=entry,
        redacted=redacted,
        on_request=on_request,
        published=[entry, redacted, on_request],
        draft=draft,
        in_review=in_review,
        withheld=withheld,
        other_draft=other_draft,
        hidden=[draft, in_review, withheld, other_draft],
    )


@pytest.fixture
def registered(org, req):
    """A request received in person by the civil affairs bureau (民政局)."""
    return req.register(received=dt.date(2026, 9, 30))
