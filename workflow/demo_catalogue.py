"""Demo entries for the public catalogue, published the way real ones are: drafted, scanned,
reviewed (with a passage withheld), approved at the level their scope needs, then published.
Idempotent: an entry whose title exists is left alone."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Category, Item, LegalGround, Section

DEMO_ENTRIES = [
    # (unit, section, drafter, approver, category, title, summary, body, withheld passage)
    (
        "民政局",
        "社会救助科",
        "drafter",
        "section_head",
        "社会救助",
        "关于调整2026年城乡最低生活保障标准的通知",
        "城乡低保标准自2026年1月起上调",
        "经区政府同意，自2026年1月1日起，本区城市最低生活保障标准由每人每月1100元调整为"
        "1150元，农村最低生活保障标准由每人每月900元调整为950元。低保对象按新标准领取救助金，"
        "差额部分于当月补发。\n咨询电话：010-12345678。",
        "",
    ),
    (
        "民政局",
        "社会救助科",
        "drafter",
        "section_head",
        "社会救助",
        "2026年第二季度临时救助发放情况公示",
        "2026年第二季度临时救助发放情况",
        "本季度共发放临时救助金9.8万元，涉及31户。其中，救助对象张某某因病致贫，"
        "身份证号110101199003071234，发放临时救助金5000元。\n对公示内容有异议的，"
        "可在公示之日起7日内向区民政局社会救助科反映。",
        "110101199003071234",
    ),
    (
        "民政局",
        "社会救助科",
        "drafter",
        "unit_head",
        "养老服务",
        "示范区养老机构运营补贴办法",
        "养老机构运营补贴的对象、标准和申领程序",
        "为支持养老服务发展，对在本区登记的非营利性养老机构按实际收住老年人数给予运营补贴。"
        "补贴标准为每床每月300元，收住失能老年人的每床每月500元。养老机构于每季度首月"
        "向区民政局提出申请，经审核后拨付。",
        "",
    ),
]


def demo_publish_catalogue(*, today: dt.date | None = None) -> int:
    """Publish the demo entries that do not exist yet; returns how many were published."""
    from review.services import passage_redact, review_decide
    from workflow.selectors import queue_for_user

    from .services.approvals import approval_decide
    from .services.items import item_create, item_submit
    from .services.tasks import task_claim

    users = get_user_model().objects
    today = today or timezone.localdate()
    # Seeded by migration 0002; recreated here if a test database was flushed since.
    ground, _ = LegalGround.objects.get_or_create(
        code="art15-third-party",
        defaults={
            "article": "《条例》第十五条",
            "title": "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害",
            "report_reason": LegalGround.ReportReason.THIRD_PARTY,
        },
    )
    published = 0
    for (
        unit,
        section,
        drafter_name,
        approver_name,
        category,
        title,
        summary,
        body,
        withheld,
    ) in DEMO_ENTRIES:
        if Item.objects.filter(title=title).exists():
            continue
        section_obj = Section.objects.filter(unit__name=unit, name=section).first()
        drafter = users.filter(username=drafter_name).first()
        if section_obj is None or drafter is None:
            continue
        item = item_create(
            author=drafter,
            section=section_obj,
            title=title,
            summary=summary,
            body=body,
            category=Category.objects.get_or_create(name=category)[0],
            attribute=Item.Attribute.PROACTIVE,
            scope=Item.Scope.UNIT if approver_name == "unit_head" else Item.Scope.SECTION,
            formed_on=today - dt.timedelta(days=7),
        )
        item_submit(item=item, user=drafter)
        reviewer = users.get(username="reviewer")
        review = _task(queue_for_user(user=reviewer), item, "review")
        task_claim(task_id=review.pk, user=reviewer)
        if withheld:
            passage_redact(item=item, user=reviewer, passage=withheld, ground=ground)
        review_decide(task_id=review.pk, user=reviewer, outcome="pass", comment="")
        approver = users.get(username=approver_name)
        approval = _task(queue_for_user(user=approver), item, None)
        approval_decide(task_id=approval.pk, user=approver, approve=True)
        published += 1
    return published


def _task(queue, item, name):
    for task in queue:
        if task.process.disclosureprocess.item_id == item.pk and (
            name is None or task.flow_task.name == name
        ):
            return task
    raise LookupError(f"no open task for {item}")
